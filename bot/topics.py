"""What the knowledge covers, for browsing: its entries grouped by their first tag.

A moderator's first tag on an entry names its subject ("billing", "security"); entries without
tags share one group. Groups come largest first, so the main subjects lead the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers import Suggestion
from bot.knowledge.models import Entry

__all__ = ["UNTAGGED", "TopicGroup", "group_topics"]

UNTAGGED = "other"


@dataclass(frozen=True)
class TopicGroup:
    name: str
    topics: tuple[Suggestion, ...]


def group_topics(entries: Sequence[Entry]) -> tuple[TopicGroup, ...]:
    groups: dict[str, list[Suggestion]] = {}
    for entry in entries:
        name = entry.tags[0].casefold() if entry.tags else UNTAGGED
        groups.setdefault(name, []).append(Suggestion(entry.id, entry.question))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0] == UNTAGGED, item[0]))
    return tuple(TopicGroup(name, tuple(topics)) for name, topics in ordered)
