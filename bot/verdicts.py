"""An answer's opening "Yes." or "No." replies to the question its entry was written for.

Moderators write answers as replies to the entry's own question ("Can I ride without the
app?" "Yes, you can buy a pass at any kiosk."). Shown for another question, a "What", "When"
or a few words ("ride without app"), that verdict reads as nonsense or, worse, as a "yes" to
something else; the sentence after it carries the fact either way.
"""

from __future__ import annotations

import re

from bot.search.answer_types import asks_yes_or_no

__all__ = ["answer_for"]

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
