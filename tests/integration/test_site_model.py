"""The site model as seen in the output: what is published, lists, pagination, pages (the archive:
test_archive.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lxml.html

from tests.sitekit import build_site

MakeSite = Callable[..., Path]


def briefing(name: str, title: str, date: str, extra: str = "") -> str:
    """One inline briefing file section."""
    lines = [f"-- content/briefings/{name}.md --", "---", f"title: {title}", f"date: {date}"]
    lines += [line for line in extra.split("\n") if line]
    return "\n".join([*lines, "---", f"Body of {title}.", ""]) + "\n"


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def card_titles(page: Path) -> list[str]:
    """The briefing titles listed on a list page, top to bottom."""
    return [a.text_content() for a in html(page).xpath('//article[@class="card"]//h2/a')]


def pager_links(page: Path) -> dict[str, str]:
    """rel -> href of a list page's pager links."""
    return {a.get("rel"): a.get("href") for a in html(page).xpath('//nav[@class="pager"]/a')}


STATES = (
    briefing("published", "Published", "2026-02-04")
    + briefing("draft", "Draft piece", "2026-02-05", "draft: true")
    + briefing("scheduled", "Scheduled piece", "2026-12-24T09:00:00+00:00")
)


def test_drafts_and_future_briefings_are_left_out_by_default(make_site: MakeSite) -> None:
    root = make_site(STATES)
    build_site(root)
    out = root / "site"
    assert (out / "briefings/2026/02/published/index.html").is_file()
    assert not (out / "briefings/2026/02/draft").exists()
    assert not (out / "briefings/2026/12").exists()
    assert card_titles(out / "index.html") == ["Published"]
    sitemap = (out / "sitemap.xml").read_text()
    assert "draft" not in sitemap and "scheduled" not in sitemap
    assert "Draft piece" not in (out / "feed.xml").read_text()


def test_drafts_option_publishes_drafts_marked_as_such(make_site: MakeSite) -> None:
    root = make_site(STATES)
    build_site(root, drafts=True)
    out = root / "site"
    page = html(out / "briefings/2026/02/draft/index.html")
    assert page.xpath('//p[@class="flag"]/text()') == ["Draft"]
    assert not (out / "briefings/2026/12").exists()
    assert card_titles(out / "index.html") == ["Draft piece", "Published"]


def test_future_option_publishes_scheduled_briefings(make_site: MakeSite) -> None:
    root = make_site(STATES)
    build_site(root, future=True)
    out = root / "site"
    page = html(out / "briefings/2026/12/scheduled/index.html")
    assert page.xpath('//p[@class="flag"]/text()') == ["Scheduled"]
    assert not (out / "briefings/2026/02/draft").exists()
    assert card_titles(out / "index.html") == ["Scheduled piece", "Published"]


def test_draft_page_is_left_out_unless_drafts(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/pages/wip.md --
        ---
        title: Work in progress
        draft: true
        ---
    """)
    build_site(root)
    assert not (root / "site/wip").exists()
    build_site(root, drafts=True)
    assert (root / "site/wip/index.html").is_file()


PAGED = "-- briefgen.yaml --\ntitle: T\nbase_url: https://example.org/\npagination: 2\n" + "".join(
    briefing(f"b{n}", f"Briefing {n}", f"2026-01-{n:02d}", "tags: [energy]") for n in range(1, 6)
)


def test_home_is_paginated_newest_first_with_prev_and_next_links(make_site: MakeSite) -> None:
    root = make_site(PAGED, config=False)
    build_site(root)
    out = root / "site"
    assert card_titles(out / "index.html") == ["Briefing 5", "Briefing 4"]
    assert card_titles(out / "page/2/index.html") == ["Briefing 3", "Briefing 2"]
    assert card_titles(out / "page/3/index.html") == ["Briefing 1"]
    assert not (out / "page/4").exists()
    assert not (out / "page/1").exists()
    assert pager_links(out / "index.html") == {"next": "/page/2/"}
    assert pager_links(out / "page/2/index.html") == {"prev": "/", "next": "/page/3/"}
    assert pager_links(out / "page/3/index.html") == {"prev": "/page/2/"}


def test_tag_pages_are_paginated_under_the_tag(make_site: MakeSite) -> None:
    root = make_site(PAGED, config=False)
    build_site(root)
    tag = root / "site/tags/energy"
    assert card_titles(tag / "index.html") == ["Briefing 5", "Briefing 4"]
    assert card_titles(tag / "page/3/index.html") == ["Briefing 1"]
    assert pager_links(tag / "page/2/index.html") == {"prev": "/tags/energy/",
                                                      "next": "/tags/energy/page/3/"}


def test_briefing_pages_link_to_the_newer_and_older_briefing(make_site: MakeSite) -> None:
    root = make_site(PAGED, config=False)
    build_site(root)

    def neighbours(n: int) -> dict[str, str]:
        page = html(root / f"site/briefings/2026/01/b{n}/index.html")
        return {a.get("rel"): a.get("href") for a in page.xpath('//nav[@class="prev-next"]/a')}

    assert neighbours(5) == {"prev": "/briefings/2026/01/b4/"}
    assert neighbours(3) == {"next": "/briefings/2026/01/b4/", "prev": "/briefings/2026/01/b2/"}
    assert neighbours(1) == {"next": "/briefings/2026/01/b2/"}


TAXONOMY = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
      description: Longer reads.
    opinion:
      name: Opinion
      disclaimer: Columnists speak for themselves.
    -- content/authors.yaml --
    a-guest:
      name: A. Guest
      bio: Writes about energy.
    -- content/briefings/one.md --
    ---
    title: Grid deal
    date: 2026-02-04
    category: analysis
    authors: [a-guest, Jane Doe]
    tags: [Air Defence, energy]
    ---
    -- content/briefings/two.md --
    ---
    title: A column
    date: 2026-02-05
    category: opinion
    authors: [a-guest]
    tags: [energy]
    ---
"""


def test_category_tag_and_author_pages_list_their_briefings(make_site: MakeSite) -> None:
    root = make_site(TAXONOMY)
    build_site(root)
    out = root / "site"
    assert card_titles(out / "categories/analysis/index.html") == ["Grid deal"]
    assert card_titles(out / "categories/opinion/index.html") == ["A column"]
    assert card_titles(out / "tags/energy/index.html") == ["A column", "Grid deal"]
    assert card_titles(out / "tags/air-defence/index.html") == ["Grid deal"]
    assert card_titles(out / "authors/a-guest/index.html") == ["A column", "Grid deal"]
    assert card_titles(out / "authors/jane-doe/index.html") == ["Grid deal"]
    category = html(out / "categories/analysis/index.html")
    assert category.findtext(".//h1") == "Analysis"
    assert category.xpath('//p[@class="description"]/text()') == ["Longer reads."]
    assert html(out / "tags/air-defence/index.html").findtext(".//h1") == "Air Defence"
    author = html(out / "authors/a-guest/index.html")
    assert author.xpath('//p[@class="description"]/text()') == ["Writes about energy."]


def test_briefing_page_shows_category_disclaimer_byline_and_tag_links(
        make_site: MakeSite) -> None:
    root = make_site(TAXONOMY)
    build_site(root)
    column = html(root / "site/briefings/2026/02/two/index.html")
    assert column.xpath('//p[@class="disclaimer"]/text()') == ["Columnists speak for themselves."]
    grid = html(root / "site/briefings/2026/02/one/index.html")
    assert [(a.text, a.get("href")) for a in grid.xpath('//p[@class="byline"]/a')] == [
        ("A. Guest", "/authors/a-guest/"), ("Jane Doe", "/authors/jane-doe/")]
    assert [(a.text, a.get("href")) for a in grid.xpath('//ul[@class="tags"]//a')] == [
        ("Air Defence", "/tags/air-defence/"), ("energy", "/tags/energy/")]


def test_categories_are_in_the_header_navigation_of_every_page(make_site: MakeSite) -> None:
    root = make_site(TAXONOMY)
    build_site(root)
    for page in ("index.html", "archive/index.html", "404.html", "tags/energy/index.html"):
        nav = html(root / "site" / page).xpath('//header[@class="site-header"]//nav//a')
        assert [(a.text, a.get("href")) for a in nav][:2] == [
            ("Analysis", "/categories/analysis/"), ("Opinion", "/categories/opinion/")], page


def test_standalone_pages_live_at_their_slug_and_menu_pages_are_in_the_header(
        make_site: MakeSite) -> None:
    root = make_site("""
        -- content/pages/about.md --
        ---
        title: About us
        menu: 2
        ---
        We read the reporting.
        -- content/pages/method.md --
        ---
        title: Methodology
        slug: how-we-work
        menu: 1
        ---
        -- content/pages/legal.md --
        ---
        title: Legal
        ---
    """)
    build_site(root)
    out = root / "site"
    about = html(out / "about/index.html")
    assert about.findtext(".//h1") == "About us"
    assert about.xpath('//div[@class="body"]/p/text()') == ["We read the reporting."]
    assert (out / "how-we-work/index.html").is_file()
    assert (out / "legal/index.html").is_file()
    nav = html(out / "index.html").xpath('//header[@class="site-header"]//nav//a')
    pages = {"/about/", "/how-we-work/", "/legal/"}
    assert [(a.text, a.get("href")) for a in nav if a.get("href") in pages] == [
        ("Methodology", "/how-we-work/"), ("About us", "/about/")]


def test_empty_site_still_has_home_archive_and_404(make_site: MakeSite) -> None:
    root = make_site()
    build_site(root)
    out = root / "site"
    assert html(out / "index.html").xpath("//main//p/text()")[-1] == "No briefings yet."
    assert html(out / "archive/index.html").xpath("//main//p/text()") == ["No briefings yet."]
    assert (out / "404.html").is_file()
