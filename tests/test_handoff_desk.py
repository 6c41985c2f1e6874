"""The hand-off flow every platform shares, against a platform that only records what it is
asked to do (the real Slack and Discord ones are tested through their fake servers)."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.handoff_desk import (
    GONE,
    NO_CHANNEL,
    NOT_POSTED,
    TOO_MANY,
    Asked,
    HandoffDesk,
)
from bot.handoffs import HANDOFFS_PER_HOUR, Handoff, moment_text
from bot.store import Store

ROOT = Path(__file__).resolve().parents[1]
MOMENT = 1_795_000_000.0  # 2026-11-18 11:06:40 UTC
MOMENT_TEXT = "2026-11-18 11:06 UTC"


@dataclass
class Recorded:
    """A platform for one person acting: what it was told to say and do."""

    moderator: bool = False
    channel: str | None = "C0MODS"
    notice_fails: bool = False
    platform: str = "test"
    passed_on: str = "passed on"
    told: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, bool]] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)

    async def shown_name(self, user: str) -> str:
        return f"member {user}"

    async def moderators_channel(self) -> str | None:
        return self.channel

    async def is_moderator(self) -> bool:
        return self.moderator

    async def refuse(self, what: str) -> None:
        self.told.append(f"refused: {what}")

    async def tell(self, text: str) -> None:
        self.told.append(text)

    async def post_notice(self, channel: str, handoff: Handoff) -> str | None:
        if self.notice_fails:
            return None
        self.notices.append(handoff.question)
        return "notice-1"

    async def show_outcome(self, handoff: Handoff, outcome: str, *, can_draft: bool) -> None:
        self.outcomes.append((outcome, can_draft))

    async def deliver(self, handoff: Handoff, text: str) -> bool:
        self.delivered.append(text)
        return True


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "log.sqlite3")


@pytest.fixture
def desk(tmp_path: Path, store: Store) -> HandoffDesk:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    # The bot's best attempt, as the service would find it; a clock that stands still.
    return HandoffDesk(store, knowledge, lambda question: "Are pets allowed?", lambda: MOMENT)


def asked(question: str = "can i bring my dog") -> Asked:
    return Asked("W1", "C1", "", "U1", question)


async def test_a_question_goes_to_the_moderators_and_their_answer_to_the_asker(
    desk: HandoffDesk, store: Store
) -> None:
    asker = Recorded()
    await desk.pass_on(asker, asked())
    assert asker.notices == ["can i bring my dog"] and asker.told == ["passed on"]
    [handoff] = store.open_handoffs()
    assert handoff.best_attempt == "Are pets allowed?"  # kept for every later notice
    assert (handoff.notice_channel, handoff.notice_ref) == ("C0MODS", "notice-1")

    member = Recorded()
    await desk.answer(member, handoff.id, "U2", "Yes.")
    assert member.told == ["refused: answer questions"] and not member.delivered

    moderator = Recorded(moderator=True)
    await desk.answer(moderator, handoff.id, "M1", "  Yes, on a leash. ")
    [(outcome, can_draft)] = moderator.outcomes
    assert (outcome, can_draft) == (
        f"Answered by member M1 at {MOMENT_TEXT}: Yes, on a leash.",
        True,
    )
    assert moderator.delivered and "Yes, on a leash." in moderator.delivered[0]
    assert store.open_handoffs() == []

    late = Recorded(moderator=True)
    await desk.dismiss(late, handoff.id, "M2")  # another moderator, too late
    assert late.told == [GONE] and not late.outcomes

    drafter = Recorded(moderator=True)
    await desk.save_as_draft(drafter, handoff.id, "M2", "Mo")
    assert drafter.told[0].startswith("Saved as a draft: knowledge/drafts/")
    [(outcome, can_draft)] = drafter.outcomes
    # When it was answered, as the store kept it.
    answered = moment_text(store.handoff(handoff.id).handled_at)  # type: ignore[union-attr]
    assert outcome == (
        f"Answered by member M1 at {answered}: Yes, on a leash. "
        "(saved as a draft entry by member M2)"
    )
    assert not can_draft


async def test_without_a_channel_or_past_the_limit_nothing_is_passed_on(
    desk: HandoffDesk, store: Store
) -> None:
    nowhere = Recorded(channel=None)
    await desk.pass_on(nowhere, asked())
    assert nowhere.told == [NO_CHANNEL] and store.open_handoffs() == []

    asker = Recorded()
    for number in range(HANDOFFS_PER_HOUR + 1):
        await desk.pass_on(asker, asked(f"question {number}"))
    assert asker.told[-1] == TOO_MANY
    assert len(store.open_handoffs()) == HANDOFFS_PER_HOUR


async def test_a_notice_that_cannot_be_posted_keeps_the_question_and_says_so(
    desk: HandoffDesk, store: Store
) -> None:
    asker = Recorded(notice_fails=True)
    await desk.pass_on(asker, asked())
    assert asker.told == [NOT_POSTED]
    [kept] = store.open_handoffs()  # the moderators still find it in their report
    assert kept.question == "can i bring my dog"


async def test_a_failure_to_find_the_best_attempt_still_passes_the_question_on(
    tmp_path: Path, store: Store
) -> None:
    def broken(question: str) -> str | None:
        raise RuntimeError("the index is gone")

    desk = HandoffDesk(store, tmp_path, broken)
    asker = Recorded()
    await desk.pass_on(asker, asked())
    assert asker.told == ["passed on"]
    [kept] = store.open_handoffs()
    assert kept.best_attempt == ""


def test_clicks_at_once_pass_on_no_more_than_the_limit(tmp_path: Path, store: Store) -> None:
    """Several clicks of "Ask a moderator" at once, each on its own thread: the limit is
    counted and the hand-off kept in one step, so none slips past it."""
    clicks = HANDOFFS_PER_HOUR * 2

    def slow_closest(question: str) -> str | None:
        time.sleep(0.05)  # a search takes a moment: time for the other clicks to count
        return None

    desk = HandoffDesk(store, tmp_path, slow_closest, lambda: MOMENT)
    start = threading.Barrier(clicks)
    askers = [Recorded() for _ in range(clicks)]

    def click(number: int) -> None:
        start.wait()
        asyncio.run(desk.pass_on(askers[number], asked(f"question {number}")))

    threads = [threading.Thread(target=click, args=(n,)) for n in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    told = sorted(text for asker in askers for text in asker.told)
    assert told == sorted(["passed on"] * HANDOFFS_PER_HOUR + [TOO_MANY] * HANDOFFS_PER_HOUR)
    assert len(store.open_handoffs()) == HANDOFFS_PER_HOUR
