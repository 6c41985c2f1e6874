"""Every setting the bot reads, by section; nothing else in the project reads the environment."""

from __future__ import annotations

import importlib.util
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = [
    "DiscordSettings",
    "FeatureSettings",
    "KnowledgeSettings",
    "LogSettings",
    "Settings",
    "SettingsError",
    "SlackSettings",
    "StoreSettings",
    "load_settings",
]

CommaList = Annotated[tuple[str, ...], NoDecode]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LOG_LEVELS = get_args(LogLevel)
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(location: str | Path) -> bool:
    """Whether a database location is a PostgreSQL URL (else it is a SQLite file)."""
    return isinstance(location, str) and location.split("://", 1)[0] in POSTGRES_SCHEMES


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def _ids_only(ids: tuple[str, ...], pattern: str, what: str) -> tuple[str, ...]:
    """Moderators are given by id: a name ("@alice", "Moderators") would be accepted and
    silently make nobody a moderator."""
    wrong = [i for i in ids if not re.fullmatch(pattern, i)]
    if wrong:
        raise ValueError(f"{', '.join(map(repr, wrong))} is not {what}")
    return ids


def _section(prefix: str) -> SettingsConfigDict:
    # An empty variable ("KNOWLEDGE_DIR=" in a .env file or a compose file) means unset: read
    # as a value it would make the knowledge folder the working folder, or a token "".
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )


class KnowledgeSettings(BaseSettings):
    model_config = _section("KNOWLEDGE_")

    dir: Path = Field(
        Path("knowledge"),
        description="The knowledge folder; a relative path is from the working folder.",
    )
    watch: bool = Field(True, description="Reload when files under the folder change.")
    poll: bool = Field(
        False,
        description="Look for changes by polling instead of file events: for a folder mounted "
        "from a host whose events do not reach the container (Docker Desktop, network disks).",
    )
    debounce_ms: int = Field(
        800,
        ge=50,
        le=60_000,
        description="Quiet time after the last change before reloading: an editor's "
        "save often writes a file in several steps.",
    )


class StoreSettings(BaseSettings):
    model_config = _section("STORE_")

    database: str = Field(
        str(Path("data") / "faqbot.sqlite3"),
        min_length=1,
        repr=False,  # a PostgreSQL URL may hold a password
        description="Where the question log, feedback, pins and hand-offs are kept: a SQLite "
        "file (a relative path is from the working folder) or a postgresql://user:password@"
        "host:port/database URL (needs the `postgres` extra).",
    )
    retention_days: int = Field(
        90, ge=1, le=3650, description="Questions and feedback older than this are deleted."
    )
    log_question_text: bool = Field(True, description="Store the text of each question.")

    @field_validator("database", mode="before")
    @classmethod
    def _path_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, Path) else value

    @field_validator("database")
    @classmethod
    def _file_or_postgres(cls, value: str) -> str:
        if is_postgres_url(value):
            if importlib.util.find_spec("psycopg") is None:
                raise ValueError(
                    "a PostgreSQL database needs the `postgres` extra: "
                    "pip install 'faqbot[postgres]'"
                )
        elif "://" in value:
            raise ValueError("must be a SQLite file path or a postgresql:// URL")
        return value

    @property
    def location(self) -> str | Path:
        """The PostgreSQL URL, or the SQLite file as a path."""
        return self.database if self.is_postgres else Path(self.database)

    @property
    def is_postgres(self) -> bool:
        return is_postgres_url(self.database)

    @property
    def local_folder(self) -> Path:
        """Where this process keeps files of its own (the heartbeat): beside the SQLite file,
        or, with a database server, in the temp folder, which each container has to itself
        (replicas may share a data volume, but each has its own heartbeat)."""
        if self.is_postgres:
            return Path(tempfile.gettempdir()) / "faqbot"
        return Path(self.database).parent


class FeatureSettings(BaseSettings):
    model_config = _section("FEATURE_")

    feedback_buttons: bool = Field(True, description="Offer Helpful / Not helpful buttons.")


class SlackSettings(BaseSettings):
    model_config = _section("SLACK_")

    bot_token: SecretStr | None = Field(None, description="xoxb-… Bot User OAuth Token.")
    app_token: SecretStr | None = Field(None, description="xapp-… token for Socket Mode.")
    signing_secret: SecretStr | None = Field(None, description="Signing secret (HTTP mode).")
    mode: Literal["socket", "http"] = "socket"
    port: int = Field(3000, ge=1, le=65535, description="HTTP mode: the port to listen on.")
    host: str = Field(
        "0.0.0.0",
        min_length=1,
        description="HTTP mode: the address to listen on (127.0.0.1 behind a "
        "reverse proxy on the same machine).",
    )
    api_url: str | None = Field(None, description="Web API base URL, e.g. for a proxy.")
    ask_command: str = Field("/ask", pattern=r"^/[a-z0-9_-]{1,31}$")
    briefing_command: str = Field("/briefing", pattern=r"^/[a-z0-9_-]{1,31}$")
    faq_command: str = Field("/faq", pattern=r"^/[a-z0-9_-]{1,31}$")
    moderators: CommaList = Field((), description="Slack user ids allowed moderator commands.")
    ask_cooldown_seconds: float = Field(3.0, ge=0, le=3600)
    moderator_channel: str | None = Field(
        None,
        pattern=r"^[CG][A-Z0-9]+$",
        description="Channel id where questions the bot could not answer go to moderators.",
    )
    client_id: str | None = Field(
        None,
        pattern=r"^\d+\.\d+$",
        description="OAuth (many workspaces): the app's Client ID; with SLACK_CLIENT_SECRET the "
        "bot is installed per workspace through /slack/install instead of SLACK_BOT_TOKEN.",
    )
    client_secret: SecretStr | None = Field(None, description="OAuth: the app's Client Secret.")

    _split = field_validator("moderators", mode="before")(_split_commas)

    @field_validator("moderators")
    @classmethod
    def _slack_user_ids(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        return _ids_only(
            ids,
            r"[UW][A-Z0-9]+",
            "a Slack user id (like U0123ABCD: profile > ... > Copy member ID)",
        )

    @property
    def oauth(self) -> bool:
        """Installed per workspace through OAuth, rather than with one bot token."""
        return self.client_id is not None and self.client_secret is not None

    @property
    def configured(self) -> bool:
        return self.bot_token is not None or self.oauth


class DiscordSettings(BaseSettings):
    model_config = _section("DISCORD_")

    token: SecretStr | None = Field(None, description="The bot token from the Developer Portal.")
    guild_id: int | None = Field(None, description="Sync commands to this server only.")
    moderator_roles: CommaList = Field((), description="Role ids allowed moderator commands.")
    moderator_channel_id: int | None = Field(None, description="Where reload errors are sent.")
    sharded: bool = Field(False, description="Run as AutoShardedBot.")
    shard_count: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Shards in all (sharded; Discord's recommendation when unset).",
    )
    shard_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        (),
        description="The shards this process runs, e.g. 0,1 (needs DISCORD_SHARD_COUNT): "
        "several processes then share the bot, each its own shards.",
    )
    ask_cooldown_seconds: float = Field(3.0, ge=0, le=3600)

    _split = field_validator("moderator_roles", "shard_ids", mode="before")(_split_commas)

    @model_validator(mode="after")
    def _shards_within_count(self) -> DiscordSettings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the shards in all)")
        outside = [i for i in self.shard_ids if not 0 <= i < (self.shard_count or 0)]
        if outside:
            raise ValueError(
                f"shard ids {outside} are outside 0..{(self.shard_count or 1) - 1}"
                " (DISCORD_SHARD_COUNT)"
            )
        return self

    @property
    def runs_shards(self) -> bool:
        """Whether the bot runs as AutoShardedBot (asked for, or shards given)."""
        return self.sharded or self.shard_count is not None

    @field_validator("moderator_roles")
    @classmethod
    def _discord_role_ids(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        return _ids_only(
            ids,
            r"\d{15,22}",
            "a Discord role id (a number like 123456789012345678: Server Settings > Roles > "
            "... > Copy Role ID)",
        )

    @property
    def configured(self) -> bool:
        return self.token is not None


class LogSettings(BaseSettings):
    model_config = _section("LOG_")

    level: LogLevel | None = Field(
        None,
        description="Least severe level logged; by default INFO while serving Slack or "
        "Discord, WARNING in the console and one-shot commands.",
    )
    format: Literal["text", "json"] = Field(
        "text", description="json: one JSON object per line, for log collectors."
    )

    @field_validator("level", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        """A level in any case ("debug"); a wrong value is shown as it was written."""
        if isinstance(value, str) and value.upper() in LOG_LEVELS:
            return value.upper()
        return value


class SettingsError(Exception):
    """A setting has a value it cannot take; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    knowledge: KnowledgeSettings
    store: StoreSettings
    features: FeatureSettings
    slack: SlackSettings
    discord: DiscordSettings
    log: LogSettings = field(default_factory=LogSettings.model_construct)


_SECTIONS: dict[str, type[BaseSettings]] = {
    "knowledge": KnowledgeSettings,
    "store": StoreSettings,
    "features": FeatureSettings,
    "slack": SlackSettings,
    "discord": DiscordSettings,
    "log": LogSettings,
}


def load_settings(**overrides: BaseSettings) -> Settings:
    """Read every section; raise SettingsError naming each bad variable and what it accepts."""
    sections: dict[str, BaseSettings] = dict(overrides)
    problems: list[str] = []
    for name, cls in _SECTIONS.items():
        if name in sections:
            continue
        try:
            sections[name] = cls()
        except ValidationError as exc:
            prefix = str(cls.model_config.get("env_prefix", ""))
            for error in exc.errors():
                if not error["loc"]:  # a rule across variables: its message names them
                    problems.append(f"{prefix}*: {error['msg'].removeprefix('Value error, ')}")
                    continue
                variable = prefix + "_".join(str(p) for p in error["loc"]).upper()
                value = error.get("input")
                shown = "" if _is_secret_field(cls, error["loc"]) else f" (got {value!r})"
                problems.append(f"{variable}: {error['msg']}{shown}")
    if problems:
        raise SettingsError("bad settings:\n  " + "\n  ".join(problems))
    return Settings(**sections)  # type: ignore[arg-type]


def _is_secret_field(cls: type[BaseSettings], loc: tuple[Any, ...]) -> bool:
    field = cls.model_fields.get(str(loc[0])) if loc else None
    # repr=False marks a plain field that may hold a secret (a database URL's password).
    return field is not None and ("SecretStr" in str(field.annotation) or field.repr is False)
