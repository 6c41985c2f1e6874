"""Build the Slack app from settings, and run it in Socket Mode or HTTP mode until cancelled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from weakref import WeakKeyDictionary

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.briefings import refresh_pinned_briefings
from adapters.slack.credentials import read_credentials
from adapters.slack.delivery import error_code
from adapters.slack.installations import BOT_SCOPES, StoreInstallations, StoreOAuthStates
from adapters.slack.listeners import register_listeners
from adapters.slack.moderation import notify_moderator_channels, notify_reload_errors
from adapters.slack.request_guard import request_guard
from adapters.slack.state import SlackState
from bot.runtime import Runtime, build_runtime
from bot.service import ReloadResult
from bot.watch import in_event_loop
from config import Settings, SettingsError, SlackSettings

__all__ = [
    "EVENTS_PATH",
    "HEALTH_PATH",
    "build_app",
    "create_app",
    "run",
    "runtime_of",
    "state_of",
]

_log = logging.getLogger(__name__)

# HTTP mode: Slack's Request URL is https://<your host>/slack/events (see manifest.yaml).
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"
DEFAULT_API_URL = "https://slack.com/api/"
# A 429 is retried after the Retry-After that Slack sends, up to this many times per call.
RATE_LIMIT_RETRIES = 3
# A dropped or reset connection is retried this many times (Slack's own default is 1).
CONNECTION_RETRIES = 2
# Slack errors that mean "this token will never work", as opposed to a passing outage.
REFUSED_TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)

# The adapter's state of each app create_app built; weak, so a dropped app is not kept alive.
_STATES: WeakKeyDictionary[AsyncApp, SlackState] = WeakKeyDictionary()


def create_app(settings: Settings | None = None) -> AsyncApp:
    """The configured Slack app over a service and store built from settings; starts nothing.

    Args:
        settings: the bot's settings; None reads them from the environment and `.env`.

    The runtime (service and store) is reachable with `runtime_of(app)`.
    Raises config.SettingsError when a token is missing or malformed.
    """
    return build_app(build_runtime(settings))


def build_app(runtime: Runtime) -> AsyncApp:
    """The configured Slack app over an existing runtime; starts nothing."""
    settings = runtime.settings.slack
    credentials = read_credentials(settings)
    app = AsyncApp(
        name="faqbot",
        token=credentials.bot_token or None,
        signing_secret=credentials.signing_secret or "",
        oauth_settings=_oauth_settings(settings, runtime) if settings.oauth else None,
        # Acknowledge first, answer after: Bolt acks events before the listener runs, and
        # our command and button listeners call ack() before anything else.
        process_before_response=False,
    )
    if settings.oauth:  # app_uninstalled and tokens_revoked forget the workspace's token
        app.enable_token_revocation_listeners()
    # Bolt's own client (rather than one passed in, which Bolt warns about whenever
    # SLACK_BOT_TOKEN is also in the environment); every request's client copies these.
    app.client.base_url = _with_trailing_slash(settings.api_url or DEFAULT_API_URL)
    app.client.retry_handlers = [
        AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    state = SlackState(runtime)
    register_listeners(app, state)
    _STATES[app] = state
    return app


def _oauth_settings(settings: SlackSettings, runtime: Runtime) -> AsyncOAuthSettings:
    """Installs through /slack/install and /slack/oauth_redirect, kept in the bot's store."""
    secret = settings.client_secret.get_secret_value() if settings.client_secret else ""
    return AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=secret.strip(),
        scopes=list(BOT_SCOPES),
        installation_store=StoreInstallations(runtime.store),
        installation_store_bot_only=True,
        state_store=StoreOAuthStates(runtime.store),
    )


def _with_trailing_slash(url: str) -> str:
    # slack_sdk joins method names onto the base URL with urljoin, which drops a last path
    # segment that lacks its slash (".../api" + "chat.postMessage" -> "/chat.postMessage").
    return url if url.endswith("/") else url + "/"


def state_of(app: AsyncApp) -> SlackState:
    """The adapter's state of an app that create_app or build_app built."""
    return _STATES[app]


def runtime_of(app: AsyncApp) -> Runtime:
    """The runtime (settings, service, store) an app built by create_app uses."""
    return state_of(app).runtime


async def run(runtime: Runtime) -> None:
    """Serve Slack until cancelled: Socket Mode by default, HTTP mode with SLACK_MODE=http.

    Also keeps pinned briefings up to date after each knowledge change and sends reload
    errors to the moderators. Raises config.SettingsError when Slack refuses a token.
    """
    app = build_app(runtime)
    state = state_of(app)
    credentials = read_credentials(state.settings)
    if not state.settings.oauth:  # with OAuth each workspace's token is checked per request
        await _check_bot_token(app.client, state)
    stop_reload_calls = runtime.service.on_reload(
        _reload_listener(state, app, asyncio.get_running_loop())
    )
    # Knowledge may have changed while the bot was down: bring pinned briefings up to date.
    state.spawn(_refresh_every_workspace(state, app), "slack: refresh pinned briefings")
    try:
        if credentials.app_token is not None:  # Socket Mode
            await _serve_socket_mode(app, credentials.app_token)
        else:
            await _serve_http(app, state)
    finally:
        stop_reload_calls()
        if not await state.in_flight.drain():
            _log.warning("Slack: %d answer(s) still in progress were cut", state.in_flight.running)
        await state.close()


def _refused_or_error(exc: SlackApiError, variable: str, advice: str) -> str:
    """Slack's error code; a refused token instead stops the start, naming its variable."""
    error = error_code(exc)
    if error in REFUSED_TOKEN_ERRORS:
        raise SettingsError(f"{variable} was refused by Slack ({error}): {advice}") from None
    return error


async def _check_bot_token(client: AsyncWebClient, state: SlackState) -> None:
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = _refused_or_error(
            exc, "SLACK_BOT_TOKEN", "copy the Bot User OAuth Token of the installed app again"
        )
        _log.warning("Slack auth.test failed (%s); starting anyway", error)
        return
    except Exception as exc:  # no network yet: Bolt retries auth.test on the first request
        _log.warning("Slack auth.test failed (%s); starting anyway", type(exc).__name__)
        return
    state.team_id = str(response.get("team_id") or "")
    _log.info("Slack: signed in to workspace %s as %s", state.team_id, response.get("user_id"))


def _reload_listener(
    state: SlackState, app: AsyncApp, loop: asyncio.AbstractEventLoop
) -> Callable[[ReloadResult], None]:
    def after_reload(result: ReloadResult) -> None:
        if not state.closed:
            state.spawn(_after_reload(state, app, result), "slack: after reload")

    return in_event_loop(loop, after_reload)


async def _after_reload(state: SlackState, app: AsyncApp, result: ReloadResult) -> None:
    state.last_reload = result
    if state.settings.oauth:
        await notify_moderator_channels(state, await _workspace_clients(state, app), result)
    else:
        await notify_reload_errors(state, app.client, result)
    if result.ok and result.changed:
        await _refresh_every_workspace(state, app)


async def _refresh_every_workspace(state: SlackState, app: AsyncApp) -> None:
    for team, client in await _workspace_clients(state, app):
        await refresh_pinned_briefings(state, client, team)


async def _workspace_clients(state: SlackState, app: AsyncApp) -> list[tuple[str, AsyncWebClient]]:
    """(team id, a client with its bot token) for every workspace the bot serves: the one of
    SLACK_BOT_TOKEN, or with OAuth each installed workspace."""
    if not state.settings.oauth:
        return [(state.team_id, app.client)]
    installations = StoreInstallations(state.store)
    clients = []
    for enterprise, team in await state.call(state.store.installed_teams):
        bot = await installations.async_find_bot(enterprise_id=enterprise, team_id=team)
        if bot is not None and bot.bot_token:
            client = AsyncWebClient(
                token=bot.bot_token,
                base_url=app.client.base_url,
                retry_handlers=app.client.retry_handlers,
            )
            clients.append((team, client))
    return clients


async def _serve_socket_mode(app: AsyncApp, app_token: str) -> None:
    handler = AsyncSocketModeHandler(app, app_token=app_token)
    try:
        try:
            # Asked here rather than by the handler, which would retry a refused token forever.
            opened = await app.client.apps_connections_open(app_token=app_token)
            handler.client.wss_uri = opened.get("url")
        except SlackApiError as exc:
            error = _refused_or_error(
                exc, "SLACK_APP_TOKEN", "create an app-level token with the connections:write scope"
            )
            _log.warning("Slack apps.connections.open failed (%s); retrying", error)
        except Exception as exc:  # no network yet: the handler keeps trying to connect
            _log.warning("Slack apps.connections.open failed (%s); retrying", type(exc).__name__)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        _log.info("Slack: connected in Socket Mode")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def _serve_http(app: AsyncApp, state: SlackState) -> None:
    settings = state.settings
    server = app.server(port=settings.port, path=EVENTS_PATH, host=settings.host)
    signing_secret = read_credentials(settings).signing_secret or ""
    server.web_app.middlewares.append(request_guard(EVENTS_PATH, signing_secret))

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "knowledge_version": state.service.library.version})

    server.web_app.router.add_get(HEALTH_PATH, health)
    runner = web.AppRunner(server.web_app)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        _log.info(
            "Slack: HTTP mode on %s:%d (events at %s, health at %s)",
            settings.host,
            settings.port,
            EVENTS_PATH,
            HEALTH_PATH,
        )
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
