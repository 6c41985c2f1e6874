"""YAML loading that remembers the line of every key, so errors can point at it.

It is also guarded: nesting and aliases are bounded (a 400-byte "billion laughs" file would
otherwise expand to gigabytes) and a key given twice in one mapping is an error, not a silent
overwrite of the first.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_ALIASES", "MAX_DEPTH", "LineMap", "load_with_lines"]

LineMap = dict[tuple[str | int, ...], int]

try:  # the C loader is several times faster where libyaml is present
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined,assignment,unused-ignore]
except AttributeError:
    _Loader = yaml.SafeLoader


# Knowledge files nest a handful of levels and need no aliases at all; these bounds leave room
# for any honest file and none for a crafted one (16 aliases expand a document at most a few
# hundred times).
MAX_DEPTH = 32
MAX_ALIASES = 16


def _problem(message: str, mark: Any) -> yaml.YAMLError:
    return yaml.MarkedYAMLError(problem=message, problem_mark=mark)


def _check_bounds(text: str) -> None:
    """Walk the parser's events (cheap: nothing is built) and refuse deep nesting or many
    aliases before anything is constructed."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _problem(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _problem(
                    f"more than {MAX_ALIASES} aliases (*name): knowledge files need none",
                    event.start_mark,
                )


def load_with_lines(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return its data and a map from key path to 1-based line.

    Raises yaml.YAMLError for broken YAML, for nesting or aliases beyond the bounds, and for
    a key given twice in one mapping.
    """
    _check_bounds(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: LineMap = {}
        _record(node, (), lines)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return data, lines


def _record(node: yaml.Node, path: tuple[str | int, ...], lines: LineMap) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise _problem(
                    f"key {key!r} is given twice (first at line {seen[key]}); "
                    "the second would silently replace the first",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
            key_path = (*path, key)
            _record(value_node, key_path, lines)
            lines[key_path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), lines)


def line_for(lines: LineMap, path: tuple[str | int, ...]) -> int | None:
    """The line of the deepest known key along path."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
