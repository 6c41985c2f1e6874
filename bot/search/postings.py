"""Posting lists packed into flat arrays: which entries hold each term, and how strongly.

A large knowledge base has as many terms as entries (most words are rare), so one Python
object per term (a pair of arrays) costs more than the postings themselves. Here every term
is one dict slot pointing to a row; the rows live end to end in three arrays.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping

__all__ = ["Postings"]


class Postings:
    """term -> the entries holding it (in entry order) with a saturated term frequency."""

    def __init__(self, lists: Mapping[str, tuple[array[int], array[float]]]):
        self._row: dict[str, int] = {}
        self._starts = array("q", [0])
        self._ids = array("i")
        self._frequencies = array("f")
        for row, (term, (ids, frequencies)) in enumerate(lists.items()):
            self._row[term] = row
            self._ids.extend(ids)
            self._frequencies.extend(frequencies)
            self._starts.append(len(self._ids))

    @classmethod
    def from_arrays(
        cls,
        rows: dict[str, int],
        starts: array[int],
        ids: array[int],
        frequencies: array[float],
    ) -> Postings:
        """Postings already packed: term -> row, where row r spans
        `starts[r]:starts[r + 1]` of `ids` and `frequencies`."""
        postings = cls({})
        postings._row, postings._starts = rows, starts
        postings._ids, postings._frequencies = ids, frequencies
        return postings

    def arrays(self) -> tuple[array[int], array[int], array[float]]:
        """The packed rows: starts, entry ids, frequencies (shared, not copies)."""
        return self._starts, self._ids, self._frequencies

    def row(self, term: str) -> int:
        return self._row[term]

    def __contains__(self, term: object) -> bool:
        return term in self._row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def _span(self, term: str) -> tuple[int, int]:
        row = self._row[term]
        return self._starts[row], self._starts[row + 1]

    def count(self, term: str) -> int:
        """How many entries hold the term (0 when none does)."""
        if term not in self._row:
            return 0
        start, end = self._span(term)
        return end - start

    def held_by_more_than(self, entries: float) -> list[str]:
        """The terms that more than this many entries hold."""
        starts = self._starts
        return [t for t, row in self._row.items() if starts[row + 1] - starts[row] > entries]

    def of(self, term: str) -> tuple[array[int], array[float]]:
        """The entries holding the term and their frequencies, as two arrays (copies)."""
        start, end = self._span(term)
        return self._ids[start:end], self._frequencies[start:end]

    def held(self, term: str, number: int) -> float | None:
        """Entry `number`'s frequency of the term, or None when it does not hold it."""
        row = self._row.get(term)
        if row is None:
            return None
        start, end = self._starts[row], self._starts[row + 1]
        at = bisect_left(self._ids, number, start, end)
        return self._frequencies[at] if at < end and self._ids[at] == number else None
