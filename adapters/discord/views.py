"""Buttons under answers, "did you mean" and Helpful / Not helpful, as dynamic items: the
custom_id carries all a click needs, so buttons posted before a restart still work."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord

from adapters.discord.embeds import answer_embed
from adapters.discord.handoffs import AskModeratorButton
from adapters.discord.moderation import is_moderator
from adapters.discord.replies import apologize, interaction_context, respond, say
from adapters.discord.state import BotState, state_of
from bot.answers import Answer, Outcome
from bot.textfit import shorten

__all__ = [
    "FEEDBACK_PREFIX",
    "SUGGESTION_PREFIX",
    "FeedbackButton",
    "RemoveButton",
    "SuggestionButton",
    "answer_entry_for",
    "answer_view",
    "send_answer",
]

_log = logging.getLogger(__name__)

# Fixed custom_id prefixes: changing them orphans every button already posted.
FEEDBACK_PREFIX = "faq:fb"
SUGGESTION_PREFIX = "faq:dym"
REMOVE_PREFIX = "faq:rm"
# Button limits: discord.com/developers/docs/components/reference#button. A custom_id may
# hold 100 characters: a prefix and an entry id (at most 64) or an answer id (32) fit.
MAX_LABEL = 80
# One action row holds five buttons.
MAX_SUGGESTION_BUTTONS = 5

THANKS = "Thanks, noted."
THANKS_NOT_STORED = "Thanks. (The rating could not be stored.)"
TOPIC_GONE = "That topic is gone since the knowledge was updated; please ask again."
NOT_YOURS = "Only the person who asked, or a moderator, can remove this answer."
NOT_WHAT_YOU_NEEDED = "Not what you needed? A moderator can answer it."


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{FEEDBACK_PREFIX}:(?P<helpful>[01]):(?P<answer_id>[0-9a-f]+)",
):
    """Helpful / Not helpful for one answer, recorded against its answer id."""

    def __init__(self, answer_id: str, helpful: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
                custom_id=f"{FEEDBACK_PREFIX}:{int(helpful)}:{answer_id}",
                row=1,
            )
        )
        self.answer_id = answer_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["answer_id"], match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        async with state.in_flight.track():
            await self._record(interaction, state)

    async def _record(self, interaction: discord.Interaction[Any], state: BotState) -> None:
        try:
            stored = await asyncio.to_thread(
                state.service.feedback,
                self.answer_id,
                self.helpful,
                interaction_context(interaction),
            )
            thanks = THANKS if stored else THANKS_NOT_STORED
            embeds = interaction.message.embeds if interaction.message else []
            question = (embeds[0].title or "") if embeds else ""
            moderators = await state.moderator_channel(interaction.guild_id) is not None
            if self.helpful or not moderators or not question:
                await say(interaction, thanks)
                return
            # Not what they needed: the way to a person, for the same question.
            view = discord.ui.View(timeout=None)
            view.add_item(AskModeratorButton(self.answer_id))
            embed = discord.Embed(title=question, description=NOT_WHAT_YOU_NEEDED)
            await respond(interaction, ephemeral=True, content=thanks, embed=embed, view=view)
        except Exception:
            _log.exception("feedback click on answer %s failed", self.answer_id)
            await apologize(interaction)


class SuggestionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{SUGGESTION_PREFIX}:(?P<entry_id>[a-z0-9][a-z0-9-]*)",
):
    """One "did you mean" choice: a click answers that entry."""

    def __init__(self, entry_id: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=shorten(label or entry_id, MAX_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=f"{SUGGESTION_PREFIX}:{entry_id}",
                row=0,
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SuggestionButton:
        return cls(match["entry_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        async with state.in_flight.track():
            await self._answer(interaction, state)

    async def _answer(self, interaction: discord.Interaction[Any], state: BotState) -> None:
        try:
            await answer_entry_for(interaction, state, self.entry_id)
        except Exception:
            _log.exception("'did you mean' click on %s failed", self.entry_id)
            await apologize(interaction)


async def answer_entry_for(
    interaction: discord.Interaction[Any], state: BotState, entry_id: str
) -> None:
    """Answer one entry someone picked (a "did you mean" choice, a listed question)."""
    answer = await asyncio.to_thread(
        state.service.answer_entry, entry_id, interaction_context(interaction)
    )
    if answer is None:
        await say(interaction, TOPIC_GONE)
    else:
        await send_answer(interaction, answer, state)


def answer_view(
    answer: Answer, feedback_buttons: bool, asker: int | None = None, ask_moderator: bool = False
) -> discord.ui.View | None:
    """Choices when the bot is unsure (and "Ask a moderator", when offered); rating buttons
    under an answer, and (for an answer posted for everyone, `asker` given) a button that
    removes it; None when none of these."""
    view = discord.ui.View(timeout=None)
    if not answer.answered:
        suggestions = answer.suggestions[:MAX_SUGGESTION_BUTTONS]
        for number, suggestion in enumerate(suggestions, start=1):
            view.add_item(SuggestionButton(suggestion.entry_id, f"{number}. {suggestion.question}"))
        if ask_moderator and answer.outcome is not Outcome.EMPTY:
            view.add_item(AskModeratorButton(answer.answer_id or ""))
        return view if view.children else None
    if feedback_buttons and answer.answer_id:
        view.add_item(FeedbackButton(answer.answer_id, helpful=True))
        view.add_item(FeedbackButton(answer.answer_id, helpful=False))
    if asker is not None:
        view.add_item(RemoveButton(asker))
    return view if view.children else None


class RemoveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{REMOVE_PREFIX}:(?P<asker>\d+)",
):
    """🗑 under an answer posted for everyone: the person who asked, or a moderator, may take
    it down (a wrong-channel question, an answer that turned out unhelpful)."""

    def __init__(self, asker: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Remove",
                emoji="🗑️",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{REMOVE_PREFIX}:{asker}",
                row=1,
            )
        )
        self.asker = asker

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RemoveButton:
        return cls(int(match["asker"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        user = interaction.user.id
        if user != self.asker and not await is_moderator(interaction):
            _log.warning("refused a removal by %s of an answer asked by %s", user, self.asker)
            await say(interaction, NOT_YOURS)
            return
        try:
            await interaction.response.defer()
            if interaction.message is not None:
                await interaction.message.delete()
        except discord.HTTPException as exc:
            _log.warning("could not remove an answer: %s %s", exc.status, exc.text)
            await apologize(interaction)


async def send_answer(
    interaction: discord.Interaction[Any], answer: Answer, state: BotState
) -> None:
    """Reply to an interaction with the answer embed and its buttons. An answer is for everyone
    to see; "did you mean" and "I don't know" only for the asker, so that a channel does not
    fill up with the bot's doubts (a picked choice is then answered for everyone)."""
    public = answer.answered
    asker = interaction.user.id if public else None
    moderators = await state.moderator_channel(interaction.guild_id) is not None
    view = answer_view(answer, state.settings.features.feedback_buttons, asker, moderators)
    await respond(
        interaction,
        ephemeral=not public,
        embed=answer_embed(answer),
        view=view or discord.utils.MISSING,
    )
