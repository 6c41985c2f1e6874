"""Bot processes for tests and benchmarks: `python -m bot run` in Slack HTTP mode, each on its
own port, against a fake Slack, as replicas behind a load balancer would run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port
from tests.slack.fake_slack import FakeSlack

__all__ = ["Replica", "running_replicas"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30.0


@dataclass
class Replica:
    url: str  # where Slack sends events and commands
    process: subprocess.Popen[bytes]


def replica_env(fake: FakeSlack, port: int, database: str, knowledge: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_HOST": "127.0.0.1",
        "SLACK_PORT": str(port),
        "SLACK_API_URL": fake.api_url,
        "SLACK_ASK_COOLDOWN_SECONDS": "0",
        "STORE_DATABASE": database,
        "KNOWLEDGE_DIR": str(knowledge),
        "KNOWLEDGE_WATCH": "false",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.asynccontextmanager
async def running_replicas(
    fake: FakeSlack,
    database: str,
    count: int,
    knowledge: Path = PROJECT_ROOT / "knowledge",
    **environment: str,
) -> AsyncIterator[list[Replica]]:
    """`count` bot processes (`environment` adds to or overrides their settings); yields them
    once each answers its health check."""
    ports = [free_port() for _ in range(count)]
    replicas = [
        Replica(
            f"http://127.0.0.1:{port}/slack/events",
            subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env={**replica_env(fake, port, database, knowledge), **environment},
                cwd=PROJECT_ROOT,
            ),
        )
        for port in ports
    ]
    try:
        async with aiohttp.ClientSession() as session:
            for port, replica in zip(ports, replicas, strict=True):
                await _healthy(session, port, replica.process)
        yield replicas
    finally:
        for replica in replicas:
            if replica.process.poll() is None:
                replica.process.terminate()
        for replica in replicas:
            replica.process.wait(timeout=15)


async def _healthy(
    session: aiohttp.ClientSession, port: int, process: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"a replica exited with {process.returncode}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(f"http://127.0.0.1:{port}/health") as response:
                if response.status == 200:
                    return
        if time.monotonic() > deadline:
            raise RuntimeError("a replica did not start")
        await asyncio.sleep(0.05)
