"""YAML loading that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LineMap", "load_with_lines"]

LineMap = dict[tuple[str | int, ...], int]

try:  # the C loader is several times faster where libyaml is present
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined,assignment,unused-ignore]
except AttributeError:
    _Loader = yaml.SafeLoader


def load_with_lines(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return its data and a map from key path to 1-based line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: LineMap = {}
    _record(node, (), lines)
    return data, lines


def _record(node: yaml.Node, path: tuple[str | int, ...], lines: LineMap) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
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
