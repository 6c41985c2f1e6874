"""The launcher keeps the bot up: a failing part is restarted while the others go on, a
misconfigured one stops with its message, and SIGTERM or Ctrl-C shut everything down cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from adapters import launcher
from config import SettingsError
from tests.conftest import PROJECT_ROOT


@pytest.fixture(autouse=True)
def quick_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher, "RESTART_DELAYS", (0.01, 0.02))


async def _terminate_when(condition: object, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition never met"
        await asyncio.sleep(0.01)
    os.kill(os.getpid(), signal.SIGTERM)


async def test_a_failing_part_is_restarted_while_the_others_go_on() -> None:
    starts = {"flaky": 0, "steady": 0}

    async def flaky() -> None:
        starts["flaky"] += 1
        if starts["flaky"] < 3:
            raise RuntimeError("gateway closed")
        await asyncio.Event().wait()

    async def steady() -> None:
        starts["steady"] += 1
        await asyncio.Event().wait()

    terminate = asyncio.create_task(_terminate_when(lambda: starts["flaky"] >= 3))
    started = time.monotonic()
    await launcher.serve_supervised({"flaky": flaky, "steady": steady})
    await terminate
    assert starts == {"flaky": 3, "steady": 1}
    assert time.monotonic() - started < launcher.SHUTDOWN_SECONDS + 5


async def test_a_misconfigured_part_stops_and_the_others_go_on() -> None:
    ran = asyncio.Event()

    async def refused() -> None:
        raise SettingsError("DISCORD_TOKEN was refused by Discord")

    async def fine() -> None:
        ran.set()
        await asyncio.Event().wait()

    terminate = asyncio.create_task(_terminate_when(ran.is_set))
    await launcher.serve_supervised({"discord": refused, "slack": fine})
    await terminate


async def test_when_every_platform_is_misconfigured_the_error_ends_the_run() -> None:
    async def refused() -> None:
        raise SettingsError("SLACK_BOT_TOKEN was refused by Slack")

    async def watcher() -> None:
        await asyncio.Event().wait()

    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        await launcher.serve_supervised(
            {"slack": refused, "knowledge watcher": watcher}, platforms={"slack"}
        )


def test_sigterm_ends_the_console_chat_cleanly(tmp_path: object) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env={**os.environ, "STORE_DATABASE": str(tmp_path) + "/log.sqlite3"},
    )
    assert process.stdout is not None
    process.stdout.readline()  # the greeting: the chat is up
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=launcher.SHUTDOWN_SECONDS) == 0
    assert process.stderr is not None and b"Traceback" not in process.stderr.read()
