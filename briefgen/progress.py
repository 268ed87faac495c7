"""The build's progress bar: on a terminal only, and only once a build has run over a second."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from briefgen.terminal import Printer

__all__ = ["BuildProgress"]

DELAY = 1.0


class BuildProgress:
    """A callback for BuildOptions.progress that draws a transient bar per step."""

    def __init__(self, console: Printer) -> None:
        self.console = console
        self.enabled = console.is_terminal
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < DELAY:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description:<8}"), BarColumn(),
                                MofNCompleteColumn(), transient=True,
                                console=cast("Console", self.console))  # rich's, on a terminal
            self.bar.start()
        task = self.tasks.get(step)
        if task is None:
            task = self.tasks[step] = self.bar.add_task(step, total=total)
        self.bar.update(task, completed=done, total=total)

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()
