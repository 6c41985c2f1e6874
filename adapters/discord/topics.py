"""/topics: what the bot knows, as menus. Pick a subject, then one of its questions.

Both menus are dynamic items (the custom_id says what they are), so a list posted before a
restart still works. The list is shown only to whoever asked for it; a picked question is
answered for everyone, like a "did you mean" choice.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.replies import apologize, respond, say
from adapters.discord.state import state_of
from adapters.discord.views import answer_entry_for
from bot.textfit import shorten
from bot.topics import TopicGroup

__all__ = ["QuestionMenu", "SubjectMenu", "topics_command"]

_log = logging.getLogger(__name__)

SUBJECT_MENU = "faq:topics"
QUESTION_MENU = "faq:topic"  # faq:topic:<n>, one menu per 25 questions of the subject
# Select menu limits: discord.com/developers/docs/components/reference#string-select; a
# message holds five rows, so a subject shows at most four menus of questions.
MAX_OPTIONS = 25
MAX_OPTION_TEXT = 100
MAX_QUESTION_MENUS = 4
MORE = "more subjects"  # the subjects past what one menu holds, together
INTRO = "Here is what I can answer. Pick a subject, then a question, or ask with /ask."
NO_SUBJECT = "That subject is gone since the knowledge was updated; run /topics again."


def _subjects(groups: tuple[TopicGroup, ...]) -> tuple[TopicGroup, ...]:
    """The subjects one menu can list: past its size, the rest share one entry."""
    if len(groups) <= MAX_OPTIONS:
        return groups
    rest = tuple(t for g in groups[MAX_OPTIONS - 1 :] for t in g.topics)
    return (*groups[: MAX_OPTIONS - 1], TopicGroup(MORE, rest))


def _subject_menu(groups: tuple[TopicGroup, ...]) -> discord.ui.Select[Any]:
    options = [
        discord.SelectOption(
            label=shorten(g.name, MAX_OPTION_TEXT),
            value=shorten(g.name, MAX_OPTION_TEXT),
            description=f"{len(g.topics)} question(s)",
        )
        for g in _subjects(groups)
    ]
    return discord.ui.Select(
        custom_id=SUBJECT_MENU, placeholder="Pick a subject", options=options, row=0
    )


def _question_menus(group: TopicGroup) -> list[discord.ui.Select[Any]]:
    menus: list[discord.ui.Select[Any]] = []
    for number in range(MAX_QUESTION_MENUS):
        chunk = group.topics[number * MAX_OPTIONS : (number + 1) * MAX_OPTIONS]
        if not chunk:
            break
        options = [
            discord.SelectOption(label=shorten(t.question, MAX_OPTION_TEXT), value=t.entry_id)
            for t in chunk
        ]
        placeholder = shorten(f"Pick a question about {group.name}", MAX_OPTION_TEXT)
        menus.append(
            discord.ui.Select(
                custom_id=f"{QUESTION_MENU}:{number}", placeholder=placeholder, options=options
            )
        )
    return menus


def _browser(groups: tuple[TopicGroup, ...], open_group: TopicGroup | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(SubjectMenu(_subject_menu(groups)))
    for menu in _question_menus(open_group) if open_group is not None else []:
        view.add_item(QuestionMenu(menu))
    return view


async def topics_command(interaction: discord.Interaction[Any]) -> None:
    """/topics: the subjects menu, for the asker alone."""
    groups = state_of(interaction.client).service.topics()
    if not groups:
        await say(interaction, "The knowledge is empty.")
        return
    await respond(interaction, ephemeral=True, content=INTRO, view=_browser(groups, None))


def _picked(interaction: discord.Interaction[Any]) -> str:
    data: Any = interaction.data or {}
    values = data.get("values") or [""]
    return str(values[0])


class SubjectMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SUBJECT_MENU):
    """The subjects: a pick shows that subject's questions under it, in the same message."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> SubjectMenu:
        return cls(_subject_menu(state_of(interaction.client).service.topics()))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        service = state_of(interaction.client).service
        picked = _picked(interaction)
        groups = _subjects(service.topics())
        group = next((g for g in groups if shorten(g.name, MAX_OPTION_TEXT) == picked), None)
        if group is None:
            await say(interaction, NO_SUBJECT)
            return
        browser = _browser(service.topics(), group)
        await interaction.response.edit_message(content=INTRO, view=browser)


class QuestionMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=rf"{QUESTION_MENU}:\d"):
    """One subject's questions: a pick answers it for everyone."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> QuestionMenu:
        return cls(discord.ui.Select(custom_id=str(match.string)))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        async with state.in_flight.track():
            try:
                await answer_entry_for(interaction, state, _picked(interaction))
            except Exception:
                _log.exception("a /topics pick failed")
                await apologize(interaction)
