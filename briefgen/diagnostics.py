"""Diagnostics: one `path:line:col: severity: message` format for every problem briefgen finds.

Hierarchy of what is raised:

    BriefgenError            a problem that stops a command (bad usage, refused output folder)
    └── BuildFailed          the build found error diagnostics; carries them all
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = [
    "BriefgenError",
    "BuildFailed",
    "Diagnostic",
    "Diagnostics",
    "Severity",
    "format_json",
]

Severity = Literal["error", "warning", "info"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, order=False)
class Diagnostic:
    """One problem at a place in a file; line and col are 1-based (0 = unknown)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    context: tuple[str, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.line, self.col, _SEVERITY_ORDER[self.severity], self.message)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.severity}: {self.message}"


class Diagnostics:
    """An ordered, de-duplicated collection of diagnostics from every stage of a run."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: dict[Diagnostic, None] = {}
        self.extend(items)

    def add(
        self,
        path: str,
        line: int,
        col: int,
        message: str,
        severity: Severity = "error",
    ) -> None:
        self._items.setdefault(Diagnostic(path, line, col, severity, message), None)

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.add(path, line, col, message, "error")

    def warning(self, path: str, line: int, col: int, message: str) -> None:
        self.add(path, line, col, message, "warning")

    def extend(self, items: Iterable[Diagnostic]) -> None:
        for item in items:
            self._items.setdefault(item, None)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(self._items, key=Diagnostic.sort_key))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        bad = {"error", "warning"} if strict else {"error"}
        return any(d.severity in bad for d in self._items)


class BriefgenError(Exception):
    """A problem that stops a command before or outside the build (bad usage, unsafe output)."""


class BuildFailed(BriefgenError):
    """The build found errors; nothing was published."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics.errors)} error(s)")


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """The diagnostics as a JSON list of objects, for machines."""
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row.pop("context")
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)
