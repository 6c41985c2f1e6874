"""Live reload: the watcher picks up good edits, rejects bad ones, and waits out partial saves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.service import QAService, ReloadResult
from bot.watch import watch_knowledge

DEBOUNCE_MS = 150
WAIT_SECONDS = 10

ENTRY = """\
entries:
  - id: reload-probe
    question: What is the reload probe?
    answer: {answer}
    phrasings: [tell me about the reload probe zebra]
    citations:
      - source: iran-canada-talks
        section: Contextual Background
        quote: "Canada severed diplomatic relations with Iran in 2012"
"""


class Watched:
    def __init__(self, service: QAService, directory: Path) -> None:
        self.service = service
        self.directory = directory
        self.results: list[ReloadResult] = []
        service.on_reload(self.results.append)

    async def until(self, condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT_SECONDS):
            while not condition():
                await asyncio.sleep(0.02)


@pytest.fixture
async def watched(knowledge_copy: Path) -> AsyncIterator[Watched]:
    service = QAService.from_directory(knowledge_copy)
    stop = asyncio.Event()
    task = asyncio.create_task(watch_knowledge(service, knowledge_copy, DEBOUNCE_MS, stop))
    await asyncio.sleep(0.3)  # let the watcher start before files change
    yield Watched(service, knowledge_copy)
    stop.set()
    await asyncio.wait_for(task, WAIT_SECONDS)


async def test_a_good_edit_is_picked_up_without_restart(watched: Watched) -> None:
    (watched.directory / "probe.yaml").write_text(ENTRY.format(answer="First version."))
    await watched.until(lambda: watched.service.library.entry("reload-probe") is not None)
    answer = watched.service.ask("tell me about the reload probe zebra")
    assert answer.text == "First version."


async def test_a_bad_edit_is_rejected_and_the_old_knowledge_keeps_answering(
    watched: Watched,
) -> None:
    good = watched.service.library
    (watched.directory / "iran-canada" / "faq.yaml").write_text("entries:\n  - id: [broken\n")
    await watched.until(lambda: bool(watched.results))
    result = watched.results[-1]
    assert not result.ok
    assert any("faq.yaml" in str(error) for error in result.errors)
    assert watched.service.library is good
    assert watched.service.ask("when were relations cut").answered


async def test_a_half_written_save_is_not_read(watched: Watched) -> None:
    path = watched.directory / "probe.yaml"
    full = ENTRY.format(answer="Written in two steps.")
    with path.open("w") as handle:
        handle.write(full[: len(full) // 2])
        handle.flush()
        await asyncio.sleep(DEBOUNCE_MS / 1000 / 3)  # well inside the quiet time
        handle.write(full[len(full) // 2 :])
    await watched.until(lambda: bool(watched.results))
    assert all(result.ok for result in watched.results)
    assert watched.service.library.entry("reload-probe") is not None


async def test_rapid_saves_end_on_the_last_version(watched: Watched) -> None:
    path = watched.directory / "probe.yaml"
    for number in range(5):
        path.write_text(ENTRY.format(answer=f"Version {number}."))
        await asyncio.sleep(0.02)
    await watched.until(lambda: watched.service.library.entry("reload-probe") is not None)
    await asyncio.sleep(DEBOUNCE_MS * 3 / 1000)
    entry = watched.service.library.entry("reload-probe")
    assert entry is not None and entry.answer == "Version 4."
    assert len(watched.results) <= 2  # grouped, not one reload per save


async def test_editor_swap_files_do_not_trigger_a_reload(watched: Watched) -> None:
    (watched.directory / ".faq.yaml.swp").write_text("garbage")
    (watched.directory / "notes.txt").write_text("not knowledge")
    await asyncio.sleep(DEBOUNCE_MS * 4 / 1000)
    assert watched.results == []


async def test_in_event_loop_hops_from_the_reload_thread_to_the_loop() -> None:
    import threading

    from bot.watch import in_event_loop

    seen: list[tuple[str, ReloadResult]] = []
    done = asyncio.Event()

    def callback(result: ReloadResult) -> None:
        seen.append((threading.current_thread().name, result))
        done.set()

    listener = in_event_loop(asyncio.get_running_loop(), callback)
    result = ReloadResult(changed=True, version="v2")
    await asyncio.to_thread(listener, result)
    await asyncio.wait_for(done.wait(), WAIT_SECONDS)
    assert seen == [(threading.current_thread().name, result)]


def test_the_console_watcher_reloads_and_stops_when_told(knowledge_copy: Path) -> None:
    import threading
    import time

    from bot.watch import watch_knowledge_blocking

    service = QAService.from_directory(knowledge_copy)
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_knowledge_blocking,
        args=(service, knowledge_copy, DEBOUNCE_MS),
        kwargs={"stop_event": stop},
    )
    watcher.start()
    try:
        time.sleep(0.3)  # let the watcher start before files change
        (knowledge_copy / "probe.yaml").write_text(ENTRY.format(answer="From the console."))
        deadline = time.monotonic() + WAIT_SECONDS
        while service.library.entry("reload-probe") is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert service.library.entry("reload-probe") is not None
    finally:
        stop.set()
        watcher.join(WAIT_SECONDS)
    assert not watcher.is_alive()


def test_polling_can_be_forced_for_mounted_folders() -> None:
    from bot.watch import _watch_options

    assert _watch_options(800)["force_polling"] is None
    assert _watch_options(800, poll=True)["force_polling"] is True
