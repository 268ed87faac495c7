"""The site model kept between builds, so that an edit build changes it in place (quick.py).

A build that publishes with its state on disk keeps, beside the parse results, what the preview
keeps in memory: the resolved site model (briefings held without their bodies), the position and
file of every job, the dependency index of the job keys with the digests they were made from, and
what the build reported. With it goes the *base*: a digest of everything the build read except the
bytes of briefing files. While the base is unchanged, an edit that leaves every briefing's shape
as it was (its text, title, summary...) can be made in place, as the preview does, for the cost of
loading the model, instead of parsing, resolving and keying all files again.

Briefings edited in place since the model was kept are listed with their shape then, and so are
the jobs made again since; each edit build applies every such edit again to the kept model (their
parse results are in the state), so the model on disk is written only by a whole build, and looks
again at every job an earlier edit build made (an edit undone must undo its pages too). After
MODEL_EDITS such files, or any edit beyond their content, the next build is a whole one again and
keeps a new model.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from briefgen import __version__
from briefgen.digests import Digests, digest
from briefgen.parallel import trim_memory

if TYPE_CHECKING:
    from briefgen.engine.steps import Engine

__all__ = ["MODEL_EDITS", "base_digest", "forget_model", "keep_model", "kept_meta", "load_model",
           "write_model"]

MODEL_EDITS = 16  # briefing files edited in place since the model was kept, at most

_META = "model:{}"


def base_digest(engine: Engine) -> str:
    """Everything the build reads but the bytes of its briefing files (their paths count), from
    the stats the fresh step took (computed once, and only by a build that goes on)."""
    if not engine.base:
        briefings = {os.path.join(engine.root, rel) for rel in engine.files.briefings}
        lines = [__version__, engine.options_text, engine.fingerprint, *engine.files.briefings]
        lines += [f"{path}\0{found.st_size}\0{found.st_mtime_ns}"
                  for path, found in engine.stats.items() if path not in briefings]
        engine.base = digest("\n".join(lines))
    return engine.base


def kept_meta(engine: Engine) -> dict[str, Any] | None:
    """What the state says of the kept model: {"base": ..., "edited": {path: shape},
    "rendered": [job position...]}."""
    assert engine.cache is not None
    found = engine.cache.meta(_META.format(engine.state_name()))
    return found if isinstance(found, dict) else None


def forget_model(engine: Engine) -> None:
    """The kept model is about to be out of date (set again once the build has published)."""
    assert engine.cache is not None
    engine.cache.set_meta(_META.format(engine.state_name()), None)


def write_model(engine: Engine) -> None:
    """Write the model of a whole build once its jobs are made (before rendering, which only
    adds to the build's memory): in use only once the build has published (keep_model)."""
    cache, index = engine.cache, engine.index
    assert cache is not None and index is not None
    forget_model(engine)
    entries, readers, weights = index.state()
    memo = [engine.digests.known(kind, obj) for kind, obj in entries]
    label = cache.label
    state = {
        "site": engine.site,
        "briefings": {b.path: b for b in engine.loaded.briefings},
        "held": engine.loaded.held,
        "rels": [job.rel for job in engine.jobs],
        "index": (entries, readers, weights),
        "memo": memo,
        "diagnostics": [d for d in engine.diags if d.path != label],
        "parsed": {path: frozenset(found) for path, found in engine.parsed.items()},
        "counts": dict(engine.result.counts),
    }
    engine.digests = Digests(engine.site)  # (their values are in the state now)
    trim_memory()
    site = engine.site
    flat = [*engine.loaded.briefings, *site.sources.values(),
            *(s for s in engine.loaded.library.values() if s.id not in site.sources)]
    # A briefing's citation data serves parsing and resolving it: an edit in place reads that of
    # the briefings it edits from their parse results (quick.py), and nothing else reads it.
    cache.put_model(engine.state_name(), state, flat, leave_out=frozenset({"citations"}))
    engine.model_written = True


def keep_model(engine: Engine) -> None:
    """Record the model of the build that just published: a whole build wrote it before
    rendering; an edit build lists the briefings edited and the jobs made again since
    (engine.edited, engine.rendered)."""
    cache = engine.cache
    assert cache is not None
    edited, rendered = engine.edited, engine.rendered
    if edited is None:
        if not engine.model_written:
            return
        edited, rendered = {}, []
    cache.set_meta(_META.format(engine.state_name()),
                   {"base": base_digest(engine), "edited": edited, "rendered": rendered})


def load_model(engine: Engine) -> dict[str, Any] | None:
    """The kept model, or None."""
    assert engine.cache is not None
    found = engine.cache.model(engine.state_name())
    return found if isinstance(found, dict) else None
