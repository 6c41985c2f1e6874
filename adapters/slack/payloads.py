"""Reading what a click carries: who clicked where, and the button's (or menu pick's) value."""

from __future__ import annotations

from typing import Any

__all__ = ["action_value", "click_ids"]


def action_value(body: dict[str, Any]) -> str:
    """A button's value, or the value of the option picked in a menu."""
    action = (body.get("actions") or [{}])[0]
    picked = action.get("selected_option") or {}
    return str(action.get("value") or picked.get("value") or "")


def click_ids(body: dict[str, Any]) -> tuple[str, str, str]:
    """Workspace, channel and user of a button click."""
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
    channel = (body.get("channel") or {}).get("id") or ""
    user = (body.get("user") or {}).get("id") or ""
    return str(team), str(channel), str(user)
