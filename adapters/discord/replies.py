"""Sending to Discord safely: no mentions ever, ephemeral notes, and where a question came from."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.service import AskContext
from bot.textfit import shorten

__all__ = [
    "APOLOGY",
    "MAX_CONTENT",
    "NO_MENTIONS",
    "PLATFORM",
    "apologize",
    "interaction_context",
    "message_context",
    "respond",
    "say",
]

_log = logging.getLogger(__name__)

PLATFORM = "discord"
# Message content limit: discord.com/developers/docs/resources/message#create-message
MAX_CONTENT = 2000
# Echoed text can never ping @everyone, @here, a role or a user, nor the person replied to.
NO_MENTIONS = discord.AllowedMentions.none()

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


def interaction_context(interaction: discord.Interaction[Any]) -> AskContext:
    return _context(
        interaction.guild_id, interaction.channel, interaction.channel_id, interaction.user.id
    )


def message_context(message: discord.Message) -> AskContext:
    guild_id = message.guild.id if message.guild else None
    return _context(guild_id, message.channel, message.channel.id, message.author.id)


def _context(
    guild_id: int | None, channel: object, channel_id: int | None, user_id: int
) -> AskContext:
    # A thread is a channel of its own on Discord; the log groups it under its parent.
    if isinstance(channel, discord.Thread) and channel.parent_id:
        return AskContext(
            PLATFORM, str(guild_id or ""), str(channel.parent_id), str(user_id), str(channel.id)
        )
    return AskContext(PLATFORM, str(guild_id or ""), str(channel_id or ""), str(user_id))


async def respond(
    interaction: discord.Interaction[Any], *, ephemeral: bool = False, **fields: Any
) -> None:
    """Answer an interaction, as its first response or as a follow-up when it has one."""
    fields.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **fields)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **fields)


async def say(interaction: discord.Interaction[Any], text: str) -> None:
    """A short note only the user who acted can see."""
    await respond(interaction, ephemeral=True, content=shorten(text, MAX_CONTENT))


async def apologize(interaction: discord.Interaction[Any]) -> None:
    """Tell the user their action failed; a failure to tell them is only logged."""
    try:
        await say(interaction, APOLOGY)
    except discord.HTTPException:
        _log.warning("could not send the apology for interaction %s", interaction.id)
