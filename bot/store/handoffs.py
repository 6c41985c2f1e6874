"""The SQL of hand-offs: questions passed to the moderators, and what became of them."""

from __future__ import annotations

import dataclasses

from bot.handoffs import OPEN, Handoff
from bot.store.dialect import Sql

__all__ = [
    "close_handoff",
    "count_since",
    "handled_between",
    "insert_handoff",
    "insert_within_limit",
    "open_handoffs",
    "purge_before",
    "select_handoff",
    "set_notice",
]

_COLUMNS = (
    "id, platform, workspace, channel, thread, user_id, question, asked_at, status, reply, "
    "handled_by, handled_at, notice_channel, notice_ref, best_attempt"
)


def insert_handoff(conn: Sql, handoff: Handoff) -> None:
    conn.execute(
        f"INSERT INTO handoffs ({_COLUMNS}) VALUES ({', '.join('?' * 15)})",
        dataclasses.astuple(handoff),
    )


def insert_within_limit(conn: Sql, handoff: Handoff, limit: int, since: float) -> bool:
    """Keep a new hand-off unless its asker has `limit` of them since then: counted and
    inserted in one transaction that holds that asker's lock, so that clicks at once, on
    one replica or several, cannot all count below the limit. False when refused."""
    with conn.transaction():
        # SQLite: the transaction's write lock already serialises writers; PostgreSQL: an
        # advisory lock per asker, held to the end of the transaction.
        conn.hold(f"handoffs/{handoff.platform}/{handoff.user}")
        if count_since(conn, handoff.platform, handoff.user, since) >= limit:
            return False
        insert_handoff(conn, handoff)
    return True


def purge_before(conn: Sql, cutoff: float) -> int:
    """Delete hand-offs whose last activity (answered or dismissed, else asked) is older than
    cutoff, open or not; return how many went. handled_at is 0 while open, and never before
    asked_at once handled, so both times before cutoff is exactly that."""
    cursor = conn.execute(
        "DELETE FROM handoffs WHERE asked_at < ? AND handled_at < ?", (cutoff, cutoff)
    )
    return int(cursor.rowcount)


def set_notice(conn: Sql, handoff_id: str, channel: str, ref: str) -> None:
    conn.execute(
        "UPDATE handoffs SET notice_channel = ?, notice_ref = ? WHERE id = ?",
        (channel, ref, handoff_id),
    )


def select_handoff(conn: Sql, handoff_id: str) -> Handoff | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM handoffs WHERE id = ?", (handoff_id,)).fetchone()
    return Handoff(*row) if row else None


def close_handoff(conn: Sql, handoff_id: str, status: str, reply: str, by: str, now: float) -> bool:
    """Answer or dismiss an open hand-off; False when it is not open (handled already)."""
    cursor = conn.execute(
        """UPDATE handoffs SET status = ?, reply = ?, handled_by = ?, handled_at = ?
           WHERE id = ? AND status = ?""",
        (status, reply, by, now, handoff_id, OPEN),
    )
    return cursor.rowcount == 1


def count_since(conn: Sql, platform: str, user: str, since: float) -> int:
    row = conn.execute(
        "SELECT count(*) FROM handoffs WHERE platform = ? AND user_id = ? AND asked_at >= ?",
        (platform, user, since),
    ).fetchone()
    return int(row[0])


def open_handoffs(conn: Sql) -> list[Handoff]:
    """Hand-offs not yet answered or dismissed, oldest first (none in a log from before
    hand-offs, which a read-only report does not migrate)."""
    if not conn.table_exists("handoffs"):
        return []
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM handoffs WHERE status = ? ORDER BY asked_at", (OPEN,)
    )
    return [Handoff(*row) for row in rows]


def handled_between(
    conn: Sql, status: str, since: float, until: float, limit: int
) -> list[Handoff]:
    """Hand-offs brought to `status` (answered, dismissed) in a window, newest first."""
    if not conn.table_exists("handoffs"):
        return []
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM handoffs
            WHERE status = ? AND handled_at >= ? AND handled_at <= ?
            ORDER BY handled_at DESC LIMIT ?""",
        (status, since, until, limit),
    )
    return [Handoff(*row) for row in rows]
