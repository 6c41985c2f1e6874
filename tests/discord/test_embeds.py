"""Embeds stay within Discord's limits however long the knowledge is, and keep the citation."""

from __future__ import annotations

import discord

from adapters.discord.embeds import (
    MAX_DESCRIPTION,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    MAX_TITLE,
    MAX_TOTAL,
    answer_embed,
    briefing_embed,
    embed_size,
)
from bot.answers import Answer, Citation, Outcome, Suggestion
from bot.briefings import BriefingItem, BriefingView
from bot.service import QAService

WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "


def long_text(size: int) -> str:
    return (WORDS * (size // len(WORDS) + 1))[:size]


def assert_within_limits(embed: discord.Embed) -> None:
    assert embed_size(embed) <= MAX_TOTAL
    assert len(embed.title or "") <= MAX_TITLE
    assert len(embed.description or "") <= MAX_DESCRIPTION
    assert len(embed.fields) <= MAX_FIELDS
    for field in embed.fields:
        assert field.name and len(field.name) <= MAX_FIELD_NAME
        assert field.value and len(field.value) <= MAX_FIELD_VALUE
    # discord.py's own count must agree with ours.
    assert len(embed) == embed_size(embed)


def test_a_huge_answer_is_shortened_and_its_first_citation_kept_whole() -> None:
    citations = tuple(
        Citation("src", "A source title " + "x" * 300, f"Section {n}", long_text(2000))
        for n in range(8)
    )
    first = Citation("doc", "The cited article", "Main Report", "Iran is open to talks.")
    answer = Answer(
        question=long_text(500),
        outcome=Outcome.ANSWERED,
        text=long_text(9000),
        confidence=0.8,
        citations=(first, *citations),
        suggestions=tuple(Suggestion(f"e{n}", long_text(300)) for n in range(5)),
    )

    embed = answer_embed(answer)

    assert_within_limits(embed)
    assert (embed.description or "").endswith("…")
    assert embed.fields[0].name == "Source: The cited article"
    assert embed.fields[0].value == "> “Iran is open to talks.”\n— Main Report"
    assert embed.footer.text == "Confidence 80%"


def test_every_quote_of_a_long_source_keeps_its_section() -> None:
    citations = tuple(Citation("doc", "Article", f"Section {n}", long_text(900)) for n in range(4))
    answer = Answer(
        question="q", outcome=Outcome.ANSWERED, text="Short answer.", citations=citations
    )

    value = answer_embed(answer).fields[0].value or ""

    assert len(value) <= MAX_FIELD_VALUE
    assert all(f"— Section {n}" in value for n in range(4))


def test_a_briefing_too_big_for_one_message_keeps_a_citation_for_every_item() -> None:
    items = tuple(
        BriefingItem(
            f"e{n}",
            f"Question number {n}? " + long_text(200),
            long_text(1000),
            (Citation("doc", f"Source {n % 3}", f"Section {n}", long_text(800)),),
        )
        for n in range(30)
    )
    view = BriefingView("b", long_text(400), long_text(5000), items, "v1")

    embed = briefing_embed(view)

    assert_within_limits(embed)
    *shown, sources = embed.fields
    assert len(shown) == MAX_FIELDS - 1
    assert all(f"— Section {n} [{n % 3 + 1}]" in (f.value or "") for n, f in enumerate(shown))
    assert sources.name == "Sources"
    assert sources.value == "[1] Source 0\n[2] Source 1\n[3] Source 2"
    assert "6 more items not shown" in (embed.footer.text or "")


def test_the_real_briefing_fits_with_every_answer_whole(service: QAService) -> None:
    view = service.briefing()
    assert view is not None

    embed = briefing_embed(view)

    assert_within_limits(embed)
    assert [f.name for f in embed.fields[:-1]] == [item.question for item in view.items]
    values = [f.value or "" for f in embed.fields]
    whole = sum(item.answer in value for item, value in zip(view.items, values, strict=False))
    assert whole == len(view.items)


def test_a_question_of_only_a_mention_still_gets_a_title() -> None:
    answer = Answer(
        question="   ",
        outcome=Outcome.EMPTY,
        suggestions=(Suggestion("e1", "When did Canada cut ties?"),),
    )
    embed = answer_embed(answer)
    assert embed.title == "Your question"
    assert embed.description and "1. When did Canada cut ties?" in embed.description
