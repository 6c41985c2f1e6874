"""What the knowledge covers, for browsing: its entries grouped by their first tag.

A moderator's first tag on an entry names its subject ("billing", "security"); entries without
tags share one group. Groups come largest first, so the main subjects lead the list. A subject
asked for by name lists every entry that carries its tag, first or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers import Suggestion
from bot.knowledge.models import Entry

__all__ = ["UNTAGGED", "TopicGroup", "group_topics", "topic_named"]

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


def topic_named(entries: Sequence[Entry], name: str) -> TopicGroup | None:
    """Every entry tagged `name` ("key point" finds the tag key-point), or None."""
    wanted = _tag_key(name)
    if wanted == UNTAGGED:
        topics = [Suggestion(e.id, e.question) for e in entries if not e.tags]
    else:
        topics = [
            Suggestion(e.id, e.question)
            for e in entries
            if any(_tag_key(tag) == wanted for tag in e.tags)
        ]
    return TopicGroup(wanted, tuple(topics)) if topics else None


def _tag_key(tag: str) -> str:
    """A tag as people type it: any case, words apart by spaces, hyphens or underscores."""
    return "-".join(part for part in re.split(r"[\s_-]+", tag.casefold()) if part)
