"""Ask a moderator, on Slack: the asker's button, the moderators' notice with Answer and
Dismiss, the answer form, and the reply delivered where the question was asked (its thread,
or a direct message). The flow itself is the core's (bot.handoff_desk); this module renders
and delivers it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import HANDOFF_REPLY, escape, handoff_form, handoff_notice, notice
from adapters.slack.delivery import open_dm, post_message, respond_with, update_message
from adapters.slack.moderation import refusal
from adapters.slack.payloads import action_value, click_ids
from adapters.slack.state import PLATFORM, SlackState
from bot.handoff_desk import Asked
from bot.handoffs import Handoff, asked_text

__all__ = [
    "answer_handoff",
    "ask_moderator",
    "dismiss_handoff",
    "open_answer_form",
    "save_handoff_draft",
]

_log = logging.getLogger(__name__)

PASSED_ON = "I asked the moderators. Their answer will come here when they reply."


@dataclass
class SlackHandoffs:
    """The hand-off desk's view of Slack for one click or form (bot.handoff_desk)."""

    state: SlackState
    client: AsyncWebClient
    workspace: str
    user: str
    respond: AsyncRespond | None  # None for a form sent: Slack gives it nothing to reply to
    platform: str = PLATFORM
    passed_on: str = PASSED_ON

    async def shown_name(self, user: str) -> str:
        # The member's name, as Slack has it: a <@…> mention would notify them.
        return await self.state.members.name(self.client, self.workspace, user)

    async def moderators_channel(self) -> str | None:
        return await self.state.moderator_channel(self.workspace)

    async def is_moderator(self) -> bool:
        return await self.state.is_moderator(self.user, self.workspace, self.client)

    async def refuse(self, what: str) -> None:
        await self.tell(refusal(what))

    async def tell(self, text: str) -> None:
        if self.respond is not None:
            await respond_with(self.respond, notice(text), replace_original=False)

    async def post_notice(self, channel: str, handoff: Handoff) -> str | None:
        where = await self._asked_where(handoff)
        message = handoff_notice(asked_text(handoff), handoff.id, where=where)
        sent = await post_message(self.client, channel, message)
        return sent.ts if sent.ok else None

    async def show_outcome(self, handoff: Handoff, outcome: str, *, can_draft: bool) -> None:
        if not handoff.notice_channel or not handoff.notice_ref:
            return
        where = await self._asked_where(handoff)
        message = handoff_notice(
            asked_text(handoff), handoff.id, outcome, draft=can_draft, where=where
        )
        await update_message(self.client, handoff.notice_channel, handoff.notice_ref, message)

    async def _asked_where(self, handoff: Handoff) -> str:
        """Who asked and where, as mrkdwn: the member by name (escaped), the channel as a
        channel link, which notifies no one."""
        asker = escape(await self.shown_name(handoff.user))
        direct = not handoff.channel or handoff.channel.startswith("D")
        place = "a direct message" if direct else f"<#{handoff.channel}>"
        return f"Asked by {asker} in {place}"

    async def deliver(self, handoff: Handoff, text: str) -> bool:
        message = notice(text)
        if handoff.channel and handoff.thread:
            sent = await post_message(
                self.client, handoff.channel, message, thread_ts=handoff.thread
            )
            if sent.ok:
                return True
        dm = await open_dm(self.client, handoff.user)
        return dm is not None and (await post_message(self.client, dm, message)).ok


def _clicked(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond | None
) -> SlackHandoffs:
    workspace, _, user = click_ids(body)  # a form's submission names them the same way
    return SlackHandoffs(state, client, workspace, user, respond)


async def ask_moderator(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """The asker's "Ask a moderator": the question goes to the moderators' channel."""
    workspace, channel, user = click_ids(body)
    container = body.get("container") or {}
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts") or ""
    asked = Asked(workspace, channel, str(thread), user, action_value(body))
    await state.runtime.handoffs.pass_on(_clicked(state, client, body, respond), asked)


async def open_answer_form(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A moderator's Answer: the form to write the reply in."""
    desk = state.runtime.handoffs
    handoff = await desk.to_answer(_clicked(state, client, body, respond), action_value(body))
    if handoff is None:
        return
    try:
        await client.views_open(
            trigger_id=str(body.get("trigger_id") or ""),
            view=handoff_form(handoff.id, handoff.question),
        )
    except (SlackApiError, SlackClientError) as exc:
        _log.warning("could not open the answer form: %s", type(exc).__name__)


async def answer_handoff(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any]
) -> None:
    """The form sent: the reply goes to the asker, and the notice says who answered."""
    platform = _clicked(state, client, body, None)
    handoff_id = str(view.get("private_metadata") or "")
    values = ((view.get("state") or {}).get("values") or {}).get(HANDOFF_REPLY) or {}
    reply = str((values.get(HANDOFF_REPLY) or {}).get("value") or "")
    await state.runtime.handoffs.answer(platform, handoff_id, platform.user, reply)


async def save_handoff_draft(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A moderator's "Save as a draft entry": the answer becomes a draft for the knowledge."""
    platform = _clicked(state, client, body, respond)
    desk = state.runtime.handoffs
    await desk.save_as_draft(platform, action_value(body), platform.user, platform.user)


async def dismiss_handoff(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A moderator's Dismiss: the question is closed without a reply."""
    platform = _clicked(state, client, body, respond)
    await state.runtime.handoffs.dismiss(platform, action_value(body), platform.user)
