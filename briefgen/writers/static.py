"""Static files: theme assets under /assets/ (the code stylesheet among them), the site's static/
as is."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostics
from briefgen.digests import digest
from briefgen.discover import walk_files
from briefgen.jobs import Job
from briefgen.theme import Theme

__all__ = ["static_jobs"]


def _copy(source: Path, rel: str) -> Job:
    stat = source.stat()
    return Job(rel, digest(str(source), stat.st_size, stat.st_mtime_ns), copy_from=source,
               label=rel)


def static_jobs(root: Path, theme: Theme, taken: set[str], diags: Diagnostics) -> list[Job]:
    """Jobs copying every static file; one that would replace a generated file is an error."""
    assets: dict[str, Path] = {}
    for folder in theme.static_dirs():  # bundled first, the site's own theme overrides it
        for rel in walk_files(folder, folder, diags):
            assets["assets/" + rel] = folder / rel
    assets.pop("assets/.keep", None)
    jobs = [_copy(source, rel) for rel, source in sorted(assets.items())]
    taken = taken | {job.rel for job in jobs}
    for rel in walk_files(root, root / "static", diags, dotfiles=True):
        target = rel.removeprefix("static/")
        if target in taken:
            diags.error(rel, 0, 0, f"static file would replace the generated /{target}")
            continue
        jobs.append(_copy(root / rel, target))
    return jobs
