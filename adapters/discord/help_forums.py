"""Help forums: a moderator marks a forum, and each new post there is answered from its
title, in the post, when the bot knows the answer (never "I don't know" or "did you mean":
people help each other there too).

The mark is kept in the bot's database (`/faq help-forum`, run inside any post of the forum),
so it needs no setting and survives restarts. Reading a post's title needs no privileged
intent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from adapters.discord.embeds import answer_embed
from adapters.discord.replies import NO_MENTIONS, PLATFORM, say
from adapters.discord.state import BotState, state_of
from adapters.discord.views import answer_view
from bot.answers import Outcome
from bot.service import AskContext

__all__ = ["answer_forum_post", "help_forum_command"]

_log = logging.getLogger(__name__)

RUN_IN_A_POST = "Run this inside a post of the forum you want me to answer in."
NOT_SAVED = "I could not save that (the bot's database is unavailable); try again later."
ON = (
    "This forum is now a help forum: I answer each new post here from its title, when I know "
    "the answer, and stay quiet when I don't."
)
OFF = "This forum is no longer a help forum."


async def help_forum_command(interaction: discord.Interaction[Any], on: bool) -> None:
    """/faq help-forum: mark (or unmark) the forum of the post it is run in."""
    state = state_of(interaction.client)
    channel = interaction.channel
    if not isinstance(channel, discord.Thread) or not channel.parent_id or not interaction.guild_id:
        await say(interaction, RUN_IN_A_POST)
        return
    saved = await asyncio.to_thread(
        state.store.set_help_channel,
        PLATFORM,
        str(interaction.guild_id),
        str(channel.parent_id),
        on,
        str(interaction.user.id),
    )
    if not saved:
        await say(interaction, NOT_SAVED)
        return
    state.help_forums.forget()  # read again on the next post
    _log.info(
        "forum %s is %s a help forum (set by %s)",
        channel.parent_id,
        "now" if on else "no longer",
        interaction.user.id,
    )
    await say(interaction, ON if on else OFF)


async def _is_help_forum(state: BotState, guild: str, forum: str) -> bool:
    return (guild, forum) in await asyncio.to_thread(state.help_forums.items)


async def answer_forum_post(client: discord.Client, thread: discord.Thread) -> None:
    """A new post: answered from its title when its forum is a help forum and the bot knows."""
    state = state_of(client)
    me = client.user
    if not thread.parent_id or me is None or thread.owner_id == me.id:
        return
    if not await _is_help_forum(state, str(thread.guild.id), str(thread.parent_id)):
        return
    if await asyncio.to_thread(state.cooldown.shared_retry_after, thread.owner_id or 0):
        return  # no note either: the poster did not call on the bot
    context = AskContext(
        PLATFORM, str(thread.guild.id), str(thread.parent_id), str(thread.owner_id), str(thread.id)
    )
    answer = await asyncio.to_thread(state.service.ask, thread.name, context)
    if answer.outcome is not Outcome.ANSWERED:
        return
    view = answer_view(answer, state.settings.features.feedback_buttons, thread.owner_id)
    await thread.send(
        embed=answer_embed(answer), view=view or discord.utils.MISSING, allowed_mentions=NO_MENTIONS
    )
