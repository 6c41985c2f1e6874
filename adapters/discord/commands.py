"""The slash commands, registered thinly: each one parses its options and calls its handler."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.asking import answer_command, check_cooldown, suggest_questions
from adapters.discord.briefings import (
    briefing_command,
    default_briefing_command,
    suggest_briefings,
)
from adapters.discord.help_forums import help_forum_command
from adapters.discord.moderation import (
    moderator_channel_command,
    moderator_role_command,
    moderators_only,
    reload_command,
    report_command,
)
from adapters.discord.state import state_of
from adapters.discord.topics import topics_command
from bot.service import MAX_QUESTION_CHARS

__all__ = ["register_commands"]

Interaction = discord.Interaction[Any]
# Report windows and table sizes a moderator may ask for; the CLI has no such limits.
MAX_REPORT_DAYS = 365
MAX_REPORT_ROWS = 50


def register_commands(tree: app_commands.CommandTree[Any]) -> None:
    """/ask, /topics, /briefing, and the moderators' /faq reload and /faq report."""

    @tree.command(name="ask", description="Ask a question; the answer cites its source.")
    @app_commands.describe(question="Your question in plain words, or pick a known one")
    @app_commands.check(check_cooldown)
    async def ask(
        interaction: Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]
    ) -> None:
        async with state_of(interaction.client).in_flight.track():
            await answer_command(interaction, question)

    @ask.autocomplete("question")
    async def ask_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await suggest_questions(interaction, current)

    @tree.command(name="topics", description="What the bot knows: pick a subject, then a question.")
    async def topics(interaction: Interaction) -> None:
        await topics_command(interaction)

    @tree.command(name="briefing", description="Post the key facts, each with its source.")
    @app_commands.describe(
        name="Which briefing (the server's default if left out)",
        pin="Pin it and keep it up to date (moderators only)",
    )
    async def briefing(
        interaction: Interaction, name: str | None = None, pin: bool = False
    ) -> None:
        await briefing_command(interaction, name, pin)

    @briefing.autocomplete("name")
    async def briefing_choices(
        interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await suggest_briefings(interaction, current)

    faq = app_commands.Group(
        name="faq",
        description="Moderator tools for the FAQ bot.",
        guild_only=True,
        # Hidden from members without Manage Server until an admin changes it in the server's
        # Integrations settings; the moderator check below still runs on every use.
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @faq.command(name="reload", description="Reload the knowledge files now.")
    @moderators_only()
    async def reload(interaction: Interaction) -> None:
        await reload_command(interaction)

    @faq.command(name="report", description="Unanswered questions and unhelpful answers.")
    @app_commands.describe(
        days="How many days back (default 7)", limit="Rows per table (default 10)"
    )
    @moderators_only()
    async def report(
        interaction: Interaction,
        days: app_commands.Range[int, 1, MAX_REPORT_DAYS] = 7,
        limit: app_commands.Range[int, 1, MAX_REPORT_ROWS] = 10,
    ) -> None:
        await report_command(interaction, days, limit)

    @faq.command(
        name="help-forum",
        description="Answer new posts of this forum from their titles (run it in a post).",
    )
    @app_commands.describe(on="On (default) to answer new posts, off to stop")
    @moderators_only()
    async def help_forum(interaction: Interaction, on: bool = True) -> None:
        await help_forum_command(interaction, on)

    @faq.command(
        name="moderator-channel",
        description="Send questions passed to the moderators to this channel (run it there).",
    )
    @app_commands.describe(on="On (default) to use this channel, off to go back to the default")
    @moderators_only()
    async def moderator_channel(interaction: Interaction, on: bool = True) -> None:
        await moderator_channel_command(interaction, on)

    @faq.command(name="moderator-role", description="Let members with a role moderate this server.")
    @app_commands.describe(
        role="The role", on="On (default) to make it a moderator role, off to stop"
    )
    @moderators_only()
    async def moderator_role(interaction: Interaction, role: discord.Role, on: bool = True) -> None:
        await moderator_role_command(interaction, role, on)

    @faq.command(
        name="default-briefing", description="Choose the briefing /briefing alone posts here."
    )
    @app_commands.describe(name="Which briefing; leave out to go back to the knowledge's choice")
    @moderators_only()
    async def default_briefing(interaction: Interaction, name: str | None = None) -> None:
        await default_briefing_command(interaction, name)

    @default_briefing.autocomplete("name")
    async def default_briefing_choices(
        interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await suggest_briefings(interaction, current)

    tree.add_command(faq)
