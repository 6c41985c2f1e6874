"""The SQL of claims: short-lived marks that several processes sharing one database agree on.

A claim is taken once: the first process to take (kind, key) gets True, every other one
False until the claim expires. Replicas use them so that one of them, not each, answers a
delivery Slack sent twice, or edits a pinned message after a reload.
"""

from __future__ import annotations

from bot.store.dialect import Sql

__all__ = ["consume", "delete_expired", "release", "take", "value_of"]


def take(conn: Sql, kind: str, key: str, value: str, now: float, expires_at: float) -> bool:
    """Take the claim unless someone holds it unexpired; True when this call took it."""
    cursor = conn.execute(
        """INSERT INTO claims (kind, key, value, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (kind, key) DO UPDATE SET
               value = excluded.value, expires_at = excluded.expires_at
           WHERE claims.expires_at <= ?""",
        (kind, key, value, expires_at, now),
    )
    return cursor.rowcount == 1


def value_of(conn: Sql, kind: str, key: str, now: float) -> str | None:
    """The value of an unexpired claim, None when nobody holds it."""
    row = conn.execute(
        "SELECT value FROM claims WHERE kind = ? AND key = ? AND expires_at > ?",
        (kind, key, now),
    ).fetchone()
    return None if row is None else str(row[0])


def release(conn: Sql, kind: str, key: str) -> None:
    conn.execute("DELETE FROM claims WHERE kind = ? AND key = ?", (kind, key))


def consume(conn: Sql, kind: str, key: str, now: float) -> bool:
    """Remove an unexpired claim; True for the one call that removed it."""
    cursor = conn.execute(
        "DELETE FROM claims WHERE kind = ? AND key = ? AND expires_at > ?", (kind, key, now)
    )
    return cursor.rowcount == 1


def delete_expired(conn: Sql, now: float) -> int:
    return int(conn.execute("DELETE FROM claims WHERE expires_at <= ?", (now,)).rowcount)
