"""Settings: defaults work with nothing set, bad values name their variable, secrets stay hidden."""

from __future__ import annotations

import pytest

from config import SettingsError, load_settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert settings.knowledge.dir.name == "knowledge"
    assert not settings.slack.configured and not settings.discord.configured


@pytest.mark.parametrize(
    ("variable", "value", "accepts"),
    [
        ("KNOWLEDGE_DEBOUNCE_MS", "soon", "integer"),
        ("KNOWLEDGE_DEBOUNCE_MS", "5", "greater than or equal to 50"),
        ("STORE_RETENTION_DAYS", "0", "greater than or equal to 1"),
        ("SLACK_MODE", "carrier-pigeon", "'socket' or 'http'"),
        ("SLACK_PORT", "99999", "less than or equal to 65535"),
        ("DISCORD_GUILD_ID", "my-server", "integer"),
        ("FEATURE_FEEDBACK_BUTTONS", "perhaps", "boolean"),
        # A moderator given by name would be accepted and silently make nobody a moderator.
        ("SLACK_MODERATORS", "@alice", "Slack user id"),
        ("SLACK_MODERATORS", "U123ABC, alice", "Slack user id"),
        ("DISCORD_MODERATOR_ROLES", "Moderators", "Discord role id"),
        ("DISCORD_SHARD_IDS", "0,1", "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ("STORE_DATABASE", "mysql://bot@db/faq", "a SQLite file path or a postgresql:// URL"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_accepts(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, accepts: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert variable in str(caught.value)
    assert accepts in str(caught.value)


def test_an_empty_variable_means_unset(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "KNOWLEDGE_DIR=" left in a .env file must not make the working folder the knowledge."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KNOWLEDGE_DIR", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("STORE_RETENTION_DAYS", "")
    settings = load_settings()
    assert settings.knowledge.dir.name == "knowledge"
    assert not settings.slack.configured
    assert settings.store.retention_days == 90


def test_log_level_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert load_settings().log.level == "DEBUG"
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(SettingsError, match=r"LOG_LEVEL.*got 'loud'"):
        load_settings()


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_MODERATORS", "U1, U2,,U3")
    monkeypatch.setenv("DISCORD_MODERATOR_ROLES", "123456789012345678")
    settings = load_settings()
    assert settings.slack.moderators == ("U1", "U2", "U3")
    assert settings.discord.moderator_roles == ("123456789012345678",)


def test_secrets_never_show_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("DISCORD_TOKEN", "discord-very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings.slack) + str(settings.discord)


def test_shards_must_lie_within_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "2, 3")
    assert load_settings().discord.shard_ids == (2, 3)
    monkeypatch.setenv("DISCORD_SHARD_IDS", "3,4")
    with pytest.raises(SettingsError, match=r"shard ids \[4\] are outside 0..3"):
        load_settings()


def test_a_database_url_never_shows_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORE_DATABASE", "postgresql://bot:hunter2@db:5432/faq")
    settings = load_settings()
    assert settings.store.is_postgres and settings.store.location == settings.store.database
    assert "hunter2" not in repr(settings)
    monkeypatch.setenv("STORE_DATABASE", "postgresq://bot:hunter2@db:5432/faq")  # a typo
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "STORE_DATABASE" in str(caught.value) and "hunter2" not in str(caught.value)
