"""What the core hands to every adapter: an answer as data, before any platform renders it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.textfit import shorten, shorten_start

__all__ = ["Answer", "Citation", "Outcome", "Suggestion"]


# How much of the earlier question a follow-up's "did you mean" quotes: its end, where a
# long message asks.
FOLLOWS_SHOWN_CHARS = 80
# ...and of a question the reply to a message of several questions does not answer.
UNANSWERED_SHOWN_CHARS = 120
# How many source titles a help reply names before it counts the rest.
SOURCES_NAMED = 3
# Why the bot gives no opinion, wherever it declines one.
_SOURCES_ONLY = "I only report what my sources say."


class Outcome(StrEnum):
    ANSWERED = "answered"
    DID_YOU_MEAN = "did_you_mean"
    UNKNOWN = "unknown"
    EMPTY = "empty"  # nothing to search for: blank, only stop words, "+1", "thanks"
    OPINION = "opinion"  # asks for a judgement or a prediction, which the knowledge cannot give
    PERSON = "person"  # asks for a person ("talk to a human"): the way to the moderators


@dataclass(frozen=True)
class Citation:
    source: str
    source_title: str
    section: str
    quote: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source_title, "section": self.section, "quote": self.quote}


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    question: str

    def to_json(self) -> dict[str, str]:
        return {"entry_id": self.entry_id, "question": self.question}


@dataclass(frozen=True)
class Answer:
    """The core's reply to one question. `text` is set only when answered."""

    question: str
    outcome: Outcome
    text: str | None = None
    confidence: float = 0.0
    entry_id: str | None = None
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    answer_id: str = ""
    knowledge_version: str = ""
    # A follow-up ("why?"): the conversation's earlier question it was read with, shown with
    # "did you mean" so that a wrong reading is plain to see.
    follows: str = ""
    # Not answered, and written in a language the bot cannot read: the reply says so, rather
    # than that the knowledge lacks the subject.
    in_another_language: bool = False
    # A message that asked several things: the entries that answer its other questions, in
    # the order their answers follow `entry_id`'s.
    more_entry_ids: tuple[str, ...] = ()
    # A message that asked several things: those of its questions the reply does not answer,
    # which it says it does not know (and the log keeps for the moderators).
    unanswered_parts: tuple[str, ...] = ()
    # ...and those asking for a judgement ("was that fair?"), which it says it cannot give.
    opinion_parts: tuple[str, ...] = ()
    # A request for help with the bot itself ("help", "sources?"): the titles of the source
    # documents it answers from.
    sources: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def message(self) -> str:
        """The reply's lead sentence, in words, for any outcome."""
        if self.outcome is Outcome.ANSWERED and self.text:
            notes = []
            if self.unanswered_parts:
                notes.append(f"I don't know the answer to {_quoted(self.unanswered_parts)}.")
            if self.opinion_parts:
                notes.append(f"I can't judge {_quoted(self.opinion_parts)}: {_SOURCES_ONLY}")
            return "\n\n".join([self.text, *notes])
        if self.outcome is Outcome.DID_YOU_MEAN:
            if self.in_another_language:
                return "I can only read questions in English. Is it one of these?"
            if self.follows:
                earlier = shorten_start(" ".join(self.follows.split()), FOLLOWS_SHOWN_CHARS)
                return f"Following on from “{earlier}”, I'm not sure which of these you mean:"
            return "I'm not sure which of these you mean:"
        if self.outcome is Outcome.EMPTY:
            if not self.suggestions:
                return "Ask me a question in words whenever you like."
            if self.sources:
                return (
                    f"Ask me a question in words. I answer from {_sources_named(self.sources)}. "
                    "Some things I can answer:"
                )
            return "Ask me a question in words. Some things I can answer:"
        if self.outcome is Outcome.OPINION:
            if self.suggestions:
                return f"I can't judge that: {_SOURCES_ONLY} On this topic:"
            return f"I can't judge that: {_SOURCES_ONLY}"
        if self.outcome is Outcome.PERSON:
            return (
                "I'm the FAQ bot: I only answer from the knowledge I was given. To reach a "
                "person, use Ask a moderator (where it is set up), or ask in the channel."
            )
        if self.in_another_language:
            if self.suggestions:
                return "I can only read questions in English. The closest topics I do know:"
            return "I can only read questions in English, and I found nothing close to this one."
        if self.suggestions:
            return "I don't know that one. The closest topics I do know:"
        return "I don't know that one, and nothing in my knowledge comes close."

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            # which reply it is: "did_you_mean" and "unknown" differ in what to show
            "outcome": self.outcome.value,
            "answer": self.text if self.answered else None,
            "confidence": round(self.confidence, 4),
            "entry_id": self.entry_id if self.answered else None,
            "more_entry_ids": list(self.more_entry_ids) if self.answered else [],
            "unanswered_parts": list(self.unanswered_parts) if self.answered else [],
            "opinion_parts": list(self.opinion_parts) if self.answered else [],
            "citations": [c.to_json() for c in self.citations] if self.answered else [],
            "suggestions": [s.to_json() for s in self.suggestions],
            "sources": list(self.sources),
        }


def _sources_named(titles: tuple[str, ...]) -> str:
    """Source titles quoted in a sentence, the first few of a long list and how many more."""
    if len(titles) <= SOURCES_NAMED:
        return _quoted(titles)
    shown = ", ".join(_quoted((title,)) for title in titles[:SOURCES_NAMED])
    return f"{shown} and {len(titles) - SOURCES_NAMED} more"


def _quoted(questions: tuple[str, ...]) -> str:
    """Questions quoted in a sentence: “A”, “B” and “C”."""
    quoted = [f"“{shorten(' '.join(q.split()), UNANSWERED_SHOWN_CHARS)}”" for q in questions]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]
