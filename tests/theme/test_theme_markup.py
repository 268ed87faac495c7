"""What the default theme puts in the demo's pages: head tags, reader features, search hooks,
local-only assets and the CSS + JS budget."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from tests.theme.kit import PAGES, demo, demo_url

__all__ = ["demo", "demo_url"]  # fixtures used by the tests below

BUDGET = 30 * 1024  # CSS + JS of a page before search assets load, uncompressed
BRIEFING = "briefings/2026/09/frigate-contract-award/index.html"
OPINION = "briefings/2026/11/publish-cost-baselines/index.html"


def page(demo: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((demo / rel).read_bytes())


def local_file(demo: Path, demo_url: str, ref: str) -> Path:
    assert ref.startswith("/") or ref.startswith(demo_url), f"{ref} is not on the site"
    return demo / ref.removeprefix(demo_url).lstrip("/")


def test_the_briefing_head_has_canonical_social_tags_json_ld_feeds_and_icons(
        demo: Path, demo_url: str) -> None:
    doc = page(demo, BRIEFING)
    url = demo_url + BRIEFING.removesuffix("index.html")
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}
    assert meta["og:type"] == "article" and meta["og:url"] == url
    assert meta["og:title"] == meta["twitter:title"] == doc.findtext(".//h1")
    assert meta["twitter:card"] == "summary_large_image" and meta["og:description"]
    assert meta["og:image"] == meta["twitter:image"] == url + "card.png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == meta["og:title"]
    assert local_file(demo, demo_url, meta["og:image"]).read_bytes().startswith(b"\x89PNG")
    assert meta["article:section"] == "Daily brief"
    data = json.loads(doc.xpath('//script[@type="application/ld+json"]')[0].text)
    assert data["headline"] == doc.findtext(".//h1") and data["citation"]
    feeds = doc.xpath('//link[@rel="alternate"]/@type')
    assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= set(feeds)
    icons = doc.xpath('//link[@rel="icon"]/@href')
    assert all(local_file(demo, demo_url, href).is_file() for href in icons) and len(icons) == 2
    assert (demo / "assets/favicon.ico").read_bytes()[:4] == b"\0\0\1\0"


def test_every_page_loads_only_local_files(demo: Path, demo_url: str) -> None:
    for path in sorted(demo.rglob("*.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        refs = doc.xpath("//script/@src | //link[@rel='stylesheet' or @rel='icon']/@href | "
                         "//img/@src | //iframe/@src | //source/@src")
        for ref in refs:
            assert local_file(demo, demo_url, ref).is_file(), (path, ref)
        assert not doc.xpath("//iframe | //script[@src and not(starts-with(@src, '/'))]"), path


@pytest.mark.parametrize("kind", list(PAGES))
def test_css_and_js_of_a_page_stay_under_30_kb(demo: Path, demo_url: str, kind: str) -> None:
    rel = PAGES[kind].split("?")[0].lstrip("/") + "index.html"
    doc = page(demo, rel)
    refs = doc.xpath("//script/@src | //link[@rel='stylesheet']/@href")
    inline = sum(len((s.text or "").encode()) for s in doc.iter("script", "style")
                 if s.get("type") != "application/ld+json" and not s.get("src"))
    files = {ref: local_file(demo, demo_url, ref).stat().st_size for ref in refs
             if "/pagefind/" not in ref and not ref.endswith("search.js")}
    total = inline + sum(files.values())
    print(f"{kind}: {total} bytes of CSS and JS ({files}, inline {inline})")
    assert total < BUDGET, (total, files)


def test_briefing_page_has_reader_features(demo: Path) -> None:
    doc = page(demo, BRIEFING)
    assert doc.xpath('//p[@class="byline"]//span[@class="reading-time"]/text()') == ["2 min read"]
    assert doc.xpath('//p[@class="byline"]/time/text()')[0].endswith("07:45 CEST")
    share = doc.xpath('//aside[@class="share"]//a/@href')
    assert share[0].startswith("mailto:") and len(share) >= 5
    assert not doc.xpath('//aside[@class="share"]//script')
    assert doc.xpath('//button[@data-action="copy"]/@data-url')
    assert doc.xpath('//p[@id="copy-status"][@role="status"][@aria-live="polite"]')
    assert doc.xpath('//button[@data-action="print"]')
    related = doc.xpath('//section[@class="related"]//a/@href')
    assert related and all(href.startswith("/briefings/") for href in related)
    assert doc.xpath('//nav[@class="prev-next"]/a[@rel="prev"]')
    assert doc.xpath('//section[@class="authors"]//a/text()') == ["Tomas Lindqvist"]


def test_related_briefings_share_sources_or_tags(demo: Path) -> None:
    doc = page(demo, "briefings/2026/10/frigate-costs/index.html")
    related = doc.xpath('//section[@class="related"]//a/@href')
    # two shared sources and three shared tags, then one shared source and two tags
    assert related[:2] == ["/briefings/2026/11/publish-cost-baselines/",
                           "/briefings/2026/09/frigate-contract-award/"]


def test_opinion_briefings_carry_the_disclaimer_and_categories_their_description(
        demo: Path) -> None:
    doc = page(demo, OPINION)
    assert doc.xpath('//p[@class="disclaimer"]/text()') == [
        "The views expressed are the author's own and not those of the desk."]
    category = page(demo, "categories/opinion/index.html")
    assert category.xpath('//p[@class="description"]/text()')[0].startswith("Signed arguments")
    author = page(demo, "authors/mira-okafor/index.html")
    assert author.xpath('//p[@class="description"]/text()')[0].startswith("Mira edits the desk")


def test_home_page_leads_with_a_top_story(demo: Path) -> None:
    doc = page(demo, "index.html")
    top = doc.xpath('//section[@class="top-story"]//article[@class="card"]//h2/a')
    cards = doc.xpath('//article[@class="card"]//h2/a/@href')
    assert len(top) == 1 and top[0].get("href") == cards[0]


def test_search_hooks_index_briefings_pages_and_sources_but_not_the_chrome(demo: Path) -> None:
    for rel, kind in ((BRIEFING, "Briefing"), ("about/index.html", "Page"),
                      ("sources/defence-ministry-frigates-2026-09-22/index.html", "Source")):
        doc = page(demo, rel)
        body = doc.xpath("//*[@data-pagefind-body]")
        assert len(body) == 1 and body[0].get("data-pagefind-meta") == "language:en", rel
        assert doc.xpath(f'//*[@data-pagefind-meta="type:{kind}"]'), rel
        assert doc.xpath('//header[@class="site-header"]/@data-pagefind-ignore') == ["all"]
    assert page(demo, BRIEFING).xpath('//*[@data-pagefind-meta="category"]/text()') == [
        "Daily brief"]
    for rel in ("index.html", "categories/opinion/index.html", "404.html", "search/index.html"):
        assert not page(demo, rel).xpath("//*[@data-pagefind-body]"), rel
    search = page(demo, "search/index.html")
    assert search.xpath('//form[@role="search"]/@action') == ["/search/", "/search/"]
    assert (demo / "pagefind" / "pagefind.js").is_file()
