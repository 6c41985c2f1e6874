"""The log's schema as ordered migration steps, and the code that walks a database up them."""

from __future__ import annotations

import logging

from bot.store.dialect import Sql

__all__ = ["LATEST_VERSION", "MIGRATIONS", "SchemaTooNewError", "migrate", "schema_version"]

_log = logging.getLogger(__name__)

# Step N turns a version N-1 database into version N (SQLite's PRAGMA user_version,
# PostgreSQL's schema_version table). The statements are SQLite's; bot.store.dialect spells
# them for PostgreSQL. Steps are append-only: a released step is never edited, so every
# database walks the same path and an upgrade keeps every row it had.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: the question log, the ratings, and the per-database salt for hashing user ids.
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at REAL NOT NULL,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            user_hash TEXT,
            text TEXT,
            entry_id TEXT,
            confidence REAL NOT NULL DEFAULT 0,
            answered INTEGER NOT NULL,
            answer_id TEXT UNIQUE
        )""",
        "CREATE INDEX questions_by_time ON questions (asked_at)",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            rated_at REAL NOT NULL,
            answer_id TEXT NOT NULL,
            entry_id TEXT,
            user_hash TEXT,
            helpful INTEGER NOT NULL
        )""",
        "CREATE INDEX feedback_by_time ON feedback (rated_at)",
        # One rating per user and answer; an anonymous asker counts as one user.
        "CREATE UNIQUE INDEX feedback_once_per_user ON feedback (answer_id, ifnull(user_hash, ''))",
    ),
    # v2: what the bot did with each question, and which knowledge version answered it.
    (
        "ALTER TABLE questions ADD COLUMN outcome TEXT NOT NULL DEFAULT 'unknown'",
        "UPDATE questions SET outcome = 'answered' WHERE answered = 1",
        "ALTER TABLE questions ADD COLUMN knowledge_version TEXT NOT NULL DEFAULT ''",
    ),
    # v3: where briefings were posted (and pinned), so they can be edited in place.
    (
        """CREATE TABLE pins (
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL,
            briefing_id TEXT NOT NULL,
            knowledge_version TEXT NOT NULL,
            pinned INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            PRIMARY KEY (platform, channel, message_id)
        )""",
    ),
    # v4: channels moderators marked as help channels (answered without an @mention).
    (
        """CREATE TABLE help_channels (
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL,
            marked_by TEXT NOT NULL DEFAULT '',
            marked_at REAL NOT NULL,
            PRIMARY KEY (platform, workspace, channel)
        )""",
    ),
    # v5: questions passed to the moderators, and their replies.
    (
        """CREATE TABLE handoffs (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            thread TEXT NOT NULL DEFAULT '',
            user_id TEXT NOT NULL,
            question TEXT NOT NULL,
            asked_at REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            reply TEXT NOT NULL DEFAULT '',
            handled_by TEXT NOT NULL DEFAULT '',
            handled_at REAL NOT NULL DEFAULT 0,
            notice_channel TEXT NOT NULL DEFAULT '',
            notice_ref TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX handoffs_by_user ON handoffs (platform, user_id, asked_at)",
    ),
    # v6: what replicas sharing the database agree on, and settings per workspace or server.
    (
        """CREATE TABLE claims (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            expires_at REAL NOT NULL,
            PRIMARY KEY (kind, key)
        )""",
        "CREATE INDEX claims_by_expiry ON claims (expires_at)",
        """CREATE TABLE workspace_settings (
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            changed_by TEXT NOT NULL DEFAULT '',
            changed_at REAL NOT NULL,
            PRIMARY KEY (platform, workspace, name)
        )""",
    ),
    # v7: Slack workspaces that installed the app through OAuth, with their bot tokens.
    (
        """CREATE TABLE slack_installations (
            enterprise_id TEXT NOT NULL DEFAULT '',
            team_id TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL,
            installed_at REAL NOT NULL,
            PRIMARY KEY (enterprise_id, team_id)
        )""",
    ),
    # v8: the platform's delivery a question came in (its retries share it), so that a
    # question is logged as received before it is acknowledged, and updated once answered.
    (
        "ALTER TABLE questions ADD COLUMN delivery TEXT",
        "CREATE UNIQUE INDEX questions_by_delivery ON questions (delivery)",
    ),
    # v9: the bot's best attempt at a question passed to the moderators, shown to them.
    ("ALTER TABLE handoffs ADD COLUMN best_attempt TEXT NOT NULL DEFAULT ''",),
    # v10: the entries that answered a message's other questions (ids apart by spaces), so
    # that a rating of the reply counts for each of them: one rating row per entry; and the
    # questions of such a message that the reply did not answer (a JSON list), which the
    # report lists with the unanswered questions.
    (
        "ALTER TABLE questions ADD COLUMN more_entries TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE questions ADD COLUMN unanswered_parts TEXT NOT NULL DEFAULT ''",
        "DROP INDEX feedback_once_per_user",
        """CREATE UNIQUE INDEX feedback_once_per_user_and_entry
           ON feedback (answer_id, ifnull(user_hash, ''), ifnull(entry_id, ''))""",
    ),
)
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNewError(Exception):
    """The database was written by a newer bot; this one must not guess at its tables."""


def schema_version(sql: Sql) -> int:
    return sql.schema_version()


def migrate(sql: Sql) -> int:
    """Apply the missing steps, each in its own transaction; return the version reached.

    Each step re-reads the version under the migration lock, so two processes opening the
    same database migrate it once.
    """
    if sql.schema_version() == LATEST_VERSION:
        return LATEST_VERSION
    while True:
        with sql.migration_transaction():
            version = sql.schema_version()
            if version > LATEST_VERSION:
                raise SchemaTooNewError(
                    f"schema version {version} is newer than this bot knows ({LATEST_VERSION})"
                )
            if version == LATEST_VERSION:
                return version
            for statement in MIGRATIONS[version]:
                sql.execute(statement)
            sql.set_schema_version(version + 1)
        _log.info("question log migrated to schema version %d", version + 1)
