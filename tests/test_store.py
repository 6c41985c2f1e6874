"""The question log on real SQLite files and a real PostgreSQL server: what it records, and
that it never breaks an answer."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.answers import Answer, Outcome, Suggestion
from bot.reporting import build_report, render_report_text
from bot.service import AskContext, QAService
from bot.store import EntryFeedback, EntryUse, PinnedBriefing, Store
from bot.store.dialect import SqliteSql
from bot.store.schema import LATEST_VERSION
from bot.store.store import PURGE_INTERVAL_SECONDS, RETRY_SECONDS
from tests.postgres_server import PostgresServer

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
DAY = 86_400.0
START = 1_700_000_000.0
RAW_USER = "U0RAWUSER42"
SLACK = AskContext(platform="slack", workspace="T0TEAM", channel="C0CHAN", user_id=RAW_USER)
OTHER_USER = AskContext(platform="slack", workspace="T0TEAM", channel="C0CHAN", user_id="U0OTHER")


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


Location = Path | str  # a SQLite file or a PostgreSQL URL


@pytest.fixture(params=["sqlite", "postgresql"])
def new_location(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Location]:
    """Makes empty databases: files not yet created, or new databases on the test server."""
    if request.param == "sqlite":
        numbers = itertools.count()
        return lambda: tmp_path / f"not-yet-{next(numbers)}" / "log.sqlite3"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database


@pytest.fixture
def location(new_location: Callable[[], Location]) -> Location:
    return new_location()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "not-yet" / "log.sqlite3"


@pytest.fixture
def sqlite_store(sqlite_path: Path, clock: FakeClock) -> Iterator[Store]:
    """For what only a file can show: another process's lock, a file deleted."""
    with Store(sqlite_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def store(location: Location, clock: FakeClock) -> Iterator[Store]:
    with Store(location, clock=clock) as opened:
        yield opened


def answered(entry_id: str, answer_id: str, question: str = "a question") -> Answer:
    return Answer(
        question=question,
        outcome=Outcome.ANSWERED,
        text="The answer.",
        confidence=0.9,
        entry_id=entry_id,
        answer_id=answer_id,
        knowledge_version="k1",
    )


def not_answered(
    question: str,
    answer_id: str,
    outcome: Outcome = Outcome.UNKNOWN,
    offered: tuple[str, ...] = (),
) -> Answer:
    return Answer(
        question=question,
        outcome=outcome,
        confidence=0.3,
        suggestions=tuple(Suggestion(e, f"About {e}?") for e in offered),
        answer_id=answer_id,
        knowledge_version="k1",
    )


def query(location: Location, sql: str) -> list[Any]:
    if isinstance(location, str):
        import psycopg

        with psycopg.connect(location) as pg:
            return pg.execute(sql.encode()).fetchall()
    with closing(sqlite3.connect(location)) as conn:
        return conn.execute(sql).fetchall()


def answer_ids(path: Location) -> list[str]:
    return [row[0] for row in query(path, "SELECT answer_id FROM questions ORDER BY id")]


def store_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name.startswith("bot.store") and r.levelno >= logging.WARNING
    ]


def file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def stored_bytes(location: Location) -> bytes:
    """Everything the database holds: its files, or every table's rows as text."""
    if isinstance(location, Path):
        return file_bytes(location.parent)
    tables = query(location, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    rows = [query(location, f"SELECT * FROM {table}") for (table,) in tables]
    return repr(rows).encode()


def test_a_question_is_logged_with_where_it_came_from_and_what_the_bot_did(
    store: Store, location: Location, clock: FakeClock
) -> None:
    store.record_answer(answered("severance-2012", "a1", "When did Canada cut ties?"), SLACK)
    clock.advance(5)
    offered = not_answered("cut ties?", "a2", Outcome.DID_YOU_MEAN, ("severance-2012", "x"))
    store.record_answer(offered, SLACK)
    store.record_answer(not_answered("hi", "a3", Outcome.EMPTY, ("starter",)), SLACK)

    rows = query(
        location,
        """SELECT asked_at, platform, workspace, channel, text, entry_id, confidence, answered,
                  outcome, answer_id, knowledge_version FROM questions ORDER BY id""",
    )
    assert rows == [
        (START, "slack", "T0TEAM", "C0CHAN", "When did Canada cut ties?", "severance-2012", 0.9,
         1, "answered", "a1", "k1"),
        (START + 5, "slack", "T0TEAM", "C0CHAN", "cut ties?", "severance-2012", 0.3, 0,
         "did_you_mean", "a2", "k1"),
        (START + 5, "slack", "T0TEAM", "C0CHAN", "hi", None, 0.3, 0, "empty", "a3", "k1"),
    ]  # fmt: skip
    assert schema_version_of(location) == LATEST_VERSION
    if isinstance(location, Path):
        assert query(location, "PRAGMA journal_mode") == [("wal",)]


def schema_version_of(location: Location) -> int:
    if isinstance(location, str):
        return int(query(location, "SELECT version FROM schema_version")[0][0])
    with closing(sqlite3.connect(location)) as conn:
        return SqliteSql(conn).schema_version()


def test_user_ids_are_hashed_with_a_salt_of_their_own_database(
    new_location: Callable[[], Location], clock: FakeClock
) -> None:
    first, second = new_location(), new_location()
    for path in (first, second):
        with Store(path, clock=clock) as store:
            store.record_answer(answered("e", "a1"), SLACK)
            store.record_answer(answered("e", "a2"), SLACK)
            store.record_feedback("a1", True, SLACK)

    hashes = query(first, "SELECT DISTINCT user_hash FROM questions")
    assert len(hashes) == 1 and len(hashes[0][0]) == 64  # the same user, hashed the same
    assert query(first, "SELECT user_hash FROM feedback") == hashes
    assert query(second, "SELECT DISTINCT user_hash FROM questions") != hashes  # salted
    for path in (first, second):
        assert RAW_USER.encode() not in stored_bytes(path)


def test_question_text_is_not_stored_when_disabled(location: Location, clock: FakeClock) -> None:
    secret = "Is my neighbour Jane Doe on a sanctions list?"
    with Store(location, log_question_text=False, clock=clock) as store:
        store.record_answer(not_answered(secret, "a1"), SLACK)
        store.record_answer(answered("severance-2012", "a2", secret), SLACK)
        part = dataclasses.replace(answered("e", "a3"), unanswered_parts=(secret,))
        store.record_answer(part, SLACK)
        assert store.unanswered(START - DAY, 10) == []  # nothing to show without the words
        assert store.unanswered_without_text(START - DAY) == 1  # but they are counted
        assert store.entry_use(START - DAY, 10) == [
            EntryUse("e", 1, 1),
            EntryUse("severance-2012", 1, 1),
        ]
        report = render_report_text(build_report(store, None, 1, 10, now=START + 60))
        assert "and 1 unanswered question(s) logged without their words" in report

    assert query(location, "SELECT text FROM questions") == [(None,), (None,), (None,)]
    assert b"Jane Doe" not in stored_bytes(location)


def test_a_rating_is_tied_to_the_answer_and_a_second_one_replaces_the_first(
    store: Store, location: Location, clock: FakeClock
) -> None:
    store.record_answer(answered("severance-2012", "a1"), SLACK)
    store.record_answer(not_answered("capital of peru?", "a2", offered=("severance-2012",)), SLACK)

    assert store.record_feedback("a1", False, SLACK)
    clock.advance(60)
    assert store.record_feedback("a1", True, SLACK)  # changed their mind
    assert store.record_feedback("a1", False, OTHER_USER)
    assert store.record_feedback("a2", False, SLACK)  # kept, but blames no entry
    assert not store.record_feedback("never-logged", True, SLACK)

    rows = query(
        location, "SELECT answer_id, entry_id, helpful, rated_at FROM feedback ORDER BY id"
    )
    assert sorted(rows) == [
        ("a1", "severance-2012", 0, START + 60),
        ("a1", "severance-2012", 1, START + 60),
        ("a2", None, 0, START + 60),
    ]
    assert store.most_unhelpful(START - DAY, 10) == [EntryFeedback("severance-2012", 1, 1)]


def test_the_questions_a_reply_left_unanswered_are_listed_with_the_unanswered(
    store: Store,
) -> None:
    peru = "what is the capital of Peru?"
    store.record_answer(not_answered("What is the capital of Peru", "r1"), SLACK)
    partly = dataclasses.replace(answered("kanaani", "r2"), unanswered_parts=(peru,))
    store.record_answer(partly, SLACK)
    store.record_answer(answered("kanaani", "r3"), SLACK)  # answered whole: nothing to list

    [group] = store.unanswered(START - DAY, 10)
    assert group.count == 2 and set(group.variants) >= {peru}
    assert store.entry_use(START - DAY, 10) == [EntryUse("kanaani", 2, 2)]


def test_a_reply_to_several_questions_is_rated_and_used_for_each_entry_in_it(
    store: Store,
) -> None:
    both = dataclasses.replace(answered("a", "r1"), more_entry_ids=("b",))
    store.record_answer(both, SLACK)
    store.record_answer(answered("b", "r2"), SLACK)
    store.record_answer(not_answered("what?", "r3", Outcome.DID_YOU_MEAN, ("b",)), SLACK)

    assert store.record_feedback("r1", False, SLACK)
    assert store.record_feedback("r1", False, SLACK)  # a second rating replaces, as ever
    assert store.record_feedback("r2", True, SLACK)

    assert store.most_unhelpful(START - DAY, 10) == [
        EntryFeedback("a", 0, 1),
        EntryFeedback("b", 1, 1),
    ]
    # "b" answered a question of its own and one of r1's, and was offered for r3
    assert store.entry_use(START - DAY, 10) == [EntryUse("b", 3, 2), EntryUse("a", 1, 1)]
    assert store.entry_use(START - DAY, 1) == [EntryUse("b", 3, 2)]


def test_logging_the_same_answer_twice_keeps_one_row_quietly(
    store: Store, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    store.record_answer(answered("e", "a1"), SLACK)
    store.record_answer(answered("e", "a1"), SLACK)
    assert answer_ids(location) == ["a1"]
    assert store_warnings(caplog) == []


def test_a_locked_database_costs_one_warning_and_logging_resumes_after(
    sqlite_store: Store, sqlite_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.store")
    sqlite_store.record_answer(answered("e", "before"), SLACK)
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        for number in range(10):
            sqlite_store.record_answer(
                not_answered(f"question {number}", f"locked-{number}"), SLACK
            )
        rated = sqlite_store.record_feedback("before", True, SLACK)
        elapsed = time.perf_counter() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert elapsed < 1.0  # one short busy wait, not one per question
    assert rated is False
    [warning] = store_warnings(caplog)
    assert "locked" in warning.getMessage()

    assert sqlite_store.pending == 10  # waiting, not lost

    clock.advance(RETRY_SECONDS)
    sqlite_store.record_answer(answered("e", "after"), SLACK)
    assert sqlite_store.record_feedback("after", True, SLACK)
    locked = [f"locked-{number}" for number in range(10)]
    assert answer_ids(sqlite_path) == ["before", *locked, "after"]  # in the order asked
    assert sqlite_store.pending == 0 and sqlite_store.dropped() == 0
    assert len(store_warnings(caplog)) == 1
    assert any("resumed" in r.getMessage() for r in caplog.records)


def test_a_corrupt_file_costs_one_warning_and_the_bot_keeps_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "log.sqlite3"
    garbage = b"this is not a database \x00\xff\x13" * 300
    path.write_bytes(garbage)
    with Store(path) as store:
        service = QAService.from_directory(KNOWLEDGE, log=store)
        replies = [
            service.ask(question, SLACK)
            for question in (
                "Who is Nasser Kanaani?",
                "When did Canada cut diplomatic ties with Iran?",
                "what is the capital of peru",
            )
        ]
        assert [r.answered for r in replies] == [True, True, False]
        assert service.feedback(replies[0].answer_id, True, SLACK) is False
        assert store.pins() == []

    # One warning while it ran, and one at close for the questions that never got in.
    [warning, lost] = store_warnings(caplog)
    assert "not a database" in warning.getMessage()
    assert "3 question(s)" in lost.getMessage() and "lost at close" in lost.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert path.read_bytes() == garbage  # left as it was, for a person to look at


def test_an_unusable_location_costs_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the log's folder cannot be created under a file")
    with Store(blocker / "log.sqlite3") as store:
        assert not store.available
        store.record_answer(answered("e", "a1"), SLACK)
        assert store.record_feedback("a1", True, SLACK) is False
        store.save_pin(PinnedBriefing("slack", "T", "C", "1.0", "main", "k1"))
        assert store.pins() == []
        assert store.unanswered(0, 10) == [] and store.entry_use(0, 10) == []
        assert store.purge_expired() == 0
    [_, lost] = store_warnings(caplog)  # and one at close: the question is lost
    assert "1 question(s)" in lost.getMessage() and "lost at close" in lost.getMessage()


READ_ONLY_CHECK = """
import logging, sys
from pathlib import Path
logging.basicConfig(format="%(levelname)s %(name)s %(message)s", stream=sys.stdout)
from bot.answers import Answer, Outcome
from bot.service import AskContext
from bot.store import Store
asker = AskContext(platform="slack", user_id="U1")
with Store(Path(sys.argv[1])) as store:
    for number in range(3):
        store.record_answer(Answer(f"question {number}", Outcome.UNKNOWN,
                                   answer_id=f"read-only-{number}"), asker)
    print("rated:", store.record_feedback("kept", True, asker))
"""


def without_privileges(command: list[str]) -> list[str]:
    """Root ignores file permissions; run the command with every capability dropped."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv, which file permissions do not bind")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--", *command]


def _run_without_write_access(
    path: Path, read_only: str, code: str
) -> subprocess.CompletedProcess[str]:
    """Run Python code on the log with the file or its folder made read-only meanwhile."""
    target, mode, restore = (
        (path, 0o444, 0o644) if read_only == "file" else (path.parent, 0o555, 0o755)
    )
    target.chmod(mode)
    try:
        return subprocess.run(
            without_privileges([sys.executable, "-c", code, str(path)]),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        target.chmod(restore)


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_database_costs_one_warning(tmp_path: Path, read_only: str) -> None:
    path = tmp_path / "logs" / "log.sqlite3"
    with Store(path) as store:
        store.record_answer(answered("e", "kept"), SLACK)
    result = _run_without_write_access(path, read_only, READ_ONLY_CHECK)

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2 and "bot.store" in warnings[0], result.stdout
    assert "3 question(s)" in warnings[1] and "lost at close" in warnings[1]  # said once more
    assert "rated: False" in result.stdout
    assert answer_ids(path) == ["kept"]


def test_old_questions_and_ratings_are_purged_by_the_retention(
    location: Location, clock: FakeClock
) -> None:
    with Store(location, retention_days=30, clock=clock) as store:
        store.record_answer(answered("e", "old"), SLACK)
        store.record_feedback("old", False, SLACK)
        clock.advance(20 * DAY)
        store.record_answer(answered("e", "recent"), SLACK)
        store.record_feedback("recent", True, SLACK)
        clock.advance(11 * DAY)
        assert store.purge_expired() == 2  # the old question and its rating
        assert answer_ids(location) == ["recent"]
        assert store.purge_expired() == 0


def test_the_retention_also_runs_at_open_and_at_most_hourly_while_logging(
    location: Location, clock: FakeClock
) -> None:
    half_hour = PURGE_INTERVAL_SECONDS / 2
    with Store(location, retention_days=1, clock=clock) as store:
        store.record_answer(answered("e", "a"), SLACK)
        clock.advance(half_hour)
        store.record_answer(answered("e", "b"), SLACK)
        clock.advance(DAY)
        store.record_answer(answered("e", "c"), SLACK)  # a purge is due: "a" expired
        assert answer_ids(location) == ["b", "c"]
        clock.advance(half_hour)
        store.record_answer(answered("e", "d"), SLACK)  # "b" expired, but purged 30 min ago
        assert answer_ids(location) == ["b", "c", "d"]
        clock.advance(2 * half_hour)
        store.record_answer(answered("e", "e"), SLACK)
        assert answer_ids(location) == ["c", "d", "e"]
    clock.advance(2 * DAY)
    with Store(location, retention_days=1, clock=clock):
        assert answer_ids(location) == []


# The first released schema, frozen here as databases in the wild have it.
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY, asked_at REAL NOT NULL, platform TEXT NOT NULL,
    workspace TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '', user_hash TEXT,
    text TEXT, entry_id TEXT, confidence REAL NOT NULL DEFAULT 0, answered INTEGER NOT NULL,
    answer_id TEXT UNIQUE);
CREATE INDEX questions_by_time ON questions (asked_at);
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY, rated_at REAL NOT NULL, answer_id TEXT NOT NULL, entry_id TEXT,
    user_hash TEXT, helpful INTEGER NOT NULL);
CREATE INDEX feedback_by_time ON feedback (rated_at);
CREATE UNIQUE INDEX feedback_once_per_user ON feedback (answer_id, ifnull(user_hash, ''));
INSERT INTO meta VALUES ('user_salt', '00112233445566778899aabbccddeeff');
INSERT INTO questions (asked_at, platform, workspace, channel, user_hash, text, entry_id,
                       confidence, answered, answer_id)
VALUES (1700000000, 'discord', 'G1', 'CH1', 'h1', 'Who is Kanaani?', 'who-is-nasser-kanaani',
        1.0, 1, 'v1-answered'),
       (1700000100, 'slack', 'T1', 'C1', 'h2', 'capital of peru?', NULL, 0.1, 0, 'v1-unknown');
INSERT INTO feedback (rated_at, answer_id, entry_id, user_hash, helpful)
VALUES (1700000050, 'v1-answered', 'who-is-nasser-kanaani', 'h3', 0);
PRAGMA user_version = 1;
"""


def test_a_v1_database_is_migrated_to_the_latest_without_losing_rows(
    sqlite_path: Path, clock: FakeClock
) -> None:
    sqlite_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(sqlite_path)) as conn:
        conn.executescript(V1_SCHEMA)

    with Store(sqlite_path, clock=clock) as store:
        assert schema_version_of(sqlite_path) == LATEST_VERSION
        assert query(
            sqlite_path,
            "SELECT answer_id, text, answered, outcome, knowledge_version FROM questions",
        ) == [
            ("v1-answered", "Who is Kanaani?", 1, "answered", ""),
            ("v1-unknown", "capital of peru?", 0, "unknown", ""),
        ]
        assert store.most_unhelpful(START - DAY, 10) == [
            EntryFeedback("who-is-nasser-kanaani", 0, 1)
        ]
        assert [g.question for g in store.unanswered(START - DAY, 10)] == ["capital of peru?"]
        assert store.record_feedback("v1-answered", True, SLACK)
        store.record_answer(answered("e", "new"), SLACK)
        store.save_pin(PinnedBriefing("slack", "T1", "C1", "1.5", "main", "k1"))
        assert len(store.pins()) == 1
    assert query(sqlite_path, "SELECT value FROM meta") == [("00112233445566778899aabbccddeeff",)]
    assert answer_ids(sqlite_path) == ["v1-answered", "v1-unknown", "new"]


def test_a_database_from_a_newer_bot_is_left_untouched(
    sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(sqlite_path)) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with Store(sqlite_path) as store:
        store.record_answer(answered("e", "a1"), SLACK)
    [warning, lost] = store_warnings(caplog)
    assert "newer" in warning.getMessage() and "newer" in lost.getMessage()
    assert schema_version_of(sqlite_path) == LATEST_VERSION + 1
    assert query(sqlite_path, "SELECT name FROM sqlite_master") == []


def test_the_pin_registry(store: Store) -> None:
    slack = PinnedBriefing("slack", "T1", "C1", "1700000000.000100", "main", "k1")
    discord = PinnedBriefing("discord", "G1", "CH1", "123456789", "main", "k1", pinned=True)
    other = PinnedBriefing("discord", "G1", "CH2", "987654321", "ps752", "k1")
    for pin in (slack, discord, other):
        store.save_pin(pin)
    assert store.pins() == [discord, other, slack]
    assert store.pins(platform="discord") == [discord, other]
    assert store.pins(briefing_id="main") == [discord, slack]
    assert store.pins(platform="slack", briefing_id="ps752") == []

    moved = PinnedBriefing("slack", "T1", "C1", "1700000000.000100", "ps752", "k2")
    store.save_pin(moved)  # the same message, now another briefing: replaced, not added
    assert store.pins(platform="slack") == [moved]

    store.mark_pinned("slack", "C1", "1700000000.000100")
    store.update_pin_version("slack", "C1", "1700000000.000100", "k3")
    store.mark_pinned("discord", "CH1", "123456789", pinned=False)
    assert store.pins(platform="slack") == [
        PinnedBriefing("slack", "T1", "C1", "1700000000.000100", "ps752", "k3", pinned=True)
    ]
    assert store.pins(platform="discord")[0].pinned is False

    store.remove_pin("discord", "CH2", "987654321")
    store.remove_pin("discord", "CH2", "no-such-message")
    assert [p.message_id for p in store.pins()] == ["123456789", "1700000000.000100"]


def test_unanswered_questions_are_grouped_by_near_duplicate_wording(
    store: Store, clock: FakeClock
) -> None:
    asked = [
        ("how do i reset password", Outcome.UNKNOWN),
        ("How do I reset my password?", Outcome.DID_YOU_MEAN),
        ("what is the capital of peru", Outcome.UNKNOWN),
        ("how do I reset my password", Outcome.UNKNOWN),
        ("How do I reset my password?", Outcome.UNKNOWN),
        ("hi", Outcome.EMPTY),
        ("How do I change my password?", Outcome.UNKNOWN),  # another question, however close
    ]
    store.record_answer(not_answered("How do I reset my password?", "too-old"), SLACK)
    clock.advance(DAY)
    since = clock.now
    for number, (question, outcome) in enumerate(asked):
        clock.advance(60)
        store.record_answer(not_answered(question, f"u{number}", outcome), SLACK)
    store.record_answer(answered("severance-2012", "a1", "How do I reset my password?"), SLACK)

    groups = store.unanswered(since, 10)
    assert [(g.question, g.count) for g in groups] == [
        ("How do I reset my password?", 4),
        ("How do I change my password?", 1),
        ("what is the capital of peru", 1),
    ]
    assert groups[0].variants == (
        "How do I reset my password?",
        "how do I reset my password",
        "how do i reset password",
    )
    assert groups[0].last_asked == since + 5 * 60
    assert groups[0].closest_entry is None  # the store knows no matcher; reporting fills it
    assert len(store.unanswered(since, 1)) == 1


def test_entries_rated_not_helpful_most_first(store: Store) -> None:
    ratings = {"a": [False, False, True], "b": [False, False], "c": [False], "d": [True]}
    users = [AskContext(platform="slack", user_id=f"U{n}") for n in range(3)]
    for entry, votes in ratings.items():
        store.record_answer(answered(entry, f"answer-{entry}"), SLACK)
        for user, helpful in zip(users, votes, strict=False):
            store.record_feedback(f"answer-{entry}", helpful, user)

    assert store.most_unhelpful(START - DAY, 10) == [
        EntryFeedback("b", 0, 2),
        EntryFeedback("a", 1, 2),
        EntryFeedback("c", 0, 1),
    ]
    assert store.most_unhelpful(START - DAY, 1) == [EntryFeedback("b", 0, 2)]
    assert store.most_unhelpful(START + 1, 10) == []


def test_entry_use_counts_questions_each_entry_matched(store: Store) -> None:
    for number in range(3):
        store.record_answer(answered("severance-2012", f"s{number}"), SLACK)
    store.record_answer(answered("who-is-nasser-kanaani", "k1"), SLACK)
    offered = not_answered("kanani?", "k2", Outcome.DID_YOU_MEAN, ("who-is-nasser-kanaani",))
    store.record_answer(offered, SLACK)
    store.record_answer(not_answered("peru?", "p1", offered=("who-is-nasser-kanaani",)), SLACK)

    assert store.entry_use(START - DAY, 10) == [
        EntryUse("severance-2012", 3, 3),
        EntryUse("who-is-nasser-kanaani", 2, 1),  # a weak "I don't know" match is no use
    ]


def test_threads_can_share_one_store(store: Store, location: Location) -> None:
    def ask_many(worker: int) -> None:
        for number in range(25):
            store.record_answer(answered("e", f"w{worker}-{number}"), SLACK)
            store.record_feedback(f"w{worker}-{number}", True, SLACK)

    workers = [threading.Thread(target=ask_many, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert query(location, "SELECT COUNT(*) FROM questions") == [(200,)]
    assert query(location, "SELECT COUNT(*) FROM feedback") == [(200,)]


def test_a_closed_store_ignores_calls(
    store: Store, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    store.close()
    store.record_answer(answered("e", "late"), SLACK)
    assert store.pins() == []
    assert store_warnings(caplog) == []
    assert query(location, "SELECT COUNT(*) FROM questions") == [(0,)]


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_report_reads_a_log_it_cannot_write(tmp_path: Path, read_only: str) -> None:
    path = tmp_path / "logs" / "log.sqlite3"
    with Store(path) as store:
        store.record_answer(answered("e", "kept"), SLACK)
    check = (
        "import sys\nfrom pathlib import Path\nfrom bot.store import Store\n"
        "with Store(Path(sys.argv[1]), read_only=True) as store:\n"
        "    print('available:', store.available)\n"
        "    print('rows:', len(store.entry_use(0, 10)))\n"
    )
    result = _run_without_write_access(path, read_only, check)
    assert result.returncode == 0, result.stderr
    assert "available: True" in result.stdout and "rows: 1" in result.stdout, result.stdout


def test_when_the_queue_overflows_the_oldest_are_dropped_and_counted(
    sqlite_store: Store, sqlite_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.store.MAX_PENDING_QUESTIONS", 4)
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        for number in range(10):
            sqlite_store.record_answer(not_answered(f"question {number}", f"q-{number}"), SLACK)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    clock.advance(RETRY_SECONDS)
    sqlite_store.record_answer(answered("e", "after"), SLACK)
    assert answer_ids(sqlite_path) == ["q-7", "q-8", "q-9", "after"]
    assert sqlite_store.dropped() == 7  # 11 asked, 4 kept; counted in the file for `report`


def test_a_log_deleted_under_the_running_bot_is_started_anew(
    sqlite_store: Store, sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_store.record_answer(answered("e", "before"), SLACK)
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
    sqlite_store.record_answer(answered("e", "after"), SLACK)
    assert sqlite_store.record_feedback("after", True, SLACK)
    assert answer_ids(sqlite_path) == ["after"]
    assert any("deleted or replaced" in r.getMessage() for r in caplog.records)


def test_concurrent_writers_and_a_lock_lose_no_row_silently(tmp_path: Path) -> None:
    """8 writers x 3000 questions while another process holds the log locked for 10 s: every
    question is stored or counted as dropped (the queue holds MAX_PENDING_QUESTIONS)."""
    import threading as threads

    path = tmp_path / "log.sqlite3"
    writers, rows_each, lock_seconds = 8, 3000, 10.0
    with Store(path) as store:
        locked = threads.Event()

        def hold_the_lock() -> None:
            blocker = sqlite3.connect(path, isolation_level=None)
            blocker.execute("BEGIN EXCLUSIVE")
            locked.set()
            time.sleep(lock_seconds)
            blocker.execute("ROLLBACK")
            blocker.close()

        def write(writer: int) -> None:
            for number in range(rows_each):
                if writer == 0 and number == rows_each // 4:
                    locker.start()
                    locked.wait()
                store.record_answer(
                    not_answered(f"w{writer} q{number}", f"w{writer}-{number}"), SLACK
                )

        locker = threads.Thread(target=hold_the_lock)
        workers = [threads.Thread(target=write, args=(n,)) for n in range(writers)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        locker.join()
        time.sleep(RETRY_SECONDS)  # the store leaves a failed log alone this long
        store.record_answer(answered("e", "last"), SLACK)  # flushes what waited
        stored = len(answer_ids(path))
        assert stored + store.dropped() == writers * rows_each + 1
        assert store.pending == 0


def test_a_question_with_undecodable_bytes_is_still_logged(
    store: Store, location: Location
) -> None:
    garbled = b"caf\xe9 question".decode("utf-8", "surrogateescape")  # as read from a pipe
    store.record_answer(not_answered(garbled, "garbled"), SLACK)
    assert answer_ids(location) == ["garbled"]


def test_help_channels_are_kept_per_platform_and_workspace(location: Location) -> None:
    store = Store(location)
    assert store.set_help_channel("slack", "T1", "C1", True, "UMOD")
    store.set_help_channel("slack", "T2", "C1", True)
    store.set_help_channel("discord", "G1", "123", True)
    store.set_help_channel("slack", "T2", "C1", False)
    store.close()

    reopened = Store(location)
    assert reopened.help_channels("slack") == {("T1", "C1")}
    assert reopened.help_channels("discord") == {("G1", "123")}
    reopened.close()


def test_a_handoff_is_kept_until_answered_once(location: Location) -> None:
    from bot.handoffs import ANSWERED, DISMISSED, new_handoff

    store = Store(location, clock=lambda: 1000.0)
    handoff = new_handoff("slack", "T1", "C1", "171.1", "U1", " what about parking? ", 990.0)
    assert store.add_handoff(handoff)
    store.set_handoff_notice(handoff.id, "CMODS", "172.2")

    assert store.handoffs_since("slack", "U1", 900.0) == 1
    assert [h.id for h in store.open_handoffs()] == [handoff.id]
    assert store.close_handoff(handoff.id, ANSWERED, "Park at any dock.", "UMOD")
    assert not store.close_handoff(handoff.id, DISMISSED, "", "UMOD2")  # handled already
    stored = store.handoff(handoff.id)
    assert stored is not None and stored.question == "what about parking?"
    assert stored.status == ANSWERED and stored.reply == "Park at any dock."
    assert stored.handled_by == "UMOD"
    assert (stored.notice_channel, stored.notice_ref) == ("CMODS", "172.2")
    assert not store.open_handoffs()
    store.close()


def test_a_claim_is_taken_once_until_it_expires(
    new_location: Callable[[], Location], clock: FakeClock
) -> None:
    location = new_location()
    with Store(location, clock=clock) as first, Store(location, clock=clock) as second:
        assert first.claim("delivery", "Ev1", 60, "replica-a") is True
        assert second.claim("delivery", "Ev1", 60, "replica-b") is False  # held elsewhere
        assert second.claimed("delivery", "Ev1") == "replica-a"
        assert second.claim("delivery", "Ev2", 60) is True  # another key is free
        clock.advance(60)
        assert first.claimed("delivery", "Ev1") is None  # expired...
        assert second.claim("delivery", "Ev1", 60, "replica-b") is True  # ...so it is free
        second.release("delivery", "Ev1")
        assert first.claim("delivery", "Ev1", 60) is True
        clock.advance(PURGE_INTERVAL_SECONDS)
        first.record_answer(answered("e", "a1"), SLACK)  # the hourly purge drops old claims
    assert query(location, "SELECT COUNT(*) FROM claims") == [(0,)]


def test_a_claim_cannot_be_decided_without_the_database(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with Store(tmp_path / "file" / "log.sqlite3") as store:
        assert store.claim("delivery", "Ev1", 60) is None  # the caller decides alone


def test_workspace_settings_are_kept_per_platform_and_workspace(location: Location) -> None:
    with Store(location) as store:
        assert store.set_workspace_setting("slack", "T1", "moderator_channel", "C1", "UMOD")
        store.set_workspace_setting("slack", "T2", "moderator_channel", "C2")
        store.set_workspace_setting("slack", "T1", "moderator_channel", "C3", "UMOD")
    with Store(location) as reopened:
        assert reopened.workspace_setting("slack", "T1", "moderator_channel") == "C3"
        assert reopened.workspace_setting("discord", "T1", "moderator_channel") is None
        reopened.set_workspace_setting("slack", "T2", "moderator_channel", None)
        assert reopened.workspace_setting("slack", "T2", "moderator_channel") is None


def test_list_settings_changed_at_once_by_two_replicas_keep_every_change(
    location: Location,
) -> None:
    """Each replica adds its own members while the other does: none is lost, as it would be
    if one wrote back a list it had read before the other's change."""
    members = {"A": [f"UA{n}" for n in range(15)], "B": [f"UB{n}" for n in range(15)]}
    with Store(location) as first, Store(location) as second:

        def add_all(store: Store, added: list[str]) -> None:
            for member in added:
                changed = store.change_workspace_list("slack", "T1", "moderators", add=[member])
                assert changed is not None and member in changed

        threads = [
            threading.Thread(target=add_all, args=(first, members["A"])),
            threading.Thread(target=add_all, args=(second, members["B"])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        kept = (first.workspace_setting("slack", "T1", "moderators") or "").split(",")
        assert sorted(kept) == sorted(members["A"] + members["B"])

        # Removing and adding in one step; the last one removed clears the setting.
        assert second.change_workspace_list(
            "slack", "T1", "moderators", add=["UC1"], remove=members["A"] + members["B"]
        ) == ["UC1"]
        assert first.change_workspace_list("slack", "T1", "moderators", remove=["UC1"]) == []
        assert first.workspace_setting("slack", "T1", "moderators") is None


def test_a_question_logged_when_received_becomes_its_answer(
    location: Location, clock: FakeClock
) -> None:
    delivery = AskContext(
        platform="slack", workspace="T0TEAM", channel="C0CHAN", user_id=RAW_USER, delivery="Ev1"
    )
    with Store(location, clock=clock) as store:
        assert store.record_received("when did canada cut ties?", delivery)
        assert store.record_received("when did canada cut ties?", delivery)  # a retry: one row
        assert [g.question for g in store.unanswered(START - DAY, 10)] == [
            "when did canada cut ties?"
        ]  # should the bot die now, the question is not lost
        clock.advance(2)
        store.record_answer(answered("severance-2012", "a1", "when did canada cut ties?"), delivery)
        store.record_received("when did canada cut ties?", delivery)  # a late retry: no change
        assert store.unanswered(START - DAY, 10) == []
        cooled = dataclasses.replace(delivery, delivery="Ev2")
        store.record_received("and the embassy?", cooled)
        store.forget_received("Ev2")  # not answered on purpose (a cooldown): no trace
    rows = query(location, "SELECT asked_at, outcome, answer_id, delivery FROM questions")
    assert rows == [(START, "answered", "a1", "Ev1")]


def test_reopening_a_locked_database_keeps_no_question_waiting(
    sqlite_store: Store, sqlite_path: Path, clock: FakeClock
) -> None:
    sqlite_store.record_answer(answered("e", "a1"), SLACK)
    sqlite_path.unlink()  # the log deleted: the next question starts a new one...
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # ...which another process has just made, and holds
    try:
        started = time.perf_counter()
        sqlite_store.record_answer(answered("e", "a2"), SLACK)
        elapsed = time.perf_counter() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert elapsed < 1.0  # a write's short busy wait, not the start-up one
    assert sqlite_store.pending == 1  # waiting, not lost
    clock.advance(RETRY_SECONDS)
    sqlite_store.record_answer(answered("e", "a3"), SLACK)
    assert answer_ids(sqlite_path) == ["a2", "a3"]


def test_a_database_held_by_another_process_at_open_is_usable_once_it_lets_go(
    sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    Store(sqlite_path).close()  # created and migrated by a first process
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # a second process, busy a moment (its own purge)
    try:
        store = Store(sqlite_path)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with store:
        assert store.available  # the purge waits; the database is not an outage
        store.record_answer(answered("e", "a1"), SLACK)
    assert answer_ids(sqlite_path) == ["a1"]
    assert store_warnings(caplog) == []


def test_handoffs_are_purged_by_the_retention_after_their_last_activity(
    location: Location, clock: FakeClock
) -> None:
    """A hand-off holds the asker's raw id and words: it goes once nothing happened to it
    for the retention (answered or dismissed, else asked), as an old question does."""
    from bot.handoffs import ANSWERED, DISMISSED, new_handoff

    def handoff(question: str) -> str:
        kept = new_handoff("slack", "T1", "C1", "", RAW_USER, question, clock.now)
        assert store.add_handoff(kept)
        return kept.id

    with Store(location, retention_days=30, clock=clock) as store:
        open_old = handoff("asked long ago, never handled")
        answered_late = handoff("asked long ago, answered lately")
        dismissed_early = handoff("asked long ago, dismissed at once")
        store.record_answer(answered("e", "old"), SLACK)
        clock.advance(DAY / 2)
        assert store.close_handoff(dismissed_early, DISMISSED, "", "UMOD")
        clock.advance(DAY / 2 + 19 * DAY)
        assert store.close_handoff(answered_late, ANSWERED, "Yes.", "UMOD")
        open_recent = handoff("asked lately, still open")
        clock.advance(11 * DAY)  # 31 days after the first ones, 11 after the late answer

        assert store.purge_expired() == 3  # the old question, two old hand-offs
        assert store.handoff(open_old) is None and store.handoff(dismissed_early) is None
        assert [h.id for h in store.open_handoffs()] == [open_recent]
        assert store.handoff(answered_late) is not None
        clock.advance(30 * DAY)
        store.record_answer(answered("e", "new"), SLACK)  # the hourly purge, as at open
        assert query(location, "SELECT id FROM handoffs") == []
    assert RAW_USER.encode() not in stored_bytes(location)


def test_replicas_clicking_at_once_add_no_more_handoffs_than_the_limit(
    location: Location,
) -> None:
    """Each replica's thread counts and adds in one transaction: of many hand-offs asked at
    once by one person, exactly `limit` are kept, the rest refused as too many."""
    from bot.handoffs import new_handoff
    from bot.store import HandoffAdmission

    replicas, tries, limit = 6, 2, 3
    stores = [Store(location, clock=lambda: 1000.0) for _ in range(replicas)]
    start = threading.Barrier(replicas)
    results: list[HandoffAdmission] = []

    def click(store: Store, number: int) -> None:
        start.wait()
        for attempt in range(tries):
            handoff = new_handoff("slack", "T1", "C1", "", "U1", f"q{number}-{attempt}", 1000.0)
            results.append(store.add_handoff_within_limit(handoff, limit, since=0.0))

    threads = [threading.Thread(target=click, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other = new_handoff("slack", "T1", "C1", "", "U2", "someone else", 1000.0)
    assert stores[0].add_handoff_within_limit(other, limit, since=0.0) is HandoffAdmission.ADDED
    for store in stores:
        store.close()
    assert sorted(r.value for r in results) == sorted(
        [HandoffAdmission.ADDED.value] * limit
        + [HandoffAdmission.TOO_MANY.value] * (replicas * tries - limit)
    )
    assert query(location, "SELECT count(*) FROM handoffs WHERE user_id = 'U1'") == [(limit,)]


def hold_exclusively(store: Store, path: Path, first: Answer) -> sqlite3.Connection:
    """Another process takes the log's file in exclusive locking mode, with a write: every
    other connection finds it locked, even to read. (It can only once the store let go of
    the file: a short write lock first makes the store fail on `first`, which then waits.)"""
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    store.record_answer(first, SLACK)
    blocker.execute("ROLLBACK")
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
    return blocker


def test_questions_still_unwritten_at_close_are_counted_in_one_warning(
    sqlite_store: Store, sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_store.record_answer(answered("e", "before"), SLACK)
    blocker = hold_exclusively(sqlite_store, sqlite_path, not_answered("q", "locked-0"))
    try:
        for number in range(1, 3):
            sqlite_store.record_answer(not_answered(f"q {number}", f"locked-{number}"), SLACK)
        assert sqlite_store.pending == 3
        started = time.perf_counter()
        sqlite_store.close()
        elapsed = time.perf_counter() - started
    finally:
        blocker.close()
    assert elapsed < 1.0  # one try, no longer than a write waits for a lock
    [lost] = [r for r in store_warnings(caplog) if "lost" in r.getMessage()]
    assert "3 question(s)" in lost.getMessage() and "locked" in lost.getMessage()
    assert answer_ids(sqlite_path) == ["before"]
    sqlite_store.close()  # a second close says nothing more
    assert len([r for r in store_warnings(caplog) if "lost" in r.getMessage()]) == 1


def test_questions_waiting_at_close_are_written_when_the_lock_is_gone(
    sqlite_store: Store, sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = hold_exclusively(sqlite_store, sqlite_path, not_answered("q", "waiting"))
    blocker.close()
    assert sqlite_store.pending == 1
    sqlite_store.close()  # before the retry wait is over: close tries once anyway
    assert answer_ids(sqlite_path) == ["waiting"]
    assert not [r for r in store_warnings(caplog) if "lost" in r.getMessage()]
