"""A fake Discord on 127.0.0.1 (REST API and gateway) that real discord.py runs against
unchanged; it plays one server and records every REST call the bot makes."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

__all__ = [
    "EMBED_MAX_TOTAL",
    "Call",
    "FakeDiscord",
    "buttons",
    "embed_size",
    "embed_text",
    "make_user",
    "option",
    "subcommand",
]

BOT_ID = 100_000_000_000_000_001
APP_ID = BOT_ID
GUILD_ID = 200_000_000_000_000_001
CHANNEL_ID = 300_000_000_000_000_001
MOD_CHANNEL_ID = 300_000_000_000_000_002
DM_CHANNEL_ID = 300_000_000_000_000_003
FORUM_ID = 300_000_000_000_000_004
MOD_ROLE_ID = 400_000_000_000_000_001
HELPERS_ROLE_ID = 400_000_000_000_000_007  # a role the environment does not name
BOT_ROLE_ID = 400_000_000_000_000_008  # the role Discord makes for the bot when it joins
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake-discord.token_for_tests"
# Permission bits (discord.com/developers/docs/topics/permissions).
VIEW_AND_SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)
MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6

# discord.py only decodes a body as JSON when the content type is exactly this (no charset).
_JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # after /api/v10, e.g. /channels/3/messages
    query: dict[str, str]
    body: Any

    def matches(self, method: str, pattern: str) -> bool:
        return self.method == method and re.fullmatch(pattern, self.path) is not None


@dataclass
class _Failure:
    method: str
    pattern: str
    status: int
    times: int


@dataclass
class FakeDiscord:
    """Start with `await fake.start()`; point discord.py at api_base and gateway_url."""

    accepted_token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    pinned: dict[int, list[int]] = field(default_factory=dict)  # channel id -> message ids
    identifies: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(int(time.time() * 1000) << 22)
        self._interactions: dict[str, dict[str, Any]] = {}
        self._failures: list[_Failure] = []
        self._posted: list[int] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gw", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gw"

    # -- what tests use ----------------------------------------------------------------------

    def fail(self, method: str, pattern: str, status: int, times: int = 1) -> None:
        """Answer the next `times` matching requests with an error status."""
        self._failures.append(_Failure(method, pattern, status, times))

    def find(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.matches(method, pattern)]

    async def wait_for(
        self, method: str, pattern: str, count: int = 1, timeout: float = 5.0
    ) -> list[Call]:
        """The first `count` matching calls, waiting for them to arrive."""
        await self.until(
            lambda: len(self.find(method, pattern)) >= count,
            timeout,
            f"{count} x {method} {pattern}",
        )
        return self.find(method, pattern)[:count]

    async def until(
        self, condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = "\n  ".join(f"{c.method} {c.path}" for c in self.calls)
                raise AssertionError(f"timed out waiting for {what}; calls seen:\n  {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway event to every connected shard."""
        self._seq += 1
        payload = json.dumps({"op": 0, "t": event, "s": self._seq, "d": data})
        for socket in list(self._sockets):
            if not socket.closed:
                await socket.send_str(payload)

    # -- gateway events that tests build -----------------------------------------------------

    async def post_message(
        self,
        content: str,
        author: dict[str, Any],
        *,
        mentions: Sequence[dict[str, Any]] = (),
        direct: bool = False,
        mention_everyone: bool = False,
        roles: Sequence[int] = (),
        mention_roles: Sequence[int] = (),
    ) -> dict[str, Any]:
        """A user's message, as MESSAGE_CREATE (content is sent, as it is for mentions/DMs)."""
        message: dict[str, Any] = {
            "id": str(next(self._ids)),
            "channel_id": str(DM_CHANNEL_ID if direct else CHANNEL_ID),
            "author": author,
            "content": content,
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": mention_everyone,
            "mentions": [],
            "mention_roles": [str(role) for role in mention_roles],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if direct:
            await self.dispatch("CHANNEL_CREATE", _dm_channel(author))
        else:
            message["guild_id"] = str(GUILD_ID)
            message["member"] = _member(None, roles)
            message["mentions"] = [{**m, "member": _member(None, [])} for m in mentions]
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def slash(
        self,
        name: str,
        user: dict[str, Any],
        options: Sequence[dict[str, Any]] = (),
        *,
        roles: Sequence[int] = (),
        permissions: int = VIEW_AND_SEND,
        direct: bool = False,
        channel: dict[str, Any] | None = None,
        resolved: dict[str, Any] | None = None,
    ) -> str:
        """A slash command (interaction type 2); returns the interaction token. `channel`: where
        it is run (the general channel unless given, e.g. a forum post); `resolved`: the
        objects its options name (resolved_roles())."""
        data = {"id": str(self.command_id(name)), "name": name, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        return await self._interaction(2, data, user, roles, permissions, direct, channel=channel)

    async def autocomplete(
        self, name: str, user: dict[str, Any], options: list[dict[str, Any]]
    ) -> str:
        """Typing in a command option (interaction type 4); returns the interaction token."""
        data = {"id": str(self.command_id(name)), "name": name, "type": 1, "options": options}
        return await self._interaction(4, data, user, [], VIEW_AND_SEND, False)

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        user: dict[str, Any],
        *,
        roles: Sequence[int] = (),
        direct: bool = False,
    ) -> str:
        """A button click (interaction type 3) on a message the bot posted."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interaction(3, data, user, roles, VIEW_AND_SEND, direct, message)

    async def choose(
        self,
        message: dict[str, Any],
        custom_id: str,
        value: str,
        user: dict[str, Any],
    ) -> str:
        """A pick in a select menu (interaction type 3, component type 3) of a bot message."""
        data = {"custom_id": custom_id, "component_type": 3, "values": [value]}
        return await self._interaction(3, data, user, (), VIEW_AND_SEND, False, message)

    async def submit_modal(
        self,
        message: dict[str, Any],
        custom_id: str,
        fields: dict[str, str],
        user: dict[str, Any],
        *,
        roles: Sequence[int] = (),
    ) -> str:
        """A form's Submit (interaction type 5) for a modal opened from a button on message."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in fields.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        return await self._interaction(5, data, user, roles, VIEW_AND_SEND, False, message)

    def command_id(self, name: str) -> int:
        for call in self.calls:
            if call.method == "PUT" and call.path.endswith("/commands"):
                for command in call.body:
                    if command["name"] == name:
                        return _command_id(command["name"])
        raise AssertionError(f"command /{name} was never synced")

    def responses(self, token: str) -> list[dict[str, Any]]:
        """Everything the bot sent for one interaction: its callback, then its follow-ups."""
        interaction_id = self._interactions[token]["id"]
        return [
            c.body
            for c in self.calls
            if (c.method == "POST" and c.path == f"/interactions/{interaction_id}/{token}/callback")
            or (c.method in ("POST", "PATCH") and c.path.startswith(f"/webhooks/{APP_ID}/{token}"))
        ]

    def original(self, token: str) -> dict[str, Any]:
        """The message that the bot's first response to an interaction created."""
        return self.messages[int(self._interactions[token]["original"])]

    def posted(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages the bot posted in a channel (not as interaction responses), oldest first."""
        return [
            self.messages[i]
            for i in self._posted
            if int(self.messages[i]["channel_id"]) == channel_id
        ]

    async def wait_responses(
        self, token: str, count: int = 1, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        await self.until(
            lambda: len(self.responses(token)) >= count,
            timeout,
            f"{count} response(s) to interaction {token}",
        )
        return self.responses(token)

    # -- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.content_type.startswith("multipart/"):
            body = await _multipart_json(request)
        elif request.can_read_body:
            body = await request.json()
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        self._changed.set()
        failure = self._take_failure(call)
        if failure is not None:
            return _json({"message": "injected failure", "code": 0}, failure)
        # Webhook and interaction routes carry their token in the path, the rest in a header.
        authorised = request.headers.get("Authorization") == f"Bot {self.accepted_token}"
        if not authorised and not path.startswith(("/webhooks/", "/interactions/")):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        if any(embed_size(embed) > EMBED_MAX_TOTAL for embed in _embeds_sent(body)):
            return _json({"message": "Invalid Form Body", "code": 50035}, 400)
        return self._route(call)

    def _take_failure(self, call: Call) -> int | None:
        for failure in self._failures:
            if failure.times > 0 and call.matches(failure.method, failure.pattern):
                failure.times -= 1
                return failure.status
        return None

    def _route(self, call: Call) -> web.Response:
        m, p, body = call.method, call.path, call.body
        if m == "GET" and p == "/users/@me":
            return _json(_bot_user())
        if m == "POST" and p == "/users/@me/channels":
            recipient = make_user(int(body["recipient_id"]), "someone")
            return _json(_dm_channel(recipient))
        if m == "GET" and (match := re.fullmatch(r"/users/(\d+)", p)):
            return _json(make_user(int(match.group(1)), "someone"))
        if m == "GET" and p == "/oauth2/applications/@me":
            return _json(_application())
        if m == "GET" and p in ("/gateway", "/gateway/bot"):
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if m == "PUT" and p.endswith("/commands"):
            guild = re.search(r"/guilds/(\d+)/", p)
            return _json([_synced(c, guild.group(1) if guild else None) for c in body])
        if match := re.fullmatch(r"/interactions/(\d+)/([\w.-]+)/callback", p):
            return self._callback(match.group(2), body)
        if match := re.fullmatch(r"/webhooks/\d+/([\w.-]+)", p):
            message = self._store_message(self._interactions[match.group(1)]["channel_id"], body)
            return _json(message)
        if match := re.fullmatch(r"/webhooks/\d+/([\w.-]+)/messages/@original", p):
            if m == "DELETE":
                original = self._interactions[match.group(1)].get("original")
                if original is None or self.messages.pop(int(original), None) is None:
                    return _json({"message": "Unknown Message", "code": 10008}, 404)
                return web.Response(status=204)
            return self._original(match.group(1), body if m == "PATCH" else None)
        if m == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", p)):
            message = self._store_message(match.group(1), body)
            self._posted.append(int(message["id"]))
            return _json(message)
        if m == "PATCH" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)):
            edited = self.messages.get(int(match.group(2)))
            if edited is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            message = edited
            message.update(
                {k: v for k, v in body.items() if k in ("content", "embeds", "components")}
            )
            message["edited_timestamp"] = _now()
            return _json(message)
        if m == "DELETE" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)):
            if self.messages.pop(int(match.group(2)), None) is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            return web.Response(status=204)
        if m in ("PUT", "DELETE") and (
            match := re.fullmatch(r"/channels/(\d+)/messages/pins/(\d+)", p)
        ):
            channel, message_id = int(match.group(1)), int(match.group(2))
            pins = self.pinned.setdefault(channel, [])
            if m == "PUT" and message_id not in pins:
                pins.insert(0, message_id)
            if m == "DELETE" and message_id in pins:
                pins.remove(message_id)
            return web.Response(status=204)
        if m == "GET" and (match := re.fullmatch(r"/channels/(\d+)/messages/pins", p)):
            ids = self.pinned.get(int(match.group(1)), [])
            items = [
                {"pinned_at": _now(), "message": self.messages[i]}
                for i in ids
                if i in self.messages
            ]
            return _json({"items": items, "has_more": False})
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _callback(self, token: str, body: dict[str, Any]) -> web.Response:
        interaction = self._interactions[token]
        kind = body["type"]
        data = body.get("data") or {}
        reply: dict[str, Any] = {
            "interaction": {
                "id": interaction["id"],
                "type": interaction["type"],
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
            }
        }
        if kind in (4, 5):  # a message now, or "thinking…" to be edited later
            message = self._store_message(interaction["channel_id"], data if kind == 4 else {})
            interaction["original"] = message["id"]
            reply["interaction"]["response_message_id"] = message["id"]
            reply["resource"] = {"type": kind, "message": message}
        elif kind == 7 and "message" in interaction:  # update the clicked message
            message = self.messages[int(interaction["message"]["id"])]
            message.update(
                {k: v for k, v in data.items() if k in ("content", "embeds", "components")}
            )
            reply["resource"] = {"type": kind, "message": message}
        return _json(reply)

    def _original(self, token: str, edit: dict[str, Any] | None) -> web.Response:
        original = self._interactions[token].get("original")
        if original is None:
            return _json({"message": "Unknown Message", "code": 10008}, 404)
        message = self.messages[int(original)]
        if edit:
            message.update(
                {k: v for k, v in edit.items() if k in ("content", "embeds", "components")}
            )
        return _json(message)

    def _store_message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        message_id = next(self._ids)
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": _bot_user(),
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": body.get("flags") or 0,
        }
        if int(channel_id) != DM_CHANNEL_ID:
            message["guild_id"] = str(GUILD_ID)
        self.messages[message_id] = message
        return message

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        # A long interval: the test is over long before a heartbeat would be due.
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}})
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                if message["op"] == 1:
                    await socket.send_json({"op": 11})
                elif message["op"] == 2:
                    await self._identified(socket, message["d"])
        finally:
            self._sockets.remove(socket)
        return socket

    async def _identified(self, socket: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        self.identifies.append(identify)
        self._changed.set()
        shard = identify.get("shard") or [0, 1]
        self._seq += 1
        await socket.send_json(
            {
                "op": 0,
                "t": "READY",
                "s": self._seq,
                "d": {
                    "v": 10,
                    "user": _bot_user(),
                    "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                    "session_id": f"session-{len(self.identifies)}",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                    "shard": shard,
                },
            }
        )
        self._seq += 1
        await socket.send_json({"op": 0, "t": "GUILD_CREATE", "s": self._seq, "d": _guild()})

    def _register(self, payload: dict[str, Any]) -> str:
        self._interactions[payload["token"]] = {
            "id": payload["id"],
            "type": payload["type"],
            "channel_id": payload["channel"]["id"],
            "message": payload.get("message"),
        }
        return str(payload["token"])

    async def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        user: dict[str, Any],
        roles: Sequence[int],
        permissions: int,
        direct: bool,
        message: dict[str, Any] | None = None,
        *,
        channel: dict[str, Any] | None = None,
    ) -> str:
        interaction_id = next(self._ids)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"itoken-{interaction_id}",
            "version": 1,
            "data": data,
            "app_permissions": str(VIEW_AND_SEND),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if direct:
            payload["user"] = user
            payload["channel"] = _dm_channel(user)
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": str(GUILD_ID)}
        else:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = "en-US"
            payload["channel"] = {
                **(channel or _text_channel(CHANNEL_ID, "general")),
                "permissions": str(permissions),
            }
            payload["member"] = {**_member(user, roles), "permissions": str(permissions)}
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(GUILD_ID)}
        if message is not None:
            payload["message"] = message
        token = self._register(payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        return token


def make_user(user_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
    }


def _bot_user() -> dict[str, Any]:
    return {**make_user(BOT_ID, "faqbot"), "bot": True}


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "faqbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": make_user(1, "owner"),
        "flags": 0,
        "team": None,
        "bot": _bot_user(),
        "summary": "",
        "rpc_origins": None,
    }


def _member(member_user: dict[str, Any] | None, roles: Sequence[int]) -> dict[str, Any]:
    member: dict[str, Any] = {
        "roles": [str(r) for r in roles],
        "joined_at": _now(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
    }
    if member_user is not None:
        member["user"] = member_user
    return member


def _text_channel(channel_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "name": name,
        "position": 0,
        "guild_id": str(GUILD_ID),
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def _forum_channel(channel_id: int, name: str) -> dict[str, Any]:
    return {
        **_text_channel(channel_id, name),
        "type": 15,
        "available_tags": [],
        "default_reaction_emoji": None,
        "default_thread_rate_limit_per_user": 0,
        "default_sort_order": None,
        "default_forum_layout": 0,
    }


def forum_post(thread_id: int, title: str, owner: dict[str, Any]) -> dict[str, Any]:
    """A post (a thread) in the test server's forum, as THREAD_CREATE carries it."""
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(FORUM_ID),
        "owner_id": owner["id"],
        "name": title,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "applied_tags": [],
        "newly_created": True,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 4320,
            "archive_timestamp": _now(),
            "locked": False,
            "create_timestamp": _now(),
        },
    }


def _dm_channel(recipient: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(DM_CHANNEL_ID),
        "type": 1,
        "recipients": [recipient],
        "last_message_id": None,
        "flags": 0,
    }


def _role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
        "icon": None,
        "unicode_emoji": None,
    }


def _guild() -> dict[str, Any]:
    return {
        "id": str(GUILD_ID),
        "name": "Test community",
        "icon": None,
        "owner_id": "1",
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "features": [],
        "roles": [
            _role(GUILD_ID, "@everyone", VIEW_AND_SEND, 0),
            _role(MOD_ROLE_ID, "FAQ moderators", VIEW_AND_SEND, 1),
            _role(HELPERS_ROLE_ID, "helpers", VIEW_AND_SEND, 2),
            {
                **_role(BOT_ROLE_ID, "FAQ", VIEW_AND_SEND, 3),
                "managed": True,
                "tags": {"bot_id": str(BOT_ID)},
            },
        ],
        "channels": [
            _text_channel(CHANNEL_ID, "general"),
            _text_channel(MOD_CHANNEL_ID, "moderators"),
            _forum_channel(FORUM_ID, "help-forum"),
        ],
        "members": [_member(_bot_user(), [])],
        "threads": [],
        "emojis": [],
        "stickers": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "joined_at": _now(),
        "premium_tier": 0,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "description": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "vanity_url_code": None,
    }


def _command_id(name: str) -> int:
    return 500_000_000_000_000_000 + sum(ord(c) for c in name)


def _synced(command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
    synced = {
        "type": 1,
        "options": [],
        "default_member_permissions": None,
        "dm_permission": True,
        "nsfw": False,
        **command,
        "id": str(_command_id(command["name"])),
        "application_id": str(APP_ID),
        "version": "1",
    }
    if guild_id:
        synced["guild_id"] = guild_id
    return synced


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=json.dumps(data).encode(), headers=_JSON_HEADERS)


async def _multipart_json(request: web.Request) -> Any:
    reader = await request.multipart()
    async for part in reader:
        if getattr(part, "name", None) == "payload_json":
            return json.loads(await part.text())  # type: ignore[union-attr]
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def option(name: str, value: Any, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    """A command option as Discord sends it (kind 3 string, 4 integer, 5 boolean)."""
    data: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        data["focused"] = True
    return data


def resolved_roles(*roles: tuple[int, str]) -> dict[str, Any]:
    """What Discord sends alongside role options: each (id, name) role in full."""
    return {
        "roles": {
            str(role_id): {
                "id": str(role_id),
                "name": name,
                "color": 0,
                "hoist": False,
                "position": 1,
                "permissions": "0",
                "managed": False,
                "mentionable": True,
                "flags": 0,
            }
            for role_id, name in roles
        }
    }


def subcommand(name: str, options: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"name": name, "type": 1, "options": list(options)}


# Discord refuses a message whose embed holds more characters than this, counted over the
# title, description, field names and values, footer text and author name.
EMBED_MAX_TOTAL = 6000


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts against EMBED_MAX_TOTAL."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    return size + sum(
        len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields", [])
    )


def _embeds_sent(body: Any) -> list[dict[str, Any]]:
    """The embeds a request sends: in its body, or in an interaction response's data."""
    if not isinstance(body, dict):
        return []
    data = body.get("data")
    inner = data.get("embeds") if isinstance(data, dict) else None
    return list(body.get("embeds") or []) + list(inner or [])


def embed_text(embed: dict[str, Any]) -> str:
    """Everything a reader sees in an embed, in order."""
    parts = [embed.get("title", ""), embed.get("description", "")]
    for embed_field in embed.get("fields", []):
        parts += [embed_field["name"], embed_field["value"]]
    parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components", []) for c in row["components"]]
