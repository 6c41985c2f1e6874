"""What every Discord handler shares: the core runtime and the per-user cooldown on asking."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import discord

from bot.cooldown import AskCooldown
from bot.inflight import InFlight
from bot.reload_notices import ReloadNotices
from bot.runtime import Runtime
from bot.service import QAService
from bot.store import Store
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
    # (server, forum) of the help forums, read from the store when None
    help_forums: set[tuple[str, str]] | None = None

    def __post_init__(self) -> None:
        self.cooldown = AskCooldown(self.runtime.settings.discord.ask_cooldown_seconds)

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
