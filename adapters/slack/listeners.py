"""Which Slack request goes to which function: acknowledge first, then hand over. Nothing else."""

from __future__ import annotations

import functools
import re
from collections.abc import Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import asking, briefings, handoffs, home, moderation
from adapters.slack.blocks import (
    ACTION_ASK_MODERATOR,
    ACTION_HANDOFF_ANSWER,
    ACTION_HANDOFF_DISMISS,
    ACTION_HANDOFF_DRAFT,
    ACTION_HELPFUL,
    ACTION_NOT_HELPFUL,
    ACTION_PIN,
    ACTION_SHARE,
    ACTION_SUGGESTION,
    ACTION_TOPIC,
    HANDOFF_FORM,
)
from adapters.slack.dedupe import delivery_key, skip_duplicates
from adapters.slack.state import SlackState

__all__ = ["register_listeners"]

Body = dict[str, Any]


async def _tracked(state: SlackState, work: Coroutine[Any, Any, None]) -> None:
    """Run a handler's work counted as in flight: a shutdown lets it finish."""
    async with state.in_flight.track():
        await work


def register_listeners(app: AsyncApp, state: SlackState) -> None:
    """Attach the duplicate filter, commands, events and button actions to app."""
    settings = state.settings
    app.use(
        skip_duplicates(
            state.deliveries,
            state.claim_delivery,
            functools.partial(asking.log_received, state),
            state.abandoned_delivery,
        )
    )

    @app.command(settings.ask_command)
    async def on_ask(ack: AsyncAck, command: Body, respond: AsyncRespond) -> None:
        await ack()
        await _tracked(state, asking.answer_command(state, command, respond))

    @app.command(settings.briefing_command)
    async def on_briefing(
        ack: AsyncAck, command: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, briefings.post_briefing(state, client, command, respond))

    @app.command(settings.faq_command)
    async def on_moderator_command(
        ack: AsyncAck, command: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, moderation.run_moderator_command(state, client, command, respond))

    @app.event("app_mention")
    async def on_mention(
        event: Body, body: Body, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        team, bot = context.team_id or "", await _bot_of(state, client, context)
        delivery = delivery_key(body) or ""
        work = asking.answer_mention(state, client, event, team, bot, delivery)
        await _tracked(state, work)

    @app.event("message")
    async def on_message(
        event: Body, body: Body, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        team, bot = context.team_id or "", await _bot_of(state, client, context)
        delivery = delivery_key(body) or ""
        work = asking.answer_message_event(state, client, event, team, bot, delivery)
        await _tracked(state, work)

    @app.event("app_home_opened")
    async def on_home(event: Body, body: Body, client: AsyncWebClient) -> None:
        if event.get("tab") == "home" and event.get("user"):
            team = str(body.get("team_id") or "")
            await _tracked(state, home.publish_home(state, client, str(event["user"]), team))

    @app.action(re.compile(rf"^(?:{ACTION_SUGGESTION}|{ACTION_TOPIC})_\d+$"))
    async def on_suggestion(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, asking.answer_suggestion(state, client, body, respond))

    @app.action(ACTION_ASK_MODERATOR)
    async def on_ask_moderator(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, handoffs.ask_moderator(state, client, body, respond))

    @app.action(ACTION_HANDOFF_ANSWER)
    async def on_handoff_answer(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, handoffs.open_answer_form(state, client, body, respond))

    @app.action(ACTION_HANDOFF_DISMISS)
    async def on_handoff_dismiss(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, handoffs.dismiss_handoff(state, client, body, respond))

    @app.action(ACTION_HANDOFF_DRAFT)
    async def on_handoff_draft(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, handoffs.save_handoff_draft(state, client, body, respond))

    @app.view(HANDOFF_FORM)
    async def on_handoff_form(
        ack: AsyncAck, body: Body, view: Body, client: AsyncWebClient
    ) -> None:
        await ack()  # the form closes; the reply is delivered after
        await _tracked(state, handoffs.answer_handoff(state, client, body, view))

    @app.action(ACTION_SHARE)
    async def on_share(ack: AsyncAck, body: Body, respond: AsyncRespond) -> None:
        await ack()
        await _tracked(state, asking.share_answer(state, body, respond))

    @app.action(ACTION_HELPFUL)
    async def on_helpful(ack: AsyncAck, body: Body, respond: AsyncRespond) -> None:
        await ack()
        await _tracked(state, asking.record_feedback(state, body, respond, helpful=True))

    @app.action(ACTION_NOT_HELPFUL)
    async def on_not_helpful(ack: AsyncAck, body: Body, respond: AsyncRespond) -> None:
        await ack()
        await _tracked(state, asking.record_feedback(state, body, respond, helpful=False))

    @app.action(ACTION_PIN)
    async def on_pin(
        ack: AsyncAck, body: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        await _tracked(state, briefings.pin_briefing(state, client, body, respond))


async def _bot_of(
    state: SlackState, client: AsyncWebClient, context: AsyncBoltContext
) -> asking.SlackBot:
    """The bot's user id and name in the workspace the event came from: the name from the
    install's auth.test, else (one token for one workspace) as users.info gives it."""
    user_id, team = context.bot_user_id or "", context.team_id or ""
    authorized = context.authorize_result
    name = authorized.user if authorized is not None else None
    if not name and user_id:
        name = await state.members.name(client, team, user_id)
    return asking.SlackBot(user_id, name if name and name != user_id else "")
