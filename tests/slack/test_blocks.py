"""Rendering within Slack's limits, escaping, reading Slack's markup, and the bounded memory."""

from __future__ import annotations

import pytest

from adapters.slack.asking import SlackBot, question_from_slack
from adapters.slack.blocks import (
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    SlackMessage,
    answer_message,
    briefing_message,
    escape,
    fit_mrkdwn,
    mrkdwn_pieces,
    notice,
    notice_naming,
    notices,
)
from adapters.slack.dedupe import delivery_key
from bot.answers import Answer, Citation, Outcome, Suggestion
from bot.briefings import BriefingItem, BriefingView
from bot.recent import RecentItems
from bot.textfit import ELLIPSIS
from tests.slack.conftest import all_texts
from tests.slack.fake_slack import message_problems

CITATION = Citation("src", "The Source <Title>", "Main Report", "a quote & more")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def answered(text: str, citations: tuple[Citation, ...] = (CITATION,)) -> Answer:
    return Answer(
        question="q",
        outcome=Outcome.ANSWERED,
        text=text,
        confidence=1.0,
        entry_id="e",
        citations=citations,
        answer_id="a" * 32,
        suggestions=(Suggestion("r", "A related question?"),),
    )


def test_escape_turns_every_control_character_into_an_entity() -> None:
    assert escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"


def test_escape_keeps_a_plain_mass_mention_from_ever_being_read_as_one() -> None:
    escaped = escape("hey @here and @Channel, @everyone! mail team@here.org")
    assert " @here" not in escaped and "@Channel" not in escaped and "@everyone" not in escaped
    assert escaped.replace("\u2060", "") == "hey @here and @Channel, @everyone! mail team@here.org"
    assert "team@here.org" in escaped  # an address is left as it is
    for raw in ("@here " * 3000, "@everyone"):
        assert len(fit_mrkdwn(raw, SECTION_TEXT_LIMIT)) <= SECTION_TEXT_LIMIT


def test_fit_stays_within_the_limit_even_when_escaping_grows_the_text() -> None:
    for raw in ("&" * 5000, "<" * 800 + " word" * 900, "plain " * 1000):
        fitted = fit_mrkdwn(raw, SECTION_TEXT_LIMIT)
        assert len(fitted) <= SECTION_TEXT_LIMIT
        assert fitted.endswith(ELLIPSIS)
        assert "<" not in fitted


def test_pieces_keep_every_word_and_fit() -> None:
    raw = " ".join(f"w{n}&<" for n in range(3000))
    pieces = mrkdwn_pieces(raw, SECTION_TEXT_LIMIT)
    assert len(pieces) > 1 and all(len(p) <= SECTION_TEXT_LIMIT for p in pieces)
    assert " ".join(unescape(p) for p in pieces).split() == raw.split()


def test_a_huge_answer_is_split_within_slacks_limits_and_keeps_its_citation() -> None:
    huge = "Fact & <detail>. " * 12_000  # ~200 000 characters
    message = answer_message(answered(huge), feedback=True, share=True, question="q?")
    fields = message.fields()

    assert message_problems(fields) == []
    texts = all_texts(fields)
    assert any("*Source:* The Source &lt;Title&gt;" in t for t in texts)
    assert any("“a quote &amp; more”" in t for t in texts)
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert sections[-1]["text"]["text"].endswith(ELLIPSIS)  # cut, and says so
    assert all("<" not in t for t in texts)


def test_many_long_citations_still_fit() -> None:
    citations = tuple(
        Citation(f"s{n % 12}", f"Source {n % 12}", f"Section {n}", "q" * 5000) for n in range(60)
    )
    message = answer_message(answered("short", citations), feedback=True)
    assert message_problems(message.fields()) == []
    assert "Source 0" in "\n".join(all_texts(message.fields()))


def test_did_you_mean_offers_each_choice_as_a_button_and_no_feedback() -> None:
    choices = tuple(Suggestion(f"e{n}", f"Question number {n}?" * 10) for n in range(3))
    answer = Answer(
        question="q", outcome=Outcome.DID_YOU_MEAN, suggestions=choices, answer_id="b" * 32
    )
    message = answer_message(answer, feedback=True, share=True)
    fields = message.fields()
    assert message_problems(fields) == []
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["value"] for b in buttons] == ["e0", "e1", "e2"]
    assert answer.message in message.text


def test_a_briefing_too_long_for_one_message_says_what_it_left_out() -> None:
    items = tuple(
        BriefingItem(f"e{n}", f"Question {n}?", "An answer. " * 50, (CITATION,)) for n in range(40)
    )
    view = BriefingView("b", "A title " * 40, "Intro & more", items, "v1")
    message = briefing_message(view, pinnable=True)
    fields = message.fields()
    assert message_problems(fields) == []
    assert len(message.blocks) <= MAX_BLOCKS
    assert any("more: ask me about them" in t for t in all_texts(fields))


def test_a_long_report_is_spread_over_several_messages_losing_nothing() -> None:
    report = "\n".join(f"{n:4}  a <question> & {n}" for n in range(20_000))
    messages = notices(report, preformatted=True)
    assert len(messages) > 1
    for message in messages:
        assert message_problems(message.fields()) == []
    body = "\n".join(unescape(b["text"]["text"].strip("`\n")) for m in messages for b in m.blocks)
    assert body.split() == report.split()


@pytest.mark.parametrize(
    ("slack_text", "question"),
    [
        ("<@UBOT> when did <#C1|general> start?", "when did general start?"),
        ("<@UBOT> is a &lt; b &amp;&amp; c &gt; d", "is a < b && c > d"),
        (
            "see <https://example.com|the article> and <https://x.test>",
            "see the article and https://x.test",
        ),
        ("<!here> <@U2> what now", "what now"),
        ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),
        # line breaks end sentences in chat: kept, where runs of spaces become one
        ("hi all\n\n  when   does it  start\nthanks", "hi all\nwhen does it start\nthanks"),
        # the bot's name typed as text addresses it; it is no topic of the question
        ("hey faqbot, when did it start?", "hey when did it start?"),
        ("<@UBOT|faqbot> when did it start?", "when did it start?"),
        ("thanks faqbot", "thanks"),
        ("what is faqbot made of", "what is faqbot made of"),
    ],
)
def test_questions_are_read_from_slack_markup(slack_text: str, question: str) -> None:
    assert question_from_slack(slack_text, SlackBot("UBOT", "faqbot")) == question


def test_recent_items_forget_the_oldest_and_the_expired() -> None:
    now = [0.0]
    items: RecentItems[str, int] = RecentItems(3, ttl_seconds=10, clock=lambda: now[0])
    assert items.add("a", 1) and not items.add("a", 2)
    items.add("b", 2)
    items.add("c", 3)
    items.add("d", 4)
    assert "a" not in items and items.get("b") == 2 and len(items) == 3
    now[0] = 10.5
    assert len(items) == 0 and items.add("a", 5)


def test_delivery_keys() -> None:
    assert delivery_key({"event_id": "Ev1", "trigger_id": "t"}) == "event_id:Ev1"
    assert delivery_key({"trigger_id": "t1"}) == "trigger_id:t1"
    assert delivery_key({"type": "url_verification"}) is None


def test_topics_fit_slack_whatever_the_knowledge_size() -> None:
    from adapters.slack.blocks import topics_message
    from bot.topics import TopicGroup

    def group(name: str, size: int) -> TopicGroup:
        return TopicGroup(name, tuple(Suggestion(f"{name}-{n}", f"Q {n}?") for n in range(size)))

    big = topics_message([group("billing", 250), *(group(f"s{n}", 3) for n in range(60))])

    assert not message_problems(big.fields())
    sections = [b for b in big.blocks if "accessory" in b]
    assert [len(b["accessory"]["options"]) for b in sections[:3]] == [100, 100, 50]
    assert sections[-1]["text"]["text"].startswith("*more subjects*")


def test_our_own_replies_name_members_and_channels_and_nothing_else_links() -> None:
    def texts(message: SlackMessage) -> list[str]:
        return [block["text"]["text"] for block in message.blocks]

    named = notice_naming("Moderators: <@U0ALICE>, <@W0BOB>. Questions go to <#C0MODS>.")
    assert texts(named) == ["Moderators: <@U0ALICE>, <@W0BOB>. Questions go to <#C0MODS>."]
    # What else the text holds is escaped as ever: no <!here>, no links made of typed text.
    assert texts(notice_naming("<!here> & <@U0ALICE|alice>")) == [
        "&lt;!here&gt; &amp; &lt;@U0ALICE|alice&gt;"
    ]
    assert texts(notice("<@U0ALICE>")) == ["&lt;@U0ALICE&gt;"]
