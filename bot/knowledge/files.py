"""Finding and reading the knowledge folder's files: regular files only, bounded, never a hang.

Editors leave lock, swap and backup files beside the ones being edited (".#faq.yaml", a
dangling link, on every Emacs edit); a folder may be named "x.yaml"; a FIFO or a link loop
would block or fail a plain read. Each is skipped or turned into a plain error.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_FILE_BYTES",
    "FileProblem",
    "is_editor_file",
    "knowledge_files",
    "read_knowledge_file",
]

# A knowledge file or source document this big is a mistake (a pasted dump, a binary), not
# knowledge: the whole shipped knowledge is a few hundred kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class FileProblem:
    path: Path
    message: str


def is_editor_file(name: str) -> bool:
    """Hidden files and editors' lock, swap and backup files (".#x", ".x.swp", "#x#", "x~")."""
    return name.startswith((".", "#")) or name.endswith("~")


def knowledge_files(
    directory: Path, suffixes: tuple[str, ...], *, recursive: bool = True
) -> tuple[list[Path], list[FileProblem]]:
    """The files under directory with one of the suffixes, sorted, and what is wrong with the
    ones that cannot be read. Hidden folders are not entered; links to folders are not followed.
    """
    found: list[Path] = []
    problems: list[FileProblem] = []

    def unreadable_folder(error: OSError) -> None:
        # A folder that cannot be listed would silently take its files out of the knowledge;
        # one that is gone (no sources/ folder, or removed meanwhile) holds nothing to miss.
        if error.errno != errno.ENOENT:
            where = Path(error.filename) if error.filename else directory
            problems.append(FileProblem(where, f"cannot be read ({error.strerror or error})"))

    for root, folders, names in os.walk(directory, onerror=unreadable_folder, followlinks=False):
        folders[:] = sorted(f for f in folders if not is_editor_file(f)) if recursive else []
        for name in sorted(names):
            if is_editor_file(name) or not name.endswith(suffixes):
                continue
            path = Path(root) / name
            problem = _unreadable(path)
            if problem:
                problems.append(FileProblem(path, problem))
            else:
                found.append(path)
    return sorted(found), problems


def _unreadable(path: Path) -> str | None:
    try:
        status = path.stat()  # follows a link to its file
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a link that points back to itself"
        return f"cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file (a pipe, a device or a socket?)"
    if status.st_size > MAX_FILE_BYTES:
        return f"is {status.st_size:,} bytes; a knowledge file may be at most {MAX_FILE_BYTES:,}"
    return None


def read_knowledge_file(path: Path) -> bytes:
    """The file's bytes, refusing anything that is not a regular file of a sane size.

    Opened without blocking and checked again once open: a file swapped for a pipe since it
    was listed must not hang the reload.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES:,} bytes")
    return data
