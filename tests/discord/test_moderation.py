"""Moderators on Discord end to end: /faq reload, /faq report, refusals, and knowledge errors."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.discord.conftest import Running
from tests.discord.fake_discord import (
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    HELPERS_ROLE_ID,
    MANAGE_GUILD,
    MOD_CHANNEL_ID,
    MOD_ROLE_ID,
    VIEW_AND_SEND,
    FakeDiscord,
    forum_post,
    make_user,
    option,
    resolved_roles,
    subcommand,
)

ANN = make_user(700_000_000_000_000_001, "ann")
MOD = make_user(700_000_000_000_000_009, "mod")
ADMIN = make_user(700_000_000_000_000_010, "admin")


def break_a_quote(knowledge: Path) -> None:
    faq = knowledge / "iran-canada" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace("primarily due to concerns over", "mainly because of", 1), encoding="utf-8"
    )


def change_an_answer(knowledge: Path) -> None:
    faq = knowledge / "iran-canada" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace("Iran says it is ready", "Iran says it remains ready", 1), encoding="utf-8"
    )


async def faq(
    fake: FakeDiscord,
    name: str,
    user: dict[str, Any],
    count: int = 1,
    options: Sequence[dict[str, Any]] = (),
    **member: Any,
) -> list[dict[str, Any]]:
    token = await fake.slash("faq", user, [subcommand(name, options)], **member)
    return await fake.wait_responses(token, count)


async def test_reload_is_refused_privately_to_a_member_who_is_not_a_moderator(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    version = running.runtime.service.library.version
    change_an_answer(knowledge_copy)

    reply = (await faq(fake, "reload", ANN))[0]["data"]

    assert reply["flags"] & EPHEMERAL
    assert reply["content"].startswith("Only moderators")
    assert running.runtime.service.library.version == version  # nothing was reloaded


async def test_a_moderator_reloads_and_is_told_the_new_version(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    change_an_answer(knowledge_copy)

    deferred, reply = await faq(fake, "reload", MOD, count=2, roles=[MOD_ROLE_ID])

    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    version = running.runtime.service.library.version
    assert reply["content"] == f"Knowledge updated (version {version})."
    assert reply["flags"] & EPHEMERAL
    answer = running.runtime.service.ask("is iran ready to talk to canada")
    assert "remains ready" in (answer.text or "")


async def test_manage_server_is_the_fallback_for_moderators(
    fake: FakeDiscord, running: Running
) -> None:
    _, reply = await faq(fake, "reload", ADMIN, count=2, permissions=VIEW_AND_SEND | MANAGE_GUILD)
    assert reply["content"].startswith("Knowledge unchanged")


async def test_a_live_reload_with_errors_tells_the_moderators_channel(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    version = running.runtime.service.library.version
    break_a_quote(knowledge_copy)

    result = await asyncio.to_thread(running.runtime.service.reload)  # as the watcher does
    assert not result.ok

    posted = (await fake.wait_for("POST", rf"/channels/{MOD_CHANNEL_ID}/messages"))[0].body
    assert posted["content"].startswith("Knowledge NOT reloaded")
    assert f"still serving version {version}" in posted["content"]
    assert "faq.yaml" in posted["content"] and "faq-why-canada-severed-ties" in posted["content"]
    assert len(posted["content"]) <= 2000
    assert posted["allowed_mentions"] == {"parse": []}

    # Saved twice more with the same mistake: the moderators were told already.
    for _ in range(2):
        assert not (await asyncio.to_thread(running.runtime.service.reload)).ok
    await asyncio.sleep(0.2)
    assert len(fake.find("POST", rf"/channels/{MOD_CHANNEL_ID}/messages")) == 1
    still = running.runtime.service.ask("why did canada cut ties with iran")
    assert still.answered and "nuclear program" in (still.text or "")


async def test_reload_errors_go_to_the_channel_the_server_chose(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    chosen = await faq(fake, "moderator-channel", MOD, roles=[MOD_ROLE_ID])  # run in #general
    assert "now come to this channel" in chosen[0]["data"]["content"]
    break_a_quote(knowledge_copy)

    assert not (await asyncio.to_thread(running.runtime.service.reload)).ok

    posted = (await fake.wait_for("POST", rf"/channels/{CHANNEL_ID}/messages"))[0].body
    assert posted["content"].startswith("Knowledge NOT reloaded")
    assert not fake.posted(MOD_CHANNEL_ID)  # not the default channel from the environment


async def test_a_moderators_reload_with_errors_shows_them_privately_too(
    fake: FakeDiscord, running: Running, knowledge_copy: Path
) -> None:
    break_a_quote(knowledge_copy)
    _, reply = await faq(fake, "reload", MOD, count=2, roles=[MOD_ROLE_ID])
    assert reply["flags"] & EPHEMERAL
    assert "Knowledge NOT reloaded" in reply["content"] and "faq.yaml" in reply["content"]
    await fake.wait_for("POST", rf"/channels/{MOD_CHANNEL_ID}/messages")


async def test_a_servers_moderators_add_a_moderator_role_of_their_own(
    fake: FakeDiscord, running: Running
) -> None:
    helper = {"roles": [HELPERS_ROLE_ID]}
    assert (await faq(fake, "report", ANN, **helper))[0]["data"]["content"].startswith("Only")

    async def moderator_role(on: bool, user: dict[str, Any] = MOD) -> str:
        choice = [option("role", str(HELPERS_ROLE_ID), kind=8), option("on", on, kind=5)]
        token = await fake.slash(
            "faq",
            user,
            [subcommand("moderator-role", choice)],
            roles=[MOD_ROLE_ID] if user is MOD else [HELPERS_ROLE_ID],
            resolved=resolved_roles((HELPERS_ROLE_ID, "helpers")),
        )
        return str((await fake.wait_responses(token))[0]["data"]["content"])

    assert (await moderator_role(True, ANN)).startswith("Only moderators")  # not yet one
    added = await moderator_role(True)
    assert f"Members with <@&{HELPERS_ROLE_ID}> now moderate" in added
    _, report = await faq(fake, "report", ANN, count=2, **helper)
    assert report["content"].startswith("**FAQ report")  # a helper moderates now

    assert "no longer moderate" in await moderator_role(False)
    everyone = [option("role", str(GUILD_ID), kind=8)]  # the @everyone role's id is the server's
    token = await fake.slash(
        "faq",
        MOD,
        [subcommand("moderator-role", everyone)],
        roles=[MOD_ROLE_ID],
        resolved=resolved_roles((GUILD_ID, "@everyone")),
    )
    assert "cannot be a moderator role" in (await fake.wait_responses(token))[0]["data"]["content"]
    assert (await faq(fake, "report", ANN, **helper))[0]["data"]["content"].startswith("Only")


async def test_report_shows_unanswered_questions_to_a_moderator_only(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash(
        "ask", ANN, [option("question", "@everyone what is the weather in paris")]
    )
    await fake.wait_responses(token)

    refused = (await faq(fake, "report", ANN))[0]["data"]
    assert refused["content"].startswith("Only moderators") and refused["flags"] & EPHEMERAL

    deferred, report = await faq(
        fake, "report", MOD, count=2, roles=[MOD_ROLE_ID], options=[option("days", 1, kind=4)]
    )
    assert deferred["data"]["flags"] & EPHEMERAL and report["flags"] & EPHEMERAL
    assert report["content"].startswith("**FAQ report, last 1 day(s)**\n```")
    assert "Unanswered questions" in report["content"]
    assert "weather in paris" in report["content"]
    assert report["allowed_mentions"] == {"parse": []}  # the echoed @everyone pings no one


async def test_a_help_forum_answers_new_posts_from_their_titles_when_it_knows(
    fake: FakeDiscord, running: Running
) -> None:
    first_post = forum_post(900_000_000_000_000_001, "how do we mark this forum", MOD)
    await fake.dispatch("THREAD_CREATE", first_post)
    refused = await faq(fake, "help-forum", ANN, channel=first_post)
    assert refused[0]["data"]["content"].startswith("Only moderators")
    [marked] = await faq(fake, "help-forum", MOD, roles=[MOD_ROLE_ID], channel=first_post)
    assert marked["data"]["flags"] & EPHEMERAL and "now a help forum" in marked["data"]["content"]

    question = forum_post(900_000_000_000_000_002, "When did Canada cut ties with Iran?", ANN)
    chatter = forum_post(900_000_000_000_000_003, "show us your best settlement builds", ANN)
    await fake.dispatch("THREAD_CREATE", chatter)
    await fake.dispatch("THREAD_CREATE", question)

    [reply] = await fake.wait_for("POST", rf"/channels/{question['id']}/messages")
    assert "severed diplomatic relations" in reply.body["embeds"][0]["description"]
    assert reply.body["allowed_mentions"] == {"parse": []}
    await asyncio.sleep(0.3)
    assert not fake.find("POST", rf"/channels/{chatter['id']}/messages")  # quiet when unsure

    unmarked = await faq(
        fake,
        "help-forum",
        MOD,
        roles=[MOD_ROLE_ID],
        channel=first_post,
        options=[option("on", False, kind=5)],
    )
    assert "no longer a help forum" in unmarked[0]["data"]["content"]
    later = forum_post(900_000_000_000_000_004, "When did Canada cut ties with Iran?", ANN)
    await fake.dispatch("THREAD_CREATE", later)
    await asyncio.sleep(0.3)
    assert not fake.find("POST", rf"/channels/{later['id']}/messages")


async def test_help_forum_outside_a_forum_post_says_where_to_run_it(
    fake: FakeDiscord, running: Running
) -> None:
    [reply] = await faq(fake, "help-forum", MOD, roles=[MOD_ROLE_ID])
    assert reply["data"]["content"].startswith("Run this inside a post")
