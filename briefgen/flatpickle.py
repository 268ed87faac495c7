"""Pickling a large linked model flat: chosen objects (briefings, sources) by reference.

The model links briefings to sources and sources back to every briefing citing them, so plain
pickle follows one chain of references through the whole site and runs out of stack on a large
one. Here the chosen objects are written as a table of their classes, then their attributes and
the value, each reference to one of them by its number, so nothing nests deeper than a few levels.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["dumps", "loads"]


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, numbers: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.numbers = numbers

    def persistent_id(self, obj: Any) -> int | None:
        return self.numbers.get(id(obj))


def dumps(value: Any, flat: Sequence[object]) -> bytes:
    """value pickled, every object of `flat` by reference (their attributes kept apart)."""
    buffer = io.BytesIO()
    pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump([type(o) for o in flat])
    numbers = {id(obj): number for number, obj in enumerate(flat)}
    _Pickler(buffer, numbers).dump(([vars(obj) for obj in flat], value))
    return buffer.getvalue()


def loads(blob: bytes, unpickler: Callable[[io.BytesIO], pickle.Unpickler]) -> Any:
    """What dumps() wrote, read through `unpickler` (which decides which classes may load)."""
    buffer = io.BytesIO(blob)
    classes = unpickler(buffer).load()
    if not isinstance(classes, list) or not all(isinstance(c, type) for c in classes):
        raise pickle.UnpicklingError("not a flat pickle")
    shells = [object.__new__(cls) for cls in classes]
    reader = unpickler(buffer)
    # (a list's own lookup: called for every reference, hundreds of thousands on a large site;
    # a bad number raises, and the file is signed by the one who wrote it)
    reader.persistent_load = shells.__getitem__  # type: ignore[method-assign]
    states, value = reader.load()
    for shell, state in zip(shells, states, strict=True):
        vars(shell).update(state)
    return value
