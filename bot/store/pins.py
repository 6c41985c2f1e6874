"""The SQL of the pinned-briefing registry: where each briefing message was posted."""

from __future__ import annotations

from bot.store.dialect import Sql
from bot.store.models import PinnedBriefing

__all__ = ["delete_pin", "select_pins", "set_pin_version", "set_pinned", "upsert_pin"]

_COLUMNS = "platform, workspace, channel, message_id, briefing_id, knowledge_version, pinned"


def upsert_pin(conn: Sql, pin: PinnedBriefing, now: float) -> None:
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


def select_pins(conn: Sql, platform: str | None, briefing_id: str | None) -> list[PinnedBriefing]:
    """Pins, optionally of one platform and/or one briefing, in a stable order."""
    wanted = {"platform": platform, "briefing_id": briefing_id}
    given = {column: value for column, value in wanted.items() if value is not None}
    where = " AND ".join(f"{column} = ?" for column in given) or "1 = 1"
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM pins WHERE {where}
            ORDER BY platform, workspace, channel, message_id""",
        list(given.values()),
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


def set_pinned(conn: Sql, key: tuple[str, str, str], pinned: bool, now: float) -> None:
    conn.execute(
        """UPDATE pins SET pinned = ?, updated_at = ?
           WHERE platform = ? AND channel = ? AND message_id = ?""",
        (int(pinned), now, *key),
    )


def set_pin_version(
    conn: Sql, key: tuple[str, str, str], knowledge_version: str, now: float
) -> None:
    conn.execute(
        """UPDATE pins SET knowledge_version = ?, updated_at = ?
           WHERE platform = ? AND channel = ? AND message_id = ?""",
        (knowledge_version, now, *key),
    )


def delete_pin(conn: Sql, key: tuple[str, str, str]) -> None:
    conn.execute(
        "DELETE FROM pins WHERE platform = ? AND channel = ? AND message_id = ?",
        key,
    )
