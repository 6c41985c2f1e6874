"""The shipped manifest asks for exactly the scopes, events and commands the adapter uses."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml

from config import SlackSettings

ADAPTER = Path(__file__).resolve().parents[2] / "adapters" / "slack"
# The bot scope each Web API method needs (None: no bot scope, e.g. the app-level token's).
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "pins_add": "pins:write",
    "conversations_open": "im:write",
    "users_info": "users:read",
    "auth_test": None,
    "views_publish": None,  # the Home tab: no scope, only home_tab_enabled
    "views_open": None,  # the moderators' answer form: no scope, a click's trigger_id
    "apps_connections_open": None,  # app-level token, scope connections:write
}
EVENT_SCOPES = {
    "app_home_opened": None,  # needs no scope
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "app_uninstalled": None,  # OAuth installs, via enable_token_revocation_listeners()
    "tokens_revoked": None,
}


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((ADAPTER / "manifest.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def web_api_methods() -> set[str]:
    """Every `<...>client.<method>(...)` call in the adapter's code."""
    methods = set()
    for path in ADAPTER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if name == "client":
                    methods.add(node.func.attr)
    return methods


def test_every_web_api_method_used_has_a_known_scope() -> None:
    used = web_api_methods()
    assert used, "the scan found no Web API calls"
    assert used <= set(METHOD_SCOPES), f"add the scope of {used - set(METHOD_SCOPES)}"


def test_the_manifest_asks_for_exactly_the_scopes_used() -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    needed = {METHOD_SCOPES[m] for m in web_api_methods()} - {None}
    needed |= {EVENT_SCOPES[e] for e in events if EVENT_SCOPES[e]} | {"commands"}
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_the_manifest_subscribes_to_the_events_the_adapter_handles() -> None:
    events = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)


def test_the_manifest_declares_the_default_commands() -> None:
    commands = [c["command"] for c in manifest()["features"]["slash_commands"]]
    assert commands == [
        SlackSettings.model_fields[name].default
        for name in ("ask_command", "briefing_command", "faq_command")
    ]
    assert manifest()["settings"]["socket_mode_enabled"] is True  # the default SLACK_MODE
    assert manifest()["settings"]["interactivity"]["is_enabled"] is True  # the buttons


def test_an_oauth_install_asks_for_the_manifests_scopes() -> None:
    from adapters.slack.installations import BOT_SCOPES

    assert sorted(BOT_SCOPES) == sorted(manifest()["oauth_config"]["scopes"]["bot"])
