"""The Store: question log, ratings, pins and hand-offs in SQLite or PostgreSQL, never
breaking an answer.

Every public method swallows database trouble. The first failure logs one warning; after it
the database is left alone for RETRY_SECONDS (by the injected clock), then tried again, and
the first success after an outage logs that logging has resumed. Questions that arrive while
the database is unusable wait in a bounded queue and are written once it works again; only
past MAX_PENDING_QUESTIONS are the oldest dropped, and then counted (in the log, and in the
database for `report`). Closing tries once more to write them, and says how many are lost
if it cannot. An answer is never held back for the log. A SQLite file deleted or
replaced under the running bot is noticed and started anew, with a warning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from bot.answers import Answer, Outcome
from bot.handoffs import ANSWERED, Handoff
from bot.store import channels as channel_sql
from bot.store import claims as claim_sql
from bot.store import handoffs as handoff_sql
from bot.store import installations as installation_sql
from bot.store import pins as pin_sql
from bot.store import question_log
from bot.store import workspace_settings as setting_sql
from bot.store.connection import (
    BUSY_TIMEOUT_SECONDS,
    OPEN_BUSY_TIMEOUT_SECONDS,
    Database,
    Session,
    is_postgres_url,
    open_database,
    outage_errors,
    shown_location,
    without_password,
)
from bot.store.grouping import group_near_duplicates
from bot.store.models import (
    EntryFeedback,
    EntryUse,
    HandoffAdmission,
    PinnedBriefing,
    UnansweredGroup,
)
from bot.store.question_log import FeedbackRow, QuestionRow
from bot.store.schema import SchemaTooNewError

if TYPE_CHECKING:
    from bot.service import AskContext

__all__ = ["MAX_STORED_QUESTION_CHARS", "PURGE_INTERVAL_SECONDS", "RETRY_SECONDS", "Store"]

_log = logging.getLogger(__name__)

_T = TypeVar("_T")

# After the database fails it is left alone this long: a locked or broken file then costs one
# busy-timeout wait every few seconds, not one per question.
RETRY_SECONDS = 5.0
# Expired rows are purged when the database opens, then at most this often by record_answer.
PURGE_INTERVAL_SECONDS = 3600.0
SECONDS_PER_DAY = 86_400
# Questions kept in memory while the database cannot be written (a lock, a full disk): about
# an hour of a busy community; beyond it the oldest are dropped and counted.
MAX_PENDING_QUESTIONS = 10_000
# The meta key under which questions dropped that way are counted.
DROPPED_KEY = "questions_dropped"
# A question's text is stored up to this length: the matcher reads no further
# (bot.service.MAX_QUESTION_CHARS), and a pasted wall of text must not bloat the log.
MAX_STORED_QUESTION_CHARS = 1000


class Store:
    """The question and feedback log and the pinned-briefing registry (a bot.service.QuestionLog).

    Safe to share between threads: one connection at a time, used under a lock.

    Args:
        location: a SQLite file (it and its folder are created when missing) or a
            `postgresql://` URL (the database must exist; its tables are created).
        retention_days: questions and ratings older than this are deleted, and hand-offs
            nothing happened to for this long (answered or dismissed, else asked).
        log_question_text: store the words of each question (False stores NULL).
        clock: unix time now; tests inject their own.
        read_only: only read (reports): nothing is written, purged or migrated.
    """

    def __init__(
        self,
        location: str | Path,
        *,
        retention_days: int = 90,
        log_question_text: bool = True,
        clock: Callable[[], float] = time.time,
        read_only: bool = False,
    ) -> None:
        self._location: str | Path = location if is_postgres_url(location) else Path(location)
        self._shown = shown_location(location)  # for logs: never a password
        self._outages = outage_errors(location)
        self._read_only = read_only
        self._retention_seconds = retention_days * SECONDS_PER_DAY
        self._log_question_text = log_question_text
        self._clock = clock
        self._lock = threading.Lock()
        self._db: Database | None = None
        self._retry_at = float("-inf")
        self._next_purge_at = float("-inf")
        self._failing = False
        self._closed = False
        self._file_id: tuple[int, int] | None = None  # (device, inode) of the file opened
        self._pending: deque[tuple[Answer, AskContext, float]] = deque()
        self._dropped = 0  # questions dropped from a full queue, not yet counted in the file
        with self._lock:
            # At start, another process may hold a new file a while (its migration).
            self._database(open_timeout=OPEN_BUSY_TIMEOUT_SECONDS)

    @property
    def location(self) -> str | Path:
        """The SQLite file or the PostgreSQL URL."""
        return self._location

    @property
    def shown_location(self) -> str:
        """The location as it may be shown: a URL's password is left out."""
        return self._shown

    @property
    def available(self) -> bool:
        """Whether the database is open and its last use worked."""
        with self._lock:
            return self._db is not None

    def record_answer(self, answer: Answer, context: AskContext) -> None:
        """Log one question and what the bot did with it (later, if the log is unusable now)."""
        now = self._clock()
        with self._lock:
            if self._closed:
                return
            self._pending.append((answer, context, now))
            if len(self._pending) > MAX_PENDING_QUESTIONS:
                self._pending.popleft()
                self._dropped += 1
                if self._dropped == 1 or self._dropped % 1000 == 0:
                    _log.warning(
                        "question log %s: %d question(s) dropped while it cannot be written",
                        self._shown,
                        self._dropped,
                    )

        def write(db: Session) -> None:
            self._flush_pending(db)
            if now >= self._next_purge_at:
                self._purge(db, now)

        self._run(write, None)

    def record_received(self, question: str, context: AskContext) -> bool:
        """Log a question as received, before the platform is told it arrived: if this process
        dies before answering, the question still shows (unanswered) in reports. Its answer,
        logged with the same delivery, replaces the row. False when it could not be written."""
        now = self._clock()
        received = Answer(question=question, outcome=Outcome.UNKNOWN)

        def write(db: Session) -> bool:
            row = self._question_row(received, context, db, now)
            question_log.insert_question(
                db.conn, dataclasses.replace(row, outcome=question_log.RECEIVED)
            )
            return True

        return bool(context.delivery) and self._run(write, False)

    def received_at(self, delivery: str) -> float | None:
        """When a question logged as received came in, while it is not yet answered."""
        return self._run(lambda db: question_log.received_at(db.conn, delivery), None)

    def forget_received(self, delivery: str) -> None:
        """Drop a question logged as received that will not be answered (a cooldown)."""
        self._run(lambda db: question_log.delete_received(db.conn, delivery), None)

    @property
    def pending(self) -> int:
        """Questions waiting for the database to be writable again."""
        with self._lock:
            return len(self._pending)

    def dropped(self) -> int:
        """Questions never logged because the queue overflowed, counted in the database."""
        with self._lock:
            counted = self._run_locked(lambda db: question_log.meta_int(db.conn, DROPPED_KEY), 0)
            return counted + self._dropped

    def _flush_pending(self, db: Session) -> None:
        """Write every waiting question in one transaction; they stay queued if it fails."""
        with db.conn.transaction():
            for answer, context, asked_at in self._pending:
                row = self._question_row(answer, context, db, asked_at)
                question_log.insert_question(db.conn, row)
            if self._dropped:
                question_log.add_to_meta_int(db.conn, DROPPED_KEY, self._dropped)
        self._pending.clear()
        self._dropped = 0

    def record_feedback(self, answer_id: str, helpful: bool, context: AskContext) -> bool:
        """Log a rating of a logged answer; False when it could not be stored."""
        now = self._clock()

        def write(db: Session) -> bool:
            row = FeedbackRow(now, answer_id, _user_hash(db.salt, context), helpful)
            return question_log.insert_feedback(db.conn, row)

        return self._run(write, False)

    def purge_expired(self) -> int:
        """Delete questions, ratings and hand-offs older than the retention; return how many
        rows went."""
        return self._run(lambda db: self._purge(db, self._clock()), 0)

    def unanswered(self, since: float, limit: int) -> list[UnansweredGroup]:
        """Questions not answered since then, near-duplicates grouped, the most asked first."""
        no_rows: list[tuple[str, float]] = []
        asked = self._run(lambda db: question_log.unanswered_texts(db.conn, since), no_rows)
        return group_near_duplicates(asked, max(limit, 0))

    def unanswered_without_text(self, since: float) -> int:
        """Questions not answered since then whose words were not logged."""
        return self._run(lambda db: question_log.unanswered_without_text(db.conn, since), 0)

    def most_unhelpful(self, since: float, limit: int) -> list[EntryFeedback]:
        """Entries rated "not helpful" since then, the most such ratings first."""
        limit = max(limit, 0)
        return self._run(lambda db: question_log.most_unhelpful(db.conn, since, limit), [])

    def entry_use(self, since: float, limit: int) -> list[EntryUse]:
        """Per entry since then: questions that matched it best, and how many it answered."""
        limit = max(limit, 0)
        return self._run(lambda db: question_log.entry_use(db.conn, since, limit), [])

    def set_help_channel(
        self, platform: str, workspace: str, channel: str, on: bool, marked_by: str = ""
    ) -> bool:
        """Mark or unmark a help channel; False when the database could not be written."""
        key = (platform, workspace, channel)

        def write(db: Session) -> bool:
            channel_sql.set_help_channel(db.conn, key, on, marked_by, self._clock())
            return True

        return self._run(write, False)

    def help_channels(self, platform: str) -> set[tuple[str, str]]:
        """(workspace, channel) of the platform's help channels; empty when unreadable."""
        return self._run(lambda db: channel_sql.help_channels(db.conn, platform), set())

    def question_text(self, answer_id: str) -> str | None:
        """The words of the question an answer answered, when the log keeps them."""

        def read(db: Session) -> str | None:
            row = db.conn.execute(
                "SELECT text FROM questions WHERE answer_id = ?", (answer_id,)
            ).fetchone()
            return str(row[0]) if row and row[0] else None

        return self._run(read, None)

    def add_handoff(self, handoff: Handoff) -> bool:
        """Keep a new hand-off; False when the database could not be written."""

        def write(db: Session) -> bool:
            handoff_sql.insert_handoff(db.conn, handoff)
            return True

        return self._run(write, False)

    def add_handoff_within_limit(
        self, handoff: Handoff, limit: int, since: float
    ) -> HandoffAdmission:
        """Keep a new hand-off unless its asker already has `limit` since then. Counted and
        kept in one transaction, so clicks at once (threads, replicas) never pass the limit."""

        def write(db: Session) -> HandoffAdmission:
            added = handoff_sql.insert_within_limit(db.conn, handoff, limit, since)
            return HandoffAdmission.ADDED if added else HandoffAdmission.TOO_MANY

        return self._run(write, HandoffAdmission.NOT_SAVED)

    def set_handoff_notice(self, handoff_id: str, channel: str, ref: str) -> None:
        self._run(lambda db: handoff_sql.set_notice(db.conn, handoff_id, channel, ref), None)

    def handoff(self, handoff_id: str) -> Handoff | None:
        return self._run(lambda db: handoff_sql.select_handoff(db.conn, handoff_id), None)

    def close_handoff(self, handoff_id: str, status: str, reply: str, by: str) -> bool:
        """Answer or dismiss an open hand-off; False when it was handled already."""
        now = self._clock()
        return self._run(
            lambda db: handoff_sql.close_handoff(db.conn, handoff_id, status, reply, by, now),
            False,
        )

    def handoffs_since(self, platform: str, user: str, since: float) -> int:
        return self._run(lambda db: handoff_sql.count_since(db.conn, platform, user, since), 0)

    def open_handoffs(self) -> list[Handoff]:
        return self._run(lambda db: handoff_sql.open_handoffs(db.conn), [])

    def answered_handoffs(self, since: float, until: float, limit: int) -> list[Handoff]:
        """Hand-offs the moderators answered in a window, newest first."""
        return self._run(
            lambda db: handoff_sql.handled_between(db.conn, ANSWERED, since, until, limit), []
        )

    def claim(self, kind: str, key: str, seconds: float, value: str = "") -> bool | None:
        """Take (kind, key) for this long unless another process holds it: True when taken,
        False when held elsewhere, None when the database cannot say (decide alone)."""
        now = self._clock()
        return self._run(
            lambda db: claim_sql.take(db.conn, kind, key, value, now, now + seconds), None
        )

    def claimed(self, kind: str, key: str) -> str | None:
        """The value of an unexpired claim; None when nobody holds it (or cannot be read)."""
        now = self._clock()
        return self._run(lambda db: claim_sql.value_of(db.conn, kind, key, now), None)

    def release(self, kind: str, key: str) -> None:
        """Give a claim up early, so that another try may take it."""
        self._run(lambda db: claim_sql.release(db.conn, kind, key), None)

    def consume(self, kind: str, key: str) -> bool:
        """Use up an unexpired claim: True for the one caller that did (a one-time token)."""
        now = self._clock()
        return self._run(lambda db: claim_sql.consume(db.conn, kind, key, now), False)

    def set_workspace_setting(
        self, platform: str, workspace: str, name: str, value: str | None, changed_by: str = ""
    ) -> bool:
        """Set (or with None, clear) a workspace's setting; False when it could not be saved."""
        key = (platform, workspace, name)

        def write(db: Session) -> bool:
            if value is None:
                setting_sql.delete_setting(db.conn, key)
            else:
                setting_sql.upsert_setting(db.conn, key, value, changed_by, self._clock())
            return True

        return self._run(write, False)

    def change_workspace_list(
        self,
        platform: str,
        workspace: str,
        name: str,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        changed_by: str = "",
    ) -> list[str] | None:
        """Add and remove items of a workspace's list setting (kept comma-separated), read
        and written in one transaction: two moderators changing it at once, on two replicas,
        both count. The list as it now stands; None when it could not be saved."""
        key = (platform, workspace, name)

        def change(db: Session) -> list[str]:
            with db.conn.transaction():
                db.conn.hold("workspace_settings/" + "/".join(key))
                current = (setting_sql.select_setting(db.conn, key) or "").split(",")
                kept = [item for item in current if item and item not in remove]
                changed = [*kept, *(item for item in dict.fromkeys(add) if item not in kept)]
                if changed:
                    value = ",".join(changed)
                    setting_sql.upsert_setting(db.conn, key, value, changed_by, self._clock())
                else:
                    setting_sql.delete_setting(db.conn, key)
                return changed

        return self._run(change, None)

    def workspace_setting(self, platform: str, workspace: str, name: str) -> str | None:
        """A workspace's own setting; None when it has none (or it cannot be read)."""
        key = (platform, workspace, name)
        return self._run(lambda db: setting_sql.select_setting(db.conn, key), None)

    def save_installation(self, enterprise_id: str, team_id: str, data: str) -> bool:
        """Keep a Slack workspace's installation (JSON, with its bot token)."""
        key = (enterprise_id, team_id)

        def write(db: Session) -> bool:
            installation_sql.save_installation(db.conn, key, data, self._clock())
            return True

        return self._run(write, False)

    def installation(self, enterprise_id: str, team_id: str) -> str | None:
        key = (enterprise_id, team_id)
        return self._run(lambda db: installation_sql.select_installation(db.conn, key), None)

    def delete_installation(self, enterprise_id: str, team_id: str) -> int:
        key = (enterprise_id, team_id)
        return self._run(lambda db: installation_sql.delete_installation(db.conn, key), 0)

    def installed_teams(self) -> list[tuple[str, str]]:
        """(enterprise id, team id) of every Slack workspace that installed the app."""
        return self._run(lambda db: installation_sql.teams(db.conn), [])

    def save_pin(self, pin: PinnedBriefing) -> None:
        """Add a briefing message, or replace the one with the same platform, channel, id."""
        self._run(lambda db: pin_sql.upsert_pin(db.conn, pin, self._clock()), None)

    def pins(
        self, platform: str | None = None, briefing_id: str | None = None
    ) -> list[PinnedBriefing]:
        return self._run(lambda db: pin_sql.select_pins(db.conn, platform, briefing_id), [])

    def mark_pinned(
        self, platform: str, channel: str, message_id: str, pinned: bool = True
    ) -> None:
        key = (platform, channel, message_id)
        self._run(lambda db: pin_sql.set_pinned(db.conn, key, pinned, self._clock()), None)

    def update_pin_version(
        self, platform: str, channel: str, message_id: str, knowledge_version: str
    ) -> None:
        key = (platform, channel, message_id)
        self._run(
            lambda db: pin_sql.set_pin_version(db.conn, key, knowledge_version, self._clock()),
            None,
        )

    def remove_pin(self, platform: str, channel: str, message_id: str) -> None:
        key = (platform, channel, message_id)
        self._run(lambda db: pin_sql.delete_pin(db.conn, key), None)

    def close(self) -> None:
        """Close the database; later calls do nothing and return empty results.

        Questions still waiting for the database get one more try, no longer than a write
        waits for a lock; those it cannot write are lost, and one warning says how many."""
        with self._lock:
            if not self._closed:
                self._flush_at_close()
            self._closed = True
            self._drop_connection()

    def _flush_at_close(self) -> None:
        if not self._pending:
            return
        why = "unexpected error"
        try:
            self._notice_replaced_file()
            # Once, now, even while the store waits out RETRY_SECONDS after a failure.
            db = self._db or self._open(open_timeout=BUSY_TIMEOUT_SECONDS)
            with db.session() as session:
                self._flush_pending(session)
        except self._outages as exc:
            why = f"{type(exc).__name__}: {without_password(str(exc), self._location)}"
        except Exception:  # a bug here must still not keep the bot from stopping
            _log.exception("question log: unexpected error writing the waiting questions")
        if not self._pending:
            return
        dropped = (
            f"; {self._dropped} more were dropped from the full queue before"
            if self._dropped
            else ""
        )
        _log.warning(
            "question log %s: %d question(s) asked while it could not be written are lost at"
            " close: it still cannot be written (%s)%s",
            self._shown,
            len(self._pending),
            why,
            dropped,
        )
        self._pending.clear()
        self._dropped = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, operation: Callable[[Session], _T], default: _T) -> _T:
        """Run operation on the open database, or return default when it is unusable."""
        with self._lock:
            return self._run_locked(operation, default)

    def _run_locked(self, operation: Callable[[Session], _T], default: _T) -> _T:
        self._notice_replaced_file()
        db = self._database()
        if db is None:
            return default
        try:
            with db.session() as session:
                result = operation(session)
        except self._outages as exc:
            self._fail(exc)
            return default
        except Exception:  # a bug here must still not cost the asker an answer
            _log.exception("question log: unexpected error")
            return default
        if self._failing:
            self._failing = False
            _log.info("question log %s is usable again; logging resumed", self._shown)
        return result

    def _notice_replaced_file(self) -> None:
        """A log file deleted (or swapped) under the running bot would swallow every row
        unseen: start a new one instead, and say so."""
        if self._db is None or self._file_id is None or self._read_only:
            return
        assert isinstance(self._location, Path)  # only a file has a _file_id
        try:
            status = self._location.stat()
            current: tuple[int, int] | None = (status.st_dev, status.st_ino)
        except OSError:
            current = None
        if current != self._file_id:
            _log.warning(
                "question log %s was deleted or replaced while the bot ran; starting a new one",
                self._shown,
            )
            self._drop_connection()
            self._retry_at = float("-inf")

    def _database(self, open_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database | None:
        """The open database, opened now if it is due; None while it is unusable. Opened
        again while the bot runs, it waits no longer for a lock than a write does: a question
        is waiting for its answer."""
        if self._db is not None or self._closed or self._clock() < self._retry_at:
            return self._db
        try:
            db = self._open(open_timeout)
        except self._outages as exc:
            self._fail(exc)
            return self._db
        if not self._read_only:
            self._purge_at_open(db)
        return self._db

    def _open(self, open_timeout: float) -> Database:
        """Open the database now (no purge); raises an outage error when it cannot be used.
        `open_timeout`: how long a SQLite file may keep it waiting for another's lock."""
        self._db = open_database(
            self._location, read_only=self._read_only, open_timeout=open_timeout
        )
        try:
            if isinstance(self._location, Path):
                status = self._location.stat()
                self._file_id = (status.st_dev, status.st_ino)
        except OSError:
            self._drop_connection()
            raise
        return self._db

    def _purge_at_open(self, db: Database) -> None:
        """Purge right after opening, if the database lets us now. Another process starting
        on the same file may hold it for a moment (its migration, its own purge): the
        database is usable all the same, and the purge waits for the next question."""
        try:
            with db.session() as session:
                self._purge(session, self._clock())
        except self._outages as exc:
            _log.debug("question log %s: purge at open put off (%s)", self._shown, exc)
            self._next_purge_at = float("-inf")

    def _fail(self, exc: BaseException) -> None:
        self._drop_connection()
        self._retry_at = self._clock() + RETRY_SECONDS
        if not self._failing:
            self._failing = True
            _log.warning(
                "question log %s cannot be used (%s: %s); the bot keeps answering, but questions,"
                " ratings and pins are not saved until it can be used (retrying every %g s)%s",
                self._shown,
                type(exc).__name__,
                without_password(str(exc), self._location),
                RETRY_SECONDS,
                _advice(exc),
            )

    def _drop_connection(self) -> None:
        if self._db is not None:
            with contextlib.suppress(*self._outages):
                self._db.close()
            self._db = None

    def _purge(self, db: Session, now: float) -> int:
        cutoff = now - self._retention_seconds
        with db.conn.transaction():
            removed = question_log.purge_before(db.conn, cutoff)
            removed += handoff_sql.purge_before(db.conn, cutoff)
        claim_sql.delete_expired(db.conn, now)
        self._next_purge_at = now + PURGE_INTERVAL_SECONDS
        if removed:
            _log.info("question log: deleted %d rows older than the retention", removed)
        return removed

    def _question_row(
        self, answer: Answer, context: AskContext, db: Session, now: float
    ) -> QuestionRow:
        text = _storable(answer.question) if self._log_question_text else None
        return QuestionRow(
            asked_at=now,
            platform=context.platform,
            workspace=context.workspace,
            channel=context.channel,
            user_hash=_user_hash(db.salt, context),
            text=text,
            entry_id=_matched_entry(answer),
            confidence=answer.confidence,
            answered=answer.answered,
            outcome=answer.outcome.value,
            answer_id=answer.answer_id or None,
            knowledge_version=answer.knowledge_version,
            delivery=context.delivery or None,
            more_entries=answer.more_entry_ids if answer.answered else (),
            # (questions' words: kept only where the log keeps them)
            unanswered_parts=(
                tuple(_storable(p) for p in answer.unanswered_parts)
                if answer.answered and self._log_question_text
                else ()
            ),
        )


def _advice(exc: BaseException) -> str:
    """What a person can do about a failure that will not go away by itself."""
    if isinstance(exc, SchemaTooNewError):
        return "; it was written by a newer version of the bot"
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return "; if the file is damaged, move it aside and a new log will be started"
    return ""


def _user_hash(salt: bytes, context: AskContext) -> str | None:
    """A keyed SHA-256 of the platform and user id: stable within one database, not reversible
    without its salt, and never the raw id. None when the platform gave no user."""
    if not context.user_id:
        return None
    message = f"{context.platform}\x00{context.user_id}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()


def _storable(question: str) -> str:
    """A question as the log keeps it: cut to MAX_STORED_QUESTION_CHARS, and lone surrogates
    (undecodable bytes read with surrogateescape), which UTF-8 cannot store, made U+FFFD."""
    return question[:MAX_STORED_QUESTION_CHARS].encode("utf-8", "replace").decode("utf-8")


def _matched_entry(answer: Answer) -> str | None:
    """The entry a question matched best: the one answered, else the first one offered.

    A blank question's suggestions are starters, not matches, so it has none.
    """
    if answer.answered:
        return answer.entry_id
    if answer.outcome is not Outcome.EMPTY and answer.suggestions:
        return answer.suggestions[0].entry_id
    return None
