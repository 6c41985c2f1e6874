"""Start the adapters that the settings configure, or the console chat when none is."""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from adapters.console import run_console
from bot.reporting import build_report, render_report_text
from bot.runtime import Runtime, build_runtime
from bot.service import ReloadResult
from bot.watch import watch_knowledge, watch_knowledge_blocking
from config import Settings

__all__ = ["configured_platforms", "launch"]

_log = logging.getLogger(__name__)

# How far back the console's `report` command looks, and how many rows each table shows.
CONSOLE_REPORT_DAYS = 30
CONSOLE_REPORT_ROWS = 10


def configured_platforms(settings: Settings) -> list[str]:
    return [
        name
        for name, section in (("slack", settings.slack), ("discord", settings.discord))
        if section.configured
    ]


def launch(settings: Settings, console_only: bool = False) -> int:
    runtime = build_runtime(settings)
    platforms = [] if console_only else configured_platforms(settings)
    try:
        if not platforms:
            return _run_console(runtime)
        return asyncio.run(_serve(runtime, platforms))
    except KeyboardInterrupt:
        return 0
    finally:
        runtime.store.close()


def _run_console(runtime: Runtime) -> int:
    settings = runtime.settings
    runtime.service.on_reload(_print_reload)
    stop_watching = threading.Event()
    if settings.knowledge.watch:
        watcher = threading.Thread(
            target=watch_knowledge_blocking,
            args=(runtime.service, settings.knowledge.dir, settings.knowledge.debounce_ms),
            kwargs={"stop_event": stop_watching},
            daemon=True,
            name="knowledge-watcher",
        )
        watcher.start()

    def report() -> str:
        return render_report_text(
            build_report(
                runtime.store, runtime.service.library, CONSOLE_REPORT_DAYS, CONSOLE_REPORT_ROWS
            )
        )

    try:
        run_console(runtime.service, report=report)
    finally:
        stop_watching.set()
    return 0


def _print_reload(result: ReloadResult) -> None:
    # The console's user is its moderator: tell them about reloads as they happen.
    if not result.ok:
        problems = "\n".join(f"  {e}" for e in result.errors)
        print(f"\n[knowledge NOT reloaded; still serving {result.version}]\n{problems}", flush=True)
    elif result.changed:
        print(f"\n[knowledge reloaded: version {result.version}]", flush=True)


async def _serve(runtime: Runtime, platforms: list[str]) -> int:
    runners: list[Coroutine[Any, Any, None]] = []
    for platform in platforms:
        adapter = importlib.import_module(f"adapters.{platform}")
        run: Callable[[Runtime], Coroutine[Any, Any, None]] = adapter.run
        runners.append(run(runtime))
    settings = runtime.settings
    if settings.knowledge.watch:
        runners.append(
            watch_knowledge(runtime.service, settings.knowledge.dir, settings.knowledge.debounce_ms)
        )
    _log.info("running: %s", ", ".join(platforms))
    await asyncio.gather(*runners)
    return 0
