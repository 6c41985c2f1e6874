"""Open the log's database ready for use: schema migrated, salt read.

A location is a SQLite file path or a `postgresql://` URL. SQLite gets one shared
connection (WAL on); PostgreSQL a small connection pool, so a server restart or a dropped
connection is replaced by a fresh one instead of failing every later call.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from bot.store.dialect import PostgresSql, Sql, SqliteSql
from bot.store.schema import LATEST_VERSION, SchemaTooNewError, migrate
from config.settings import is_postgres_url

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "OPEN_BUSY_TIMEOUT_SECONDS",
    "Database",
    "Session",
    "is_postgres_url",
    "open_database",
    "outage_errors",
    "shown_location",
    "without_password",
]

# How long a write waits for another writer before giving up: logging must never hold up an
# answer by more than a blink, and a busy log is simply retried later.
BUSY_TIMEOUT_SECONDS = 0.25
OPEN_BUSY_TIMEOUT_SECONDS = 10.0
# PostgreSQL: how long to wait for a connection (new or from the pool) before the call is
# treated as an outage and the store retries later.
CONNECT_TIMEOUT_SECONDS = 3
# PostgreSQL connections kept per process: the store uses one at a time; one more is ready
# while a broken one is being replaced.
POOL_SIZE = 2
# Random bytes of the per-database salt that user ids are hashed with: 128 bits, as for a key.
SALT_BYTES = 16
_SALT_KEY = "user_salt"


@dataclass(frozen=True)
class Session:
    """A connection to run statements on, and the salt of its database."""

    conn: Sql
    salt: bytes


@dataclass(frozen=True)
class Database:
    """An open database: `session()` lends a connection (with the salt); `close()` lets them
    all go."""

    session: Callable[[], AbstractContextManager[Session]]
    close: Callable[[], None]


def shown_location(location: str | Path) -> str:
    """The location as logs may show it: a URL without its password or query (where
    `?password=` may be)."""
    if not is_postgres_url(location):
        return str(location)
    parts = urlsplit(str(location))
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a malformed port: show none
        port = ""
    user = f"{parts.username}{':***' if parts.password else ''}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}{parts.hostname or ''}{port}", query=""))


def without_password(text: str, location: str | Path) -> str:
    """Text (an error message) with the location's secrets, if any, masked: the password in
    the URL or in its query."""
    if not is_postgres_url(location):
        return text
    parts = urlsplit(str(location))
    secrets_in_url = [parts.password or ""]
    secrets_in_url += [value for key, value in parse_qsl(parts.query) if key == "password"]
    for secret in filter(None, secrets_in_url):
        text = text.replace(secret, "***")
    return text


def outage_errors(location: str | Path) -> tuple[type[BaseException], ...]:
    """What counts as "the database cannot be used right now" for this location."""
    errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError, SchemaTooNewError)
    if is_postgres_url(location):
        import psycopg

        errors += (psycopg.Error,)
    return errors


def open_database(
    location: str | Path,
    *,
    read_only: bool = False,
    open_timeout: float = OPEN_BUSY_TIMEOUT_SECONDS,
) -> Database:
    """Open (creating if needed) and migrate the database; `read_only` only reads it.
    `open_timeout`: how long opening a SQLite file waits for another process's lock.

    Raises sqlite3.Error, psycopg.Error or OSError when it cannot be used, SchemaTooNewError
    when a newer bot wrote it.
    """
    if is_postgres_url(location):
        return _open_postgres(str(location), read_only=read_only)
    path = Path(location)
    if read_only:
        return _open_sqlite_for_reading(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit: every transaction is explicit. One connection is shared by threads, which
    # the owner serialises with a lock.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        # Opening may wait longer than a write: processes starting together on one file take
        # turns to switch it to WAL and migrate it, and must not count that as an outage.
        conn.execute(f"PRAGMA busy_timeout = {int(open_timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL keeps the database consistent on a crash and skips an fsync per
        # question; the newest few rows are all a power cut could cost.
        conn.execute("PRAGMA synchronous = NORMAL")
        sql = SqliteSql(conn)
        migrate(sql)
        salt = _salt(sql)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        return _sqlite_database(conn, salt)
    except BaseException:
        conn.close()
        raise


def _sqlite_database(conn: sqlite3.Connection, salt: bytes) -> Database:
    session = Session(SqliteSql(conn), salt)

    @contextmanager
    def lend() -> Iterator[Session]:
        yield session

    return Database(lend, conn.close)


def _open_sqlite_for_reading(path: Path) -> Database:
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
            sql = SqliteSql(conn)
            _require_latest(sql)
            return _sqlite_database(conn, _read_salt(sql))
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
                conn = None
            if "schema" in str(exc):
                raise
    raise sqlite3.OperationalError(f"cannot read the question log at {path}")


def _open_postgres(url: str, *, read_only: bool) -> Database:
    import psycopg
    from psycopg_pool import ConnectionPool

    settings = {"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    # The first connection is made directly: a server that cannot be reached is one error
    # here, not a pool retrying (and logging) in the background.
    with psycopg.connect(url, **settings) as conn:  # type: ignore[arg-type]
        sql = PostgresSql(conn)
        if read_only:
            _require_latest(sql)
            salt = _read_salt(sql)
        else:
            migrate(sql)
            salt = _salt(sql)
    pool: ConnectionPool[psycopg.Connection[tuple[object, ...]]] = ConnectionPool(
        url,
        min_size=1,
        max_size=POOL_SIZE,
        kwargs=settings,
        timeout=CONNECT_TIMEOUT_SECONDS,
        # A connection that died while idle (a server restart) is found and replaced here,
        # not by the statement that would have used it.
        check=ConnectionPool.check_connection,
        name="faqbot-store",
        open=True,
    )

    @contextmanager
    def lend() -> Iterator[Session]:
        with pool.connection() as conn:
            yield Session(PostgresSql(conn), salt)

    return Database(lend, pool.close)


def _require_latest(sql: Sql) -> None:
    """A reader must not guess at another version's tables."""
    if sql.schema_version() != LATEST_VERSION:
        raise sqlite3.OperationalError(
            "the question log has an older or newer schema; run the bot once to update it"
        )


def _read_salt(sql: Sql) -> bytes:
    row = sql.execute("SELECT value FROM meta WHERE key = ?", (_SALT_KEY,)).fetchone()
    return bytes.fromhex(row[0]) if row else b""


def _salt(sql: Sql) -> bytes:
    """The database's salt, created on first use; two processes starting together agree."""
    if not _read_salt(sql):
        sql.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (_SALT_KEY, secrets.token_hex(SALT_BYTES)),
        )
    return _read_salt(sql)
