"""Questions in, cited answers out: /ask with autocomplete, @mentions and direct messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from adapters.discord.embeds import answer_embed
from adapters.discord.replies import NO_MENTIONS, interaction_context, message_context
from adapters.discord.state import BotState, state_of
from adapters.discord.views import answer_view, send_answer
from bot.answers import Answer
from bot.chat_text import squeezed_lines, without_own_name
from bot.cooldown import cooldown_note
from bot.textfit import shorten

__all__ = [
    "ENTRY_CHOICE_PREFIX",
    "answer_command",
    "answer_message",
    "check_cooldown",
    "in_time",
    "question_from_message",
    "suggest_questions",
    "wants_answer",
]

_log = logging.getLogger(__name__)

# Autocomplete limits: discord.com/developers/docs/interactions/application-commands
# (at most 25 choices; a choice's name and value at most 100 characters).
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
# An autocomplete pick submits this prefix and the entry id, so the pick answers that entry
# exactly; anything typed by hand is asked as a question.
ENTRY_CHOICE_PREFIX = "faq:"

_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")
# A server's own emoji, <:name:id> or animated <a:name:id>: a picture, no word of the question.
_CUSTOM_EMOJI = re.compile(r"<a?:\w+:\d+>")
# Discord wants a first response to an interaction within three seconds; work still running
# after this long (a slow or locked store) gets a deferral first.
DEFER_AFTER_SECONDS = 2.0

T = TypeVar("T")


async def suggest_questions(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """FAQ questions for what the user has typed so far, best first."""
    state = state_of(interaction.client)
    return [
        app_commands.Choice(
            name=shorten(s.question, MAX_CHOICE_TEXT), value=f"{ENTRY_CHOICE_PREFIX}{s.entry_id}"
        )
        for s in state.service.autocomplete(current, MAX_CHOICES)
    ]


async def in_time(interaction: discord.Interaction[Any], work: Callable[..., T], *args: Any) -> T:
    """Run `work` off the event loop (it may read or write the store); should it outlast
    DEFER_AFTER_SECONDS, defer the interaction first, only for the asker to see: Discord
    drops an interaction left without a response for three seconds."""
    task = asyncio.ensure_future(asyncio.to_thread(work, *args))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


async def check_cooldown(interaction: discord.Interaction[Any]) -> bool:
    """An app-command check: one question per user per configured period."""
    state = state_of(interaction.client)
    wait = await in_time(interaction, state.cooldown.shared_retry_after, interaction.user.id)
    if wait:
        raise app_commands.CommandOnCooldown(app_commands.Cooldown(1, state.cooldown.seconds), wait)
    return True


async def answer_command(interaction: discord.Interaction[Any], question: str) -> None:
    """/ask: an autocomplete pick answers its entry; typed text is matched."""
    state = state_of(interaction.client)
    context = interaction_context(interaction)
    answer: Answer | None = None
    if question.startswith(ENTRY_CHOICE_PREFIX):
        entry_id = question.removeprefix(ENTRY_CHOICE_PREFIX)
        answer = await in_time(interaction, state.service.answer_entry, entry_id, context)
    if answer is None:
        answer = await in_time(interaction, state.service.ask, question, context)
    if answer.answered and interaction.response.is_done():
        # Deferred for the asker alone, while an answer is for everyone: the placeholder
        # goes, and the answer follows as a message of its own.
        with contextlib.suppress(discord.NotFound):
            await interaction.delete_original_response()
    await send_answer(interaction, answer, state)


def wants_answer(message: discord.Message, me: discord.ClientUser) -> bool:
    """A direct message, or a message that mentions the bot itself: by name, or by the role
    Discord made for it ("@FAQ" picked from the list); not @everyone or another role."""
    if message.author.bot or message.author.id == me.id:
        return False
    if message.guild is None:
        return True
    own_role = message.guild.self_role
    return any(user.id == me.id for user in message.mentions) or (
        own_role is not None and own_role in message.role_mentions
    )


def question_from_message(message: discord.Message, me: discord.ClientUser) -> str:
    """The text of the question: the bot's own mention, and its name where it addresses the
    bot ("hey faqbot, …"), removed; other mentions made readable; line breaks kept."""
    me_id = me.id
    names = {user.id: user.display_name for user in message.mentions}

    def readable(match: re.Match[str]) -> str:
        kind, ident = match.group(1), int(match.group(2))
        if kind.startswith("@") and kind != "@&":
            return "" if ident == me_id else "@" + names.get(ident, "someone")
        if kind == "@&":
            role = message.guild.get_role(ident) if message.guild else None
            if role is not None and role.tags is not None and role.tags.bot_id == me_id:
                return ""  # the bot's own role: as its own mention
            return "@" + (role.name if role else "role")
        channel = message.guild.get_channel(ident) if message.guild else None
        return "#" + (channel.name if channel else "channel")

    text = _MENTION.sub(readable, _CUSTOM_EMOJI.sub(" ", message.content))
    return without_own_name(squeezed_lines(text), _names_of(me, message.guild))


def _names_of(me: discord.ClientUser, guild: discord.Guild | None) -> tuple[str, ...]:
    """What people call the bot: its account name, its display name, its nickname here."""
    member = guild.me if guild is not None else None
    nickname = member.nick if member is not None else None
    return tuple(name for name in (me.name, me.global_name, nickname) if name)


async def answer_message(client: discord.Client, message: discord.Message) -> None:
    """Reply to a mention or a direct message with the answer, as a reply that pings no one."""
    if client.user is None or not wants_answer(message, client.user):
        return
    state = state_of(client)
    question = question_from_message(message, client.user)
    if state.service.is_small_talk(question):
        return  # "thanks!" in reply to an answer: no reply, and no cooldown spent
    wait = await asyncio.to_thread(state.cooldown.shared_retry_after, message.author.id)
    reference = message.to_reference(fail_if_not_exists=False)
    if wait:
        await message.channel.send(
            cooldown_note(wait), reference=reference, allowed_mentions=NO_MENTIONS
        )
        return
    answer = await asyncio.to_thread(state.service.ask, question, message_context(message))
    await _reply_with_answer(message, answer, state, reference)


async def _reply_with_answer(
    message: discord.Message, answer: Answer, state: BotState, reference: discord.MessageReference
) -> None:
    public = answer.answered and message.guild is not None
    asker = message.author.id if public else None
    guild = message.guild.id if message.guild else None
    moderators = await state.moderator_channel(guild) is not None
    view = answer_view(answer, state.settings.features.feedback_buttons, asker, moderators)
    await message.channel.send(
        embed=answer_embed(answer),
        view=view or discord.utils.MISSING,
        reference=reference,
        allowed_mentions=NO_MENTIONS,
    )
