"""Making the output: skip files whose key and bytes on disk are unchanged, make the rest (in
parallel), and report every failure with the template file and line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from briefgen.diagnostics import Diagnostics
from briefgen.jobs import Job
from briefgen.output import Output
from briefgen.parallel import Progress, map_slices
from briefgen.theme import Theme, template_error_location

__all__ = ["OWNED_DIRS", "Manifest", "RenderReport", "run_jobs"]

# Output file -> "key size mtime_ns" of the file as it was published.
Manifest = dict[str, str]
# Folders of the published site that a later build step writes (the search index): never stale.
OWNED_DIRS = ("pagefind/",)


@dataclass
class RenderReport:
    """What a run of the jobs did."""

    manifest: Manifest = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    incremental: bool = False


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


def _same_bytes(path: str, data: bytes) -> bool:
    """True when the file at path holds exactly these bytes."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _published_files(out: str) -> set[str]:
    found = set()
    for current, _dirs, files in os.walk(out):
        base = os.path.relpath(current, out)
        for name in files:
            found.add(name if base == "." else f"{base}/{name}".replace(os.sep, "/"))
    return found


def run_jobs(jobs: list[Job], output: Output, theme: Theme | None, previous: Manifest | None,
             workers: int, diags: Diagnostics, progress: Progress | None = None) -> RenderReport:
    """Make every job whose output is not already published as it would be now."""
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
    staging = str(output.staging)

    def make_slice(start: int, end: int) -> tuple[list[tuple[str, str, bool]],
                                                  list[tuple[str, int, str]]]:
        done, failed = [], []
        for job in todo[start:end]:
            try:
                if job.copy_from is not None:
                    data: str | bytes = job.copy_from.read_bytes()
                else:
                    assert job.make is not None
                    data = job.make()
                raw = data.encode("utf-8") if isinstance(data, str) else data
                published = os.path.join(out, job.rel)
                if report.incremental and _same_bytes(published, raw):
                    # a new key, the same bytes: the published file stays as it is
                    done.append((job.rel, _stamp(job.key, published), False))
                    continue
                with open(output.target(job.rel), "wb") as handle:
                    handle.write(raw)
                done.append((job.rel, _stamp(job.key, os.path.join(staging, job.rel)), True))
            except Exception as exc:  # a template or data bug: report where, publish nothing
                filename, line = template_error_location(exc)
                where = theme.label(filename) if theme is not None and filename else job.label
                what = (f"template error while rendering {_url(job.rel)}" if filename
                        else f"error while making /{job.rel}")
                failed.append((where, line, f"{what}: {type(exc).__name__}: {exc}"))
        return done, failed

    for done, failed in map_slices(make_slice, len(todo), workers, progress=progress):
        for rel, stamp, written in done:
            report.manifest[rel] = stamp
            if written:
                report.changed.add(rel)
        for where, line, message in failed:
            diags.error(where, line, 0, message)
    if report.incremental:  # anything else in the published folder goes: no stale files
        report.removed = {rel for rel in _published_files(out) - set(report.manifest)
                          if not rel.startswith(OWNED_DIRS)}
    return report
