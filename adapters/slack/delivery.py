"""Calls to Slack that may fail: each logs the failure and reports it, and none raises."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.blocks import SlackMessage

__all__ = [
    "NETWORK_ERRORS",
    "Sent",
    "error_code",
    "open_dm",
    "pin_message",
    "post_message",
    "respond_with",
    "update_message",
]

_log = logging.getLogger(__name__)

# Failures of the connection itself, as opposed to Slack answering with an error.
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
# The error code reported for those.
NETWORK_ERROR = "network_error"


def error_code(exc: SlackApiError) -> str:
    """Slack's error code; the HTTP status when the body is not Slack's JSON (the error page
    of a proxy in front of Slack, say)."""
    data = exc.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"http_{exc.response.status_code}")


@dataclass(frozen=True)
class Sent:
    """The outcome of one call: the message's ts when Slack gave one, or Slack's error code."""

    ts: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


async def _call(method: str, call: Awaitable[AsyncSlackResponse]) -> Sent:
    try:
        response = await call
    except SlackApiError as exc:
        # Only Slack's error code is logged: the response never holds a token, but keep it short.
        error = error_code(exc)
        _log.warning("Slack %s failed: %s", method, error)
        return Sent(error=error)
    except (SlackClientError, *NETWORK_ERRORS) as exc:
        _log.warning("Slack %s failed: %s", method, type(exc).__name__)
        return Sent(error=NETWORK_ERROR)
    ts = response.get("ts")
    return Sent(ts=str(ts) if ts else None)


async def post_message(
    client: AsyncWebClient, channel: str, message: SlackMessage, *, thread_ts: str | None = None
) -> Sent:
    call = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        unfurl_links=False,  # a quoted source must not grow a link preview
        unfurl_media=False,
        **message.fields(),
    )
    return await _call("chat.postMessage", call)


async def update_message(
    client: AsyncWebClient, channel: str, ts: str, message: SlackMessage
) -> Sent:
    call = client.chat_update(channel=channel, ts=ts, **message.fields())
    return await _call("chat.update", call)


async def pin_message(client: AsyncWebClient, channel: str, ts: str) -> Sent:
    sent = await _call("pins.add", client.pins_add(channel=channel, timestamp=ts))
    return Sent(ts=ts) if sent.error == "already_pinned" else sent


async def publish_view(client: AsyncWebClient, user_id: str, view: dict[str, Any]) -> Sent:
    """Show a Home tab view to one user."""
    return await _call("views.publish", client.views_publish(user_id=user_id, view=view))


async def open_dm(client: AsyncWebClient, user_id: str) -> str | None:
    """The id of the direct-message channel with user_id, or None when it cannot be opened."""
    try:
        response = await client.conversations_open(users=user_id)
    except SlackApiError as exc:
        _log.warning("Slack conversations.open failed: %s", error_code(exc))
        return None
    except (SlackClientError, *NETWORK_ERRORS) as exc:
        _log.warning("Slack conversations.open failed: %s", type(exc).__name__)
        return None
    channel: Any = response.get("channel") or {}
    return str(channel["id"]) if isinstance(channel, dict) and channel.get("id") else None


async def respond_with(
    respond: AsyncRespond,
    message: SlackMessage,
    *,
    response_type: str = "ephemeral",
    replace_original: bool | None = None,
    delete_original: bool | None = None,
) -> bool:
    """Send message through the request's response_url; False when that failed."""
    try:
        response = await respond(
            response_type=response_type,
            replace_original=replace_original,
            delete_original=delete_original,
            **message.fields(),
        )
    except (SlackClientError, ValueError, *NETWORK_ERRORS) as exc:
        # ValueError: the request had no response_url. The URL itself is not logged: it is
        # a credential for posting into the conversation.
        _log.warning("Slack response_url failed: %s", type(exc).__name__)
        return False
    if response.status_code != 200:
        _log.warning(
            "Slack response_url failed: HTTP %s %s",
            response.status_code,
            (response.body or "")[:200],
        )
        return False
    return True
