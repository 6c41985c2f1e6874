"""Ask a moderator, the same way on every platform.

For each click or form, a platform provides a `HandoffPlatform`: whether the person acting
moderates here, where the moderators' channel is, how to post and edit the moderators'
notice, how to deliver a reply to the asker, and how to tell the person acting something
privately. The rest is decided here, once: the per-person limit, what the store keeps and
when, the order of the steps, and every word the asker and the moderators read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.drafts import save_draft
from bot.handoffs import (
    ANSWERED,
    DISMISSED,
    HANDOFFS_PER_HOUR,
    OPEN,
    Handoff,
    moment_text,
    new_handoff,
    reply_text,
)
from bot.store import HandoffAdmission, Store

__all__ = [
    "DRAFT_SAVED",
    "GONE",
    "NOT_PASSED",
    "NOT_POSTED",
    "NO_CHANNEL",
    "NO_DRAFT",
    "TOO_MANY",
    "Asked",
    "HandoffDesk",
    "HandoffPlatform",
]

_log = logging.getLogger(__name__)

HOUR = 3600.0
NO_CHANNEL = "There is no moderators' channel set up here, so I cannot pass questions on."
TOO_MANY = "You have asked the moderators several times this hour; please wait a little."
NOT_PASSED = "I could not pass it on; please try again later."
NOT_POSTED = (
    "I could not post your question in the moderators' channel just now. It is kept for "
    "them, and they will see it in their report."
)
GONE = "This question was handled already."
NO_DRAFT = "I could not write the draft: the knowledge folder is not writable for the bot."
DRAFT_SAVED = (
    "Saved as a draft: {}. It is not served until a moderator moves it into the knowledge "
    "(and `python -m bot knowledge check` passes)."
)


@dataclass(frozen=True)
class Asked:
    """A question someone wants passed to the moderators, and where they asked it."""

    workspace: str
    channel: str  # "" in a direct message
    thread: str  # where the reply goes in the channel ("" when none)
    user: str
    question: str


class HandoffPlatform(Protocol):
    """What a platform provides for one click or form about hand-offs."""

    @property
    def platform(self) -> str: ...

    @property
    def passed_on(self) -> str:
        """What the asker reads once the question is passed on (where the reply will come)."""
        ...

    async def shown_name(self, user: str) -> str:
        """How the moderators' notice names a member (never a ping)."""
        ...

    async def moderators_channel(self) -> str | None:
        """This workspace's or server's moderators' channel, if it has one."""
        ...

    async def is_moderator(self) -> bool:
        """Whether the person acting moderates here."""
        ...

    async def refuse(self, what: str) -> None:
        """Tell someone who is not a moderator, privately, that they may not `what`."""
        ...

    async def tell(self, text: str) -> None:
        """Tell the person acting something, privately."""
        ...

    async def post_notice(self, channel: str, handoff: Handoff) -> str | None:
        """Post the moderators' notice of a new hand-off, with Answer and Dismiss; the
        message's reference, or None when it could not be posted."""
        ...

    async def show_outcome(self, handoff: Handoff, outcome: str, *, can_draft: bool) -> None:
        """Edit the moderators' notice to say what became of it (`outcome`), with a "Save as
        a draft entry" button when `can_draft`, and no other."""
        ...

    async def deliver(self, handoff: Handoff, text: str) -> bool:
        """Bring a moderator's reply to the asker, where they asked or privately; False when
        it reached them nowhere."""
        ...


class HandoffDesk:
    """The moderators' desk: passes questions on, and takes their answers and dismissals."""

    def __init__(
        self,
        store: Store,
        knowledge_dir: Path,
        closest: Callable[[str], str | None] = lambda question: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`closest`: the question of the entry closest to a question, shown to the
        moderators as the bot's best attempt."""
        self._store = store
        self._knowledge = knowledge_dir
        self._closest = closest
        self._clock = clock

    async def pass_on(self, platform: HandoffPlatform, asked: Asked) -> None:
        """An asker's "Ask a moderator": the question goes to the moderators' channel."""
        channel = await platform.moderators_channel()
        if not channel:
            await platform.tell(NO_CHANNEL)
            return
        if not asked.question.strip():
            await platform.tell(NOT_PASSED)
            return
        now = self._clock()
        best = await asyncio.to_thread(self._best_attempt, asked.question)
        handoff = new_handoff(
            platform.platform,
            asked.workspace,
            asked.channel,
            asked.thread,
            asked.user,
            asked.question,
            now,
            best,
        )
        # The limit is counted and the hand-off kept in one step: clicks at once (or on
        # several replicas) cannot all find the asker under it.
        admission = await asyncio.to_thread(
            self._store.add_handoff_within_limit, handoff, HANDOFFS_PER_HOUR, now - HOUR
        )
        if admission is HandoffAdmission.TOO_MANY:
            await platform.tell(TOO_MANY)
            return
        if admission is not HandoffAdmission.ADDED:
            await platform.tell(NOT_PASSED)
            return
        ref = await platform.post_notice(channel, handoff)
        if ref is None:
            _log.warning("could not post hand-off %s to the moderators' channel", handoff.id)
            await platform.tell(NOT_POSTED)
            return
        await asyncio.to_thread(self._store.set_handoff_notice, handoff.id, channel, ref)
        await platform.tell(platform.passed_on)

    def _best_attempt(self, question: str) -> str:
        """The bot's closest entry, for the moderators; a failure here must not keep the
        question from them."""
        try:
            return self._closest(question) or ""
        except Exception:
            _log.exception("could not find the closest entry for a hand-off")
            return ""

    async def to_answer(self, platform: HandoffPlatform, handoff_id: str) -> Handoff | None:
        """A moderator's Answer: the open hand-off to show the answer form for, or None (the
        person acting was told why)."""
        return await self._handled(platform, handoff_id, "answer questions", OPEN)

    async def answer(
        self, platform: HandoffPlatform, handoff_id: str, moderator: str, reply: str
    ) -> None:
        """The answer form sent: the notice says who answered, and the reply goes to the
        asker."""
        reply = reply.strip()
        handoff = await self._handled(platform, handoff_id, "answer questions", OPEN)
        if handoff is None or not reply:
            return
        closed = await asyncio.to_thread(
            self._store.close_handoff, handoff.id, ANSWERED, reply, moderator
        )
        if not closed:  # another moderator was first
            await platform.tell(GONE)
            return
        # The notice first: a platform may have to acknowledge the form within seconds.
        who, when = await platform.shown_name(moderator), moment_text(self._clock())
        outcome = f"Answered by {who} at {when}: {reply}"
        await platform.show_outcome(handoff, outcome, can_draft=True)
        if not await platform.deliver(handoff, reply_text(handoff, reply)):
            _log.warning("could not deliver the answer to hand-off %s", handoff.id)

    async def dismiss(self, platform: HandoffPlatform, handoff_id: str, moderator: str) -> None:
        """A moderator's Dismiss: the question is closed without a reply."""
        handoff = await self._handled(platform, handoff_id, "dismiss questions", OPEN)
        if handoff is None:
            return
        closed = await asyncio.to_thread(
            self._store.close_handoff, handoff.id, DISMISSED, "", moderator
        )
        if not closed:
            await platform.tell(GONE)
            return
        who, when = await platform.shown_name(moderator), moment_text(self._clock())
        await platform.show_outcome(handoff, f"Dismissed by {who} at {when}.", can_draft=False)

    async def save_as_draft(
        self, platform: HandoffPlatform, handoff_id: str, moderator: str, author: str
    ) -> None:
        """A moderator's "Save as a draft entry": the answer becomes a draft for the
        knowledge; `author` is how the moderators' answers name whoever saved it."""
        handoff = await self._handled(platform, handoff_id, "save drafts", ANSWERED)
        if handoff is None:
            return
        try:
            draft = await asyncio.to_thread(
                save_draft, self._knowledge, handoff, author, self._clock()
            )
        except OSError as exc:
            _log.warning("could not save a draft for hand-off %s: %s", handoff.id, exc.strerror)
            await platform.tell(NO_DRAFT)
            return
        shown = draft.relative_to(self._knowledge.parent).as_posix()
        await platform.tell(DRAFT_SAVED.format(shown))
        answerer, drafter = (
            await platform.shown_name(handoff.handled_by),
            await platform.shown_name(moderator),
        )
        outcome = (
            f"Answered by {answerer} at {moment_text(handoff.handled_at)}: {handoff.reply} "
            f"(saved as a draft entry by {drafter})"
        )
        await platform.show_outcome(handoff, outcome, can_draft=False)

    async def _handled(
        self, platform: HandoffPlatform, handoff_id: str, what: str, status: str
    ) -> Handoff | None:
        """The hand-off a moderator acts on, when it is in `status`; else None, with the
        person acting told why (a refusal is logged)."""
        if not await platform.is_moderator():
            _log.warning("refused to let someone %s on %s: not a moderator", what, handoff_id)
            await platform.refuse(what)
            return None
        handoff = await asyncio.to_thread(self._store.handoff, handoff_id)
        if handoff is None or handoff.status != status:
            await platform.tell(GONE)
            return None
        return handoff
