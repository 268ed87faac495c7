"""Work spread over processes: forked workers that inherit the build's state, results in order.

Workers are forked after the state they need exists (the parse context, the site model and its
jobs), so nothing large is pickled on the way in; each task names a slice of a list the workers
already have. Results come back in task order, so output never depends on scheduling.

With `jobs` processes, jobs - 1 are forked and this process is the last: the workers take slices
from the front, this process from the back, each slice claimed once under a shared lock. (A forked
worker's resident set counts the parent's pages it shares; an idle parent would hold a whole extra
copy of a large build's memory for nothing.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

__all__ = ["Progress", "available_cpus", "map_slices", "trim_memory"]

T = TypeVar("T")
_STATE: dict[str, Any] = {}
SLICES_PER_PROCESS = 24


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _claim(index: int) -> bool:
    """Take slice `index` for this process; False if another one has it."""
    claimed = _STATE["claimed"]
    with claimed.get_lock():
        if claimed[index]:
            return False
        claimed[index] = 1
        return True


def _run(task: tuple[int, int, int]) -> tuple[bool, Any]:
    index, start, end = task
    if not _claim(index):
        return False, None
    return True, _STATE["func"](start, end)


Progress = Callable[[int, int], None]


def map_slices(func: Callable[[int, int], T], total: int, jobs: int, minimum: int = 64,
               progress: Progress | None = None,
               each: Callable[[T], T] | None = None) -> list[T]:
    """func(start, end) over slices covering range(total), in `jobs` processes when worth it;
    progress(done, total) after each slice. each(result), when given, sees every slice's result
    in this process as soon as it is here (in any order) and returns what to keep of it.

    func and everything it reads must exist before the call (workers are forked from here)."""
    if total == 0:
        return []
    parallel = jobs > 1 and total >= minimum and hasattr(os, "fork")
    # Many slices, so that the two ends meet with little left for one process alone
    size = -(-total // (jobs * SLICES_PER_PROCESS if parallel else 16))
    tasks: Sequence[tuple[int, int]] = [(s, min(s + size, total)) for s in range(0, total, size)]
    keep: Callable[[T], T] = each or (lambda result: result)
    results: list[T] = []
    if not parallel:
        for start, end in tasks:
            results.append(keep(func(start, end)))
            if progress:
                progress(end, total)
        return results
    import multiprocessing  # not for a run in this process alone (an edit's few jobs)

    context = multiprocessing.get_context("fork")
    _STATE["func"] = func
    _STATE["claimed"] = context.Array("b", len(tasks), lock=True)
    done: dict[int, T] = {}
    try:
        with context.Pool(jobs - 1) as pool:
            theirs = pool.imap(_run, [(i, s, e) for i, (s, e) in enumerate(tasks)], chunksize=1)
            position = 0  # the next slice whose result to take, in order

            def take(block: bool) -> bool:
                """Take the next slice's outcome from the workers; False if it is not ready."""
                nonlocal position
                try:
                    ran, result = theirs.next(timeout=None if block else 0)
                except multiprocessing.TimeoutError:
                    return False
                if ran:  # else this process ran it, and has its result already
                    done[position] = keep(result)
                position += 1
                if progress:
                    progress(tasks[position - 1][1], total)
                return True

            # This process takes slices from the end at once (the first is the workers' own:
            # waiting for it to be done would leave this CPU idle for a whole slice).
            for index in range(len(tasks) - 1, 0, -1):
                if not _claim(index):
                    break
                done[index] = keep(func(*tasks[index]))
                while position < len(tasks) and take(block=False):
                    pass
            while position < len(tasks):
                take(block=True)
        return [done[index] for index in range(len(tasks))]
    finally:
        _STATE.clear()


def trim_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, looked up among the symbols the process has loaded (the C library
    is one; ctypes.util.find_library would run ldconfig in a subprocess to find its name)."""
    import ctypes

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim
