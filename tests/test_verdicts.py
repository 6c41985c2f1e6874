"""An answer's opening "Yes."/"No." is shown only to a question that asks yes or no."""

from __future__ import annotations

import pytest

from bot.service import QAService
from bot.verdicts import answer_for, reads_as_fragment_without_verdict

ANSWER = "Yes, the app works with screen readers, and every kiosk has an audio mode."


@pytest.mark.parametrize(
    "question",
    ["Does the app work with screen readers?", "so can blind riders use it?", "is it accessible"],
)
def test_a_yes_or_no_question_keeps_the_verdict(question: str) -> None:
    assert answer_for(question, ANSWER) == ANSWER


@pytest.mark.parametrize(
    "question",
    ["What accessibility features are there?", "screen reader support", "how accessible is it"],
)
def test_another_question_gets_the_fact_without_the_verdict(question: str) -> None:
    assert answer_for(question, ANSWER) == (
        "The app works with screen readers, and every kiosk has an audio mode."
    )
    assert answer_for(question, "No. Paperlark does not sell your data.") == (
        "Paperlark does not sell your data."
    )


def test_an_answer_that_only_starts_like_a_verdict_is_left_alone() -> None:
    for answer in ("Nobody knows yet.", "Yesterday's meeting moved.", "No.", "Yes"):
        assert answer_for("what happened?", answer) == answer


def test_the_service_drops_the_verdict_for_a_question_of_fact(service: QAService) -> None:
    asked_yes_or_no = service.ask("did canada help iran after the bam earthquake?")
    asked_what = service.ask("what did canada do after the bam earthquake?")
    assert asked_yes_or_no.entry_id == asked_what.entry_id
    assert asked_yes_or_no.text and asked_yes_or_no.text.startswith("Yes.")
    assert asked_what.text and not asked_what.text.startswith("Yes")
    assert asked_what.text in asked_yes_or_no.text
    # Picked from "did you mean", it replies to the entry's own question, as written.
    picked = service.answer_entry(asked_what.entry_id or "")
    assert picked is not None and picked.text == asked_yes_or_no.text


def test_a_yes_or_no_question_that_asks_something_more_gets_no_verdict(
    service: QAService,
) -> None:
    # "Yes." replies to the entry's own question; to "did Canada refuse…" it would say the
    # opposite of the fact after it.
    refused = service.ask("did canada refuse to help iran after the bam earthquake?")
    helped = service.ask("did canada help iran after the bam earthquake?")
    assert refused.entry_id == helped.entry_id
    assert helped.text and helped.text.startswith("Yes.")
    assert refused.text and not refused.text.startswith("Yes") and refused.text in helped.text


def test_what_reads_as_a_fragment_without_its_verdict() -> None:
    assert reads_as_fragment_without_verdict("Yes, within 14 days.") == "Within 14 days."
    assert reads_as_fragment_without_verdict("No, but the Oslo office is.") == (
        "But the Oslo office is."
    )
    assert reads_as_fragment_without_verdict("Yes. You get a refund within 14 days.") is None
    assert reads_as_fragment_without_verdict("Yes, the 10 p.m. train stops there.") is None
    assert reads_as_fragment_without_verdict("Refunds take 14 days.") is None
