"""Ask a moderator, end to end over HTTP: the asker's button, the moderators' notice, the
answer form, and the reply delivered where the question was asked."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from adapters.slack.blocks import (
    ACTION_ASK_MODERATOR,
    ACTION_HANDOFF_ANSWER,
    ACTION_HANDOFF_DISMISS,
    ACTION_HANDOFF_DRAFT,
    HANDOFF_FORM,
    HANDOFF_REPLY,
)
from bot.workspace_settings import MODERATOR_CHANNEL
from tests.slack.conftest import (
    ASKER,
    CHANNEL,
    MODERATOR,
    RunningBot,
    all_texts,
    buttons,
    make_settings,
    mention_event,
    running_http_bot,
)
from tests.slack.fake_slack import TEAM_ID, FakeSlack, message_problems

MODS = "C0MODS"
UNKNOWN = "can i bring my dog to the meetup"


def text_of(message: dict[str, Any]) -> str:
    return "\n".join(all_texts(message))


async def test_a_question_goes_to_the_moderators_and_their_answer_comes_back_in_the_thread(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, moderator_channel=MODS)
    async with running_http_bot(settings, fake_slack) as bot:
        ts = bot.sender.message_ts()
        await bot.sender.event(mention_event(ts, UNKNOWN))
        [unsure] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=ts))
        [ask_mod] = [b for b in buttons(unsure) if b["action_id"] == ACTION_ASK_MODERATOR]

        _, asked = await bot.sender.action(
            ACTION_ASK_MODERATOR, ask_mod["value"], message={"ts": ts, "thread_ts": ts}
        )
        [noted] = await bot.fake.wait_for(lambda: bot.fake.responses_to(asked))
        assert "asked the moderators" in text_of(noted)
        [posted] = await bot.fake.wait_for(lambda: bot.fake.posts(channel=MODS))
        assert UNKNOWN in text_of(posted) and not message_problems(posted)
        assert "The closest it knows" in text_of(posted)  # the bot's best attempt
        # Who asked, by name (a mention would notify them), and where, as a channel link.
        assert f"Asked by Member {ASKER} in <#{CHANNEL}>" in json.dumps(posted)
        actions = {b["action_id"]: b["value"] for b in buttons(posted)}
        handoff_id = actions[ACTION_HANDOFF_ANSWER]
        notice_ts = bot.fake.calls_to("chat.postMessage")[-1].result["ts"]

        # Someone who is not a moderator cannot answer; a moderator gets the form.
        _, forged = await bot.sender.action(ACTION_HANDOFF_ANSWER, handoff_id, channel=MODS)
        [refused] = await bot.fake.wait_for(lambda: bot.fake.responses_to(forged))
        assert "only this bot's moderators" in text_of(refused)
        await bot.sender.action(ACTION_HANDOFF_ANSWER, handoff_id, user=MODERATOR, channel=MODS)
        [form] = await bot.fake.wait_for(lambda: bot.fake.calls_to("views.open"))
        view = form.args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        assert view["callback_id"] == HANDOFF_FORM and view["private_metadata"] == handoff_id

        reply = {
            HANDOFF_REPLY: {
                HANDOFF_REPLY: {"type": "plain_text_input", "value": "Yes, on a leash. <!channel>"}
            }
        }
        assert await bot.sender.submit_form(HANDOFF_FORM, handoff_id, reply, MODERATOR) == 200

        replies = await bot.fake.wait_for(
            lambda: len(bot.fake.posts(thread_ts=ts)) == 2 and bot.fake.posts(thread_ts=ts)
        )
        delivered = text_of(replies[1])
        assert "A moderator answered" in delivered and "on a leash" in delivered
        assert "<!channel>" not in delivered  # echoed text never pings
        [marked] = await bot.fake.wait_for(
            lambda: [c for c in bot.fake.calls_to("chat.update") if c.args["ts"] == notice_ts]
        )
        assert f"Answered by Member {MODERATOR} at " in text_of(marked.args)  # who, and when
        assert " UTC: Yes, on a leash." in text_of(marked.args)
        [save] = buttons(marked.args)  # Answer and Dismiss are gone
        assert save["action_id"] == ACTION_HANDOFF_DRAFT
        stored = bot.runtime.store.handoff(handoff_id)
        assert stored is not None and stored.status == "answered"

        # Handled once: a late Dismiss is told so.
        _, late = await bot.sender.action(
            ACTION_HANDOFF_DISMISS, handoff_id, user=MODERATOR, channel=MODS
        )
        [told] = await bot.fake.wait_for(lambda: bot.fake.responses_to(late))
        assert "handled already" in text_of(told)

        # From answer to knowledge: a draft, reviewed and moved in by a moderator, answers.
        _, saved = await bot.sender.action(
            ACTION_HANDOFF_DRAFT, handoff_id, user=MODERATOR, channel=MODS
        )
        [done] = await bot.fake.wait_for(lambda: bot.fake.responses_to(saved))
        assert "Saved as a draft" in text_of(done)
        draft = knowledge_copy / "drafts" / f"{handoff_id}.yaml"
        assert draft.exists()
        assert (await asyncio.to_thread(bot.runtime.service.reload)).ok  # a draft is not served
        assert not bot.runtime.service.ask(UNKNOWN).answered
        # The review: the knowledge refuses a mass mention, so the moderator takes it out.
        reviewed = draft.read_text(encoding="utf-8").replace(" <!channel>", "")
        (knowledge_copy / "moderator-answers.yaml").write_text(reviewed, encoding="utf-8")
        draft.unlink()
        assert (await asyncio.to_thread(bot.runtime.service.reload)).ok
        again = bot.sender.message_ts()
        await bot.sender.event(mention_event(again, UNKNOWN))  # the same question, asked again
        [answer] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=again))
        assert "on a leash" in text_of(answer) and "Moderators' answers" in text_of(answer)


async def test_without_a_moderators_channel_no_button_is_offered(bot: RunningBot) -> None:
    ts = bot.sender.message_ts()
    await bot.sender.event(mention_event(ts, UNKNOWN))
    [unsure] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=ts))
    assert ACTION_ASK_MODERATOR not in {b["action_id"] for b in buttons(unsure)}


async def test_one_person_cannot_flood_the_moderators(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, moderator_channel=MODS)
    async with running_http_bot(settings, fake_slack) as bot:
        keys = []
        for number in range(4):
            _, key = await bot.sender.action(ACTION_ASK_MODERATOR, f"question {number}")
            await bot.fake.wait_for(lambda key=key: bot.fake.responses_to(key))
            keys.append(key)

        told = [text_of(bot.fake.responses_to(key)[0]) for key in keys]
        assert all("asked the moderators" in t for t in told[:3])
        assert "several times this hour" in told[3]
        assert len(bot.fake.posts(channel=MODS)) == 3


async def test_asking_for_a_human_offers_the_way_to_a_moderator(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack, moderator_channel=MODS)
    async with running_http_bot(settings, fake_slack) as bot:
        _, key = await bot.sender.command("talk to a human please")
        [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))

        assert "To reach a person" in text_of(reply)
        assert ACTION_ASK_MODERATOR in {b["action_id"] for b in buttons(reply)}


async def test_not_helpful_offers_the_way_to_a_moderator_for_that_question(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    from adapters.slack.blocks import ACTION_NOT_HELPFUL

    settings = make_settings(tmp_path, knowledge_copy, fake_slack, moderator_channel=MODS)
    async with running_http_bot(settings, fake_slack) as bot:
        question = "when did canada cut ties with iran"
        _, key = await bot.sender.command(question)
        [answer] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
        [rate] = [b for b in buttons(answer) if b["action_id"] == ACTION_NOT_HELPFUL]

        _, rated = await bot.sender.action(ACTION_NOT_HELPFUL, rate["value"], ephemeral=True)

        [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(rated))
        assert "Not what you needed?" in text_of(reply)
        [offer] = [b for b in buttons(reply) if b["action_id"] == ACTION_ASK_MODERATOR]
        assert offer["value"] == question


async def test_moderators_choose_their_channel_in_chat_and_it_outranks_the_default(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    settings = make_settings(tmp_path, knowledge_copy, fake_slack)  # no default channel
    async with running_http_bot(settings, fake_slack) as bot:
        ts = bot.sender.message_ts()
        await bot.sender.event(mention_event(ts, UNKNOWN))
        [unsure] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=ts))
        assert ACTION_ASK_MODERATOR not in {b["action_id"] for b in buttons(unsure)}

        _, refused = await bot.sender.command("channel moderators on", command="/faq", channel=MODS)
        [refusal] = await bot.fake.wait_for(lambda: bot.fake.responses_to(refused))
        assert "only this bot's moderators" in text_of(refusal)
        _, set_here = await bot.sender.command(
            "channel moderators on", command="/faq", user=MODERATOR, channel=MODS
        )
        [done] = await bot.fake.wait_for(lambda: bot.fake.responses_to(set_here))
        assert "now come to this channel" in text_of(done)

        again = bot.sender.message_ts()
        await bot.sender.event(mention_event(again, UNKNOWN))
        [offered] = await bot.fake.wait_for(lambda: bot.fake.posts(thread_ts=again))
        [ask_mod] = [b for b in buttons(offered) if b["action_id"] == ACTION_ASK_MODERATOR]
        await bot.sender.action(
            ACTION_ASK_MODERATOR, ask_mod["value"], message={"ts": again, "thread_ts": again}
        )
        [posted] = await bot.fake.wait_for(lambda: bot.fake.posts(channel=MODS))
        assert UNKNOWN in text_of(posted)
        # Kept in the store, where every replica (and the next start) reads it.
        assert bot.runtime.store.workspace_setting("slack", TEAM_ID, MODERATOR_CHANNEL) == MODS

        _, cleared = await bot.sender.command(
            "channel moderators off", command="/faq", user=MODERATOR, channel=MODS
        )
        [back] = await bot.fake.wait_for(lambda: bot.fake.responses_to(cleared))
        assert "no longer be passed" in text_of(back)
        assert bot.runtime.store.workspace_setting("slack", TEAM_ID, MODERATOR_CHANNEL) is None
