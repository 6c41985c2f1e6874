"""Asking on Discord end to end: /ask and autocomplete, mentions, DMs, buttons, cooldown, errors."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest

from bot.runtime import build_runtime
from tests.discord.conftest import Running, make_settings, start_bot
from tests.discord.fake_discord import (
    BOT_ID,
    BOT_ROLE_ID,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    EPHEMERAL,
    HELPERS_ROLE_ID,
    MOD_ROLE_ID,
    FakeDiscord,
    buttons,
    embed_text,
    make_user,
    option,
)

ANN = make_user(700_000_000_000_000_001, "ann")
BEN = make_user(700_000_000_000_000_002, "ben")
MOD = make_user(700_000_000_000_000_009, "mod")
BOT_MENTION = {**make_user(BOT_ID, "faqbot"), "bot": True}
SOURCE_TITLE = "Iran Signals Thaw? Ready for Canada Talks, But Ottawa Must Lead"
WHEN_SEVERED = "Canada severed diplomatic relations with Iran in 2012"


async def ask(fake: FakeDiscord, question: str, user: dict[str, Any] = ANN) -> dict[str, Any]:
    """The first response to /ask question:…"""
    token = await fake.slash("ask", user, [option("question", question)])
    return (await fake.wait_responses(token))[0]


async def mention(
    fake: FakeDiscord, text: str, user: dict[str, Any] = ANN, **extra: Any
) -> dict[str, Any]:
    """Mention the bot in #general; the message sent and the body of the bot's reply."""
    path = rf"/channels/{CHANNEL_ID}/messages"
    before = len(fake.find("POST", path))
    sent = await fake.post_message(f"<@{BOT_ID}> {text}", user, mentions=[BOT_MENTION], **extra)
    replies = await fake.wait_for("POST", path, count=before + 1)
    return {"sent": sent, "body": replies[before].body}


async def test_ask_answers_with_citation_confidence_and_feedback_buttons(
    fake: FakeDiscord, running: Running
) -> None:
    response = await ask(fake, "when did canada cut ties with iran?")

    assert response["type"] == 4
    data = response["data"]
    assert not data.get("flags", 0) & EPHEMERAL  # everyone in the channel sees the answer
    embed = data["embeds"][0]
    assert embed["description"].startswith(WHEN_SEVERED)
    sources = [f for f in embed["fields"] if f["name"].startswith("Source:")]
    assert sources and SOURCE_TITLE in sources[0]["name"]
    assert (
        "“The relationship has been strained since Canada severed diplomatic ties in 2012”"
        in sources[0]["value"]
    )
    assert "Key Points from the Original Source" in sources[0]["value"]  # the section
    confidence = re.fullmatch(r"Confidence (\d+)%", embed["footer"]["text"])
    assert confidence and 80 <= int(confidence.group(1)) <= 100
    labels = [b["label"] for b in buttons(data)]
    assert labels == ["Helpful", "Not helpful", "Remove"]
    assert data["allowed_mentions"] == {"parse": []}


async def test_autocomplete_offers_ranked_faq_questions_and_a_pick_answers_that_entry(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.autocomplete(
        "ask", ANN, [option("question", "why did canada", focused=True)]
    )
    response = (await fake.wait_responses(token))[0]

    assert response["type"] == 8
    choices = response["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["name"] == "Why did Canada sever diplomatic relations with Iran in 2012?"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)

    picked = await ask(fake, choices[0]["value"])
    embed = picked["data"]["embeds"][0]
    assert "nuclear program" in embed["description"]
    assert embed["title"] == choices[0]["name"]
    assert embed["footer"]["text"] == "Confidence 100%"


async def test_unsure_answer_offers_choices_and_a_click_answers_the_choice(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("ask", ANN, [option("question", "canada iran")])
    data = (await fake.wait_responses(token))[0]["data"]
    assert "not sure which" in data["embeds"][0]["description"]
    assert data["flags"] & EPHEMERAL  # the bot's doubts are shown to the asker alone
    choices = [b for b in buttons(data) if b["custom_id"].startswith("faq:dym:")]
    assert 2 <= len(choices) <= 5
    assert buttons(data)[-1]["label"] == "Ask a moderator"  # a moderators' channel is set
    assert choices[0]["label"].startswith("1. ")

    click = await fake.click(fake.original(token), choices[0]["custom_id"], BEN)
    answer = (await fake.wait_responses(click))[0]["data"]
    assert not answer.get("flags", 0) & EPHEMERAL  # the picked answer is for everyone
    embed = answer["embeds"][0]
    assert embed["title"] == choices[0]["label"].removeprefix("1. ")
    assert any(f["name"].startswith("Source:") for f in embed["fields"])
    assert [b["label"] for b in buttons(answer)] == ["Helpful", "Not helpful", "Remove"]


async def test_unknown_question_says_so_plainly(fake: FakeDiscord, running: Running) -> None:
    data = (await ask(fake, "what is the weather in paris"))["data"]
    assert "I don't know that one" in data["embeds"][0]["description"]
    assert data["flags"] & EPHEMERAL
    # Nothing to rate, nothing to pick: only the way to a person.
    assert [b["label"] for b in buttons(data)] == ["Ask a moderator"]


async def test_mention_is_answered_as_a_reply_that_pings_no_one(
    fake: FakeDiscord, running: Running
) -> None:
    result = await mention(fake, "when did canada cut ties with iran?")

    body = result["body"]
    assert body["message_reference"]["message_id"] == int(result["sent"]["id"])
    assert body["allowed_mentions"] == {"parse": []}  # replied_user left out: false
    embed = body["embeds"][0]
    assert embed["title"] == "when did canada cut ties with iran?"  # own mention stripped
    assert embed["description"].startswith(WHEN_SEVERED)


async def test_everyone_in_a_question_is_never_echoed_as_a_ping(
    fake: FakeDiscord, running: Running
) -> None:
    result = await mention(
        fake, "@everyone @here why did canada cut ties with iran", mention_everyone=True
    )

    body = result["body"]
    assert body["allowed_mentions"]["parse"] == []
    assert (
        "replied_user" not in body["allowed_mentions"]
        or not body["allowed_mentions"]["replied_user"]
    )
    assert not body.get("content")  # the only text outside the embed, and embeds never ping
    assert "nuclear program" in body["embeds"][0]["description"]


async def test_direct_message_is_answered_without_a_mention(
    fake: FakeDiscord, running: Running
) -> None:
    await fake.post_message("when did canada cut ties with iran?", ANN, direct=True)
    await fake.until(lambda: bool(fake.posted(DM_CHANNEL_ID)), what="a reply in the DM")
    reply = fake.posted(DM_CHANNEL_ID)[0]
    assert reply["embeds"][0]["description"].startswith(WHEN_SEVERED)


async def test_the_bots_name_typed_as_text_and_line_breaks_are_read_as_chat(
    fake: FakeDiscord, running: Running
) -> None:
    # "faqbot" addresses the bot, it is no topic; the line break ends the greeting's sentence.
    await fake.post_message("hey faqbot\nwhen did canada cut ties with iran?", ANN, direct=True)
    await fake.post_message("thanks faqbot!", ANN, direct=True)
    await fake.until(lambda: bool(fake.posted(DM_CHANNEL_ID)), what="a reply in the DM")
    await asyncio.sleep(0.5)  # a reply to the thanks would be here

    [reply] = fake.posted(DM_CHANNEL_ID)
    assert reply["embeds"][0]["description"].startswith(WHEN_SEVERED)


async def test_a_follow_up_in_a_dm_offers_what_the_last_question_was_about(
    fake: FakeDiscord, running: Running
) -> None:
    await fake.post_message("when did canada cut ties with iran?", ANN, direct=True)
    await fake.until(lambda: bool(fake.posted(DM_CHANNEL_ID)), what="the first answer")

    await fake.post_message("why?", ANN, direct=True)

    await fake.until(lambda: len(fake.posted(DM_CHANNEL_ID)) == 2, what="a reply to 'why?'")
    embed = fake.posted(DM_CHANNEL_ID)[1]["embeds"][0]
    lead, first_choice, *_ = embed["description"].splitlines()
    # How "why?" was read is there to see.
    assert lead == (
        "Following on from “when did canada cut ties with iran?”, "
        "I'm not sure which of these you mean:"
    )
    assert first_choice.startswith("1. Why did Canada sever")


async def test_messages_without_a_mention_and_bot_messages_are_ignored(
    fake: FakeDiscord, running: Running
) -> None:
    await fake.post_message("when did canada cut ties with iran?", ANN)
    other_bot = {**make_user(800_000_000_000_000_001, "otherbot"), "bot": True}
    await fake.post_message(
        f"<@{BOT_ID}> when did canada cut ties?", other_bot, mentions=[BOT_MENTION]
    )
    result = await mention(fake, "why did canada cut ties")  # events are handled in order

    assert len(fake.find("POST", rf"/channels/{CHANNEL_ID}/messages")) == 1
    assert result["body"]["message_reference"]["message_id"] == int(result["sent"]["id"])


async def test_a_mention_of_the_bots_own_role_is_a_question_and_other_roles_are_not(
    fake: FakeDiscord, running: Running
) -> None:
    path = rf"/channels/{CHANNEL_ID}/messages"
    await fake.post_message(
        f"<@&{HELPERS_ROLE_ID}> when did canada cut ties?", ANN, mention_roles=[HELPERS_ROLE_ID]
    )
    await fake.post_message(
        f"<@&{BOT_ROLE_ID}> when did canada cut ties with iran?", ANN, mention_roles=[BOT_ROLE_ID]
    )
    [reply] = await fake.wait_for("POST", path)
    assert reply.body["embeds"][0]["description"].startswith(WHEN_SEVERED)
    assert reply.body["embeds"][0]["title"] == "when did canada cut ties with iran?"
    await asyncio.sleep(0.5)  # a late reply to the other role's message would be here
    assert len(fake.find("POST", path)) == 1


async def test_thanks_in_reply_to_an_answer_or_in_a_dm_gets_no_reply(
    fake: FakeDiscord, running: Running
) -> None:
    await mention(fake, "when did canada cut ties with iran?")
    # A reply to the bot's answer (ping on) names the bot among the mentions, not in the text.
    await fake.post_message("thanks!", ANN, mentions=[BOT_MENTION])
    await fake.post_message("thanks!", ANN, direct=True)
    await mention(fake, "why did canada cut ties")
    await asyncio.sleep(0.5)  # answers run off the event loop: a late reply would be here

    assert len(fake.find("POST", rf"/channels/{CHANNEL_ID}/messages")) == 2
    assert not fake.posted(DM_CHANNEL_ID)


async def test_feedback_click_is_thanked_privately_and_recorded(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    await fake.wait_responses(token)
    not_helpful = buttons(fake.original(token))[1]

    click = await fake.click(fake.original(token), not_helpful["custom_id"], BEN)
    reply = (await fake.wait_responses(click))[0]["data"]

    assert reply["content"] == "Thanks, noted."
    assert reply["flags"] & EPHEMERAL
    rated = running.runtime.store.most_unhelpful(since=0, limit=5)
    assert [(r.entry_id, r.not_helpful) for r in rated] == [("severance-2012", 1)]


async def test_feedback_buttons_can_be_switched_off(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, feedback_buttons=False))
    bot = await start_bot(fake, runtime)
    try:
        data = (await ask(fake, "when did canada cut ties with iran?"))["data"]
        assert data["embeds"][0]["description"].startswith(WHEN_SEVERED)
        assert [b["label"] for b in buttons(data)] == ["Remove"]  # no rating buttons
    finally:
        await bot.stop()
        runtime.store.close()


async def test_feedback_button_still_works_after_a_restart(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    settings = make_settings(tmp_path, knowledge_copy)
    first_runtime = build_runtime(settings)
    first = await start_bot(fake, first_runtime)
    token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    await fake.wait_responses(token)
    old_message = fake.original(token)
    await first.stop()
    first_runtime.store.close()

    second_runtime = build_runtime(settings)  # a new process: nothing shared but the database
    second = await start_bot(fake, second_runtime)
    try:
        not_helpful = buttons(old_message)[1]
        click = await fake.click(old_message, not_helpful["custom_id"], BEN)
        reply = (await fake.wait_responses(click))[0]["data"]
        assert reply["content"] == "Thanks, noted."
        rated = second_runtime.store.most_unhelpful(since=0, limit=5)
        assert [(r.entry_id, r.not_helpful) for r in rated] == [("severance-2012", 1)]
    finally:
        await second.stop()
        second_runtime.store.close()


async def test_ask_cooldown_refuses_privately_per_user(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path
) -> None:
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, ask_cooldown_seconds=60))
    bot = await start_bot(fake, runtime)
    try:
        first = await ask(fake, "when did canada cut ties?")
        again = await ask(fake, "why did canada cut ties?")
        other_user = await ask(fake, "why did canada cut ties?", user=BEN)

        assert first["data"]["embeds"]
        assert again["data"]["flags"] & EPHEMERAL
        assert "ask again in" in again["data"]["content"]
        assert "embeds" not in again["data"] or not again["data"]["embeds"]
        assert other_user["data"]["embeds"]

        by_mention = await mention(fake, "why did canada cut ties?")  # the same cooldown
        assert "ask again in" in by_mention["body"]["content"]
    finally:
        await bot.stop()
        runtime.store.close()


async def test_an_error_in_a_command_gets_an_apology_and_the_bot_keeps_running(
    fake: FakeDiscord,
    running: Running,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = running.runtime.service
    real_ask = service.ask
    broken = [True]

    def ask_or_fail(*args: Any, **kwargs: Any) -> Any:
        if broken[0]:
            raise RuntimeError("matcher exploded")
        return real_ask(*args, **kwargs)

    monkeypatch.setattr(service, "ask", ask_or_fail)
    with caplog.at_level(logging.ERROR, logger="adapters.discord"):
        failed = await ask(fake, "when did canada cut ties?")
    assert failed["data"]["flags"] & EPHEMERAL
    assert failed["data"]["content"].startswith("Sorry, something went wrong")
    assert any("command /ask failed" in r.getMessage() for r in caplog.records)

    broken[0] = False
    works = await ask(fake, "when did canada cut ties?")
    assert works["data"]["embeds"][0]["description"].startswith(WHEN_SEVERED)


async def test_a_refused_reply_is_logged_and_the_next_question_is_answered(
    fake: FakeDiscord, running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("POST", rf"/channels/{CHANNEL_ID}/messages", 403)
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        await fake.post_message(
            f"<@{BOT_ID}> when did canada cut ties?", ANN, mentions=[BOT_MENTION]
        )
        await fake.until(
            lambda: any("could not answer" in r.getMessage() for r in caplog.records),
            what="the failure logged",
        )

    result = await mention(fake, "why did canada cut ties?")
    assert "nuclear program" in result["body"]["embeds"][0]["description"]


async def test_answer_text_is_everything_a_reader_needs(
    fake: FakeDiscord, running: Running
) -> None:
    data = (await ask(fake, "why did canada cut ties with iran"))["data"]
    text = embed_text(data["embeds"][0])
    assert "Related questions" in text
    assert "When did Canada cut diplomatic ties with Iran?" in text


async def test_other_mentions_in_a_question_become_names(
    fake: FakeDiscord, running: Running
) -> None:
    path = rf"/channels/{CHANNEL_ID}/messages"
    await fake.post_message(
        f"<@{BOT_ID}> did <@{BEN['id']}> ask why canada cut ties?", ANN, mentions=[BOT_MENTION, BEN]
    )
    reply = (await fake.wait_for("POST", path))[0].body
    assert reply["embeds"][0]["title"] == "did @ben ask why canada cut ties?"
    assert reply["allowed_mentions"] == {"parse": []}


async def test_a_servers_own_emoji_is_no_part_of_the_question(
    fake: FakeDiscord, running: Running
) -> None:
    await fake.post_message(
        "when did canada cut ties with iran? <:thonk:112233445566778899> <a:spin:99887766554433>",
        ANN,
        direct=True,
    )
    await fake.until(lambda: bool(fake.posted(DM_CHANNEL_ID)), what="a reply in the DM")
    embed = fake.posted(DM_CHANNEL_ID)[0]["embeds"][0]
    assert embed["title"] == "when did canada cut ties with iran?"
    assert embed["description"].startswith(WHEN_SEVERED)


async def test_slash_command_in_a_direct_message(fake: FakeDiscord, running: Running) -> None:
    token = await fake.slash(
        "ask", ANN, [option("question", "when did canada cut ties?")], direct=True
    )
    data = (await fake.wait_responses(token))[0]["data"]
    assert data["embeds"][0]["description"].startswith(WHEN_SEVERED)


async def test_an_error_while_answering_a_mention_gets_an_apology_in_reply(
    fake: FakeDiscord,
    running: Running,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(running.runtime.service, "ask", explode)
    with caplog.at_level(logging.ERROR, logger="adapters.discord"):
        result = await mention(fake, "when did canada cut ties?")
    assert result["body"]["content"].startswith("Sorry, something went wrong")
    assert result["body"]["message_reference"]["message_id"] == int(result["sent"]["id"])
    assert any("answering message" in r.getMessage() for r in caplog.records)


async def test_the_core_runs_off_the_event_loop(fake: FakeDiscord, running: Running) -> None:
    # The service writes the question log (SQLite): on the loop, a slow disk would stall the
    # gateway's heartbeats and every other interaction.
    import threading

    loop_thread = threading.get_ident()
    threads: list[int] = []
    service = running.runtime.service
    original = service.ask

    def spying_ask(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return original(*args, **kwargs)

    service.ask = spying_ask  # type: ignore[method-assign]
    try:
        await ask(fake, "when did canada cut ties with iran?")
        await mention(fake, "when did canada cut ties with iran?")
    finally:
        service.ask = original  # type: ignore[method-assign]
    assert len(threads) == 2 and loop_thread not in threads


async def test_stopping_the_bot_lets_an_answer_in_progress_finish(
    fake: FakeDiscord, running: Running
) -> None:
    from tests.conftest import slow_answers

    with slow_answers(running.runtime.service, 0.5):
        token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
        await asyncio.sleep(0.1)  # the question is being answered
        await running.stop()  # what SIGTERM does
    assert await fake.wait_responses(token), "the answer in progress was cut"


async def test_topics_lists_subjects_then_questions_and_a_pick_answers_for_everyone(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("topics", ANN, [])
    listing = (await fake.wait_responses(token))[0]["data"]
    assert listing["flags"] & EPHEMERAL
    [subjects] = [c for row in listing["components"] for c in row["components"]]
    assert subjects["type"] == 3 and "ps752" in [o["value"] for o in subjects["options"]]

    opened = await fake.choose(fake.original(token), subjects["custom_id"], "ps752", ANN)
    update = (await fake.wait_responses(opened))[0]
    assert update["type"] == 7  # the same message, now with the subject's questions
    menus = [c for row in update["data"]["components"] for c in row["components"]]
    questions = menus[1]
    assert questions["custom_id"] == "faq:topic:0"
    why = next(o for o in questions["options"] if o["label"].startswith("Why was"))

    picked = await fake.choose(fake.original(token), questions["custom_id"], why["value"], ANN)
    answer = (await fake.wait_responses(picked))[0]["data"]
    assert not answer.get("flags", 0) & EPHEMERAL
    assert "mistakenly shot down" in answer["embeds"][0]["description"]
    assert answer["allowed_mentions"] == {"parse": []}


async def test_the_asker_or_a_moderator_can_remove_a_public_answer_and_no_one_else(
    fake: FakeDiscord, running: Running
) -> None:
    token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    await fake.wait_responses(token)
    message = fake.original(token)
    [remove] = [b for b in buttons(message) if b.get("label") == "Remove"]
    route = rf"/channels/{CHANNEL_ID}/messages/{message['id']}"

    refused = await fake.click(message, remove["custom_id"], BEN)
    note = (await fake.wait_responses(refused))[0]["data"]
    assert note["flags"] & EPHEMERAL and "Only the person who asked" in note["content"]
    assert not fake.find("DELETE", route)

    removed = await fake.click(message, remove["custom_id"], ANN)
    await fake.wait_responses(removed)
    await fake.wait_for("DELETE", route)
    assert int(message["id"]) not in fake.messages


async def test_a_moderator_can_remove_anyones_answer(fake: FakeDiscord, running: Running) -> None:
    token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    await fake.wait_responses(token)
    message = fake.original(token)
    [remove] = [b for b in buttons(message) if b.get("label") == "Remove"]

    await fake.click(message, remove["custom_id"], MOD, roles=[MOD_ROLE_ID])

    await fake.wait_for("DELETE", rf"/channels/{CHANNEL_ID}/messages/{message['id']}")


async def test_a_slow_answer_is_deferred_then_posted_for_everyone(
    fake: FakeDiscord, running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store that takes seconds to write (locked, far away) must not lose the interaction:
    # Discord drops one left without a response for three seconds.
    monkeypatch.setattr("adapters.discord.asking.DEFER_AFTER_SECONDS", 0.1)
    service = running.runtime.service
    real_ask = service.ask

    def slow_ask(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real_ask(*args, **kwargs)

    monkeypatch.setattr(service, "ask", slow_ask)
    token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
    deferred, answered = await fake.wait_responses(token, count=2)

    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    # The asker's "thinking…" placeholder is removed; the answer is public.
    await fake.wait_for("DELETE", rf"/webhooks/\d+/{token}/messages/@original")
    assert not answered.get("flags", 0) & EPHEMERAL
    assert WHEN_SEVERED in embed_text(answered["embeds"][0])

    token = await fake.slash("ask", ANN, [option("question", "how do I bake sourdough bread?")])
    deferred, unsure = await fake.wait_responses(token, count=2)
    assert deferred["type"] == 5
    assert unsure["flags"] & EPHEMERAL  # "I don't know" stays the asker's
    assert not fake.find("DELETE", rf"/webhooks/\d+/{token}/messages/@original")


async def test_a_slow_cooldown_check_is_deferred_too(
    fake: FakeDiscord, tmp_path: Path, knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.discord.asking.DEFER_AFTER_SECONDS", 0.1)
    runtime = build_runtime(make_settings(tmp_path, knowledge_copy, ask_cooldown_seconds=60))
    real_claim = runtime.store.claim

    def slow_claim(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(runtime.store, "claim", slow_claim)
    bot = await start_bot(fake, runtime)
    try:
        token = await fake.slash("ask", ANN, [option("question", "when did canada cut ties?")])
        deferred, answered = await fake.wait_responses(token, count=2)
        assert deferred["type"] == 5
        assert WHEN_SEVERED in embed_text(answered["embeds"][0])

        # Refused from this process's memory, without the store: at once, not deferred.
        refused = await ask(fake, "why did canada cut ties?")
        assert refused["type"] == 4 and "ask again in" in refused["data"]["content"]
    finally:
        await bot.stop()
        runtime.store.close()
