"""Start the adapters that the settings configure, or the console chat when none is."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from adapters.console import run_console
from bot.health import beat_until, heartbeat_path, keep_beating
from bot.reporting import build_report, render_report_text
from bot.runtime import Runtime, build_runtime
from bot.watch import watch_knowledge, watch_knowledge_blocking
from config import Settings, SettingsError

__all__ = ["configured_platforms", "launch", "serve_supervised"]

_log = logging.getLogger(__name__)

# How long a failed adapter waits before it starts again: longer after each failure in a row,
# so a platform that is down is not hammered, and back to the first after a good run.
RESTART_DELAYS = (1.0, 2.0, 5.0, 15.0, 30.0, 60.0)
# A run this long counts as good: the next failure starts the delays from the first again.
GOOD_RUN_SECONDS = 60.0
# How long a shutdown (SIGTERM, Ctrl-C) may take to finish answers in flight and close up.
SHUTDOWN_SECONDS = 5.0

Runner = Callable[[], Coroutine[Any, Any, None]]

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
    stop_watching = threading.Event()
    if settings.knowledge.watch:
        watcher = threading.Thread(
            target=watch_knowledge_blocking,
            args=(runtime.service, settings.knowledge.dir, settings.knowledge.debounce_ms),
            kwargs={"stop_event": stop_watching, "poll": settings.knowledge.poll},
            daemon=True,
            name="knowledge-watcher",
        )
        watcher.start()

    beating = threading.Thread(
        target=beat_until,
        args=(heartbeat_path(settings.store.local_folder), lambda: _alive(runtime, ["console"])),
        kwargs={"stop": stop_watching},
        daemon=True,
        name="heartbeat",
    )
    beating.start()

    def report() -> str:
        return render_report_text(
            build_report(
                runtime.store,
                runtime.service.library,
                CONSOLE_REPORT_DAYS,
                CONSOLE_REPORT_ROWS,
                knowledge=settings.knowledge.dir,
            )
        )

    previous = _raise_interrupt_on_sigterm()
    try:
        run_console(runtime.service, report=report)
    finally:
        stop_watching.set()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _raise_interrupt_on_sigterm() -> Any:
    """In the console, SIGTERM ends the chat like Ctrl-C: the store is closed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _alive(runtime: Runtime, platforms: list[str]) -> dict[str, object]:
    """What the heartbeat tells `python -m bot health`."""
    return {"platforms": platforms, "knowledge_version": runtime.service.library.version}


async def _serve(runtime: Runtime, platforms: list[str]) -> int:
    runners: dict[str, Runner] = {}
    for platform in platforms:
        adapter = importlib.import_module(f"adapters.{platform}")
        run: Callable[[Runtime], Coroutine[Any, Any, None]] = adapter.run
        runners[platform] = lambda run=run: run(runtime)  # type: ignore[misc]
    settings = runtime.settings
    if settings.knowledge.watch:
        directory, debounce = settings.knowledge.dir, settings.knowledge.debounce_ms
        poll = settings.knowledge.poll
        runners["knowledge watcher"] = lambda: watch_knowledge(
            runtime.service, directory, debounce, poll=poll
        )

    heartbeat = heartbeat_path(settings.store.local_folder)
    runners["heartbeat"] = lambda: keep_beating(heartbeat, lambda: _alive(runtime, platforms))
    _log.info("running: %s", ", ".join(platforms))
    await serve_supervised(runners, platforms=set(platforms))
    return 0


async def serve_supervised(runners: dict[str, Runner], platforms: set[str] | None = None) -> None:
    """Run every runner, each restarted with backoff when it fails, until SIGTERM or SIGINT.

    A runner that stops with a SettingsError (a missing or refused token) is not restarted:
    restarting cannot mend it. When every platform has stopped so, the first such error is
    raised, and the command line reports it.
    """
    platforms = set(runners) if platforms is None else platforms
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    misconfigured: dict[str, SettingsError] = {}
    tasks = {
        asyncio.create_task(_supervise(name, runner, stop, misconfigured), name=name): name
        for name, runner in runners.items()
    }
    try:
        while not stop.is_set():
            if platforms and platforms <= set(misconfigured):
                raise misconfigured[next(iter(sorted(platforms)))]
            if all(task.done() for task in tasks):
                return
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait([stopping, *tasks], return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
        _log.info("shutting down")
    finally:
        for task in tasks:
            task.cancel()
        _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
        for task in pending:
            _log.warning("%s did not stop within %g s", tasks[task], SHUTDOWN_SECONDS)
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)


async def _supervise(
    name: str, runner: Runner, stop: asyncio.Event, misconfigured: dict[str, SettingsError]
) -> None:
    failures = 0
    while not stop.is_set():
        started = _loop_time()
        try:
            await runner()
            return
        except SettingsError as exc:
            _log.error("%s stopped: %s", name, exc)
            misconfigured[name] = exc
            return
        except Exception as exc:  # one part failing must not stop the others
            if _loop_time() - started >= GOOD_RUN_SECONDS:
                failures = 0
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            failures += 1
            _log.error(
                "%s failed (%s: %s); starting it again in %g s",
                name,
                type(exc).__name__,
                exc,
                delay,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)


def _loop_time() -> float:
    return asyncio.get_running_loop().time()
