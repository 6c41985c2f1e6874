"""The health signal every mode has: a heartbeat file the running bot rewrites, read by
`python -m bot health` (the Docker HEALTHCHECK)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import health
from tests.conftest import PROJECT_ROOT


def test_a_fresh_heartbeat_is_healthy_and_a_stale_or_missing_one_is_not(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    assert not health.check_health(path)[0]
    health.beat(path, {"platforms": ["slack"], "knowledge_version": "abc"})
    healthy, why = health.check_health(path)
    assert healthy and "slack" in why and "abc" in why
    later = json.loads(path.read_text())["time"] + health.STALE_SECONDS + 1
    assert not health.check_health(path, now=later)[0]
    path.write_text("{half a fi")
    assert not health.check_health(path)[0]
    # Dated far in the future (a clock set back, a file copied in): it proves nothing.
    health.beat(path, {"platforms": ["slack"]})
    earlier = json.loads(path.read_text())["time"] - health.STALE_SECONDS - 1
    healthy, why = health.check_health(path, now=earlier)
    assert not healthy and "future" in why


async def test_the_running_bot_keeps_the_heartbeat_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "HEARTBEAT_SECONDS", 0.05)
    path = tmp_path / "data" / "heartbeat.json"
    task = asyncio.create_task(health.keep_beating(path, lambda: {"platforms": ["discord"]}))
    try:
        await asyncio.sleep(0.2)
        first = json.loads(path.read_text())["time"]
        await asyncio.sleep(0.2)
        assert json.loads(path.read_text())["time"] > first
    finally:
        task.cancel()
    assert health.check_health(path)[0]


def test_the_health_command_exits_0_only_while_the_heartbeat_is_fresh(tmp_path: Path) -> None:
    env = {**os.environ, "STORE_DATABASE": str(tmp_path / "faqbot.sqlite3")}
    command = [sys.executable, "-m", "bot", "health"]
    missing = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and "no heartbeat" in missing.stdout
    health.beat(health.heartbeat_path(tmp_path), {"platforms": ["slack"]})
    fresh = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert fresh.returncode == 0 and fresh.stdout.startswith("ok")


def test_the_console_keeps_a_heartbeat_too(tmp_path: Path) -> None:
    """`docker run -it` with no tokens runs the console: its HEALTHCHECK must see it alive."""
    env = {**os.environ, "STORE_DATABASE": str(tmp_path / "faqbot.sqlite3")}
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env=env,
    )
    try:
        assert chat.stdout is not None
        chat.stdout.readline()  # the greeting: the chat is up
        command = [sys.executable, "-m", "bot", "health"]
        checked = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        assert checked.returncode == 0 and "console" in checked.stdout
    finally:
        chat.terminate()
        chat.wait(timeout=30)
