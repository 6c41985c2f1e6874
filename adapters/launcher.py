"""Start the adapters that the settings configure, or the console when none is."""

from __future__ import annotations

import logging
from pathlib import Path

from adapters.console import run_console
from bot.service import QAService
from config import Settings

__all__ = ["launch"]

_log = logging.getLogger(__name__)


def launch(settings: Settings, knowledge_dir: Path, console_only: bool = False) -> int:
    service = QAService.from_directory(knowledge_dir)
    run_console(service)
    return 0
