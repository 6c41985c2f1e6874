"""Per-workspace settings shared by replicas: a list changed on one is never overwritten by
another replica writing back what it read earlier."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store
from bot.workspace_settings import MODERATORS, WorkspaceSettings


def test_a_replica_that_read_the_list_earlier_keeps_the_other_replicas_change(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.sqlite3"
    with Store(path) as first_store, Store(path) as second_store:
        first = WorkspaceSettings(first_store, "slack", {})
        second = WorkspaceSettings(second_store, "slack", {})
        assert second.get_list("T1", MODERATORS) == []  # remembered for a while

        assert first.change_list("T1", MODERATORS, "UADMIN", add=["U1"]) == ["U1"]
        assert second.change_list("T1", MODERATORS, "UADMIN", add=["U2"]) == ["U1", "U2"]

        assert second.get_list("T1", MODERATORS) == ["U1", "U2"]  # what it wrote, at once
        assert first_store.workspace_setting("slack", "T1", MODERATORS) == "U1,U2"
        assert first.change_list("T1", MODERATORS, "UADMIN", remove=["U1"]) == ["U2"]


def test_a_list_that_cannot_be_saved_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with Store(tmp_path / "file" / "store.sqlite3") as store:
        settings = WorkspaceSettings(store, "discord", {})
        assert settings.change_list("G1", MODERATORS, "UADMIN", add=["R1"]) is None
        assert settings.get_list("G1", MODERATORS) == []
