"""The question and feedback log, reports over it, and the pinned-briefing registry (SQLite)."""

from bot.store.models import EntryFeedback, EntryUse, PinnedBriefing, UnansweredGroup
from bot.store.store import Store

__all__ = ["EntryFeedback", "EntryUse", "PinnedBriefing", "Store", "UnansweredGroup"]
