"""Fit text to a platform's size limits without losing what matters (the citation comes last)."""

from __future__ import annotations

__all__ = ["ELLIPSIS", "shorten", "shorten_start", "split_text"]

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Cut text to at most limit characters, at a word boundary where one is near, with '…'."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    keep = limit - len(ELLIPSIS)
    cut = text[:keep]
    space = cut.rfind(" ")
    ends_on_word = text[keep].isspace()
    # Break at a word only when that keeps most of the text; a long URL has no spaces.
    if not ends_on_word and space >= (limit * 3) // 4:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def shorten_start(text: str, limit: int) -> str:
    """As shorten, but keeping the end: '…' and at most limit characters, from a word start
    where one is near (where a long message asks is at its end)."""
    if len(text) <= limit:
        return text
    tail = text[-(limit - len(ELLIPSIS)) :]
    space = tail.find(" ")
    if 0 <= space < limit // 4:
        tail = tail[space + 1 :]
    return ELLIPSIS + tail


def split_text(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most limit characters: at paragraphs, then lines, then words."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
