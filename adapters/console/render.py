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
    lines = [textwrap.fill(answer.message, WIDTH)]
    if answer.answered:
        lines.extend(render_citations(answer.citations[:MAX_CITATIONS_SHOWN]))
        hidden = len(answer.citations) - MAX_CITATIONS_SHOWN
        if hidden > 0:
            lines.append(f"    (+{hidden} more passage{'s' if hidden > 1 else ''} in the source)")
        if answer.suggestions:
            related = (f"{n}. {s.question}" for n, s in enumerate(answer.suggestions, start=1))
            lines.append("  Related: " + " | ".join(related))
    else:
        lines.extend(f"  {n}. {s.question}" for n, s in enumerate(answer.suggestions, start=1))
        if answer.suggestions and choosing:
            lines.append("  (type a number to pick one)")
    return "\n".join(lines)


def render_briefing(view: BriefingView) -> str:
    lines = [view.title, "=" * len(view.title)]
    if view.intro:
        lines.append(textwrap.fill(view.intro, WIDTH))
    for number, item in enumerate(view.items, start=1):
        lines.append("")
        lines.append(textwrap.fill(f"{number}. {item.answer}", WIDTH, subsequent_indent="   "))
        # One citation per item keeps a briefing readable; the entry itself has them all.
        lines.extend(render_citations(item.citations[:1], indent="   "))
    return "\n".join(lines)
