"""Answers and briefings as Discord embeds within Discord's limits: when space runs short,
answer text and quotes are shortened, never the section and source of a citation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.answers import Answer, Citation, Outcome
from bot.briefings import BriefingView
from bot.textfit import shorten

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_FIELDS",
    "MAX_FIELD_NAME",
    "MAX_FIELD_VALUE",
    "MAX_FOOTER",
    "MAX_TITLE",
    "MAX_TOTAL",
    "answer_embed",
    "briefing_embed",
    "embed_size",
]

# Discord's embed limits: discord.com/developers/docs/resources/message#embed-object-embed-limits
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000  # title + description + field names and values + footer + author name

# A reader needs the sources, not a wall of quotes: more than this is noise under one answer.
MAX_CITATIONS = 5
COLOUR_ANSWERED = discord.Colour.green()
COLOUR_UNSURE = discord.Colour.gold()
COLOUR_UNKNOWN = discord.Colour.light_grey()
COLOUR_BRIEFING = discord.Colour.blurple()


@dataclass(frozen=True)
class _Field:
    """A field whose value is pieces of (text that may be shortened, text kept whole)."""

    name: str
    parts: tuple[tuple[str, str], ...]

    @property
    def value(self) -> str:
        return "\n".join(_piece(cut, kept) for cut, kept in self.parts)


def answer_embed(answer: Answer) -> discord.Embed:
    """The answer, its citations as fields, and the confidence in the footer."""
    fields = _source_fields(answer.citations[:MAX_CITATIONS])
    if answer.answered:
        colour = COLOUR_ANSWERED
        description = answer.message
        footer = f"Confidence {answer.confidence:.0%}"
        if answer.suggestions:
            related = "\n".join(f"• {s.question}" for s in answer.suggestions)
            fields.append(_Field("Related questions", ((related, ""),)))
    else:
        colour = COLOUR_UNSURE if answer.outcome is Outcome.DID_YOU_MEAN else COLOUR_UNKNOWN
        choices = [f"{n}. {s.question}" for n, s in enumerate(answer.suggestions, start=1)]
        description = "\n".join([answer.message, *choices])
        footer = "Pick one below, or ask in other words." if choices else "Try other words."
    title = " ".join(answer.question.split()) or "Your question"
    return _build(title, description, fields, footer, colour)


def briefing_embed(view: BriefingView) -> discord.Embed:
    """One field per item: the question, the answer, and a quote with its section and source;
    the sources are listed once at the end."""
    numbers = {title: n for n, title in enumerate(view.sources, start=1)}
    numbered = len(numbers) > 1  # with one source, a number would only be noise
    fields = []
    for item in view.items[: MAX_FIELDS - 1]:
        parts: list[tuple[str, str]] = [(item.answer, "")]
        if item.citations:
            cited = item.citations[0]
            mark = f" [{numbers[cited.source_title]}]" if numbered else ""
            parts.append((f"> “{cited.quote}”", f"— {cited.section}{mark}"))
        fields.append(_Field(item.question, tuple(parts)))
    if numbers:
        listed = "\n".join(f"[{n}] {t}" if numbered else t for t, n in numbers.items())
        fields.append(_Field("Sources" if numbered else "Source", (("", listed),)))
    footer = f"Knowledge version {view.knowledge_version}"
    if len(view.items) > MAX_FIELDS - 1:
        footer += f" · {len(view.items) - MAX_FIELDS + 1} more items not shown"
    return _build(view.title, view.intro, fields, footer, COLOUR_BRIEFING)


def embed_size(embed: discord.Embed) -> int:
    """The characters Discord counts against MAX_TOTAL."""
    size = len(embed.title or "") + len(embed.description or "") + len(embed.footer.text or "")
    size += len(embed.author.name or "")
    return size + sum(len(f.name or "") + len(f.value or "") for f in embed.fields)


def _source_fields(citations: Sequence[Citation]) -> list[_Field]:
    """One field per source document: its title, then each quote with its section."""
    by_source: dict[str, list[Citation]] = {}
    for citation in citations:
        by_source.setdefault(citation.source_title, []).append(citation)
    return [
        _Field(f"Source: {title}", tuple((f"> “{c.quote}”", f"— {c.section}") for c in cited))
        for title, cited in by_source.items()
    ]


def _build(
    title: str, description: str, fields: Sequence[_Field], footer: str, colour: discord.Colour
) -> discord.Embed:
    title = shorten(title, MAX_TITLE)
    footer = shorten(footer, MAX_FOOTER)
    fields = fields[:MAX_FIELDS]
    # Names are headings: they may take at most half of what the title and footer leave.
    name_room = _share(
        [min(len(f.name), MAX_FIELD_NAME) for f in fields],
        (MAX_TOTAL - len(title) - len(footer)) // 2,
    )
    names = [shorten(f.name, max(room, 1)) for f, room in zip(fields, name_room, strict=True)]
    budget = MAX_TOTAL - len(title) - len(footer) - sum(len(n) for n in names)
    wanted = [min(len(description), MAX_DESCRIPTION)]
    wanted += [min(len(f.value), MAX_FIELD_VALUE) for f in fields]
    allowed = _share(wanted, budget)
    embed = discord.Embed(title=title, colour=colour)
    if description and allowed[0] > 0:
        embed.description = shorten(description, allowed[0])
    for name, field, size in zip(names, fields, allowed[1:], strict=True):
        value = _fit_value(field, size)
        if value:
            embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=footer)
    return embed


def _fit_value(field: _Field, limit: int) -> str:
    """Keep every kept part whole and share the rest of the room among the shortenable ones."""
    whole = field.value
    if len(whole) <= limit or limit < 1:
        return whole if limit >= 1 else ""
    fixed = sum(len(_piece("", kept)) for _, kept in field.parts) + len(field.parts) - 1
    fixed += sum(1 for cut, kept in field.parts if cut and kept)  # their line breaks
    room = limit - fixed
    if room < len(field.parts):  # not even the kept parts fit: cut the whole from the end
        return shorten(whole, limit)
    shares = _share([len(cut) for cut, _ in field.parts], room)
    pieces = [
        _piece(shorten(cut, share) if cut and share else "", kept)
        for (cut, kept), share in zip(field.parts, shares, strict=True)
    ]
    return "\n".join(p for p in pieces if p)


def _piece(cut: str, kept: str) -> str:
    return f"{cut}\n{kept}" if cut and kept else cut or kept


def _share(wanted: Sequence[int], budget: int) -> list[int]:
    """Split budget so that small wants are met in full and the rest share equally."""
    allowed = [0] * len(wanted)
    left = max(budget, 0)
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    for position, index in enumerate(order):
        fair = left // (len(wanted) - position)
        allowed[index] = min(wanted[index], fair)
        left -= allowed[index]
    return allowed
