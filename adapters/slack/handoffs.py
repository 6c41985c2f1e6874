"""Ask a moderator, on Slack: the asker's button, the moderators' notice with Answer and
Dismiss, the answer form, and the reply delivered where the question was asked (its thread,
or a direct message)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import (
    HANDOFF_REPLY,
    handoff_form,
    handoff_notice,
    notice,
)
from adapters.slack.delivery import open_dm, post_message, respond_with, update_message
from adapters.slack.moderation import refusal
from adapters.slack.payloads import action_value, click_ids
from adapters.slack.state import PLATFORM, SlackState
from bot.drafts import save_draft
from bot.handoffs import (
    ANSWERED,
    DISMISSED,
    HANDOFFS_PER_HOUR,
    OPEN,
    Handoff,
    asked_text,
    new_handoff,
    reply_text,
)

__all__ = [
    "answer_handoff",
    "ask_moderator",
    "dismiss_handoff",
    "open_answer_form",
    "save_handoff_draft",
]

_log = logging.getLogger(__name__)

HOUR = 3600.0
TOO_MANY = "You have asked the moderators several times this hour; please wait a little."
NO_CHANNEL = "There is no moderators' channel set up here, so I cannot pass questions on."
PASSED_ON = "I asked the moderators. Their answer will come here when they reply."
GONE = "This question was handled already."
NO_DRAFT = "I could not write the draft: the knowledge folder is not writable for the bot."
DRAFT_SAVED = (
    "Saved as a draft: {}. It is not served until a moderator moves it into the knowledge "
    "(and `python -m bot knowledge check` passes)."
)


async def ask_moderator(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """The asker's "Ask a moderator": the question goes to the moderators' channel."""
    workspace, channel, user = click_ids(body)
    moderators = await state.moderator_channel(workspace)
    if not moderators:
        await respond_with(respond, notice(NO_CHANNEL), replace_original=False)
        return
    since = time.time() - HOUR
    if await state.call(state.store.handoffs_since, PLATFORM, user, since) >= HANDOFFS_PER_HOUR:
        await respond_with(respond, notice(TOO_MANY), replace_original=False)
        return
    container = body.get("container") or {}
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts") or ""
    question = action_value(body)
    handoff = new_handoff(PLATFORM, workspace, channel, str(thread), user, question, time.time())
    if not await state.call(state.store.add_handoff, handoff):
        await respond_with(respond, notice("I could not pass it on; please try again later."))
        return
    text = f"{asked_text(handoff)}\n(asked by {user} in {channel or 'a direct message'})"
    sent = await post_message(client, moderators, handoff_notice(text, handoff.id))
    if sent.ok and sent.ts:
        await state.call(state.store.set_handoff_notice, handoff.id, moderators, sent.ts)
    else:
        _log.warning("could not post hand-off %s to the moderators: %s", handoff.id, sent.error)
    await respond_with(respond, notice(PASSED_ON), replace_original=False)


async def open_answer_form(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A moderator's Answer: the form to write the reply in."""
    found = await _clicked_handoff(state, client, body, respond, "answer questions", OPEN)
    if found is None:
        return
    _, handoff = found
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
    workspace, _, user = click_ids(body)  # a form's submission names them the same way
    if not await state.is_moderator(user, workspace, client):
        _log.warning("refused a hand-off answer by %s: not a moderator", user)
        return
    handoff_id = str(view.get("private_metadata") or "")
    values = ((view.get("state") or {}).get("values") or {}).get(HANDOFF_REPLY) or {}
    reply = str((values.get(HANDOFF_REPLY) or {}).get("value") or "").strip()
    handoff = await state.call(state.store.handoff, handoff_id)
    if handoff is None or not reply:
        return
    if not await state.call(state.store.close_handoff, handoff_id, ANSWERED, reply, user):
        return  # another moderator was first
    await _deliver(client, handoff, reply)
    await _mark(client, handoff, f"Answered by {user}: {reply}", draft=True)


async def save_handoff_draft(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A moderator's "Save as a draft entry": the answer becomes a draft for the knowledge."""
    found = await _clicked_handoff(state, client, body, respond, "save drafts", ANSWERED)
    if found is None:
        return
    user, handoff = found
    knowledge = Path(state.runtime.settings.knowledge.dir)
    try:
        draft = await state.call(save_draft, knowledge, handoff, user, time.time())
    except OSError as exc:
        _log.warning("could not save a draft for hand-off %s: %s", handoff.id, exc.strerror)
        await respond_with(respond, notice(NO_DRAFT), replace_original=False)
        return
    shown = draft.relative_to(knowledge.parent).as_posix()
    await respond_with(respond, notice(DRAFT_SAVED.format(shown)), replace_original=False)
    await _mark(client, handoff, f"Answered by {handoff.handled_by}: {handoff.reply} (draft saved)")


async def dismiss_handoff(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    found = await _clicked_handoff(state, client, body, respond, "dismiss questions", OPEN)
    if found is None:
        return
    user, handoff = found
    if not await state.call(state.store.close_handoff, handoff.id, DISMISSED, "", user):
        await respond_with(respond, notice(GONE), replace_original=False)
        return  # another moderator was first
    await _mark(client, handoff, f"Dismissed by {user}.")


async def _clicked_handoff(
    state: SlackState,
    client: AsyncWebClient,
    body: dict[str, Any],
    respond: AsyncRespond,
    what: str,
    status: str,
) -> tuple[str, Handoff] | None:
    """The moderator who clicked and the hand-off the button names, when it is in `status`;
    else None, with the clicker told why (a refusal is logged)."""
    workspace, _, user = click_ids(body)
    if not await state.is_moderator(user, workspace, client):
        _log.warning("refused to let %s %s: not a moderator", user, what)
        await respond_with(respond, notice(refusal(what)), replace_original=False)
        return None
    handoff = await state.call(state.store.handoff, action_value(body))
    if handoff is None or handoff.status != status:
        await respond_with(respond, notice(GONE), replace_original=False)
        return None
    return user, handoff


async def _deliver(client: AsyncWebClient, handoff: Handoff, reply: str) -> None:
    message = notice(reply_text(handoff, reply))
    if handoff.channel and handoff.thread:
        sent = await post_message(client, handoff.channel, message, thread_ts=handoff.thread)
        if sent.ok:
            return
    dm = await open_dm(client, handoff.user)
    if dm is None or not (await post_message(client, dm, message)).ok:
        _log.warning("could not deliver the answer to hand-off %s", handoff.id)


async def _mark(
    client: AsyncWebClient, handoff: Handoff, state_line: str, *, draft: bool = False
) -> None:
    if not handoff.notice_channel or not handoff.notice_ref:
        return
    text = f"{asked_text(handoff)}\n(asked by {handoff.user} in {handoff.channel or 'a DM'})"
    message = handoff_notice(text, handoff.id, state_line, draft=draft)
    await update_message(client, handoff.notice_channel, handoff.notice_ref, message)
