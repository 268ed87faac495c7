"""Work spread over processes: forked workers that inherit the build's state, results in order.

Workers are forked after the state they need exists (the parse context, the site model and its
jobs), so nothing large is pickled on the way in; each task names a slice of a list the workers
already have. Results come back in task order, so output never depends on scheduling.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["Progress", "available_cpus", "map_slices"]

T = TypeVar("T")
_STATE: dict[str, Any] = {}


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run(task: tuple[int, int]) -> Any:
    func = _STATE["func"]
    return func(*task)


Progress = Callable[[int, int], None]


def map_slices(func: Callable[[int, int], T], total: int, jobs: int, minimum: int = 64,
               progress: Progress | None = None) -> list[T]:
    """func(start, end) over slices covering range(total), in `jobs` processes when worth it;
    progress(done, total) after each slice.

    func and everything it reads must exist before the call (workers are forked from here)."""
    if total == 0:
        return []
    parallel = jobs > 1 and total >= minimum and "fork" in multiprocessing.get_all_start_methods()
    size = -(-total // (jobs * 8 if parallel else 16))
    tasks: Sequence[tuple[int, int]] = [(s, min(s + size, total)) for s in range(0, total, size)]
    results: list[T] = []
    if not parallel:
        for start, end in tasks:
            results.append(func(start, end))
            if progress:
                progress(end, total)
        return results
    _STATE["func"] = func
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for (_start, end), result in zip(tasks, pool.imap(_run, tasks, chunksize=1),
                                             strict=True):
                results.append(result)
                if progress:
                    progress(end, total)
        return results
    finally:
        _STATE.clear()
