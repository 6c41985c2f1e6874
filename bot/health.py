"""A health signal for every mode: the running bot rewrites a heartbeat file, and
`python -m bot health` (the Docker HEALTHCHECK) says whether it is fresh.

Slack's HTTP mode also answers GET /health, but Socket Mode and Discord open no port: a file
in the data folder works for all three.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "HEARTBEAT_SECONDS",
    "beat",
    "beat_until",
    "check_health",
    "heartbeat_path",
    "keep_beating",
]

_log = logging.getLogger(__name__)

# How often the running bot rewrites the heartbeat...
HEARTBEAT_SECONDS = 15.0
# ...and how old it may be before the bot counts as down (a few missed beats, not one).
STALE_SECONDS = 60.0
HEARTBEAT_FILE = "heartbeat.json"


def heartbeat_path(folder: Path) -> Path:
    """The heartbeat lives in the data folder (a volume in Docker), beside a SQLite log."""
    return folder / HEARTBEAT_FILE


def beat(path: Path, state: dict[str, object]) -> None:
    """Write the heartbeat atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({"time": time.time(), **state}), encoding="utf-8")
    os.replace(partial, path)


class _Beats:
    """Writes the heartbeat; a failed write is logged once, then retried at each beat."""

    def __init__(self, path: Path, state: Callable[[], dict[str, object]]) -> None:
        self._path, self._state, self._failing = path, state, False

    def once(self) -> None:
        try:
            beat(self._path, self._state())
            self._failing = False
        except OSError as exc:
            if not self._failing:
                _log.warning("cannot write the heartbeat %s (%s)", self._path, exc.strerror or exc)
            self._failing = True


async def keep_beating(path: Path, state: Callable[[], dict[str, object]]) -> None:
    """Rewrite the heartbeat until cancelled (Slack and Discord: on the event loop)."""
    beats = _Beats(path, state)
    while True:
        beats.once()
        await asyncio.sleep(HEARTBEAT_SECONDS)


def beat_until(path: Path, state: Callable[[], dict[str, object]], stop: threading.Event) -> None:
    """Rewrite the heartbeat until `stop` is set (the console: in a thread of its own)."""
    beats = _Beats(path, state)
    beats.once()
    while not stop.wait(HEARTBEAT_SECONDS):
        beats.once()


def check_health(path: Path, now: float | None = None) -> tuple[bool, str]:
    """(healthy, a line saying why)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        age = (time.time() if now is None else now) - float(data["time"])
    except (OSError, ValueError, KeyError, TypeError):
        return False, f"no heartbeat at {path}: is the bot running?"
    if age > STALE_SECONDS:
        return False, f"heartbeat is {age:.0f} s old (more than {STALE_SECONDS:.0f} s)"
    if age < -STALE_SECONDS:  # a clock set back, or a file from elsewhere: proves nothing
        return False, f"heartbeat is dated {-age:.0f} s in the future"
    platforms = ", ".join(str(p) for p in data.get("platforms", ())) or "no platform"
    return True, f"ok: {platforms}, knowledge {data.get('knowledge_version', '?')}, {age:.0f} s ago"
