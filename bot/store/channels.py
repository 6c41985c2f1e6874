"""The SQL of per-channel settings: which channels are help channels."""

from __future__ import annotations

from bot.store.dialect import Sql

__all__ = ["help_channels", "set_help_channel"]


def set_help_channel(
    conn: Sql,
    key: tuple[str, str, str],
    on: bool,
    marked_by: str,
    now: float,
) -> None:
    """Mark (on) or unmark a channel; key is (platform, workspace, channel)."""
    if on:
        conn.execute(
            """INSERT INTO help_channels (platform, workspace, channel, marked_by, marked_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (platform, workspace, channel) DO UPDATE SET
                   marked_by = excluded.marked_by, marked_at = excluded.marked_at""",
            (*key, marked_by, now),
        )
    else:
        conn.execute(
            "DELETE FROM help_channels WHERE platform = ? AND workspace = ? AND channel = ?", key
        )


def help_channels(conn: Sql, platform: str) -> set[tuple[str, str]]:
    """(workspace, channel) of every help channel on a platform."""
    rows = conn.execute(
        "SELECT workspace, channel FROM help_channels WHERE platform = ?", (platform,)
    )
    return {(str(workspace), str(channel)) for workspace, channel in rows}
