"""Rows of the store as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["EntryFeedback", "EntryUse", "HandoffAdmission", "PinnedBriefing", "UnansweredGroup"]


@dataclass(frozen=True)
class PinnedBriefing:
    """Where a briefing message was posted (and maybe pinned), so it can be edited in place."""

    platform: str  # "slack" | "discord"
    workspace: str  # Slack team id / Discord guild id ("" for DMs)
    channel: str
    message_id: str  # Slack message ts / Discord message id
    briefing_id: str
    knowledge_version: str
    pinned: bool = False


@dataclass(frozen=True)
class UnansweredGroup:
    """Near-duplicate unanswered questions grouped together, most asked first."""

    question: str  # a representative wording
    count: int
    variants: tuple[str, ...]
    last_asked: float  # unix time
    closest_entry: str | None = None  # filled by bot.reporting with the live matcher
    closest_score: float = 0.0


@dataclass(frozen=True)
class EntryFeedback:
    entry_id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class EntryUse:
    entry_id: str
    asked: int
    answered: int


class HandoffAdmission(Enum):
    """What became of a new hand-off offered to the store under the per-person limit."""

    ADDED = "added"
    TOO_MANY = "too many"  # the asker reached the limit: not kept
    NOT_SAVED = "not saved"  # the database could not be used
