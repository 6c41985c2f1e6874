import pytest

from bot.textfit import ELLIPSIS, shorten, shorten_start, split_text


def test_shorten_keeps_short_text() -> None:
    assert shorten("short", 10) == "short"


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    result = shorten("the quick brown fox jumps over the lazy dog", 20)
    assert len(result) <= 20
    assert result.endswith(ELLIPSIS)
    assert result == "the quick brown fox" + ELLIPSIS


def test_shorten_cuts_a_long_word_hard() -> None:
    assert shorten("x" * 50, 10) == "x" * 9 + ELLIPSIS


def test_shorten_start_keeps_the_end_from_a_word() -> None:
    text = "some words before the question that matters"
    assert shorten_start(text, 100) == text
    cut = shorten_start(text, 24)
    assert cut == ELLIPSIS + "question that matters" and len(cut) <= 24


def test_split_prefers_paragraphs_then_words_and_loses_nothing() -> None:
    text = "first paragraph here\n\nsecond one is a little longer than that"
    pieces = split_text(text, 25)
    assert all(len(p) <= 25 for p in pieces)
    assert pieces[0] == "first paragraph here"
    assert " ".join(pieces).split() == text.split()


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        shorten("x", 0)
    with pytest.raises(ValueError):
        split_text("x", 0)
