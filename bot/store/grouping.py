"""Group near-duplicate wordings of unanswered questions, so a report shows each gap once."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from bot.search.text import plain_words
from bot.store.models import UnansweredGroup

__all__ = ["MAX_VARIANTS", "NEAR_DUPLICATE_SCORE", "group_near_duplicates"]

# fuzz.token_sort_ratio of two normalised questions at or above which they are one question:
# rewordings ("how do i reset password" / "how do I reset my password?") score 90 or more,
# different questions on one topic ("reset" / "change password") score about 72.
NEAR_DUPLICATE_SCORE = 85
_NUMBER = re.compile(r"\d+")
# Wordings kept per group, most frequent first: enough to show how people ask.
MAX_VARIANTS = 10
# Each wording is compared with every group before it, so the most asked this many distinct
# wordings are grouped by likeness; the rest (each asked as rarely as the least of those, or
# less) keep only their exact rewordings together. Without the bound, 20,000 distinct
# unanswered questions took 80 s to group, on every report and every Slack Home tab.
MAX_COMPARED_WORDINGS = 1_500


def group_near_duplicates(asked: Iterable[tuple[str, float]], limit: int) -> list[UnansweredGroup]:
    """Group (text, asked_at) pairs; the most asked groups first, then the most recent.

    Each normalised question joins the group of the first (most asked) one it is close to,
    so a group never drifts far from its most asked form. A group is named by its most
    frequent wording; ties go to the most recent.
    """
    count: Counter[str] = Counter()  # by wording as shown (whitespace tidied)
    last: dict[str, float] = {}
    for text, when in asked:
        wording = " ".join(text.split())
        count[wording] += 1
        last[wording] = max(last.get(wording, when), when)

    def rank(wordings: Sequence[str]) -> tuple[int, float, str]:
        return -sum(count[w] for w in wordings), -max(last[w] for w in wordings), wordings[0]

    by_key: dict[str, list[str]] = defaultdict(list)
    for wording in sorted(count, key=lambda w: rank([w])):
        key = plain_words(wording)
        if key:
            by_key[key].append(wording)

    groups: list[list[str]] = []
    keys: list[str] = []
    for number, key in enumerate(sorted(by_key, key=lambda k: rank(by_key[k]))):
        hit = None
        if number < MAX_COMPARED_WORDINGS:
            # The closest group whose numbers are the same: "the 2012 election" and "the 2013
            # election" are two questions, however alike their words.
            numbers = _NUMBER.findall(key)
            hit = next(
                (
                    found
                    for found in process.extract(
                        key,
                        keys,
                        scorer=fuzz.token_sort_ratio,
                        score_cutoff=NEAR_DUPLICATE_SCORE,
                        limit=None,
                    )
                    if _NUMBER.findall(found[0]) == numbers
                ),
                None,
            )
        if hit is None:
            groups.append(list(by_key[key]))
            keys.append(key)
        else:
            groups[hit[2]] += by_key[key]
    groups.sort(key=rank)
    result = []
    for wordings in groups[:limit]:
        wordings.sort(key=lambda w: rank([w]))
        result.append(
            UnansweredGroup(
                question=wordings[0],
                count=sum(count[w] for w in wordings),
                variants=tuple(wordings[:MAX_VARIANTS]),
                last_asked=max(last[w] for w in wordings),
            )
        )
    return result
