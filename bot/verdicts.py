"""An answer's opening "Yes." or "No." replies to the question its entry was written for.

Moderators write answers as replies to the entry's own question ("Can I ride without the
app?" "Yes, you can buy a pass at any kiosk."). Shown for another question, a "What", "When"
or a few words ("ride without app"), that verdict reads as nonsense or, worse, as a "yes" to
something else; the sentence after it carries the fact either way.
"""

from __future__ import annotations

import re

from bot.search.answer_types import asks_yes_or_no
from bot.search.reading import sentences_of

__all__ = ["answer_for", "reads_as_fragment_without_verdict"]

# "Yes." "No," "Yes:" "Nope!" at the very start, and the space after it.
_VERDICT = re.compile(r"^(?:yes|no|yep|nope|yeah)[.,:;!]\s+(?=\w)", re.IGNORECASE)


def answer_for(question: str, answer: str, *, as_written: bool = True) -> str:
    """The entry's answer as a reply to `question`: without its opening verdict unless the
    question asks yes or no, and (`as_written`) asks what the entry was written for: "is
    dialysis still going ahead?" is not answered "No." by the entry "Is dialysis affected?"."""
    verdict = _VERDICT.match(answer)
    if verdict is None or (as_written and asks_yes_or_no(question)):
        return answer
    rest = answer[verdict.end() :]
    return rest[:1].upper() + rest[1:]


# What opens a clause that cannot stand alone: shown without its verdict, "Yes, but only on
# weekdays." reads "But only on weekdays.".
_LEANS_ON_VERDICT = re.compile(r"^(?:but|and|or)\b", re.IGNORECASE)
# A first sentence this short after the verdict is a fragment: "Yes, within 14 days."
FRAGMENT_WORDS = 3


def reads_as_fragment_without_verdict(answer: str) -> str | None:
    """What an answer that opens with a verdict shows without it, when that reads as a
    fragment ("Within 14 days."): a question that does not ask yes or no gets it so."""
    verdict = _VERDICT.match(answer)
    if verdict is None:
        return None
    rest = answer_for("", answer)
    first = (sentences_of(rest) or [rest])[0]
    if len(first.split()) <= FRAGMENT_WORDS or _LEANS_ON_VERDICT.match(first):
        return first
    return None
