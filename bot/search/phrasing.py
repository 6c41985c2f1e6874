"""How close a question is to the ways a moderator wrote that people ask for an entry (its
phrasings), and how that closeness settles near-ties between entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, process

__all__ = [
    "EXACT_LEAD_MARGIN",
    "EXACT_PHRASING",
    "REVERSED_NAMES",
    "TIE_MARGIN",
    "names_in_order",
    "phrasing_similarities",
    "reverses_names",
    "settle_near_ties",
    "sorted_words",
]

# Two scores closer than this are a tie between the entries (development and project question
# sets: ties are settled better by the closer phrasing than by the last hundredth of a score).
TIE_MARGIN = 0.01
# Phrasing similarity (0..1) at which the question is one of the entry's phrasings, word for
# word once normalised.
EXACT_PHRASING = 0.999
# ...and leads when it scores this close to the best (a wider tie than TIE_MARGIN); further
# behind, the phrasing is more like another entry's, which `knowledge check` reports.
EXACT_LEAD_MARGIN = 0.03


# The closeness of a phrasing that names the question's two names the other way round
# ("what does Sweden want from Norway" for "what does Norway want from Sweden") is scaled by
# this: both ratios compare sorted words, so they cannot see which name does what to which.
# (Tuning sets: 0.8 scores best of 0.7, 0.8 and 0.9. Against no scaling, over five fold
# draws 3.8 more right answers and 1.6 more wrong; with each knowledge base left out, 7 more
# right and 3 fewer wrong.)
REVERSED_NAMES = 0.8
# Two words name the same ("Norway", "Norwegian") when they share this many first letters.
NAME_STEM = 4


def names_in_order(words: Sequence[str], names: AbstractSet[str]) -> tuple[str, str] | None:
    """The first two different names among the words, in the order written ("Norwegian" and
    "Norway" name one); None when the words hold fewer than two."""
    first: str | None = None
    for word in words:
        if word in names:
            if first is None:
                first = word
            elif not _same_name(word, first):
                return first, word
    return None


def reverses_names(order: tuple[str, str], words: Sequence[str]) -> bool:
    """Whether the words name both names, the second before the first."""
    first = second = None
    for at, word in enumerate(words):
        if first is None and _same_name(word, order[0]):
            first = at
        if second is None and _same_name(word, order[1]):
            second = at
    return first is not None and second is not None and second < first


def _same_name(word: str, name: str) -> bool:
    if len(name) < NAME_STEM or len(word) < NAME_STEM:
        return word == name
    return word[:NAME_STEM] == name[:NAME_STEM]


def phrasing_similarities(query: str, phrasings: Sequence[str]) -> list[float]:
    """0..100 for each phrasing: how alike it and the query (both normalised, words apart by
    one space; each phrasing's words in sorted order) are as sets of words and as sorted
    word sequences.

    token_set_ratio alone gives 100 whenever the question's words are a subset of a phrasing,
    so a bare product name would equal every phrasing that names it; the sorted-words ratio
    (token_sort_ratio, here a plain ratio: the phrasings come sorted) keeps the exact phrasing
    ahead of a mere superset. Each ratio is taken over all phrasings in one call, which reads
    the query once.
    """
    by_set = _ratios(query, phrasings, fuzz.token_set_ratio)
    by_order = _ratios(sorted_words(query), phrasings, fuzz.ratio)
    return [(a + b) / 2 for a, b in zip(by_set, by_order, strict=True)]


def sorted_words(text: str) -> str:
    """The text's words in sorted order, one space apart: as token_sort_ratio compares them."""
    return " ".join(sorted(text.split()))


def _ratios(query: str, phrasings: Sequence[str], scorer: Callable[..., float]) -> list[float]:
    """scorer(query, phrasing) for each phrasing, in their order, in one rapidfuzz call."""
    ratios = [0.0] * len(phrasings)
    for _, score, at in process.extract(query, phrasings, scorer=scorer, limit=None):
        ratios[at] = score
    return ratios


class _Scored(Protocol):
    @property
    def score(self) -> float: ...
    @property
    def phrasing(self) -> float: ...
    @property
    def lacks_wanted_type(self) -> float: ...


_S = TypeVar("_S", bound=_Scored)


def settle_near_ties(matches: Sequence[_S]) -> list[_S]:
    """Best first; when the best scores are within TIE_MARGIN, the closest phrasing of those
    giving the kind of fact asked leads.

    An entry that has the question itself as a phrasing leads when it scores within
    EXACT_LEAD_MARGIN of the best: a moderator wrote that this entry answers exactly this.
    """
    ranked = sorted(matches, key=lambda m: m.score, reverse=True)
    exact = [
        m
        for m in ranked
        if m.phrasing >= EXACT_PHRASING and ranked[0].score - m.score <= EXACT_LEAD_MARGIN
    ]
    if exact:
        ranked.remove(exact[0])
        return [exact[0], *ranked]
    if ranked:
        tied = [m for m in ranked if ranked[0].score - m.score <= TIE_MARGIN]
        # (of those, one that gives the kind of fact asked before one that lacks it)
        closest = max(tied, key=lambda m: (-m.lacks_wanted_type, m.phrasing))
        ranked.remove(closest)
        ranked.insert(0, closest)
    return ranked
