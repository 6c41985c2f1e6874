"""A memo of answers that stops growing at a bound: questions bring made-up words without
end, and remembering each one would grow memory without end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["BoundedMemo"]

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class BoundedMemo(Generic[_Key, _Value]):
    """`compute(key)`, remembered for the first `limit` keys; later keys are computed each
    time they come, and the remembered ones stay."""

    def __init__(self, compute: Callable[[_Key], _Value], limit: int) -> None:
        self._compute = compute
        self._limit = limit
        self._values: dict[_Key, _Value] = {}

    def __call__(self, key: _Key) -> _Value:
        if key in self._values:
            return self._values[key]
        value = self._compute(key)
        if len(self._values) < self._limit:
            self._values[key] = value
        return value

    def __len__(self) -> int:
        return len(self._values)
