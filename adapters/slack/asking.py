"""Questions in, answers out: the slash command, @mentions, DMs, thread follow-ups and buttons."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import (
    SlackMessage,
    answer_message,
    ask_moderator_message,
    notice,
    topics_message,
)
from adapters.slack.dedupe import delivery_key
from adapters.slack.delivery import post_message, respond_with
from adapters.slack.payloads import action_value, click_ids
from adapters.slack.state import SlackState, ask_context
from bot.answers import Answer, Outcome
from bot.chat_text import squeezed_lines, without_own_name
from bot.cooldown import cooldown_note
from bot.service import AskContext

__all__ = [
    "SlackBot",
    "answer_command",
    "answer_mention",
    "answer_message_event",
    "answer_suggestion",
    "log_received",
    "question_from_slack",
    "record_feedback",
    "share_answer",
]

_log = logging.getLogger(__name__)

# <https://example.com|label>, <#C123|general>, <@U123|name>: keep what a person reads.
_LABELLED = re.compile(r"<[^<>|]*\|([^<>]*)>")
# <https://example.com> stays a URL; <@U123>, <!here>, <#C123>, <!subteam^S1> are not words.
_BARE = re.compile(r"<([^<>]*)>")

TOPIC_GONE = "That topic is gone since the knowledge was updated; please ask again."
SHARE_EXPIRED = "This answer is too old to share. Ask again to get a fresh one."
SHARE_NOT_YOURS = "Only the person who asked can share this answer."


@dataclasses.dataclass(frozen=True)
class SlackBot:
    """The bot as a workspace knows it: the user id its mentions carry, the name people type."""

    user_id: str = ""
    name: str = ""


def question_from_slack(text: str, bot: SlackBot | None = None) -> str:
    """The question a person typed, from Slack's message markup: the bot's mentions, and its
    name where it addresses the bot ("hey faqbot, …"), removed; line breaks kept."""
    bot = bot or SlackBot()
    if bot.user_id:
        text = text.replace(f"<@{bot.user_id}>", " ")
    text = _LABELLED.sub(r"\1", text)
    text = _BARE.sub(lambda m: m[1] if m[1].startswith(("http:", "https:")) else " ", text)
    # Slack escapes these three in what users type; &amp; last, so "&amp;lt;" stays "&lt;".
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return without_own_name(squeezed_lines(text), (bot.name,))


async def _remember_shareable(state: SlackState, answer: Answer, asker: str) -> None:
    if answer.answered:
        await state.remember_shareable(answer, asker)


async def log_received(state: SlackState, body: dict[str, Any]) -> None:
    """Log a question as received before Slack is told it arrived: /ask with words, an
    @mention, a direct message. Should this process die before answering, the question is
    still in the log (as unanswered), though Slack will not send it again."""
    event = body.get("event") if isinstance(body.get("event"), dict) else None
    if body.get("command") == state.settings.ask_command:
        text, context = str(body.get("text") or ""), _command_context(body)
    elif event is not None and _asks_the_bot(event):
        mention = event.get("type") == "app_mention"
        thread = _mention_thread(event) if mention else str(event.get("thread_ts") or "")
        channel, user = str(event.get("channel") or ""), str(event.get("user") or "")
        context = ask_context(str(body.get("team_id") or ""), channel, user, thread)
        text = str(event.get("text") or "")
    else:
        return
    question = question_from_slack(text)
    key = delivery_key(body)
    if question and key:
        await state.call(
            state.store.record_received, question, dataclasses.replace(context, delivery=key)
        )


def _command_context(command: dict[str, Any], delivery: str = "") -> AskContext:
    return ask_context(
        str(command.get("team_id") or ""),
        str(command.get("channel_id") or ""),
        str(command.get("user_id") or ""),
        delivery=delivery,
    )


def _asks_the_bot(event: dict[str, Any]) -> bool:
    """An @mention, or a person's direct message to the bot."""
    if event.get("type") == "app_mention":
        return True
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and _from_a_person(event)
    )


def _from_a_person(event: dict[str, Any]) -> bool:
    """A person's own message: not an edit, a join, another bot, or the bot's own post."""
    return event.get("subtype") is None and not event.get("bot_id") and bool(event.get("user"))


def _opens_thread(event: dict[str, Any], thread: str | None) -> bool:
    """Whether the answer goes in a new thread under the message (a top-level @mention, or a
    new message in a help channel): the message opens that thread."""
    return bool(thread) and not event.get("thread_ts")


def _mention_thread(event: dict[str, Any]) -> str:
    """Where an @mention is answered: its thread, or a new one under it."""
    return str(event.get("thread_ts") or event.get("ts") or "")


async def answer_command(state: SlackState, command: dict[str, Any], respond: AsyncRespond) -> None:
    """The slash command: an answer only the asker sees, with "Share in channel"."""
    question = question_from_slack(str(command.get("text") or ""))
    if not question:  # the command alone: show what the bot knows
        groups = await state.call(state.service.topics)
        await respond_with(respond, topics_message(groups))
        return
    context = _command_context(command, delivery_key(command) or "")
    wait = await state.call(state.cooldown.shared_retry_after, context.user_id)
    if wait:
        await state.call(state.store.forget_received, context.delivery)
        await respond_with(respond, notice(cooldown_note(wait)))
        return
    answer = await state.call(state.service.ask, question, context)
    await _remember_shareable(state, answer, context.user_id)
    message = answer_message(
        answer,
        feedback=state.feedback_buttons,
        share=answer.answered,
        question=question or None,
        ask_moderator=await _may_ask_moderator(state, answer, context.workspace),
    )
    await respond_with(respond, message)


async def _may_ask_moderator(state: SlackState, answer: Answer, workspace: str) -> bool:
    """Offer "Ask a moderator" where the bot could not help and a moderators' channel is set."""
    helpless = answer.outcome in (
        Outcome.UNKNOWN,
        Outcome.DID_YOU_MEAN,
        Outcome.OPINION,
        Outcome.PERSON,
    )
    return helpless and bool(await state.moderator_channel(workspace))


async def _answer_in_conversation(
    state: SlackState,
    client: AsyncWebClient,
    question: str,
    workspace: str,
    event: dict[str, Any],
    thread: str | None,
    *,
    follow_up: bool = False,
    delivery: str = "",
) -> None:
    channel = str(event.get("channel") or "")
    user = str(event.get("user") or "")
    opens = _opens_thread(event, thread)
    context = ask_context(workspace, channel, user, thread, delivery, opens_thread=opens)
    if state.service.is_small_talk(question):
        # "thanks!", "+1": no reply, and the asker's next question is not held back.
        if delivery:
            await state.call(state.store.forget_received, delivery)
        return
    wait = await state.call(state.cooldown.shared_retry_after, context.user_id)
    if wait:
        await state.call(state.store.forget_received, delivery)
        if not follow_up:  # a follow-up may be chatter: no note in the thread for it
            await post_message(client, channel, notice(cooldown_note(wait)), thread_ts=thread)
        return
    answer = await state.call(state.service.ask, question, context)
    if follow_up and answer.outcome is Outcome.EMPTY:
        # People also chat among themselves in the thread ("thanks!"): only questions get a reply.
        return
    message = answer_message(
        answer,
        feedback=state.feedback_buttons,
        ask_moderator=await _may_ask_moderator(state, answer, workspace),
    )
    await _post_in_thread(state, client, channel, message, thread)


async def _post_in_thread(
    state: SlackState,
    client: AsyncWebClient,
    channel: str,
    message: SlackMessage,
    thread: str | None,
) -> bool:
    """Post an answer (in a thread, when given) and remember the thread for follow-ups."""
    # Remembered before posting: a follow-up that arrives while the post is under way counts.
    remembered = bool(thread) and await state.remember_thread(channel, str(thread))
    sent = await post_message(client, channel, message, thread_ts=thread)
    if not sent.ok and remembered:
        await state.forget_thread(channel, str(thread))
    return sent.ok


async def answer_mention(
    state: SlackState,
    client: AsyncWebClient,
    event: dict[str, Any],
    workspace: str,
    bot: SlackBot,
    delivery: str = "",
) -> None:
    """An @mention in a channel: answered in the mention's thread."""
    question = question_from_slack(str(event.get("text") or ""), bot)
    thread = _mention_thread(event) or None
    await _answer_in_conversation(
        state, client, question, workspace, event, thread, delivery=delivery
    )


async def answer_message_event(
    state: SlackState,
    client: AsyncWebClient,
    event: dict[str, Any],
    workspace: str,
    bot: SlackBot,
    delivery: str = "",
) -> None:
    """A message: answered when it is a DM to the bot or a follow-up in a thread it answered."""
    if not _from_a_person(event):
        return
    bot_user_id = bot.user_id
    if event.get("user") == bot_user_id:
        return
    text = str(event.get("text") or "")
    thread = event.get("thread_ts")
    if not thread and event.get("channel_type") in ("channel", "group"):
        if bot_user_id and f"<@{bot_user_id}>" in text:
            return  # an @mention: the app_mention event answers it
        if await _is_help_channel(state, workspace, str(event.get("channel") or "")):
            question = question_from_slack(text, bot)
            await _answer_in_help_channel(state, client, question, workspace, event)
        return
    if event.get("channel_type") == "im":
        question = question_from_slack(text, bot)
        await _answer_in_conversation(
            state,
            client,
            question,
            workspace,
            event,
            str(thread) if thread else None,
            delivery=delivery,
        )
        return
    if not thread or (bot_user_id and f"<@{bot_user_id}>" in text):
        return  # not in a thread, or an @mention (the app_mention event answers it)
    channel = str(event.get("channel") or "")
    if not await state.answered_in(channel, str(thread)):
        return
    question = question_from_slack(text, bot)
    if await _is_help_channel(state, workspace, channel):
        # A help channel's threads are people talking too: answered only outright.
        await _answer_in_help_channel(state, client, question, workspace, event, str(thread))
        return
    await _answer_in_conversation(
        state, client, question, workspace, event, str(thread), follow_up=True
    )


async def _is_help_channel(state: SlackState, workspace: str, channel: str) -> bool:
    return (workspace, channel) in await state.call(state.help_channels.items)


async def _answer_in_help_channel(
    state: SlackState,
    client: AsyncWebClient,
    question: str,
    workspace: str,
    event: dict[str, Any],
    thread: str | None = None,
) -> None:
    """A message in a help channel (new, or in a thread there): answered in its thread, but
    only outright. People talk among themselves there too; "I don't know" or "did you mean"
    would be noise."""
    channel, thread = str(event.get("channel") or ""), thread or str(event.get("ts") or "")
    user = str(event.get("user") or "")
    if state.service.is_small_talk(question):
        return
    if await state.call(state.cooldown.shared_retry_after, user):
        return  # no note either: this user did not call on the bot
    context = ask_context(
        workspace, channel, user, thread, opens_thread=_opens_thread(event, thread)
    )
    answer = await state.call(state.service.ask, question, context)
    if answer.outcome is Outcome.ANSWERED:
        message = answer_message(answer, feedback=state.feedback_buttons)
        await _post_in_thread(state, client, channel, message, thread)


async def answer_suggestion(
    state: SlackState, client: AsyncWebClient, body: dict[str, Any], respond: AsyncRespond
) -> None:
    """A "did you mean" (or related question) button: answer that entry where it was clicked."""
    team, channel, user = click_ids(body)
    container = body.get("container") or {}
    thread = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    context = ask_context(team, channel, user, thread)
    answer = await state.call(state.service.answer_entry, action_value(body), context)
    if answer is None:
        await respond_with(respond, notice(TOPIC_GONE), replace_original=False)
        return
    if container.get("is_ephemeral"):
        # Only the asker sees the choices: replace them with the answer, still private.
        await _remember_shareable(state, answer, user)
        message = answer_message(
            answer, feedback=state.feedback_buttons, share=True, question=answer.question
        )
        await respond_with(respond, message, replace_original=True)
        return
    message = answer_message(answer, feedback=state.feedback_buttons)
    if not await _post_in_thread(state, client, channel, message, thread):
        await respond_with(respond, message, replace_original=False)


async def share_answer(state: SlackState, body: dict[str, Any], respond: AsyncRespond) -> None:
    """Share in channel: post the private answer for everyone, then drop the private copy.

    Only the person who asked may share: the question and answer were private to them.
    """
    remembered = await state.shareable(action_value(body))
    if remembered is None:
        await respond_with(respond, notice(SHARE_EXPIRED), replace_original=False)
        return
    answer, asker = remembered
    if click_ids(body)[2] != asker:
        await respond_with(respond, notice(SHARE_NOT_YOURS), replace_original=False)
        return
    shared = answer_message(answer, feedback=state.feedback_buttons, question=answer.question)
    if await respond_with(respond, shared, response_type="in_channel", replace_original=False):
        await respond_with(respond, SlackMessage(""), delete_original=True)


async def record_feedback(
    state: SlackState, body: dict[str, Any], respond: AsyncRespond, *, helpful: bool
) -> None:
    """Helpful / Not helpful: recorded against the answer id the button carries."""
    team, channel, user = click_ids(body)
    context = ask_context(team, channel, user)
    answer_id = action_value(body)
    stored = await state.call(state.service.feedback, answer_id, helpful, context)
    text = "Thanks, noted." if stored else "Thanks. (The rating could not be stored.)"
    question = None
    if not helpful and await state.moderator_channel(team):
        question = await state.call(state.store.question_text, answer_id)
    if question:  # not what they needed: offer the way to a person
        text += " Not what you needed? A moderator can answer it."
        await respond_with(respond, ask_moderator_message(text, question), replace_original=False)
        return
    await respond_with(respond, notice(text), replace_original=False)
