"""Slack OAuth on the bot's own store: where each workspace's installation (its bot token) and
the short-lived OAuth states live, so that every replica can answer every workspace.

Bolt calls these through its installation-store and state-store interfaces. Only the bot
part of an installation is kept: the bot acts as itself, never as the installing user.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.state import PLATFORM
from bot.store import Store
from bot.workspace_settings import MODERATORS

__all__ = ["BOT_SCOPES", "OAUTH_STATE_SECONDS", "StoreInstallations", "StoreOAuthStates"]

_log = logging.getLogger(__name__)

# What a workspace grants on install: the manifest's bot scopes (tests keep the two equal).
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "chat:write",
    "commands",
    "groups:history",
    "im:history",
    "im:write",
    "pins:write",
    "users:read",
)
# How long an "Add to Slack" link stays usable: Slack's own examples use ten minutes.
OAUTH_STATE_SECONDS = 600.0
_STATE_KIND = "slack-oauth-state"


def _key(enterprise_id: str | None, team_id: str | None) -> tuple[str, str]:
    return enterprise_id or "", team_id or ""


class StoreInstallations(AsyncInstallationStore):
    """Bot installations per workspace (or Enterprise Grid org), in the store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def logger(self) -> logging.Logger:
        return _log

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())
        team = None if installation.is_enterprise_install else installation.team_id
        if installation.user_id:  # whoever installed it can then name the others
            await asyncio.to_thread(
                _first_moderator, self._store, _key(installation.enterprise_id, team)[1],
                installation.user_id,
            )  # fmt: skip

    async def async_save_bot(self, bot: Bot) -> None:
        key = _key(bot.enterprise_id, None if bot.is_enterprise_install else bot.team_id)
        saved = await asyncio.to_thread(
            self._store.save_installation, *key, json.dumps(bot.__dict__)
        )
        if not saved:  # Bolt then shows the installer its failure page
            raise RuntimeError("the installation could not be saved")
        _log.info("Slack: installed in workspace %s", key[1] or key[0])

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = _key(enterprise_id, None if is_enterprise_install else team_id)
        data = await asyncio.to_thread(self._store.installation, *key)
        return None if data is None else Bot(**json.loads(data))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        key = _key(enterprise_id, team_id)
        if await asyncio.to_thread(self._store.delete_installation, *key):
            _log.info("Slack: uninstalled from workspace %s", key[1] or key[0])

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # a user's own token: none is kept
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


def _first_moderator(store: Store, workspace: str, user: str) -> None:
    """The installer moderates a workspace that has no moderators of its own yet."""
    if not store.workspace_setting(PLATFORM, workspace, MODERATORS):
        store.set_workspace_setting(PLATFORM, workspace, MODERATORS, user, user)


class StoreOAuthStates(AsyncOAuthStateStore):
    """One-time states of the install flow (against forged redirects), kept in the store so
    that the redirect may reach another replica than the one that served the install page."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def logger(self) -> logging.Logger:
        return _log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await asyncio.to_thread(self._store.claim, _STATE_KIND, state, OAUTH_STATE_SECONDS)
        return state

    async def async_consume(self, state: str) -> bool:
        return bool(state) and await asyncio.to_thread(self._store.consume, _STATE_KIND, state)
