"""Socket Mode end to end: connect over the fake's WebSocket, acknowledge envelopes, answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack import run
from bot.runtime import Runtime, build_runtime
from tests.slack.conftest import APP_TOKEN, ASKER, BOT_TOKEN, CHANNEL, make_settings
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

QUESTION = "when did canada cut ties with iran"


@contextlib.asynccontextmanager
async def socket_bot(tmp_path: Path, knowledge: Path, fake: FakeSlack) -> AsyncIterator[Runtime]:
    settings = make_settings(
        tmp_path, knowledge, fake, mode="socket", app_token=APP_TOKEN, signing_secret=None
    )
    runtime = build_runtime(settings)
    task = asyncio.create_task(run(runtime))
    try:
        await fake.wait_for(lambda: fake.connected)
        yield runtime
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        runtime.store.close()


def event_payload(ts: str, event_id: str) -> dict[str, Any]:
    return {
        "token": "unused",
        "team_id": TEAM_ID,
        "api_app_id": "A0FAKE",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {
            "type": "app_mention",
            "user": ASKER,
            "text": f"<@{BOT_USER_ID}> {QUESTION}",
            "ts": ts,
            "channel": CHANNEL,
            "event_ts": ts,
        },
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def acks(fake: FakeSlack, envelope_id: str) -> list[dict[str, Any]]:
    return [a for a in fake.socket_acks if a.get("envelope_id") == envelope_id]


async def test_socket_mode_connects_with_the_app_token_and_answers_a_mention(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
) -> None:
    async with socket_bot(tmp_path, knowledge_copy, fake_slack):
        ts = "1690000000.000100"
        await fake_slack.send_envelope("events_api", event_payload(ts, "EvS1"), "env-1")

        await fake_slack.wait_for(lambda: acks(fake_slack, "env-1"))
        [post] = await fake_slack.wait_for(lambda: fake_slack.posts(thread_ts=ts))

    [opened] = fake_slack.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert post["channel"] == CHANNEL
    assert "2012" in post["text"]
    assert fake_slack.calls_to("chat.postMessage")[0].token == BOT_TOKEN


async def test_a_redelivered_envelope_is_acknowledged_and_answered_once(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
) -> None:
    async with socket_bot(tmp_path, knowledge_copy, fake_slack):
        ts, marker = "1690000000.000200", "1690000000.000300"
        payload = event_payload(ts, "EvS2")
        await fake_slack.send_envelope("events_api", payload, "env-2")
        await fake_slack.send_envelope("events_api", payload, "env-2", retry_attempt=1)
        await fake_slack.send_envelope("events_api", payload, "env-3", retry_attempt=2)
        await fake_slack.send_envelope("events_api", event_payload(marker, "EvS3"), "env-4")

        await fake_slack.wait_for(
            lambda: (
                len(acks(fake_slack, "env-2")) == 2
                and acks(fake_slack, "env-3")
                and acks(fake_slack, "env-4")
            )
        )
        await fake_slack.wait_for(lambda: fake_slack.posts(thread_ts=marker))

    assert len(fake_slack.posts(thread_ts=ts)) == 1


async def test_a_slash_command_over_the_socket_is_acknowledged_then_answered(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
) -> None:
    command = {
        "token": "unused",
        "team_id": TEAM_ID,
        "channel_id": CHANNEL,
        "user_id": ASKER,
        "command": "/ask",
        "text": QUESTION,
        "api_app_id": "A0FAKE",
        "response_url": fake_slack.response_url("sock-cmd"),
        "trigger_id": "trig-sock",
    }
    async with socket_bot(tmp_path, knowledge_copy, fake_slack):
        await fake_slack.send_envelope("slash_commands", command, "env-cmd")

        [ack] = await fake_slack.wait_for(lambda: acks(fake_slack, "env-cmd"))
        [reply] = await fake_slack.wait_for(lambda: fake_slack.responses_to("sock-cmd"))

    assert "payload" not in ack or not ack["payload"]  # an empty ack: the answer comes after
    assert reply["response_type"] == "ephemeral" and "2012" in reply["text"]


async def test_socket_mode_logs_no_token(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with socket_bot(tmp_path, knowledge_copy, fake_slack):
        await fake_slack.send_envelope("events_api", event_payload("1.1", "EvS9"), "env-9")
        await fake_slack.wait_for(lambda: fake_slack.posts(thread_ts="1.1"))

    assert "apps.connections.open" in caplog.text
    assert APP_TOKEN not in caplog.text and BOT_TOKEN not in caplog.text
