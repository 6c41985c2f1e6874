"""Logging: INFO while serving a platform, one JSON object per line with LOG_FORMAT=json."""

from __future__ import annotations

import argparse
import json
import logging

import pytest

from bot.cli import _log_level
from bot.logs import JsonFormatter
from config import load_settings


def _args(command: str | None, verbose: bool = False) -> argparse.Namespace:
    return argparse.Namespace(command=command, verbose=verbose)


def test_serving_a_platform_logs_info_and_the_terminal_only_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _log_level(_args("run"), load_settings()) == logging.WARNING  # the console
    monkeypatch.setenv("DISCORD_TOKEN", "a.b.c")
    settings = load_settings()
    assert _log_level(_args(None), settings) == logging.INFO
    assert _log_level(_args("ask"), settings) == logging.WARNING
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    assert _log_level(_args("run"), load_settings()) == logging.ERROR
    assert _log_level(_args("run", verbose=True), load_settings()) == logging.INFO


def test_a_bad_log_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from config import SettingsError

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        load_settings()


def test_json_lines_carry_time_level_logger_message_and_error() -> None:
    try:
        raise ValueError("disk full")
    except ValueError:
        record = logging.LogRecord(
            "bot.store", logging.ERROR, __file__, 1, "log failed: %s", ("x",), exc_info=True
        )
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert "\n" not in line
    assert data["level"] == "ERROR" and data["logger"] == "bot.store"
    assert data["message"] == "log failed: x" and "disk full" in data["error"]


def test_a_platform_connection_error_is_one_line_not_a_traceback() -> None:
    from bot.logs import ConnectionTracebacks

    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except OSError:
        import sys

        record = logging.LogRecord(
            "slack_sdk.socket_mode.aiohttp", logging.ERROR, __file__, 1, "connect failed", (), None
        )
        record.exc_info = sys.exc_info()
    assert ConnectionTracebacks().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "\n" not in text and "ConnectionRefusedError" in text and "Traceback" not in text


def test_other_errors_keep_their_traceback() -> None:
    from bot.logs import ConnectionTracebacks

    try:
        raise KeyError("bug")
    except KeyError:
        import sys

        record = logging.LogRecord("discord.client", logging.ERROR, __file__, 1, "oops", (), None)
        record.exc_info = sys.exc_info()
    ConnectionTracebacks().filter(record)
    assert "Traceback" in logging.Formatter("%(message)s").format(record)
