"""Build the running parts from settings: the service, its store, and the knowledge watcher."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.handoff_desk import HandoffDesk
from bot.service import QAService
from bot.store import Store
from config import Settings, load_settings

__all__ = ["Runtime", "build_runtime"]


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    service: QAService
    store: Store

    @cached_property
    def handoffs(self) -> HandoffDesk:
        """Questions passed to the moderators, the same on every platform."""
        knowledge = Path(self.settings.knowledge.dir)
        return HandoffDesk(self.store, knowledge, self.service.closest_question)


def build_runtime(settings: Settings | None = None) -> Runtime:
    """The service over the configured knowledge, logging to the configured store."""
    settings = settings or load_settings()
    store = Store(
        settings.store.location,
        retention_days=settings.store.retention_days,
        log_question_text=settings.store.log_question_text,
    )
    service = QAService.from_directory(settings.knowledge.dir, log=store)
    return Runtime(settings, service, store)
