"""Plain-text rendering of answers and briefings for a terminal."""

from __future__ import annotations

import textwrap

from bot.answers import Answer, Citation
from bot.briefings import BriefingView

__all__ = ["render_answer", "render_briefing", "render_citation"]

WIDTH = 88


def render_citation(citation: Citation) -> str:
    return f"  Source: {citation.source_title} — {citation.section}\n    “{citation.quote}”"


def render_answer(answer: Answer) -> str:
    lines = [textwrap.fill(answer.message, WIDTH)]
    if answer.answered:
        lines.extend(render_citation(c) for c in answer.citations)
        if answer.suggestions:
            lines.append("  Related: " + " | ".join(s.question for s in answer.suggestions))
    else:
        lines.extend(f"  {n}. {s.question}" for n, s in enumerate(answer.suggestions, start=1))
        if answer.suggestions:
            lines.append("  (type a number to pick one)")
    return "\n".join(lines)


def render_briefing(view: BriefingView) -> str:
    lines = [view.title, "=" * len(view.title)]
    if view.intro:
        lines.append(textwrap.fill(view.intro, WIDTH))
    for number, item in enumerate(view.items, start=1):
        lines.append("")
        lines.append(textwrap.fill(f"{number}. {item.answer}", WIDTH, subsequent_indent="   "))
        lines.extend(
            "   " + render_citation(c).strip().replace("\n    ", "\n     ") for c in item.citations
        )
    return "\n".join(lines)
