"""Starting up: the factory, tokens checked before anything starts, and tokens never logged."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from slack_bolt.async_app import AsyncApp

from adapters.slack import create_app, run, runtime_of
from bot.runtime import build_runtime
from config import SettingsError
from tests.slack.conftest import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    make_settings,
    running_http_bot,
)
from tests.slack.fake_slack import FakeSlack


async def test_create_app_builds_the_app_and_starts_nothing(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    app = create_app(make_settings(tmp_path, knowledge_copy, fake_slack))
    try:
        assert isinstance(app, AsyncApp)
        runtime = runtime_of(app)
        assert runtime.service.ask("when did canada cut ties with iran").answered
        assert runtime.store.location == tmp_path / "log.sqlite3"
        await asyncio.sleep(0)
        assert fake_slack.calls == []  # not even auth.test
    finally:
        runtime_of(app).store.close()


async def test_create_app_reads_settings_from_the_environment(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake_slack.api_url.rstrip("/"),
        "SLACK_ASK_COMMAND": "/question",
        "KNOWLEDGE_DIR": str(knowledge_copy),
        "STORE_DATABASE": str(tmp_path / "env.sqlite3"),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no .env here

    app = create_app()
    try:
        runtime = runtime_of(app)
        assert runtime.settings.slack.ask_command == "/question"
        assert runtime.store.location == tmp_path / "env.sqlite3"
        assert app.client.base_url == fake_slack.api_url  # with the slash urljoin needs
    finally:
        runtime_of(app).store.close()


@pytest.mark.parametrize(
    ("slack", "variable", "secret"),
    [
        ({"bot_token": None}, "SLACK_BOT_TOKEN is not set", None),
        (
            {"bot_token": "xoxp-user-token-not-bot"},
            "SLACK_BOT_TOKEN is malformed",
            "xoxp-user-token-not-bot",
        ),
        ({"mode": "socket", "app_token": None}, "SLACK_APP_TOKEN is not set", None),
        (
            {"mode": "socket", "app_token": "xoxb-wrong-kind"},
            "SLACK_APP_TOKEN is malformed",
            "xoxb-wrong-kind",
        ),
        ({"signing_secret": None}, "SLACK_SIGNING_SECRET is not set", None),
        (
            {"signing_secret": "not hex at all!"},
            "SLACK_SIGNING_SECRET is malformed",
            "not hex at all!",
        ),
    ],
)
def test_a_missing_or_malformed_token_fails_at_start_naming_the_variable(
    tmp_path: Path,
    knowledge_copy: Path,
    slack: dict[str, object],
    variable: str,
    secret: str | None,
) -> None:
    fake = FakeSlack(port=1)  # never started: nothing may be called
    settings = make_settings(tmp_path, knowledge_copy, fake, **slack)

    with pytest.raises(SettingsError) as raised:
        create_app(settings)

    assert variable in str(raised.value)
    if secret is not None:
        assert secret not in str(raised.value)


async def test_a_token_slack_refuses_stops_run_naming_the_variable(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.auth_error = "invalid_auth"
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, fake_slack))
    try:
        with pytest.raises(SettingsError) as raised:
            await asyncio.wait_for(run(runtime), timeout=5)
    finally:
        runtime.store.close()
    assert "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in str(raised.value)
    assert BOT_TOKEN not in str(raised.value)


async def test_an_app_token_slack_refuses_stops_socket_mode_naming_the_variable(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("apps.connections.open", "invalid_auth")
    settings = make_settings(
        tmp_path, knowledge_copy, fake_slack, mode="socket", app_token=APP_TOKEN
    )
    runtime = build_runtime(settings)
    try:
        with pytest.raises(SettingsError) as raised:
            await asyncio.wait_for(run(runtime), timeout=5)
    finally:
        runtime.store.close()
    assert "SLACK_APP_TOKEN was refused" in str(raised.value)
    assert APP_TOKEN not in str(raised.value)


async def test_tokens_never_appear_in_the_logs(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_slack.fail("chat.postMessage", "not_in_channel")
    settings = make_settings(tmp_path, knowledge_copy, fake_slack)
    async with running_http_bot(settings, fake_slack) as bot:
        _, key = await bot.sender.command("when did canada cut ties with iran")
        await fake_slack.wait_for(lambda: fake_slack.responses_to(key))
        _, key = await bot.sender.command("", command="/briefing")  # fails: not_in_channel
        await fake_slack.wait_for(lambda: fake_slack.responses_to(key))

    assert "chat.postMessage failed: not_in_channel" in caplog.text  # the logs were captured
    for secret in (BOT_TOKEN, SIGNING_SECRET, BOT_TOKEN.split("-", 1)[1]):
        assert secret not in caplog.text
