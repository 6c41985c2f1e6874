"""What the bot remembers of Slack's answers about members, and for how long."""

from __future__ import annotations

from typing import Any, cast

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.slack_response import SlackResponse

from adapters.slack.members import (
    FAILURE_MEMORY_SECONDS,
    MEMBER_MEMORY_SECONDS,
    WorkspaceMembers,
)


class Asked:
    """A client whose users.info answers from a table, or fails, and counts the calls."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def users_info(self, user: str) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            response = SlackResponse(
                client=None,
                http_verb="GET",
                api_url="users.info",
                req_args={},
                data={"ok": False, "error": "missing_scope"},
                headers={},
                status_code=200,
            )
            raise SlackApiError("missing_scope", response)
        profile = {"display_name": "", "real_name": "Ann Admin"}
        return {"ok": True, "user": {"id": user, "is_admin": True, "profile": profile}}


async def test_an_answer_is_remembered_and_asked_again_later() -> None:
    now = [0.0]
    members, slack = WorkspaceMembers(clock=lambda: now[0]), Asked()
    client = cast(AsyncWebClient, slack)
    assert await members.is_admin(client, "T1", "U1")
    assert await members.name(client, "T1", "U1") == "Ann Admin"
    assert slack.calls == 1  # one users.info for both
    now[0] = MEMBER_MEMORY_SECONDS + 1
    await members.name(client, "T1", "U1")
    assert slack.calls == 2


async def test_a_failure_is_remembered_briefly_and_the_id_is_shown() -> None:
    now = [0.0]
    members, slack = WorkspaceMembers(clock=lambda: now[0]), Asked(fail=True)
    client = cast(AsyncWebClient, slack)
    assert not await members.is_admin(client, "T1", "U1")
    assert await members.name(client, "T1", "U1") == "U1"
    assert slack.calls == 1  # not asked on every click
    now[0] = FAILURE_MEMORY_SECONDS + 1
    await members.is_admin(client, "T1", "U1")
    assert slack.calls == 2
