"""Source documents: Markdown files whose `# title` and `## sections` citations point into."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.knowledge.models import Section, SourceDocument

__all__ = ["find_quote", "parse_source", "quote_mismatch_hint"]

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


@lru_cache(maxsize=65_536)  # a reload checks the same citations again
def find_quote(quote: str, text: str) -> bool:
    """True when the quote stands in the text word for word (line breaks may differ)."""
    return _collapse(quote) in _collapse(text)


def quote_mismatch_hint(quote: str, text: str) -> str:
    """Say why a quote was not found, where the reason is a common copying slip."""
    if _collapse(quote).translate(_QUOTE_MARKS) in _collapse(text).translate(_QUOTE_MARKS):
        return " (it differs only in quote marks or dashes: copy them from the source)"
    if _collapse(quote).casefold() in _collapse(text).casefold():
        return " (it differs only in upper/lower case)"
    return ""
