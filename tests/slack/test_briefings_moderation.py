"""Briefings (post, pin, update in place) and the moderators' commands, end to end over HTTP."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.blocks import ACTION_PIN
from bot.service import ReloadResult
from bot.store import PinnedBriefing
from tests.slack.conftest import CHANNEL, MODERATOR, RunningBot, all_texts, buttons
from tests.slack.fake_slack import TEAM_ID, message_problems

OLD_TITLE = "Iran and Canada: where things stand"
NEW_TITLE = "Iran and Canada: the latest"
BROKEN_FILE = "broken.yaml"


def text_of(message: dict[str, Any]) -> str:
    header = [b["text"]["text"] for b in message.get("blocks") or [] if b["type"] == "header"]
    return "\n".join(header + all_texts(message))


def knowledge_dir(bot: RunningBot) -> Path:
    return Path(bot.runtime.settings.knowledge.dir)


def retitle_briefing(bot: RunningBot) -> None:
    path = knowledge_dir(bot) / "briefings.yaml"
    path.write_text(path.read_text().replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")


def break_knowledge(bot: RunningBot) -> None:
    (knowledge_dir(bot) / BROKEN_FILE).write_text("entries:\n  - id: Bad Id\n    question: x\n")


def add_a_second_briefing(knowledge: Path) -> None:
    path = knowledge / "briefings.yaml"
    second = "\n  - id: newcomers\n    title: For newcomers\n    entries: [severance-2012]\n"
    path.write_text(path.read_text(encoding="utf-8") + second, encoding="utf-8")


async def reload_like_the_watcher(bot: RunningBot) -> ReloadResult:
    """The watcher reloads on a worker thread; the adapter must hop back to its loop."""
    return await asyncio.to_thread(bot.runtime.service.reload)


async def post_briefing(bot: RunningBot) -> tuple[dict[str, Any], str]:
    """Post the briefing with the command; the message and its ts."""
    posted = len(bot.fake.calls_to("chat.postMessage"))
    status, _ = await bot.sender.command("", command="/briefing")
    assert status == 200
    calls = await bot.fake.wait_for(
        lambda: (
            len(bot.fake.calls_to("chat.postMessage")) > posted
            and bot.fake.calls_to("chat.postMessage")
        )
    )
    # The pin is saved right after the post: wait for it, as a user would wait to see the post.
    ts = calls[-1].result["ts"]
    await bot.fake.wait_for(lambda: any(p.message_id == ts for p in bot.runtime.store.pins()))
    return calls[-1].args, ts


async def pin(bot: RunningBot, ts: str, user: str = MODERATOR) -> str:
    _, key = await bot.sender.action(ACTION_PIN, "iran-canada", user=user, message={"ts": ts})
    await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    return key


async def post_and_pin(bot: RunningBot) -> str:
    """Post the briefing and pin it as a moderator; its ts."""
    _, ts = await post_briefing(bot)
    await pin(bot, ts)
    return ts


async def test_briefing_is_posted_for_everyone_with_sources_and_a_pin_button(
    bot: RunningBot,
) -> None:
    post, ts = await post_briefing(bot)

    view = bot.runtime.service.briefing()
    assert view is not None
    text = text_of(post)
    assert view.title in text
    for item in view.items:
        assert item.answer in text
    assert "*Source:* " + view.items[0].citations[0].source_title in text
    assert [b["action_id"] for b in buttons(post)] == [ACTION_PIN]
    assert bot.runtime.store.pins("slack") == [
        PinnedBriefing("slack", TEAM_ID, CHANNEL, ts, view.id, view.knowledge_version, False)
    ]


async def test_only_a_moderator_can_pin(bot: RunningBot) -> None:
    _, ts = await post_briefing(bot)

    refused = await pin(bot, ts, user="USOMEONE")

    assert "only this bot's moderators" in text_of(bot.fake.responses_to(refused)[0])
    assert not bot.fake.calls_to("pins.add")
    assert not bot.runtime.store.pins("slack")[0].pinned


async def test_a_pinned_briefing_is_updated_in_place_when_the_knowledge_changes(
    bot: RunningBot,
) -> None:
    _, ts = await post_briefing(bot)
    _, unpinned_ts = await post_briefing(bot)  # posted, never pinned: left as it is
    key = await pin(bot, ts)
    assert "Pinned" in text_of(bot.fake.responses_to(key)[0])
    [pinned] = bot.fake.calls_to("pins.add")
    assert (pinned.args["channel"], pinned.args["timestamp"]) == (CHANNEL, ts)
    [unbuttoned] = bot.fake.calls_to("chat.update")
    assert unbuttoned.args["ts"] == ts and not buttons(unbuttoned.args)

    retitle_briefing(bot)
    result = await reload_like_the_watcher(bot)

    assert result.ok and result.changed
    updates = await bot.fake.wait_for(
        lambda: len(bot.fake.calls_to("chat.update")) == 2 and bot.fake.calls_to("chat.update")
    )
    update = updates[1].args
    assert (update["channel"], update["ts"]) == (CHANNEL, ts)
    assert NEW_TITLE in text_of(update) and OLD_TITLE not in text_of(update)
    assert result.version in text_of(update)
    await bot.fake.wait_for(
        lambda: (
            [p.knowledge_version for p in bot.runtime.store.pins("slack") if p.message_id == ts]
            == [result.version]
        )
    )
    assert all(c.args["ts"] != unpinned_ts for c in bot.fake.calls_to("chat.update"))


async def test_a_pinned_briefing_follows_knowledge_edited_back_and_forth(
    bot: RunningBot,
) -> None:
    await post_and_pin(bot)
    path = knowledge_dir(bot) / "briefings.yaml"
    first = path.read_text(encoding="utf-8")
    shown = []
    for edits, title in enumerate((NEW_TITLE, OLD_TITLE, NEW_TITLE), start=2):  # B, A, B
        path.write_text(first.replace(OLD_TITLE, title), encoding="utf-8")
        assert (await reload_like_the_watcher(bot)).changed
        updates = await bot.fake.wait_for(
            lambda edits=edits: (
                len(bot.fake.calls_to("chat.update")) == edits and bot.fake.calls_to("chat.update")
            )
        )
        shown.append(title in text_of(updates[-1].args))
    assert shown == [True, True, True]


async def test_a_pin_whose_message_is_gone_is_forgotten(bot: RunningBot) -> None:
    await post_and_pin(bot)
    bot.fake.fail("chat.update", "message_not_found")

    retitle_briefing(bot)
    await reload_like_the_watcher(bot)

    await bot.fake.wait_for(lambda: not bot.runtime.store.pins("slack"))


async def test_briefing_where_the_bot_cannot_post_explains_how_to_fix_it(
    bot: RunningBot,
) -> None:
    bot.fake.fail("chat.postMessage", "not_in_channel")

    _, key = await bot.sender.command("", command="/briefing")

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "not_in_channel" in text_of(reply) and "/invite" in text_of(reply)
    assert not bot.runtime.store.pins("slack")


async def test_an_unknown_briefing_is_named_in_the_reply(bot: RunningBot) -> None:
    _, key = await bot.sender.command("no-such-thing", command="/briefing")

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "no briefing called `no-such-thing`" in text_of(reply)
    assert not bot.fake.calls_to("chat.postMessage")


async def test_moderator_commands_refuse_everyone_else_politely(bot: RunningBot) -> None:
    version = bot.runtime.service.library.version
    retitle_briefing(bot)

    for text in ("reload", "report", ""):
        _, key = await bot.sender.command(text, command="/faq", user="USOMEONE")
        [reply] = await bot.fake.wait_for(lambda key=key: bot.fake.responses_to(key))
        assert reply["response_type"] == "ephemeral"
        assert "Sorry, only this bot's moderators can use `/faq`" in text_of(reply)
    assert bot.runtime.service.library.version == version  # nothing was reloaded


async def test_moderator_reload_reports_the_new_version(bot: RunningBot) -> None:
    retitle_briefing(bot)

    _, key = await bot.sender.command("reload", command="/faq", user=MODERATOR)

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    version = bot.runtime.service.library.version
    assert f"Knowledge updated (version {version})" in text_of(reply)
    view = bot.runtime.service.briefing()
    assert view is not None and view.title == NEW_TITLE


async def test_moderator_reload_with_errors_lists_them_and_keeps_the_old_version(
    bot: RunningBot,
) -> None:
    version = bot.runtime.service.library.version
    break_knowledge(bot)

    _, key = await bot.sender.command("reload", command="/faq", user=MODERATOR)

    replies = await bot.fake.wait_for(
        lambda: len(bot.fake.responses_to(key)) >= 2 and bot.fake.responses_to(key)
    )
    text = "\n".join(text_of(r) for r in replies)
    assert "Knowledge NOT reloaded" in text and f"still serving version {version}" in text
    assert BROKEN_FILE in text and "Bad Id" in text
    assert bot.runtime.service.library.version == version


async def test_moderator_report_shows_unanswered_questions(bot: RunningBot) -> None:
    _, asked = await bot.sender.command("what is the weather in paris")
    await bot.fake.wait_for(lambda: bot.fake.responses_to(asked))

    _, key = await bot.sender.command("report 30", command="/faq", user=MODERATOR)

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    text = text_of(reply)
    assert "Unanswered questions" in text and "what is the weather in paris" in text
    assert text.count("```") >= 2  # a monospace block keeps the report's columns


@pytest.mark.parametrize("window", ["lots", "²", "0"])
async def test_bad_report_window_is_explained(bot: RunningBot, window: str) -> None:
    # "²" is a digit to str.isdigit but not to int(): it must not crash the command.
    _, key = await bot.sender.command(f"report {window}", command="/faq", user=MODERATOR)

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "whole number from 1 to" in text_of(reply)


async def test_live_reload_errors_are_sent_to_moderators_once(bot: RunningBot) -> None:
    dm = "D" + MODERATOR  # the fake's DM channel with the moderator
    break_knowledge(bot)

    first = await reload_like_the_watcher(bot)
    # The DM: a headline, then the errors in a monospace block.
    posts = await bot.fake.wait_for(
        lambda: len(bot.fake.posts(channel=dm)) == 2 and bot.fake.posts(channel=dm)
    )
    await reload_like_the_watcher(bot)  # the same mistake, saved again: no second DM
    (knowledge_dir(bot) / "also-broken.yaml").write_text("entries: 42\n")
    await reload_like_the_watcher(bot)  # a new mistake: told again

    assert not first.ok
    text = "\n".join(text_of(p) for p in posts)
    assert BROKEN_FILE in text and "Bad Id" in text and "NOT reloaded" in text
    await bot.fake.wait_for(lambda: "also-broken.yaml" in text_of(bot.fake.posts(channel=dm)[-1]))
    opened = bot.fake.calls_to("conversations.open")
    assert [c.args["users"] for c in opened] == [MODERATOR, MODERATOR]


async def test_the_moderator_command_alone_lists_what_it_can_do(bot: RunningBot) -> None:
    _, key = await bot.sender.command("", command="/faq", user=MODERATOR)

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "`/faq reload`" in text_of(reply) and "`/faq report [days]`" in text_of(reply)


async def test_a_pinned_briefing_that_left_the_knowledge_says_so_once_and_is_forgotten(
    bot: RunningBot,
) -> None:
    ts = await post_and_pin(bot)
    path = knowledge_dir(bot) / "briefings.yaml"
    path.write_text(path.read_text().replace("id: iran-canada", "id: iran-canada-2026"), "utf-8")

    await reload_like_the_watcher(bot)

    updates = await bot.fake.wait_for(
        lambda: len(bot.fake.calls_to("chat.update")) == 2 and bot.fake.calls_to("chat.update")
    )
    assert updates[1].args["ts"] == ts
    assert "no longer in the knowledge" in text_of(updates[1].args)
    await bot.fake.wait_for(lambda: not bot.runtime.store.pins("slack"))
    retitle_briefing(bot)  # another change: the forgotten message is left alone
    assert (await reload_like_the_watcher(bot)).changed
    await asyncio.sleep(0.2)
    assert len(bot.fake.calls_to("chat.update")) == 2


async def test_a_help_channel_gets_answers_in_threads_without_a_mention(bot: RunningBot) -> None:
    def top_level(text: str, ts: str) -> dict[str, Any]:
        return {
            "type": "message",
            "channel_type": "channel",
            "user": "U0PERSON1",
            "text": text,
            "ts": ts,
            "channel": CHANNEL,
            "event_ts": ts,
        }

    _, refused = await bot.sender.command("channel help on", command="/faq")
    assert "only this bot's moderators" in text_of(
        (await bot.fake.wait_for(lambda: bot.fake.responses_to(refused)))[0]
    )
    _, key = await bot.sender.command("channel help on", command="/faq", user=MODERATOR)
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "now a help channel" in text_of(reply)

    asked, chatter = bot.sender.message_ts(), bot.sender.message_ts()
    await bot.sender.event(top_level("lol has anyone seen the game last night", chatter))
    await bot.sender.event(top_level("when did canada cut ties with iran", asked))

    [answer] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=asked))
    assert "severed diplomatic relations" in text_of(answer)
    assert not bot.fake.posts(thread_ts=chatter)  # no "I don't know" in a help channel
    follow_up = {**top_level("why did they do that in 2012", bot.sender.message_ts())}
    follow_up["thread_ts"] = asked
    await bot.sender.event(follow_up)  # a question in the thread the bot answered
    await bot.fake.wait_for(lambda: len(bot.fake.posts(thread_ts=asked)) == 2)
    # Members talk in the thread too: what the bot cannot answer outright gets no reply.
    talk = {**top_level("does anyone know a good pizza place in ottawa?", bot.sender.message_ts())}
    talk["thread_ts"] = asked
    await bot.sender.event(talk)
    marker = bot.sender.message_ts()
    await bot.sender.event(top_level("when did canada cut ties with iran", marker))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=marker))
    assert len(bot.fake.posts(thread_ts=asked)) == 2

    _, off = await bot.sender.command("channel help off", command="/faq", user=MODERATOR)
    await bot.fake.wait_for(lambda: bot.fake.responses_to(off))
    later = bot.sender.message_ts()
    await bot.sender.event(top_level("when did canada cut ties with iran", later))
    await asyncio.sleep(0.3)
    assert not bot.fake.posts(thread_ts=later)


async def test_with_several_briefings_the_bare_command_asks_which(bot: RunningBot) -> None:
    add_a_second_briefing(knowledge_dir(bot))
    assert (await reload_like_the_watcher(bot)).ok

    _, key = await bot.sender.command("", command="/briefing")

    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    text = text_of(reply)
    assert "Which briefing?" in text and "newcomers: For newcomers" in text
    assert "iran-canada: " in text and not bot.fake.calls_to("chat.postMessage")


async def test_a_workspace_chooses_the_briefing_its_bare_command_posts(bot: RunningBot) -> None:
    add_a_second_briefing(knowledge_dir(bot))
    assert (await reload_like_the_watcher(bot)).ok

    async def faq(text: str, user: str = MODERATOR) -> str:
        _, key = await bot.sender.command(text, command="/faq", user=user)
        [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
        return text_of(reply)

    assert "only this bot's moderators" in await faq("briefing newcomers", user="U0PERSON1")
    assert "no briefing called `nope`" in await faq("briefing nope")
    assert "now posts the `newcomers` briefing" in await faq("briefing newcomers")
    assert "default briefing is `newcomers`" in await faq("briefing")

    message, _ = await post_briefing(bot)  # the bare command: no "which briefing?" now
    assert "For newcomers" in json.dumps(message)
    await bot.sender.event({"type": "app_home_opened", "user": "U0PERSON1", "tab": "home"})
    [home] = await bot.fake.wait_for(lambda: bot.fake.calls_to("views.publish"))
    assert "For newcomers" in json.dumps(home.args["view"])

    assert "knowledge's own choice" in await faq("briefing off")
    _, key = await bot.sender.command("", command="/briefing")
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert "Which briefing?" in text_of(reply)


async def test_the_home_tab_shows_how_to_ask_and_moderators_see_the_knowledge_state(
    bot: RunningBot,
) -> None:
    _, unknown = await bot.sender.command("what is the capital of peru")
    await bot.fake.wait_for(lambda: bot.fake.responses_to(unknown))

    def opened(user: str) -> dict[str, Any]:
        return {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}

    await bot.sender.event(opened("U0PERSON1"))
    await bot.sender.event(opened(MODERATOR))
    calls = await bot.fake.wait_for(
        lambda: len(bot.fake.calls_to("views.publish")) == 2 and bot.fake.calls_to("views.publish")
    )

    views = {c.args["user_id"]: c.args["view"] for c in calls}
    for view in views.values():
        view = json.loads(view) if isinstance(view, str) else view
        assert view["type"] == "home" and not message_problems({"blocks": view["blocks"]})
    member, moderator = (json.dumps(views[u]) for u in ("U0PERSON1", MODERATOR))
    assert "What I know" in member and "ps752 (9)" in member and "For moderators" not in member
    assert "For moderators" in moderator
    assert bot.runtime.service.library.version in moderator
    assert "capital of peru" in moderator  # the unanswered question, for a moderator only
    assert "capital of peru" not in member
