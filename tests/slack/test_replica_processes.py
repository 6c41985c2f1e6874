"""Two bot processes in Slack HTTP mode sharing one PostgreSQL, one of them killed under load.

Slack retries a delivery that was not acknowledged, and the retry reaches the other replica.
A question that was acknowledged is never retried, so it must already be in the log when the
acknowledgement leaves: killed right after it, the replica still loses no question.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

import aiohttp

from tests.postgres_server import PostgresServer
from tests.slack.conftest import SlackSender, mention_event
from tests.slack.fake_slack import FakeSlack
from tests.slack.processes import running_replicas

QUESTIONS = ("when did canada cut ties with iran", "who is nasser kanaani", "what is ps752")
DELIVERIES = 300
CLIENTS = 10
KILL_AFTER = 100  # deliveries sent before the first replica is killed


async def test_a_replica_killed_under_load_loses_no_acknowledged_question(
    fake_slack: FakeSlack, postgres_server: PostgresServer, knowledge_copy: Path
) -> None:
    database = postgres_server.new_database()
    acknowledged: list[str] = []  # delivery keys Slack got a 200 for
    threads: dict[str, str] = {}  # delivery key -> the thread its answer goes to
    sent = 0
    async with running_replicas(fake_slack, database, 2, knowledge_copy) as (doomed, survivor):

        async def client(number: int) -> None:
            nonlocal sent
            async with aiohttp.ClientSession() as session:
                first = SlackSender(doomed.url, fake_slack, session)
                other = SlackSender(survivor.url, fake_slack, session)
                for n in range(number, DELIVERIES, CLIENTS):
                    ts, event_id = f"1690000009.{n:06d}", f"EvK{n:06d}"
                    body = first.event_body(mention_event(ts, QUESTIONS[n % 3]), event_id)
                    threads[f"event_id:{event_id}"] = ts
                    sender = first if n % 2 else other
                    status = await _deliver(sender, body)
                    if status != 200:  # unacknowledged: Slack retries, and reaches the other
                        status = await _deliver(other, body, retry=True)
                    if status == 200:
                        acknowledged.append(f"event_id:{event_id}")
                    sent += 1
                    if sent == KILL_AFTER:
                        os.kill(doomed.process.pid, signal.SIGKILL)

        await asyncio.gather(*(client(n) for n in range(CLIENTS)))
        assert doomed.process.wait(timeout=10) == -signal.SIGKILL
        await asyncio.sleep(2)  # the survivor finishes what it acknowledged

    assert len(acknowledged) == DELIVERIES  # each one, first time or on its retry
    logged = {row[0] for row in postgres_server.query(database, "SELECT delivery FROM questions")}
    assert set(acknowledged) <= logged  # none lost with the killed replica
    answers = Counter(str(c.args.get("thread_ts")) for c in fake_slack.calls_to("chat.postMessage"))
    assert max(answers.values()) == 1  # and no question answered twice
    assert len(answers) >= DELIVERIES - KILL_AFTER  # the survivor answered what reached it


async def _deliver(sender: SlackSender, body: str, retry: bool = False) -> int:
    headers = sender.headers(body)
    if retry:
        headers["X-Slack-Retry-Num"] = "1"
    try:
        status, _ = await sender.post(body, "application/json", headers)
    except aiohttp.ClientError:  # the replica was killed while Slack was sending
        return 0
    return status
