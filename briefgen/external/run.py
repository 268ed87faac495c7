"""Every host's URLs checked, a few hosts at a time and within a time limit, then reported."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from briefgen import __version__
from briefgen.clip.fetch import Fetcher
from briefgen.clip.snapshots import newest_snapshots
from briefgen.diagnostics import Diagnostics
from briefgen.external import ExternalOptions
from briefgen.external.hosts import check_host
from briefgen.external.probe import DEAD, MOVED, SKIPPED, Outcome
from briefgen.external.targets import Target, collect_targets
from briefgen.models import Source

__all__ = ["LINK_AGENT", "check_external", "summary"]

LINK_AGENT = (f"briefgen/{__version__} (checks that the articles a site cites are still online; "
              "respects robots.txt)")
_ROBOTS_BYTES = 1024 * 1024  # a robots.txt larger than this is as good as none (RFC 9309: 500 KiB)


def _fetcher(options: ExternalOptions) -> Fetcher:
    return Fetcher(allow_private=options.allow_private, timeout=options.timeout,
                   total_timeout=options.timeout * 3, max_bytes=_ROBOTS_BYTES,
                   user_agent=LINK_AGENT)


def _fetch_all(targets: list[Target], options: ExternalOptions,
               progress: Callable[[int, int], None] | None) -> dict[str, Outcome]:
    by_host: dict[str, list[Target]] = {}
    for target in targets:
        by_host.setdefault(target.host, []).append(target)
    deadline = time.monotonic() + options.time_limit
    outcomes: dict[str, Outcome] = {}
    if not by_host:
        return outcomes
    with ThreadPoolExecutor(max_workers=max(1, min(options.workers, len(by_host))),
                            thread_name_prefix="briefgen-external") as pool:
        futures = [pool.submit(check_host, queue, _fetcher(options), options, deadline)
                   for queue in by_host.values()]
        for future in as_completed(futures):
            outcomes.update(future.result())
            if progress is not None:
                progress(len(outcomes), len(targets))
    return outcomes


def _report(target: Target, outcome: Outcome, diags: Diagnostics) -> None:
    for place in target.places:
        instead = f"cite the archived copy {place.archived}" if place.archived else ""
        if outcome.kind == DEAD:
            tail = f"; {instead} instead" if instead else "; no archived copy of it is kept"
            diags.warning(place.path, place.line, place.col,
                          f"dead link {target.url}: {outcome.detail}{tail}")
        elif outcome.kind == MOVED:
            tail = f", or {instead}" if instead else ""
            diags.warning(place.path, place.line, place.col,
                          f"moved link {target.url}: it redirects permanently ({outcome.detail})"
                          f" to {outcome.moved_to}; update the url{tail}")
        elif outcome.kind == SKIPPED:
            diags.add(place.path, place.line, place.col,
                      f"not checked: {target.url}: {outcome.detail}", "info")


def check_external(root: Path, archive: str, sources: list[Source], options: ExternalOptions,
                   diags: Diagnostics, progress: Callable[[int, int], None] | None = None
                   ) -> dict[str, int]:
    """Fetch every distinct source URL safely; a dead or moved one is a warning at each `url:`
    that names it (with the archived copy to cite instead), one that could not be checked an
    info line. Returns the counts for the summary."""
    targets = collect_targets(sources, newest_snapshots(root, archive))
    outcomes = _fetch_all(targets, options, progress)
    counts = {"external_urls": len(targets), "external_warnings": 0}
    for kind in (DEAD, MOVED, SKIPPED):
        counts[f"external_{kind}"] = 0
    for target in targets:
        outcome = outcomes[target.url]
        _report(target, outcome, diags)
        if outcome.kind in (DEAD, MOVED, SKIPPED):
            counts[f"external_{outcome.kind}"] += 1
        if outcome.kind in (DEAD, MOVED):
            counts["external_warnings"] += len(target.places)
    return counts


def summary(counts: dict[str, int]) -> str:
    """'external links: 6 URLs checked, 3 warnings (2 dead, 1 moved), 1 URL not checked'."""
    def plural(count: int, one: str) -> str:
        return f"{count} {one}{'' if count == 1 else 's'}"

    checked = counts["external_urls"] - counts["external_skipped"]
    line = (f"external links: {plural(checked, 'URL')} checked, "
            f"{plural(counts['external_warnings'], 'warning')} "
            f"({counts['external_dead']} dead, {counts['external_moved']} moved)")
    if counts["external_skipped"]:
        line += f", {plural(counts['external_skipped'], 'URL')} not checked (see the info lines)"
    return line
