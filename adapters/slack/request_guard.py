"""Refuse, before Bolt sees them, HTTP requests that Slack would never send.

Bolt parses a request's body before it checks the signature, so a broken body, signed or
not, ends in a 500 and a traceback. Here an unsigned, stale or forged request gets 401 and a
signed one whose body is not Slack's form or JSON gets 400, each with one line in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from aiohttp.typedefs import Middleware

__all__ = ["request_guard"]

_log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def request_guard(path: str, signing_secret: str) -> Middleware:
    """An aiohttp middleware guarding POSTs to `path` (the events URL)."""
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path or request.method != "POST":
            return await handler(request)
        body = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdecimal()) or not verifier.is_valid(
            body=body, timestamp=timestamp, signature=signature
        ):
            _log.warning("Slack: refused a request without a valid signature (401)")
            return web.Response(status=401, text="invalid signature")
        problem = _body_problem(body, request.content_type)
        if problem:
            _log.warning("Slack: refused a signed request: %s (400)", problem)
            return web.Response(status=400, text=problem)
        return await handler(request)

    return guard


def _body_problem(body: bytes, content_type: str) -> str | None:
    """Why the body is not one Slack sends, or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if content_type == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            return "body is not JSON"
        return None if isinstance(data, dict) else "JSON body is not an object"
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text)
        if not form:
            return "form body is empty"
        if "payload" in form:
            try:
                payload = json.loads(form["payload"][0])
            except ValueError:
                return "payload is not JSON"
            if not isinstance(payload, dict):
                return "payload is not an object"
        return None
    return f"content type {content_type!r} is not one Slack sends"
