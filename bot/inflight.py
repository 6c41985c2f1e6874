"""Work in progress that a shutdown should let finish: answers being written and sent."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

__all__ = ["DRAIN_SECONDS", "InFlight"]

# How long a shutdown waits for answers in progress before it cuts them (the whole shutdown
# has 5 s: adapters.launcher.SHUTDOWN_SECONDS).
DRAIN_SECONDS = 4.0


class InFlight:
    """Counts the handlers running in one event loop; `drain` waits until none is."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        return self._running

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def drain(self, timeout: float = DRAIN_SECONDS) -> bool:
        """Wait for every tracked handler to finish; False when some were still running."""
        try:
            await asyncio.wait_for(asyncio.shield(self._idle.wait()), timeout)
        except TimeoutError:
            return False
        return True
