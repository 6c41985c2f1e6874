"""Source documents: Markdown files whose `# title` and `## sections` citations point into."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.knowledge.models import Section, SourceDocument

__all__ = ["MIN_QUOTE_WORDS", "cut_words", "find_quote", "parse_source", "quote_mismatch_hint"]

# A citation quotes a passage: fewer words ("the", "Paris") prove nothing about where the
# answer comes from. The shortest quote in the shipped knowledge is a three-word heading.
MIN_QUOTE_WORDS = 3

_WHITESPACE = re.compile(r"\s+")
# Typographic and plain marks that moderators commonly swap when copying a quote.
_QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def parse_source(path: Path, source_id: str, text: str | None = None) -> SourceDocument:
    """Read a Markdown source: the first `# ` line is its title, each `## ` line opens a section.

    Text between the title and the first `## ` is a section too, named like the document.
    """
    title = source_id
    sections: list[Section] = []
    current_title: str | None = None
    current_line = 1
    body: list[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if current_title is not None or text:
            sections.append(Section(current_title or title, text, current_line))

    if text is None:
        text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            close()
            current_title, current_line, body = line[3:].strip(), number, []
        elif line.startswith("# ") and current_title is None and title == source_id:
            title, current_line = line[2:].strip(), number
        else:
            body.append(line)
    close()
    return SourceDocument(source_id, title, str(path), tuple(sections))


# Every citation of a section checks its quote against that section's text: remembering the
# collapsed text makes that once per section, not once per citation.
@lru_cache(maxsize=4096)
def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


# A word, for where a quote may start and end: letters, digits and "_", and an apostrophe
# between letters ("Anna’s" is one word: a quote may not start at its "s").
_APOSTROPHES = "'’"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts_word(quote: str) -> bool:
    return bool(quote) and _is_word_char(quote[0])


def _ends_word(quote: str) -> bool:
    return bool(quote) and _is_word_char(quote[-1])


def _word_goes_on_before(text: str, at: int) -> bool:
    """Whether the word at text[at] begins earlier ("s" of "Anna’s")."""
    before = text[max(0, at - 2) : at]
    return bool(before) and (
        _is_word_char(before[-1])
        or (len(before) == 2 and before[-1] in _APOSTROPHES and _is_word_char(before[0]))
    )


def _word_goes_on_after(text: str, end: int) -> bool:
    """Whether the word ending at text[end - 1] goes on ("Anna" of "Anna’s")."""
    after = text[end : end + 2]
    return bool(after) and (
        _is_word_char(after[0])
        or (len(after) == 2 and after[0] in _APOSTROPHES and _is_word_char(after[1]))
    )


@lru_cache(maxsize=65_536)  # a reload checks the same citations again
def find_quote(quote: str, text: str) -> bool:
    """True when the quote stands in the text word for word (line breaks may differ), from the
    start of a word to the end of one: a passage, not part of a word. (Plain string searches:
    a pattern compiled per quote would cost a start-up tens of milliseconds.)"""
    quote, text = _collapse(quote), _collapse(text)
    starts, ends = _starts_word(quote), _ends_word(quote)
    at = text.find(quote)
    while at >= 0:
        end = at + len(quote)
        if not (starts and _word_goes_on_before(text, at)) and not (
            ends and _word_goes_on_after(text, end)
        ):
            return True
        at = text.find(quote, at + 1)
    return False


def cut_words(quote: str, text: str) -> str:
    """For a quote that is in the text only as part of a word, which word it cuts: "starts
    inside the word 'Anna’s'" (or "ends", or both); "" otherwise."""
    quote, text = _collapse(quote), _collapse(text)
    at = text.find(quote)
    if not quote or at < 0:
        return ""
    end = at + len(quote)
    cuts = []
    if _starts_word(quote) and _word_goes_on_before(text, at):
        cuts.append(f"starts inside the word {_word_at(text, at)!r}")
    if _ends_word(quote) and _word_goes_on_after(text, end):
        cuts.append(f"ends inside the word {_word_at(text, end - 1)!r}")
    return " and ".join(cuts)


def _word_at(text: str, position: int) -> str:
    """The whole word (apostrophes between letters included) around text[position]."""
    for word in re.finditer(r"\w+(?:['’]\w+)*", text):
        if word.start() <= position < word.end():
            return word.group()
    return text[position]


def quote_mismatch_hint(quote: str, text: str) -> str:
    """Say why a quote was not found, where the reason is a common copying slip."""
    if _collapse(quote).translate(_QUOTE_MARKS) in _collapse(text).translate(_QUOTE_MARKS):
        return " (it differs only in quote marks or dashes: copy them from the source)"
    if _collapse(quote).casefold() in _collapse(text).casefold():
        return " (it differs only in upper/lower case)"
    return ""
