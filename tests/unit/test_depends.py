"""The dependency index: every job key's provenance names the memoised digests it was made from,
directly or through other digests, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build import BuildOptions
from briefgen.digests import Digests, digest, recording
from briefgen.engine.depends import DependencyIndex
from briefgen.engine.kept import full_build
from briefgen.jobs import Job
from tests.serve.test_live import SITE
from tests.sitekit import NOW


class Thing:
    """Stands for a briefing or a source: anything a memoised digest is of."""


class Kinds(Digests):
    """Digests with made-up memoised kinds over Things (no site needed)."""

    def __init__(self) -> None:
        self._memo = {}

    def card(self, thing: Thing) -> str:  # type: ignore[override]
        return self._once("card", thing, lambda: digest("card", id(thing)))

    def citing(self, thing: Thing) -> str:  # type: ignore[override]
        return self._once("citing", thing, lambda: digest("citing", self.card(thing)))


def test_a_job_key_depends_on_the_digests_it_was_made_from_even_through_others() -> None:
    a, b, c = Thing(), Thing(), Thing()
    d = Kinds()
    with recording() as provenance:
        lists_a_and_b = digest("list", [d.card(a), d.card(b)])
        jobs = [
            Job("list.html", digest("chrome", lists_a_and_b)),
            Job("feed.xml", digest(digest("feed", d.card(a)), "feed.xml")),  # a digest of one
            Job("source.html", digest("source", d.citing(c))),  # citing(c) is made of card(c)
            Job("robots.txt", digest("plain data only")),
        ]
    index = DependencyIndex(provenance, jobs)
    assert index.readers("card", a) == [0, 1]
    assert index.readers("card", b) == [0]
    assert index.readers("citing", c) == [2]
    assert index.readers("card", c) == [2]
    assert index.jobs_reading([("card", b), ("citing", c)]) == [0, 2]
    assert index.readers("card", Thing()) == []


def test_equal_digests_of_two_things_count_for_both() -> None:
    class Same(Kinds):
        def card(self, thing: Thing) -> str:  # type: ignore[override]
            return self._once("card", thing, lambda: digest("the same for everyone"))

    a, b = Thing(), Thing()
    d = Same()
    with recording() as provenance:
        jobs = [Job("a.html", digest(d.card(a))), Job("b.html", digest(d.card(b)))]
    index = DependencyIndex(provenance, jobs)
    assert index.readers("card", a) == index.readers("card", b) == [0, 1]  # more, never fewer


def test_recording_cannot_nest() -> None:
    with recording(), pytest.raises(RuntimeError), recording():
        pass


def test_without_recording_digests_are_the_same(make_site: Callable[..., Path]) -> None:
    a = Thing()
    with recording():
        recorded = Kinds().citing(a)
    assert Kinds().citing(a) == recorded


def test_every_page_of_a_briefing_reads_its_digests(make_site: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    root = make_site(SITE)
    _result, session = full_build(BuildOptions(root, now=NOW, jobs=1, output=tmp_path / "out",
                                               base_url="http://127.0.0.1:8000/"))
    [beta] = [b for b in session.site.briefings if b.path == "content/briefings/beta.md"]
    rels = {session.jobs[i].rel for i in session.index.readers("card", beta)}
    assert {"briefings/2026/02/beta/index.html", "briefings/2026/03/alpha/index.html",
            "index.html", "archive/2026/index.html", "tags/energy/index.html",
            "sources/s-two/index.html", "feed.xml"} <= rels
    assert "outlets/wire/index.html" not in rels and "sources/index.html" not in rels
    assert "archive/index.html" not in rels  # the archive's index counts briefings, names none
    own = {session.jobs[i].rel for i in session.index.readers("briefing", beta)}
    assert own == {"briefings/2026/02/beta/index.html", "feed.xml", "atom.xml", "feed.json",
                   "tags/energy/feed.xml", "tags/energy/atom.xml", "tags/energy/feed.json"}
    assert "sitemap.xml" not in rels and "robots.txt" not in rels
