"""A follow-up that names nothing ("why?") is read with the conversation's last question."""

from __future__ import annotations

from bot.answers import Outcome
from bot.conversations import ConversationMemory, conversation_of
from bot.service import AskContext, QAService

FIRST = "when did canada cut ties with iran"
ALICE = AskContext("slack", "T1", "C1", "UALICE")
BOB = AskContext("slack", "T1", "C1", "UBOB")


def choices(answer: object) -> list[str]:
    return [s.question for s in getattr(answer, "suggestions", ())]


def test_a_bare_why_offers_what_the_last_question_was_about(service: QAService) -> None:
    assert service.ask("why?", ALICE).outcome is Outcome.EMPTY  # nothing asked before
    service.ask(FIRST, ALICE)

    answer = service.ask("why?", ALICE)

    # Offered, not asserted: what "it" points at is a guess.
    assert answer.outcome is Outcome.DID_YOU_MEAN
    assert choices(answer)[0].startswith("Why did Canada sever")
    # The reply says how it was read, so that a wrong reading shows.
    assert answer.follows == FIRST and f"“{FIRST}”" in answer.message


def test_a_long_earlier_message_is_quoted_by_its_end(service: QAService) -> None:
    earlier = "I have been reading a lot about this lately and I am still confused. " + FIRST
    service.ask(earlier, ALICE)
    lead = service.ask("why?", ALICE).message
    assert lead.startswith("Following on from “…") and f"{FIRST}”" in lead
    assert len(lead) < len(earlier) + 40


def test_the_earlier_questions_own_wh_word_does_not_steer_the_follow_up(
    service: QAService,
) -> None:
    service.ask(FIRST, ALICE)  # asks "when"; the follow-up asks "why"
    answer = service.ask("why did they do it", ALICE)
    assert choices(answer)[0].casefold().startswith("why")


def test_questions_outside_a_conversation_stand_alone(service: QAService) -> None:
    service.ask(FIRST)
    assert service.ask("why?").outcome is Outcome.EMPTY
    service.ask(FIRST, ALICE)
    assert service.ask("why?", BOB).outcome is Outcome.EMPTY  # another person in the channel


def test_a_thread_is_one_conversation_whoever_writes_in_it(service: QAService) -> None:
    service.ask(FIRST, AskContext("slack", "T1", "C1", "UALICE", thread="1700.1"))
    answer = service.ask("why?", AskContext("slack", "T1", "C1", "UBOB", thread="1700.1"))
    assert answer.outcome is Outcome.DID_YOU_MEAN


def test_a_question_with_words_of_its_own_is_matched_on_them(service: QAService) -> None:
    service.ask(FIRST, ALICE)
    alone = QAService(service.library).ask("how many canadians died on flight ps752")
    after = service.ask("how many canadians died on flight ps752", ALICE)
    assert (after.outcome, after.entry_id) == (alone.outcome, alone.entry_id)
    # ... and it becomes what the conversation is about.
    assert "PS752" in choices(service.ask("when?", ALICE))[0]


def test_a_follow_up_pointing_back_is_offered_what_it_may_mean_not_a_guess(
    service: QAService,
) -> None:
    follow_up = "who made that call?"
    alone = QAService(service.library).ask(follow_up)
    # read alone: another topic, answered or offered first
    read_alone = alone.entry_id if alone.answered else alone.suggestions[0].entry_id
    assert "ps752" in str(read_alone)
    service.ask("Why did Canada break off relations with Iran in 2012?", ALICE)

    answer = service.ask(follow_up, ALICE)

    assert answer.outcome is Outcome.DID_YOU_MEAN
    assert all("ties" in q or "relations" in q for q in choices(answer))  # the severance


def test_a_follow_up_that_gets_the_same_answer_alone_is_answered(service: QAService) -> None:
    service.ask("what happened to flight ps752", ALICE)
    answer = service.ask("how many canadians died on it?", ALICE)
    alone = QAService(service.library).ask("how many canadians died on it?")
    assert answer.answered and (answer.entry_id, answer.text) == (alone.entry_id, alone.text)
    # The flight is still what "it" means next.
    assert "PS752" in choices(service.ask("when did it happen", ALICE))[0]


def test_a_bare_when_or_where_is_answered_by_the_entry_the_last_question_was_about(
    service: QAService,
) -> None:
    service.ask("did canada help iran after the bam earthquake", ALICE)
    for follow_up, fact in (("when?", "2003"), ("where was it?", "Bam")):
        answer = service.ask(follow_up, ALICE)
        assert answer.answered and answer.entry_id == "cooperation-bam-earthquake"
        assert fact in (answer.text or "")
    # "why?" asks for no kind of fact an entry can be seen to give: still only offered.
    assert service.ask("why?", ALICE).outcome is Outcome.DID_YOU_MEAN
    # Asked alone, "when?" names nothing to answer.
    assert service.ask("when?", BOB).outcome is Outcome.EMPTY


def test_a_picked_choice_is_what_the_conversation_is_now_about(service: QAService) -> None:
    service.ask(FIRST, ALICE)
    picked = next(e for e in service.library.snapshot.entries if "PS752" in e.question)
    service.answer_entry(picked.id, ALICE)
    assert "PS752" in choices(service.ask("when?", ALICE))[0]


def test_a_conversation_is_forgotten_after_a_while() -> None:
    now = [0.0]
    memory = ConversationMemory(max_conversations=2, ttl_seconds=60, clock=lambda: now[0])
    first, second, third = (conversation_of("slack", "T1", "C1", u, "") for u in "ABC")
    memory.remember(first, "one")
    memory.remember(second, "two")
    memory.remember(first, "one again")  # the newest now
    memory.remember(third, "three")  # two at most: the least recent goes
    assert (memory.recall(first), memory.recall(second), memory.recall(third)) == (
        "one again",
        None,
        "three",
    )
    now[0] = 61.0
    assert memory.recall(first) is None


def test_no_conversation_without_a_channel_and_a_person_or_thread() -> None:
    assert conversation_of("cli", "", "", "", "") is None
    assert conversation_of("slack", "T1", "C1", "", "") is None
    assert conversation_of("slack", "T1", "C1", "", "1700.1") is not None
