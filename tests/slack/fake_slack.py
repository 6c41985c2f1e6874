"""A fake Slack on 127.0.0.1: the Web API, response_urls and Socket Mode, recording every call.

It also enforces Slack's message limits, answering msg_too_long / invalid_blocks as Slack
would, so that every test checks the bot never sends a message Slack would refuse.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "installer_of",
    "message_problems",
]

TEAM_ID = "T0FAKE"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0FAKE"


def installer_of(team_id: str) -> str:
    """Who installs the app in a workspace, in this fake: T0ALPHA's admin is U0ALPHA."""
    return "U" + team_id.removeprefix("T")


# Slack's documented limits, checked on every message the bot sends.
MAX_TEXT = 40_000
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150


def message_problems(message: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a message: msg_too_long, or invalid_blocks with the reason."""
    problems = []
    if len(message.get("text") or "") > MAX_TEXT:
        problems.append("msg_too_long")
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"invalid_blocks: {len(blocks)} blocks")
    for block in blocks:
        kind = block.get("type")
        if kind == "section" and len(block["text"]["text"]) > MAX_SECTION_TEXT:
            problems.append("invalid_blocks: section text too long")
        if kind == "section" and block.get("accessory", {}).get("type") == "static_select":
            options = block["accessory"]["options"]
            if not 1 <= len(options) <= MAX_OPTIONS:
                problems.append("invalid_blocks: a menu needs 1 to 100 options")
            if any(len(o["text"]["text"]) > MAX_OPTION_TEXT for o in options):
                problems.append("invalid_blocks: option text too long")
            if any(len(o["value"]) > MAX_OPTION_VALUE for o in options):
                problems.append("invalid_blocks: option value too long")
        if kind == "header" and len(block["text"]["text"]) > MAX_HEADER_TEXT:
            problems.append("invalid_blocks: header text too long")
        if kind == "context":
            if len(block["elements"]) > MAX_CONTEXT_ELEMENTS:
                problems.append("invalid_blocks: too many context elements")
            if any(len(e.get("text", "")) > MAX_SECTION_TEXT for e in block["elements"]):
                problems.append("invalid_blocks: context text too long")
        if kind == "actions":
            elements = block["elements"]
            if len(elements) > MAX_ACTION_ELEMENTS:
                problems.append("invalid_blocks: too many buttons")
            ids = [e["action_id"] for e in elements]
            if len(set(ids)) != len(ids):
                problems.append("invalid_blocks: repeated action_id")
            for element in elements:
                if len(element["text"]["text"]) > MAX_BUTTON_TEXT:
                    problems.append("invalid_blocks: button text too long")
                if len(element.get("value", "")) > MAX_BUTTON_VALUE:
                    problems.append("invalid_blocks: button value too long")
    return problems


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    args: dict[str, Any]
    token: str | None
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    status: int = 200
    error: str = "internal_error"
    retry_after: int | None = None
    page: str | None = None  # an HTML page instead of Slack's JSON, as a proxy in front sends


@dataclass
class FakeSlack:
    """Start with `await fake.start()`; stop with `await fake.stop()`."""

    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    auth_error: str | None = None
    port: int = 0
    # OAuth: bot token -> the workspace it was issued to, and tokens no longer valid
    issued_tokens: dict[str, str] = field(default_factory=dict)
    revoked_tokens: set[str] = field(default_factory=set)
    admins: set[str] = field(default_factory=set)  # members users.info says are admins
    _failures: dict[str, list[Failure]] = field(default_factory=dict)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._web_api)
        app.router.add_get("/api/{method}", self._web_api)  # users.info and other reads
        app.router.add_post("/respond/{key}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def connected(self) -> bool:
        """Whether a Socket Mode client is connected."""
        return bool(self._sockets)

    def response_url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    # --- what the tests set up and inspect

    def fail(
        self,
        method: str,
        error: str = "internal_error",
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        page: str | None = None,
    ) -> None:
        """Make the next `times` calls of method fail (status 429 for a rate limit; with
        `page`, an HTML error page such as a proxy sends)."""
        self._failures.setdefault(method, []).extend(
            Failure(status, error, retry_after, page) for _ in range(times)
        )

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def responses_to(self, key: str) -> list[dict[str, Any]]:
        return [payload for k, payload in self.responses if k == key]

    def posts(self, **match: Any) -> list[dict[str, Any]]:
        """Arguments of the chat.postMessage calls whose arguments include match."""
        return [
            c.args
            for c in self.calls_to("chat.postMessage")
            if all(c.args.get(k) == v for k, v in match.items())
        ]

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Poll until condition() is truthy and return it; fail after timeout seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            result = condition()
            if result:
                return result
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"timed out waiting; calls so far: {[c.method for c in self.calls]}"
                )
            await asyncio.sleep(0.01)

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], envelope_id: str, retry_attempt: int = 0
    ) -> None:
        """Send a Socket Mode envelope to every connected client."""
        await self.wait_for(lambda: self.connected)
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        for ws in self._sockets:
            await ws.send_str(json.dumps(envelope))

    # --- the handlers

    async def _web_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Basic "):  # oauth.v2.access: the app's id and secret
            args["client_credentials"] = base64.b64decode(authorization[6:]).decode()
        token = (
            authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        )
        call = Call(method, args, token)
        self.calls.append(call)
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            call.result = {"ok": False, "error": failure.error}
            if failure.page is not None:
                return web.Response(
                    text=failure.page, status=failure.status, content_type="text/html"
                )
            return web.json_response(call.result, status=failure.status, headers=headers)
        call.result = self._answer(method, args, token)
        return web.json_response(call.result)

    def install_code(self, team_id: str) -> str:
        """The code Slack would hand the bot's OAuth redirect when team_id installs the app."""
        return f"code-{team_id}"

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        self.revoked_tokens |= {t for t, team in self.issued_tokens.items() if team == team_id}

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._install(args)
        if token in self.revoked_tokens:
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            if self.auth_error:
                return {"ok": False, "error": self.auth_error}
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "faqbot",
                "team_id": self.issued_tokens.get(token or "", TEAM_ID),
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update"):
            problems = message_problems(args)
            if problems:
                return {"ok": False, "error": problems[0].split(":")[0], "problems": problems}
            ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": {"text": args.get("text"), "ts": ts},
            }
        if method == "users.info":
            user = str(args.get("user") or "")
            member = {"id": user, "name": user.lower(), "is_admin": user in self.admins}
            member["profile"] = {"display_name": "", "real_name": f"Member {user}"}
            if user == BOT_USER_ID:  # the app's bot user goes by the app's name
                member |= {"name": "faqbot", "is_bot": True}
                member["profile"] = {"display_name": "", "real_name": "faqbot"}
            return {"ok": True, "user": member}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users"))}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    def _install(self, args: dict[str, Any]) -> dict[str, Any]:
        """oauth.v2.access: a code from install_code() becomes that workspace's bot token."""
        code = str(args.get("code") or "")
        credentials = str(args.get("client_credentials") or "")
        if not code.startswith("code-") or ":" not in credentials:
            return {"ok": False, "error": "invalid_code"}
        team_id = code.removeprefix("code-")
        token = f"xoxb-{team_id}-{next(self._ts):06d}"
        self.issued_tokens[token] = team_id
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": installer_of(team_id)},
            "scope": str(args.get("scope") or "chat:write,commands"),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team_id, "name": f"Team {team_id}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        problems = message_problems(payload)
        if problems:
            return web.Response(status=400, text=problems[0])
        self.responses.append((request.match_info["key"], payload))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps(
                {"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}}
            )
        )
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
        finally:
            self._sockets.remove(ws)
        return ws
