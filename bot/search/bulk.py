"""The index's two hot loops done in numpy, for large knowledge.

Filing every term of 100,000 entries into its posting list, and adding up a question's
posting lists over thousands of entries, are one Python step per posting; here they are a
few array operations. Both give exactly what the plain loops in `index.py` give (the same
float64 sums in the same order, the same order among equal scores), so an answer never
depends on which path ran; small knowledge keeps the plain loops and never imports numpy,
which would cost a cold `ask` a tenth of a second.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.search.postings import Postings

__all__ = ["BulkScorer", "postings_of", "saturated"]

_Ids = npt.NDArray[np.int32]
_Floats = npt.NDArray[np.float64]


def postings_of(terms: list[str], frequencies: array[float], term_counts: array[int]) -> Postings:
    """Posting lists from every entry's terms laid end to end: `terms` and `frequencies`
    entry after entry, `term_counts[n]` of them for entry n. Terms keep the order in which
    they first appear, and each list its entries in entry order, as filing them one by one
    would."""
    rows = {term: row for row, term in enumerate(dict.fromkeys(terms))}
    term_rows = np.fromiter(map(rows.__getitem__, terms), dtype=np.int32, count=len(terms))
    counts = np.frombuffer(term_counts, dtype=np.int32)
    numbers = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    order = np.argsort(term_rows, kind="stable")
    starts = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_rows, minlength=len(rows)), out=starts[1:])
    return Postings.from_arrays(
        rows,
        array("q", starts.tobytes()),
        array("i", numbers[order].tobytes()),
        array("f", np.frombuffer(frequencies, dtype=np.float32)[order].tobytes()),
    )


def saturated(frequencies: array[float], k1: float) -> array[float]:
    """BM25's saturation of each term frequency (float64), as float32: the same operations
    as `weights.saturate`, so the same values, for many frequencies at once."""
    if not frequencies:
        return array("f")
    tf = np.frombuffer(frequencies, dtype=np.float64)
    return array("f", (tf * (k1 + 1) / (tf + k1)).astype(np.float32).tobytes())


class BulkScorer:
    """BM25F sums over one index's postings, entry scores held in one array."""

    def __init__(self, postings: Postings, size: int):
        self._postings = postings
        self._size = size
        starts, ids, frequencies = postings.arrays()
        self._starts = np.frombuffer(starts, dtype=np.int64)
        self._ids = np.frombuffer(ids, dtype=np.int32)
        self._frequencies = np.frombuffer(frequencies, dtype=np.float32)
        self._scratch = _Scratch(size)

    def _list(self, term: str) -> tuple[_Ids, npt.NDArray[np.float32]]:
        row = self._postings.row(term)
        start, end = self._starts[row], self._starts[row + 1]
        return self._ids[start:end], self._frequencies[start:end]

    def best(
        self,
        rare: Sequence[tuple[str, float, float]],
        common: Sequence[tuple[str, float, float]],
        depth: int,
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The `depth` entries that the rare terms score highest (ties in the order the
        entries were first found), re-weighed by the common terms and then ranked best first
        (ties in that order): entry -> score, and entry -> the salience of the terms it
        holds. Each term is (term, weight, salience); `rare` comes in the order its lists are
        to be added."""
        lists = [self._list(term) for term, _, _ in rare]
        lengths = [len(ids) for ids, _ in lists]
        ids = np.concatenate([ids for ids, _ in lists])
        weights = np.concatenate([saturated for _, saturated in lists]).astype(np.float64)
        weights *= np.repeat([factor for _, factor, _ in rare], lengths)
        scores, lists_holding = self._scratch.arrays()
        touched = ids.astype(np.intp)  # (numpy's fast path for add.at and for resetting)
        try:
            # Each posting added in turn into float64 sums from zero: list after list, as the
            # plain loops add them, so the sums are the same to the last bit.
            np.add.at(scores, touched, weights)
            # Which lists hold each entry, a bit per list: the entries each list adds first
            # (their order breaks ties), and later the salience each chosen entry holds.
            found: list[_Ids] = []
            for position, (each, _) in enumerate(lists):
                holding = lists_holding[each]
                found.append(each[holding == 0])
                lists_holding[each] = holding | _list_bit(position)
            candidates = np.concatenate(found)
            chosen = candidates[_highest(scores[candidates], depth)]
            chosen_scores = scores[chosen]
            chosen_holding = lists_holding[chosen]
        finally:
            # Zero again for the next question: only the entries this one touched.
            scores[touched] = 0.0
            lists_holding[touched] = 0
        # The salience each chosen entry holds, list after list as the plain loops add it
        # (adding nothing where an entry is not in a list leaves its sum as it was).
        covered = np.zeros(len(chosen))
        for position, ((each, _), (_, _, salience)) in enumerate(zip(lists, rare, strict=True)):
            if position < _SHARED_BIT:
                holds = (chosen_holding & _list_bit(position)) != 0
            else:  # lists past the bits there are share the last one
                holds = _holding(each, chosen)
            covered += holds * salience
        for term, factor, salience in common:
            holds, frequency = self._held(term, chosen)
            chosen_scores += np.where(holds, frequency, 0.0) * factor
            covered += holds * salience
        # Best first, equal scores in the order above: as index._highest would rank them.
        order = np.argsort(-chosen_scores, kind="stable")
        numbers = chosen[order].tolist()
        chosen_scores, covered = chosen_scores[order], covered[order]
        return (
            dict(zip(numbers, chosen_scores.tolist(), strict=True)),
            dict(zip(numbers, covered.tolist(), strict=True)),
        )

    def _held(
        self, term: str, numbers: _Ids
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        """Which of `numbers` hold the term, and their frequencies of it (where they do not,
        a neighbour's: to be masked)."""
        ids, saturated = self._list(term)
        at = _places(ids, numbers)
        return ids[at] == numbers, saturated[at].astype(np.float64)


# Bits of a list-holding mark: one per list for the first lists of a question, the last
# one shared by any further lists (it then only says that the entry was found).
_SHARED_BIT = 7


def _list_bit(position: int) -> np.uint8:
    return np.uint8(1 << min(position, _SHARED_BIT))


def _places(ids: _Ids, numbers: _Ids) -> npt.NDArray[np.intp]:
    """Where each of `numbers` is, or would be, in `ids` (a posting list: sorted, not empty)."""
    return np.minimum(np.searchsorted(ids, numbers), len(ids) - 1)


def _holding(ids: _Ids, numbers: _Ids) -> npt.NDArray[np.bool_]:
    """Which of `numbers` are in `ids` (a posting list: sorted, not empty)."""
    held: npt.NDArray[np.bool_] = ids[_places(ids, numbers)] == numbers
    return held


class _Scratch(threading.local):
    """Per thread, one score and one list-holding mark per entry, kept zero between
    questions. A question touches a few thousand entries: fresh arrays of a million slots
    can cost it more in page faults than in sums (at 1,000,000 entries: 4.3 ms a question
    when the allocator handed back new memory each time, 2.1 ms with these)."""

    def __init__(self, size: int):
        self._size = size
        self._arrays: tuple[_Floats, npt.NDArray[np.uint8]] | None = None

    def arrays(self) -> tuple[_Floats, npt.NDArray[np.uint8]]:
        if self._arrays is None:
            self._arrays = (np.zeros(self._size), np.zeros(self._size, dtype=np.uint8))
        return self._arrays


def _highest(scores: _Floats, count: int) -> npt.NDArray[np.intp]:
    """The positions of the `count` highest scores, best first, equal scores in position
    order (as `index._highest` orders a dict's keys)."""
    if len(scores) > count:
        floor = np.partition(scores, len(scores) - count)[len(scores) - count]
        above = np.flatnonzero(scores >= floor)
    else:
        above = np.arange(len(scores))
    ranked = above[np.argsort(-scores[above], kind="stable")]
    return ranked[:count]


# Letters counted for the slip filter: a..z, and one count for every other character.
_LETTERS = 26


class SlipFilter:
    """The typo buckets' words with their letter counts, to rule out at once those too far
    from a word to be a slip of it.

    One edit (a letter changed, added, dropped or two swapped) changes a word's letter counts
    by at most 2 in all, so a word whose counts differ from another's by more than 2 per edit
    allowed cannot be within reach of it: only the rest is compared letter by letter.
    """

    def __init__(self, buckets: dict[tuple[int, str], list[str]]):
        # Per first letter: its words by length (each length's bucket in its own order), the
        # letter counts of each, the lengths there are and where each starts.
        self._words: dict[str, list[str]] = defaultdict(list)
        self._lengths: dict[str, list[int]] = defaultdict(list)
        self._starts: dict[str, list[int]] = defaultdict(list)
        for (length, letter), words in sorted(buckets.items()):
            self._lengths[letter].append(length)
            self._starts[letter].append(len(self._words[letter]))
            self._words[letter].extend(words)
        # Stored a row per counted letter and a column per word: summing down the columns
        # is several times faster than across short rows.
        self._counts = {
            letter: np.ascontiguousarray(_letter_counts(words).T)
            for letter, words in self._words.items()
        }

    def candidates(self, word: str, lengths: range, max_edits: int) -> list[str]:
        """The words of these lengths, starting with word's first letter, that may be within
        `max_edits` edits of word: by length, then in bucket order."""
        letter = word[0]
        if letter not in self._counts:
            return []
        words, known_lengths, starts = (
            self._words[letter],
            self._lengths[letter],
            self._starts[letter],
        )
        bounds = [*starts, len(words)]
        start = bounds[bisect_left(known_lengths, lengths.start)]
        end = bounds[bisect_left(known_lengths, lengths.stop)]
        counts = self._counts[letter][:, start:end]
        asked = _letter_counts([word])[0][:, np.newaxis]
        distance = np.abs(counts - asked).sum(axis=0, dtype=np.int16)
        return [words[start + at] for at in np.flatnonzero(distance <= 2 * max_edits).tolist()]


def _letter_counts(words: Sequence[str]) -> npt.NDArray[np.int8]:
    """One row per word: how often each of a..z, and any other character, appears in it (at
    most 127: two counts cut there differ by no more than before, so nothing within reach
    is ruled out)."""
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    slots = np.minimum(codes - ord("a"), _LETTERS).astype(np.int64)  # others wrap past 26
    owners = np.repeat(np.arange(len(words)), [len(w) for w in words])
    flat = np.bincount(owners * (_LETTERS + 1) + slots, minlength=len(words) * (_LETTERS + 1))
    return np.minimum(flat, 127).reshape(len(words), _LETTERS + 1).astype(np.int8)
