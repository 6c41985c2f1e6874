"""Moderators' commands and notices: who counts as a moderator, /faq reload, /faq report, and
knowledge errors sent to the moderators' channel."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.replies import MAX_CONTENT, NO_MENTIONS, respond, say
from adapters.discord.state import state_of
from bot.reload_notices import reload_headline, reload_problems
from bot.reporting import build_report, render_report_text
from bot.service import ReloadResult
from bot.textfit import split_text
from bot.workspace_settings import MODERATOR_CHANNEL, MODERATOR_ROLES

__all__ = [
    "NotModerator",
    "code_blocks",
    "is_moderator",
    "moderator_channel_command",
    "moderator_role_command",
    "moderators_only",
    "post_reload_errors",
    "reload_command",
    "reload_summary",
    "report_command",
    "save_server_setting",
]

_log = logging.getLogger(__name__)

# A report or an error list longer than this many messages is cut, with a pointer to the CLI.
MAX_REPORT_MESSAGES = 5
MAX_ERROR_MESSAGES = 3
FENCE = "```"
# A fence inside the text would end the monospace block early; a zero-width space breaks it.
BROKEN_FENCE = "`\u200b`\u200b`"

REFUSAL = "Only moderators can do that (a moderator role, or the Manage Server permission)."


class NotModerator(app_commands.CheckFailure):
    """The user who invoked a moderator command is not a moderator."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


async def is_moderator(interaction: discord.Interaction[Any]) -> bool:
    """A member with Manage Server, or with a moderator role: one of DISCORD_MODERATOR_ROLES
    or of the roles this server's moderators added."""
    user = interaction.user
    if not isinstance(user, discord.Member):  # direct messages have no moderators
        return False
    if interaction.permissions.manage_guild:
        return True
    roles = await state_of(interaction.client).moderator_roles(interaction.guild_id)
    return any(str(role.id) in roles for role in user.roles)


def moderators_only() -> Any:
    """An app-command check: refuse anyone who is not a moderator (see is_moderator)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if not await is_moderator(interaction):
            raise NotModerator()
        return True

    return app_commands.check(predicate)


def code_blocks(heading: str, text: str, max_messages: int, more: str) -> list[str]:
    """The heading, then text in monospace blocks, each message within Discord's limit."""
    room = MAX_CONTENT - len(heading) - 2 * len(FENCE) - 3
    pieces = split_text(text.replace(FENCE, BROKEN_FENCE), room) or [" "]
    messages = [f"{FENCE}\n{piece}\n{FENCE}" for piece in pieces[:max_messages]]
    messages[0] = f"{heading}\n{messages[0]}"
    if len(pieces) > max_messages:
        messages.append(more)
    return messages


def reload_summary(result: ReloadResult) -> list[str]:
    if result.ok:
        return [reload_headline(result)]
    more = "More problems are not shown here: run `python -m bot knowledge check`."
    return code_blocks(reload_headline(result), reload_problems(result), MAX_ERROR_MESSAGES, more)


async def reload_command(interaction: discord.Interaction[Any]) -> None:
    """/faq reload: load the knowledge files now and say what happened."""
    state = state_of(interaction.client)
    await interaction.response.defer(ephemeral=True, thinking=True)
    # The same path the file watcher takes: reload off the event loop, listeners notified.
    result = await asyncio.to_thread(state.service.reload)
    for text in reload_summary(result):
        await respond(interaction, ephemeral=True, content=text)


async def report_command(interaction: discord.Interaction[Any], days: int, limit: int) -> None:
    """/faq report: unanswered questions, unhelpful answers and entry use, for moderators."""
    state = state_of(interaction.client)
    await interaction.response.defer(ephemeral=True, thinking=True)
    report = await asyncio.to_thread(
        build_report,
        state.store,
        state.service.library,
        days,
        limit,
        knowledge=state.settings.knowledge.dir,
    )
    more = "The report goes on: run `python -m bot report` for all of it."
    for text in code_blocks(
        f"**FAQ report, last {days} day(s)**", render_report_text(report), MAX_REPORT_MESSAGES, more
    ):
        await respond(interaction, ephemeral=True, content=text)


async def post_reload_errors(client: discord.Client, result: ReloadResult) -> None:
    """Tell the moderators' channel of every server the bot is in (the one each chose with
    /faq moderator-channel, else DISCORD_MODERATOR_CHANNEL_ID) what is wrong with the
    knowledge after a failed reload, once for each distinct set of problems."""
    state = state_of(client)
    if not state.reload_notices.worth_telling(result):
        return
    chosen = [await state.moderator_channel(guild.id) for guild in client.guilds]
    channels = sorted({channel for channel in chosen if channel is not None})
    default = state.settings.discord.moderator_channel_id
    if not channels and default is not None:
        channels = [default]  # no server seen yet
    if not channels:
        _log.warning(
            "knowledge reload failed, and no server has a moderators' channel "
            "(DISCORD_MODERATOR_CHANNEL_ID or /faq moderator-channel), so no moderator is told "
            "on Discord"
        )
        return
    texts = reload_summary(result)
    for channel_id in channels:
        channel = client.get_partial_messageable(channel_id)
        try:
            for text in texts:
                await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            _log.warning(
                "could not post knowledge errors to channel %s: %s %s",
                channel_id,
                exc.status,
                exc.text,
            )


CHANNEL_SET = (
    "Questions people pass to the moderators (Ask a moderator) now come to this channel, with "
    "Answer and Dismiss buttons, and so do problems found in the knowledge files when they are "
    "reloaded. I need to be able to send messages here."
)
CHANNEL_CLEARED = "Questions passed to the moderators go to the bot's default channel again."
NO_CHANNEL_LEFT = "Questions can no longer be passed to the moderators: no channel is set."
NOT_SAVED = "I could not save that (the bot's database is unavailable); try again later."
EVERYONE_REFUSED = "@everyone cannot be a moderator role: choose a role only moderators have."


async def save_server_setting(
    interaction: discord.Interaction[Any], name: str, value: str | None
) -> bool:
    """Keep one of this server's settings (None: back to the default); when the store cannot
    save it, tell the moderator and return False."""
    state = state_of(interaction.client)
    saved = await asyncio.to_thread(
        state.workspace_settings.set,
        str(interaction.guild_id or ""),
        name,
        value,
        str(interaction.user.id),
    )
    if not saved:
        await say(interaction, NOT_SAVED)
    return saved


async def moderator_channel_command(interaction: discord.Interaction[Any], on: bool) -> None:
    """/faq moderator-channel: this server's hand-offs come to this channel (or, off, go back
    to DISCORD_MODERATOR_CHANNEL_ID)."""
    state = state_of(interaction.client)
    server = str(interaction.guild_id or "")
    channel = str(interaction.channel_id or "") if on else None
    if not await save_server_setting(interaction, MODERATOR_CHANNEL, channel):
        return
    _log.info("moderators' channel of server %s set to %s", server, channel or "the default")
    if on:
        await say(interaction, CHANNEL_SET)
    elif state.settings.discord.moderator_channel_id:
        await say(interaction, CHANNEL_CLEARED)
    else:
        await say(interaction, NO_CHANNEL_LEFT)


async def moderator_role_command(
    interaction: discord.Interaction[Any], role: discord.Role, on: bool
) -> None:
    """/faq moderator-role: members with this role moderate this server (on:False: no more)."""
    state = state_of(interaction.client)
    if on and role.is_default():
        await say(interaction, EVERYONE_REFUSED)
        return
    server = str(interaction.guild_id or "")
    role_id = [str(role.id)]
    changed = await asyncio.to_thread(
        state.workspace_settings.change_list,
        server,
        MODERATOR_ROLES,
        str(interaction.user.id),
        role_id if on else (),
        () if on else role_id,
    )
    if changed is None:
        await say(interaction, NOT_SAVED)
        return
    _log.info("moderator roles of server %s: %s", server, ",".join(changed) or "none")
    everywhere = set(state.settings.discord.moderator_roles)
    shown = ", ".join(f"<@&{r}>" for r in dict.fromkeys([*everywhere, *changed])) or "none"
    kept = " It stays one: DISCORD_MODERATOR_ROLES names it." if str(role.id) in everywhere else ""
    done = "now moderate" if on else "no longer moderate"
    await say(
        interaction,
        f"Members with <@&{role.id}> {done} this server.{kept if not on else ''} "
        f"Moderator roles here: {shown} (and everyone with Manage Server).",
    )
