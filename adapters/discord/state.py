"""What every Discord handler shares: the core runtime and the per-user cooldown on asking."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import discord

from adapters.discord.replies import PLATFORM
from bot.cooldown import AskCooldown
from bot.inflight import InFlight
from bot.reload_notices import ReloadNotices
from bot.runtime import Runtime
from bot.service import QAService
from bot.store import Store
from bot.workspace_settings import (
    DEFAULT_BRIEFING,
    MODERATOR_CHANNEL,
    MODERATOR_ROLES,
    SharedSet,
    WorkspaceSettings,
)
from config import Settings

__all__ = ["BotState", "state_of"]


@dataclass
class BotState:
    runtime: Runtime
    cooldown: AskCooldown = field(init=False)
    # Held while pinned briefings are edited, so two quick reloads do not edit them at once.
    pin_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    in_flight: InFlight = field(default_factory=InFlight)  # answers a shutdown lets finish
    reload_notices: ReloadNotices = field(default_factory=ReloadNotices)
    # (server, forum) of the help forums, as the store has them
    help_forums: SharedSet = field(init=False)
    workspace_settings: WorkspaceSettings = field(init=False)

    def __post_init__(self) -> None:
        self.cooldown = AskCooldown(
            self.runtime.settings.discord.ask_cooldown_seconds, store=self.store, platform=PLATFORM
        )
        self.help_forums = SharedSet(lambda: self.store.help_channels(PLATFORM))
        default = self.runtime.settings.discord.moderator_channel_id
        defaults = {MODERATOR_CHANNEL: str(default) if default else None}
        self.workspace_settings = WorkspaceSettings(self.store, PLATFORM, defaults)

    async def default_briefing(self, guild_id: int | None) -> str | None:
        """The briefing this server chose for a bare /briefing, if the knowledge still has it."""
        if guild_id is None:
            return None
        chosen = await asyncio.to_thread(
            self.workspace_settings.get, str(guild_id), DEFAULT_BRIEFING
        )
        return self.service.known_briefing(chosen)

    async def moderator_roles(self, guild_id: int | None) -> set[str]:
        """The role ids whose members moderate this server: DISCORD_MODERATOR_ROLES and the
        roles its moderators added with /faq moderator-role."""
        roles = set(self.runtime.settings.discord.moderator_roles)
        if guild_id is None:
            return roles
        own = await asyncio.to_thread(
            self.workspace_settings.get_list, str(guild_id), MODERATOR_ROLES
        )
        return roles | set(own)

    async def moderator_channel(self, guild_id: int | None) -> int | None:
        """Where this server's hand-offs go: its own setting, else DISCORD_MODERATOR_CHANNEL_ID."""
        server = str(guild_id or "")
        chosen = await asyncio.to_thread(self.workspace_settings.get, server, MODERATOR_CHANNEL)
        return int(chosen) if chosen and chosen.isdecimal() else None

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def service(self) -> QAService:
        return self.runtime.service

    @property
    def store(self) -> Store:
        return self.runtime.store


def state_of(client: discord.Client) -> BotState:
    """The shared state of the bot that received an event."""
    state = getattr(client, "faq", None)
    if not isinstance(state, BotState):
        raise TypeError(f"{type(client).__name__} is not a bot built by adapters.discord")
    return state
