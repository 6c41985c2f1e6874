"""Two replicas in HTTP mode sharing one PostgreSQL behave as one bot: pins, shared
answers, installs and cooldowns. (Retried deliveries, follow-ups and a killed replica are in
test_replica_processes.py, with real processes.)

Both run the real Slack app in this process, each on its own port with its own store and
state, against one fake Slack, as two replicas behind a load balancer would.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack import dedupe
from adapters.slack.blocks import ACTION_SHARE
from bot.service import AskContext
from bot.store import Store
from tests.postgres_server import PostgresServer
from tests.slack.conftest import (
    ASKER,
    CHANNEL,
    MODERATOR,
    RunningBot,
    buttons,
    make_settings,
    mention_event,
    running_http_bot,
)
from tests.slack.fake_slack import TEAM_ID, FakeSlack
from tests.slack.test_briefings_moderation import (
    NEW_TITLE,
    pin,
    post_briefing,
    retitle_briefing,
    text_of,
)
from tests.slack.test_oauth import install, mention_from, tokens_used_in_thread


@contextlib.asynccontextmanager
async def two_replicas(
    tmp_path: Path, knowledge: Path, fake: FakeSlack, postgres: PostgresServer, **slack: Any
) -> AsyncIterator[tuple[RunningBot, RunningBot]]:
    """Two Slack apps in HTTP mode on their own ports, sharing one new PostgreSQL database."""
    database = postgres.new_database()
    first, second = (
        make_settings(tmp_path, knowledge, fake, database=database, **slack) for _ in range(2)
    )
    async with (
        running_http_bot(first, fake) as replica_a,
        running_http_bot(second, fake) as replica_b,
    ):
        yield replica_a, replica_b


@pytest.fixture
async def replicas(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    postgres_server: PostgresServer,
) -> AsyncIterator[tuple[RunningBot, RunningBot]]:
    async with two_replicas(tmp_path, knowledge_copy, fake_slack, postgres_server) as both:
        yield both


async def test_a_pinned_briefing_is_edited_once_per_reload_not_once_per_replica(
    replicas: tuple[RunningBot, RunningBot],
) -> None:
    replica_a, replica_b = replicas
    fake = replica_a.fake
    _, ts = await post_briefing(replica_a)
    await pin(replica_a, ts, user=MODERATOR)
    edits_before = len(fake.calls_to("chat.update"))

    retitle_briefing(replica_a)  # one knowledge folder, as a shared volume
    results = await asyncio.gather(
        *(asyncio.to_thread(replica.runtime.service.reload) for replica in replicas)
    )
    assert all(result.ok and result.changed for result in results)
    await fake.wait_for(lambda: len(fake.calls_to("chat.update")) > edits_before)
    await asyncio.sleep(0.5)  # the other replica's edit, if one were coming
    edits = fake.calls_to("chat.update")[edits_before:]
    assert [(e.args["ts"], NEW_TITLE in text_of(e.args)) for e in edits] == [(ts, True)]
    version = results[0].version
    assert [p.knowledge_version for p in replica_b.runtime.store.pins("slack")] == [version]


async def test_a_replica_that_read_the_pins_before_the_other_edited_does_not_edit_again(
    replicas: tuple[RunningBot, RunningBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replica B lists the pins, then replica A edits the message and frees its claim: B,
    claiming after that, finds the pin already showing this knowledge."""
    replica_a, replica_b = replicas
    fake = replica_a.fake
    _, ts = await post_briefing(replica_a)
    await pin(replica_a, ts, user=MODERATOR)
    stale = replica_b.runtime.store.pins("slack")  # as B read them, before A's edit
    edits_before = len(fake.calls_to("chat.update"))

    retitle_briefing(replica_a)
    assert (await asyncio.to_thread(replica_a.runtime.service.reload)).changed
    await fake.wait_for(lambda: len(fake.calls_to("chat.update")) > edits_before)
    real_pins = replica_b.runtime.store.pins
    reads = iter([stale])
    monkeypatch.setattr(
        replica_b.runtime.store, "pins", lambda *a, **k: next(reads, None) or real_pins(*a, **k)
    )
    assert (await asyncio.to_thread(replica_b.runtime.service.reload)).changed
    await asyncio.sleep(0.5)  # B's edit, if one were coming
    assert next(reads, None) is None  # B did read the stale list
    assert len(fake.calls_to("chat.update")) == edits_before + 1


async def test_an_answer_asked_on_one_replica_is_shared_from_the_other(
    replicas: tuple[RunningBot, RunningBot],
) -> None:
    replica_a, replica_b = replicas
    fake = replica_a.fake
    _, key = await replica_a.sender.command("who is nasser kanaani")
    [private] = await fake.wait_for(lambda: fake.responses_to(key))
    [share] = [b for b in buttons(private) if b["action_id"] == ACTION_SHARE]

    _, refused = await replica_b.sender.action(
        ACTION_SHARE, share["value"], user="UOTHER", ephemeral=True
    )
    _, click = await replica_b.sender.action(ACTION_SHARE, share["value"], ephemeral=True)

    [refusal] = await fake.wait_for(lambda: fake.responses_to(refused))
    assert "Only the person who asked" in text_of(refusal)  # the asker is known there too
    shared, deleted = await fake.wait_for(
        lambda: len(fake.responses_to(click)) >= 2 and fake.responses_to(click)
    )
    assert shared["response_type"] == "in_channel"
    assert "Foreign Ministry spokesperson" in text_of(shared)
    assert "“" in text_of(shared)  # with its citation
    assert deleted.get("delete_original") is True


async def test_a_workspace_installed_through_one_replica_is_answered_by_the_other(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    postgres_server: PostgresServer,
) -> None:
    oauth = {"bot_token": None, "client_id": "1111.2222", "client_secret": "ab" * 16}
    async with two_replicas(tmp_path, knowledge_copy, fake_slack, postgres_server, **oauth) as (
        replica_a,
        replica_b,
    ):
        # The install page is served by one replica, Slack's redirect reaches the other.
        assert (await install(replica_a, "T0ALPHA", redirect_to=replica_b))[0] == 200
        ts = replica_a.sender.message_ts()
        assert await mention_from(replica_a, "T0ALPHA", ts) == 200
        [answer] = await fake_slack.wait_for(lambda: tokens_used_in_thread(replica_a, ts))
        assert fake_slack.issued_tokens[answer or ""] == "T0ALPHA"


async def test_a_user_cannot_ask_once_per_replica_to_beat_the_cooldown(
    tmp_path: Path,
    knowledge_copy: Path,
    fake_slack: FakeSlack,
    postgres_server: PostgresServer,
) -> None:
    async with two_replicas(
        tmp_path, knowledge_copy, fake_slack, postgres_server, ask_cooldown_seconds=30
    ) as (replica_a, replica_b):
        _, first = await replica_a.sender.command("who is nasser kanaani")
        [answer] = await fake_slack.wait_for(lambda: fake_slack.responses_to(first))
        _, second = await replica_b.sender.command("when did canada cut ties with iran")
        [told] = await fake_slack.wait_for(lambda: fake_slack.responses_to(second))
    assert "Foreign Ministry spokesperson" in text_of(answer)
    assert "One question at a time" in text_of(told)


async def test_slacks_later_retry_of_a_question_a_dead_replica_took_is_answered(
    replicas: tuple[RunningBot, RunningBot],
) -> None:
    _, survivor = replicas
    fake, database = survivor.fake, survivor.runtime.settings.store.database

    async def left_behind(event_id: str, seconds_ago: float) -> str:
        """A question another replica took and logged, then died before answering."""
        ts = survivor.sender.message_ts()
        key = f"event_id:{event_id}"
        context = AskContext("slack", TEAM_ID, CHANNEL, ASKER, ts, key)
        with Store(database, clock=lambda: time.time() - seconds_ago) as gone:
            assert gone.claim(dedupe.CLAIM_KIND, key, dedupe.DEDUPE_TTL_SECONDS)
            assert gone.record_received("who is nasser kanaani", context)
        body = survivor.sender.event_body(mention_event(ts, "who is nasser kanaani"), event_id)
        headers = {**survivor.sender.headers(body), "X-Slack-Retry-Num": "2"}
        assert (await survivor.sender.post(body, "application/json", headers))[0] == 200
        return ts

    recent = await left_behind("EvGONE1", seconds_ago=1)  # its replica may still answer it
    long_ago = await left_behind("EvGONE2", seconds_ago=dedupe.ABANDONED_AFTER_SECONDS + 30)
    [answer] = await fake.wait_for(lambda: fake.posts(thread_ts=long_ago))
    assert "Foreign Ministry spokesperson" in text_of(answer)
    await asyncio.sleep(0.5)
    assert fake.posts(thread_ts=recent) == []
    with Store(database) as log:
        assert log.received_at("event_id:EvGONE1") is not None  # still waiting, still logged
        assert log.received_at("event_id:EvGONE2") is None  # answered


async def test_without_a_usable_store_a_first_delivery_is_answered_and_a_retry_is_not(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    (tmp_path / "not-a-folder").write_text("")
    unusable = tmp_path / "not-a-folder" / "log.sqlite3"  # the store cannot say who took what
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, database=unusable)
    async with running_http_bot(settings, fake_slack) as bot:
        first, retried = bot.sender.message_ts(), bot.sender.message_ts()
        question = "who is nasser kanaani"
        assert await bot.sender.event(mention_event(first, question)) == 200
        assert await bot.sender.event(mention_event(retried, question), retry_num=1) == 200
        await fake_slack.wait_for(lambda: fake_slack.posts(thread_ts=first))
        await asyncio.sleep(0.5)
        # A retry repeats a delivery some replica received: answering it again is worse.
        assert fake_slack.posts(thread_ts=retried) == []
