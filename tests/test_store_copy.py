"""`python -m bot store migrate`: moving a SQLite log to PostgreSQL keeps everything and
everyone's identity (the salt user ids are hashed with)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.handoffs import new_handoff
from bot.service import AskContext
from bot.store import EntryFeedback, PinnedBriefing, Store
from tests.postgres_server import PostgresServer
from tests.test_store import answered

REPO = Path(__file__).resolve().parent.parent
ASKER = AskContext(platform="slack", workspace="T1", channel="C1", user_id="U0ASKER")


def fill(path: Path) -> None:
    with Store(path) as store:
        for number in range(2500):  # more than one batch
            store.record_answer(answered("severance-2012", f"a{number}"), ASKER)
        store.record_feedback("a1", False, ASKER)
        store.save_pin(PinnedBriefing("slack", "T1", "C1", "1.5", "main", "k1", pinned=True))
        store.set_help_channel("slack", "T1", "CHELP", True, "UMOD")
        store.add_handoff(new_handoff("slack", "T1", "C1", "", "U0ASKER", "dogs?", time.time()))
        store.set_workspace_setting("slack", "T1", "moderator_channel", "CMODS", "UMOD")


def migrate(source: Path, target: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORE_DATABASE": str(source)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "store", "migrate", "--to", target],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_a_sqlite_log_moves_to_postgresql_whole(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    source = tmp_path / "log.sqlite3"
    fill(source)
    target = postgres_server.new_database()
    with_password = target.replace("postgres@", "postgres:hunter2@")  # trust auth ignores it

    result = migrate(source, with_password)

    assert result.returncode == 0, result.stderr
    assert "questions: 2500 rows" in result.stdout and "handoffs: 1 rows" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr
    with Store(target) as moved:
        assert moved.most_unhelpful(0, 10) == [EntryFeedback("severance-2012", 0, 1)]
        assert [p.message_id for p in moved.pins("slack")] == ["1.5"]
        assert moved.help_channels("slack") == {("T1", "CHELP")}
        assert [h.question for h in moved.open_handoffs()] == ["dogs?"]
        assert moved.workspace_setting("slack", "T1", "moderator_channel") == "CMODS"
        moved.record_answer(answered("severance-2012", "after-the-move"), ASKER)
    # The same person hashes the same after the move: the salt came along.
    hashes = postgres_server.query(target, "SELECT DISTINCT user_hash FROM questions")
    assert len(hashes) == 1

    again = migrate(source, target)  # a second copy would mix two logs
    assert again.returncode == 1 and "already holds questions" in again.stderr


def test_a_target_that_cannot_be_reached_is_reported_without_its_password(
    tmp_path: Path,
) -> None:
    source = tmp_path / "log.sqlite3"
    fill(source)
    result = migrate(source, "postgresql://bot:hunter2@127.0.0.1:9/nowhere")
    assert result.returncode == 1
    assert "not copied" in result.stderr and "hunter2" not in result.stderr


def test_an_unknown_kind_of_database_is_refused(tmp_path: Path) -> None:
    result = migrate(tmp_path / "log.sqlite3", "mysql://x@y/z")
    assert result.returncode == 2 and "postgresql:// URL or a SQLite file" in result.stderr
    assert not (REPO / "mysql:").exists()


def test_a_source_that_does_not_exist_is_refused_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"

    result = migrate(missing, str(tmp_path / "new.sqlite3"))

    assert result.returncode == 2 and "no database at" in result.stderr
    assert not missing.exists() and not (tmp_path / "new.sqlite3").exists()
