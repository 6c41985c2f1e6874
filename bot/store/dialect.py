"""One small interface over the two databases the store runs on: SQLite and PostgreSQL.

The store's SQL is written once, in the common subset of both (`?` placeholders, `ON
CONFLICT`, `coalesce`); `PostgresSql` turns it into PostgreSQL's spelling. What differs
beyond spelling (where the schema version is kept, how a migration locks out a second
process, how to ask whether a table exists) is a method here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresSql", "Sql", "SqliteSql", "postgres_statement"]

# The key of the PostgreSQL advisory lock that migrations hold: replicas starting together
# migrate one after the other (any constant works; this one spells "faqbot").
MIGRATION_LOCK_KEY = 0x66617162_6F74


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Sql(Protocol):
    """A connection in autocommit mode: each statement commits unless in `transaction()`."""

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def transaction(self) -> Any:
        """A context manager: the statements inside commit together or not at all."""

    def migration_transaction(self) -> Any:
        """Like transaction(), and no other process migrates while it is open."""

    def hold(self, name: str) -> None:
        """Inside transaction(): no other process passes hold(name) until it ends."""

    def schema_version(self) -> int: ...

    def set_schema_version(self, version: int) -> None: ...

    def table_exists(self, name: str) -> bool: ...


class SqliteSql:
    """A sqlite3 connection opened with isolation_level=None."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.raw = conn

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        return self.raw.execute(statement, params)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.raw.executemany(statement, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so a transaction never fails half-way
        # because another writer got there first.
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.raw.execute("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise

    migration_transaction = transaction  # the write lock already keeps other processes out

    def hold(self, name: str) -> None:
        """Nothing more to do: the transaction's write lock already keeps other writers out."""

    def schema_version(self) -> int:
        return int(self.raw.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self.raw.execute(f"PRAGMA user_version = {int(version)}")

    def table_exists(self, name: str) -> bool:
        row = self.raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None


class PostgresSql:
    """A psycopg connection opened with autocommit=True."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        return self.raw.execute(postgres_statement(statement), tuple(params))  # type: ignore[arg-type,return-value]

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(postgres_statement(statement), [tuple(row) for row in rows])  # type: ignore[arg-type]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.raw.transaction():
            yield

    @contextmanager
    def migration_transaction(self) -> Iterator[None]:
        with self.raw.transaction():
            # Held to the end of the transaction: a second replica waits here, then reads
            # the version the first one reached.
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            self.raw.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            yield

    def hold(self, name: str) -> None:
        self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (name,))

    def schema_version(self) -> int:
        if not self.table_exists("schema_version"):
            return 0
        row = self.raw.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def set_schema_version(self, version: int) -> None:
        self.raw.execute("DELETE FROM schema_version")
        self.raw.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def table_exists(self, name: str) -> bool:
        row = self.raw.execute("SELECT to_regclass(%s)", (name,)).fetchone()
        return row is not None and row[0] is not None


# SQLite's types and functions that PostgreSQL spells differently. REAL is 4 bytes there,
# too coarse for a unix time; an INTEGER PRIMARY KEY counts up by itself in SQLite only.
_POSTGRES_SPELLING = (
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bifnull\("), "coalesce("),
)


@lru_cache(maxsize=256)
def postgres_statement(statement: str) -> str:
    """The statement in PostgreSQL's spelling: `%s` placeholders, its own type names."""
    statement = statement.replace("%", "%%").replace("?", "%s")
    for pattern, replacement in _POSTGRES_SPELLING:
        statement = pattern.sub(replacement, statement)
    return statement
