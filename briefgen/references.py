"""Resolving a briefing's sources and citations against the source library.

Every cited id must name a library source or an inline source (from any briefing); a briefing may
cite a library source it does not list. Cited sources are numbered in order of first citation;
listed sources that are never cited become *Further reading*. A library source that no briefing
cites is a warning.
"""

from __future__ import annotations

from briefgen.diagnostics import Diagnostics
from briefgen.models import Briefing, CitedSource, Citing, Outlet, Source
from briefgen.schema import did_you_mean
from briefgen.slugs import slugify
from briefgen.urls import Urls

__all__ = [
    "collect_sources",
    "library_pages",
    "link_citing",
    "resolve_citations",
    "warn_uncited",
]

_HINT = " (add content/sources/<id>.md or write the source inline)"


def collect_sources(library: dict[str, Source], briefings: list[Briefing],
                    diags: Diagnostics) -> dict[str, Source]:
    """The library plus every inline source; an id defined twice is an error naming both."""
    sources = dict(library)
    for b in briefings:
        for ref, (line, col) in b.source_refs:
            if not isinstance(ref, Source):
                continue
            ref.line = line
            if ref.id in sources:
                first = sources[ref.id]
                diags.error(b.path, line, col, f"duplicate source id '{ref.id}' "
                            f"(already defined in {first.path}:{first.line})")
            else:
                sources[ref.id] = ref
    return sources


def resolve_citations(b: Briefing, sources: dict[str, Source], diags: Diagnostics) -> None:
    """Fill b.cited (numbered), b.further and b.sources; report unknown ids and bad syntax."""
    listed: list[Source] = []
    for ref, (line, col) in b.source_refs:
        if isinstance(ref, Source):
            if sources.get(ref.id) is ref:
                listed.append(ref)
        elif ref in sources:
            listed.append(sources[ref])
        else:
            diags.error(b.path, line, col, f"unknown source '{ref}'"
                        f"{did_you_mean(ref, sources)}{_HINT}")
    data = b.citations
    if data is not None:
        for line, col, message in data.problems:
            diags.error(b.path, line, col, message)
        for sid, line, col in data.cited_at():
            if sid not in sources:
                diags.error(b.path, line, col, f"unknown source '{sid}'"
                            f"{did_you_mean(sid, sources)}{_HINT}")
        index = data.by_source()
        b.cited = [CitedSource(number, sources[sid], *index.get(sid, ([], [])))
                   for number, sid in enumerate(data.order, 1) if sid in sources]
    cited_ids = {c.source.id for c in b.cited}
    b.further = list({s.id: s for s in listed if s.id not in cited_ids}.values())
    b.sources = [c.source for c in b.cited] + b.further


def link_citing(published: list[Briefing]) -> None:
    """Record on each source the published briefings that cite it, with the citing sentence."""
    for b in published:
        for cited in b.cited:
            sentence = b.citations.context(cited.source.id) if b.citations is not None else ""
            cited.source.cited_by.append(Citing(b, sentence))
        for source in b.further:
            source.cited_by.append(Citing(b, ""))


def warn_uncited(library: dict[str, Source], briefings: list[Briefing],
                 diags: Diagnostics) -> None:
    """A library source that no briefing cites or lists is probably a leftover."""
    used = {s.id for b in briefings for s in b.sources}
    for source in library.values():
        if source.id not in used:
            diags.warning(source.path, 1, 1, f"source '{source.id}' is never cited")


def library_pages(sources: dict[str, Source], registry: dict[str, Outlet],
                  urls: Urls) -> tuple[list[Source], dict[str, Outlet]]:
    """Sources that get a page (library ones, inline ones cited by a published briefing), and
    their outlets (named by the sources, described by outlets.yaml), each with its URL."""
    published = [s for s in sources.values() if not s.inline or s.cited_by]
    published.sort(key=lambda s: (s.outlet.lower(), -(s.published.timestamp()
                                                       if s.published else 0), s.id))
    by_name = {o.name.lower(): o for o in registry.values()}
    outlets: dict[str, Outlet] = {}
    for source in published:
        described = by_name.get(source.outlet.lower())
        outlet_id = described.id if described else slugify(source.outlet) or "unknown"
        outlet = outlets.get(outlet_id)
        if outlet is None:
            outlet = outlets[outlet_id] = Outlet(
                outlet_id, described.name if described else source.outlet,
                urls.permalink("outlet", id=outlet_id),
                described.homepage if described else "", described.country if described else "")
        outlet.sources.append(source)
        source.outlet_id = outlet_id
        source.page_url = urls.permalink("source", id=source.id)
    return published, dict(sorted(outlets.items(), key=lambda kv: kv[1].name.lower()))
