"""Briefings in Slack: post one, let a moderator pin it, and edit pinned ones in place."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import briefing_message, notice
from adapters.slack.delivery import pin_message, post_message, respond_with, update_message
from adapters.slack.moderation import refusal
from adapters.slack.payloads import action_value, click_ids
from adapters.slack.state import PLATFORM, SlackState
from bot.briefings import BriefingView
from bot.pinned import Shown, left_the_knowledge
from bot.pinned import refresh_pinned_briefings as refresh_pinned
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
    if briefing_id is None:
        briefing_id = await state.default_briefing(str(command.get("team_id") or ""))
    if briefing_id is None:
        menu = state.service.briefing_menu(f"`{state.settings.briefing_command} ID`")
        if menu is not None:
            await respond_with(respond, notice(menu))
            return
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
    workspace, _, user = click_ids(body)
    if not await state.is_moderator(user, workspace, client):
        await respond_with(respond, notice(refusal("pin briefings")), replace_original=False)
        return
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("message") or {}).get("ts") or "")
    briefing_id = action_value(body)
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


async def refresh_pinned_briefings(state: SlackState, client: AsyncWebClient, team: str) -> int:
    """Edit every pinned briefing of the workspace `team` (the client's; "" when unknown:
    every pin) made from older knowledge; return how many were edited."""
    surface = _PinnedMessages(client, team)
    return await refresh_pinned(state.service, state.store, surface, state.pins_lock)


@dataclass(frozen=True)
class _PinnedMessages:
    """Slack's side of keeping pinned briefings current (bot.pinned.BriefingSurface)."""

    client: AsyncWebClient
    team: str
    platform: str = PLATFORM

    def reaches(self, pin: PinnedBriefing) -> bool:
        # Another workspace's message: this token cannot edit it.
        return not (self.team and pin.workspace and pin.workspace != self.team)

    async def show(self, pin: PinnedBriefing, view: BriefingView | None) -> Shown:
        if view is None:
            message = notice(left_the_knowledge(pin.briefing_id))
        else:
            message = briefing_message(view, pinnable=False)
        sent = await update_message(self.client, pin.channel, pin.message_id, message)
        if sent.ok:
            return Shown.EDITED
        return Shown.GONE if sent.error in GONE_ERRORS else Shown.FAILED
