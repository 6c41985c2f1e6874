"""The abstention policy: answer, offer 'did you mean', or say plainly that the bot doesn't know."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers import Outcome
from bot.search.index import Match

__all__ = ["Decision", "decide"]

# At or above this score the best entry is answered. Below it, a question shares too little
# with any entry: on the development set no out-of-scope question reaches it.
ANSWER_THRESHOLD = 0.62
# Between this and ANSWER_THRESHOLD the bot offers "did you mean"; below it, "I don't know"
# with the closest topics. Low enough to catch a rewording, high enough to skip small talk.
SUGGEST_THRESHOLD = 0.42
# When the runner-up is this close to the best, the two are too alike to pick one blindly...
AMBIGUITY_MARGIN = 0.02
# ...unless the best is this sure: then both are right enough and the best is answered.
CONFIDENT_SCORE = 0.80
# A question whose words together say less than one fairly rare word ("canada", "talks": words
# in a quarter or more of the entries) is too vague to answer: it gets "did you mean".
MIN_INFORMATION = 1.5
# How many choices "did you mean" and "closest topics" show.
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    best: Match | None
    suggestions: tuple[Match, ...]


def decide(matches: Sequence[Match]) -> Decision:
    """Turn ranked matches (best first) into one of the three outcomes."""
    if not matches:
        return Decision(Outcome.UNKNOWN, None, ())
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    alternatives = tuple(matches[:MAX_SUGGESTIONS])
    # Asked for a number or a date that the best entry does not give: it can only be offered.
    if best.score >= ANSWER_THRESHOLD and best.lacks_wanted_type:
        return Decision(Outcome.DID_YOU_MEAN, best, alternatives)
    if best.score >= ANSWER_THRESHOLD and best.information < MIN_INFORMATION:
        return Decision(Outcome.DID_YOU_MEAN, best, alternatives)
    if best.score >= ANSWER_THRESHOLD:
        if best.score - runner_up >= AMBIGUITY_MARGIN or best.score >= CONFIDENT_SCORE:
            return Decision(Outcome.ANSWERED, best, alternatives[1:])
        return Decision(Outcome.DID_YOU_MEAN, best, alternatives)
    if best.score >= SUGGEST_THRESHOLD:
        return Decision(Outcome.DID_YOU_MEAN, best, alternatives)
    return Decision(Outcome.UNKNOWN, best, alternatives)
