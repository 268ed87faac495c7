"""Running output jobs: skip files whose key and bytes on disk are unchanged, make the rest (in
parallel) into staging, and report every failure with the template file and line. make_bytes,
job_failure and same_bytes are the one way to make a job, blame a failure and compare bytes: the
in-place rebuilds (rerender.py) use them too."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from briefgen.diagnostics import Diagnostics
from briefgen.jobs import Job
from briefgen.output import Output
from briefgen.parallel import Progress, map_slices, trim_memory
from briefgen.theme import Theme, template_error_location

__all__ = ["OWNED_DIRS", "Manifest", "RenderReport", "job_failure", "make_bytes", "maker",
           "run_jobs", "same_bytes"]

# Output file -> "key size mtime_ns" of the file as it was published.
Manifest = dict[str, str]
# Folders of the published site that a later build step writes (the search index): never stale.
OWNED_DIRS = ("pagefind/",)
# A slice of this many jobs or more hands the memory it freed back to the system.
TRIM_FROM = 16


@dataclass
class RenderReport:
    """What a run of the jobs did."""

    manifest: Manifest = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    incremental: bool = False
    # kept as published, but changed there since the last build recorded it (the preview's
    # in-place edits, or a hand): the spare's copy may be older (output.py)
    touched: set[str] = field(default_factory=set)
    # what made the files: template (or "feeds", "static files"...) -> (files made, seconds)
    makers: dict[str, tuple[int, float]] = field(default_factory=dict)


def _stamp(key: str, path: str) -> str:
    stat = os.stat(path)
    return f"{key} {stat.st_size} {stat.st_mtime_ns}"


def _unchanged(job: Job, previous: Manifest, out: str) -> str | None:
    """The published stamp when the job's key matches and the file is as we left it."""
    stamp = previous.get(job.rel)
    if stamp is None or not stamp.startswith(job.key + " "):
        return None
    try:
        current = _stamp(job.key, os.path.join(out, job.rel))
    except OSError:
        return None
    return stamp if current == stamp else None


def _url(rel: str) -> str:
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def make_bytes(job: Job) -> bytes:
    """Make a job's bytes (raises whatever its template or copy raises)."""
    if job.copy_from is not None:
        return job.copy_from.read_bytes()
    assert job.make is not None
    made = job.make()
    return made.encode("utf-8") if isinstance(made, str) else made


def job_failure(job: Job, exc: Exception, theme: Theme | None) -> tuple[str, int, str]:
    """Where and why making a job failed: the template file and line when a template raised,
    else the job's own label."""
    filename, line = template_error_location(exc)
    where = theme.label(filename) if theme is not None and filename else job.label
    what = (f"template error while rendering {_url(job.rel)}" if filename
            else f"error while making /{job.rel}")
    return where, line, f"{what}: {type(exc).__name__}: {exc}"


def same_bytes(path: str, data: bytes) -> bool:
    """True when the file at path holds exactly these bytes."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _published_files(out: str) -> set[str]:
    """Every file under out, as site-relative paths (scandir: a third of os.walk's time)."""
    found: set[str] = set()
    pending = [("", out)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found.add(prefix + entry.name)
    return found


def maker(job: Job) -> str:
    """What a job's time is counted under: its template, or the kind of file it makes."""
    if job.copy_from is not None:
        return "static files"
    if job.label.startswith("feeds"):
        return "feeds"
    return job.label


class Bodies(Protocol):
    """Where the bodies of briefings loaded without them are read back (loader.Loaded)."""

    def fill(self, briefings: list[Any]) -> list[Any]: ...

    def hold(self, briefings: list[Any]) -> None: ...


def run_jobs(jobs: list[Job], output: Output, theme: Theme | None, previous: Manifest | None,
             workers: int, diags: Diagnostics, progress: Progress | None = None,
             bodies: Bodies | None = None, partial: bool = False) -> RenderReport:
    """Make every job whose output is not already published as it would be now. Each slice of
    jobs reads the bodies it shows from `bodies` and lets go of them when it is done, so no
    process holds every body at once. partial: the jobs are some of the site's (an edit in
    place, quick.py); every other file stays as `previous` recorded it."""
    report = RenderReport()
    seen: dict[str, str] = {}
    unique: list[Job] = []
    for job in jobs:
        if job.rel in seen:
            diags.error(job.label, 0, 0, f"{job.rel} would be written twice "
                        f"(also by {seen[job.rel]}); check permalinks and slugs")
            continue
        seen[job.rel] = job.label
        unique.append(job)
    out = str(output.out)
    report.incremental = previous is not None and output.is_ours()
    todo: list[Job] = []
    for job in unique:
        stamp = _unchanged(job, previous, out) if report.incremental and previous else None
        if stamp is None:
            todo.append(job)
        else:
            report.manifest[job.rel] = stamp
    if not report.incremental:
        output.mirror_whole()

    def make_slice(start: int, end: int) -> tuple[list[tuple[str, str, bool]],
                                                  list[tuple[str, int, str]],
                                                  dict[str, tuple[int, float]], list[str]]:
        done: list[tuple[str, str, bool]] = []
        failed: list[tuple[str, int, str]] = []
        touched: list[str] = []
        times: dict[str, tuple[int, float]] = {}
        read = bodies.fill([b for job in todo[start:end] for b in job.bodies]) if bodies else []
        for job in todo[start:end]:
            started = time.perf_counter()
            try:
                if job.place is not None and not report.incremental:
                    done.append((job.rel, _stamp(job.key, job.place(output)), True))
                    continue
                raw = make_bytes(job)
                published = os.path.join(out, job.rel)
                if report.incremental and same_bytes(published, raw):
                    # a new key, the same bytes: the published file stays as it is
                    stamp = _stamp(job.key, published)
                    recorded = (previous or {}).get(job.rel, "")
                    if recorded.partition(" ")[2] != stamp.partition(" ")[2]:
                        touched.append(job.rel)
                    done.append((job.rel, stamp, False))
                    continue
                done.append((job.rel, _stamp(job.key, output.write(job.rel, raw)), True))
            except Exception as exc:  # a template or data bug: report where, publish nothing
                failed.append(job_failure(job, exc, theme))
            finally:
                count, seconds = times.get(maker(job), (0, 0.0))
                times[maker(job)] = (count + 1, seconds + time.perf_counter() - started)
        if bodies:
            bodies.hold(read)
        if end - start >= TRIM_FROM:  # the slice's bodies and pages: a forked worker's memory
            trim_memory()             # stays its share (an edit's few pages free little)
        return done, failed, times, touched

    for done, failed, times, touched in map_slices(make_slice, len(todo), workers,
                                                   progress=progress):
        report.touched.update(touched)
        for name, (count, seconds) in times.items():
            before = report.makers.get(name, (0, 0.0))
            report.makers[name] = (before[0] + count, before[1] + seconds)
        for rel, stamp, written in done:
            report.manifest[rel] = stamp
            if written:
                report.changed.add(rel)
        for where, line, message in failed:
            diags.error(where, line, 0, message)
    if partial:  # (the folders a later step writes it records itself: search_stamps)
        kept = {rel: stamp for rel, stamp in (previous or {}).items()
                if not rel.startswith(OWNED_DIRS)}
        report.manifest = {**kept, **report.manifest}
    elif report.incremental:  # anything else in the published folder goes: no stale files
        report.removed = {rel for rel in _published_files(out) - set(report.manifest)
                          if not rel.startswith(OWNED_DIRS)}
    return report
