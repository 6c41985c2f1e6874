"""Briefings in Slack: post one, let a moderator pin it, and edit pinned ones in place."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import briefing_message, notice
from adapters.slack.delivery import pin_message, post_message, respond_with, update_message
from adapters.slack.moderation import refusal
from adapters.slack.state import PLATFORM, SlackState
from bot.store import PinnedBriefing

__all__ = ["pin_briefing", "post_briefing", "refresh_pinned_briefings"]

_log = logging.getLogger(__name__)

# chat.update errors after which the message will never be editable again: forget the pin.
GONE_ERRORS = frozenset(
    {"message_not_found", "channel_not_found", "is_archived", "cant_update_message"}
)


async def post_briefing(
    state: SlackState, client: AsyncWebClient, command: dict[str, Any], respond: AsyncRespond
) -> None:
    """The briefing command: post the briefing (default or named) in the channel for all."""
    briefing_id = str(command.get("text") or "").strip() or None
    view = await state.call(state.service.briefing, briefing_id)
    if view is None:
        text = (
            f"There is no briefing called `{briefing_id}`."
            if briefing_id
            else "The knowledge has no briefing yet."
        )
        await respond_with(respond, notice(text))
        return
    channel = str(command.get("channel_id") or "")
    sent = await post_message(client, channel, briefing_message(view, pinnable=True))
    if not sent.ok or sent.ts is None:
        await respond_with(
            respond,
            notice(
                f"I could not post the briefing here (Slack said `{sent.error}`). If I am not a "
                "member of this channel, add me with `/invite` and try again."
            ),
        )
        return
    pin = PinnedBriefing(
        PLATFORM,
        str(command.get("team_id") or ""),
        channel,
        sent.ts,
        view.id,
        view.knowledge_version,
    )
    await state.call(state.store.save_pin, pin)


async def pin_briefing(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """The Pin button: a moderator pins the briefing, which is then kept up to date."""
    user = str((body.get("user") or {}).get("id") or "")
    if not state.is_moderator(user):
        await respond_with(respond, notice(refusal("pin briefings")), replace_original=False)
        return
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("message") or {}).get("ts") or "")
    briefing_id = str((body.get("actions") or [{}])[0].get("value") or "")
    sent = await pin_message(client, channel, ts)
    if not sent.ok:
        await respond_with(
            respond,
            notice(f"I could not pin the briefing (Slack said `{sent.error}`)."),
            replace_original=False,
        )
        return
    view = await state.call(state.service.briefing, briefing_id)
    if view is not None:
        # The pinned message loses its Pin button: there is nothing left to click.
        await update_message(client, channel, ts, briefing_message(view, pinnable=False))
    team = str((body.get("team") or {}).get("id") or "")
    version = view.knowledge_version if view is not None else ""
    pin = PinnedBriefing(PLATFORM, team, channel, ts, briefing_id, version, pinned=True)
    await state.call(state.store.save_pin, pin)
    await respond_with(
        respond,
        notice("Pinned. I will keep it up to date when the knowledge changes."),
        replace_original=False,
    )


async def refresh_pinned_briefings(state: SlackState, client: AsyncWebClient) -> int:
    """Edit every pinned briefing made from older knowledge; return how many were edited."""
    async with state.pins_lock:  # two reloads in a row must not race each other's edits
        pins = await state.call(state.store.pins, PLATFORM)
        edited = 0
        for pin in pins:
            if not pin.pinned or pin.knowledge_version == state.service.library.version:
                continue
            if state.team_id and pin.workspace and pin.workspace != state.team_id:
                continue  # another workspace's message: this token cannot edit it
            if await _refresh(state, client, pin):
                edited += 1
        if edited:
            _log.info(
                "updated %d pinned briefing(s) to knowledge %s",
                edited,
                state.service.library.version,
            )
        return edited


async def _refresh(state: SlackState, client: AsyncWebClient, pin: PinnedBriefing) -> bool:
    view = await state.call(state.service.briefing, pin.briefing_id)
    if view is None:
        message = notice(f"This briefing (`{pin.briefing_id}`) is no longer in the knowledge.")
    else:
        message = briefing_message(view, pinnable=False)
    sent = await update_message(client, pin.channel, pin.message_id, message)
    store = state.store
    if sent.ok and view is not None:
        await state.call(
            store.update_pin_version, PLATFORM, pin.channel, pin.message_id, view.knowledge_version
        )
    elif sent.ok or sent.error in GONE_ERRORS:
        await state.call(store.remove_pin, PLATFORM, pin.channel, pin.message_id)
    return sent.ok
