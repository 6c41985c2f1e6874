"""Reports over a seeded question log: in code, as text, JSON and CSV, and from the command line."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answers import Answer, Outcome
from bot.library import Library, load_library
from bot.reporting import (
    Report,
    build_report,
    print_report,
    render_report_text,
    report_to_csv,
    report_to_json,
)
from bot.service import AskContext
from bot.store import EntryFeedback, EntryUse, Store
from config import KnowledgeSettings, StoreSettings, load_settings

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
DAY = 86_400.0
# Discord's message limit, the tighter of the two chats: a quiet week's report must fit.
CHAT_MESSAGE_LIMIT = 2000

UNANSWERED = [
    "how do i reset password",
    "How do I reset my password?",
    "How do I reset my password?",
    "Who is Kanaani",  # unanswered by an older knowledge version; the live one has an entry
    "who is kanaani?",
    "what is the capital of peru",
]
ANSWERED = ["severance-2012"] * 3 + ["who-is-nasser-kanaani", "faq-main-obstacles"]
RATINGS = {  # answer index in ANSWERED -> helpful votes, one per user
    0: [False, False],
    1: [True],
    3: [False],
    4: [True],
}


def seed(store: Store) -> None:
    asker = AskContext(platform="discord", workspace="G1", channel="CH1", user_id="1234")
    for number, question in enumerate(UNANSWERED):
        store.record_answer(Answer(question, Outcome.UNKNOWN, answer_id=f"u{number}"), asker)
    for number, entry in enumerate(ANSWERED):
        answer = Answer(f"about {entry}", Outcome.ANSWERED, text="...", confidence=0.9,
                        entry_id=entry, answer_id=f"a{number}")  # fmt: skip
        store.record_answer(answer, asker)
    for number, votes in RATINGS.items():
        for user, helpful in enumerate(votes):
            rater = AskContext(platform="discord", user_id=f"rater{user}")
            assert store.record_feedback(f"a{number}", helpful, rater)


@pytest.fixture(scope="module")
def library() -> Library:
    loaded, errors = load_library(KNOWLEDGE)
    assert loaded is not None, errors
    return loaded


@pytest.fixture
def seeded_path(tmp_path: Path) -> Path:
    """A log written a day ago by the real clock, as the command line will read it."""
    path = tmp_path / "seeded.sqlite3"
    seconds = itertools.count(time.time() - DAY)
    with Store(path, clock=lambda: next(seconds)) as store:
        seed(store)
    return path


@pytest.fixture
def store(seeded_path: Path) -> Iterator[Store]:
    with Store(seeded_path) as opened:
        yield opened


@pytest.fixture
def report(store: Store, library: Library) -> Report:
    return build_report(store, library, days=7, limit=10)


def test_the_report_groups_unanswered_questions_and_names_the_closest_entry(
    report: Report,
) -> None:
    assert [(g.question, g.count) for g in report.unanswered] == [
        ("How do I reset my password?", 3),
        ("who is kanaani?", 2),  # the most recent of equally frequent wordings
        ("what is the capital of peru", 1),
    ]
    kanaani = report.unanswered[1]
    assert kanaani.closest_entry == "who-is-nasser-kanaani"
    assert kanaani.closest_score > 0.9
    assert report.until - report.since == 7 * DAY


def test_the_report_ranks_unhelpful_answers_and_entry_use(report: Report) -> None:
    assert report.unhelpful == [
        EntryFeedback("severance-2012", 1, 2),
        EntryFeedback("who-is-nasser-kanaani", 0, 1),
    ]
    assert report.usage == [
        EntryUse("severance-2012", 3, 3),
        EntryUse("faq-main-obstacles", 1, 1),
        EntryUse("who-is-nasser-kanaani", 1, 1),
    ]


def test_a_report_window_leaves_out_older_questions(store: Store, library: Library) -> None:
    report = build_report(store, library, days=1, limit=10, now=time.time() + DAY / 2)
    assert report.unanswered == [] and report.unhelpful == [] and report.usage == []


def test_without_knowledge_the_closest_entry_is_left_empty(store: Store) -> None:
    report = build_report(store, None, days=7, limit=2)
    assert [g.closest_entry for g in report.unanswered] == [None, None]


def test_the_text_report_is_a_short_readable_table(report: Report) -> None:
    text = render_report_text(report)
    assert len(text) < CHAT_MESSAGE_LIMIT
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    for heading in ("Unanswered questions", "rated not helpful", "Entry use"):
        assert any(heading in line for line in lines)
    row = next(line for line in lines if "who is kanaani?" in line)
    assert row.split()[0] == "2" and "who-is-nasser-kanaani" in row
    assert any("How do I reset my password? (+1 wording)" in line for line in lines)


def test_an_empty_report_says_so() -> None:
    text = render_report_text(Report(0.0, 7 * DAY, [], [], []))
    # unanswered, unhelpful, open hand-offs, answered hand-offs, drafts, entry use
    assert text.count("(none)") == 6


def test_open_handoffs_are_listed_until_handled(tmp_path: Path) -> None:
    from bot.handoffs import ANSWERED, new_handoff

    store = Store(tmp_path / "log.sqlite3")
    waiting = new_handoff("slack", "T1", "C1", "", "U1", "can I bring my dog?", 7 * DAY - 60)
    handled = new_handoff("discord", "G1", "5", "", "9", "is there parking?", 7 * DAY - 30)
    store.add_handoff(waiting)
    store.add_handoff(handled)
    store.close_handoff(handled.id, ANSWERED, "Yes.", "UMOD")

    report = build_report(store, None, days=7, limit=10, now=7 * DAY)
    text = render_report_text(report)

    assert "can I bring my dog?" in text and "is there parking?" not in text
    assert [h["question"] for h in report_to_json(report)["open_handoffs"]] == [
        "can I bring my dog?"
    ]
    store.close()


def test_a_moderators_reply_and_the_drafts_waiting_are_in_the_report(tmp_path: Path) -> None:
    from bot.drafts import save_draft
    from bot.handoffs import ANSWERED, new_handoff

    store = Store(tmp_path / "log.sqlite3")
    asked = new_handoff("slack", "T1", "C1", "", "U1", "is there parking?", time.time() - 60)
    store.add_handoff(asked)
    store.close_handoff(asked.id, ANSWERED, "Yes, behind the hall.", "UMOD")
    knowledge = tmp_path / "knowledge"
    answered = store.handoff(asked.id)
    assert answered is not None
    draft = save_draft(knowledge, answered, "UMOD", time.time())

    report = build_report(store, None, days=7, limit=10, knowledge=knowledge)
    text = render_report_text(report)

    # The asker may have left before the reply came: it waits here.
    assert "is there parking?" in text and "Yes, behind the hall." in text and "UMOD" in text
    assert f"knowledge/drafts/{draft.name}" in text
    data = report_to_json(report)
    assert data["answered_handoffs"][0]["answer"] == "Yes, behind the hall."
    assert data["drafts"] == [f"knowledge/drafts/{draft.name}"]
    # The CSV holds the same, one table per kind of row, and what went unlogged.
    waiting = new_handoff("discord", "G1", "5", "", "9", "=1+1 dogs?", time.time() - 30)
    store.add_handoff(waiting)
    report = build_report(store, None, days=7, limit=10, knowledge=knowledge)
    rows = list(csv.DictReader(io.StringIO(report_to_csv(dataclasses.replace(report, dropped=4)))))
    by_table = {row["table"]: row for row in rows}
    assert by_table["answered_handoff"]["reply"] == "Yes, behind the hall."
    assert by_table["answered_handoff"]["answered_by"] == "UMOD"
    assert by_table["open_handoff"]["question"] == "'=1+1 dogs?"  # stays text
    assert by_table["open_handoff"]["platform"] == "discord"
    assert by_table["draft"]["path"] == f"knowledge/drafts/{draft.name}"
    assert by_table["dropped"]["count"] == "4"
    store.close()


def test_the_json_report(report: Report) -> None:
    data = json.loads(json.dumps(report_to_json(report)))
    assert data["unanswered"][0]["variants"] == [
        "How do I reset my password?",
        "how do i reset password",
    ]
    assert data["unanswered"][1]["closest_entry"] == "who-is-nasser-kanaani"
    assert data["unanswered"][0]["last_asked"].endswith("Z")
    assert data["unhelpful"][0] == {"entry_id": "severance-2012", "helpful": 1, "not_helpful": 2}
    assert data["usage"][0] == {"entry_id": "severance-2012", "asked": 3, "answered": 3}


def test_the_csv_report_holds_all_three_tables(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(report_to_csv(report))))
    by_table = {
        t: [r for r in rows if r["table"] == t] for t in ("unanswered", "unhelpful", "usage")
    }
    assert [r["count"] for r in by_table["unanswered"]] == ["3", "2", "1"]
    assert by_table["unanswered"][0]["variants"] == (
        "How do I reset my password? | how do i reset password"
    )
    assert by_table["unhelpful"][0]["not_helpful"] == "2"
    assert by_table["usage"][0]["entry_id"] == "severance-2012"
    assert len(rows) == 3 + 2 + 3


def test_a_typed_formula_stays_text_in_the_csv(report: Report) -> None:
    from bot.store.models import UnansweredGroup

    typed = '=HYPERLINK("http://x.example","click")'
    group = UnansweredGroup(typed, 1, (typed, "@SUM(A1)"), 0.0)
    rows = list(
        csv.DictReader(io.StringIO(report_to_csv(dataclasses.replace(report, unanswered=[group]))))
    )
    [row] = [r for r in rows if r["table"] == "unanswered"]
    assert row["question"] == "'" + typed
    assert row["variants"].startswith("'=")  # the cell as a whole starts with text


def run_cli(database: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STORE_DATABASE": str(database),
        "KNOWLEDGE_DIR": str(KNOWLEDGE),
        "PYTHONUTF8": "1",
        "PYTHONPATH": str(REPO),  # as run from the repo root, whatever the editable install holds
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=database.parent,  # no stray .env
        timeout=60,
        check=False,
    )


def test_report_json_from_the_command_line(seeded_path: Path) -> None:
    result = run_cli(seeded_path, "--json", "--limit", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [g["count"] for g in data["unanswered"]] == [3, 2]
    assert data["unanswered"][1]["closest_entry"] == "who-is-nasser-kanaani"
    assert data["usage"][0] == {"entry_id": "severance-2012", "asked": 3, "answered": 3}


def test_report_csv_from_the_command_line(seeded_path: Path) -> None:
    result = run_cli(seeded_path, "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["table"] for r in rows} == {"unanswered", "unhelpful", "usage"}


def test_report_table_from_the_command_line(seeded_path: Path) -> None:
    result = run_cli(seeded_path, "--days", "3")
    assert result.returncode == 0, result.stderr
    assert "How do I reset my password?" in result.stdout
    assert "severance-2012" in result.stdout


def test_print_report_rejects_a_bad_window(
    seeded_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(
        store=StoreSettings(database=seeded_path), knowledge=KnowledgeSettings(dir=KNOWLEDGE)
    )
    out = io.StringIO()
    assert print_report(settings, 0, 10, "table", out) == 2
    assert print_report(settings, 7, 10, "yaml", out) == 2
    assert out.getvalue() == ""
    assert "--days" in capsys.readouterr().err


def test_print_report_fails_plainly_when_the_log_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 100)
    settings = load_settings(
        store=StoreSettings(database=broken), knowledge=KnowledgeSettings(dir=KNOWLEDGE)
    )
    assert print_report(settings, 7, 10, "json", io.StringIO()) == 1
    assert str(broken) in capsys.readouterr().err


def test_questions_that_could_not_be_logged_are_counted_in_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from bot.answers import Answer, Outcome
    from bot.reporting import build_report, render_report_text, report_to_json
    from bot.service import AskContext
    from bot.store import Store

    monkeypatch.setattr("bot.store.store.MAX_PENDING_QUESTIONS", 2)
    monkeypatch.setattr("bot.store.store.RETRY_SECONDS", 0.0)
    path = tmp_path / "log.sqlite3"
    with Store(path) as store:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        for number in range(5):
            store.record_answer(
                Answer(f"q{number}", Outcome.UNKNOWN, answer_id=f"a{number}"), AskContext()
            )
        blocker.execute("ROLLBACK")
        blocker.close()
        store.record_answer(Answer("last", Outcome.UNKNOWN, answer_id="last"), AskContext())
        report = build_report(store, None, 30, 10)
    assert report.dropped == 4
    assert "4 question(s) could not be logged" in render_report_text(report)
    assert report_to_json(report)["dropped"] == 4


def test_a_log_that_cannot_be_read_is_said_so_not_shown_as_a_quiet_report(
    tmp_path: Path,
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"garbage" * 100)
    for location, why in (
        (not_a_folder / "log.sqlite3", "no question log at"),  # missing, and cannot be made
        (damaged, "file is not a database"),
    ):
        with Store(location) as store:
            report = build_report(store, None, 7, 10)
        text = render_report_text(report)
        assert text.startswith("The question log could not be read, so there is no report.")
        assert str(location) in text and why in text
        assert "(none)" not in text
        assert report_to_json(report)["unreadable"] == report.unreadable


def test_why_a_database_url_cannot_be_read_leaves_its_password_out() -> None:
    url = "postgresql://faq:s3cr3t-pw@127.0.0.1:1/faq?password=s3cr3t-pw"
    with Store(url) as store:
        text = render_report_text(build_report(store, None, 7, 10))
    assert "could not be read" in text and "127.0.0.1" in text
    assert "s3cr3t" not in text


def test_a_log_the_bot_cannot_use_for_now_is_read_directly(
    seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setattr("bot.store.store.RETRY_SECONDS", 3600.0)
    with Store(seeded_path) as store:
        blocker = sqlite3.connect(seeded_path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another writer: the bot's next write fails
        store.record_answer(Answer("late", Outcome.UNKNOWN, answer_id="late"), AskContext())
        blocker.execute("ROLLBACK")
        blocker.close()
        assert not store.available  # and it leaves the log alone for a while
        report = build_report(store, None, 7, 10)
    assert report.read_directly and not report.unreadable
    assert report.usage[0] == EntryUse("severance-2012", 3, 3)
    assert "read from it directly" in render_report_text(report)


def test_table_columns_line_up_with_wide_letters() -> None:
    from bot.reporting import _table

    lines = _table(("Question", "Asked"), [("伊朗和加拿大", "3"), ("why", "12")], {1})
    ends = {len(line) + sum(1 for ch in line if "\u4e00" <= ch <= "\u9fff") for line in lines}
    assert len(ends) == 1  # every row ends in the same terminal column
