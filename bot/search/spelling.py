"""Slips of the keyboard in common English words ("teh", "begginers", "recieve").

The matcher weighs a word the knowledge does not hold by how rare it is in English: a rare
word says the question is about something the knowledge lacks. A slip makes any word look
rare, so a word that is not English but one slip from a common English word is read as that
word. Names are left alone: the caller skips words written with a capital.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from rapidfuzz.distance import OSA

from bot.search.language import Language
from bot.search.memo import BoundedMemo

__all__ = ["Spelling", "spelling"]

# Only words at least this common (Zipf scale) are candidates: slips hit everyday words, and
# rare ones would turn real but uncommon words ("distros") into others.
COMMON_ZIPF = 3.5
# Three-letter words are respelled only by swapping two letters ("teh"): one other slip
# reaches too many words ("pas": pay, was, has, pan).
MIN_LENGTH = 3
SWAP_ONLY_BELOW = 4
# A real word is read as the stop word two swapped letters make of it only when that one is
# this much more common (Zipf scale: 1.5 is about 30 times): "dose" for "does", not "form"
# for "from".
SWAP_MORE_COMMON = 1.5
# Long words may carry two slips ("begginers"); shorter ones one.
TWO_SLIPS_FROM = 8
# Respellings remembered at most.
MAX_REMEMBERED = 100_000


class Spelling:
    """English words by length and first letter, for finding the one a slip came from."""

    def __init__(self, zipf: Mapping[str, float]):
        self._zipf = zipf
        self._buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for word, frequency in zipf.items():
            if frequency >= COMMON_ZIPF:
                self._buckets[len(word), word[0]].append(word)
        # The slips of one process's questions, not every made-up word ever typed.
        self._respellings = BoundedMemo(self._respelled, MAX_REMEMBERED)

    def respelled(self, word: str) -> str | None:
        """The common English word one slip away from a word that is not English, or None.
        Ties go to the more common word; a slip of the first letter is not looked for."""
        return self._respellings(word)

    def _respelled(self, word: str) -> str | None:
        if len(word) >= MIN_LENGTH and word.isalpha() and word not in self._zipf:
            return self._closest(word)
        return None

    def swapped_from(self, word: str, among: frozenset[str]) -> str | None:
        """The word of `among` (the stop words, say) that two swapped letters turned into
        this one, when that word is far more common: "dose" typed for "does". A real word
        then, but in a question whose knowledge lacks it, most likely that slip."""
        if len(word) < MIN_LENGTH:
            return None  # "fi" of "sci-fi" is no slip of "if"
        frequency = self._zipf.get(word, 0.0)
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped in among and self._zipf.get(swapped, 0.0) - frequency >= SWAP_MORE_COMMON:
                return swapped
        return None

    def slip_of(self, word: str, among: AbstractSet[str]) -> str | None:
        """The word of `among` one slip away from this one, when it is no English word:
        "giude" of "guide". Short words are left alone: one slip turns them into others."""
        if len(word) <= SWAP_ONLY_BELOW or word in self._zipf:
            return None
        return next((w for w in among if OSA.distance(word, w, score_cutoff=1) <= 1), None)

    def _closest(self, word: str) -> str | None:
        if len(word) < SWAP_ONLY_BELOW:
            swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
            candidates = [w for w in swaps if w in self._zipf]
        else:
            slips = 2 if len(word) >= TWO_SLIPS_FROM else 1
            candidates = [
                candidate
                for length in range(len(word) - slips, len(word) + slips + 1)
                for candidate in self._buckets.get((length, word[0]), ())
                if OSA.distance(word, candidate, score_cutoff=slips) <= slips
            ]
            if candidates:
                nearest = min(OSA.distance(word, c) for c in candidates)
                candidates = [c for c in candidates if OSA.distance(word, c) == nearest]
        if not candidates:
            return None
        return max(candidates, key=lambda w: (self._zipf[w], w))


_SHARED: dict[int, Spelling] = {}


def spelling(language: Language) -> Spelling:
    """One Spelling per word-frequency table, shared by every index built on it."""
    key = id(language.zipf)
    if key not in _SHARED:
        _SHARED[key] = Spelling(language.zipf)
    return _SHARED[key]
