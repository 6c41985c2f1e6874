"""Briefings on Discord: post one, pin it, and keep pinned ones up to date by editing in place."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from adapters.discord.embeds import briefing_embed
from adapters.discord.moderation import REFUSAL, is_moderator, save_server_setting
from adapters.discord.replies import NO_MENTIONS, PLATFORM, respond, say
from adapters.discord.state import state_of
from bot.briefings import BriefingView
from bot.pinned import Shown, left_the_knowledge, refresh_pinned_briefings
from bot.store import PinnedBriefing
from bot.textfit import shorten
from bot.workspace_settings import DEFAULT_BRIEFING

__all__ = [
    "briefing_command",
    "default_briefing_command",
    "refresh_pinned",
    "suggest_briefings",
    "sync_pins",
]

_log = logging.getLogger(__name__)

# Posted but unpinned briefings remembered per channel, newest first, so that a moderator who
# pins one by hand later is noticed; older ones are forgotten.
MAX_UNPINNED_PER_CHANNEL = 5
# Autocomplete limits: discord.com/developers/docs/interactions/application-commands
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100

PINNED = "Pinned. I will edit it in place whenever the knowledge changes."
NOT_PINNED = (
    "Posted, but I could not pin it: I need the Pin Messages permission in this "
    "channel. Pin it by hand and I will still keep it up to date."
)


async def suggest_briefings(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    library = state_of(interaction.client).service.library
    wanted = current.casefold()
    return [
        app_commands.Choice(name=shorten(b.title, MAX_CHOICE_TEXT), value=b.id)
        for b in library.snapshot.briefings
        if wanted in b.id or wanted in b.title.casefold()
    ][:MAX_CHOICES]


async def briefing_command(
    interaction: discord.Interaction[Any], name: str | None, pin: bool
) -> None:
    """/briefing: post the briefing for everyone; a moderator may have it pinned too."""
    state = state_of(interaction.client)
    if pin and not await is_moderator(interaction):
        await say(interaction, REFUSAL)
        return
    if not name:
        name = await state.default_briefing(interaction.guild_id)
    if not name:
        menu = state.service.briefing_menu("`/briefing name:ID`")
        if menu is not None:
            await say(interaction, menu)
            return
    view = state.service.briefing(name or None)
    if view is None:
        await say(
            interaction,
            f"There is no briefing called {name!r}."
            if name
            else "There is no briefing in the knowledge yet.",
        )
        return
    response = await interaction.response.send_message(
        embed=briefing_embed(view), allowed_mentions=NO_MENTIONS
    )
    message_id = response.message_id
    if message_id is None:
        message_id = (await interaction.original_response()).id
    if interaction.guild_id is None or interaction.channel_id is None:
        return  # a briefing in a direct message is not tracked
    record = PinnedBriefing(
        PLATFORM,
        str(interaction.guild_id),
        str(interaction.channel_id),
        str(message_id),
        view.id,
        view.knowledge_version,
    )
    notice = None
    if pin:
        channel = interaction.client.get_partial_messageable(interaction.channel_id)
        try:
            await channel.get_partial_message(message_id).pin(reason="FAQ briefing")
        except discord.HTTPException as exc:
            _log.warning(
                "could not pin briefing %s in channel %s: %s %s",
                view.id,
                interaction.channel_id,
                exc.status,
                exc.text,
            )
            notice = NOT_PINNED
        else:
            record = dataclasses.replace(record, pinned=True)
            notice = PINNED
    # Recorded before the moderator is told: once they read "pinned", the registry knows it.
    # The registry is SQLite: its calls run off the event loop, like every store call.
    await asyncio.to_thread(state.store.save_pin, record)
    await asyncio.to_thread(_forget_old_posts, interaction.client, record.channel)
    if notice == NOT_PINNED:
        await say(interaction, NOT_PINNED)
    elif notice == PINNED:
        await respond(interaction, ephemeral=True, content=PINNED)


def _forget_old_posts(client: discord.Client, channel: str) -> None:
    store = state_of(client).store
    unpinned = [p for p in store.pins(PLATFORM) if p.channel == channel and not p.pinned]
    unpinned.sort(key=lambda p: int(p.message_id), reverse=True)
    for old in unpinned[MAX_UNPINNED_PER_CHANNEL:]:
        store.remove_pin(PLATFORM, old.channel, old.message_id)


async def sync_pins(client: discord.Client, channel_id: int) -> None:
    """After pins changed in a channel: note which of our briefings are pinned there now."""
    state = state_of(client)
    all_pins = await asyncio.to_thread(state.store.pins, PLATFORM)
    posted = [p for p in all_pins if p.channel == str(channel_id)]
    if not posted:
        return
    channel = client.get_partial_messageable(channel_id)
    try:
        pinned = {str(message.id) async for message in channel.pins(limit=None)}
    except discord.HTTPException as exc:
        _log.warning(
            "could not read the pins of channel %s: %s %s", channel_id, exc.status, exc.text
        )
        return
    for pin in posted:
        if (pin.message_id in pinned) != pin.pinned:
            await asyncio.to_thread(
                state.store.mark_pinned, PLATFORM, pin.channel, pin.message_id, not pin.pinned
            )
    await refresh_pinned(client)


async def refresh_pinned(client: discord.Client) -> None:
    """Edit every pinned briefing made from older knowledge to match the current knowledge."""
    state = state_of(client)
    await refresh_pinned_briefings(
        state.service, state.store, _PinnedMessages(client), state.pin_lock
    )


@dataclass(frozen=True)
class _PinnedMessages:
    """Discord's side of keeping pinned briefings current (bot.pinned.BriefingSurface)."""

    client: discord.Client
    platform: str = PLATFORM

    def reaches(self, pin: PinnedBriefing) -> bool:
        return True  # one bot user reaches every server it is in

    async def show(self, pin: PinnedBriefing, view: BriefingView | None) -> Shown:
        message = self.client.get_partial_messageable(int(pin.channel)).get_partial_message(
            int(pin.message_id)
        )
        if view is None:
            embed = discord.Embed(description=left_the_knowledge(pin.briefing_id))
        else:
            embed = briefing_embed(view)
        try:
            await message.edit(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.NotFound:
            _log.info(
                "pinned briefing message %s in channel %s was deleted; forgetting it",
                pin.message_id,
                pin.channel,
            )
            return Shown.GONE
        except discord.HTTPException as exc:
            _log.warning(
                "could not update pinned briefing message %s in channel %s: %s %s",
                pin.message_id,
                pin.channel,
                exc.status,
                exc.text,
            )
            return Shown.FAILED
        return Shown.EDITED


async def default_briefing_command(interaction: discord.Interaction[Any], name: str | None) -> None:
    """/faq default-briefing: the briefing a bare /briefing posts in this server (no name: the
    knowledge's own choice again)."""
    state = state_of(interaction.client)
    if name and state.service.known_briefing(name) is None:
        known = ", ".join(f"`{b}`" for b, _ in state.service.briefing_titles()) or "none"
        await say(interaction, f"There is no briefing called {name!r}. The knowledge has: {known}.")
        return
    if not await save_server_setting(interaction, DEFAULT_BRIEFING, name or None):
        return
    _log.info("default briefing of server %s set to %s", interaction.guild_id, name or "none")
    if name:
        await say(interaction, f"`/briefing` alone now posts the `{name}` briefing in this server.")
    else:
        await say(interaction, "`/briefing` alone goes back to the knowledge's own choice.")
