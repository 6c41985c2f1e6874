"""The index's two hot loops done in numpy, for large knowledge.

Filing every term of 100,000 entries into its posting list, and adding up a question's
posting lists over thousands of entries, are one Python step per posting; here they are a
few array operations. Both give exactly what the plain loops in `index.py` give (the same
float64 sums in the same order, the same order among equal scores), so an answer never
depends on which path ran; small knowledge keeps the plain loops and never imports numpy,
which would cost a cold `ask` a tenth of a second.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.search.postings import Postings

__all__ = ["BulkScorer", "postings_of"]

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


class BulkScorer:
    """BM25F sums over one index's postings, entry scores held in one array."""

    def __init__(self, postings: Postings, size: int):
        self._postings = postings
        self._size = size
        starts, ids, frequencies = postings.arrays()
        self._starts = np.frombuffer(starts, dtype=np.int64)
        self._ids = np.frombuffer(ids, dtype=np.int32)
        self._frequencies = np.frombuffer(frequencies, dtype=np.float32)

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
        """The `depth` entries that the rare terms score highest (best first, ties in the
        order the entries were first found), re-weighed by the common terms: entry -> score,
        and entry -> the salience of the terms it holds. Each term is (term, weight,
        salience); `rare` comes in the order its lists are to be added."""
        scores = np.zeros(self._size)
        seen = np.zeros(self._size, dtype=bool)
        found: list[_Ids] = []
        for term, factor, _ in rare:
            ids, saturated = self._list(term)
            scores[ids] += saturated.astype(np.float64) * factor
            new = ids[~seen[ids]]
            seen[new] = True
            found.append(new)
        candidates = np.concatenate(found)
        chosen = candidates[_highest(scores[candidates], depth)]
        chosen_scores = scores[chosen]
        # Added for every chosen entry, 0 where it does not hold the term: x + 0.0 is x, so
        # the sums are those of adding where it does.
        covered = np.zeros(len(chosen))
        for term, _, salience in rare:
            if salience:
                held, _ = self._held(term, chosen)
                covered += held * salience
        for term, factor, salience in common:
            held, frequency = self._held(term, chosen)
            chosen_scores += np.where(held, frequency, 0.0) * factor
            covered += held * salience
        numbers = chosen.tolist()
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
        at = np.minimum(np.searchsorted(ids, numbers), len(ids) - 1)
        return ids[at] == numbers, saturated[at].astype(np.float64)


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
