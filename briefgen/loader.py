"""Reading and parsing every content file: from the cache when its bytes are unchanged, the rest
in parallel."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.cache import BuildCache
from briefgen.content import ParseContext, parse_page, parse_source, read_briefing
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.discover import ContentFiles
from briefgen.models import Briefing, Page, Source
from briefgen.parallel import Progress, map_slices

__all__ = ["Loaded", "load_content"]

# A briefing with errors comes back as what could be read of it (see read_briefing).
_PARSERS = {"briefing": read_briefing, "page": parse_page, "source": parse_source}


@dataclass
class Loaded:
    """The parsed content of a site, in discovery order."""

    briefings: list[Briefing] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    library: dict[str, Source] = field(default_factory=dict)
    # briefings with errors in their file: never published, their references still checked
    unparsed: list[Briefing] = field(default_factory=list)
    parsed: int = 0  # files parsed this time (the rest came from the cache)


def load_content(root: Path, files: ContentFiles, ctx: ParseContext, fingerprint: str,
                 cache: BuildCache | None, jobs: int, diags: Diagnostics,
                 progress: Progress | None = None) -> Loaded:
    """Parse every file (or take it from the cache); diagnostics are replayed either way."""
    tasks = [("briefing", rel) for rel in files.briefings]
    tasks += [("page", rel) for rel in files.pages]
    tasks += [("source", rel) for rel in files.sources]
    raws = [(root / rel).read_bytes() for _, rel in tasks]
    keys = [hashlib.blake2b(f"{fingerprint}\0{kind}\0{rel}\0".encode() + raw,
                            digest_size=20).hexdigest()
            for (kind, rel), raw in zip(tasks, raws, strict=True)]
    results: list[Any] = cache.get_many(keys) if cache else [None] * len(keys)
    missing = [i for i, result in enumerate(results) if result is None]

    def parse_slice(start: int, end: int) -> list[tuple[Any, list[Diagnostic]]]:
        out = []
        for index in missing[start:end]:
            kind, rel = tasks[index]
            obj, found = _PARSERS[kind](rel, raws[index], ctx)
            out.append((obj, list(found)))
        return out

    fresh = [item for chunk in map_slices(parse_slice, len(missing), jobs, progress=progress)
             for item in chunk]
    for index, item in zip(missing, fresh, strict=True):
        results[index] = item
    if cache is not None:
        cache.put_many([(keys[i], results[i]) for i in missing])
        cache.prune(set(keys))
    loaded = Loaded(parsed=len(missing))
    for (kind, _rel), (obj, found) in zip(tasks, results, strict=True):
        diags.extend(found)
        if obj is None:
            continue
        if kind == "briefing":
            broken = any(d.severity == "error" for d in found)
            (loaded.unparsed if broken else loaded.briefings).append(obj)
        elif kind == "page":
            loaded.pages.append(obj)
        else:
            loaded.library[obj.id] = obj
    return loaded
