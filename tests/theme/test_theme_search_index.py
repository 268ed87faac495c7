"""The search step: Pagefind runs over the published site after publishing, its folder is owned by
that step (never removed as stale), it is skipped when no HTML changed, it goes when search is
turned off, and edits made in place one after another each find the index as they left it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.sitekit import build_errors, build_site, write_site

MakeSite = Callable[..., Path]

SITE = """
    -- briefgen.yaml --
    title: Search Desk
    base_url: https://example.org/
    search: true
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/briefings/alpha.md --
    ---
    title: Alpha auction
    date: 2026-03-01
    summary: The auction opens.
    category: analysis
    tags: [energy]
    ---
    The grid auction for winter reserves opens in March.
    -- content/briefings/beta.md --
    ---
    title: Beta fares
    date: 2026-02-01
    summary: Fares rise.
    tags: [energy]
    ---
    Ferry fares rise in spring.
    -- content/pages/about.md --
    ---
    title: About
    ---
    About the desk.
"""


def index_files(out: Path) -> dict[str, bytes]:
    """The search index's files, by their path in the site, with their bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in (out / "pagefind").rglob("*") if p.is_file()}


def index_stamps(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino
            for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_build_writes_a_search_page_and_a_pagefind_index(make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    result = build_site(root)
    out = root / "site"
    assert (out / "search/index.html").is_file()
    assert (out / "pagefind/pagefind.js").is_file()
    assert result.counts["indexed"] == 1
    assert [name for name, _ in result.timings][-3:] == ["stage", "search", "publish"]
    assert [p.name for p in root.glob("site.briefgen-*")] in ([], ["site.briefgen-spare"]), \
        "no staging folder is left behind"


def test_an_unchanged_rebuild_keeps_the_index_and_does_not_reindex(make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    out = root / "site"
    before = index_stamps(out)
    write_site(root, "-- static/extra.txt --\nnot html\n")  # a change that is not HTML
    again = build_site(root)
    assert again.counts.get("written") == 1 and again.counts["indexed"] == 0
    assert index_stamps(out) == before
    fresh = build_site(root)  # nothing at all changed: the early exit sees an intact output
    assert fresh.counts["written"] == 0 and index_stamps(out) == before


def test_changed_html_reindexes_and_the_index_matches_a_cold_build(make_site: MakeSite,
                                                                   tmp_path: Path) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    beta = root / "content/briefings/beta.md"
    beta.write_text(beta.read_text().replace("Ferry fares", "Tram fares"))
    result = build_site(root)
    assert result.counts["indexed"] == 1
    cold = tmp_path / "cold"
    build_site(root, output=cold, cache=False)
    assert index_files(root / "site") == index_files(cold)


def test_turning_search_off_removes_the_index_page_and_box(make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("search: true", "search: false"))
    build_site(root)
    out = root / "site"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert 'role="search"' not in (out / "index.html").read_text()


def test_a_page_cannot_take_the_search_url(make_site: MakeSite) -> None:
    root = make_site(SITE + """
    -- content/pages/search.md --
    ---
    title: Search tips
    ---
    Tips.
    """, config=False)
    errors = build_errors(root)
    assert any("URL /search/ is already used by the search page" in e for e in errors), errors


def test_edits_in_place_one_after_another_each_find_the_index_they_left(
        make_site: MakeSite, tmp_path: Path) -> None:
    # the index's files are named by their content: an edit in place re-indexes, and the
    # manifest it records must name the new files, not also the old ones (which made every
    # other edit a whole build, the published folder looking changed by hand)
    root = make_site(SITE, config=False)
    build_site(root)
    beta = root / "content/briefings/beta.md"
    for before, after in (("Ferry", "Tram"), ("Tram", "Bus"), ("Bus", "Rail")):
        beta.write_text(beta.read_text().replace(f"{before} fares", f"{after} fares"))
        result = build_site(root)
        steps = [name for name, _ in result.timings]
        assert "in place" in steps and "parse" not in steps, (after, steps)
        assert result.counts["indexed"] == 1
    cold = tmp_path / "cold"
    build_site(root, output=cold, cache=False)
    assert index_files(root / "site") == index_files(cold)
