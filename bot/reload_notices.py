"""What moderators are told about a reload, in the same words on every platform, and when.

The watcher reloads on every save, so a mistake would be reported again at every save until it
is fixed: `ReloadNotices` lets each distinct set of problems through once, and forgets it
after a good reload. Platforms only format the words (Slack blocks, Discord code blocks, the
terminal).
"""

from __future__ import annotations

import threading

from bot.service import ReloadResult

__all__ = ["ReloadNotices", "reload_headline", "reload_problems"]


def reload_headline(result: ReloadResult) -> str:
    """One line: what the reload did."""
    if result.ok:
        state = "updated" if result.changed else "unchanged"
        return f"Knowledge {state} (version {result.version})."
    return (
        f"Knowledge NOT reloaded: {len(result.errors)} problem(s); still serving version "
        f"{result.version}. Fix these and save again:"
    )


def reload_problems(result: ReloadResult) -> str:
    """The problems of a failed reload, one `file:line: entry: message` a line."""
    return "\n".join(str(error) for error in result.errors)


class ReloadNotices:
    """Which failed reloads are worth telling the moderators about."""

    def __init__(self) -> None:
        self._last_told: str | None = None
        self._lock = threading.Lock()  # reloads report from the watcher's thread

    def worth_telling(self, result: ReloadResult) -> bool:
        """True for a failed reload whose problems differ from the last ones told."""
        with self._lock:
            if result.ok:
                self._last_told = None
                return False
            problems = reload_problems(result)
            if problems == self._last_told:
                return False
            self._last_told = problems
            return True
