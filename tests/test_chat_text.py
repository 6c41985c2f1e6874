"""What the adapters take off a chat message before asking: spacing, and the bot's own name."""

from __future__ import annotations

import pytest

from bot.chat_text import MAX_NAME_CHARS, squeezed_lines, without_own_name
from bot.service import QAService

NAMES = ("faqbot", "FAQ Bot")


def test_spaces_are_squeezed_and_line_breaks_kept() -> None:
    assert squeezed_lines("  hi   all \n\n\t when does \u00a0it start \nthanks  ") == (
        "hi all\nwhen does it start\nthanks"
    )
    assert squeezed_lines(" \n \n") == ""


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("faqbot when did it start?", "when did it start?"),
        ("faqbot: when did it start?", "when did it start?"),
        ("@faqbot, when did it start?", "when did it start?"),
        ("hey faqbot when did it start?", "hey when did it start?"),
        ("faqbot can you tell me when it started", "can you tell me when it started"),
        ("ok so FAQ  Bot - what is it?", "ok so what is it?"),
        ("hey @FAQBOT!! what is it", "hey what is it"),
        ("when did it start, faqbot?", "when did it start?"),
        ("thanks faqbot", "thanks"),
        ("thanks, faqbot :)", "thanks :)"),
        ("hey faqbot", "hey"),
        ("hey faqbot\nlong-time lurker. when is it?", "hey \nlong-time lurker. when is it?"),
        # the question openers the reading knows, chat's spellings and requests included
        ("faqbot wat time does it open", "wat time does it open"),
        ("faqbot whats the deadline", "whats the deadline"),
        ("faqbot anyone know who runs it?", "anyone know who runs it?"),
        ("faqbot describe the refund rules", "describe the refund rules"),
    ],
)
def test_the_bots_name_where_it_addresses_the_bot_is_taken_off(message: str, read: str) -> None:
    assert without_own_name(message, NAMES) == read


@pytest.mark.parametrize(
    "message",
    [
        # a bot named after its project is asked about it
        "what is faqbot?",
        "is faqbot down?",
        "faqbot is down?",
        "faqbot release date",
        "faqbot's licence",
        # another word that starts with the name
        "hey faqbotty when is it",
    ],
)
def test_the_bots_name_as_a_topic_is_left_alone(message: str) -> None:
    assert without_own_name(message, NAMES) == message


def test_no_names_or_unusable_names_change_nothing() -> None:
    assert without_own_name("faqbot: hi", ()) == "faqbot: hi"
    assert without_own_name("faqbot: hi", ("", "  ")) == "faqbot: hi"
    long_name = "x" * (MAX_NAME_CHARS + 1)
    assert without_own_name(f"{long_name}: hi", (long_name,)) == f"{long_name}: hi"
    # a name is text, not a pattern
    assert without_own_name("a.b: when is it", ("a.b",)) == "when is it"
    assert without_own_name("axb: when is it", ("a.b",)) == "axb: when is it"


def test_a_question_addressed_by_name_is_answered_as_without_it(service: QAService) -> None:
    plain = service.ask("when did canada cut ties with iran?")
    assert plain.answered
    for message in (
        "hey faqbot when did canada cut ties with iran?",
        "faqbot, when did canada cut ties with iran?",
    ):
        addressed = service.ask(without_own_name(message, NAMES))
        assert (addressed.outcome, addressed.entry_id) == (plain.outcome, plain.entry_id)
    assert not service.ask(without_own_name("thanks faqbot!", NAMES)).suggestions
    assert service.is_small_talk(without_own_name("thanks faqbot!", NAMES))
