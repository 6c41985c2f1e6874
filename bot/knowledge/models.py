"""The shapes of knowledge: entries, citations, briefings and the source documents they cite."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

__all__ = [
    "Briefing",
    "CitationSpec",
    "Entry",
    "KnowledgeFile",
    "MatcherSettings",
    "Section",
    "SourceDocument",
]

EntryId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=2, max_length=64),
]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A tag names a subject in the chat menus that browse the knowledge, where an option holds
# 75 characters on Slack and 100 on Discord: a longer tag would be cut there, and two cut
# alike would be one option.
MAX_TAG_CHARS = 50
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TAG_CHARS)
]
# Discord's @everyone and @here; Slack's <!channel>, <!here> and <!everyone>, with or without
# a label (<!here|here>). After a letter, digit or "_", "@everyone" is part of a word, such as
# an e-mail address (team@everyone.com), and pings no one.
_MASS_MENTION = re.compile(
    r"(?<!\w)@(?:everyone|here)|<!(?:channel|here|everyone)(?:\|[^>]*)?>", re.IGNORECASE
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CitationSpec(_Strict):
    """Where an answer comes from: a source document, one of its sections, and a verbatim quote."""

    source: NonBlank
    section: NonBlank
    quote: NonBlank


class Entry(_Strict):
    """One answerable fact or FAQ item."""

    id: EntryId
    question: NonBlank = Field(description="The question as shown in 'did you mean' lists.")
    answer: NonBlank = Field(description="One to three sentences for chat, the fact first.")
    phrasings: tuple[NonBlank, ...] = Field(
        default=(), description="Other ways people ask for this entry."
    )
    citations: tuple[CitationSpec, ...] = Field(min_length=1)
    tags: tuple[Tag, ...] = Field(
        default=(), description="Labels for browsing and filtering; not matched as text."
    )
    answers: tuple[
        Literal[
            "when",
            "how-many",
            "who",
            "where",
            "how-long",
            "price",
            "contact",
            "weight",
            "speed",
            "distance",
            "age",
            "predecessor",
        ],
        ...,
    ] = Field(
        default=(),
        description="Kinds of fact the answer gives that the matcher may not see in its words.",
    )

    @field_validator("answer", "question")
    @classmethod
    def _no_mass_mentions(cls, value: str) -> str:
        # Knowledge text is echoed into chat; it must never carry a ping.
        ping = _MASS_MENTION.search(value)
        if ping:
            raise ValueError(f"must not contain the mass mention {ping.group().lower()!r}")
        return value

    @property
    def all_phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.phrasings)


class Briefing(_Strict):
    """An ordered, moderator-chosen selection of entries, posted and pinned as one message."""

    id: EntryId
    title: NonBlank
    intro: str = ""
    entries: tuple[EntryId, ...] = Field(min_length=1)

    @field_validator("entries")
    @classmethod
    def _each_once(cls, entries: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({entry for entry in entries if entries.count(entry) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(map(repr, repeated))} more than once")
        return entries


class KnowledgeFile(_Strict):
    """What one YAML file under knowledge/ may hold."""

    entries: tuple[Entry, ...] = ()
    briefings: tuple[Briefing, ...] = ()
    synonyms: tuple[tuple[NonBlank, ...], ...] = Field(
        default=(), description="Groups of words that mean the same in questions."
    )


class Thresholds(_Strict):
    """Overrides of the calibrated answer policy for one knowledge base (probabilities)."""

    answer: float | None = Field(default=None, ge=0, le=1)
    suggest: float | None = Field(default=None, ge=0, le=1)


class MatcherSettings(_Strict):
    """`matcher.yaml`: what one knowledge base needs of the matcher beyond plain English."""

    stop_words: tuple[NonBlank, ...] = Field(
        default=(), description="Words that carry no topic in this knowledge."
    )
    topic_words: tuple[NonBlank, ...] = Field(
        default=(), description="Words the English data skips that are topics here."
    )
    phrases: tuple[NonBlank, ...] = Field(
        default=(), description="Several words read as one term, e.g. 'pull request'."
    )
    synonyms: tuple[tuple[NonBlank, ...], ...] = Field(
        default=(), description="Groups of words that mean the same in questions."
    )
    thresholds: Thresholds = Thresholds()


@dataclass(frozen=True)
class Section:
    """A headed part of a source document."""

    title: str
    text: str
    line: int


@dataclass(frozen=True)
class SourceDocument:
    """A cited document: the article or page that answers quote from."""

    id: str
    title: str
    path: str
    sections: tuple[Section, ...] = field(default=())

    def section(self, title: str) -> Section | None:
        return self._by_title.get(title.casefold())

    @cached_property
    def _by_title(self) -> dict[str, Section]:
        # Every citation looks its section up: a dict keeps that constant however many
        # sections the document has. The first of two same-named sections wins.
        by_title: dict[str, Section] = {}
        for section in self.sections:
            by_title.setdefault(section.title.casefold(), section)
        return by_title
