"""What only a database server shows: replicas starting together, a server that goes away,
a password in the URL. The rest of the store's tests run on both databases (test_store.py)."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.service import AskContext
from bot.store import Store
from bot.store.schema import LATEST_VERSION
from bot.store.store import RETRY_SECONDS
from tests.postgres_server import PostgresServer
from tests.test_store import answered

SLACK = AskContext(platform="slack", workspace="T0TEAM", channel="C0CHAN", user_id="U0ASKER")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def answer_ids(server: PostgresServer, url: str) -> list[str]:
    return [row[0] for row in server.query(url, "SELECT answer_id FROM questions ORDER BY id")]


def test_replicas_starting_together_migrate_the_database_once(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.new_database()
    stores: list[Store] = []
    start = threading.Barrier(6)

    def open_one() -> None:
        start.wait()
        stores.append(Store(url))

    openers = [threading.Thread(target=open_one) for _ in range(6)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()
    assert all(store.available for store in stores)
    for number, store in enumerate(stores):
        store.record_answer(answered("e", f"replica-{number}"), SLACK)
    for store in stores:
        store.close()
    assert postgres_server.query(url, "SELECT version FROM schema_version") == [(LATEST_VERSION,)]
    # One salt: the same user is hashed the same whichever replica logged the question.
    assert len(postgres_server.query(url, "SELECT DISTINCT user_hash FROM questions")) == 1
    assert sorted(answer_ids(postgres_server, url)) == [f"replica-{n}" for n in range(6)]


def test_a_server_that_cannot_be_reached_costs_one_warning_and_nothing_asked_is_lost(
    postgres_server: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.store")
    name = "not_created_yet"
    url = f"postgresql://postgres:s3cret-pw@127.0.0.1:{postgres_server.port}/{name}"
    clock = FakeClock()
    store = Store(url, clock=clock)
    try:
        assert not store.available
        for number in range(3):
            store.record_answer(answered("e", f"waiting-{number}"), SLACK)
        assert store.pending == 3

        postgres_server.admin(f"CREATE DATABASE {name}")  # the server is back
        clock.now += RETRY_SECONDS
        store.record_answer(answered("e", "after"), SLACK)
        assert store.pending == 0
        assert answer_ids(postgres_server, url) == [
            "waiting-0",
            "waiting-1",
            "waiting-2",
            "after",
        ]
    finally:
        store.close()
        postgres_server.drop_database(url)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "postgresql://postgres:***@127.0.0.1" in warnings[0].getMessage()
    assert "s3cret-pw" not in caplog.text
    assert any("resumed" in r.getMessage() for r in caplog.records)


def test_a_connection_the_server_dropped_is_replaced_without_losing_a_question(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.new_database()
    with Store(url) as store:
        store.record_answer(answered("e", "before"), SLACK)
        database = url.rsplit("/", 1)[1]
        postgres_server.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        store.record_answer(answered("e", "after"), SLACK)
        assert store.pending == 0
    assert answer_ids(postgres_server, url) == ["before", "after"]


def test_a_database_from_a_newer_bot_is_left_untouched(
    postgres_server: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres_server.new_database()
    postgres_server.query(url, "CREATE TABLE schema_version (version INTEGER)")
    postgres_server.query(
        url, f"INSERT INTO schema_version VALUES ({LATEST_VERSION + 1}) RETURNING version"
    )
    with Store(url) as store:
        store.record_answer(answered("e", "a1"), SLACK)
        assert not store.available
    assert "newer" in caplog.text
    tables = postgres_server.query(
        url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    assert tables == [("schema_version",)]


def test_a_database_url_is_shown_without_its_secrets() -> None:
    from bot.store.connection import shown_location, without_password

    in_userinfo = "postgresql://bot:hunter2@db:5432/faq"
    in_query = "postgresql://bot@db/faq?sslmode=require&password=hunter3"
    assert shown_location(in_userinfo) == "postgresql://bot:***@db:5432/faq"
    assert shown_location(in_query) == "postgresql://bot@db/faq"
    assert "hunter2" not in without_password("auth failed for hunter2", in_userinfo)
    assert "hunter3" not in without_password("auth failed for hunter3", in_query)
