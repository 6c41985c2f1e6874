"""The Discord adapter: slash commands, mentions and DMs answered with cited embeds."""

from __future__ import annotations

from adapters.discord.bot import (
    FaqBot,
    ShardedFaqBot,
    build_bot,
    create_bot,
    invite_url,
    run,
    serve,
)

__all__ = ["FaqBot", "ShardedFaqBot", "build_bot", "create_bot", "invite_url", "run", "serve"]
