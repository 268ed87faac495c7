"""Reading and parsing every content file: from the build state when its bytes are unchanged,
the rest in parallel.

A file whose size and modification time are those recorded by the last build (and old enough
that a later write in the same clock tick cannot hide behind them) is not read again: its
recorded key finds its parse result. Briefings are stored without their bodies, which stay in the
state until a job that renders them asks (Loaded.fill): an edit build reads one body, not all."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.cache import BuildCache
from briefgen.content import ParseContext, parse_page, parse_source, read_briefing
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.digests import body_digest
from briefgen.discover import ContentFiles
from briefgen.highlight import highlights_of
from briefgen.models import UNLOADED, Briefing, Page, Source
from briefgen.parallel import Progress, map_slices

__all__ = ["STAMPS", "Loaded", "content_keys", "load_content", "store_results"]

# A briefing with errors comes back as what could be read of it (see read_briefing).
_PARSERS = {"briefing": read_briefing, "page": parse_page, "source": parse_source}
STAMPS = "stamps"  # meta key: {path: [size, mtime_ns, key]} and when they were taken
_RACY_NS = 2_000_000_000  # a file written this close to its stamp may change within the tick


@dataclass
class Loaded:
    """The parsed content of a site, in discovery order."""

    briefings: list[Briefing] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    library: dict[str, Source] = field(default_factory=dict)
    # briefings with errors in their file: never published, their references still checked
    unparsed: list[Briefing] = field(default_factory=list)
    parsed: int = 0  # files parsed this time (the rest came from the cache)
    cache: BuildCache | None = None
    held: dict[str, str] = field(default_factory=dict)  # path -> key of a body left in the state

    def fill(self, briefings: list[Briefing]) -> list[Briefing]:
        """Read back the bodies of those briefings that were loaded without theirs (also in a
        forked worker); returns them, for hold()."""
        wanted = {b.path: b for b in briefings if b.body_html == UNLOADED}
        if not wanted:
            return []
        assert self.cache is not None
        paths = list(wanted)
        bodies = self.cache.bodies([self.held[path] for path in paths])
        for path, body in zip(paths, bodies, strict=True):
            if body is None:  # the state lost it under us: nothing published can be trusted
                raise RuntimeError(f"the build state has no body for {path}; "
                                   "build again with --no-cache")
            wanted[path].body_html, wanted[path].headings = body
        return list(wanted.values())

    @staticmethod
    def hold(briefings: list[Briefing]) -> None:
        """Let go of bodies read by fill() (they stay in the state)."""
        for b in briefings:
            b.body_html, b.headings = UNLOADED, []


def content_key(fingerprint: str, kind: str, rel: str, raw: bytes) -> str:
    """The key of a file's parse result: its bytes, kind and path under a configuration."""
    return hashlib.blake2b(f"{fingerprint}\0{kind}\0{rel}\0".encode() + raw,
                           digest_size=20).hexdigest()


def content_keys(root: Path, tasks: list[tuple[str, str]], fingerprint: str,
                 cache: BuildCache | None, stats: dict[str, os.stat_result] | None = None,
                 defer: bool = False,
                 ) -> tuple[list[str], dict[int, bytes], dict[str, list[Any]], bool]:
    """Each file's content key (from its stamp when it is unchanged, else from its bytes), the
    bytes read, the stamps to record, and whether files came or went since the last record.
    defer: a file without a trusted stamp is not read here, its key left "" (the stamp's list
    holds the same "", to be set by whoever reads it)."""
    recorded = (cache.meta(STAMPS) or {}) if cache is not None else {}
    stamps: dict[str, list[Any]] = recorded.get("files", {})
    trusted_before = int(recorded.get("at", 0)) - _RACY_NS
    keys: list[str] = []
    raws: dict[int, bytes] = {}
    fresh: dict[str, list[Any]] = {}
    for index, (kind, rel) in enumerate(tasks):
        path = os.path.join(root, rel)
        stat = (stats or {}).get(path) or os.stat(path)
        known = stamps.get(rel)
        if (known is not None and known[0] == stat.st_size and known[1] == stat.st_mtime_ns
                and stat.st_mtime_ns < trusted_before):
            key = known[2]
        elif defer:
            key = ""
        else:
            with open(path, "rb") as handle:
                raw = raws[index] = handle.read()
            key = content_key(fingerprint, kind, rel, raw)
        keys.append(key)
        fresh[rel] = [stat.st_size, stat.st_mtime_ns, key]
    return keys, raws, fresh, fresh.keys() != stamps.keys()


def _raw(root: Path, rel: str, raws: dict[int, bytes], index: int) -> bytes:
    found = raws.get(index)
    if found is None:
        found = raws[index] = (root / rel).read_bytes()
    return found


def load_content(root: Path, files: ContentFiles, ctx: ParseContext, fingerprint: str,
                 cache: BuildCache | None, jobs: int, diags: Diagnostics,
                 progress: Progress | None = None, hold_bodies: bool = True,
                 stats: dict[str, os.stat_result] | None = None) -> Loaded:
    """Parse every file (or take it from the cache); diagnostics are replayed either way.
    With a cache and hold_bodies, no briefing keeps its body: the render step reads back those
    it needs (Loaded.fill), a slice of jobs at a time. `stats` are files' stats already taken
    (by the fresh step)."""
    tasks = [("briefing", rel) for rel in files.briefings]
    tasks += [("page", rel) for rel in files.pages]
    tasks += [("source", rel) for rel in files.sources]
    stamped_at = time.time_ns()
    # Nothing stored to look up (no cache, or a cold one): each file is read, and its key
    # made, by the process that parses it, not all of them here first.
    cold = cache is None or cache.empty()
    keys, raws, stamps, moved = content_keys(root, tasks, fingerprint, cache, stats,
                                             defer=cold)
    results: list[Any] = cache.get_many(keys) if cache and not cold else [None] * len(keys)
    missing = [i for i, result in enumerate(results) if result is None]
    if not cold:
        for index in missing:  # a stamp whose entry is gone: read the file after all
            _raw(root, tasks[index][1], raws, index)

    highlights = highlights_of(ctx.md)

    def parse_slice(start: int, end: int) -> list[tuple[int, str, Any, list[Diagnostic]]]:
        """Parse a slice; with a cache, store its results from the process that parsed them
        and let go of what the state now holds, so that no body crosses between processes.
        Each file comes back with its key (made here for a file read here)."""
        out = []
        blocks: list[tuple[str, dict[str, str]]] = []  # each file's highlighted code blocks
        for index in missing[start:end]:
            kind, rel = tasks[index]
            key = keys[index]
            raw = raws.get(index)
            if raw is None:  # a cold build's
                with open(os.path.join(root, rel), "rb") as handle:
                    raw = handle.read()
                if cache is not None and not key:
                    key = content_key(fingerprint, kind, rel, raw)
            obj, found = _PARSERS[kind](rel, raw, ctx)
            out.append((index, key, obj, list(found)))
            if highlights is not None and (taken := highlights.taken()):
                blocks.append((key, taken))
        if cache is not None:
            if hold_bodies:  # first: the summary is then made once, and stored as it is kept
                for _index, _key, obj, _found in out:
                    if isinstance(obj, Briefing) and obj.citations is not None:
                        obj.citations.compact()
            store_results(cache, [(key, (obj, found)) for _index, key, obj, found in out],
                          blocks)
            if hold_bodies:
                for _index, _key, obj, _found in out:
                    if isinstance(obj, Briefing):
                        Loaded.hold([obj])  # store_results gave it its body_digest
        return out

    for chunk in map_slices(parse_slice, len(missing), jobs, progress=progress):
        for index, key, obj, found in chunk:
            results[index] = (obj, found)
            if key != keys[index]:  # made by the slice
                keys[index] = stamps[tasks[index][1]][2] = key
    loaded = Loaded(parsed=len(missing), cache=cache)
    if cache is not None:
        if missing or moved:
            cache.prune(set(keys))
        cache.set_meta(STAMPS, {"at": stamped_at, "files": stamps})
    for key, (kind, _rel), (obj, found) in zip(keys, tasks, results, strict=True):
        diags.extend(found)
        if obj is None:
            continue
        if kind == "briefing":
            if obj.body_html == UNLOADED:
                loaded.held[obj.path] = key
            broken = any(d.severity == "error" for d in found)
            (loaded.unparsed if broken else loaded.briefings).append(obj)
        elif kind == "page":
            loaded.pages.append(obj)
        else:
            loaded.library[obj.id] = obj
    return loaded


def store_results(cache: BuildCache, items: list[tuple[str, Any]],
                  blocks: Sequence[tuple[str, dict[str, str]]] = ()) -> None:
    """Store parse results; a briefing's body and headings go apart, its digest stays. blocks:
    the highlighted code blocks of the files parsed, by their key (Highlights.taken())."""
    records: list[tuple[str, Any]] = []
    bodies: list[tuple[str, Any]] = []
    taken: list[tuple[Briefing, str, list[tuple[int, str, str]]]] = []
    for key, (obj, found) in items:
        if isinstance(obj, Briefing):
            bodies.append((key, (obj.body_html, obj.headings)))
            obj.body_digest = body_digest(obj)
            # stored without them: taken out while it is pickled, given back after (a copy
            # made by dataclasses.replace cost more than the rest of a record's keeping)
            taken.append((obj, obj.body_html, obj.headings))
            obj.body_html, obj.headings = UNLOADED, []
        records.append((key, (obj, found)))
    groups = [("parse", records), ("body", bodies)]
    if blocks:
        groups.append(("highlight", list(blocks)))
    try:
        cache.put_tables(groups)
    finally:
        for obj, html, headings in taken:
            obj.body_html, obj.headings = html, headings
