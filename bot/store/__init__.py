"""The question and feedback log, reports over it, and the pinned-briefing registry (SQLite)."""

from bot.store.models import (
    EntryFeedback,
    EntryUse,
    HandoffAdmission,
    PinnedBriefing,
    UnansweredGroup,
)
from bot.store.store import Store

__all__ = [
    "EntryFeedback",
    "EntryUse",
    "HandoffAdmission",
    "PinnedBriefing",
    "Store",
    "UnansweredGroup",
]
