"""The SQL of settings kept per workspace or server (set by its moderators, not the environment)."""

from __future__ import annotations

from bot.store.dialect import Sql

__all__ = ["delete_setting", "select_setting", "upsert_setting"]


def upsert_setting(
    conn: Sql, key: tuple[str, str, str], value: str, changed_by: str, now: float
) -> None:
    """key is (platform, workspace, name)."""
    conn.execute(
        """INSERT INTO workspace_settings (platform, workspace, name, value, changed_by,
               changed_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform, workspace, name) DO UPDATE SET
               value = excluded.value, changed_by = excluded.changed_by,
               changed_at = excluded.changed_at""",
        (*key, value, changed_by, now),
    )


def delete_setting(conn: Sql, key: tuple[str, str, str]) -> None:
    conn.execute(
        "DELETE FROM workspace_settings WHERE platform = ? AND workspace = ? AND name = ?", key
    )


def select_setting(conn: Sql, key: tuple[str, str, str]) -> str | None:
    row = conn.execute(
        "SELECT value FROM workspace_settings WHERE platform = ? AND workspace = ? AND name = ?",
        key,
    ).fetchone()
    return None if row is None else str(row[0])
