"""Scoring a question set: right answers, and "did you mean" whose first choice is right."""

from __future__ import annotations

from bot.answers import Answer, Citation, Outcome, Suggestion
from bot.evaluation import EvalCase, run_eval
from bot.service import AskContext

_CITED = (Citation("article.txt", "The article", "Background", "relations were cut in 2012"),)
_ENTRIES = {
    "cut": Answer("", Outcome.ANSWERED, "Relations were cut in 2012.", 1.0, "cut", _CITED),
    "talks": Answer("", Outcome.ANSWERED, "Talks may resume.", 1.0, "talks", _CITED),
}


def _offering(*entry_ids: str) -> Answer:
    choices = tuple(Suggestion(e, f"about {e}?") for e in entry_ids)
    return Answer("", Outcome.DID_YOU_MEAN, None, 0.4, None, (), choices)


def _ask(question: str, context: AskContext | None) -> Answer:
    return {
        "cut first": _offering("cut", "talks"),
        "talks first": _offering("talks", "cut"),
    }.get(question, _ENTRIES["cut"])


def test_did_you_mean_counts_only_when_its_first_choice_is_right() -> None:
    cases = [
        EvalCase("cut first", ("2012",), line=1),
        EvalCase("talks first", ("2012",), line=2),
        EvalCase("answered", ("2012",), line=3),
        EvalCase("cut first", None, line=4),  # out of scope: choices are right, not "first"
    ]
    report = run_eval(cases, _ask, _ENTRIES.get)
    assert [r.first_choice_right for r in report.results] == [True, False, False, False]
    assert report.first_choices_right == 1
    # Still a miss: only an answer is a right answer.
    assert report.overall == (2, 4)


def test_without_a_way_to_pick_choices_none_is_counted() -> None:
    report = run_eval([EvalCase("cut first", ("2012",), line=1)], _ask)
    assert report.first_choices_right == 0
