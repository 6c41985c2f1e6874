"""The service: bad input never raises, answers carry citations, reload keeps the last good."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answers import Outcome
from bot.search import decide
from bot.service import QAService

BAD_INPUTS = [
    "",
    "   \n\t ",
    "x" * 100_000,
    "why\u0000 did\u200b canada\u202e cut ties",
    "🔥🔥🔥🙂",
    "روابط ایران و کانادا چیست؟",
    "Pourquoi le Canada a-t-il rompu ses relations avec l'Iran ?",
    "what is the and of it",
    "@everyone <!channel> what",
]


@pytest.mark.parametrize("question", BAD_INPUTS)
def test_bad_input_gets_a_clear_reply_never_an_exception(service: QAService, question: str) -> None:
    answer = service.ask(question)
    assert answer.message.strip()
    json.dumps(answer.to_json())  # always serialisable
    if not answer.answered:
        assert answer.text is None


def test_blank_or_stop_word_question_asks_for_words_and_offers_starters(service: QAService) -> None:
    for question in ("", "what is the", "🙂"):
        answer = service.ask(question)
        assert answer.outcome is Outcome.EMPTY
        assert answer.suggestions


def test_json_has_exactly_the_documented_fields(service: QAService) -> None:
    data = service.ask("when did canada cut ties with iran").to_json()
    assert list(data) == [
        "question",
        "answered",
        "outcome",
        "answer",
        "confidence",
        "entry_id",
        "more_entry_ids",
        "unanswered_parts",
        "opinion_parts",
        "citations",
        "suggestions",
        "sources",
    ]
    assert data["answered"] is True and 0 <= data["confidence"] <= 1
    assert set(data["citations"][0]) == {"source", "section", "quote"}


def test_answer_entry_follows_a_did_you_mean_choice(service: QAService) -> None:
    entry = service.library.snapshot.entries[0]
    answer = service.answer_entry(entry.id)
    assert answer is not None and answer.answered and answer.entry_id == entry.id
    assert service.answer_entry("no-such-entry") is None


def test_autocomplete_offers_at_most_25_questions(service: QAService) -> None:
    choices = service.autocomplete("flight")
    assert 0 < len(choices) <= 25
    assert len(service.autocomplete("", limit=100)) == 25


def test_briefing_lists_its_entries_with_citations(service: QAService) -> None:
    view = service.briefing()
    assert view is not None
    assert view.items and all(item.citations for item in view.items)
    assert service.briefing("no-such-briefing") is None


def test_reload_swaps_in_a_good_edit(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    before = service.library.version
    extra = knowledge_copy / "extra.yaml"
    extra.write_text(
        "entries:\n  - id: bam-aid-extra\n    question: Where is Bam?\n"
        "    answer: Bam is a city in Iran hit by an earthquake in 2003.\n"
        "    citations:\n      - source: iran-canada-talks\n"
        "        section: Expanded Analysis and Background\n"
        '        quote: "Following the devastating earthquake in Bam, Iran, in 2003"\n',
        encoding="utf-8",
    )
    result = service.reload()
    assert result.ok and result.changed and result.version != before
    assert service.library.entry("bam-aid-extra") is not None


def test_reload_rejects_a_bad_edit_and_keeps_answering(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    good = service.library
    heard = []
    service.on_reload(heard.append)
    (knowledge_copy / "broken.yaml").write_text("entries: [\n", encoding="utf-8")
    result = service.reload()
    assert not result.ok and result.errors
    assert service.library is good
    assert heard == [result]
    assert service.ask("when did canada cut ties with iran").answered


def test_an_answer_in_flight_uses_one_version(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    answer = service.ask("when did canada cut ties with iran")
    assert answer.knowledge_version == service.library.version


def test_a_listener_can_stop_hearing_reloads(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    heard: list[object] = []
    stop = service.on_reload(heard.append)
    service.reload()
    stop()
    stop()  # twice is harmless
    service.reload()
    assert len(heard) == 1


def test_autocomplete_puts_questions_that_start_with_the_typed_words_first(
    service: QAService,
) -> None:
    first = service.autocomplete("why did canada s")[0]
    assert first.question.casefold().startswith("why did canada s")


def test_a_message_asking_two_things_gets_both_answers_with_their_sources(
    service: QAService,
) -> None:
    single = service.ask("who is Nasser Kanaani")
    answer = service.ask("When did Canada cut ties with Iran, and who is Nasser Kanaani?")
    assert answer.answered and answer.text is not None
    assert "2012" in answer.text
    assert single.text is not None and single.text in answer.text
    assert all(citation in answer.citations for citation in single.citations)
    # what the reply answers is not offered again as related
    assert single.entry_id not in {s.entry_id for s in answer.suggestions}
    # the entries answering the other questions are named beside the first, for the log
    assert single.entry_id in answer.more_entry_ids
    assert answer.entry_id not in answer.more_entry_ids
    assert answer.to_json()["more_entry_ids"] == list(answer.more_entry_ids)


def test_two_questions_that_blend_when_read_whole_each_get_their_answer(
    service: QAService,
) -> None:
    first = "What were Iran-Canada relations like before the 1979 revolution?"
    second = "how many people died when Flight PS752 was shot down?"
    # Read whole, the two questions are one that no entry answers outright.
    blended = service.library.index.rank(f"{first[:-1]}, and {second}")
    assert decide(blended, service.library.policy).outcome is not Outcome.ANSWERED
    answer = service.ask(f"{first[:-1]}, and {second}")
    alone = [service.ask(first), service.ask(second)]
    assert answer.answered and answer.text is not None
    assert answer.entry_id == alone[0].entry_id
    assert all(a.text is not None and a.text in answer.text for a in alone)


def test_a_question_unsure_of_the_entry_another_question_gets_shares_its_answer() -> None:
    allotments = Path(__file__).resolve().parent / "data" / "kb" / "allotments"
    service = QAService.from_directory(allotments)
    index, policy = service.library.index, service.library.policy
    context = "My son wants to come to the Open Day with his mates, they're all 10."
    first, second = "Do they have to pay to get in?", "And what's it cost for me?"
    # The second question alone is unsure between entries, the first of which is the one
    # the first question gets; read whole, the message is unsure too.
    unsure = decide(index.rank(second, context=context), policy)
    sure = decide(index.rank(first, context=context), policy)
    whole = decide(index.rank(f"{first} {second}", context=context), policy)
    assert unsure.outcome is Outcome.DID_YOU_MEAN and sure.outcome is Outcome.ANSWERED
    assert unsure.best is not None and sure.best is not None
    assert unsure.best.key == sure.best.key and whole.outcome is not Outcome.ANSWERED
    # That one answer is the reply to both.
    answer = service.ask(f"{context} {first} {second}")
    assert answer.answered and answer.entry_id == sure.best.key
    assert answer.unanswered_parts == ()


def test_a_question_the_knowledge_does_not_hold_is_named_beside_the_answers(
    service: QAService,
) -> None:
    alone = service.ask("who is Nasser Kanaani?")
    answer = service.ask("who is Nasser Kanaani, and what is the capital of Peru?")
    assert answer.answered and answer.entry_id == alone.entry_id
    assert answer.unanswered_parts == ("what is the capital of Peru?",)
    assert answer.text == alone.text  # the answer itself is the knowledge's words only
    assert answer.message.endswith("I don't know the answer to “what is the capital of Peru?”.")
    assert answer.to_json()["unanswered_parts"] == ["what is the capital of Peru?"]
    # what the reply answers is not offered again as related
    assert alone.entry_id not in {s.entry_id for s in answer.suggestions}
    # a question that leans on the one before it may be answered by its reply: not named
    leaning = service.ask("who is Nasser Kanaani, and what did he say about Canada?")
    assert leaning.answered and leaning.unanswered_parts == ()


def test_an_opinion_asked_beside_a_question_adds_no_answer(service: QAService) -> None:
    alone = service.ask("When did Canada cut ties with Iran?")
    answer = service.ask("When did Canada cut ties with Iran, and was Harper right?")
    assert answer.answered and answer.text == alone.text
    assert answer.citations == alone.citations
    # ...but says it cannot judge it
    assert answer.opinion_parts == ("was Harper right?",)
    assert answer.message.endswith(
        "I can't judge “was Harper right?”: I only report what my sources say."
    )
