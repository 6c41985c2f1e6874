"""Unanswered questions grouped by likeness: rewordings together, the work bounded."""

from __future__ import annotations

import pytest

from bot.store import grouping
from bot.store.grouping import group_near_duplicates

ASKED = [
    ("How do I reset my password?", 1.0),
    ("How do I reset my password?", 2.0),
    ("how do i reset password", 3.0),
    ("Where is the parking lot?", 4.0),
]


def test_rewordings_are_one_group_named_by_the_most_asked() -> None:
    groups = group_near_duplicates(ASKED, 10)
    assert [(g.question, g.count) for g in groups] == [
        ("How do I reset my password?", 3),
        ("Where is the parking lot?", 1),
    ]


def test_past_the_bound_only_exact_rewordings_are_grouped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The most asked wordings are compared; a rarer one past the bound stays apart."""
    monkeypatch.setattr(grouping, "MAX_COMPARED_WORDINGS", 1)
    groups = group_near_duplicates([*ASKED, ("where is the parking lot", 5.0)], 10)
    assert [(g.question, g.count) for g in groups] == [
        ("where is the parking lot", 2),  # its two wordings differ only in case and "?"
        ("How do I reset my password?", 2),
        ("how do i reset password", 1),
    ]


def test_questions_about_different_numbers_are_not_one_question() -> None:
    asked = [("who won the 2012 election", 1.0), ("who won the 2013 election?", 2.0)]
    assert [g.count for g in group_near_duplicates(asked, 10)] == [1, 1]
    reworded = [("who won the 2012 election", 1.0), ("who won the 2012 elections?", 2.0)]
    assert [g.count for g in group_near_duplicates(reworded, 10)] == [2]
