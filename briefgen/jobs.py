"""Output jobs: one per file, with the key that decides whether it must be made again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.output import Output

__all__ = ["Job"]


@dataclass
class Job:
    """One output file: where it goes, what its bytes depend on, and how to make them.

    `make` renders the bytes (HTML, XML, JSON); `copy_from` names a file copied as is. `label`
    names the template or file to blame when making fails. `bodies` are the briefings whose
    bodies make() reads: the engine reads them back from its state before making the job.
    `place`, when set, puts the file into a whole build's staging itself and returns its path
    (a social card linked from the card cache rather than read and written again); make()
    still gives its bytes to everything else (incremental builds, in-place edits)."""

    rel: str
    key: str
    make: Callable[[], str | bytes] | None = None
    copy_from: Path | None = None
    label: str = ""
    bodies: tuple[Any, ...] = ()
    place: Callable[[Output], str] | None = None
