"""The Discord bot: intents, the no-mentions default, setup on start, errors, and running it."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.asking import answer_message
from adapters.discord.briefings import refresh_pinned, sync_pins
from adapters.discord.commands import register_commands
from adapters.discord.handoffs import (
    AnswerButton,
    AskModeratorButton,
    DismissButton,
    DraftButton,
)
from adapters.discord.help_forums import answer_forum_post
from adapters.discord.moderation import NotModerator, post_reload_errors
from adapters.discord.replies import APOLOGY, NO_MENTIONS, apologize, say
from adapters.discord.state import BotState
from adapters.discord.topics import QuestionMenu, SubjectMenu
from adapters.discord.views import FeedbackButton, RemoveButton, SuggestionButton
from bot.cooldown import cooldown_note
from bot.runtime import Runtime, build_runtime
from bot.service import ReloadResult
from bot.watch import in_event_loop
from config import Settings, SettingsError

__all__ = [
    "BOT_PERMISSIONS",
    "INTENTS",
    "FaqBot",
    "ShardedFaqBot",
    "bot_token",
    "build_bot",
    "create_bot",
    "invite_url",
    "run",
    "serve",
]

_log = logging.getLogger(__name__)


class _NoVoiceWarnings(logging.Filter):
    """This bot never joins voice, so discord.py's warnings about missing voice libraries are
    noise at every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


logging.getLogger("discord.client").addFilter(_NoVoiceWarnings())

TOKEN_VARIABLE = "DISCORD_TOKEN"
TOKEN_HELP = (
    "copy it from https://discord.com/developers/applications → your application → "
    "Bot → Reset Token, and set it in the environment or in .env"
)
# A bot token is three base64url parts joined by dots; anything else was pasted wrongly.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
NOT_ALLOWED_HERE = "You cannot use this command here."


def _intents() -> discord.Intents:
    # Only what the bot uses, and no privileged intent: slash commands, mentions of the bot and
    # direct messages carry their text without Message Content; guilds brings the channels and
    # the roles moderators hold. Typing, presences, reactions, voice and the rest stay off.
    return discord.Intents(guilds=True, guild_messages=True, dm_messages=True)


INTENTS = _intents()
# What the bot does in a channel: read it, reply with embeds (in threads too; a reply needs
# Read Message History), and pin briefings. Nothing else, so an invite asks for nothing else.
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
    pin_messages=True,
)
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with exactly the permissions it needs."""
    return discord.utils.oauth_url(
        application_id, permissions=BOT_PERMISSIONS, scopes=INVITE_SCOPES
    )


if TYPE_CHECKING:
    _BotBase = commands.Bot
else:
    _BotBase = object


class _FaqBotMixin(_BotBase):
    """What the plain and the sharded bot share; `faq` holds the runtime and cooldowns."""

    faq: BotState
    _stop_reload_calls: Callable[[], None] | None = None
    _background: set[asyncio.Task[None]]

    def _setup_faq(self, runtime: Runtime) -> None:
        self.faq = BotState(runtime)
        self._background = set()
        register_commands(self.tree)
        self.tree.error(_on_app_command_error)

    @property
    def runtime(self) -> Runtime:
        return self.faq.runtime

    async def setup_hook(self) -> None:
        # Dynamic items route clicks by custom_id, so buttons posted before a restart still work.
        self.add_dynamic_items(
            FeedbackButton,
            SuggestionButton,
            RemoveButton,
            SubjectMenu,
            QuestionMenu,
            AskModeratorButton,
            AnswerButton,
            DismissButton,
            DraftButton,
        )
        if self.application_id is not None:
            _log.info("add the bot to a server with %s", invite_url(self.application_id))
        await _sync_commands(self)
        self._stop_reload_calls = self.runtime.service.on_reload(
            in_event_loop(asyncio.get_running_loop(), self._on_reload)
        )
        # Knowledge may have changed while the bot was away.
        self._spawn(refresh_pinned(self))

    async def on_ready(self) -> None:
        # Once per (re)connection: the one line that says the bot is up.
        user = self.user
        _log.info(
            "Discord: connected as %s to %d server(s)",
            user.name if user else "?",
            len(self.guilds),
        )

    async def close(self) -> None:
        in_flight = self.faq.in_flight
        if not await in_flight.drain():
            _log.warning("Discord: %d answer(s) still in progress were cut", in_flight.running)
        _log.info("Discord: disconnecting")
        if self._stop_reload_calls is not None:
            self._stop_reload_calls()
            self._stop_reload_calls = None
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        try:
            async with self.faq.in_flight.track():
                await answer_message(self, message)
        except discord.HTTPException as exc:
            _log.warning(
                "could not answer message %s in channel %s: %s %s",
                message.id,
                message.channel.id,
                exc.status,
                exc.text,
            )
        except Exception:
            _log.exception("answering message %s failed", message.id)
            await _apologize_in_reply(message)

    async def on_thread_create(self, thread: discord.Thread) -> None:
        try:
            async with self.faq.in_flight.track():
                await answer_forum_post(self, thread)
        except discord.HTTPException as exc:
            _log.warning("could not answer post %s: %s %s", thread.id, exc.status, exc.text)
        except Exception:
            _log.exception("answering post %s failed", thread.id)

    async def on_guild_channel_pins_update(
        self, channel: discord.abc.GuildChannel | discord.Thread, last_pin: Any
    ) -> None:
        await sync_pins(self, channel.id)

    def _on_reload(self, result: ReloadResult) -> None:
        """Runs in the bot's event loop (see setup_hook) after each reload attempt."""
        if not self.is_closed():
            self._spawn(self._after_reload(result))

    async def _after_reload(self, result: ReloadResult) -> None:
        try:
            await post_reload_errors(self, result)  # it says nothing of a good reload
            if result.changed:
                await refresh_pinned(self)
        except Exception:  # the watcher's thread would never see this
            _log.exception("handling the knowledge reload on Discord failed")

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(_logged(coroutine))
        self._background.add(task)  # keep a reference until done, or it may be collected
        task.add_done_callback(self._background.discard)


async def _logged(coroutine: Coroutine[Any, Any, None]) -> None:
    try:
        await coroutine
    except Exception:  # a background task has no caller to tell
        _log.exception("background task failed")


async def _apologize_in_reply(message: discord.Message) -> None:
    try:
        await message.channel.send(
            APOLOGY,
            reference=message.to_reference(fail_if_not_exists=False),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException:
        _log.warning("could not send the apology for message %s", message.id)


class FaqBot(_FaqBotMixin, commands.Bot):
    """The bot for one connection (one shard): most communities."""

    def __init__(self, runtime: Runtime, **options: Any) -> None:
        commands.Bot.__init__(self, **_bot_options(options))
        self._setup_faq(runtime)


class ShardedFaqBot(_FaqBotMixin, commands.AutoShardedBot):
    """The bot with the shards Discord recommends: for very large communities."""

    def __init__(self, runtime: Runtime, **options: Any) -> None:
        commands.AutoShardedBot.__init__(self, **_bot_options(options))
        self._setup_faq(runtime)


def _bot_options(options: dict[str, Any]) -> dict[str, Any]:
    return {
        # Mentions are answered by on_message, never parsed as text commands.
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": INTENTS,
        "allowed_mentions": NO_MENTIONS,
        **options,
    }


def build_bot(runtime: Runtime, **options: Any) -> FaqBot | ShardedFaqBot:
    """The bot over a runtime; options go to discord.py (e.g. guild_ready_timeout)."""
    discord_settings = runtime.settings.discord
    if discord_settings.runs_shards:
        if discord_settings.shard_count is not None:
            options.setdefault("shard_count", discord_settings.shard_count)
        if discord_settings.shard_ids:
            options.setdefault("shard_ids", list(discord_settings.shard_ids))
        return ShardedFaqBot(runtime, **options)
    return FaqBot(runtime, **options)


def create_bot(settings: Settings | None = None) -> FaqBot | ShardedFaqBot:
    """The configured bot, not yet connected: the service and store come from the settings."""
    return build_bot(build_runtime(settings))


def bot_token(settings: Settings) -> str:
    """The bot token, or a SettingsError naming DISCORD_TOKEN (never showing its value)."""
    secret = settings.discord.token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise SettingsError(f"{TOKEN_VARIABLE} is not set: {TOKEN_HELP}.")
    if token.casefold().startswith("bot "):
        raise SettingsError(f"{TOKEN_VARIABLE} must hold the token alone, without 'Bot '.")
    if not _TOKEN_SHAPE.fullmatch(token):
        raise SettingsError(
            f"{TOKEN_VARIABLE} does not look like a bot token (three parts "
            f"joined by dots): {TOKEN_HELP}."
        )
    return token


async def serve(bot: FaqBot | ShardedFaqBot) -> None:
    """Log in, connect and handle events until cancelled; the bot is closed on the way out."""
    token = bot_token(bot.runtime.settings)
    async with bot:
        try:
            await bot.start(token)
        except discord.LoginFailure:
            raise SettingsError(
                f"Discord rejected {TOKEN_VARIABLE} (401 Unauthorized): it was "
                f"reset or mistyped; {TOKEN_HELP}."
            ) from None


async def run(runtime: Runtime) -> None:
    """Run the Discord bot over a runtime until cancelled."""
    await serve(build_bot(runtime))


async def _sync_commands(bot: _FaqBotMixin) -> None:
    guild_id = bot.runtime.settings.discord.guild_id
    try:
        if guild_id is not None:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            _log.info("synced %d slash commands to server %s", len(synced), guild_id)
        else:
            synced = await bot.tree.sync()
            _log.info("synced %d slash commands globally", len(synced))
    except discord.HTTPException as exc:
        # 403 here means the bot was invited without the applications.commands scope.
        _log.error(
            "could not sync slash commands (%s %s); existing commands keep working. "
            "Check that the invite included the applications.commands scope.",
            exc.status,
            exc.text,
        )


async def _on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """Refusals are told to the user; anything else is logged and apologised for."""
    if not isinstance(error, app_commands.CheckFailure):
        name = interaction.command.qualified_name if interaction.command else "?"
        _log.error("command /%s failed", name, exc_info=error)
        await apologize(interaction)
        return
    if isinstance(error, app_commands.CommandOnCooldown):
        note = cooldown_note(error.retry_after)
    else:
        note = str(error) if isinstance(error, NotModerator) else NOT_ALLOWED_HERE
    try:
        await say(interaction, note)
    except discord.HTTPException as exc:
        _log.warning(
            "could not tell a user why /%s was refused: %s %s",
            interaction.command.qualified_name if interaction.command else "?",
            exc.status,
            exc.text,
        )
