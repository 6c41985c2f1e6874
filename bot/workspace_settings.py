"""Settings a workspace or server keeps for itself, set by its moderators in chat.

They live in the store, so every replica sees a change; each process remembers what it read
for REFRESH_SECONDS, so a change made through another replica shows within that time (and
at once on the replica that made it). The environment's value is the default for a
workspace that set nothing. Calls read the store: run them off the event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence

from bot.store import Store

__all__ = [
    "DEFAULT_BRIEFING",
    "MODERATORS",
    "MODERATOR_CHANNEL",
    "MODERATOR_ROLES",
    "REFRESH_SECONDS",
    "SharedSet",
    "WorkspaceSettings",
]

# Where questions passed to the moderators go (a channel id).
MODERATOR_CHANNEL = "moderator_channel"
# The workspace's own moderators, besides those of the environment (comma-separated ids).
MODERATORS = "moderators"
# A Discord server's own moderator roles, besides those of the environment (comma-separated).
MODERATOR_ROLES = "moderator_roles"
# The briefing a bare briefing command posts (a briefing id).
DEFAULT_BRIEFING = "default_briefing"
# How long a value read from the store is trusted before it is read again.
REFRESH_SECONDS = 30.0


def _list_value(items: Iterable[str]) -> str | None:
    """How a list setting is kept (None when empty: back to the default)."""
    return ",".join(items) or None


class WorkspaceSettings:
    """One platform's per-workspace settings, over defaults from the environment."""

    def __init__(
        self,
        store: Store,
        platform: str,
        defaults: dict[str, str | None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._platform = platform
        self._defaults = defaults
        self._clock = clock
        self._read: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def get(self, workspace: str, name: str) -> str | None:
        """The workspace's own value, else the default."""
        key = (workspace, name)
        now = self._clock()
        with self._lock:
            cached = self._read.get(key)
        if cached is None or now - cached[0] >= REFRESH_SECONDS:
            own = self._store.workspace_setting(self._platform, workspace, name)
            cached = (now, own)
            with self._lock:
                self._read[key] = cached
        return cached[1] if cached[1] is not None else self._defaults.get(name)

    def get_list(self, workspace: str, name: str) -> list[str]:
        """A setting kept as a list (of member or role ids): the workspace's own, else the
        default; [] when neither is set."""
        return [part for part in (self.get(workspace, name) or "").split(",") if part]

    def set(self, workspace: str, name: str, value: str | None, changed_by: str) -> bool:
        """Set the workspace's own value (None: back to the default); False when not saved."""
        saved = self._store.set_workspace_setting(
            self._platform, workspace, name, value, changed_by
        )
        if saved:
            with self._lock:
                self._read[(workspace, name)] = (self._clock(), value)
        return saved

    def change_list(
        self,
        workspace: str,
        name: str,
        changed_by: str,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> list[str] | None:
        """Add and remove items of the workspace's own list in one step on the store (never
        from a value read earlier, which another replica may have changed since): the list as
        it now stands, or None when it could not be saved."""
        changed = self._store.change_workspace_list(
            self._platform, workspace, name, add, remove, changed_by
        )
        if changed is not None:
            with self._lock:
                self._read[(workspace, name)] = (self._clock(), _list_value(changed))
        return changed


class SharedSet:
    """A set read from the store (help channels, say), read again every REFRESH_SECONDS so
    that a change made on another replica shows here too."""

    def __init__(
        self, read: Callable[[], set[tuple[str, str]]], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._read = read
        self._clock = clock
        self._items: set[tuple[str, str]] | None = None
        self._read_at = 0.0

    def items(self) -> set[tuple[str, str]]:
        now = self._clock()
        if self._items is None or now - self._read_at >= REFRESH_SECONDS:
            self._items, self._read_at = self._read(), now
        return self._items

    def forget(self) -> None:
        """Read again on next use (after this process changed it)."""
        self._items = None
