"""The one entry point adapters call: ask, follow a suggestion, rate an answer, brief, reload."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from bot.answers import Answer, Citation, Outcome, Suggestion
from bot.briefings import BriefingView, render_briefing
from bot.conversations import Conversation, ConversationMemory, conversation_of
from bot.knowledge import KnowledgeError
from bot.library import Library, load_library
from bot.search import decide
from bot.search.answer_types import asks_yes_or_no, wanted_answer_type
from bot.search.index import Match
from bot.search.policy import Decision, declines_to_judge, declines_to_predict
from bot.search.reading import (
    MessageKind,
    Reading,
    asked_parts,
    message_window,
    read_message,
    without_chat_markup,
    written_in_another_language,
)
from bot.search.text import clean_text
from bot.topics import TopicGroup, group_topics, topic_named
from bot.verdicts import answer_for

__all__ = ["AskContext", "QAService", "QuestionLog", "ReloadResult", "readable_question"]

_log = logging.getLogger(__name__)

# Questions are matched on at most this many characters, kept around the last question of a
# longer message: a real question is far shorter, and a pasted wall of text must not slow the
# bot for everyone else.
MAX_QUESTION_CHARS = 1000
# Of a longer paste only its end is read at all: cleaning megabytes of text would cost a
# second, for a question that is almost always at the end.
MAX_READ_CHARS = 20 * MAX_QUESTION_CHARS
# How many related entries an opinion request is offered ("did you mean" shows as many).
MAX_SUGGESTIONS = 3
# How many entries the autocomplete of a slash command may offer (Discord allows 25).
MAX_AUTOCOMPLETE = 25
# A message that asks several things gets at most this many answers besides the first: one
# chat reply, not a page.
MAX_MORE_ANSWERS = 2


def readable_question(question: str) -> str:
    """The part of a message that is matched: cleaned, and cut to MAX_QUESTION_CHARS around
    its last question."""
    # A line break ends a sentence in chat ("hey all" / "when does it start" / "thanks"):
    # kept, where cleaning would make it a space.
    lines = question[-MAX_READ_CHARS:].splitlines()
    cleaned = (without_chat_markup(clean_text(line)).strip() for line in lines)
    text = "\n".join(filter(None, cleaned))
    return message_window(text, MAX_QUESTION_CHARS)


@dataclass(frozen=True)
class AskContext:
    """Where a question came from. The user id is hashed before it is stored."""

    platform: str = "console"
    workspace: str = ""
    channel: str = ""
    user_id: str = ""
    thread: str = ""
    delivery: str = ""  # the platform's id of the request, the same on its retries
    # A message sent outside any thread that the bot answers in a new thread under it (a
    # Slack @mention): it continues its sender's conversation in the channel, and its
    # question is what a reply in that new thread follows up.
    opens_thread: bool = False

    @property
    def conversation(self) -> Conversation | None:
        """The thread, or the person in a channel or DM, that a follow-up continues."""
        thread = "" if self.opens_thread else self.thread
        return conversation_of(self.platform, self.workspace, self.channel, self.user_id, thread)

    @property
    def remembered_in(self) -> tuple[Conversation, ...]:
        """The conversations whose next follow-up this message's question is for."""
        own = self.conversation
        opened = self.opens_thread and conversation_of(
            self.platform, self.workspace, self.channel, "", self.thread
        )
        return tuple(c for c in (own, opened) if c)


class QuestionLog(Protocol):
    """What the service needs of the question and feedback log (see bot.store)."""

    def record_answer(self, answer: Answer, context: AskContext) -> None: ...

    def record_feedback(self, answer_id: str, helpful: bool, context: AskContext) -> bool: ...


@dataclass(frozen=True)
class ReloadResult:
    changed: bool
    version: str
    errors: tuple[KnowledgeError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class QAService:
    """Answers from the current knowledge; a reload swaps it in one assignment."""

    def __init__(
        self,
        library: Library,
        knowledge_dir: Path | None = None,
        log: QuestionLog | None = None,
    ) -> None:
        self._library = library
        self._knowledge_dir = knowledge_dir
        self._log = log
        self._reload_lock = threading.Lock()
        self._listeners: list[Callable[[ReloadResult], None]] = []
        self._conversations = ConversationMemory()

    @classmethod
    def from_directory(cls, directory: Path, log: QuestionLog | None = None) -> QAService:
        library, errors = load_library(directory)
        if library is None:
            raise KnowledgeLoadError(errors)
        return cls(library, directory, log)

    @property
    def library(self) -> Library:
        return self._library

    def ask(self, question: str, context: AskContext | None = None) -> Answer:
        library = self._library  # one consistent version for the whole question
        text = readable_question(question)
        if len(question) > MAX_QUESTION_CHARS:
            question = text  # what was read: the log and the reply show that part
        reading = read_message(text, library.index.language)
        if reading.kind is MessageKind.NOT_A_QUESTION:
            # "+1", "thanks", "lol": nothing to look up, and no list of topics to push either.
            answer = self._make(question, library, Outcome.EMPTY)
        elif reading.kind is MessageKind.PERSON:
            # "talk to a human": not a question about the knowledge; the way to a person.
            answer = self._make(question, library, Outcome.PERSON)
        elif reading.kind is MessageKind.HELP:
            # "hi bot", "help": nothing to look up, but a few questions to start from.
            answer = replace(
                self._make(
                    question, library, Outcome.EMPTY, suggestions=self._starter_suggestions(library)
                ),
                sources=library.source_titles,
            )
        else:
            answer = self._reply(question, text, reading, library, context)
        self._record(answer, context)
        return answer

    def is_small_talk(self, message: str) -> bool:
        """Whether a message asks nothing ("thanks!", "+1", "lol"): chat adapters let it pass
        without a reply, and without spending the asker's cooldown."""
        reading = read_message(readable_question(message), self._library.index.language)
        return reading.kind is MessageKind.NOT_A_QUESTION

    def _reply(
        self,
        question: str,
        text: str,
        reading: Reading,
        library: Library,
        context: AskContext | None = None,
    ) -> Answer:
        """The answer, "did you mean", "I don't know" or "I can't judge" to a question."""
        alone = library.index.rank(reading.focus, limit=5, context=reading.context)
        names_something = bool(alone) or library.index.has_topic(
            f"{reading.context} {reading.focus}"
        )
        earlier = self._conversations.recall(context.conversation if context else None)
        points_back = library.index.language.points_back
        follow_up = earlier is not None and (
            not names_something or points_back.search(reading.focus.casefold()) is not None
        )
        matches = alone
        if follow_up:
            # "why?", "who made that call?", "what about the docs?": read with the
            # conversation's last question, as a long message's question is read with the
            # sentences around it. That question stays what the conversation is about.
            matches = library.index.rank(
                reading.focus, limit=5, context=reading.context, earlier=earlier or ""
            )
        elif names_something:
            asked = f"{reading.context} {reading.focus}".strip()
            self._remember(context, asked[-MAX_QUESTION_CHARS:])
        if not matches and not names_something:
            return self._make(
                question, library, Outcome.EMPTY, suggestions=self._starter_suggestions(library)
            )
        decision = decide(matches, library.policy)
        if follow_up:
            decision = self._follow_up_decision(
                decision, alone, matches, library, reading.focus, earlier or ""
            )
        if declines_to_judge(reading, matches) or declines_to_predict(reading, decision):
            suggestions = tuple(library.suggestion(m.key) for m in matches[:MAX_SUGGESTIONS])
            return self._make(question, library, Outcome.OPINION, suggestions=suggestions)
        suggestions = tuple(library.suggestion(m.key) for m in decision.suggestions)
        # A message that asks several things: each question as the policy answers it alone.
        parts = () if follow_up else asked_parts(reading.focus, library.index.language)
        by_part = [self._part_reply(part, reading, library) for part in parts]
        answers = [reply.answer for reply in by_part if reply.answer is not None]
        if decision.outcome is Outcome.ANSWERED and decision.best is not None:
            answer = self._answer_entry(
                question,
                library,
                decision.best.key,
                decision.confidence,
                suggestions,
                asked=reading.focus,
            )
            return self._joined(answer, answers, by_part)
        answered_entries = {a.entry_id for a in answers}
        if answers and all(
            r.answer is not None or r.unknown or r.opinion or r.offered in answered_entries
            for r in by_part
        ):
            # Read whole, the questions blend into one that no entry answers; each of them
            # has its own answer, is one the knowledge does not hold at all, asks for a
            # judgement, or would be offered first the entry another of them gets.
            first, *more = answers
            return self._joined(
                replace(first, question=question, suggestions=suggestions), more, by_part
            )
        return self._make(
            question,
            library,
            decision.outcome,
            confidence=decision.confidence,
            suggestions=suggestions,
            follows=earlier if follow_up and earlier else "",
            in_another_language=written_in_another_language(text, library.index.language),
        )

    @staticmethod
    def _joined(answer: Answer, more: list[Answer], parts: list[_PartReply]) -> Answer:
        """The answer followed by those to the message's other questions ("How far is it,
        and is there a bus?"), at most MAX_MORE_ANSWERS of them, each with its sources; a
        question whose entry is already in the reply adds nothing. Of the message's `parts`,
        those the knowledge does not hold and those asking for a judgement are named."""
        given = {answer.entry_id}
        kept: list[Answer] = []
        for extra in more:
            if extra.entry_id not in given and len(kept) < MAX_MORE_ANSWERS:
                given.add(extra.entry_id)
                kept.append(extra)
        citations = list(answer.citations)
        for extra in kept:
            citations += [c for c in extra.citations if c not in citations]
        return replace(
            answer,
            text="\n\n".join(a.text for a in (answer, *kept) if a.text),
            more_entry_ids=tuple(a.entry_id for a in kept if a.entry_id),
            citations=tuple(citations),
            # "related" questions the reply already answers are no longer related (the
            # message read whole may have offered the very entry a question of it gets)
            suggestions=tuple(s for s in answer.suggestions if s.entry_id not in given),
            unanswered_parts=tuple(part.question for part in parts if part.unknown),
            opinion_parts=tuple(part.question for part in parts if part.opinion),
        )

    def _part_reply(self, part: str, reading: Reading, library: Library) -> _PartReply:
        """One question of a message that asks several, read with the rest of the message as
        its context and answered when the policy would answer it alone; no answer for an
        opinion ("was that fair?") or an unsure match."""
        index = library.index
        kind = read_message(part, index.language).kind
        if kind is not MessageKind.QUESTION:
            return _PartReply(part, None, opinion=kind is MessageKind.OPINION)
        matches = index.rank(part, limit=5, context=reading.context)
        decision = decide(matches, library.policy)
        if decision.outcome is Outcome.ANSWERED and decision.best is not None:
            answer = self._answer_entry(part, library, decision.best.key, decision.confidence, ())
            return _PartReply(part, answer)
        # Known not to be known: a question that names something of its own ("how long?" or
        # "is it free?" leans on the question before it, which the reply may well answer)
        # and that nothing in the knowledge comes close to, even as "did you mean".
        unknown = (
            decision.outcome is Outcome.UNKNOWN
            and index.has_topic(part)
            and index.language.points_back.search(part.casefold()) is None
        )
        # Unsure between entries, the first of them the one another question of the message
        # gets: that answer is the reply to both ("Do they pay to get in? And what's it cost
        # for me?").
        offered = None
        if decision.outcome is Outcome.DID_YOU_MEAN and decision.best is not None:
            offered = decision.best.key
        return _PartReply(part, None, unknown=unknown, offered=offered)

    @staticmethod
    def _follow_up_decision(
        decision: Decision,
        alone: list[Match],
        matches: list[Match],
        library: Library,
        focus: str,
        earlier: str,
    ) -> Decision:
        """A follow-up is answered outright only when read on its own it gets the same
        answer, or when it names nothing of its own and asks for a kind of fact ("when?",
        "where was it?") that the entry the earlier question was about gives. Otherwise what
        "it" or "they" points at is a guess: the entries it may mean are offered, not one of
        them asserted. (80 follow-ups written from two source documents alone: read on their
        own, 20 got a wrong answer; read so, 12 do, with 31 right answers against 26, and 18
        more are offered with the right entry first.)"""
        if alone and matches and alone[0].key == matches[0].key:
            on_its_own = decide(alone, library.policy)
            if on_its_own.outcome is Outcome.ANSWERED:
                return on_its_own
        if not alone and matches and _asks_of_the_last_answer(focus, matches[0], earlier, library):
            rest = tuple(matches[1 : MAX_SUGGESTIONS + 1])
            return Decision(Outcome.ANSWERED, matches[0], rest, decision.confidence)
        if decision.outcome is not Outcome.ANSWERED:
            return decision
        return Decision(
            Outcome.DID_YOU_MEAN,
            decision.best,
            tuple(matches[:MAX_SUGGESTIONS]),
            decision.confidence,
        )

    def answer_entry(
        self,
        entry_id: str,
        context: AskContext | None = None,
        question: str | None = None,
        *,
        record: bool = True,
    ) -> Answer | None:
        """Answer one entry directly: a 'did you mean' choice or an autocomplete pick
        (record=False: an answer shown again, already in the log)."""
        library = self._library
        entry = library.entry(entry_id)
        if entry is None:
            return None
        answer = self._answer_entry(question or entry.question, library, entry_id, 1.0, ())
        if record:
            # A picked choice is what the conversation is now about: "why?" asks about it.
            self._remember(context, entry.question)
            self._record(answer, context)
        return answer

    def _remember(self, context: AskContext | None, question: str) -> None:
        """Hold the question as what the message's conversations are now about."""
        for conversation in context.remembered_in if context else ():
            self._conversations.remember(conversation, question)

    def closest_question(self, question: str) -> str | None:
        """The question of the entry closest to this one, however far (nothing is logged):
        what moderators are shown as the bot's best attempt."""
        closest = self._library.closest(readable_question(question))
        return closest[0].question if closest else None

    def feedback(self, answer_id: str, helpful: bool, context: AskContext | None = None) -> bool:
        """Record a rating of an answer; False when it could not be stored."""
        if self._log is None:
            return False
        return self._log.record_feedback(answer_id, helpful, context or AskContext())

    def autocomplete(self, partial: str, limit: int = MAX_AUTOCOMPLETE) -> list[Suggestion]:
        """FAQ questions for a half-typed question, best first."""
        library = self._library
        limit = min(limit, MAX_AUTOCOMPLETE)
        if not partial.strip():
            return [library.suggestion(e.id) for e in library.snapshot.entries[:limit]]
        typed = " ".join(clean_text(partial)[:MAX_QUESTION_CHARS].casefold().split())
        # People type a question from its start: questions that begin with the typed words
        # come first, then whatever the matcher ranks best for them.
        keys = [e.id for e in library.snapshot.entries if e.question.casefold().startswith(typed)]
        keys += [m.key for m in library.index.rank(typed, limit=limit)]
        return [library.suggestion(key) for key in dict.fromkeys(keys)][:limit]

    def topics(self) -> tuple[TopicGroup, ...]:
        """What the knowledge covers: its questions grouped by subject, for browsing."""
        return group_topics(self._library.snapshot.entries)

    def topic_group(self, name: str) -> TopicGroup | None:
        """Every entry tagged `name`, or None when no entry is."""
        return topic_named(self._library.snapshot.entries, name)

    def briefing_titles(self) -> tuple[tuple[str, str], ...]:
        """(id, title) of every briefing, in the knowledge's order."""
        return tuple((b.id, b.title) for b in self._library.snapshot.briefings)

    def briefing_menu(self, usage: str) -> str | None:
        """What to say to a bare briefing command when there are several briefings to choose
        from (None when there are fewer: the one there is, or none, is the answer). `usage`
        shows how to name one on the platform ("/briefing ID")."""
        titles = self.briefing_titles()
        if len(titles) < 2:
            return None
        lines = [f"• {briefing_id}: {title}" for briefing_id, title in titles]
        return f"Which briefing? Use {usage} with one of these:\n" + "\n".join(lines)

    def known_briefing(self, briefing_id: str | None) -> str | None:
        """briefing_id if the knowledge has that briefing, else None: a workspace's default
        briefing may have left the knowledge since it was chosen."""
        if briefing_id is None or self._library.snapshot.briefing(briefing_id) is None:
            return None
        return briefing_id

    def briefing(self, briefing_id: str | None = None) -> BriefingView | None:
        library = self._library
        briefing = library.snapshot.briefing(briefing_id)
        return render_briefing(library, briefing) if briefing else None

    def on_reload(self, listener: Callable[[ReloadResult], None]) -> Callable[[], None]:
        """Call listener after every reload attempt (adapters refresh pins, report errors).

        Returns a function that stops the calls, for an adapter that shuts down.
        """
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def reload(self) -> ReloadResult:
        """Load the knowledge again; keep serving the last good version if it fails."""
        if self._knowledge_dir is None:
            return ReloadResult(False, self._library.version)
        with self._reload_lock:
            try:
                library, errors = load_library(self._knowledge_dir, self._library)
            except Exception as exc:  # the last good knowledge keeps answering, whatever broke
                _log.error("knowledge reload failed: %s: %s", exc.__class__.__name__, exc)
                problem = KnowledgeError(
                    str(self._knowledge_dir.name), None, None, f"reload failed: {exc}"
                )
                library, errors = None, (problem,)
            if library is None:
                result = ReloadResult(False, self._library.version, errors)
                _log.warning(
                    "knowledge reload rejected, still serving %s:\n%s",
                    self._library.version,
                    "\n".join(map(str, errors)),
                )
            else:
                changed = library.version != self._library.version
                self._library = library  # the swap: one assignment
                result = ReloadResult(changed, library.version)
                if changed:
                    _log.info(
                        "knowledge reloaded: version %s, %d entries",
                        library.version,
                        len(library.snapshot.entries),
                    )
        for listener in list(self._listeners):
            try:
                listener(result)
            except Exception:  # a broken listener must not stop the others
                _log.exception("reload listener failed")
        return result

    def _starter_suggestions(self, library: Library) -> tuple[Suggestion, ...]:
        briefing = library.snapshot.briefing()
        ids = briefing.entries if briefing else tuple(e.id for e in library.snapshot.entries)
        return tuple(library.suggestion(i) for i in ids[:3])

    def _answer_entry(
        self,
        question: str,
        library: Library,
        entry_id: str,
        confidence: float,
        suggestions: tuple[Suggestion, ...],
        asked: str | None = None,
    ) -> Answer:
        """`asked`: the part of the message that asks (a long message's question sentence),
        which decides whether the answer's opening "Yes."/"No." is kept."""
        entry = library.snapshot.by_id[entry_id]
        asked = asked or question
        # A yes or no is the reply to the entry's own questions: kept only for a question that
        # asks nothing beyond one of them.
        written = (entry.question, *filter(asks_yes_or_no, entry.phrasings))
        return self._make(
            question,
            library,
            Outcome.ANSWERED,
            text=answer_for(
                asked, entry.answer, as_written=library.index.names_nothing_beyond(asked, written)
            ),
            confidence=confidence,
            entry_id=entry_id,
            citations=library.citations_of(entry),
            suggestions=suggestions,
        )

    @staticmethod
    def _make(
        question: str,
        library: Library,
        outcome: Outcome,
        *,
        text: str | None = None,
        confidence: float = 0.0,
        entry_id: str | None = None,
        citations: tuple[Citation, ...] = (),
        suggestions: tuple[Suggestion, ...] = (),
        follows: str = "",
        in_another_language: bool = False,
    ) -> Answer:
        return Answer(
            question=question,
            outcome=outcome,
            text=text,
            confidence=confidence,
            entry_id=entry_id,
            citations=citations,
            suggestions=suggestions,
            answer_id=uuid.uuid4().hex,
            knowledge_version=library.version,
            follows=follows,
            in_another_language=in_another_language,
        )

    def _record(self, answer: Answer, context: AskContext | None) -> None:
        if self._log is None:
            return
        try:
            self._log.record_answer(answer, context or AskContext())
        except Exception:  # logging is best effort: it never costs the asker an answer
            _log.exception("could not log the question")


def _asks_of_the_last_answer(focus: str, best: Match, earlier: str, library: Library) -> bool:
    """Whether a follow-up asks for a kind of fact ("when?", "how long?") that its best entry
    gives, and that entry is the one the conversation's earlier question was about: it asks
    the time or place of what was just answered."""
    if wanted_answer_type(focus) is None or best.lacks_wanted_type:
        return False
    before = library.index.rank(earlier, limit=1)
    return bool(before) and before[0].key == best.key


@dataclass(frozen=True)
class _PartReply:
    """One question of a message that asks several, and what the bot makes of it alone."""

    question: str
    answer: Answer | None  # None: not answered on its own
    unknown: bool = False  # nothing in the knowledge comes close to it
    opinion: bool = False  # asks for a judgement ("was that fair?"), which the bot cannot give
    offered: str | None = None  # "did you mean": the first of the entries it would offer


class KnowledgeLoadError(Exception):
    """The knowledge could not be loaded at start; there is no last good version to serve."""

    def __init__(self, errors: tuple[KnowledgeError, ...]) -> None:
        self.errors = errors
        super().__init__("knowledge has errors:\n" + "\n".join(str(e) for e in errors))
