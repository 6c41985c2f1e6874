"""What kind of fact a question asks for (a count, a date) and which kinds an answer holds."""

from __future__ import annotations

import re
from enum import Enum

from bot.search.text import clean_text

__all__ = ["AnswerType", "answer_types_of", "wanted_answer_type"]


class AnswerType(Enum):
    COUNT = "count"
    DATE = "date"


_ASKS_COUNT = re.compile(r"\bhow\s+(many|much)\b|\bnumber\s+of\b|\bdeath\s+toll\b", re.I)
_ASKS_DATE = re.compile(
    r"\bwhen\b|\bwhat\s+(year|date|day|month)\b|\bwhich\s+(year|date|day|month)\b", re.I
)
_YEAR = r"\b(1[89]\d\d|20\d\d)\b"
_MONTH_OR_DAY = (
    r"\b(january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_HAS_DATE = re.compile(f"{_YEAR}|{_MONTH_OR_DAY}", re.I)
# "One" and "two" are left out: in "one of the" or "the two countries" they are not counts.
_NUMBER_WORDS = (
    r"\b(three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
    r"hundreds?|thousands?|millions?|billions?)\b"
)
_HAS_COUNT = re.compile(rf"\b\d[\d,.]*\b|{_NUMBER_WORDS}", re.I)


def wanted_answer_type(question: str) -> AnswerType | None:
    text = clean_text(question)
    if _ASKS_COUNT.search(text):
        return AnswerType.COUNT
    if _ASKS_DATE.search(text):
        return AnswerType.DATE
    return None


def answer_types_of(answer: str) -> frozenset[AnswerType]:
    kinds = set()
    if _HAS_DATE.search(answer):
        kinds.add(AnswerType.DATE)
    # A year alone is a date, not a count: "how many died" is not answered by "in 2020".
    if _HAS_COUNT.search(re.sub(_YEAR, " ", answer)):
        kinds.add(AnswerType.COUNT)
    return frozenset(kinds)
