"""The SQL of the pinned-briefing registry: where each briefing message was posted."""

from __future__ import annotations

import sqlite3

from bot.store.models import PinnedBriefing

__all__ = ["delete_pin", "select_pins", "set_pin_version", "set_pinned", "upsert_pin"]

_COLUMNS = "platform, workspace, channel, message_id, briefing_id, knowledge_version, pinned"


def upsert_pin(conn: sqlite3.Connection, pin: PinnedBriefing, now: float) -> None:
    conn.execute(
        f"""INSERT INTO pins ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, channel, message_id) DO UPDATE SET
                workspace = excluded.workspace,
                briefing_id = excluded.briefing_id,
                knowledge_version = excluded.knowledge_version,
                pinned = excluded.pinned,
                updated_at = excluded.updated_at""",
        (
            pin.platform,
            pin.workspace,
            pin.channel,
            pin.message_id,
            pin.briefing_id,
            pin.knowledge_version,
            int(pin.pinned),
            now,
        ),
    )


def select_pins(
    conn: sqlite3.Connection, platform: str | None, briefing_id: str | None
) -> list[PinnedBriefing]:
    """Pins, optionally of one platform and/or one briefing, in a stable order."""
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM pins
            WHERE (?1 IS NULL OR platform = ?1) AND (?2 IS NULL OR briefing_id = ?2)
            ORDER BY platform, workspace, channel, message_id""",
        (platform, briefing_id),
    ).fetchall()
    return [
        PinnedBriefing(
            platform=row[0],
            workspace=row[1],
            channel=row[2],
            message_id=row[3],
            briefing_id=row[4],
            knowledge_version=row[5],
            pinned=bool(row[6]),
        )
        for row in rows
    ]


def set_pinned(
    conn: sqlite3.Connection, key: tuple[str, str, str], pinned: bool, now: float
) -> None:
    conn.execute(
        """UPDATE pins SET pinned = ?, updated_at = ?
           WHERE platform = ? AND channel = ? AND message_id = ?""",
        (int(pinned), now, *key),
    )


def set_pin_version(
    conn: sqlite3.Connection, key: tuple[str, str, str], knowledge_version: str, now: float
) -> None:
    conn.execute(
        """UPDATE pins SET knowledge_version = ?, updated_at = ?
           WHERE platform = ? AND channel = ? AND message_id = ?""",
        (knowledge_version, now, *key),
    )


def delete_pin(conn: sqlite3.Connection, key: tuple[str, str, str]) -> None:
    conn.execute(
        "DELETE FROM pins WHERE platform = ? AND channel = ? AND message_id = ?",
        key,
    )
