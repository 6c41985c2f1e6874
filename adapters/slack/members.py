"""What Slack says about a workspace's members (users.info), remembered for a while: whether
one is an admin or owner (who moderate their workspace, so that a workspace whose installer
left can still name its moderators), and the name to show moderators instead of an id."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.delivery import NETWORK_ERRORS, error_code

__all__ = ["FAILURE_MEMORY_SECONDS", "MEMBER_MEMORY_SECONDS", "Member", "WorkspaceMembers"]

_log = logging.getLogger(__name__)

# How long Slack's answer about a member is trusted: a demoted admin loses the moderator
# tools within this time, and a busy moderator costs one users.info call per period.
MEMBER_MEMORY_SECONDS = 300.0
# How long a failed question is remembered: an app without users:read must not ask (and warn)
# on every click, but a network blip should not last.
FAILURE_MEMORY_SECONDS = 60.0


@dataclass(frozen=True)
class Member:
    name: str  # display name, else real name, else the account name
    admin: bool  # a workspace admin or owner


class WorkspaceMembers:
    """Asks Slack (users.info) about a member, and remembers the answer."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._known: dict[tuple[str, str], tuple[float, Member | None]] = {}

    async def is_admin(self, client: AsyncWebClient, workspace: str, user: str) -> bool:
        member = await self._member(client, workspace, user)
        return member is not None and member.admin

    async def name(self, client: AsyncWebClient, workspace: str, user: str) -> str:
        """The member's name, or their id when Slack cannot say."""
        member = await self._member(client, workspace, user)
        return member.name if member is not None and member.name else user

    async def _member(self, client: AsyncWebClient, workspace: str, user: str) -> Member | None:
        key, now = (workspace, user), self._clock()
        known = self._known.get(key)
        if known is not None:
            memory = MEMBER_MEMORY_SECONDS if known[1] is not None else FAILURE_MEMORY_SECONDS
            if now - known[0] < memory:
                return known[1]
        try:
            response = await client.users_info(user=user)
        except (SlackApiError, SlackClientError, *NETWORK_ERRORS) as exc:
            # missing_scope: an app installed before it asked for users:read
            error = error_code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
            _log.warning("could not ask Slack about member %s of %s: %s", user, workspace, error)
            self._known[key] = (now, None)
            return None
        found = response.get("user") or {}
        profile = found.get("profile") or {}
        name = str(
            profile.get("display_name") or profile.get("real_name") or found.get("name") or ""
        )
        member = Member(name, bool(found.get("is_admin") or found.get("is_owner")))
        self._known[key] = (now, member)
        return member
