"""Ask a moderator, on Discord: the asker's button under "I don't know" or "did you mean", the
notice in the moderators' channel with Answer and Dismiss, the answer form (a modal: no
message content needed), and the reply sent to the asker by direct message (or, when their
DMs are closed, in the channel where they asked, pinging only them)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any, ClassVar, Self

import discord

from adapters.discord.moderation import REFUSAL, is_moderator
from adapters.discord.replies import NO_MENTIONS, PLATFORM, apologize, say
from adapters.discord.state import BotState, state_of
from bot.drafts import save_draft
from bot.handoffs import (
    ANSWERED,
    DISMISSED,
    HANDOFFS_PER_HOUR,
    OPEN,
    Handoff,
    asked_text,
    new_handoff,
    reply_text,
)
from bot.textfit import shorten

__all__ = ["AnswerButton", "AskModeratorButton", "DismissButton", "DraftButton"]

_log = logging.getLogger(__name__)

ASK_PREFIX = "faq:askmod"
ANSWER_PREFIX = "faq:hoans"
DISMISS_PREFIX = "faq:hodis"
DRAFT_PREFIX = "faq:hodraft"
HOUR = 3600.0
MAX_CONTENT = 2000
MAX_REPLY = 1800  # what a moderator may write: the reply and its heading fit one message
NO_CHANNEL = "There is no moderators' channel set up here, so I cannot pass questions on."
TOO_MANY = "You have asked the moderators several times this hour; please wait a little."
PASSED_ON = "I asked the moderators. Their answer will come to you by direct message."
NOT_PASSED = "I could not pass it on; please try again later."
GONE = "This question was handled already."
NO_DRAFT = "I could not write the draft: the knowledge folder is not writable for the bot."
DRAFT_SAVED = (
    "Saved as a draft: {}. It is not served until a moderator moves it into the knowledge "
    "(and `python -m bot knowledge check` passes)."
)


class AskModeratorButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ASK_PREFIX):
    """Under "I don't know" and "did you mean": pass the question on to the moderators."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label="Ask a moderator", style=discord.ButtonStyle.secondary, custom_id=ASK_PREFIX
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> AskModeratorButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        async with state.in_flight.track():
            try:
                await _ask(interaction, state)
            except Exception:
                _log.exception("passing a question to the moderators failed")
                await apologize(interaction)


async def _ask(interaction: discord.Interaction[Any], state: BotState) -> None:
    moderators = await state.moderator_channel(interaction.guild_id)
    if moderators is None:
        await say(interaction, NO_CHANNEL)
        return
    user = str(interaction.user.id)
    since = time.time() - HOUR
    count = await asyncio.to_thread(state.store.handoffs_since, PLATFORM, user, since)
    if count >= HANDOFFS_PER_HOUR:
        await say(interaction, TOO_MANY)
        return
    # The question is the title of the answer the button sits under.
    embeds = interaction.message.embeds if interaction.message else []
    question = (embeds[0].title or "") if embeds else ""
    if not question:
        await say(interaction, NOT_PASSED)
        return
    workspace = str(interaction.guild_id or "")
    channel = str(interaction.channel_id or "")
    handoff = new_handoff(PLATFORM, workspace, channel, "", user, question, time.time())
    if not await asyncio.to_thread(state.store.add_handoff, handoff):
        await say(interaction, NOT_PASSED)
        return
    target = interaction.client.get_partial_messageable(moderators)
    try:
        notice = await target.send(
            _notice_text(handoff, interaction.user.display_name),
            view=_notice_view(handoff.id),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException as exc:
        _log.warning("could not post hand-off %s: %s %s", handoff.id, exc.status, exc.text)
        await say(interaction, NOT_PASSED)
        return
    await asyncio.to_thread(
        state.store.set_handoff_notice, handoff.id, str(moderators), str(notice.id)
    )
    await say(interaction, PASSED_ON)


def _notice_text(handoff: Handoff, asker: str, state_line: str = "") -> str:
    where = f"<#{handoff.channel}>" if handoff.channel and handoff.workspace else "a DM"
    text = f"{asked_text(handoff)}\n(asked by {asker} in {where})"
    if state_line:
        text += f"\n**{state_line}**"
    return shorten(text, MAX_CONTENT)


def _notice_view(handoff_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(handoff_id))
    view.add_item(DismissButton(handoff_id))
    return view


async def _clicked_handoff(
    interaction: discord.Interaction[Any],
    state: BotState,
    handoff_id: str,
    action: str,
    status: str = OPEN,
) -> Handoff | None:
    """The hand-off a moderator acts on, when it is in `status`; or None (the user told why,
    a refusal logged)."""
    if not is_moderator(interaction, state.settings):
        _log.warning("refused to let %s %s a hand-off", interaction.user.id, action)
        await say(interaction, REFUSAL)
        return None
    handoff = await asyncio.to_thread(state.store.handoff, handoff_id)
    if handoff is None or handoff.status != status:
        await say(interaction, GONE)
        return None
    return handoff


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
        state = state_of(interaction.client)
        handoff = await _clicked_handoff(interaction, state, self.handoff_id, "answer")
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
        state = state_of(interaction.client)
        handoff, text = self.handoff, str(self.reply.value).strip()
        moderator = interaction.user
        closed = await asyncio.to_thread(
            state.store.close_handoff, handoff.id, ANSWERED, text, str(moderator.id)
        )
        if not closed:
            await say(interaction, GONE)
            return
        # The form is answered first: Discord waits three seconds at most for it.
        line = f"Answered by {moderator.display_name}: {text}"
        view = discord.ui.View(timeout=None)
        view.add_item(DraftButton(handoff.id))
        await interaction.response.edit_message(
            content=_notice_text(handoff, handoff.user, line), view=view
        )
        await _deliver(interaction.client, handoff, text)


class DismissButton(
    _HandoffButton,
    template=rf"{DISMISS_PREFIX}:(?P<id>[0-9a-f]+)",
):
    """A moderator's Dismiss: the question is closed without a reply."""

    prefix = DISMISS_PREFIX
    button_label = "Dismiss"
    button_style = discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        handoff = await _clicked_handoff(interaction, state, self.handoff_id, "dismiss")
        if handoff is None:
            return
        moderator = interaction.user
        await asyncio.to_thread(
            state.store.close_handoff, handoff.id, DISMISSED, "", str(moderator.id)
        )
        line = f"Dismissed by {moderator.display_name}."
        await interaction.response.edit_message(
            content=_notice_text(handoff, handoff.user, line), view=None
        )


class DraftButton(
    _HandoffButton,
    template=rf"{DRAFT_PREFIX}:(?P<id>[0-9a-f]+)",
):
    """After an answer: save it as a draft entry for the knowledge (moderators only)."""

    prefix = DRAFT_PREFIX
    button_label = "Save as a draft entry"
    button_style = discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        state = state_of(interaction.client)
        handoff = await _clicked_handoff(interaction, state, self.handoff_id, "draft", ANSWERED)
        if handoff is None:
            return
        knowledge = Path(state.settings.knowledge.dir)
        author = interaction.user.display_name
        try:
            draft = await asyncio.to_thread(save_draft, knowledge, handoff, author, time.time())
        except OSError as exc:
            _log.warning("could not save a draft for hand-off %s: %s", handoff.id, exc.strerror)
            await say(interaction, NO_DRAFT)
            return
        shown = draft.relative_to(knowledge.parent).as_posix()
        await say(interaction, DRAFT_SAVED.format(shown))
        if interaction.message is not None:  # saved once: the button goes
            try:
                await interaction.message.edit(view=None)
            except discord.HTTPException as exc:
                _log.info("could not remove the draft button: %s", exc.status)


async def _deliver(client: discord.Client, handoff: Handoff, reply: str) -> None:
    """The reply by direct message; where DMs are closed, in the channel, pinging the asker."""
    text = shorten(reply_text(handoff, reply), MAX_CONTENT - 30)
    user = int(handoff.user)
    try:
        asker = client.get_user(user) or await client.fetch_user(user)
        await asker.send(text, allowed_mentions=NO_MENTIONS)
        return
    except discord.HTTPException as exc:
        _log.info("could not DM the answer to hand-off %s (%s)", handoff.id, exc.status)
    if not handoff.channel:
        return
    only_them = discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(user)])
    try:
        channel = client.get_partial_messageable(int(handoff.channel))
        await channel.send(f"<@{user}> {text}", allowed_mentions=only_them)
    except discord.HTTPException as exc:
        _log.warning("could not deliver hand-off %s: %s %s", handoff.id, exc.status, exc.text)
