"""parallel.map_slices: slices in order whatever the scheduling, progress that only goes up, and
the single-process path when workers are not worth forking."""

from __future__ import annotations

import os
import time

import pytest

from briefgen import parallel
from briefgen.parallel import available_cpus, map_slices
from tests.fresh import imports_after

Slice = tuple[int, int, int]  # start, end, pid of the process that ran it


def run_slice(start: int, end: int) -> Slice:
    # later slices finish first where there are workers: the order must not depend on it
    time.sleep(0.002 if start < 64 else 0)
    return (start, end, os.getpid())


def test_parallel_results_come_back_in_slice_order_and_cover_every_item() -> None:
    slices = map_slices(run_slice, 500, jobs=2)
    assert [(s, e) for s, e, _ in slices] == sorted((s, e) for s, e, _ in slices)
    covered = [i for start, end, _ in slices for i in range(start, end)]
    assert covered == list(range(500))
    assert {pid for _, _, pid in slices} - {os.getpid()}  # ran in forked workers


def test_parallel_items_are_computed_in_order() -> None:
    values = list(range(1000, 1300))

    def squares(start: int, end: int) -> list[int]:
        return [v * v for v in values[start:end]]  # workers read state made before the call

    chunks = map_slices(squares, len(values), jobs=2)
    assert [v for chunk in chunks for v in chunk] == [v * v for v in values]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_reports_only_go_up_and_end_at_the_total(jobs: int) -> None:
    reports: list[tuple[int, int]] = []
    slices = map_slices(run_slice, 300, jobs, progress=lambda done, total: reports.append(
        (done, total)))
    done = [d for d, _ in reports]
    assert done == sorted(set(done))  # strictly increasing
    assert {total for _, total in reports} == {300}
    assert done[-1] == 300
    assert len(reports) == len(slices)
    assert done == [end for _, end, _ in slices]


def test_one_job_runs_every_slice_in_this_process() -> None:
    slices = map_slices(run_slice, 300, jobs=1)
    assert {pid for _, _, pid in slices} == {os.getpid()}
    assert [i for s, e, _ in slices for i in range(s, e)] == list(range(300))


def test_fewer_items_than_the_minimum_run_in_this_process() -> None:
    slices = map_slices(run_slice, 63, jobs=2)
    assert {pid for _, _, pid in slices} == {os.getpid()}
    assert [i for s, e, _ in slices for i in range(s, e)] == list(range(63))


def test_the_minimum_decides_when_to_fork() -> None:
    slices = map_slices(run_slice, 10, jobs=2, minimum=5)
    assert {pid for _, _, pid in slices} - {os.getpid()}
    assert [i for s, e, _ in slices for i in range(s, e)] == list(range(10))


def test_single_process_and_parallel_results_are_equal() -> None:
    def label(start: int, end: int) -> list[str]:
        return [f"item-{i}" for i in range(start, end)]

    def flat(chunks: list[list[str]]) -> list[str]:
        return [x for chunk in chunks for x in chunk]

    assert flat(map_slices(label, 257, jobs=2)) == flat(map_slices(label, 257, jobs=1))


def test_nothing_to_do_returns_nothing_and_reports_no_progress() -> None:
    reports: list[tuple[int, int]] = []
    assert map_slices(run_slice, 0, jobs=2,
                      progress=lambda d, t: reports.append((d, t))) == []
    assert reports == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_a_slice_is_raised_and_leaves_no_state_behind(jobs: int) -> None:
    def fail_at_100(start: int, end: int) -> int:
        if start <= 100 < end:
            raise ValueError("slice failed")
        return end - start

    with pytest.raises(ValueError, match="slice failed"):
        map_slices(fail_at_100, 300, jobs)
    assert parallel._STATE == {}


def test_worker_state_is_cleared_after_a_parallel_run() -> None:
    map_slices(run_slice, 100, jobs=2)
    assert parallel._STATE == {}


def test_available_cpus_is_at_least_one() -> None:
    assert available_cpus() >= 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_sees_every_result_in_this_process_and_what_it_returns_is_kept(jobs: int) -> None:
    seen: list[tuple[int, int]] = []

    def each(result: Slice) -> Slice:
        start, end, _pid = result
        seen.append((start, end))  # runs here: a worker's list would not come back
        return (start, end, -1)

    slices = map_slices(run_slice, 500, jobs=jobs, each=each)
    assert sorted(seen) == [(s, e) for s, e, _ in slices]
    assert {pid for _, _, pid in slices} == {-1}


def test_a_run_too_small_to_share_does_not_import_multiprocessing() -> None:
    # an edit build's few jobs run here: importing multiprocessing would be their largest cost
    assert not imports_after("from briefgen.parallel import map_slices\n"
                             "assert map_slices(lambda s, e: e - s, 10, jobs=2) == [1] * 10",
                             "multiprocessing")


@pytest.mark.skipif(not os.path.exists("/lib/x86_64-linux-gnu/libc.so.6")
                    and not os.path.exists("/usr/lib/x86_64-linux-gnu/libc.so.6"),
                    reason="glibc")
def test_freed_memory_goes_back_through_glibcs_malloc_trim() -> None:
    parallel._malloc_trim.cache_clear()
    trim = parallel._malloc_trim()
    assert trim is not None
    assert trim(0) in (0, 1)  # 1: memory was released, 0: there was none to release
