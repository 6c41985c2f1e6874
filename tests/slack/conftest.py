"""Fixtures: a fake Slack, and the real Slack app served by `run()` against it over loopback."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.slack import run
from bot.runtime import Runtime, build_runtime
from config import (
    DiscordSettings,
    FeatureSettings,
    KnowledgeSettings,
    Settings,
    SlackSettings,
    StoreSettings,
    load_settings,
)
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99aa85a50123"
BOT_TOKEN = "xoxb-1111-2222-secretbottoken"
APP_TOKEN = "xapp-1-A0FAKE-3333-secretapptoken"
MODERATOR = "UMOD"
ASKER = "UASKER"
CHANNEL = "C0GENERAL"
# Ids Slack makes unique (event_id, trigger_id, ts): one counter for every sender.
_IDS = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(
    tmp_path: Path,
    knowledge_dir: Path,
    fake: FakeSlack,
    *,
    feedback: bool = True,
    database: str | Path | None = None,
    **slack: Any,
) -> Settings:
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN,
        "app_token": None,
        "signing_secret": SIGNING_SECRET,
        "mode": "http",
        "port": free_port(),
        "host": "127.0.0.1",
        "api_url": fake.api_url,
        "moderators": (MODERATOR,),
        "ask_cooldown_seconds": 0,  # tests ask quickly; the cooldown has a test of its own
    }
    values.update(slack)
    return load_settings(
        knowledge=KnowledgeSettings(dir=knowledge_dir, watch=False),
        store=StoreSettings(database=database or tmp_path / "log.sqlite3"),
        features=FeatureSettings(feedback_buttons=feedback),
        slack=SlackSettings(**values),
        discord=DiscordSettings(token=None),
    )


@dataclass
class SlackSender:
    """Sends signed requests to the app as Slack would: commands, events, button clicks."""

    url: str
    fake: FakeSlack
    session: aiohttp.ClientSession
    secret: str = SIGNING_SECRET

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(_IDS):06d}"

    def headers(
        self, body: str, timestamp: int | None = None, secret: str | None = None
    ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret or self.secret).generate_signature(
            timestamp=stamp, body=body
        )
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        all_headers = {"Content-Type": content_type, **(headers or self.headers(body))}
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as r:
            return r.status, await r.text()

    def command_body(
        self, text: str, *, command: str = "/ask", user: str = ASKER, channel: str = CHANNEL
    ) -> tuple[str, str]:
        """A slash command's form body and the key of its response_url."""
        key = self.new_id("cmd")
        body = urlencode(
            {
                "token": "verification-token-unused",
                "team_id": TEAM_ID,
                "team_domain": "fake",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0FAKE",
                "response_url": self.fake.response_url(key),
                "trigger_id": self.new_id("trig"),
            }
        )
        return body, key

    async def command(self, text: str, **kwargs: Any) -> tuple[int, str]:
        """Send a slash command; return the HTTP status and the response_url key."""
        body, key = self.command_body(text, **kwargs)
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        return status, key

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "verification-token-unused",
                "team_id": TEAM_ID,
                "api_app_id": "A0FAKE",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or self.new_id("Ev"),
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True}],
            }
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> int:
        body = self.event_body(event, event_id)
        headers = self.headers(body)
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        status, _ = await self.post(body, "application/json", headers)
        return status

    def message_ts(self) -> str:
        return f"1690000000.{next(_IDS):06d}"

    def action_body(
        self,
        action_id: str,
        value: str,
        *,
        user: str = ASKER,
        channel: str = CHANNEL,
        message: dict[str, Any] | None = None,
        ephemeral: bool = False,
        menu: bool = False,
    ) -> tuple[str, str]:
        """A button click's (or, with menu, a menu pick's) form body (payload=<json>) and the
        key of its response_url."""
        key = self.new_id("act")
        message = message or {}
        container: dict[str, Any] = {
            "type": "message",
            "channel_id": channel,
            "is_ephemeral": ephemeral,
            "message_ts": message.get("ts", self.message_ts()),
        }
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": TEAM_ID},
            "api_app_id": "A0FAKE",
            "token": "verification-token-unused",
            "container": container,
            "trigger_id": self.new_id("trig"),
            "team": {"id": TEAM_ID, "domain": "fake"},
            "channel": {"id": channel},
            "response_url": self.fake.response_url(key),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "type": "button",
                    "action_ts": "1690000000.1",
                }
            ],
        }
        if menu:  # a static_select sends the picked option, not a value of its own
            payload["actions"][0] = {
                "action_id": action_id,
                "block_id": "b",
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": "…"}, "value": value},
                "action_ts": "1690000000.1",
            }
        if not ephemeral:
            payload["message"] = message
        return urlencode({"payload": json.dumps(payload)}), key

    async def submit_form(
        self, callback_id: str, metadata: str, values: dict[str, Any], user: str = ASKER
    ) -> int:
        """A modal's Submit (a view_submission), as Slack sends it; returns the HTTP status."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": user, "team_id": TEAM_ID},
            "api_app_id": "A0FAKE",
            "token": "verification-token-unused",
            "trigger_id": self.new_id("trig"),
            "view": {
                "id": self.new_id("V"),
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": metadata,
                "state": {"values": values},
            },
        }
        status, _ = await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
        return status

    async def action(self, action_id: str, value: str, **kwargs: Any) -> tuple[int, str]:
        body, key = self.action_body(action_id, value, **kwargs)
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        return status, key


@dataclass
class RunningBot:
    fake: FakeSlack
    runtime: Runtime
    sender: SlackSender
    base_url: str
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def running_http_bot(settings: Settings, fake: FakeSlack) -> AsyncIterator[RunningBot]:
    """run() in HTTP mode, waited for until its health endpoint answers; stopped afterwards."""
    runtime = build_runtime(settings)
    task = asyncio.create_task(run(runtime))
    base_url = f"http://127.0.0.1:{settings.slack.port}"
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 5
            while True:
                if task.done():
                    task.result()  # raises what stopped it
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(base_url + "/health") as response:
                        if response.status == 200:
                            break
                assert time.monotonic() < deadline, "the Slack app did not start"
                await asyncio.sleep(0.02)
            sender = SlackSender(base_url + "/slack/events", fake, session)
            yield RunningBot(fake, runtime, sender, base_url, task)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        runtime.store.close()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> AsyncIterator[RunningBot]:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack)
    async with running_http_bot(settings, fake_slack) as running:
        yield running


def mention_event(ts: str, question: str, user: str = ASKER) -> dict[str, str]:
    """An app_mention event: the bot @mentioned in the channel with a question."""
    return {
        "type": "app_mention",
        "user": user,
        "channel": CHANNEL,
        "ts": ts,
        "event_ts": ts,
        "text": f"<@{BOT_USER_ID}> {question}",
    }


def all_texts(message: dict[str, Any]) -> list[str]:
    """Every mrkdwn or fallback text in a message, where Slack would parse mentions."""
    texts = [str(message.get("text") or "")]
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        if block.get("type") == "section":
            texts.append(block["text"]["text"])
        if block.get("type") == "context":
            texts.extend(e["text"] for e in block["elements"])
    return texts


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]
