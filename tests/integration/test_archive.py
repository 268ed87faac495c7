"""The archive as published: /archive/ an index of years and months with counts (no titles, and the
anchors of the old one-page archive), /archive/<year>/ a page per year with its briefings by month
and links to the years around it, /archive/<year>/ paths reserved."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import lxml.html

from tests.sitekit import build_errors, build_site

MakeSite = Callable[..., Path]


def briefing(name: str, title: str, date: str) -> str:
    return f"-- content/briefings/{name}.md --\n---\ntitle: {title}\ndate: {date}\n---\nBody.\n"


SITE = (
    briefing("jan", "January news", "2025-01-15")
    + briefing("dec", "December news", "2025-12-01")
    + briefing("feb1", "February one", "2026-02-01")
    + briefing("feb2", "February two", "2026-02-20")
    + briefing("feb3", "February three", "2026-02-10")
    # 23:30 in New York on the last day of March is already April in UTC: the site's zone wins
    + briefing("late", "Late in March", "2026-03-31T23:30:00-04:00")
    + briefing("old", "Old news", "2022-07-04")
)
TITLES = ["January news", "December news", "February one", "February two", "February three",
          "Late in March", "Old news"]


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def built(make_site: MakeSite, spec: str = SITE) -> Path:
    root = make_site(spec)
    build_site(root)
    return root / "site"


def months(page: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """A year page's month headings (id -> the titles listed under it), in page order."""
    return {h2.get("id"): [a.text_content() for a in h2.getnext().xpath(".//a")]
            for h2 in page.xpath("//main//section/h2")}


def test_the_index_lists_each_year_and_month_with_counts_and_no_briefing(
        make_site: MakeSite) -> None:
    out = built(make_site)
    page = html(out / "archive/index.html")
    main = page.xpath("//main")[0].text_content()
    assert not [title for title in TITLES if title in main]
    assert not page.xpath('//main//a[contains(@href, "/briefings/")]')
    years = page.xpath('//main//section[@class="archive-year"]')
    assert [(y.xpath("h2/a")[0].text, y.xpath("h2/a/@href")[0],
             y.xpath('p[@class="count"]')[0].text) for y in years] == [
        ("2026", "/archive/2026/", "4 briefings"),
        ("2025", "/archive/2025/", "2 briefings"),
        ("2022", "/archive/2022/", "1 briefing")]
    entries = [(li.xpath("a")[0].text, li.xpath("a/@href")[0], li.xpath("span")[0].text)
               for li in years[0].xpath(".//li")]
    assert entries == [("April", "/archive/2026/#y2026-04", "1 briefing"),
                       ("February", "/archive/2026/#y2026-02", "3 briefings")]


def test_old_links_to_a_year_or_month_of_the_archive_still_land_on_the_index(
        make_site: MakeSite) -> None:
    out = built(make_site)
    index = html(out / "archive/index.html")
    # the one-page archive's heading ids: y<year> and y<year>-<month>
    assert index.xpath('//*[@id="y2026"]')[0].tag == "h2"
    month = index.xpath('//*[@id="y2025-12"]')[0]
    [link] = month.xpath("a/@href")
    assert link == "/archive/2025/#y2025-12"
    # ...and each month entry's link lands on that month's heading on its year page
    year = html(out / "archive/2025/index.html")
    assert year.xpath('//*[@id="y2025-12"]')[0].text_content() == "December 2025"
    for href in index.xpath('//main//li/a/@href'):
        path, anchor = href.split("#")
        assert html(out / path.lstrip("/") / "index.html").xpath(f'//h2[@id="{anchor}"]'), href


def test_a_year_page_lists_exactly_that_years_briefings_by_month_newest_first(
        make_site: MakeSite) -> None:
    out = built(make_site)
    page = html(out / "archive/2026/index.html")
    assert page.xpath("//main//h1")[0].text == "2026"
    assert page.xpath('//main//header/p[@class="count"]')[0].text == "4 briefings"
    assert page.xpath('//main//p[@class="section"]/a/@href') == ["/archive/"]
    assert months(page) == {
        "y2026-04": ["Late in March"],
        "y2026-02": ["February two", "February three", "February one"],
    }
    assert [h2.text_content() for h2 in page.xpath("//main//section/h2")] == [
        "April 2026", "February 2026"]
    assert page.xpath("//title")[0].text == "2026 · Archive · Test Desk"
    assert months(html(out / "archive/2025/index.html")) == {
        "y2025-12": ["December news"], "y2025-01": ["January news"]}
    assert sorted(p.name for p in (out / "archive").iterdir()) == [
        "2022", "2025", "2026", "index.html"]


def test_a_year_page_links_to_the_newer_and_the_older_year(make_site: MakeSite) -> None:
    out = built(make_site)

    def neighbours(year: int) -> list[tuple[str | None, str | None, str]]:
        page = html(out / f"archive/{year}/index.html")
        return [(a.get("rel"), a.get("href"), a.text_content())
                for a in page.xpath('//nav[@class="prev-next"]/a')]

    assert neighbours(2026) == [("prev", "/archive/2025/", "Older 2025")]
    assert neighbours(2025) == [("next", "/archive/2026/", "Newer 2026"),
                                ("prev", "/archive/2022/", "Older 2022")]  # over 2024 and 2023
    assert neighbours(2022) == [("next", "/archive/2025/", "Newer 2025")]


def test_the_only_year_links_to_no_other(make_site: MakeSite) -> None:
    out = built(make_site, briefing("only", "Only one", "2026-02-01"))
    assert not html(out / "archive/2026/index.html").xpath('//nav[@class="prev-next"]')


def test_the_sitemap_lists_the_index_and_each_year_with_its_newest_date(
        make_site: MakeSite) -> None:
    sitemap = (built(make_site) / "sitemap.xml").read_text(encoding="utf-8")
    assert "<url><loc>https://example.org/archive/</loc></url>" in sitemap
    assert ("<url><loc>https://example.org/archive/2025/</loc>"
            "<lastmod>2025-12-01T00:00:00+00:00</lastmod></url>") in sitemap
    assert sitemap.count("https://example.org/archive/") == 4


def test_an_empty_site_has_an_archive_index_without_years(make_site: MakeSite) -> None:
    out = built(make_site, "")
    assert html(out / "archive/index.html").xpath("//main//p/text()") == ["No briefings yet."]
    assert [p.name for p in (out / "archive").iterdir()] == ["index.html"]


def test_a_page_may_not_take_the_path_of_a_year_of_the_archive(make_site: MakeSite) -> None:
    root = make_site(textwrap.dedent("""
        -- content/pages/2026.md --
        ---
        title: Our year
        ---
        Text.
        -- content/pages/1999.md --
        ---
        title: An old year
        ---
        Text.
        -- content/pages/notes.md --
        ---
        title: Notes
        ---
        Text.
    """) + briefing("b", "A briefing", "2026-02-01"))
    config = root / "briefgen.yaml"
    config.write_text(config.read_text() + "permalinks:\n  page: /archive/{slug}/\n")
    # any year is briefgen's, with briefings in it or not; /archive/notes/ is free
    assert build_errors(root) == [
        "content/pages/1999.md:1:1: error: URL /archive/1999/ is already used by the archive "
        "of 1999; give one of them another 'slug:'",
        "content/pages/2026.md:1:1: error: URL /archive/2026/ is already used by the archive "
        "of 2026; give one of them another 'slug:'"]


def test_the_archive_link_in_the_menu_marks_a_year_page_as_in_the_archive(
        make_site: Callable[..., Path]) -> None:
    root = make_site(SITE_FOR_MENU)
    build_site(root)
    index = (root / "site/archive/index.html").read_text()
    year = (root / "site/archive/2026/index.html").read_text()
    assert 'href="/archive/" aria-current="page"' in index
    assert 'href="/archive/" aria-current="true"' in year
    home = (root / "site/index.html").read_text()
    assert 'href="/archive/" aria-current' not in home


SITE_FOR_MENU = """
    -- content/briefings/a.md --
    ---
    title: A
    date: 2026-02-04T09:00:00Z
    ---
    Body.
"""
