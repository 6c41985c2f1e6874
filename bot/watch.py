"""Reload the knowledge when its files change, after the editor has finished writing."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfiles import Change, awatch, watch

from bot.knowledge.files import is_editor_file
from bot.service import QAService, ReloadResult

__all__ = ["in_event_loop", "is_knowledge_file", "watch_knowledge", "watch_knowledge_blocking"]

_log = logging.getLogger(__name__)

_KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".md")


def is_knowledge_file(change: Change, path: str) -> bool:
    # Editors' lock, swap and backup files (".#x.yaml", ".x.swp", "x~", "#x#") are not
    # knowledge: the loader skips them the same way.
    name = Path(path).name
    return name.endswith(_KNOWLEDGE_SUFFIXES) and not is_editor_file(name)


def _watch_options(debounce_ms: int, poll: bool = False) -> dict[str, Any]:
    """How changes are batched, the same for the async and the blocking watcher.

    watchfiles yields a batch once no change has come for `step` ms, so `step` is the quiet
    time that keeps a half-written save from being read; `debounce` only caps how long a
    stream of saves can postpone the reload. If a save is read half-written anyway, its
    errors are reported, the last good knowledge keeps serving, and the next write reloads.
    """
    return {
        "watch_filter": is_knowledge_file,
        "step": debounce_ms,
        "debounce": max(4 * debounce_ms, 1600),
        "recursive": True,
        # Polling finds changes on mounts whose file events never arrive; None lets watchfiles
        # decide (it polls by itself where events cannot work at all).
        "force_polling": True if poll else None,
    }


def _log_changes(changes: set[tuple[Change, str]]) -> None:
    _log.info("knowledge files changed: %s", ", ".join(sorted(p for _, p in changes)))


async def watch_knowledge(
    service: QAService,
    directory: Path,
    debounce_ms: int,
    stop_event: asyncio.Event | None = None,
    *,
    poll: bool = False,
) -> None:
    """Reload after each burst of changes, once no file has changed for debounce_ms.

    The reload runs in a worker thread, so answering never waits for it.
    """
    _log.info("watching %s for changes", directory)
    options = _watch_options(debounce_ms, poll)
    async for changes in awatch(directory, stop_event=stop_event, **options):
        _log_changes(changes)
        await asyncio.to_thread(service.reload)


def watch_knowledge_blocking(
    service: QAService,
    directory: Path,
    debounce_ms: int,
    stop_event: threading.Event,
    *,
    poll: bool = False,
) -> None:
    """watch_knowledge for a program without an event loop (the console): run it in a thread."""
    _log.info("watching %s for changes", directory)
    for changes in watch(directory, stop_event=stop_event, **_watch_options(debounce_ms, poll)):
        _log_changes(changes)
        service.reload()  # never raises: a failed reload keeps the last good knowledge


def in_event_loop(
    loop: asyncio.AbstractEventLoop, callback: Callable[[ReloadResult], None]
) -> Callable[[ReloadResult], None]:
    """A reload listener that runs callback in loop's thread.

    The service calls its listeners on whatever thread ran the reload (the watcher's worker
    thread), while an adapter's platform client lives in its event loop.
    """

    def listener(result: ReloadResult) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(callback, result)

    return listener
