"""Briefings as data: the title, the chosen entries' answers and their citations, in order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers import Citation
from bot.knowledge import Briefing
from bot.library import Library

__all__ = ["BriefingItem", "BriefingView", "render_briefing"]


@dataclass(frozen=True)
class BriefingItem:
    entry_id: str
    question: str
    answer: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class BriefingView:
    """A briefing ready for an adapter to fit to its platform's message limits."""

    id: str
    title: str
    intro: str
    items: tuple[BriefingItem, ...]
    knowledge_version: str

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct source titles the items cite, in order of first use."""
        titles = (c.source_title for item in self.items for c in item.citations)
        return tuple(dict.fromkeys(titles))


def render_briefing(library: Library, briefing: Briefing) -> BriefingView:
    items = []
    for entry_id in briefing.entries:
        entry = library.snapshot.by_id[entry_id]
        items.append(
            BriefingItem(entry.id, entry.question, entry.answer, library.citations_of(entry))
        )
    return BriefingView(briefing.id, briefing.title, briefing.intro, tuple(items), library.version)
