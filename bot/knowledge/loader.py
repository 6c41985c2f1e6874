"""Load and validate the knowledge directory into one immutable snapshot, or precise errors."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from bot.drafts import DRAFTS_DIR
from bot.knowledge.files import knowledge_files, read_knowledge_file
from bot.knowledge.models import (
    Briefing,
    CitationSpec,
    Entry,
    KnowledgeFile,
    MatcherSettings,
    SourceDocument,
)
from bot.knowledge.sources import (
    MIN_QUOTE_WORDS,
    cut_words,
    find_quote,
    parse_source,
    quote_mismatch_hint,
)
from bot.knowledge.yaml_lines import LineMap, line_for, load_with_lines

__all__ = ["EntryLines", "KnowledgeError", "LoadResult", "Snapshot", "load_knowledge"]

SOURCES_DIR = "sources"
# The knowledge base's own matcher settings (MatcherSettings), at the top of the folder.
MATCHER_FILE = "matcher.yaml"
# The briefings, at the top of the folder. Like matcher.yaml, it may be empty: a knowledge
# base needs no briefing. Any other YAML file is a file of entries and may not be empty.
BRIEFINGS_FILES = ("briefings.yaml", "briefings.yml")
_CITATION_KEYS = ("source", "section", "quote")


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


@dataclass(frozen=True, slots=True)
class EntryLines:
    """Where an entry's parts stand in its file, for the problems found once every file is
    read: the lines of `answer:` and of each citation's `source:`, `section:` and `quote:`.
    They are kept as distances from the entry's own line, small numbers that Python shares,
    so that 100,000 entries cost little."""

    entry: int | None
    offsets: tuple[int, ...] = ()  # answer, then source, section and quote of each citation

    @classmethod
    def read(cls, lines: LineMap, at: tuple[str | int, ...], citations: int) -> EntryLines:
        entry = lines.get(at)
        if entry is None:
            return cls(None)
        keys = [("answer",)] + [
            ("citations", index, key) for index in range(citations) for key in _CITATION_KEYS
        ]
        return cls(entry, tuple(lines.get((*at, *key), entry) - entry for key in keys))

    def line(self, *key: str | int) -> int | None:
        """The line of ("answer",) or ("citations", index, "source"|"section"|"quote"); the
        entry's own line where that is not known."""
        if self.entry is None:
            return None
        slot = None
        if key == ("answer",):
            slot = 0
        elif len(key) == 3 and key[0] == "citations" and key[2] in _CITATION_KEYS:
            index = key[1]
            if isinstance(index, int) and index >= 0:
                slot = 1 + len(_CITATION_KEYS) * index + _CITATION_KEYS.index(str(key[2]))
        if slot is None or slot >= len(self.offsets):
            return self.entry
        return self.entry + self.offsets[slot]


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
    entry_lines: Mapping[str, EntryLines] = field(default_factory=dict)
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


# An entry as read: the entry, its file as moderators know it, and where its parts stand.
_ReadEntry = tuple[Entry, str, EntryLines]


@dataclass
class _Collected:
    entries: list[_ReadEntry] = field(default_factory=list)
    briefings: list[tuple[Briefing, str, int | None]] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    matcher: MatcherSettings = field(default_factory=MatcherSettings)
    errors: list[KnowledgeError] = field(default_factory=list)


def load_knowledge(directory: Path) -> LoadResult:
    """Read every YAML file and source document under directory and check them together."""
    directory = Path(os.path.abspath(directory))  # "..", "." and "kb/.." by their names
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
    sources, broken_sources = _load_sources(directory, digest, collected)
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
    briefings = {directory / name for name in BRIEFINGS_FILES}
    for path in yaml_files:
        shown = _shown_path(path, directory)
        try:
            raw = read_knowledge_file(path)
        except OSError as exc:
            collected.errors.append(KnowledgeError(shown, None, None, _unreadable(exc)))
            continue
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0" + raw)
        kind: _FileKind = (
            "matcher" if path == matcher else "briefings" if path in briefings else "entries"
        )
        _parsed_file(shown, raw, kind=kind).add_to(collected)
    _check_references(collected, sources, broken_sources, some_file_failed=bool(collected.errors))
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
        entry_files=MappingProxyType({e.id: (p, at.entry) for e, p, at in collected.entries}),
        entry_lines=MappingProxyType({e.id: at for e, _, at in collected.entries}),
    )
    return LoadResult(snapshot, ())


def _load_sources(
    directory: Path, digest: Any, collected: _Collected
) -> tuple[dict[str, SourceDocument], set[str]]:
    """The sources that load, by id, and the ids of those that do not (each reported once)."""
    sources: dict[str, SourceDocument] = {}
    broken: set[str] = set()
    paths, problems = knowledge_files(directory / SOURCES_DIR, (".md",), recursive=False)
    for problem in problems:
        shown = _shown_path(problem.path, directory)
        collected.errors.append(KnowledgeError(shown, None, None, problem.message))
        broken.add(problem.path.stem)
    for path in paths:
        shown = _shown_path(path, directory)
        try:
            raw = read_knowledge_file(path)
            text = raw.decode("utf-8")
        except OSError as exc:
            collected.errors.append(KnowledgeError(shown, None, None, _unreadable(exc)))
            broken.add(path.stem)
            continue
        except UnicodeDecodeError as exc:
            collected.errors.append(KnowledgeError(shown, *_not_utf8(raw, exc)))
            broken.add(path.stem)
            continue
        digest.update(path.name.encode() + b"\0" + raw)
        sources[path.stem] = _parsed_source(path, text, raw)
    return sources, broken


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


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, None, str]:
    """Line, no entry, and message for a file that is not UTF-8: where the first bad byte is."""
    line = raw.count(b"\n", 0, exc.start) + 1
    return line, None, f"not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"


def _shown_path(path: Path, directory: Path) -> str:
    """The path as moderators know it, from the knowledge folder's name on (no server paths)."""
    return path.relative_to(directory.parent).as_posix()


@dataclass(frozen=True)
class _FileResult:
    """What one knowledge file holds, read and validated on its own."""

    entries: tuple[_ReadEntry, ...] = ()
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
_FILE_CACHE: OrderedDict[tuple[str, str, bytes], _FileResult] = OrderedDict()
FILE_CACHE_SIZE = 2048
# What a YAML file is: matcher.yaml, the briefings file, or (any other) a file of entries.
_FileKind = Literal["matcher", "briefings", "entries"]
EMPTY_ENTRIES_FILE = "holds no entries: delete the file to remove its entries"


def _parsed_file(name: str, raw: bytes, *, kind: _FileKind) -> _FileResult:
    key = (name, kind, hashlib.sha256(raw).digest())
    with _CACHE_LOCK:
        cached = _FILE_CACHE.get(key)
        if cached is not None:
            _FILE_CACHE.move_to_end(key)
            return cached
    try:
        result = _read_file(name, raw, kind=kind)
    except Exception as exc:  # whatever a file holds, it is reported, never raised
        message = f"could not be read: {exc.__class__.__name__}"
        result = _FileResult(errors=(KnowledgeError(name, None, None, message),))
    with _CACHE_LOCK:
        _FILE_CACHE[key] = result
        if len(_FILE_CACHE) > FILE_CACHE_SIZE:
            _FILE_CACHE.popitem(last=False)
    return result


def _read_file(name: str, raw: bytes, *, kind: _FileKind = "entries") -> _FileResult:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _FileResult(errors=(KnowledgeError(name, *_not_utf8(raw, exc)),))
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        # Where the parser gave up may be lines after the slip ("[" or a quote never
        # closed): where that construct started says where to look.
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and start.line + 1 != line:
            problem = f"{problem} ({context} started on line {start.line + 1})"
        return _FileResult(errors=(KnowledgeError(name, line, None, f"broken YAML: {problem}"),))
    # A file of entries emptied by mistake (or half saved) would silently take its entries
    # out of a running bot: it is an error, and the last good knowledge keeps answering.
    if data is None:
        if kind == "entries":
            return _FileResult(errors=(KnowledgeError(name, None, None, EMPTY_ENTRIES_FILE),))
        return _FileResult()  # no settings, no briefings: both are optional
    if kind == "matcher":
        try:
            return _FileResult(matcher=MatcherSettings.model_validate(data))
        except ValidationError as exc:
            return _FileResult(errors=tuple(_explain(exc, name, data, lines, top_level=True)))
    try:
        parsed = KnowledgeFile.model_validate(data)
    except ValidationError as exc:
        return _FileResult(errors=tuple(_explain(exc, name, data, lines)))
    if kind == "entries" and not (parsed.entries or parsed.briefings or parsed.synonyms):
        line = line_for(lines, ("entries",)) if "entries" in data else None
        return _FileResult(errors=(KnowledgeError(name, line, None, EMPTY_ENTRIES_FILE),))
    return _FileResult(
        entries=tuple(
            (entry, name, EntryLines.read(lines, ("entries", index), len(entry.citations)))
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
    problems = exc.errors()
    # A list whose items all failed is then "too short" too: that says nothing more.
    inside = {tuple(p["loc"][:-1]) for p in problems if p["loc"]}
    for problem in problems:
        loc = tuple(problem["loc"])
        if problem["type"] == "too_short" and any(place[: len(loc)] == loc for place in inside):
            continue
        entry_id = None if top_level else _id_at(data, loc)
        parts = loc if top_level else loc[2:]
        # "citations[0].quote", as the other messages write a place in an entry
        field_path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts
        ).lstrip(".")
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "is required"
        elif problem["type"] == "extra_forbidden":
            message = "is not a known field"
        elif problem["type"] == "tuple_type":
            message = "should be a list"
        elif problem["type"] == "too_short" and "min_length" in problem.get("ctx", {}):
            message = f"needs at least {problem['ctx']['min_length']} item(s)"
        elif problem["type"] in {"model_type", "model_attributes_type", "dict_type"}:
            message = "should be a mapping of fields (name: value)"
        where = f"{field_path}: " if field_path else _place(loc)
        errors.append(KnowledgeError(name, line_for(lines, loc), entry_id, where + message))
    return errors


def _place(loc: tuple[Any, ...]) -> str:
    """ "entries[0]: " for an item of a top-level list, "entries: " for the list itself."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        return f"{loc[0]}[{loc[1]}]: "
    return f"{loc[0]}: " if loc else ""


def _id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and isinstance(data, dict):
        items = data.get(loc[0])
        if isinstance(items, list) and isinstance(loc[1], int) and loc[1] < len(items):
            item = items[loc[1]]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return str(item["id"])
    return None


def _check_references(
    collected: _Collected,
    sources: Mapping[str, SourceDocument],
    broken_sources: set[str],
    *,
    some_file_failed: bool,
) -> None:
    seen: dict[str, tuple[str, int | None]] = {}
    for entry, path, at in collected.entries:
        line = at.entry
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
            problem = _citation_problem(citation, sources, broken_sources)
            if problem is not None:
                key, message = problem
                collected.errors.append(
                    KnowledgeError(
                        path,
                        at.line("citations", index, key),
                        entry.id,
                        f"citations[{index}].{key}: {message}",
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


def _citation_problem(
    citation: CitationSpec, sources: Mapping[str, SourceDocument], broken_sources: set[str]
) -> tuple[str, str] | None:
    """What is wrong with one citation, as (the key at fault, message), or None."""
    source = sources.get(citation.source)
    if source is None:
        if citation.source in broken_sources:
            return None  # the source's own error says so, once for all its citations
        known = ", ".join(sorted(sources)) or "none"
        return "source", f"unknown source {citation.source!r} (known: {known})"
    section = source.section(citation.section)
    if section is None:
        known = "; ".join(s.title for s in source.sections)
        return "section", (
            f"no section {citation.section!r} in source {citation.source!r} (sections: {known})"
        )
    words = len(citation.quote.split())
    if words < MIN_QUOTE_WORDS:
        return "quote", (
            f"is {words} word{'s' if words != 1 else ''}; quote at least {MIN_QUOTE_WORDS} "
            "words of the source"
        )
    if find_quote(citation.quote, section.text):
        return None
    where = f"section {section.title!r} of source {citation.source!r}"
    cut = cut_words(citation.quote, section.text)
    if cut:
        return "quote", f"{cut} in {where}: quote whole words"
    return "quote", f"not found in {where}{quote_mismatch_hint(citation.quote, section.text)}"
