"""A bounded, optionally expiring memory of recent keys: what was seen, and when."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["RecentItems"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentItems(Generic[K, V]):
    """Remembers the newest max_items keys (for ttl_seconds, when given), forgetting the oldest.

    Not thread-safe: an adapter uses it from its event loop; other callers hold a lock.

    Args:
        max_items: how many keys to keep; adding one more forgets the oldest.
        ttl_seconds: forget a key this long after it was added (None: only by count).
        clock: monotonic seconds now; tests inject their own.
    """

    def __init__(
        self,
        max_items: int,
        ttl_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self._max_items = max_items
        self._ttl = ttl_seconds
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def add(self, key: K, value: V) -> bool:
        """Remember key; False (and nothing changes) when it is already remembered."""
        self._expire()
        if key in self._items:
            return False
        self._items[key] = (self._clock(), value)
        while len(self._items) > self._max_items:
            self._items.popitem(last=False)
        return True

    def put(self, key: K, value: V) -> None:
        """Remember key with value, as the newest, whether or not it was remembered."""
        self._items.pop(key, None)
        self.add(key, value)

    def discard(self, key: K) -> None:
        """Forget key, if it is remembered."""
        self._items.pop(key, None)

    def get(self, key: K) -> V | None:
        self._expire()
        item = self._items.get(key)
        return None if item is None else item[1]

    def __contains__(self, key: object) -> bool:
        self._expire()
        return key in self._items

    def __len__(self) -> int:
        self._expire()
        return len(self._items)

    def _expire(self) -> None:
        if self._ttl is None:
            return
        cutoff = self._clock() - self._ttl
        # Keys are in the order they were added, so the stale ones are at the front.
        while self._items:
            added, _ = next(iter(self._items.values()))
            if added > cutoff:
                break
            self._items.popitem(last=False)
