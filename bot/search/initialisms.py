"""Initialisms the knowledge spells out: "BGH" for the "Bergen General Hospital" it writes.

People shorten names that recur ("the ICU", "a PR", "my DFA claim") where the knowledge
writes them in full. An all-capital word the knowledge does not hold is read as the run of
words whose first letters spell it, when the knowledge clearly has one such run: written
with capitals as a name, or recurring often enough that the shortening is a habit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

from bot.search.memo import BoundedMemo

__all__ = ["Initialisms", "may_hold_initialisms"]

# Initialisms of two to five letters, with a plural "s" ("PRs"); longer ones are words.
_INITIALISM = re.compile(r"(?<![\w.])([A-Z]{2,5})(s?)(?![\w.])")
# A run written in lower case spells an initialism only when it recurs this often: two
# chance runs ("Thursday April") should not read as "TA".
HABIT_COUNT = 3
# Initialisms remembered at most (a stream of made-up ones must not grow memory for ever).
MAX_REMEMBERED = 10_000


def may_hold_initialisms(text: str) -> bool:
    """Whether `text` writes a word the way an initialism is written (cheap, to skip the
    rest)."""
    return _INITIALISM.search(text) is not None and not text.isupper()


class Initialisms:
    """Which run of the knowledge's words each initialism stands for, found the first time a
    question writes it (few do; reading every run of words up front would cost seconds at
    100,000 entries)."""

    def __init__(self, texts: Callable[[], Iterable[str]], stop_words: AbstractSet[str]) -> None:
        self._texts = texts
        self._stop_words = stop_words
        self._spelled = BoundedMemo(self._find, MAX_REMEMBERED)

    def spelled_out(self, letters: str) -> str | None:
        """The run of words the knowledge writes for `letters` ("BGH"), if it clearly has one."""
        return self._spelled(letters)

    def _find(self, letters: str) -> str | None:
        # One pass over all the texts joined, a line each: a run stays within its line.
        run = re.compile(
            r"(?<![\w'’-])"
            + r"[^\S\n]+".join(f"({re.escape(letter)}[\\w'’]*)" for letter in letters)
            + r"(?![\w'’-])",
            re.IGNORECASE,
        )
        named: Counter[str] = Counter()
        plain: Counter[str] = Counter()
        for found in run.finditer("\n".join(self._texts())):
            words = found.groups()
            if any(word.casefold() in self._stop_words for word in words):
                continue
            phrase = " ".join(words)
            if all(word[0].isupper() for word in words):
                named[phrase] += 1
            plain[phrase.casefold()] += 1
        return _clear_winner(named) or _clear_winner(plain, HABIT_COUNT)

    def expand(self, text: str, known: Callable[[str], bool]) -> str:
        """`text` with each initialism the knowledge does not hold (`known` says which it
        does) spelled out; all-capital text is shouting, not initialisms."""
        if text.isupper():
            return text

        def spell(found: re.Match[str]) -> str:
            letters, plural = found.group(1), found.group(2)
            spelled = None if known(found.group()) else self.spelled_out(letters)
            if not spelled:
                return found.group()
            return spelled if spelled.endswith("s") else f"{spelled}{plural}"

        return _INITIALISM.sub(spell, text)


def _clear_winner(counts: Counter[str], least: int = 1) -> str | None:
    """The most frequent run, when it recurs `least` times and more than any other."""
    if not counts:
        return None
    (best, count), (_, runner_up) = [*counts.most_common(2), ("", 0)][:2]
    return best if count >= least and count > runner_up else None
