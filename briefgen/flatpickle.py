"""Pickling a large linked model flat: chosen objects (briefings, sources) by reference.

The model links briefings to sources and sources back to every briefing citing them, so plain
pickle follows one chain of references through the whole site and runs out of stack on a large
one. Here the chosen objects are written as a table of their classes, then their attributes and
the value, each reference to one of them as a call of `shell` with its number, so nothing nests
deeper than a few levels. (Only the chosen objects' classes are looked up in Python, through the
pickler's own dispatch table; everything else is pickled at C speed.)
"""

from __future__ import annotations

import copyreg
import io
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

__all__ = ["dump", "dumps", "loads", "shell"]

_loading = threading.local()


def shell(number: int) -> object:
    """The object numbered `number` of the table being loaded (before its attributes are set)."""
    shells: list[object] = _loading.shells
    return shells[number]


def dump(value: Any, flat: Sequence[object], file: BinaryIO,
         leave_out: frozenset[str] = frozenset()) -> None:
    """Write value pickled into file, every object of `flat` by reference (their attributes
    kept apart, but for those named in leave_out: loaded, they read their class's default)."""
    numbers = {id(obj): number for number, obj in enumerate(flat)}

    def by_number(obj: object) -> Any:
        number = numbers.get(id(obj))
        if number is None:  # one of their class, not among them: pickled as it is
            return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        return shell, (number,)

    pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump([type(o) for o in flat])
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    table: dict[type, Any] = dict(copyreg.dispatch_table)
    table.update({cls: by_number for cls in {type(obj) for obj in flat}})
    pickler.dispatch_table = table
    # Their own attribute dicts, the left-out attributes taken out while they are written and
    # put back after (copies of 12,000 dicts were most of what writing a large model cost).
    taken: list[tuple[dict[str, Any], str, Any]] = []
    try:
        for obj in flat:
            attributes = vars(obj)
            taken += [(attributes, name, attributes.pop(name))
                      for name in leave_out if name in attributes]
        pickler.dump(([vars(obj) for obj in flat], value))
    finally:
        for attributes, name, kept in taken:
            attributes[name] = kept


def dumps(value: Any, flat: Sequence[object]) -> bytes:
    """dump() into bytes."""
    buffer = io.BytesIO()
    dump(value, flat, buffer)
    return buffer.getvalue()


def loads(blob: bytes, unpickler: Callable[[io.BytesIO], pickle.Unpickler]) -> Any:
    """What dumps() wrote, read through `unpickler` (which decides which classes may load, and
    must let `shell` of this module load)."""
    buffer = io.BytesIO(blob)
    classes = unpickler(buffer).load()
    if not isinstance(classes, list) or not all(isinstance(c, type) for c in classes):
        raise pickle.UnpicklingError("not a flat pickle")
    shells = [object.__new__(cls) for cls in classes]
    _loading.shells = shells
    try:
        states, value = unpickler(buffer).load()
    finally:
        _loading.shells = None
    for obj, state in zip(shells, states, strict=True):
        vars(obj).update(state)
    return value
