"""Starting the Discord bot: the factory, intents, command sync, sharding and bad tokens."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from discord.ext import commands
from pydantic import SecretStr

from adapters.discord import FaqBot, ShardedFaqBot, create_bot, run
from bot.runtime import build_runtime
from config import SettingsError
from tests.discord.conftest import make_settings, start_bot
from tests.discord.fake_discord import GUILD_ID, TOKEN, FakeDiscord, make_user, option

ANN = make_user(700_000_000_000_000_001, "ann")
# Gateway intent bits: discord.com/developers/docs/events/gateway#gateway-intents
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
MANAGE_GUILD = 1 << 5


def test_create_bot_builds_the_configured_bot_without_connecting(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    plain = create_bot(make_settings(tmp_path / "a", knowledge_copy))
    sharded = create_bot(make_settings(tmp_path / "b", knowledge_copy, sharded=True))

    assert isinstance(plain, commands.Bot) and isinstance(plain, FaqBot)
    assert isinstance(sharded, commands.AutoShardedBot) and isinstance(sharded, ShardedFaqBot)
    assert plain.runtime.service.ask("when did canada cut ties?").answered
    mentions = plain.allowed_mentions
    assert mentions is not None
    assert dict(mentions.to_dict()) == {"parse": []}
    assert {c.name for c in plain.tree.get_commands()} == {"ask", "topics", "briefing", "faq"}
    assert fake.calls == []  # nothing was sent anywhere
    plain.runtime.store.close()
    sharded.runtime.store.close()


async def test_connects_without_privileged_intents_and_syncs_commands_to_the_guild(
    fake: FakeDiscord, running: object
) -> None:
    intents = fake.identifies[0]["intents"]
    assert not intents & (MESSAGE_CONTENT | GUILD_MEMBERS | GUILD_PRESENCES)
    assert intents & GUILD_MESSAGES and intents & DIRECT_MESSAGES  # mentions and DMs arrive

    synced = fake.find("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")
    assert len(synced) == 1 and not fake.find("PUT", r"/applications/\d+/commands")
    commands_by_name = {c["name"]: c for c in synced[0].body}
    assert set(commands_by_name) == {"ask", "topics", "briefing", "faq"}
    question = commands_by_name["ask"]["options"][0]
    assert question["name"] == "question" and question["autocomplete"] is True
    faq = commands_by_name["faq"]
    assert int(faq["default_member_permissions"]) == MANAGE_GUILD
    assert faq["dm_permission"] is False
    assert {o["name"] for o in faq["options"]} == {
        "reload",
        "report",
        "help-forum",
        "moderator-channel",
        "default-briefing",
        "moderator-role",
    }


async def test_commands_sync_globally_without_a_guild_id(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, guild_id=None))
    bot = await start_bot(fake, runtime)
    try:
        assert len(fake.find("PUT", r"/applications/\d+/commands")) == 1
        assert not fake.find("PUT", r"/applications/\d+/guilds/\d+/commands")
    finally:
        await bot.stop()
        runtime.store.close()


async def test_a_failed_sync_is_logged_and_the_bot_still_answers(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("PUT", r"/applications/\d+/guilds/\d+/commands", 403)
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy))
    with caplog.at_level(logging.ERROR, logger="adapters.discord"):
        bot = await start_bot(fake, runtime)
    try:
        assert any("could not sync slash commands" in r.getMessage() for r in caplog.records)
        token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
        assert (await fake.wait_responses(token))[0]["data"]["embeds"]
    finally:
        await bot.stop()
        runtime.store.close()


async def test_sharded_bot_asks_for_its_shards_and_answers(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, sharded=True))
    bot = await start_bot(fake, runtime)
    try:
        assert isinstance(bot.bot, commands.AutoShardedBot)
        assert fake.find("GET", "/gateway/bot")
        assert fake.identifies[0]["shard"] == [0, 1]
        token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
        assert (await fake.wait_responses(token))[0]["data"]["embeds"]
    finally:
        await bot.stop()
        runtime.store.close()


async def test_a_process_runs_only_the_shards_it_is_given(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, shard_count=2, shard_ids=(1,))
    runtime = build_runtime(settings)
    bot = await start_bot(fake, runtime)
    try:
        assert isinstance(bot.bot, commands.AutoShardedBot)
        assert [identify["shard"] for identify in fake.identifies] == [[1, 2]]
        token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
        assert (await fake.wait_responses(token))[0]["data"]["embeds"]
    finally:
        await bot.stop()
        runtime.store.close()


@pytest.mark.parametrize("token", [None, "", "Bot " + TOKEN, "not a token"])
async def test_a_missing_or_malformed_token_fails_at_start_naming_the_variable(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path, token: str | None
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, token=token))
    with pytest.raises(SettingsError) as raised:
        await asyncio.wait_for(run(runtime), 5)
    assert "DISCORD_TOKEN" in str(raised.value)
    if token:
        assert token not in str(raised.value)
    assert fake.calls == []
    runtime.store.close()


async def test_a_rejected_token_fails_naming_the_variable_and_never_shows_the_token(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rejected = "MTAwMDAwMDAwMDAwMDAwMDAx.revoked.token-that-discord-rejects"
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, token=rejected))
    with caplog.at_level(logging.DEBUG), pytest.raises(SettingsError) as raised:
        await asyncio.wait_for(run(runtime), 5)

    assert "DISCORD_TOKEN" in str(raised.value) and "401" in str(raised.value)
    assert rejected not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert fake.find("GET", "/users/@me")
    assert not any(rejected in r.getMessage() for r in caplog.records)
    runtime.store.close()


async def test_the_token_never_appears_in_logs_of_a_working_bot(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy))
    with caplog.at_level(logging.DEBUG):
        bot = await start_bot(fake, runtime)
        await fake.post_message("when did canada cut ties?", ANN, direct=True)
        await fake.wait_for("POST", r"/channels/\d+/messages")
        await bot.stop()
    runtime.store.close()
    assert caplog.records
    secret = SecretStr(TOKEN).get_secret_value()
    assert not any(secret in r.getMessage() for r in caplog.records)


async def test_run_serves_until_cancelled_and_closes_the_connection(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy))
    task = asyncio.create_task(run(runtime))
    await fake.until(lambda: bool(fake.identifies), what="the bot to identify")
    await fake.post_message("when did canada cut ties?", ANN, direct=True)
    await fake.wait_for("POST", r"/channels/\d+/messages")

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await fake.until(lambda: not fake._sockets, what="the gateway connection to close")
    runtime.store.close()


def test_intents_need_no_privileged_switch() -> None:
    from adapters.discord.bot import INTENTS

    assert INTENTS.message_content is False
    assert INTENTS.members is False and INTENTS.presences is False
    assert INTENTS.guilds and INTENTS.guild_messages and INTENTS.dm_messages


def test_the_documented_invite_link_asks_for_exactly_what_the_bot_uses() -> None:
    from adapters.discord.bot import BOT_PERMISSIONS, invite_url

    docs = (Path(__file__).resolve().parents[2] / "docs" / "discord.md").read_text("utf-8")
    link = invite_url(123)
    assert "scope=bot+applications.commands" in link
    assert f"permissions={BOT_PERMISSIONS.value}" in link
    assert f"&permissions={BOT_PERMISSIONS.value}\n" in docs
    assert not BOT_PERMISSIONS.administrator and not BOT_PERMISSIONS.manage_messages


def test_the_bot_asks_only_for_the_intents_it_uses() -> None:
    from adapters.discord.bot import INTENTS

    enabled = {name for name, on in INTENTS if on}
    assert enabled == {"guilds", "guild_messages", "dm_messages"}
