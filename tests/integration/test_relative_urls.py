"""relative_urls: true: a site that works opened from a disk, every internal link relative."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from tests.sitekit import build_errors, build_site, write_site

MakeSite = Callable[..., Path]

SITE = """
    -- briefgen.yaml --
    title: Harbour Desk
    base_url: https://example.org/brief/
    relative_urls: true
    languages:
      - code: en
      - code: ru
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/briefings/2026/ferry.md --
    ---
    title: The ferry timetable changes
    date: 2026-02-04T10:00:00+00:00
    category: analysis
    tags: [transport]
    ---
    See [the about page](/about/) and [its second part](/about/#why).

    ```python
    print("timetable")
    ```
    -- content/briefings/2026/ferry-ru.md --
    ---
    title: Паромное расписание меняется
    date: 2026-02-04T11:00:00+00:00
    lang: ru
    ---
    Текст.
    -- content/pages/about.md --
    ---
    title: About
    ---
    ## Why

    We publish briefings.
"""
LINK_ATTRIBUTES = ("href", "src", "action")


def internal_links(file: Path) -> list[str]:
    tree = lxml.html.fromstring(file.read_bytes())
    return [value for el in tree.iter() for attr in LINK_ATTRIBUTES
            if (value := el.get(attr)) is not None and not urlsplit(value).scheme
            and not value.startswith("#")]


def html_pages(out: Path) -> list[Path]:
    return [p for p in sorted(out.rglob("*.html")) if p.name != "404.html"
            and "pagefind" not in p.parts]


def test_every_internal_link_and_asset_is_relative_and_reaches_a_file(
        make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root, strict=True)
    out = root / "site"
    pages = html_pages(out)
    assert len(pages) > 10
    for page in pages:
        links = internal_links(page)
        assert links, page
        for link in links:
            assert not link.startswith("/"), f"{page.relative_to(out)}: {link}"
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)}: {link} reaches no file"
            assert out.resolve() in target.parents


def test_a_briefing_links_its_stylesheets_and_body_links_from_its_own_folder(
        make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    [page] = (root / "site/briefings").rglob("ferry/index.html")
    tree = lxml.html.fromstring(page.read_bytes())
    assert tree.xpath('//link[@rel="stylesheet"]/@href') == [
        "../../../../assets/style.css", "../../../../assets/pygments.css"]
    assert tree.xpath('//a[text()="the about page"]/@href') == ["../../../../about/index.html"]
    assert tree.xpath('//a[text()="its second part"]/@href') == [
        "../../../../about/index.html#why"]
    assert tree.xpath('//a[@class="brand"]/@href') == ["../../../../index.html"]


def test_canonical_og_feeds_and_sitemap_stay_absolute(make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    out = root / "site"
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    assert home.xpath('//link[@rel="canonical"]/@href') == ["https://example.org/brief/"]
    assert home.xpath('//meta[@property="og:url"]/@content') == ["https://example.org/brief/"]
    assert all(href.startswith("https://example.org/brief/")
               for href in home.xpath('//link[@rel="alternate"]/@href'))
    rss = lxml.etree.parse(str(out / "feed.xml"))
    links = rss.xpath("//item/link/text()")
    assert links and all(link.startswith("https://example.org/brief/") for link in links)
    # the body in the feed keeps absolute links too
    assert 'href="https://example.org/brief/about/"' in (out / "feed.xml").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/brief/about/</loc>" in sitemap


def test_the_404_page_keeps_root_relative_links_for_the_server_that_shows_it_anywhere(
        make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root)
    page = lxml.html.fromstring((root / "site/404.html").read_bytes())
    assert page.xpath('//link[@rel="stylesheet"]/@href') == ["/brief/assets/style.css"]


def test_check_follows_relative_links_and_finds_a_broken_one(make_site: MakeSite) -> None:
    root = make_site(SITE, config=False)
    build_site(root, write=False, check_links=True, strict=True)  # every link reaches its page
    write_site(root, """
        -- content/pages/about.md --
        ---
        title: About
        ---
        ## Why

        See [the missing page](/nowhere/).
    """)
    errors = build_errors(root, write=False, check_links=True)
    assert errors == [
        "content/pages/about.md:6:24: error: link ../nowhere/index.html leads to no page"]


def test_turning_relative_urls_on_rewrites_every_page_of_a_cached_build(
        make_site: MakeSite) -> None:
    root = make_site(SITE.replace("relative_urls: true", "relative_urls: false"), config=False)
    build_site(root)
    home = root / "site/index.html"
    assert 'href="/brief/assets/style.css"' in home.read_text()
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("relative_urls: false", "relative_urls: true"))
    build_site(root)
    assert 'href="assets/style.css"' in home.read_text()
    for page in html_pages(root / "site"):
        assert all(not link.startswith("/") for link in internal_links(page)), page
