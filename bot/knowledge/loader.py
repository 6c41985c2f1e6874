"""Load and validate the knowledge directory into one immutable snapshot, or precise errors."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import ValidationError

from bot.drafts import DRAFTS_DIR
from bot.knowledge.files import knowledge_files, read_knowledge_file
from bot.knowledge.models import (
    Briefing,
    Entry,
    KnowledgeFile,
    MatcherSettings,
    SourceDocument,
)
from bot.knowledge.sources import find_quote, parse_source, quote_mismatch_hint
from bot.knowledge.yaml_lines import LineMap, line_for, load_with_lines

__all__ = ["KnowledgeError", "LoadResult", "Snapshot", "load_knowledge"]

SOURCES_DIR = "sources"
# The knowledge base's own matcher settings (MatcherSettings), at the top of the folder.
MATCHER_FILE = "matcher.yaml"


@dataclass(frozen=True)
class KnowledgeError:
    """One problem in the knowledge files, worded for the moderator who must fix it."""

    path: str
    line: int | None
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" {self.entry_id}:" if self.entry_id else ""
        return f"{where}:{who} {self.message}"


@dataclass(frozen=True)
class Snapshot:
    """One consistent, validated version of all knowledge."""

    entries: tuple[Entry, ...]
    sources: Mapping[str, SourceDocument]
    briefings: tuple[Briefing, ...]
    synonyms: tuple[tuple[str, ...], ...]
    version: str
    matcher: MatcherSettings = field(default_factory=MatcherSettings)
    knowledge_name: str = "knowledge"  # the folder's name, as moderators know it
    entry_files: Mapping[str, tuple[str, int | None]] = field(default_factory=dict)
    by_id: Mapping[str, Entry] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({e.id: e for e in self.entries}))

    def briefing(self, briefing_id: str | None = None) -> Briefing | None:
        if briefing_id is None:
            return self.briefings[0] if self.briefings else None
        return next((b for b in self.briefings if b.id == briefing_id), None)


@dataclass(frozen=True)
class LoadResult:
    snapshot: Snapshot | None
    errors: tuple[KnowledgeError, ...]

    @property
    def ok(self) -> bool:
        return self.snapshot is not None


@dataclass
class _Collected:
    entries: list[tuple[Entry, str, int | None]] = field(default_factory=list)
    briefings: list[tuple[Briefing, str, int | None]] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    matcher: MatcherSettings = field(default_factory=MatcherSettings)
    errors: list[KnowledgeError] = field(default_factory=list)


def load_knowledge(directory: Path) -> LoadResult:
    """Read every YAML file and source document under directory and check them together."""
    directory = Path(directory).absolute()
    if not directory.is_dir():
        missing = KnowledgeError(
            str(directory),
            None,
            None,
            "knowledge directory not found: run from the folder that holds knowledge/, or set "
            "KNOWLEDGE_DIR (or --knowledge DIR) to the folder",
        )
        return LoadResult(None, (missing,))
    digest = hashlib.sha256()
    collected = _Collected()
    sources = _load_sources(directory, digest, collected)
    yaml_files, problems = knowledge_files(directory, (".yaml", ".yml"))
    # Drafts wait for a moderator's review: they are not knowledge yet.
    drafts = directory / DRAFTS_DIR
    yaml_files = [path for path in yaml_files if drafts not in path.parents]
    for problem in problems:
        collected.errors.append(
            KnowledgeError(_shown_path(problem.path, directory), None, None, problem.message)
        )
    if not yaml_files and not problems:
        collected.errors.append(
            KnowledgeError(str(directory), None, None, "no .yaml knowledge files found")
        )
    matcher = directory / MATCHER_FILE
    for path in yaml_files:
        shown = _shown_path(path, directory)
        try:
            raw = read_knowledge_file(path)
        except OSError as exc:
            collected.errors.append(KnowledgeError(shown, None, None, _unreadable(exc)))
            continue
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0" + raw)
        _parsed_file(shown, raw, is_matcher=path == matcher).add_to(collected)
    _check_references(collected, sources, some_file_failed=bool(collected.errors))
    if collected.errors:
        return LoadResult(None, tuple(collected.errors))
    snapshot = Snapshot(
        entries=tuple(entry for entry, _, _ in collected.entries),
        sources=MappingProxyType(sources),
        briefings=tuple(briefing for briefing, _, _ in collected.briefings),
        synonyms=tuple(collected.synonyms) + collected.matcher.synonyms,
        matcher=collected.matcher,
        knowledge_name=directory.name,
        version=digest.hexdigest()[:12],
        entry_files=MappingProxyType({e.id: (p, line) for e, p, line in collected.entries}),
    )
    return LoadResult(snapshot, ())


def _load_sources(directory: Path, digest: Any, collected: _Collected) -> dict[str, SourceDocument]:
    sources: dict[str, SourceDocument] = {}
    paths, problems = knowledge_files(directory / SOURCES_DIR, (".md",), recursive=False)
    for problem in problems:
        shown = _shown_path(problem.path, directory)
        collected.errors.append(KnowledgeError(shown, None, None, problem.message))
    for path in paths:
        shown = _shown_path(path, directory)
        try:
            raw = read_knowledge_file(path)
            text = raw.decode("utf-8")
        except OSError as exc:
            collected.errors.append(KnowledgeError(shown, None, None, _unreadable(exc)))
            continue
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"
            collected.errors.append(KnowledgeError(shown, None, None, message))
            continue
        digest.update(path.name.encode() + b"\0" + raw)
        sources[path.stem] = _parsed_source(path, text, raw)
    return sources


_SOURCE_CACHE: OrderedDict[tuple[str, bytes], SourceDocument] = OrderedDict()
# Knowledge folders may load on several threads at once (a reload beside a `knowledge check`).
_CACHE_LOCK = threading.Lock()


def _parsed_source(path: Path, text: str, raw: bytes) -> SourceDocument:
    """parse_source, remembered by path and content like the knowledge files."""
    key = (str(path), hashlib.sha256(raw).digest())
    with _CACHE_LOCK:
        source = _SOURCE_CACHE.get(key)
        if source is not None:
            _SOURCE_CACHE.move_to_end(key)
            return source
    source = parse_source(path, path.stem, text)
    with _CACHE_LOCK:
        _SOURCE_CACHE[key] = source
        if len(_SOURCE_CACHE) > FILE_CACHE_SIZE:
            _SOURCE_CACHE.popitem(last=False)
    return source


def _unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc})"


def _shown_path(path: Path, directory: Path) -> str:
    """The path as moderators know it, from the knowledge folder's name on (no server paths)."""
    return path.relative_to(directory.parent).as_posix()


@dataclass(frozen=True)
class _FileResult:
    """What one knowledge file holds, read and validated on its own."""

    entries: tuple[tuple[Entry, str, int | None], ...] = ()
    briefings: tuple[tuple[Briefing, str, int | None], ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    matcher: MatcherSettings | None = None
    errors: tuple[KnowledgeError, ...] = ()

    def add_to(self, collected: _Collected) -> None:
        collected.entries.extend(self.entries)
        collected.briefings.extend(self.briefings)
        collected.synonyms.extend(self.synonyms)
        collected.errors.extend(self.errors)
        if self.matcher is not None:
            collected.matcher = self.matcher


# Files read before, by name and content: a reload after one edit parses and validates that
# file alone, not every file again. Entries are immutable, so snapshots may share them.
_FILE_CACHE: OrderedDict[tuple[str, bool, bytes], _FileResult] = OrderedDict()
FILE_CACHE_SIZE = 2048


def _parsed_file(name: str, raw: bytes, *, is_matcher: bool) -> _FileResult:
    key = (name, is_matcher, hashlib.sha256(raw).digest())
    with _CACHE_LOCK:
        cached = _FILE_CACHE.get(key)
        if cached is not None:
            _FILE_CACHE.move_to_end(key)
            return cached
    try:
        result = _read_file(name, raw, is_matcher=is_matcher)
    except Exception as exc:  # whatever a file holds, it is reported, never raised
        message = f"could not be read: {exc.__class__.__name__}"
        result = _FileResult(errors=(KnowledgeError(name, None, None, message),))
    with _CACHE_LOCK:
        _FILE_CACHE[key] = result
        if len(_FILE_CACHE) > FILE_CACHE_SIZE:
            _FILE_CACHE.popitem(last=False)
    return result


def _read_file(name: str, raw: bytes, *, is_matcher: bool = False) -> _FileResult:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _FileResult(
            errors=(KnowledgeError(name, None, None, f"not UTF-8 text ({exc.reason})"),)
        )
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return _FileResult(errors=(KnowledgeError(name, line, None, f"broken YAML: {problem}"),))
    if data is None:
        return _FileResult()  # an empty file is allowed: a moderator may be starting one
    if is_matcher:
        try:
            return _FileResult(matcher=MatcherSettings.model_validate(data))
        except ValidationError as exc:
            return _FileResult(errors=tuple(_explain(exc, name, data, lines, top_level=True)))
    try:
        parsed = KnowledgeFile.model_validate(data)
    except ValidationError as exc:
        return _FileResult(errors=tuple(_explain(exc, name, data, lines)))
    return _FileResult(
        entries=tuple(
            (entry, name, lines.get(("entries", index)))
            for index, entry in enumerate(parsed.entries)
        ),
        briefings=tuple(
            (briefing, name, lines.get(("briefings", index)))
            for index, briefing in enumerate(parsed.briefings)
        ),
        synonyms=tuple(parsed.synonyms),
    )


def _explain(
    exc: ValidationError, name: str, data: Any, lines: LineMap, *, top_level: bool = False
) -> list[KnowledgeError]:
    """One error per problem; `top_level` for a file of settings rather than of entries."""
    errors = []
    for problem in exc.errors():
        loc = tuple(problem["loc"])
        entry_id = None if top_level else _id_at(data, loc)
        parts = loc if top_level else loc[2:]
        field_path = ".".join(str(part) for part in parts)
        message = problem["msg"]
        if problem["type"] == "missing":
            message = "is required"
        elif problem["type"] == "extra_forbidden":
            message = "is not a known field"
        elif problem["type"] == "tuple_type":
            message = "should be a list"
        where = f"{field_path}: " if field_path else (f"{loc[0]}: " if loc else "")
        errors.append(KnowledgeError(name, line_for(lines, loc), entry_id, where + message))
    return errors


def _id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and isinstance(data, dict):
        items = data.get(loc[0])
        if isinstance(items, list) and isinstance(loc[1], int) and loc[1] < len(items):
            item = items[loc[1]]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return str(item["id"])
    return None


def _check_references(
    collected: _Collected, sources: Mapping[str, SourceDocument], *, some_file_failed: bool
) -> None:
    seen: dict[str, tuple[str, int | None]] = {}
    for entry, path, line in collected.entries:
        if entry.id in seen:
            first_path, first_line = seen[entry.id]
            collected.errors.append(
                KnowledgeError(
                    path, line, entry.id, f"duplicate id (first at {first_path}:{first_line})"
                )
            )
        else:
            seen[entry.id] = (path, line)
        for index, citation in enumerate(entry.citations):
            where = f"citations[{index}]"
            source = sources.get(citation.source)
            if source is None:
                known = ", ".join(sorted(sources)) or "none"
                collected.errors.append(
                    KnowledgeError(
                        path,
                        line,
                        entry.id,
                        f"{where}.source: unknown source {citation.source!r} (known: {known})",
                    )
                )
                continue
            section = source.section(citation.section)
            if section is None:
                known = "; ".join(s.title for s in source.sections)
                collected.errors.append(
                    KnowledgeError(
                        path,
                        line,
                        entry.id,
                        f"{where}.section: no section {citation.section!r} in source "
                        f"{citation.source!r} (sections: {known})",
                    )
                )
                continue
            if not find_quote(citation.quote, section.text):
                hint = quote_mismatch_hint(citation.quote, section.text)
                collected.errors.append(
                    KnowledgeError(
                        path,
                        line,
                        entry.id,
                        f"{where}.quote: not found in section {section.title!r} of source "
                        f"{citation.source!r}{hint}",
                    )
                )
    # A file that failed to load may hold the entries a briefing names: say nothing of those
    # references until that file is fixed, rather than one false error per reference.
    briefing_ids: set[str] = set()
    for briefing, path, line in collected.briefings:
        if briefing.id in briefing_ids:
            collected.errors.append(
                KnowledgeError(path, line, briefing.id, "duplicate briefing id")
            )
        briefing_ids.add(briefing.id)
        for ref in briefing.entries:
            if ref not in seen and not some_file_failed:
                collected.errors.append(
                    KnowledgeError(path, line, briefing.id, f"entries: unknown entry {ref!r}")
                )
