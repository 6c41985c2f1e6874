"""What Slack's delivery throws at the bot: forged and stale requests, retries, 429s, errors."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from tests.slack.conftest import RunningBot, all_texts, mention_event

QUESTION = "when did canada cut ties with iran"
# Slack's own rule, which Bolt applies: a request older than five minutes is a replay.
STALE_SECONDS = 5 * 60 + 30


def mention(ts: str, text: str = QUESTION) -> dict[str, Any]:
    return mention_event(ts, text)


async def answered_marker(bot: RunningBot) -> None:
    """Ask one good question and wait for its answer: everything sent before has been handled."""
    status, key = await bot.sender.command(QUESTION)
    assert status == 200
    await bot.fake.wait_for(lambda: bot.fake.responses_to(key))


async def test_health_endpoint_answers(bot: RunningBot) -> None:
    async with aiohttp.ClientSession() as session, session.get(bot.base_url + "/health") as r:
        assert r.status == 200
        body = await r.json()
    assert body["knowledge_version"] == bot.runtime.service.library.version


async def test_a_forged_signature_gets_401_and_nothing_runs(bot: RunningBot) -> None:
    body, key = bot.sender.command_body(QUESTION)
    forged = bot.sender.headers(body, secret="0" * 32)

    status, _ = await bot.sender.post(body, "application/x-www-form-urlencoded", forged)
    event_status, _ = await bot.sender.post(
        bot.sender.event_body(mention(bot.sender.message_ts())),
        "application/json",
        bot.sender.headers("{}"),
    )  # signed, but for another body

    assert (status, event_status) == (401, 401)
    await answered_marker(bot)
    assert not bot.fake.responses_to(key)
    assert not bot.fake.calls_to("chat.postMessage")


async def test_a_stale_timestamp_gets_401_and_nothing_runs(bot: RunningBot) -> None:
    body, key = bot.sender.command_body(QUESTION)
    stale = bot.sender.headers(body, timestamp=int(time.time()) - STALE_SECONDS)

    status, _ = await bot.sender.post(body, "application/x-www-form-urlencoded", stale)

    assert status == 401
    await answered_marker(bot)
    assert not bot.fake.responses_to(key)


async def test_a_retried_event_is_answered_once(bot: RunningBot) -> None:
    ts = bot.sender.message_ts()
    event = mention(ts)

    first = await bot.sender.event(event, event_id="EvRETRY")
    # Slack retries when it thinks the first delivery failed: same event_id, a retry header.
    retries = await asyncio.gather(
        *(bot.sender.event(event, event_id="EvRETRY", retry_num=n) for n in (1, 2, 3))
    )

    assert first == 200 and retries == [200, 200, 200]
    await answered_marker(bot)
    assert len(bot.fake.posts(thread_ts=ts)) == 1


async def test_the_same_question_sent_again_as_a_new_event_is_answered_again(
    bot: RunningBot,
) -> None:
    first, second = bot.sender.message_ts(), bot.sender.message_ts()

    await bot.sender.event(mention(first))
    await bot.sender.event(mention(second))

    await bot.fake.wait_for(
        lambda: bot.fake.posts(thread_ts=first) and bot.fake.posts(thread_ts=second)
    )


async def test_a_rate_limited_call_is_retried_after_retry_after(bot: RunningBot) -> None:
    bot.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=0)
    ts = bot.sender.message_ts()

    await bot.sender.event(mention(ts))

    await bot.fake.wait_for(lambda: len(bot.fake.posts(thread_ts=ts)) == 2, timeout=5)
    results = [c.result for c in bot.fake.calls_to("chat.postMessage")]
    assert [r["ok"] for r in results] == [False, True]


async def test_a_slack_api_error_is_survived(bot: RunningBot) -> None:
    bot.fake.fail("chat.postMessage", "channel_not_found")
    lost, kept = bot.sender.message_ts(), bot.sender.message_ts()

    await bot.sender.event(mention(lost))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=lost))
    await bot.sender.event(mention(kept))

    [post] = await bot.fake.wait_for(
        lambda: [
            c for c in bot.fake.calls_to("chat.postMessage") if c.args.get("thread_ts") == kept
        ]
    )
    assert post.result["ok"] is True
    assert not bot.task.done()
    # The thread whose answer was lost is not one the bot answered: a message there is chatter.
    follow_up = {**mention(bot.sender.message_ts()), "type": "message", "thread_ts": lost}
    follow_up["text"] = "why did canada cut ties with iran"
    follow_up["channel_type"] = "channel"
    await bot.sender.event(follow_up)
    await asyncio.sleep(0.5)  # time to answer it, were it answered
    await answered_marker(bot)
    assert len(bot.fake.posts(thread_ts=lost)) == 1  # only the lost answer


async def test_an_error_page_instead_of_slacks_json_is_survived(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    # A proxy in front of Slack answers with its own page: no JSON, no Slack error code.
    bot.fake.fail("chat.postMessage", status=502, page="<html><h1>502 Bad Gateway</h1></html>")
    lost = bot.sender.message_ts()

    await bot.sender.event(mention(lost))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=lost))
    await answered_marker(bot)
    assert not bot.task.done()
    assert "Slack chat.postMessage failed: http_502" in caplog.text


async def test_a_failing_response_url_is_survived(bot: RunningBot) -> None:
    body, _ = bot.sender.command_body(QUESTION)
    broken = body.replace("%2Frespond%2F", "%2Fnowhere%2F")  # the fake answers 404 there

    status, _ = await bot.sender.post(
        broken, "application/x-www-form-urlencoded", bot.sender.headers(broken)
    )

    assert status == 200
    await answered_marker(bot)
    assert not bot.task.done()


async def test_commands_are_acknowledged_before_the_answer_is_sent(bot: RunningBot) -> None:
    body, key = bot.sender.command_body(QUESTION)

    status, acknowledgement = await bot.sender.post(body, "application/x-www-form-urlencoded")

    # The acknowledgement carries no answer: the answer follows through the response_url.
    assert (status, acknowledgement) == (200, "")
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert any("Canada" in text for text in all_texts(reply))
