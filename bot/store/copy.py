"""Copy one store into another: moving from SQLite on one machine to a shared PostgreSQL.

Everything a running bot keeps is copied (questions, ratings, pins, help channels, hand-offs,
workspace settings, Slack installations), and the salt user ids are hashed with, so a
person's earlier questions and ratings still count as theirs. Short-lived claims are not.
The copy is one transaction on the target: it lands whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from bot.store.connection import open_database
from bot.store.dialect import Sql

__all__ = ["TABLES", "TargetNotEmptyError", "copy_store"]

# What is copied, table by table, in an order that never refers to a row not yet copied.
# Row ids are left out: the target numbers its rows itself.
TABLES: dict[str, tuple[str, ...]] = {
    "questions": (
        "asked_at", "platform", "workspace", "channel", "user_hash", "text", "entry_id",
        "confidence", "answered", "answer_id", "outcome", "knowledge_version", "delivery",
        "more_entries", "unanswered_parts",
    ),
    "feedback": ("rated_at", "answer_id", "entry_id", "user_hash", "helpful"),
    "pins": (
        "platform", "workspace", "channel", "message_id", "briefing_id", "knowledge_version",
        "pinned", "updated_at",
    ),
    "help_channels": ("platform", "workspace", "channel", "marked_by", "marked_at"),
    "handoffs": (
        "id", "platform", "workspace", "channel", "thread", "user_id", "question", "asked_at",
        "status", "reply", "handled_by", "handled_at", "notice_channel", "notice_ref",
        "best_attempt",
    ),
    "workspace_settings": (
        "platform", "workspace", "name", "value", "changed_by", "changed_at",
    ),
    "slack_installations": ("enterprise_id", "team_id", "data", "installed_at"),
    "meta": ("key", "value"),
}  # fmt: skip
BATCH_ROWS = 1000


class TargetNotEmptyError(Exception):
    """The target already holds questions: copying into it would mix two logs."""


def copy_store(source: str | Path, target: str | Path) -> dict[str, int]:
    """Copy every table of source into target (created and migrated if needed); return the
    rows copied per table. Raises TargetNotEmptyError when the target has questions."""
    source_db = open_database(source)  # migrated first, so both have the latest tables
    try:
        target_db = open_database(target)
        try:
            with source_db.session() as reading, target_db.session() as writing:
                return _copy(reading.conn, writing.conn)
        finally:
            target_db.close()
    finally:
        source_db.close()


def _copy(source: Sql, target: Sql) -> dict[str, int]:
    if target.execute("SELECT 1 FROM questions LIMIT 1").fetchone() is not None:
        raise TargetNotEmptyError("the target already holds questions; copy into a new database")
    copied: dict[str, int] = {}
    with target.transaction():
        # The target made a salt of its own when it was created: the source's replaces it.
        target.execute("DELETE FROM meta")
        for table, columns in TABLES.items():
            names = ", ".join(columns)
            insert = (
                f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))}) "
                "ON CONFLICT DO NOTHING"
            )
            rows = source.execute(f"SELECT {names} FROM {table}")
            copied[table] = 0
            while batch := rows.fetchmany(BATCH_ROWS):
                target.executemany(insert, batch)
                copied[table] += len(batch)
    return copied
