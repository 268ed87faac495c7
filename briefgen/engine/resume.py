"""What an output folder already holds, and a copy of one with its state: how the preview starts
from the folder the last preview left (serve/preview.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.diagnostics import BriefgenError
from briefgen.engine.steps import BuildOptions, Engine
from briefgen.output import MARKER
from briefgen.swap import clone_tree

__all__ = ["adopt_output", "published_state"]


def published_state(options: BuildOptions) -> str:
    """What the output folder holds: "current" when it is exactly what a build with these
    options would make now (the check that lets a build with nothing to do stop early), "earlier"
    when a build with the same options, configuration and briefgen made it (a complete site,
    perhaps of older files), "" when neither is known."""
    engine = Engine(options)
    try:
        for name, step in engine.steps():
            if name in ("in place", "parse", "links") or engine.diags.has_errors():
                break
            step()
            if engine.fresh:
                return "current"
        cache, out = engine.cache, engine.out_dir()
        if (cache is not None and engine.made and not engine.diags.has_errors()
                and cache.meta(f"made:{engine.state_name()}") == engine.made
                and cache.manifest(engine.state_name()) is not None
                and (out / MARKER).is_file()):
            return "earlier"
        return ""
    except BriefgenError:
        return ""
    finally:
        if engine.cache is not None:
            engine.cache.close()


def adopt_output(options: BuildOptions, source: Path) -> None:
    """Make the output folder of options a copy of the folder `source` (built with the same
    options but that folder), its files hard links to source's, with source's manifest: the
    next build into it makes only what changed since source was built. An earlier copy goes."""
    engine = Engine(options)
    engine.load_config()
    if engine.diags.has_errors():
        return
    engine.open_state()
    cache = engine.cache
    assert cache is not None
    try:
        out = engine.out_dir()
        manifest = cache.manifest(engine.state_name(source))
        cache.set_manifest(engine.state_name(), None)
        shutil.rmtree(out, ignore_errors=True)
        if manifest is None or not (source / MARKER).is_file():
            return
        clone_tree(source, out)
        cache.set_manifest(engine.state_name(), manifest)
    finally:
        cache.close()
