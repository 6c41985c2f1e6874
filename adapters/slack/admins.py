"""Who administers a Slack workspace: its admins and owners moderate the bot there, so that a
workspace whose installer left can still name its moderators."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.delivery import NETWORK_ERRORS, error_code

__all__ = ["ADMIN_MEMORY_SECONDS", "WorkspaceAdmins"]

_log = logging.getLogger(__name__)

# How long Slack's answer about a member is trusted: a demoted admin loses the moderator
# tools within this time, and a busy moderator costs one users.info call per period.
ADMIN_MEMORY_SECONDS = 300.0


class WorkspaceAdmins:
    """Asks Slack (users.info) whether a member is an admin or owner, and remembers it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._known: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_admin(self, client: AsyncWebClient, workspace: str, user: str) -> bool:
        key, now = (workspace, user), self._clock()
        known = self._known.get(key)
        if known is not None and now - known[0] < ADMIN_MEMORY_SECONDS:
            return known[1]
        try:
            response = await client.users_info(user=user)
        except (SlackApiError, SlackClientError, *NETWORK_ERRORS) as exc:
            # missing_scope: an app installed before it asked for users:read
            error = error_code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
            _log.warning(
                "could not ask Slack whether %s administers %s: %s", user, workspace, error
            )
            return False  # not remembered: the next check asks again
        member = response.get("user") or {}
        admin = bool(member.get("is_admin") or member.get("is_owner"))
        self._known[key] = (now, admin)
        return admin
