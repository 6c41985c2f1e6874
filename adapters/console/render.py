"""Plain-text rendering of answers and briefings for a terminal."""

from __future__ import annotations

import textwrap

from bot.answers import Answer, Citation
from bot.briefings import BriefingView

__all__ = ["render_answer", "render_briefing", "render_citations"]

WIDTH = 88
# An entry may cite many passages; a terminal answer shows the first ones (the entry's order
# puts the strongest first) so the answer stays readable.
MAX_CITATIONS_SHOWN = 2
# Joins words that a wrapped line must not part: textwrap breaks at ASCII whitespace only.
_KEEP = "\u00a0"


def render_citations(citations: tuple[Citation, ...], indent: str = "  ") -> list[str]:
    """One 'Source:' line per document, then each cited section with its quote."""
    lines: list[str] = []
    for title in dict.fromkeys(c.source_title for c in citations):
        lines.append(f"{indent}Source: {title}")
        for citation in (c for c in citations if c.source_title == title):
            quoted = f"§ {citation.section}: “{citation.quote}”"
            lines.append(
                textwrap.fill(
                    quoted, WIDTH, initial_indent=indent + "  ", subsequent_indent=indent + "    "
                )
            )
    return lines


def render_answer(answer: Answer, *, choosing: bool = True) -> str:
    """The answer as terminal text; `choosing`: the reader can type a number to pick a choice
    (the chat can, a one-shot `ask` cannot)."""
    # A reply to a message asking several things has a paragraph for each answer.
    lines = ["\n\n".join(textwrap.fill(p, WIDTH) for p in answer.message.split("\n\n"))]
    if answer.answered:
        lines.extend(render_citations(answer.citations[:MAX_CITATIONS_SHOWN]))
        hidden = len(answer.citations) - MAX_CITATIONS_SHOWN
        if hidden > 0:
            lines.append(f"    (+{hidden} more passage{'s' if hidden > 1 else ''} in the source)")
        if answer.suggestions:
            lines.append(_related(answer))
    else:
        lines.extend(f"  {n}. {s.question}" for n, s in enumerate(answer.suggestions, start=1))
        if answer.suggestions and choosing:
            lines.append("  (type a number to pick one)")
    return "\n".join(lines)


def _related(answer: Answer) -> str:
    """The 'Related: 1. … | 2. …' line, wrapped like the rest of the answer.

    A line may end after a "|" but never start with one, and a number stays with its question.
    """
    related = (f"{n}.{_KEEP}{s.question}" for n, s in enumerate(answer.suggestions, start=1))
    text = textwrap.fill(
        f"Related: {f'{_KEEP}| '.join(related)}",
        WIDTH,
        initial_indent="  ",
        subsequent_indent="    ",
    )
    return text.replace(_KEEP, " ")


def render_briefing(view: BriefingView) -> str:
    lines = [view.title, "=" * len(view.title)]
    if view.intro:
        lines.append(textwrap.fill(view.intro, WIDTH))
    # Numbers are right-aligned, so the text of item 10 starts where the text of item 9 does,
    # and its lines and citation stay under it.
    digits = len(str(len(view.items)))
    for number, item in enumerate(view.items, start=1):
        pad = " " * (digits - len(str(number)))
        indent = " " * (digits + 2)  # under the text, past "N. "
        lines.append("")
        lines.append(
            textwrap.fill(
                f"{number}. {item.answer}", WIDTH, initial_indent=pad, subsequent_indent=indent
            )
        )
        # One citation per item keeps a briefing readable; the entry itself has them all.
        lines.extend(render_citations(item.citations[:1], indent=indent))
    return "\n".join(lines)
