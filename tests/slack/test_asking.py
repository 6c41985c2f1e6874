"""Asking end to end over HTTP: slash command, @mention, DM, thread follow-up, and the buttons."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from adapters.slack.blocks import (
    ACTION_HELPFUL,
    ACTION_NOT_HELPFUL,
    ACTION_SHARE,
    ACTION_SUGGESTION,
)
from bot.answers import Answer, Outcome
from bot.service import QAService
from tests.slack.conftest import (
    ASKER,
    CHANNEL,
    RunningBot,
    all_texts,
    buttons,
    make_settings,
    running_http_bot,
)
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID, FakeSlack, message_problems

QUESTION = "when did canada cut ties with iran"
UNSURE = "canada and iran"  # names nothing one entry holds apart: "did you mean"


def expected(bot: RunningBot, question: str) -> Answer:
    """What the core answers, asked without touching the bot's question log."""
    return QAService(bot.runtime.service.library).ask(question)


def text_of(message: dict[str, Any]) -> str:
    return "\n".join(all_texts(message))


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    found = [b for b in buttons(message) if b["action_id"] == action_id]
    assert found, f"no {action_id} button in {buttons(message)}"
    return found[0]


def mention(text: str, ts: str, thread_ts: str | None = None, user: str = ASKER) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def channel_message(
    text: str, ts: str, thread_ts: str | None = None, **extra: Any
) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "channel",
        "user": ASKER,
        "text": text,
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


async def test_slash_command_answers_only_the_asker_with_citation_and_buttons(
    bot: RunningBot,
) -> None:
    want = expected(bot, QUESTION)
    assert want.answered and want.text and want.citations

    status, key = await bot.sender.command(QUESTION)

    assert status == 200
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert reply["response_type"] == "ephemeral"
    text = text_of(reply)
    assert want.text in text
    citation = want.citations[0]
    assert citation.source_title in text and citation.section in text
    assert f"“{citation.quote}”" in text
    assert QUESTION in text  # the asker sees what they asked
    assert {b["action_id"] for b in buttons(reply)} >= {
        ACTION_HELPFUL,
        ACTION_NOT_HELPFUL,
        ACTION_SHARE,
    }
    assert not bot.fake.calls_to("chat.postMessage")  # nothing public yet


async def test_share_in_channel_posts_the_answer_for_everyone_and_drops_the_private_one(
    bot: RunningBot,
) -> None:
    _, key = await bot.sender.command(QUESTION)
    [private] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    share = button(private, ACTION_SHARE)

    status, click = await bot.sender.action(ACTION_SHARE, share["value"], ephemeral=True)

    assert status == 200
    shared, deleted = await bot.fake.wait_for(
        lambda: len(bot.fake.responses_to(click)) >= 2 and bot.fake.responses_to(click)
    )
    assert shared["response_type"] == "in_channel"
    assert expected(bot, QUESTION).text in text_of(shared)
    assert "“" in text_of(shared)  # the citation travels with it
    assert ACTION_SHARE not in {b["action_id"] for b in buttons(shared)}
    assert deleted.get("delete_original") is True


async def test_only_the_asker_can_share_a_private_answer(bot: RunningBot) -> None:
    _, key = await bot.sender.command(QUESTION)
    [private] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    share = button(private, ACTION_SHARE)

    _, click = await bot.sender.action(ACTION_SHARE, share["value"], user="UOTHER", ephemeral=True)

    [refused] = await bot.fake.wait_for(lambda: bot.fake.responses_to(click))
    assert "Only the person who asked" in text_of(refused)
    assert refused.get("response_type") != "in_channel"


async def test_feedback_buttons_carry_the_answer_id_and_are_recorded(bot: RunningBot) -> None:
    _, key = await bot.sender.command(QUESTION)
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    not_helpful = button(reply, ACTION_NOT_HELPFUL)

    status, click = await bot.sender.action(
        ACTION_NOT_HELPFUL, not_helpful["value"], ephemeral=True
    )

    assert status == 200
    [thanks] = await bot.fake.wait_for(lambda: bot.fake.responses_to(click))
    assert "Thanks, noted." in text_of(thanks)
    assert thanks.get("replace_original") is False
    rated = bot.runtime.store.most_unhelpful(since=time.time() - 60, limit=5)
    assert [(r.entry_id, r.not_helpful) for r in rated] == [(expected(bot, QUESTION).entry_id, 1)]


async def test_feedback_buttons_can_be_switched_off(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, feedback=False)
    async with running_http_bot(settings, fake_slack) as bot:
        _, key = await bot.sender.command(QUESTION)
        [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    ids = {b["action_id"] for b in buttons(reply)}
    assert ACTION_HELPFUL not in ids and ACTION_NOT_HELPFUL not in ids
    assert ACTION_SHARE in ids


async def test_mention_is_answered_in_its_thread(bot: RunningBot) -> None:
    ts = bot.sender.message_ts()

    assert await bot.sender.event(mention(QUESTION, ts)) == 200

    [post] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=ts))
    assert post["channel"] == CHANNEL
    assert expected(bot, QUESTION).text in text_of(post)
    assert bot.fake.calls_to("chat.postMessage")[0].token == "xoxb-1111-2222-secretbottoken"


async def test_direct_message_is_answered_in_the_dm(bot: RunningBot) -> None:
    ts = bot.sender.message_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "user": ASKER,
        "text": QUESTION,
        "ts": ts,
        "channel": "D0ASKER",
        "event_ts": ts,
    }

    await bot.sender.event(event)

    [post] = await bot.fake.wait_for(lambda: bot.fake.posts(channel="D0ASKER"))
    assert "thread_ts" not in post or post["thread_ts"] is None
    assert expected(bot, QUESTION).text in text_of(post)


async def test_the_bots_name_typed_as_text_and_line_breaks_are_read_as_chat(
    bot: RunningBot,
) -> None:
    def dm(text: str) -> dict[str, Any]:
        ts = bot.sender.message_ts()
        return {"type": "message", "channel_type": "im", "user": ASKER, "text": text,
                "ts": ts, "channel": "D0ASKER", "event_ts": ts}  # fmt: skip

    # The name is the one Slack's auth.test gives for the bot: it addresses it, it is no topic.
    await bot.sender.event(dm(f"hey faqbot\n{QUESTION}"))
    await bot.sender.event(dm("thanks faqbot!"))
    await bot.fake.wait_for(lambda: bot.fake.posts(channel="D0ASKER"))
    await asyncio.sleep(0.5)  # a reply to the thanks would be here

    [post] = bot.fake.posts(channel="D0ASKER")
    assert expected(bot, QUESTION).text in text_of(post)


async def test_follow_up_in_a_thread_the_bot_answered_is_answered_there(bot: RunningBot) -> None:
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, thread))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    follow_up = "why did they do that in 2012"

    await bot.sender.event(channel_message(follow_up, bot.sender.message_ts(), thread))

    posts = await bot.fake.wait_for(
        lambda: len(bot.fake.posts(thread_ts=thread)) == 2 and bot.fake.posts(thread_ts=thread)
    )
    assert expected(bot, follow_up).message in text_of(posts[1])


async def test_a_bare_why_in_an_answered_thread_offers_the_threads_topic(bot: RunningBot) -> None:
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, thread))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    assert expected(bot, "why?").outcome is Outcome.EMPTY  # alone, it asks nothing

    # Someone else in the thread: a thread is one conversation.
    await bot.sender.event(channel_message("why?", bot.sender.message_ts(), thread, user="UOTHER"))

    posts = await bot.fake.wait_for(
        lambda: len(bot.fake.posts(thread_ts=thread)) == 2 and bot.fake.posts(thread_ts=thread)
    )
    assert "I'm not sure which of these you mean" in text_of(posts[1])
    offered = [b for b in buttons(posts[1]) if b["action_id"].startswith(ACTION_SUGGESTION)]
    assert offered[0]["text"]["text"].startswith("Why did Canada sever")


async def test_a_new_mention_follows_up_the_askers_last_one_in_the_channel(
    bot: RunningBot,
) -> None:
    first = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, first))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=first))

    # Each top-level mention gets a thread of its own, yet it is the same person talking.
    second = bot.sender.message_ts()
    await bot.sender.event(mention("why?", second))
    posts = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=second))
    assert "I'm not sure which of these you mean" in text_of(posts[0])
    offered = [b for b in buttons(posts[0]) if b["action_id"].startswith(ACTION_SUGGESTION)]
    assert offered[0]["text"]["text"].startswith("Why did Canada sever")

    # Someone else's "why?" is not about the asker's question: it asks nothing.
    third = bot.sender.message_ts()
    await bot.sender.event(mention("why?", third, user="UOTHER"))
    posts = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=third))
    assert expected(bot, "why?").message in text_of(posts[0])


async def test_a_mention_in_an_answered_thread_is_answered_once(bot: RunningBot) -> None:
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, thread))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    ts = bot.sender.message_ts()
    again = mention("why did they do that in 2012", ts, thread)

    # Slack sends both events for it: app_mention, and message (the channel's history).
    await bot.sender.event(again)
    await bot.sender.event({**again, "type": "message", "channel_type": "channel"})
    marker = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, marker))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=marker))

    assert len(bot.fake.posts(thread_ts=thread)) == 2


async def test_chatter_in_an_answered_thread_gets_no_reply(bot: RunningBot) -> None:
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, thread))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    assert expected(bot, "thanks!").outcome is Outcome.EMPTY

    await bot.sender.event(channel_message("thanks!", bot.sender.message_ts(), thread))
    await bot.sender.event(channel_message(QUESTION, bot.sender.message_ts(), thread))

    posts = await bot.fake.wait_for(
        lambda: len(bot.fake.posts(thread_ts=thread)) >= 2 and bot.fake.posts(thread_ts=thread)
    )
    assert len(posts) == 2 and expected(bot, QUESTION).message in text_of(posts[1])


async def test_thanks_by_mention_or_dm_gets_no_reply(bot: RunningBot) -> None:
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, thread))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    await bot.sender.event(mention("thanks!", bot.sender.message_ts(), thread))
    dm_ts = bot.sender.message_ts()
    await bot.sender.event(
        {"type": "message", "channel_type": "im", "user": ASKER, "text": "thanks!",
         "ts": dm_ts, "channel": "D0ASKER", "event_ts": dm_ts}
    )  # fmt: skip
    marker = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, marker))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=marker))

    assert len(bot.fake.posts(thread_ts=thread)) == 1
    assert not bot.fake.posts(channel="D0ASKER")


async def test_thanks_does_not_spend_the_askers_cooldown(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, ask_cooldown_seconds=30)
    async with running_http_bot(settings, fake_slack) as bot:
        thread = bot.sender.message_ts()
        await bot.sender.event(mention(QUESTION, thread, user="U0OTHER"))
        await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
        await bot.sender.event(channel_message("thanks!", bot.sender.message_ts(), thread))
        await bot.sender.event(channel_message(QUESTION, bot.sender.message_ts(), thread))

        posts = await bot.fake.wait_for(lambda: len(bot.fake.posts(thread_ts=thread)) >= 2)
        assert posts


async def test_messages_elsewhere_are_left_alone(bot: RunningBot) -> None:
    other_thread = bot.sender.message_ts()
    await bot.sender.event(channel_message(QUESTION, bot.sender.message_ts(), other_thread))
    await bot.sender.event(channel_message(QUESTION, bot.sender.message_ts()))  # top level
    own = channel_message(QUESTION, bot.sender.message_ts(), user=BOT_USER_ID, bot_id=BOT_ID)
    await bot.sender.event(own)
    # A marker question afterwards: once it is answered, the ones before were handled too.
    marker = bot.sender.message_ts()
    await bot.sender.event(mention(QUESTION, marker))
    await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=marker))

    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_did_you_mean_buttons_carry_entry_ids_and_a_click_answers_in_the_thread(
    bot: RunningBot,
) -> None:
    want = expected(bot, UNSURE)
    assert want.outcome is Outcome.DID_YOU_MEAN, "the knowledge changed: pick another question"
    thread = bot.sender.message_ts()
    await bot.sender.event(mention(UNSURE, thread))
    [choices] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=thread))
    offered = [b for b in buttons(choices) if b["action_id"].startswith(ACTION_SUGGESTION)]
    assert [b["value"] for b in offered] == [s.entry_id for s in want.suggestions]
    assert [b["text"]["text"] for b in offered] == [s.question for s in want.suggestions]
    assert ACTION_HELPFUL not in {b["action_id"] for b in buttons(choices)}
    pick = offered[1]

    await bot.sender.action(
        pick["action_id"], pick["value"], message={"ts": "1700000000.000001", "thread_ts": thread}
    )

    posts = await bot.fake.wait_for(
        lambda: len(bot.fake.posts(thread_ts=thread)) == 2 and bot.fake.posts(thread_ts=thread)
    )
    entry = bot.runtime.service.library.entry(pick["value"])
    assert entry is not None and entry.answer in text_of(posts[1])


async def test_did_you_mean_in_a_private_reply_replaces_it_with_the_answer(
    bot: RunningBot,
) -> None:
    _, key = await bot.sender.command(UNSURE)
    [choices] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    pick = next(b for b in buttons(choices) if b["action_id"].startswith(ACTION_SUGGESTION))

    _, click = await bot.sender.action(pick["action_id"], pick["value"], ephemeral=True)

    [answer] = await bot.fake.wait_for(lambda: bot.fake.responses_to(click))
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    entry = bot.runtime.service.library.entry(pick["value"])
    assert entry is not None and entry.answer in text_of(answer)
    assert ACTION_SHARE in {b["action_id"] for b in buttons(answer)}


async def test_nothing_the_bot_echoes_can_ping_anyone(bot: RunningBot) -> None:
    sneaky = "<!channel> <!here> <!everyone> <@U999> <!subteam^S1> & when did canada cut ties"
    _, key = await bot.sender.command(sneaky)
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    _, key = await bot.sender.command("a &lt;!channel&gt; b")  # as Slack escapes what users type
    [escaped_reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    # a question the reply says it does not know is quoted back, as typed
    typed = "who is Nasser Kanaani, and what is &lt;!here&gt; Peru's capital?"
    _, key = await bot.sender.command(typed)
    [quoting] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))

    for message in (reply, escaped_reply, quoting):
        for text in all_texts(message):
            assert "<" not in text and ">" not in text, text
    assert "&lt;!channel&gt;" in text_of(escaped_reply)
    assert "I don't know the answer to “what is &lt;!here&gt; Peru's capital?”" in text_of(quoting)


async def test_asking_too_fast_is_refused_per_user_on_every_way_of_asking(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, ask_cooldown_seconds=60)
    async with running_http_bot(settings, fake_slack) as bot:
        _, first = await bot.sender.command(QUESTION)
        _, again = await bot.sender.command(QUESTION)
        _, other = await bot.sender.command(QUESTION, user="U0OTHER1")
        [answered] = await bot.fake.wait_for(lambda: bot.fake.responses_to(first))
        [refused] = await bot.fake.wait_for(lambda: bot.fake.responses_to(again))
        [other_answered] = await bot.fake.wait_for(lambda: bot.fake.responses_to(other))

        assert expected(bot, QUESTION).text in text_of(answered)
        assert "ask again in" in text_of(refused) and "Source" not in text_of(refused)
        assert expected(bot, QUESTION).text in text_of(other_answered)

        ts = bot.sender.message_ts()  # a mention by the same user: the same cooldown
        await bot.sender.event(mention(QUESTION, ts))
        [note] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=ts))
        assert "ask again in" in text_of(note)


async def test_faq_topics_lists_what_the_bot_knows_to_anyone(bot: RunningBot) -> None:
    _, key = await bot.sender.command("topics", command="/faq")  # not a moderator
    [listing] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    menus = [b["accessory"] for b in listing["blocks"] if "accessory" in b]
    assert len(menus) == len(bot.runtime.service.topics()) and not message_problems(listing)


async def test_the_command_alone_lists_what_the_bot_knows_and_a_pick_answers_it(
    bot: RunningBot,
) -> None:
    _, key = await bot.sender.command("")
    [listing] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    assert listing.get("response_type", "ephemeral") == "ephemeral"
    assert not message_problems(listing)
    menus = [b["accessory"] for b in listing["blocks"] if "accessory" in b]
    assert len(menus) == len(bot.runtime.service.topics())
    ps752 = next(m for m in menus if any("PS752" in o["text"]["text"] for o in m["options"]))
    picked = next(o for o in ps752["options"] if o["text"]["text"].startswith("Why was"))

    _, pick_key = await bot.sender.action(
        ps752["action_id"], picked["value"], ephemeral=True, menu=True
    )

    [answer] = await bot.fake.wait_for(lambda: bot.fake.responses_to(pick_key))
    assert answer.get("replace_original") is True
    assert "mistakenly shot down" in text_of(answer)
    assert ACTION_SHARE in {b["action_id"] for b in buttons(answer)}
