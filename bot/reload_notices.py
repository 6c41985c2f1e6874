"""What moderators are told about a reload, in the same words on every platform, and when.

The watcher reloads on every save, so a mistake would be reported again at every save until it
is fixed: `ReloadNotices` lets each distinct set of problems through once, and forgets it
after a good reload. It also says when a good reload ends a run of failed ones: restoring the
broken file makes the files the same as the version still served, a reload that changes
nothing, which would otherwise pass in silence after a "NOT reloaded". Platforms only format
the words (Slack blocks, Discord code blocks, the terminal).
"""

from __future__ import annotations

import threading

from bot.service import ReloadResult

__all__ = ["ReloadNotices", "reload_fixed_headline", "reload_headline", "reload_problems"]


def reload_headline(result: ReloadResult) -> str:
    """One line: what the reload did."""
    if result.ok:
        state = "updated" if result.changed else "unchanged"
        return f"Knowledge {state} (version {result.version})."
    return (
        f"Knowledge NOT reloaded: {len(result.errors)} problem(s); still serving version "
        f"{result.version}. Fix these and save again:"
    )


def reload_fixed_headline(result: ReloadResult) -> str:
    """One line for a good reload after failed ones: the problems are gone, this version is live."""
    if result.changed:
        return f"Knowledge problems fixed: version {result.version} is live."
    return f"Knowledge problems fixed: version {result.version} is live (the files match it again)."


def reload_problems(result: ReloadResult) -> str:
    """The problems of a failed reload, one `file:line: entry: message` a line."""
    return "\n".join(str(error) for error in result.errors)


class ReloadNotices:
    """Which failed reloads are worth telling the moderators about, and which fix them."""

    def __init__(self) -> None:
        self._last_told: str | None = None
        self._failing = False  # the last reload fixed() saw failed
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

    def fixed(self, result: ReloadResult) -> bool:
        """True for a good reload right after a failed one (changed or not): the problems are
        fixed. Kept apart from worth_telling, so a platform may ask both of each result."""
        with self._lock:
            was_failing, self._failing = self._failing, not result.ok
            return result.ok and was_failing
