"""Briefings on Discord end to end: posting, pinning, and editing pinned ones in place."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.runtime import build_runtime
from tests.discord.conftest import Running, make_settings, start_bot
from tests.discord.fake_discord import (
    CHANNEL_ID,
    EMBED_MAX_TOTAL,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
    MOD_ROLE_ID,
    VIEW_AND_SEND,
    FakeDiscord,
    embed_size,
    embed_text,
    make_user,
    option,
    subcommand,
)

ANN = make_user(700_000_000_000_000_001, "ann")
MOD = make_user(700_000_000_000_000_009, "mod")
SOURCE_TITLE = "Iran Signals Thaw? Ready for Canada Talks, But Ottawa Must Lead"
OLD_WORDS = "Iran says it is ready for talks with Canada"
PIN = option("pin", True, kind=5)


def change_an_answer(knowledge: Path) -> None:
    faq = knowledge / "iran-canada" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    assert OLD_WORDS in " ".join(text.split())
    faq.write_text(
        text.replace("Iran says it is ready", "Iran says it remains ready", 1), encoding="utf-8"
    )


def add_a_second_briefing(knowledge: Path) -> None:
    path = knowledge / "briefings.yaml"
    second = "\n  - id: newcomers\n    title: For newcomers\n    entries: [severance-2012]\n"
    path.write_text(path.read_text(encoding="utf-8") + second, encoding="utf-8")


async def post_briefing(
    fake: FakeDiscord, *, pin: bool = False, moderator: bool = True, count: int = 1
) -> tuple[str, list[dict[str, Any]]]:
    user, roles = (MOD, [MOD_ROLE_ID]) if moderator else (ANN, [])
    token = await fake.slash("briefing", user, [PIN] if pin else [], roles=roles)
    return token, await fake.wait_responses(token, count)


async def test_briefing_posts_every_item_with_its_source_for_everyone(
    fake: FakeDiscord, running: Running
) -> None:
    _, responses = await post_briefing(fake, moderator=False)

    data = responses[0]["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    embed = data["embeds"][0]
    assert embed["title"] == "Iran and Canada: where things stand"
    *items, sources = embed["fields"]
    assert len(items) == 11
    assert items[0]["name"] == "What is Iran's position on renewing diplomatic ties with Canada?"
    assert all("\n> “" in f["value"] and "\n— " in f["value"] for f in items)  # quote, section
    assert sources == {"name": "Source", "value": SOURCE_TITLE, "inline": False}
    assert embed_size(embed) <= EMBED_MAX_TOTAL
    assert data["allowed_mentions"] == {"parse": []}
    assert not fake.find("PUT", r"/channels/\d+/messages/pins/\d+")


async def test_pinning_is_for_moderators_only(fake: FakeDiscord, running: Running) -> None:
    _, responses = await post_briefing(fake, pin=True, moderator=False)

    data = responses[0]["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("Only moderators")
    assert not data.get("embeds")  # nothing was posted
    assert not fake.find("PUT", r"/channels/\d+/messages/pins/\d+")


async def test_a_pinned_briefing_is_edited_in_place_after_the_knowledge_changes(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    token, responses = await post_briefing(fake, pin=True, count=2)
    message = fake.original(token)
    assert fake.pinned[CHANNEL_ID] == [int(message["id"])]
    assert responses[1]["content"].startswith("Pinned.")
    assert responses[1]["flags"] & EPHEMERAL
    old_version = running.runtime.service.library.version

    change_an_answer(knowledge_copy)
    result = await asyncio.to_thread(running.runtime.service.reload)  # as the watcher does
    assert result.changed

    edit = (await fake.wait_for("PATCH", rf"/channels/{CHANNEL_ID}/messages/{message['id']}"))[0]
    text = embed_text(edit.body["embeds"][0])
    assert "remains ready for talks" in text
    assert result.version in text and old_version not in text
    assert edit.body["allowed_mentions"] == {"parse": []}
    assert not fake.find("POST", rf"/channels/{CHANNEL_ID}/messages")  # no new message


async def test_a_briefing_pinned_by_hand_is_noticed_and_kept_up_to_date(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    unpinned_token, _ = await post_briefing(fake, moderator=False)
    token, _ = await post_briefing(fake, moderator=False)
    message = fake.original(token)
    fake.pinned[CHANNEL_ID] = [int(message["id"])]  # a moderator pins it in Discord's menu
    await fake.dispatch(
        "CHANNEL_PINS_UPDATE",
        {"guild_id": str(GUILD_ID), "channel_id": str(CHANNEL_ID), "last_pin_timestamp": None},
    )
    store = running.runtime.store
    await fake.until(
        lambda: any(p.pinned for p in store.pins("discord")), what="the pin to be noticed"
    )

    change_an_answer(knowledge_copy)
    await asyncio.to_thread(running.runtime.service.reload)
    await fake.wait_for("PATCH", rf"/channels/{CHANNEL_ID}/messages/{message['id']}")
    unpinned = fake.original(unpinned_token)["id"]
    # Pins are refreshed in message order, so the older, unpinned one was already passed over.
    assert not fake.find("PATCH", rf"/channels/{CHANNEL_ID}/messages/{unpinned}")

    fake.pinned[CHANNEL_ID] = []  # and unpins it again
    await fake.dispatch(
        "CHANNEL_PINS_UPDATE",
        {"guild_id": str(GUILD_ID), "channel_id": str(CHANNEL_ID), "last_pin_timestamp": None},
    )
    await fake.until(
        lambda: not any(p.pinned for p in store.pins("discord")), what="the unpin to be noticed"
    )


async def test_a_deleted_pinned_briefing_is_forgotten_and_the_bot_carries_on(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    token, _ = await post_briefing(fake, pin=True, count=2)
    del fake.messages[int(fake.original(token)["id"])]  # someone deleted the message
    store = running.runtime.store
    await fake.until(lambda: len(store.pins("discord")) == 1, what="the pin to be recorded")

    change_an_answer(knowledge_copy)
    await asyncio.to_thread(running.runtime.service.reload)
    await fake.until(lambda: not store.pins("discord"), what="the pin to be forgotten")

    ask = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    assert (await fake.wait_responses(ask))[0]["data"]["embeds"]


async def test_pinned_briefings_are_brought_up_to_date_when_the_bot_starts(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    settings = make_settings(tmp_path, knowledge_copy)
    runtime = build_runtime(settings)
    first = await start_bot(fake, runtime)
    token, _ = await post_briefing(fake, pin=True, count=2)
    message_id = fake.original(token)["id"]
    await first.stop()
    runtime.store.close()

    change_an_answer(knowledge_copy)  # edited while the bot was down
    runtime = build_runtime(settings)
    second = await start_bot(fake, runtime)
    try:
        edit = await fake.wait_for("PATCH", rf"/channels/{CHANNEL_ID}/messages/{message_id}")
        assert "remains ready for talks" in embed_text(edit[0].body["embeds"][0])
    finally:
        await second.stop()
        runtime.store.close()


async def test_manage_server_permission_is_enough_to_pin(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("briefing", ANN, [PIN], permissions=VIEW_AND_SEND | MANAGE_GUILD)
    responses = await fake.wait_responses(token, 2)
    assert responses[0]["data"]["embeds"]
    assert fake.pinned[CHANNEL_ID] == [int(fake.original(token)["id"])]


async def test_a_pin_the_bot_may_not_make_is_explained_to_the_moderator(
    fake: FakeDiscord, running: Running
) -> None:
    fake.fail("PUT", r"/channels/\d+/messages/pins/\d+", 403)
    _, responses = await post_briefing(fake, pin=True, count=2)
    assert responses[0]["data"]["embeds"]  # the briefing is still posted
    assert "Pin Messages permission" in responses[1]["content"]
    assert responses[1]["flags"] & EPHEMERAL
    assert not any(p.pinned for p in running.runtime.store.pins("discord"))


async def test_an_unknown_briefing_name_is_explained_privately(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("briefing", ANN, [option("name", "no-such-briefing")])
    data = (await fake.wait_responses(token))[0]["data"]
    assert data["flags"] & EPHEMERAL
    assert "no briefing called 'no-such-briefing'" in data["content"]


async def test_a_pinned_briefing_that_left_the_knowledge_says_so_once_and_is_forgotten(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    token, _ = await post_briefing(fake, pin=True, count=2)
    message = fake.original(token)
    briefings = knowledge_copy / "briefings.yaml"
    text = briefings.read_text(encoding="utf-8")
    briefings.write_text(text.replace("id: iran-canada", "id: iran-canada-2026"), "utf-8")

    assert (await asyncio.to_thread(running.runtime.service.reload)).changed

    route = rf"/channels/{CHANNEL_ID}/messages/{message['id']}"
    edit = (await fake.wait_for("PATCH", route))[0]
    assert "no longer in the knowledge" in embed_text(edit.body["embeds"][0])
    await fake.until(lambda: not running.runtime.store.pins("discord"), what="the pin forgotten")
    change_an_answer(knowledge_copy)  # another change: the forgotten message is left alone
    assert (await asyncio.to_thread(running.runtime.service.reload)).changed
    await asyncio.sleep(0.2)
    assert len(fake.find("PATCH", route)) == 1


async def test_with_several_briefings_the_bare_command_asks_which(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    add_a_second_briefing(knowledge_copy)
    assert (await asyncio.to_thread(running.runtime.service.reload)).ok

    _, responses = await post_briefing(fake, moderator=False)

    data = responses[0]["data"]
    assert data["flags"] & EPHEMERAL
    assert "Which briefing?" in data["content"] and "newcomers: For newcomers" in data["content"]


async def test_a_server_chooses_the_briefing_its_bare_command_posts(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    add_a_second_briefing(knowledge_copy)
    assert (await asyncio.to_thread(running.runtime.service.reload)).ok

    async def choose(name: str | None, user: dict[str, Any] = MOD) -> str:
        options = [option("name", name, kind=3)] if name else []
        roles = [MOD_ROLE_ID] if user is MOD else []
        command = [subcommand("default-briefing", options)]
        token = await fake.slash("faq", user, command, roles=roles)
        return str((await fake.wait_responses(token))[0]["data"]["content"])

    assert (await choose("newcomers", ANN)).startswith("Only moderators")
    assert "no briefing called 'nope'" in await choose("nope")
    assert "now posts the `newcomers` briefing" in await choose("newcomers")

    _, responses = await post_briefing(fake, moderator=False)
    assert responses[0]["data"]["embeds"][0]["title"] == "For newcomers"

    assert "knowledge's own choice" in await choose(None)
    _, responses = await post_briefing(fake, moderator=False)
    assert "Which briefing?" in responses[0]["data"]["content"]
