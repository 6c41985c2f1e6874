"""Open the log's SQLite file ready for use: folder created, WAL on, schema migrated, salt read."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.store.schema import LATEST_VERSION, migrate, schema_version

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


def open_database(path: Path, *, read_only: bool = False) -> Database:
    """Open (creating if needed) and migrate the database; `read_only` only reads it.

    Raises sqlite3.Error or OSError when the file cannot be used, SchemaTooNewError when a
    newer bot wrote it.
    """
    if read_only:
        return _open_for_reading(path)
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


def _open_for_reading(path: Path) -> Database:
    """Open an existing log without writing anything, for reports: no WAL switch, no
    migration, no salt created. A log on a read-only disk or in a read-only folder opens too."""
    if not path.is_file():
        raise sqlite3.OperationalError(f"no question log at {path}")
    conn: sqlite3.Connection | None = None
    for mode in ("mode=ro", "immutable=1"):  # immutable: no -shm file can be made here
        try:
            conn = sqlite3.connect(
                f"{path.absolute().as_uri()}?{mode}", uri=True, check_same_thread=False
            )
            if schema_version(conn) != LATEST_VERSION:
                conn.close()
                raise sqlite3.OperationalError(
                    "the question log has an older or newer schema; run the bot once to update it"
                )
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (_SALT_KEY,)).fetchone()
            return Database(conn, bytes.fromhex(row[0]) if row else b"")
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
                conn = None
            if "schema" in str(exc):
                raise
    raise sqlite3.OperationalError(f"cannot read the question log at {path}")


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
