"""Load on loopback: 200 signed questions from 20 concurrent clients, in HTTP mode."""

from __future__ import annotations

import asyncio
import statistics
import time

import aiohttp

from tests.slack.conftest import RunningBot, SlackSender, mention_event

CLIENTS = 20
QUESTIONS_PER_CLIENT = 10
ACK_DEADLINE_SECONDS = 3.0  # Slack's: a request not acknowledged by then is failed and retried
QUESTIONS = (
    "when did canada cut ties with iran",
    "what happened to the canadian embassy in tehran",
    "what was flight ps752",
    "who is nasser kanaani",
    "what is the weather in paris",
)


async def test_200_questions_from_20_clients_are_acknowledged_in_time_and_answered_once(
    bot: RunningBot,
) -> None:
    ack_seconds: list[float] = []
    threads: list[str] = []  # each mention's ts: its answer goes to that thread
    keys: list[str] = []  # each slash command's response_url

    async def client(number: int) -> None:
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(bot.sender.url, bot.fake, session)
            for n in range(QUESTIONS_PER_CLIENT):
                question = QUESTIONS[(number + n) % len(QUESTIONS)]
                started = time.perf_counter()
                if n % 2:
                    body, key = sender.command_body(question, user=f"U{number:03d}")
                    keys.append(key)
                    status, _ = await sender.post(body, "application/x-www-form-urlencoded")
                else:
                    ts = f"1690000000.{number:03d}{n:03d}"
                    threads.append(ts)
                    status = await sender.event(mention_event(ts, question))
                ack_seconds.append(time.perf_counter() - started)
                assert status == 200

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    acknowledged = time.perf_counter() - started
    await bot.fake.wait_for(
        lambda: (
            len(bot.fake.responses) >= len(keys)
            and len(bot.fake.calls_to("chat.postMessage")) >= len(threads)
        ),
        timeout=30,
    )
    answered = time.perf_counter() - started

    total = CLIENTS * QUESTIONS_PER_CLIENT
    assert len(ack_seconds) == total
    assert max(ack_seconds) < ACK_DEADLINE_SECONDS
    assert sorted(k for k, _ in bot.fake.responses) == sorted(keys)  # each exactly once
    posted = sorted(str(c.args.get("thread_ts")) for c in bot.fake.calls_to("chat.postMessage"))
    assert posted == sorted(threads)
    ordered = sorted(ack_seconds)
    print(
        f"\nslack load: {total} questions, {CLIENTS} clients: acks p50 "
        f"{statistics.median(ordered) * 1000:.0f} ms, p95 "
        f"{ordered[int(0.95 * total) - 1] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; "
        f"all acknowledged in {acknowledged:.2f} s, all answered in {answered:.2f} s"
    )
