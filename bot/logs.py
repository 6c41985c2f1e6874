"""How the bot logs: one line per event, as text for people or as JSON for log collectors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

__all__ = ["ConnectionTracebacks", "JsonFormatter", "configure_logging"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the error if any."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# Platform libraries whose lost-connection errors are routine while offline: one line each,
# not a traceback every few seconds.
PLATFORM_LOGGERS = ("slack_sdk", "slack_bolt", "discord", "aiohttp")


class ConnectionTracebacks(logging.Filter):
    """Turn a platform library's connection error (no network, refused, timed out) into one
    line: the traceback of a network outage tells an operator nothing the line does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.name.startswith(PLATFORM_LOGGERS):
            error = record.exc_info[1]
            if isinstance(error, (OSError, TimeoutError)) or _is_client_error(error):
                record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True


def _is_client_error(error: BaseException | None) -> bool:
    return any(
        cls.__name__ in {"ClientError", "WSServerHandshakeError"} for cls in type(error).__mro__
    )


def configure_logging(level: int, fmt: str) -> None:
    """Log to stderr at `level`, as "text" or "json"."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ConnectionTracebacks())
    logging.basicConfig(level=level, handlers=[handler], force=True)
