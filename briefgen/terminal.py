"""Where the commands print their lines (standard error): through rich on a terminal, which
colours severities and draws progress bars, and as plain text anywhere else, so that a build in
a script or CI never loads rich (a tenth of a build with nothing to do)."""

from __future__ import annotations

import os
import sys
from typing import Any, Protocol

from briefgen.diagnostics import Diagnostic

__all__ = ["Printer", "printer"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class Printer(Protocol):
    """What the commands print with."""

    @property
    def is_terminal(self) -> bool: ...

    def print(self, text: Any, markup: bool = True) -> None: ...


class _Plain:
    """Lines as they are, on standard error."""

    is_terminal = False

    def print(self, text: Any, markup: bool = True) -> None:
        sys.stderr.write(f"{text}\n")


def printer() -> Printer:
    """A printer for standard error: rich's console on a terminal (or with FORCE_COLOR)."""
    if not (sys.stderr.isatty() or os.environ.get("FORCE_COLOR")):
        return _Plain()
    from rich.console import Console

    console: Printer = Console(stderr=True, highlight=False, soft_wrap=True)
    return console


def print_diagnostic(out: Printer, d: Diagnostic) -> None:
    """One diagnostic line, its severity coloured on a terminal."""
    if not out.is_terminal:
        out.print(d.format())
        return
    from rich.text import Text

    line = Text(d.format())
    start = line.plain.find(f": {d.severity}:") + 2
    line.stylize(_STYLE[d.severity], start, start + len(d.severity))
    out.print(line)
