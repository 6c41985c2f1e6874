"""Ask a moderator on Discord, end to end: the asker's button, the notice in the moderators'
channel, the answer form, and the reply by direct message."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.workspace_settings import MODERATOR_CHANNEL
from tests.discord.conftest import Running
from tests.discord.fake_discord import (
    CHANNEL_ID,
    DM_CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    MOD_CHANNEL_ID,
    MOD_ROLE_ID,
    FakeDiscord,
    buttons,
    embed_text,
    make_user,
    option,
    subcommand,
)

ANN = make_user(700_000_000_000_000_001, "ann")
BEN = make_user(700_000_000_000_000_002, "ben")
MOD = make_user(700_000_000_000_000_009, "mod")
UNKNOWN = "can i bring my dog to the meetup"


async def ask_a_moderator(fake: FakeDiscord, question: str) -> dict[str, Any]:
    """Ann asks what the bot does not know, then presses Ask a moderator; the note she sees."""
    token = await fake.slash("ask", ANN, [option("question", question)])
    await fake.wait_responses(token)
    unsure = fake.original(token)
    [ask_mod] = [b for b in buttons(unsure) if b["label"] == "Ask a moderator"]
    asked = await fake.click(unsure, ask_mod["custom_id"], ANN)
    # At once a private "thinking…", then the note itself as a follow-up.
    deferred, note = await fake.wait_responses(asked, count=2)
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    return dict(note)


async def test_a_question_reaches_the_moderators_and_their_answer_reaches_the_asker(
    fake: FakeDiscord, running: Running
) -> None:
    note = await ask_a_moderator(fake, UNKNOWN)
    assert note["flags"] & EPHEMERAL and "asked the moderators" in note["content"]
    [posted] = await fake.wait_for("POST", rf"/channels/{MOD_CHANNEL_ID}/messages")
    assert UNKNOWN in posted.body["content"] and posted.body["allowed_mentions"] == {"parse": []}
    assert "The closest it knows" in posted.body["content"]  # the bot's best attempt
    notice = fake.posted(MOD_CHANNEL_ID)[-1]
    answer_button, dismiss_button = buttons(notice)
    assert (answer_button["label"], dismiss_button["label"]) == ("Answer", "Dismiss")

    forged = await fake.click(notice, answer_button["custom_id"], BEN)
    refused = (await fake.wait_responses(forged))[0]["data"]
    assert refused["content"].startswith("Only moderators")

    opened = await fake.click(notice, answer_button["custom_id"], MOD, roles=[MOD_ROLE_ID])
    form = (await fake.wait_responses(opened))[0]
    assert form["type"] == 9  # a modal
    [reply_input] = [c for row in form["data"]["components"] for c in row["components"]]

    sent = await fake.submit_modal(
        notice,
        form["data"]["custom_id"],
        {reply_input["custom_id"]: "Yes, on a leash. @everyone"},
        MOD,
        roles=[MOD_ROLE_ID],
    )
    edited = (await fake.wait_responses(sent))[0]
    # The moderator is named as a mention, which shows their name and pings no one.
    assert edited["type"] == 7 and f"Answered by <@{MOD['id']}> at " in edited["data"]["content"]
    assert " UTC: Yes, on a leash." in edited["data"]["content"]  # who, when, and the reply
    assert edited["data"]["allowed_mentions"] == {"parse": []}
    [save] = [c for row in edited["data"]["components"] for c in row["components"]]
    assert save["label"] == "Save as a draft entry"  # Answer and Dismiss are gone
    [dm] = await fake.wait_for("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    assert "A moderator answered" in dm.body["content"] and "on a leash" in dm.body["content"]
    assert dm.body["allowed_mentions"] == {"parse": []}  # "@everyone" in the reply pings no one
    assert running.runtime.store.open_handoffs() == []

    saved = await fake.click(
        fake.posted(MOD_CHANNEL_ID)[-1], save["custom_id"], MOD, roles=[MOD_ROLE_ID]
    )
    note = (await fake.wait_responses(saved))[0]["data"]
    assert note["flags"] & EPHEMERAL and "Saved as a draft" in note["content"]
    knowledge = Path(running.runtime.settings.knowledge.dir)
    [draft] = list((knowledge / "drafts").glob("*.yaml"))
    assert "on a leash" in (knowledge / "sources" / "moderator-answers.md").read_text("utf-8")

    # A moderator reviews the draft (the knowledge refuses a mass mention) and moves it in:
    # the same question is then answered on Discord, citing the moderators' answers.
    reviewed = draft.read_text(encoding="utf-8").replace(" @everyone", "")
    (knowledge / "moderator-answers.yaml").write_text(reviewed, encoding="utf-8")
    draft.unlink()
    assert (await asyncio.to_thread(running.runtime.service.reload)).ok
    again = await fake.slash("ask", ANN, [option("question", UNKNOWN)])
    [embed] = (await fake.wait_responses(again))[0]["data"]["embeds"]
    assert "on a leash" in embed_text(embed) and "Moderators' answers" in embed_text(embed)


async def test_a_question_longer_than_a_title_reaches_the_moderators_whole(
    fake: FakeDiscord, running: Running
) -> None:
    story = "We are planning a community meetup in the park next month with a picnic. " * 5
    question = story + "Can I bring my dog to the meetup?"
    assert len(question) > 256  # a Discord embed title holds no more

    await ask_a_moderator(fake, question)

    [posted] = await fake.wait_for("POST", rf"/channels/{MOD_CHANNEL_ID}/messages")
    assert "Can I bring my dog to the meetup?" in posted.body["content"]


async def test_not_helpful_offers_the_way_to_a_moderator_for_that_question(
    fake: FakeDiscord, running: Running
) -> None:
    question = "when did canada cut ties with iran?"
    token = await fake.slash("ask", ANN, [option("question", question)])
    await fake.wait_responses(token)
    answer = fake.original(token)
    [rate] = [b for b in buttons(answer) if b["label"] == "Not helpful"]

    rated = await fake.click(answer, rate["custom_id"], ANN)

    reply = (await fake.wait_responses(rated))[0]["data"]
    assert reply["flags"] & EPHEMERAL and reply["content"] == "Thanks, noted."
    assert reply["embeds"][0]["title"] == question
    assert [b["label"] for b in buttons(reply)] == ["Ask a moderator"]
    offered = fake.original(rated)
    asked = await fake.click(offered, buttons(reply)[0]["custom_id"], ANN)
    await fake.wait_responses(asked)
    [posted] = await fake.wait_for("POST", rf"/channels/{MOD_CHANNEL_ID}/messages")
    assert question in posted.body["content"]


async def test_a_server_sends_hand_offs_to_the_channel_its_moderators_chose(
    fake: FakeDiscord, running: Running
) -> None:
    command = [subcommand("moderator-channel")]
    refused = await fake.slash("faq", ANN, command)
    assert (await fake.wait_responses(refused))[0]["data"]["content"].startswith("Only moderators")
    chosen = await fake.slash("faq", MOD, command, roles=[MOD_ROLE_ID])  # run in #general
    assert "now come to this channel" in (await fake.wait_responses(chosen))[0]["data"]["content"]

    await ask_a_moderator(fake, UNKNOWN)
    [posted] = await fake.wait_for("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert UNKNOWN in posted.body["content"]
    assert not fake.posted(MOD_CHANNEL_ID)  # not the default channel from the environment
    kept = running.runtime.store.workspace_setting("discord", str(GUILD_ID), MODERATOR_CHANNEL)
    assert kept == str(CHANNEL_ID)

    back = await fake.slash("faq", MOD, [subcommand("moderator-channel", [option("on", False)])],
                            roles=[MOD_ROLE_ID])  # fmt: skip
    assert "default channel again" in (await fake.wait_responses(back))[0]["data"]["content"]
