"""The project's own question sets, written apart from the knowledge: their scores must not fall.

The floors sit a little under today's figures (README, "Figures"), so that a change to the
matcher or the knowledge that costs answers shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import load_cases, run_eval
from bot.service import QAService

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "in_scope_floor", "out_of_scope_floor"),
    [
        ("paraphrases.jsonl", 0.83, 0.85),
        ("blind.jsonl", 0.85, 0.80),
        ("blind2.jsonl", 0.83, 0.80),
        ("blind3.jsonl", 0.88, 0.70),
    ],
)
def test_question_set_scores_hold(
    service: QAService, name: str, in_scope_floor: float, out_of_scope_floor: float
) -> None:
    report = run_eval(load_cases(DATA / name), service.ask)
    right, total = report.in_scope
    assert right / total >= in_scope_floor, [r.case.question for r in report.misses]
    right, total = report.out_of_scope
    assert right / total >= out_of_scope_floor, [r.case.question for r in report.misses]
    assert all(r.answer.citations for r in report.results if r.answer.answered)
