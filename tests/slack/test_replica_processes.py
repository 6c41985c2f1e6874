"""Two bot processes (`python -m bot run`) in Slack HTTP mode sharing one PostgreSQL.

Slack retries a delivery it thinks was lost, and the retry may reach the other replica: it
must not be answered twice. A question that was acknowledged is never retried, so it must
already be in the log when the acknowledgement leaves: a replica killed right after it
still loses no question.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.slack.blocks import ACTION_PIN
from tests.postgres_server import PostgresServer
from tests.slack.conftest import ASKER, CHANNEL, MODERATOR, SlackSender, mention_event
from tests.slack.fake_slack import FakeSlack
from tests.slack.load import QUESTIONS, answers_per_question, send_load, wait_answered
from tests.slack.processes import Replica, running_replicas
from tests.slack.test_briefings_moderation import NEW_TITLE, OLD_TITLE, text_of

DELIVERIES = 1000
CLIENTS = 20
KILLED_LOAD = 300  # deliveries in the test that kills a replica...
KILL_AFTER = 100  # ...sent before it is killed
# Long enough for both replicas' watchers to notice a change and reload (debounce included).
WATCHERS_SETTLE = 3.0


@pytest.fixture
async def replicas(
    fake_slack: FakeSlack, postgres_server: PostgresServer, knowledge_copy: Path
) -> AsyncIterator[tuple[list[Replica], str]]:
    """Two bot processes sharing a new database, and that database."""
    database = postgres_server.new_database()
    async with running_replicas(fake_slack, database, 2, knowledge_copy) as processes:
        yield processes, database


async def test_deliveries_retried_to_the_other_replica_are_answered_exactly_once(
    replicas: tuple[list[Replica], str], fake_slack: FakeSlack, postgres_server: PostgresServer
) -> None:
    fake, (processes, database) = fake_slack, replicas
    load = await send_load(fake, [process.url for process in processes], DELIVERIES)
    assert load.statuses == [200] * len(load.statuses)
    await wait_answered(fake, load, timeout=60)
    await asyncio.sleep(0.5)  # a second answer, if one were coming, would have come by now

    answered, posted = answers_per_question(fake)
    assert sorted(answered) == sorted(load.commands)
    assert set(answered.values()) == {1}
    assert sorted(posted) == sorted(load.threads)
    assert set(posted.values()) == {1}
    # One log row per question, whichever replica answered it.
    assert postgres_server.query(database, "SELECT COUNT(*) FROM questions") == [(DELIVERIES,)]


async def test_a_thread_answered_by_one_replica_gets_its_follow_up_from_the_other(
    replicas: tuple[list[Replica], str], fake_slack: FakeSlack
) -> None:
    fake, (processes, _) = fake_slack, replicas
    async with aiohttp.ClientSession() as session:
        replica_a, replica_b = (SlackSender(p.url, fake, session) for p in processes)
        ts = replica_a.message_ts()
        question = mention_event(ts, "when did canada cut ties with iran")
        assert await replica_a.event(question) == 200
        await fake.wait_for(lambda: fake.posts(thread_ts=ts))
        await _follow_up_from(replica_b, fake, ts)


async def _follow_up_from(replica_b: SlackSender, fake: FakeSlack, ts: str) -> None:

    follow_up = {
        "type": "message",
        "channel_type": "channel",
        "user": ASKER,
        "channel": CHANNEL,
        "ts": replica_b.message_ts(),
        "thread_ts": ts,
        "text": "and who is nasser kanaani?",
    }
    assert await replica_b.event(follow_up) == 200
    replies = await fake.wait_for(lambda: len(fake.posts(thread_ts=ts)) == 2 and fake.posts())
    assert "Foreign Ministry spokesperson" in text_of(replies[-1])


async def test_a_pinned_briefing_is_edited_once_when_every_replica_sees_the_knowledge_change(
    fake_slack: FakeSlack, postgres_server: PostgresServer, knowledge_copy: Path
) -> None:
    fake, database = fake_slack, postgres_server.new_database()
    watching = {"KNOWLEDGE_WATCH": "true", "SLACK_MODERATORS": MODERATOR}
    async with (
        running_replicas(fake, database, 2, knowledge_copy, **watching) as processes,
        aiohttp.ClientSession() as session,
    ):
        replica_a, replica_b = (SlackSender(p.url, fake, session) for p in processes)
        await replica_a.command("", command="/briefing")
        [posted] = await fake.wait_for(lambda: fake.calls_to("chat.postMessage"))
        ts = posted.result["ts"]
        _, key = await replica_b.action(
            ACTION_PIN, "iran-canada", user=MODERATOR, message={"ts": ts}
        )
        await fake.wait_for(lambda: fake.calls_to("pins.add") and fake.responses_to(key))

        # Pinning edits the message once itself (its Pin button goes).
        before = len(await fake.wait_for(lambda: fake.calls_to("chat.update")))

        briefings = knowledge_copy / "briefings.yaml"  # one folder, as a shared volume
        briefings.write_text(briefings.read_text().replace(OLD_TITLE, NEW_TITLE), "utf-8")
        await fake.wait_for(lambda: len(fake.calls_to("chat.update")) > before, timeout=15)
        await asyncio.sleep(WATCHERS_SETTLE)  # the other replica's reload, and its edit if any
        edits = fake.calls_to("chat.update")[before:]
        assert [(e.args["ts"], NEW_TITLE in text_of(e.args)) for e in edits] == [(ts, True)]


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
                for n in range(number, KILLED_LOAD, CLIENTS):
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

    assert len(acknowledged) == KILLED_LOAD  # each one, first time or on its retry
    logged = {row[0] for row in postgres_server.query(database, "SELECT delivery FROM questions")}
    assert set(acknowledged) <= logged  # none lost with the killed replica
    _, answers = answers_per_question(fake_slack)
    assert max(answers.values()) == 1  # and no question answered twice
    assert len(answers) >= KILLED_LOAD - KILL_AFTER  # the survivor answered what reached it


async def _deliver(sender: SlackSender, body: str, retry: bool = False) -> int:
    headers = sender.headers(body)
    if retry:
        headers["X-Slack-Retry-Num"] = "1"
    try:
        status, _ = await sender.post(body, "application/json", headers)
    except aiohttp.ClientError:  # the replica was killed while Slack was sending
        return 0
    return status
