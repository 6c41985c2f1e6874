"""Moderators hear of each distinct set of knowledge problems once, in the same words anywhere."""

from bot.knowledge.loader import KnowledgeError
from bot.reload_notices import (
    ReloadNotices,
    reload_fixed_headline,
    reload_headline,
    reload_problems,
)
from bot.service import ReloadResult

BROKEN = ReloadResult(
    False, "abc123", (KnowledgeError("k/faq.yaml", 3, "x", "answer: is required"),)
)
OTHER = ReloadResult(False, "abc123", (KnowledgeError("k/faq.yaml", 9, "y", "bad id"),))
GOOD = ReloadResult(True, "def456")


def test_the_same_problems_are_told_once_until_a_good_reload() -> None:
    notices = ReloadNotices()
    told = [notices.worth_telling(r) for r in (BROKEN, BROKEN, OTHER, OTHER, GOOD, BROKEN)]
    assert told == [True, False, True, False, False, True]


def test_the_words_name_the_version_still_served_and_every_problem() -> None:
    assert reload_headline(BROKEN).startswith("Knowledge NOT reloaded: 1 problem(s)")
    assert "still serving version abc123" in reload_headline(BROKEN)
    assert reload_problems(BROKEN) == "k/faq.yaml:3: x: answer: is required"
    assert reload_headline(GOOD) == "Knowledge updated (version def456)."


def test_a_good_reload_after_failed_ones_is_told_as_the_fix() -> None:
    notices = ReloadNotices()
    restored = ReloadResult(False, "abc123")  # the files match the version served again
    results = (GOOD, BROKEN, BROKEN, restored, restored, OTHER, GOOD, GOOD)
    told = [notices.fixed(r) for r in results]
    assert told == [False, False, False, True, False, False, True, False]
    assert reload_fixed_headline(restored) == (
        "Knowledge problems fixed: version abc123 is live (the files match it again)."
    )
    assert reload_fixed_headline(GOOD) == "Knowledge problems fixed: version def456 is live."


def test_telling_of_fixes_leaves_the_problems_told_alone() -> None:
    notices = ReloadNotices()
    assert [(notices.worth_telling(r), notices.fixed(r)) for r in (BROKEN, GOOD, BROKEN)] == [
        (True, False),
        (False, True),
        (True, False),
    ]
