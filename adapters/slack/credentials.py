"""Check the Slack tokens before anything starts; a problem names the variable, never the value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import SecretStr

from config import SettingsError, SlackSettings

__all__ = ["Credentials", "read_credentials"]

_BOT_TOKEN = re.compile(r"xoxb-[0-9A-Za-z-]+")
_APP_TOKEN = re.compile(r"xapp-[0-9A-Za-z-]+")
# Slack's signing secrets are hexadecimal (32 digits today); anything else is a pasting mistake.
_SIGNING_SECRET = re.compile(r"[0-9a-fA-F]{16,}")

_WHERE_BOT = "api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token"
_WHERE_APP = (
    "api.slack.com/apps → your app → Basic Information → App-Level Tokens (scope connections:write)"
)
_WHERE_SECRET = "api.slack.com/apps → your app → Basic Information → Signing Secret"
_WHERE_CLIENT = "api.slack.com/apps → your app → Basic Information → App Credentials"


@dataclass(frozen=True)
class Credentials:
    """The secrets the app starts with; repr never shows them."""

    bot_token: str = field(repr=False)  # "" with OAuth: each workspace has its own
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)


def _value(secret: SecretStr | None) -> str:
    return secret.get_secret_value().strip() if secret is not None else ""


def _check(
    variable: str, value: str, pattern: re.Pattern[str], shape: str, where: str, problems: list[str]
) -> None:
    if not value:
        problems.append(f"{variable} is not set: copy it from {where}")
    elif not pattern.fullmatch(value):
        problems.append(f"{variable} is malformed: it must be {shape} ({where})")


def read_credentials(settings: SlackSettings) -> Credentials:
    """The tokens that settings.mode needs, checked; raise SettingsError listing every problem.

    With OAuth (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) each workspace's bot token comes
    from its installation, so none is read here; OAuth's redirect needs HTTP mode.
    """
    problems: list[str] = []
    bot_token = _value(settings.bot_token)
    if settings.oauth:
        bot_token = ""
        _check(
            "SLACK_CLIENT_SECRET",
            _value(settings.client_secret),
            _SIGNING_SECRET,
            "the app's hexadecimal client secret",
            _WHERE_CLIENT,
            problems,
        )
        if settings.mode != "http":
            problems.append(
                "OAuth installs (SLACK_CLIENT_ID) need SLACK_MODE=http: Slack sends each new "
                "workspace back to this bot's /slack/oauth_redirect"
            )
    else:
        _check(
            "SLACK_BOT_TOKEN",
            bot_token,
            _BOT_TOKEN,
            "a bot token starting with xoxb-",
            _WHERE_BOT,
            problems,
        )
    app_token = signing_secret = None
    if settings.mode == "socket":
        app_token = _value(settings.app_token)
        _check(
            "SLACK_APP_TOKEN",
            app_token,
            _APP_TOKEN,
            "an app-level token starting with xapp- (Socket Mode, the default SLACK_MODE)",
            _WHERE_APP,
            problems,
        )
    else:
        signing_secret = _value(settings.signing_secret)
        _check(
            "SLACK_SIGNING_SECRET",
            signing_secret,
            _SIGNING_SECRET,
            "the app's hexadecimal signing secret (SLACK_MODE=http)",
            _WHERE_SECRET,
            problems,
        )
    if problems:
        raise SettingsError("Slack cannot start:\n  " + "\n  ".join(problems))
    return Credentials(bot_token, app_token, signing_secret)
