"""Fixtures for the Discord adapter: the fake Discord, settings over a private knowledge copy and
database, and a bot connected to the fake."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
import yarl
from pydantic_settings import BaseSettings

from adapters.discord import FaqBot, ShardedFaqBot, build_bot, serve
from bot.runtime import Runtime, build_runtime
from config import (
    DiscordSettings,
    FeatureSettings,
    KnowledgeSettings,
    Settings,
    SlackSettings,
    StoreSettings,
    load_settings,
)
from tests.discord.fake_discord import GUILD_ID, MOD_CHANNEL_ID, MOD_ROLE_ID, TOKEN, FakeDiscord

_S = TypeVar("_S", bound=BaseSettings)

# discord.py waits this long after the last GUILD_CREATE before it is ready (default 2 s).
GUILD_READY_TIMEOUT = 0.01


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url)
    )
    yield server
    await server.close()
    await _cancel_left_over_tasks()


async def _cancel_left_over_tasks() -> None:
    """Cancel what a closed client left waiting before the test's event loop closes: older
    discord.py versions leave their wait for the guilds to arrive pending, and a task destroyed
    with a closed loop reports an error in whichever test runs next."""
    current = asyncio.current_task()
    left_over = [task for task in asyncio.all_tasks() if task is not current]
    for task in left_over:
        task.cancel()
    await asyncio.gather(*left_over, return_exceptions=True)


def make_settings(
    tmp_path: Path, knowledge_dir: Path, *, feedback_buttons: bool = True, **discord_fields: Any
) -> Settings:
    fields: dict[str, Any] = {
        "token": TOKEN,
        "guild_id": GUILD_ID,
        "moderator_roles": (str(MOD_ROLE_ID),),
        "moderator_channel_id": MOD_CHANNEL_ID,
        "ask_cooldown_seconds": 0,
        **discord_fields,
    }
    return load_settings(
        knowledge=_section(KnowledgeSettings, dir=knowledge_dir, watch=False),
        store=_section(StoreSettings, database=tmp_path / "faqbot.sqlite3"),
        features=_section(FeatureSettings, feedback_buttons=feedback_buttons),
        slack=_section(SlackSettings),
        discord=_section(DiscordSettings, **fields),
    )


def _section(cls: type[_S], **fields: Any) -> _S:
    """A settings section from these values and defaults: a developer's .env is not read."""
    return cls(**{"_env_file": None, **fields})


@dataclass
class Running:
    """A bot connected to the fake Discord, served as the launcher serves it."""

    bot: FaqBot | ShardedFaqBot
    task: asyncio.Task[None]

    @property
    def runtime(self) -> Runtime:
        return self.bot.runtime

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


async def start_bot(fake: FakeDiscord, runtime: Runtime) -> Running:
    bot = build_bot(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT)
    task = asyncio.create_task(serve(bot))
    await fake.until(lambda: bot.is_ready() or task.done(), what="the bot to be ready")
    if task.done():
        task.result()  # raises what stopped it
    return Running(bot, task)


@pytest.fixture
def settings(tmp_path: Path, knowledge_copy: Path) -> Settings:
    return make_settings(tmp_path, knowledge_copy)


@pytest.fixture
async def running(fake: FakeDiscord, settings: Settings) -> AsyncIterator[Running]:
    runtime = build_runtime(settings)
    bot = await start_bot(fake, runtime)
    yield bot
    await bot.stop()
    runtime.store.close()
