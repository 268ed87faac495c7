"""Archived copies on source pages: with `clip: publish_snapshots: true` a source's newest
snapshot is published, sanitised again, and its page links it as "Archived copy (date)" in the
site's language; without the switch nothing of the archive reaches the site."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from tests.sitekit import build_site, write_site

SITE = """
-- briefgen.yaml --
title: Harbour Desk
base_url: https://example.org/
timezone: UTC
{config}
-- content/sources/ferry-fares.md --
---
title: Ferry operator raises fares
outlet: Coastline Courier
url: https://courier.example.com/2026/02/ferries/fares
---
-- content/briefings/fares.md --
---
title: Fares rise
date: 2026-02-04
---
The operator raises fares [@ferry-fares].
"""
ON = "clip:\n  publish_snapshots: true"
ARCHIVE = ".briefgen-archive/ferry-fares"
PAGE = "sources/ferry-fares/index.html"
COPY = "sources/ferry-fares/archived/index.html"
KEPT = """<!DOCTYPE html>
<meta charset="utf-8">
<title>Fares | Coastline Courier</title>
<h1>Ferry operator raises fares</h1>
<p>Tickets cost a tenth more from March, <a href="/2026/02/ferries/timetable">the operator</a>
said.</p>
"""


def make(root: Path, config: str = ON, snapshot: str | None = KEPT,
         stamp: str = "20260204T081500Z", name: str = "page.html") -> Path:
    write_site(root, SITE.replace("{config}", config))
    if snapshot is not None:
        kept = root / ARCHIVE / stamp / name
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(snapshot, encoding="utf-8")
    return root


def html(root: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((root / "site" / rel).read_bytes())


def test_source_page_links_the_published_copy_with_the_date_it_was_clipped(
        tmp_path: Path) -> None:
    root = make(tmp_path)
    older = root / ARCHIVE / "20260101T080000Z" / "page.html"
    older.parent.mkdir()
    older.write_text("<p>An older copy.</p>", encoding="utf-8")
    build_site(root)
    [link] = html(root, PAGE).xpath('//a[starts-with(text(), "Archived copy")]')
    assert link.text == "Archived copy (4 February 2026)"
    assert link.get("href") == "/sources/ferry-fares/archived/"
    copy = html(root, COPY)
    assert "Tickets cost a tenth more from March" in copy.text_content()
    assert "An older copy" not in copy.text_content()
    assert copy.xpath('//meta[@name="robots"]/@content') == ["noindex"]


def test_russian_site_names_the_archived_copy_in_russian(tmp_path: Path) -> None:
    root = make(tmp_path, config=ON + "\nlanguage: ru")
    build_site(root)
    [link] = html(root, PAGE).xpath('//a[contains(@href, "/archived/")]')
    assert link.text == "Архивная копия (4 февраля 2026)"
    assert "Архивная копия (4 февраля 2026)." in html(root, COPY).text_content()


def test_without_the_switch_no_snapshot_is_published_and_no_link_is_shown(
        tmp_path: Path) -> None:
    root = make(tmp_path, config="")
    build_site(root)
    assert not (root / "site" / COPY).exists()
    assert b"Archived copy" not in (root / "site" / PAGE).read_bytes()
    assert not any("archived" in path.as_posix() for path in (root / "site").rglob("*"))


def test_source_without_a_snapshot_has_no_link(tmp_path: Path) -> None:
    root = make(tmp_path, snapshot=None)
    build_site(root)
    assert b"Archived copy" not in (root / "site" / PAGE).read_bytes()
    assert not (root / "site" / COPY).exists()


def test_hand_edited_snapshot_cannot_put_script_on_the_site(tmp_path: Path) -> None:
    hostile = KEPT + """
<script>document.cookie</script>
<img src="x" onerror="alert(1)">
<p onclick="alert(2)" style="position:fixed">Clicked</p>
<a href="javascript:alert(3)">Run</a>
<iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="q"></form>
<svg><script>alert(4)</script></svg>
<style>body { display: none }</style>
"""
    root = make(tmp_path, snapshot=hostile)
    build_site(root)
    page = (root / "site" / COPY).read_text(encoding="utf-8")
    main = page[page.index("<main"):page.index("</main>")]
    for banned in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<form", "<input",
                   "<svg", "<style", "style=", "<img", "evil.example", "document.cookie"):
        assert banned not in main, banned
    assert "Clicked" in main and "Run" in main


def test_links_in_the_copy_lead_to_the_original_site_and_are_nofollow(tmp_path: Path) -> None:
    root = make(tmp_path)
    build_site(root)
    [link] = html(root, COPY).xpath('//div[@class="snapshot-page"]//a')
    assert link.get("href") == "https://courier.example.com/2026/02/ferries/timetable"
    assert "nofollow" in link.get("rel")


def test_text_snapshot_is_published_as_escaped_text(tmp_path: Path) -> None:
    root = make(tmp_path, snapshot="Fares <b>rise</b> & ferries slow\n", name="page.txt")
    build_site(root)
    page = (root / "site" / COPY).read_text(encoding="utf-8")
    assert "<pre>Fares &lt;b&gt;rise&lt;/b&gt; &amp; ferries slow\n</pre>" in page


def test_published_copy_is_left_out_of_the_sitemap_and_the_search_index(tmp_path: Path) -> None:
    root = make(tmp_path)
    build_site(root)
    assert b"archived" not in (root / "site" / "sitemap.xml").read_bytes()
    assert b"data-pagefind-body" not in (root / "site" / COPY).read_bytes()
