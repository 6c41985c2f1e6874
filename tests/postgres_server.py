"""A throwaway PostgreSQL server for the tests: a new cluster in a temp folder on 127.0.0.1.

The server binaries come from the system (Debian's `postgresql` package; `.ci/run` installs
it). PostgreSQL refuses to run as root, so under root the cluster belongs to `nobody`.
Without the binaries the PostgreSQL tests are skipped, unless FAQBOT_REQUIRE_POSTGRES is set
(as in CI), where that is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PostgresServer", "running_server"]

UNPRIVILEGED_USER = "nobody"


def _binaries() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """A running cluster; `new_database()` gives each test a database of its own."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement.encode())

    def query(self, url: str, statement: str) -> list[Any]:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(statement.encode())
            return cursor.fetchall() if cursor.description else []


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    pytest.importorskip("psycopg")
    binaries = _binaries()
    if binaries is None:
        why = "no PostgreSQL server binaries (Debian: apt-get install postgresql)"
        if os.environ.get("FAQBOT_REQUIRE_POSTGRES"):
            pytest.fail(why)
        pytest.skip(why)
    folder = Path(tempfile.mkdtemp(prefix="faqbot-pg-"))
    as_user: dict[str, Any] = {}
    if os.geteuid() == 0:
        shutil.chown(folder, user=UNPRIVILEGED_USER)
        as_user = {"user": UNPRIVILEGED_USER, "cwd": folder}
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(
            [binaries / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync"],
            check=True, capture_output=True, **as_user,
        )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        subprocess.run(
            [binaries / "pg_ctl", "-D", data, "-l", folder / "server.log", "-o", options, "-w",
             "start"],
            check=True, capture_output=True, **as_user,
        )  # fmt: skip
        try:
            yield PostgresServer(port)
        finally:
            subprocess.run(
                [binaries / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                capture_output=True, **as_user,
            )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
