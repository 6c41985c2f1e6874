"""Requests that are not what Slack sends: refused with 400 or 401 and one log line, never a 500
or a traceback, signed or not."""

from __future__ import annotations

import logging

import pytest

from tests.slack.conftest import RunningBot


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("payload=%7Bnot%20json", "application/x-www-form-urlencoded"),
        ("\x00\x01\x02", "application/octet-stream"),
        ("", "application/json"),
    ],
    ids=["broken-json", "broken-payload", "binary", "empty"],
)
async def test_a_signed_malformed_body_is_a_400(
    bot: RunningBot, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        status, _ = await bot.sender.post(body, content_type)
    assert status == 400
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "curl"},  # no signature headers at all
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=forged"},
    ],
    ids=["unsigned", "odd-timestamp", "forged"],
)
async def test_an_unsigned_or_odd_request_is_a_401(
    bot: RunningBot, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        status, _ = await bot.sender.post("{not json", "application/json", headers=headers)
    assert status == 401
    assert not any(r.exc_info for r in caplog.records)
