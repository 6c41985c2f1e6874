"""One question per user per period, the same rule on every platform.

A user who asks faster is told how long to wait, in the same words everywhere; the bot keeps
answering everyone else. With a store, replicas sharing it keep one count per user: a user
behind a load balancer cannot ask once per replica.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store import Store

__all__ = ["AskCooldown", "cooldown_note"]

# Users remembered before those whose period is over are dropped (a bounded memory).
PRUNE_ABOVE = 10_000
# What a question's claim on its asker's period is filed under in the store.
CLAIM_KIND = "ask-cooldown"


def cooldown_note(wait: float) -> str:
    return f"One question at a time, please: ask again in {max(1, math.ceil(wait))} s."


class AskCooldown:
    """Counts each user's questions; `retry_after` says whether one may be asked now."""

    def __init__(
        self,
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
        store: Store | None = None,
        platform: str = "",
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._store = store
        self._platform = platform
        self._asked: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, user: str | int) -> float:
        """0 when the user may ask now (and the question is counted), else the seconds left."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        key = str(user)
        with self._lock:
            last = self._asked.get(key)
            if last is not None and now - last < self.seconds:
                return self.seconds - (now - last)
            self._asked[key] = now
            if len(self._asked) > PRUNE_ABOVE:
                self._asked = {u: t for u, t in self._asked.items() if now - t < self.seconds}
            return 0.0

    def shared_retry_after(self, user: str | int) -> float:
        """As retry_after, counting the questions asked through every process that shares the
        store too. It reads the store: run it off the event loop."""
        wait = self.retry_after(user)
        if wait or self.seconds <= 0 or self._store is None:
            return wait
        key, now = f"{self._platform}:{user}", time.time()
        if self._store.claim(CLAIM_KIND, key, self.seconds, repr(now)) is not False:
            return 0.0  # taken here (or the store cannot say: this process decides alone)
        asked = self._store.claimed(CLAIM_KIND, key)
        try:
            return max(1.0, self.seconds - (now - float(asked or now)))
        except ValueError:
            return self.seconds
