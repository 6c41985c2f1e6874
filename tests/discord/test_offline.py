"""Started while Discord cannot be reached: one log line per attempt, retried with backoff, no
traceback, and the rest of the bot goes on until it is told to stop."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import socket
from pathlib import Path

import discord
import pytest

from adapters import launcher
from adapters.discord import bot as discord_bot
from bot.logs import ConnectionTracebacks
from bot.runtime import build_runtime
from tests.conftest import KNOWLEDGE_DIR
from tests.discord.conftest import make_settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once the socket closes


async def test_discord_unreachable_at_start_is_retried_in_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{_closed_port()}/api/v10")
    monkeypatch.setattr(launcher, "RESTART_DELAYS", (0.05, 0.1))
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ConnectionTracebacks())
    root = logging.getLogger()
    root.addHandler(handler)
    runtime = build_runtime(make_settings(tmp_path, KNOWLEDGE_DIR))
    attempts = 0

    async def discord_runner() -> None:
        nonlocal attempts
        attempts += 1
        await discord_bot.run(runtime)

    async def stop_after_retries() -> None:
        while attempts < 3:
            await asyncio.sleep(0.02)
        os.kill(os.getpid(), signal.SIGTERM)

    stopper = asyncio.create_task(stop_after_retries())
    try:
        await asyncio.wait_for(launcher.serve_supervised({"discord": discord_runner}), 30)
    finally:
        root.removeHandler(handler)
        runtime.store.close()
    await stopper
    text = output.getvalue()
    failures = [line for line in text.splitlines() if "discord failed" in line]
    assert len(failures) >= 2
    assert "Traceback" not in text
