"""Open the log's SQLite file ready for use: folder created, WAL on, schema migrated, salt read."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.store.schema import migrate

__all__ = ["BUSY_TIMEOUT_SECONDS", "Database", "open_database"]

# How long a write waits for another writer before giving up: logging must never hold up an
# answer by more than a blink, and a busy log is simply retried later.
BUSY_TIMEOUT_SECONDS = 0.25
# Random bytes of the per-database salt that user ids are hashed with: 128 bits, as for a key.
SALT_BYTES = 16
_SALT_KEY = "user_salt"


@dataclass(frozen=True)
class Database:
    """An open connection and the salt of that database."""

    conn: sqlite3.Connection
    salt: bytes


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the database.

    Raises sqlite3.Error or OSError when the file cannot be used, SchemaTooNewError when a
    newer bot wrote it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit: every transaction is explicit. One connection is shared by threads, which
    # the owner serialises with a lock.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL keeps the database consistent on a crash and skips an fsync per
        # question; the newest few rows are all a power cut could cost.
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
        return Database(conn, _salt(conn))
    except BaseException:
        conn.close()
        raise


def _salt(conn: sqlite3.Connection) -> bytes:
    """The database's salt, created on first use (a read-only database keeps its own)."""
    query = "SELECT value FROM meta WHERE key = ?"
    row = conn.execute(query, (_SALT_KEY,)).fetchone()
    if row is None:
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
            (_SALT_KEY, secrets.token_hex(SALT_BYTES)),
        )
        row = conn.execute(query, (_SALT_KEY,)).fetchone()
    return bytes.fromhex(row[0])
