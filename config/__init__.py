"""Settings from the environment and `.env`, one class per section."""

from config.settings import (
    DiscordSettings,
    FeatureSettings,
    KnowledgeSettings,
    LogSettings,
    Settings,
    SettingsError,
    SlackSettings,
    StoreSettings,
    load_settings,
)

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
