"""The answer policy: answer, offer 'did you mean', or say plainly that the bot doesn't know.

The choice comes from one calibrated probability that the best entry answers the question,
computed from evidence the matcher already has (score, margin to the runner-up, coverage,
phrasing, the most salient word the entry lacks, how much the question names, whether it
gives the kind of fact asked for). The weights and the two thresholds are fitted by
`benchmarks/calibrate.py` on the tuning question sets and stored in `data/calibration.json`;
a knowledge base may override the thresholds in its `matcher.yaml`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.answers import Outcome
from bot.search.index import Match
from bot.search.phrasing import EXACT_PHRASING
from bot.search.reading import MessageKind, Reading

__all__ = [
    "FEATURES",
    "Calibration",
    "Decision",
    "calibration",
    "decide",
    "declines_to_predict",
    "features_of",
]

# How many choices "did you mean" and "closest topics" show.
MAX_SUGGESTIONS = 3
# A question naming less than this (rare-word units: the product's name alone, words held
# by a fifth of the entries or more) is too vague to answer with one entry: it gets "did you
# mean" whatever the model says. Tuning sets: no question below it has a right best entry
# that a clearer wording would not find.
VAGUE_INFORMATION = 0.25
# "How much a question names" saturates here (rare-word units): past three rare words, more
# words say nothing more about whether the best entry is the one.
INFORMATION_CAP = 3.0

FEATURES = (
    "score",
    # The chance that the best entry is the one climbs steeply near the top of the score
    # (a question close to one of its phrasings, holding all its words): a cubic in the
    # score follows that curve, where the score alone would give a line.
    "score_squared",
    "score_cubed",
    "margin",
    "coverage",
    "phrasing",
    "uncovered",
    "information",
    "lacks_wanted_type",
    "lacks_focus",
    "with_context",
    # How much a long message names counts apart from how much a question alone names: the
    # context sentences' words add to it without saying more about what is asked.
    "information_with_context",
)


@dataclass(frozen=True)
class Calibration:
    """A logistic model over FEATURES and the thresholds on its probability."""

    weights: tuple[float, ...]
    bias: float
    answer: float  # at or above: answer
    suggest: float  # at or above (and below `answer`): "did you mean"

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))

    def with_thresholds(self, answer: float | None, suggest: float | None) -> Calibration:
        return Calibration(
            self.weights,
            self.bias,
            self.answer if answer is None else answer,
            self.suggest if suggest is None else suggest,
        )


@cache
def calibration() -> Calibration:
    """The fitted model shipped with the bot (data/calibration.json)."""
    raw = json.loads(
        (resources.files("bot.search") / "data" / "calibration.json").read_text(encoding="utf-8")
    )
    if tuple(raw["features"]) != FEATURES:
        raise ValueError("calibration.json was fitted on other features: run calibrate.py")
    return Calibration(
        tuple(float(w) for w in raw["weights"]),
        float(raw["bias"]),
        float(raw["thresholds"]["answer"]),
        float(raw["thresholds"]["suggest"]),
    )


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    best: Match | None
    suggestions: tuple[Match, ...]
    confidence: float = 0.0  # the calibrated probability that `best` answers the question


def features_of(matches: Sequence[Match]) -> tuple[float, ...]:
    """The evidence about the best match, in FEATURES order."""
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    information = min(best.information, INFORMATION_CAP) / INFORMATION_CAP
    return (
        best.score,
        best.score**2,
        best.score**3,
        best.score - runner_up,
        best.coverage,
        best.phrasing,
        best.uncovered,
        information,
        best.lacks_wanted_type,
        1.0 if best.lacks_focus else 0.0,
        1.0 if best.with_context else 0.0,
        information if best.with_context else 0.0,
    )


def asked_word_for_word(matches: Sequence[Match]) -> bool:
    """Whether the question is word for word one of the best entry's phrasings: a moderator
    wrote that this entry answers exactly this."""
    return bool(matches) and matches[0].phrasing >= EXACT_PHRASING


def declines_to_judge(reading: Reading, matches: Sequence[Match]) -> bool:
    """Whether the reply is "I can't judge that": a request for an opinion, unless a
    moderator wrote it word for word as an entry's phrasing ("is a year membership worth
    it?"), when that entry is the knowledge's own answer."""
    return reading.kind is MessageKind.OPINION and not asked_word_for_word(matches)


def declines_to_predict(reading: Reading, decision: Decision) -> bool:
    """Whether the reply to a prediction of a year ahead ("will the library open by 2027?") is "I
    can't judge that": no entry answers it, as one stating that year's outlook would."""
    return reading.kind is MessageKind.PREDICTION and decision.outcome is not Outcome.ANSWERED


def decide(matches: Sequence[Match], model: Calibration | None = None) -> Decision:
    """Turn ranked matches (best first) into one of the three outcomes."""
    if not matches:
        return Decision(Outcome.UNKNOWN, None, ())
    model = model or calibration()
    best = matches[0]
    alternatives = tuple(matches[:MAX_SUGGESTIONS])
    confidence = model.probability(features_of(matches))
    # A question that is word for word one of the best entry's phrasings is answered by it,
    # however common its words ("What is <project>?").
    exact = asked_word_for_word(matches)
    # A name the question writes ("Notion", "Peru") that the entry does not hold means the
    # question is about something else, however well the rest matches.
    clear = best.information >= VAGUE_INFORMATION and not best.lacks_name
    if exact or (confidence >= model.answer and clear):
        return Decision(Outcome.ANSWERED, best, tuple(matches[1 : MAX_SUGGESTIONS + 1]), confidence)
    if confidence >= model.suggest:
        return Decision(Outcome.DID_YOU_MEAN, best, alternatives, confidence)
    return Decision(Outcome.UNKNOWN, best, alternatives, confidence)
