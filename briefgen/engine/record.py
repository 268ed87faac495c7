"""What a build that published records in its state, for the builds after it: the manifest of
the published folder, what the spare lacks, the next scheduled change, the counts and diagnostics
a build with nothing to do replays, what made the folder, and the kept model (snapshot.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from briefgen.diagnostics import format_json
from briefgen.engine.snapshot import keep_model
from briefgen.schedule import next_change, write_next_change
from briefgen.writers.search import SEARCH_DIR, search_stamps

if TYPE_CHECKING:
    from briefgen.engine.steps import Engine

__all__ = ["record_published"]


def record_published(engine: Engine, published: int, spare_known: bool) -> None:
    """Record the build that just published (at `published`, nanoseconds); spare_known: the
    spare is now the site before this build, or (a whole build) the same files."""
    cache, report, out, name = engine.cache, engine.report, engine.output.out, engine.state_name()
    assert cache is not None
    cache.set_manifest(name, {**report.manifest, **search_stamps(out)})
    if spare_known:
        differs = (report.changed | report.removed) if not engine.output.mirroring else set()
        if engine.searched in ("indexed", "removed"):
            differs.add(f"{SEARCH_DIR}/")
        cache.set_meta(f"spare:{name}", sorted(differs))
    now = engine.options.now or datetime.now(UTC)
    moment = next_change(engine.loaded.briefings, now, engine.options.drafts)
    engine.result.next_change = moment
    cache.set_meta(f"next:{name}", moment.isoformat() if moment else None)
    if engine.keeps_model:  # a build of the site (the preview's builds are not)
        write_next_change(engine.root, moment)
    cache.set_meta(f"counts:{name}", engine.result.counts)
    # replayed by a build with nothing to do: the content's, not this cache's own
    kept = [d for d in engine.diags if d.path != cache.label]
    cache.set_meta(f"diagnostics:{name}", json.loads(format_json(kept)))
    cache.set_meta(f"published:{name}", published)
    cache.set_meta(f"inputs:{name}", engine.inputs)
    cache.set_meta(f"made:{name}", engine.made)
    if engine.keeps_model:
        keep_model(engine)
