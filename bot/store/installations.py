"""The SQL of Slack installations: each workspace's bot token, kept when it installs the app
through OAuth and removed when it uninstalls it or revokes the token."""

from __future__ import annotations

from bot.store.dialect import Sql

__all__ = ["delete_installation", "save_installation", "select_installation", "teams"]


def save_installation(conn: Sql, key: tuple[str, str], data: str, now: float) -> None:
    """key is (enterprise id, team id), "" where absent; data is the installation as JSON."""
    conn.execute(
        """INSERT INTO slack_installations (enterprise_id, team_id, data, installed_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (enterprise_id, team_id) DO UPDATE SET
               data = excluded.data, installed_at = excluded.installed_at""",
        (*key, data, now),
    )


def select_installation(conn: Sql, key: tuple[str, str]) -> str | None:
    row = conn.execute(
        "SELECT data FROM slack_installations WHERE enterprise_id = ? AND team_id = ?", key
    ).fetchone()
    return None if row is None else str(row[0])


def delete_installation(conn: Sql, key: tuple[str, str]) -> int:
    return int(
        conn.execute(
            "DELETE FROM slack_installations WHERE enterprise_id = ? AND team_id = ?", key
        ).rowcount
    )


def teams(conn: Sql) -> list[tuple[str, str]]:
    """(enterprise id, team id) of every installation."""
    rows = conn.execute(
        "SELECT enterprise_id, team_id FROM slack_installations ORDER BY installed_at"
    ).fetchall()
    return [(str(enterprise), str(team)) for enterprise, team in rows]
