"""Ask a moderator, on Discord: the asker's button under "I don't know" or "did you mean", the
notice in the moderators' channel with Answer and Dismiss, the answer form (a modal: no
message content needed), and the reply sent to the asker by direct message (or, when their
DMs are closed, in the channel where they asked, pinging only them)."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import discord

from adapters.discord.moderation import REFUSAL, is_moderator
from adapters.discord.replies import NO_MENTIONS, PLATFORM, apologize, say
from adapters.discord.state import BotState, state_of
from bot.handoff_desk import Asked, HandoffDesk
from bot.handoffs import Handoff, asked_text
from bot.textfit import shorten

__all__ = ["AnswerButton", "AskModeratorButton", "DismissButton", "DraftButton"]

_log = logging.getLogger(__name__)

ASK_PREFIX = "faq:askmod"
ANSWER_PREFIX = "faq:hoans"
DISMISS_PREFIX = "faq:hodis"
DRAFT_PREFIX = "faq:hodraft"
MAX_CONTENT = 2000
MAX_REPLY = 1800  # what a moderator may write: the reply and its heading fit one message
PASSED_ON = "I asked the moderators. Their answer will come to you by direct message."


class AskModeratorButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{ASK_PREFIX}(?::(?P<answer_id>[0-9a-f]+))?",
):
    """Under "I don't know" and "did you mean": pass the question on to the moderators. It
    carries the answer's id, by which the question's full words are read back from the log
    (the reply's title holds at most 256 characters of them)."""

    def __init__(self, answer_id: str = "") -> None:
        custom_id = f"{ASK_PREFIX}:{answer_id}" if answer_id else ASK_PREFIX
        super().__init__(
            discord.ui.Button(
                label="Ask a moderator", style=discord.ButtonStyle.secondary, custom_id=custom_id
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> AskModeratorButton:
        return cls(match["answer_id"] or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        async with state.in_flight.track():
            try:
                await _ask(interaction, state, self.answer_id)
            except Exception:
                _log.exception("passing a question to the moderators failed")
                await apologize(interaction)


async def _ask(interaction: discord.Interaction[Any], state: BotState, answer_id: str) -> None:
    # Acknowledged at once, privately: passing the question on reads and writes the store
    # and posts in the moderators' channel, which a rate limit may hold past the 3 seconds
    # Discord allows a first response. What to tell the asker follows as a follow-up.
    await interaction.response.defer(ephemeral=True, thinking=True)
    # The question's words as logged, else the title of the answer the button sits under
    # (a button from before answer ids were carried, or a log that keeps no text).
    logged = await asyncio.to_thread(state.store.question_text, answer_id) if answer_id else None
    embeds = interaction.message.embeds if interaction.message else []
    question = logged or ((embeds[0].title or "") if embeds else "")
    asked = Asked(
        str(interaction.guild_id or ""),
        str(interaction.channel_id or ""),
        "",
        str(interaction.user.id),
        question,
    )
    await state.runtime.handoffs.pass_on(DiscordHandoffs(interaction, state), asked)


def _desk(interaction: discord.Interaction[Any]) -> tuple[HandoffDesk, DiscordHandoffs]:
    """The core's hand-off desk, and Discord as it sees it for this interaction."""
    state = state_of(interaction.client)
    return state.runtime.handoffs, DiscordHandoffs(interaction, state)


@dataclass
class DiscordHandoffs:
    """The hand-off desk's view of Discord for one interaction (bot.handoff_desk)."""

    interaction: discord.Interaction[Any]
    state: BotState
    platform: str = PLATFORM
    passed_on: str = PASSED_ON

    async def shown_name(self, user: str) -> str:
        return f"<@{user}>"  # shows the member's name; NO_MENTIONS keeps it from pinging

    async def moderators_channel(self) -> str | None:
        channel = await self.state.moderator_channel(self.interaction.guild_id)
        return str(channel) if channel is not None else None

    async def is_moderator(self) -> bool:
        return await is_moderator(self.interaction)

    async def refuse(self, what: str) -> None:
        await say(self.interaction, REFUSAL)

    async def tell(self, text: str) -> None:
        await say(self.interaction, text)

    async def post_notice(self, channel: str, handoff: Handoff) -> str | None:
        target = self.interaction.client.get_partial_messageable(int(channel))
        try:
            notice = await target.send(
                _notice_text(handoff), view=_notice_view(handoff.id), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as exc:
            _log.warning("could not post hand-off %s: %s %s", handoff.id, exc.status, exc.text)
            return None
        return str(notice.id)

    async def show_outcome(self, handoff: Handoff, outcome: str, *, can_draft: bool) -> None:
        view = discord.ui.View(timeout=None)
        if can_draft:
            view.add_item(DraftButton(handoff.id))
        fields: dict[str, Any] = {
            "content": _notice_text(handoff, outcome),
            "view": view if can_draft else None,
            "allowed_mentions": NO_MENTIONS,
        }
        try:
            if not self.interaction.response.is_done():  # a click or a form on the notice
                await self.interaction.response.edit_message(**fields)
            elif handoff.notice_channel and handoff.notice_ref:
                channel = self.interaction.client.get_partial_messageable(
                    int(handoff.notice_channel)
                )
                await channel.get_partial_message(int(handoff.notice_ref)).edit(**fields)
        except discord.HTTPException as exc:
            _log.info("could not edit the notice of hand-off %s: %s", handoff.id, exc.status)

    async def deliver(self, handoff: Handoff, text: str) -> bool:
        return await _deliver(self.interaction.client, handoff, text)


def _notice_text(handoff: Handoff, outcome: str = "") -> str:
    where = f"<#{handoff.channel}>" if handoff.channel and handoff.workspace else "a DM"
    text = f"{asked_text(handoff)}\n(asked by <@{handoff.user}> in {where})"
    if outcome:
        text += f"\n**{outcome}**"
    return shorten(text, MAX_CONTENT)


def _notice_view(handoff_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(handoff_id))
    view.add_item(DismissButton(handoff_id))
    return view


class _HandoffButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"faq:ho:(?P<id>[0-9a-f]+)",  # each button below names its own
):
    """A button on the moderators' notice of one hand-off, working after a restart too."""

    prefix: ClassVar[str]
    button_label: ClassVar[str]
    button_style: ClassVar[discord.ButtonStyle]

    def __init__(self, handoff_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.button_label,
                style=self.button_style,
                custom_id=f"{self.prefix}:{handoff_id}",
            )
        )
        self.handoff_id = handoff_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["id"])


class AnswerButton(
    _HandoffButton,
    template=rf"{ANSWER_PREFIX}:(?P<id>[0-9a-f]+)",
):
    """A moderator's Answer: opens the form to write the reply in."""

    prefix = ANSWER_PREFIX
    button_label = "Answer"
    button_style = discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        desk, platform = _desk(interaction)
        handoff = await desk.to_answer(platform, self.handoff_id)
        if handoff is not None:
            await interaction.response.send_modal(AnswerForm(handoff))


class AnswerForm(discord.ui.Modal, title="Answer the question"):
    reply: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your answer", style=discord.TextStyle.paragraph, max_length=MAX_REPLY
    )

    def __init__(self, handoff: Handoff) -> None:
        super().__init__(custom_id=f"faq:hoform:{handoff.id}")
        self.handoff = handoff

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        desk, platform = _desk(interaction)
        moderator = str(interaction.user.id)
        await desk.answer(platform, self.handoff.id, moderator, str(self.reply.value))


class DismissButton(
    _HandoffButton,
    template=rf"{DISMISS_PREFIX}:(?P<id>[0-9a-f]+)",
):
    """A moderator's Dismiss: the question is closed without a reply."""

    prefix = DISMISS_PREFIX
    button_label = "Dismiss"
    button_style = discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        desk, platform = _desk(interaction)
        await desk.dismiss(platform, self.handoff_id, str(interaction.user.id))


class DraftButton(
    _HandoffButton,
    template=rf"{DRAFT_PREFIX}:(?P<id>[0-9a-f]+)",
):
    """After an answer: save it as a draft entry for the knowledge (moderators only)."""

    prefix = DRAFT_PREFIX
    button_label = "Save as a draft entry"
    button_style = discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        desk, platform = _desk(interaction)
        moderator, author = str(interaction.user.id), interaction.user.display_name
        await desk.save_as_draft(platform, self.handoff_id, moderator, author)


async def _deliver(client: discord.Client, handoff: Handoff, text: str) -> bool:
    """The reply by direct message; where DMs are closed, in the channel, pinging the asker."""
    text = shorten(text, MAX_CONTENT - 30)
    user = int(handoff.user)
    try:
        asker = client.get_user(user) or await client.fetch_user(user)
        await asker.send(text, allowed_mentions=NO_MENTIONS)
        return True
    except discord.HTTPException as exc:
        _log.info("could not DM the answer to hand-off %s (%s)", handoff.id, exc.status)
    if not handoff.channel:
        return False
    only_them = discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(user)])
    try:
        channel = client.get_partial_messageable(int(handoff.channel))
        await channel.send(f"<@{user}> {text}", allowed_mentions=only_them)
    except discord.HTTPException as exc:
        _log.warning("could not deliver hand-off %s: %s %s", handoff.id, exc.status, exc.text)
        return False
    return True
