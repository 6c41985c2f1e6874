"""Reading a word the knowledge does not hold as one it does: a slip of the keyboard
("goverment"), two known words run together ("ebike"), or a slip of an everyday English word
whose term the knowledge holds ("begginers"). A real English word, or a form of one
("tanked", "clocking"), means itself, not the knowledge's word a letter away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from functools import cached_property
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.language import Language
from bot.search.memo import BoundedMemo
from bot.search.postings import Postings
from bot.search.spelling import Spelling, spelling
from bot.search.text import MAX_REMEMBERED_WORDS, Analyzer, holds_in_order

if TYPE_CHECKING:
    from bot.search.bulk import SlipFilter

__all__ = ["KnownWordMender"]

# A word of at least this many letters, not in the vocabulary, may be a typo of one that is...
TYPO_MIN_LENGTH = 4
# ...unless it is an English word at least this common (Zipf scale): then it means itself.
TYPO_REAL_WORD_ZIPF = 3.5
# Words this long may have two slips; shorter ones one (more would turn words into others).
TYPO_TWO_EDITS_LENGTH = 7


# Endings that make another form of an English word ("tanked", "clocking", "sharps").
_FORM_ENDINGS = ("ing", "ed", "es", "s", "ers", "er")


class KnownWordMender:
    """The knowledge's own words (each with its term), to mend question words against. Its
    memo of repairs grows as questions arrive, always towards the same answers."""

    def __init__(
        self,
        surface: Mapping[str, str],
        postings: Postings,
        analyzer: Analyzer,
        language: Language,
        *,
        large: bool,
    ):
        """`large`: many words share a first letter and a length, so candidates are first
        filtered in numpy (bulk.py)."""
        self._surface = surface
        self._postings = postings
        self._analyzer = analyzer
        self._language = language
        self._large = large
        # Made-up words flooding in must not grow the memo without end.
        self._corrections = BoundedMemo(self._closest_known, MAX_REMEMBERED_WORDS)

    @cached_property
    def _typo_buckets(self) -> dict[tuple[int, str], list[str]]:
        """The knowledge's words, the stop words and the question words, by length and first
        letter."""
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for word in (*self._surface, *self._language.stop_words, *self._language.question_words):
            buckets[len(word), word[0]].append(word)
        return buckets

    @cached_property
    def _slip_filter(self) -> SlipFilter | None:
        """For large knowledge: thousands of words share a first letter and a length."""
        if not self._large:
            return None
        from bot.search.bulk import SlipFilter

        return SlipFilter(self._typo_buckets)

    @cached_property
    def _spelling(self) -> Spelling:
        return spelling(self._language)

    def correct(self, word: str) -> str | None:
        """The known term that a word the knowledge does not hold most likely meant, or None:
        a slip of the keyboard ("goverment"), or two known words run together ("ebike").
        "" when it is a slip of a stop word ("ther")."""
        return self._corrections(word)

    def _closest_known(self, word: str, little_words_too: bool = True) -> str | None:
        if (
            len(word) == TYPO_MIN_LENGTH - 1
            and word.isalpha()
            and self._language.zipf.get(word, 0) < TYPO_REAL_WORD_ZIPF
        ):
            return self._letter_dropped(word)
        if len(word) < TYPO_MIN_LENGTH or not word.isalpha():
            return None
        if word in self._language.names or self._language.zipf.get(word, 0) >= TYPO_REAL_WORD_ZIPF:
            return None  # a real word ("stage", "iraq") is not a slip for a known one
        base = self._english_base(word)
        if base is not None:
            # A form of a real word ("tanked", "clocking") means that word, not the
            # knowledge's word a slip away ("talked", "closing"); and "runing" is "run".
            term = self._analyzer.term(base)
            return term if term and term in self._postings else None
        # One slip for a short word, two for a long one: more turns real words into others.
        max_edits = 1 if len(word) < TYPO_TWO_EDITS_LENGTH else 2
        if word in self._language.zipf:
            # An English word, if a rare one ("moaning"), is one slip from what it stands for
            # at most: two slips away lie other words ("moving").
            max_edits = 1
        # Typos rarely hit the first letter; looking only at words that share it keeps this
        # fast on a large vocabulary.
        lengths = range(len(word) - max_edits, len(word) + max_edits + 1)
        if self._slip_filter is not None:
            candidates = self._slip_filter.candidates(word, lengths, max_edits)
        else:
            candidates = []
            for length in lengths:
                candidates.extend(self._typo_buckets.get((length, word[0]), ()))
        if not little_words_too:
            candidates = [known for known in candidates if known in self._surface]
        found = process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=None
        )
        if not found:
            return self._joined_words(word)
        nearest = min(distance for _, distance, _ in found)
        # Among words equally near, the likeliest meant: a stop word or a question word
        # (the commonest words of any text), else the word the most entries use ("servr" is
        # "server" in a game guild's knowledge, not "serve"), else the first.
        meant = min(
            (
                (known in self._surface, -self._entries_using(known), at, known)
                for known, distance, at in found
                if distance == nearest
            )
        )[3]
        # "" for a slip of a stop word or a question word ("ther", "wich")
        return self._surface.get(meant, "")

    def _letter_dropped(self, word: str) -> str | None:
        """The knowledge's one four-letter word that a three-letter one is with a letter left
        out ("cst": cost, "tme": time, the rare English "cot": cost), when it is no common
        English word and no other such word of the knowledge's, nor a stop word, fits."""
        fits = [
            known
            for known in self._typo_buckets.get((TYPO_MIN_LENGTH, word[0]), ())
            if holds_in_order(known, word)
        ]
        if len(fits) != 1 or fits[0] not in self._surface:
            return None
        return self._surface[fits[0]]

    def _english_base(self, word: str) -> str | None:
        """The common English word a word is a form of ("tanked": tank, "clocking": clock,
        "runing": run, "sharps": sharp), or None."""
        zipf = self._language.zipf
        for suffix in _FORM_ENDINGS:
            stem = word[: -len(suffix)]
            if not word.endswith(suffix) or len(stem) < 3:
                continue
            bases = [stem, stem + "e"]
            if len(stem) > 3 and stem[-1] == stem[-2]:
                bases.append(stem[:-1])  # "chopping": chop
            if stem.endswith("i"):
                bases.append(stem[:-1] + "y")  # "tried": try
            for base in bases:
                if zipf.get(base, 0) >= TYPO_REAL_WORD_ZIPF:
                    return base
        return None

    def _entries_using(self, word: str) -> int:
        """How many entries hold the term of one of the knowledge's words (0 for others)."""
        return self._postings.count(self._surface.get(word, ""))

    def _joined_words(self, word: str) -> str | None:
        """The term of the longer part of two known words run together ("ebike", "signup")."""
        for cut in range(1, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if tail in self._surface and (len(head) == 1 or head in self._surface):
                longer = tail if len(tail) >= len(head) else head
                return self._surface[longer]
        return None

    def mended(self, word: str, names: AbstractSet[str]) -> str | None:
        """The known term a word the knowledge does not hold stands for: a slip of a known
        word (correct), else the known term of the English word a slip came from
        ("begginers" is "beginners", and the knowledge says "beginner"); "" for a slip of a
        stop word; None when it is none of these."""
        corrected = self.correct(word)
        if corrected == "" and word in names:
            # A word written as a name is no slip of a little word ("ISBN", "isn"); it may
            # be one of a name the knowledge holds ("Tehan" is as near "than" as "Tehran").
            return self._closest_known(word, little_words_too=False)
        if corrected is not None or word in names or self._english_base(word):
            return corrected
        respelled = self._spelling.respelled(word)
        term = self._analyzer.term(respelled) if respelled else ""
        return term if term and term in self._postings else None
