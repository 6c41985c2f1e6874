"""Shared fixtures: the real knowledge, and a writable copy of it for tests that break it."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.library import Library, load_library
from bot.service import QAService
from tests.postgres_server import PostgresServer, running_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEV_SET = PROJECT_ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def library() -> Library:
    loaded, errors = load_library(KNOWLEDGE_DIR)
    assert loaded is not None, errors
    return loaded


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole run, started on first use."""
    with running_server() as server:
        yield server


@pytest.fixture
def service(library: Library) -> QAService:
    return QAService(library, KNOWLEDGE_DIR)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the knowledge folder that a test may edit or break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


@contextlib.contextmanager
def slow_answers(service: QAService, seconds: float) -> Iterator[None]:
    """Every question takes this long more to answer (a slow disk under the log, say)."""
    original = service.ask

    def slow_ask(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return original(*args, **kwargs)

    service.ask = slow_ask  # type: ignore[method-assign]
    try:
        yield
    finally:
        service.ask = original  # type: ignore[method-assign]
