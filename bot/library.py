"""A knowledge snapshot together with its search index: the unit that a reload swaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.answers import Citation, Suggestion
from bot.gc_pause import cyclic_gc_paused
from bot.knowledge import Entry, KnowledgeError, Snapshot, load_knowledge
from bot.search import Document, SearchIndex
from bot.search.answer_types import declared_answer_types
from bot.search.language import english
from bot.search.policy import Calibration, calibration
from bot.search.text import build_synonym_map

__all__ = ["Library", "build_library", "load_library"]


@dataclass(frozen=True)
class Library:
    snapshot: Snapshot
    index: SearchIndex

    @property
    def policy(self) -> Calibration:
        """The calibrated answer policy, with this knowledge's own thresholds if it sets any."""
        own = self.snapshot.matcher.thresholds
        return calibration().with_thresholds(own.answer, own.suggest)

    @property
    def version(self) -> str:
        return self.snapshot.version

    def entry(self, entry_id: str) -> Entry | None:
        return self.snapshot.by_id.get(entry_id)

    @cached_property
    def source_titles(self) -> tuple[str, ...]:
        """The titles of the source documents the entries cite, the most cited first: read
        once per knowledge version, not at every request for help."""
        cited = Counter(c.source for e in self.snapshot.entries for c in e.citations)
        sources = self.snapshot.sources
        return tuple(sources[s].title for s, _ in cited.most_common() if s in sources)

    def citations_of(self, entry: Entry) -> tuple[Citation, ...]:
        citations = []
        for spec in entry.citations:
            source = self.snapshot.sources[spec.source]
            citations.append(Citation(spec.source, source.title, spec.section, spec.quote))
        return tuple(citations)

    def suggestion(self, entry_id: str) -> Suggestion:
        return Suggestion(entry_id, self.snapshot.by_id[entry_id].question)

    def closest(self, text: str) -> tuple[Suggestion, float] | None:
        """The entry the matcher ranks first for a question's cleaned text, with its score,
        however low (for moderators: what the bot came closest with); None when nothing
        shares a word."""
        matches = self.index.rank(text, limit=1)
        if not matches or matches[0].key not in self.snapshot.by_id:
            return None
        return self.suggestion(matches[0].key), matches[0].score


def build_library(snapshot: Snapshot, previous: Library | None = None) -> Library:
    """The snapshot made searchable; `previous`, the library it replaces, lends the texts it
    has read already."""
    documents = [
        Document(
            key=entry.id,
            phrasings=entry.all_phrasings,
            answer=entry.answer,
            quotes=tuple(c.quote for c in entry.citations),
            answers=declared_answer_types(entry.answers),
        )
        for entry in snapshot.entries
    ]
    settings = snapshot.matcher
    language = english().adapted(
        extra_stop_words=settings.stop_words,
        topic_words=settings.topic_words,
        phrases=settings.phrases,
    )
    # The knowledge's own synonyms first: where a word is in both, its meaning here wins.
    synonyms = build_synonym_map((*snapshot.synonyms, *language.synonyms), language)
    index = SearchIndex(documents, synonyms, language, previous.index if previous else None)
    return Library(snapshot, index)


def load_library(
    directory: Path, previous: Library | None = None
) -> tuple[Library | None, tuple[KnowledgeError, ...]]:
    """Load and index the knowledge; `previous` (a reload) is returned as it is when no file
    changed, and otherwise speeds up indexing the files that did not."""
    with cyclic_gc_paused():
        result = load_knowledge(directory)
        if result.snapshot is None:
            return None, result.errors
        if previous is not None and previous.snapshot.version == result.snapshot.version:
            return previous, ()
        return build_library(result.snapshot, previous), ()
