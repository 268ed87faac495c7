"""The reader's page as built (issue 14), on inline sites: bylines with the date alone or a zone
name, plain-text descriptions, authors in feeds, each language's footer, 404 page and feed
author, the page at /briefings/, and the category page without a label on every card."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
import pytest
from babel import Locale

from briefgen.markdown import plain_text
from briefgen.theme import zone_label
from tests.sitekit import build_site

MakeSite = Callable[..., Path]

SITE = """
    -- briefgen.yaml --
    title: Harbour Desk
    description: Briefings for tests.
    base_url: https://example.org/
    timezone: Europe/Oslo
    author:
      name: Harbour Desk
      email: desk@example.org
    copyright: © 2026 Harbour Desk
    social:
      Newsletter: https://example.org/newsletter/
    languages:
      - code: en
      - code: ru
        title: Редакция «Гавань»
        author:
          name: Редакция «Гавань»
        copyright: © 2026 Редакция «Гавань»
        social:
          Рассылка: https://example.org/ru/newsletter/
    -- content/categories.yaml --
    energy:
      name: Energy
    -- content/sources/port-report.md --
    ---
    title: Port report
    outlet: Port Authority
    url: https://port.example.org/report
    ---
    -- content/briefings/tender.md --
    ---
    title: The tender
    summary: 'Bids [fell](javascript:alert(1)) by *half*, says the `ministry`.'
    date: 2026-03-06
    category: energy
    authors: [Mira Okafor, Ivan Petrov]
    sources: [port-report]
    ---
    Bids fell [@port-report].
    -- content/briefings/grid.md --
    ---
    title: The grid
    date: 2026-01-09T07:45:00+01:00
    updated: 2026-07-10T09:20:00+02:00
    category: energy
    ---
    Winter and summer.
    -- content/briefings/moscow.md --
    ---
    title: A Moscow morning
    date: 2026-02-04T09:00:00+03:00
    timezone: Europe/Moscow
    ---
    Body.
    -- content/briefings/tbilisi.md --
    ---
    title: A Tbilisi evening
    date: 2026-02-04T18:25:00+04:00
    timezone: Asia/Tbilisi
    ---
    Body.
    -- content/briefings/tender.ru.md --
    ---
    title: Тендер
    lang: ru
    date: 2026-03-06
    authors: [Мира Окафор]
    ---
    Тело.
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.sitekit import write_site

    root = write_site(tmp_path_factory.mktemp("reader-page"), SITE)
    build_site(root)
    return root / "site"


def page(out: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / path / "index.html").read_bytes())


def byline_times(doc: lxml.html.HtmlElement) -> list[tuple[str | None, str]]:
    return [(t.get("datetime"), t.text_content()) for t in doc.xpath('//p[@class="byline"]/time')]


def test_a_bare_date_shows_the_date_alone(out: Path) -> None:
    assert byline_times(page(out, "briefings/2026/03/tender")) == [("2026-03-06", "6 March 2026")]
    assert byline_times(page(out, "ru/briefings/2026/03/tender")) == [
        ("2026-03-06", "6 марта 2026")]


def test_a_time_shows_with_its_zone_abbreviation_summer_and_winter(out: Path) -> None:
    assert byline_times(page(out, "briefings/2026/01/grid")) == [
        ("2026-01-09T07:45:00+01:00", "9 January 2026, 07:45 CET"),
        ("2026-07-10T09:20:00+02:00", "10 July 2026, 09:20 CEST")]


def test_a_briefing_timezone_names_its_abbreviation_or_its_city(out: Path) -> None:
    assert byline_times(page(out, "briefings/2026/02/moscow"))[0][1] == (
        "4 February 2026, 09:00 MSK")
    assert byline_times(page(out, "briefings/2026/02/tbilisi"))[0][1] == (
        "4 February 2026, 18:25 Tbilisi")


@pytest.mark.parametrize(("zone", "locale", "expected"), [
    ("Europe/Oslo", "en", "CET"), ("Europe/Moscow", "ru", "MSK"),
    ("America/New_York", "en", "EST"), ("Europe/Berlin", "de", "MEZ"),
    ("Asia/Tbilisi", "ru", "Тбилиси"), ("UTC", "en", "UTC"), ("Etc/GMT-3", "en", "GMT+03:00")])
def test_zone_label_prefers_an_abbreviation_then_a_city_then_the_offset(
        zone: str, locale: str, expected: str) -> None:
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    assert zone_label(moment, ZoneInfo(zone), Locale.parse(locale)) == expected


def test_plain_text_drops_markdown_syntax_and_link_targets_but_keeps_html_as_text() -> None:
    assert plain_text("Bids [fell](javascript:alert(1)) by *half*, says the `ministry`.") == (
        "Bids fell by half, says the ministry.")
    assert plain_text("A ![harbour map](x.png)\nand ~~no~~ more") == "A harbour map and no more"
    assert plain_text("<b>not markup</b> & 5 < 6") == "<b>not markup</b> & 5 < 6"


def test_descriptions_in_meta_tags_and_json_ld_are_plain_text(out: Path) -> None:
    doc = page(out, "briefings/2026/03/tender")
    metas = {m.get("name") or m.get("property"): m.get("content") for m in doc.iter("meta")}
    expected = "Bids fell by half, says the ministry."
    assert metas["description"] == metas["og:description"] == metas["twitter:description"] == (
        expected)
    [script] = doc.xpath('//script[@type="application/ld+json"]')
    assert json.loads(script.text)["description"] == expected
    assert "javascript:" not in lxml.etree.tostring(doc.find("head"), encoding="unicode")


def test_rss_items_name_their_authors_in_dc_creator(out: Path) -> None:
    tree = lxml.etree.parse(str(out / "feed.xml"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    items = {item.findtext("title"): item.xpath("dc:creator/text()", namespaces=ns)
             for item in tree.iter("item")}
    assert items["The tender"] == ["Mira Okafor", "Ivan Petrov"]
    assert items["The grid"] == []  # no author, no empty element
    ru = lxml.etree.parse(str(out / "ru/feed.xml"))
    assert [i.xpath("dc:creator/text()", namespaces=ns) for i in ru.iter("item")] == [
        ["Мира Окафор"]]
    assert "dc:" not in (out / "atom.xml").read_text()  # Atom has its own <author>


def test_each_language_feed_names_its_own_author_and_rights(out: Path) -> None:
    ru = json.loads((out / "ru/feed.json").read_text())
    en = json.loads((out / "feed.json").read_text())
    assert ru["authors"] == [{"name": "Редакция «Гавань»"}]
    assert en["authors"] == [{"name": "Harbour Desk"}]
    atom = lxml.etree.parse(str(out / "ru/atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.xpath("/a:feed/a:author/a:name/text()", namespaces=ns) == ["Редакция «Гавань»"]
    # the author's e-mail is the site's: a language's author is read over the site's
    assert atom.xpath("/a:feed/a:author/a:email/text()", namespaces=ns) == ["desk@example.org"]
    assert atom.xpath("/a:feed/a:rights/text()", namespaces=ns) == ["© 2026 Редакция «Гавань»"]


def test_russian_pages_have_a_russian_footer(out: Path) -> None:
    for path in ("ru", "ru/briefings/2026/03/tender"):
        footer = page(out, path).xpath('//footer[@class="site-footer"]')[0]
        assert footer.xpath('.//ul[@class="social"]//a/text()') == ["Рассылка"]
        assert footer.xpath('.//p[@class="copyright"]/text()') == ["© 2026 Редакция «Гавань»"]
    footer = page(out, "").xpath('//footer[@class="site-footer"]')[0]
    assert footer.xpath('.//ul[@class="social"]//a/text()') == ["Newsletter"]
    assert footer.xpath('.//p[@class="copyright"]/text()') == ["© 2026 Harbour Desk"]


def test_each_language_has_its_own_404_page(out: Path) -> None:
    ru = lxml.html.fromstring((out / "ru/404.html").read_bytes())
    assert ru.get("lang") == "ru"
    assert ru.findtext(".//main/h1") == "Страница не найдена"
    assert [a.get("href") for a in ru.xpath("//main//a")] == ["/ru/", "/ru/archive/"]
    switch = ru.xpath('//nav[@class="languages"]//a[not(@aria-current)]/@href')
    assert switch == ["/404.html"]
    en = lxml.html.fromstring((out / "404.html").read_bytes())
    assert en.findtext(".//main/h1") == "Page not found"


def test_the_briefings_folder_leads_to_the_archive_in_each_language(out: Path) -> None:
    for prefix, heading in (("", "Briefings"), ("/ru", "Брифинги")):
        doc = page(out, prefix.lstrip("/") + "/briefings" if prefix else "briefings")
        refresh = doc.xpath('//meta[@http-equiv="refresh"]/@content')
        assert refresh == [f"0; url={prefix}/archive/"]
        assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex"]
        assert doc.findtext(".//main/h1") == heading
        assert doc.xpath("//main//a/@href") == [f"{prefix}/archive/"]
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://example.org/briefings/<" not in sitemap
    assert "https://example.org/ru/briefings/<" not in sitemap


def test_no_briefings_folder_page_when_the_pattern_has_no_folder(make_site: MakeSite) -> None:
    root = make_site("""
        -- briefgen.yaml --
        title: T
        base_url: https://example.org/
        permalinks:
          briefing: /{year}/{slug}/
        -- content/briefings/a.md --
        ---
        title: A
        date: 2026-02-04
        ---
        Body.
    """)
    build_site(root)
    out = root / "site"
    assert (out / "2026/a/index.html").is_file()
    refreshing = [p for p in out.rglob("*.html") if b'http-equiv="refresh"' in p.read_bytes()]
    assert refreshing == []


def test_a_category_page_leaves_out_the_category_label_on_its_cards(out: Path) -> None:
    category = page(out, "categories/energy")
    assert len(category.xpath('//article[@class="card"]')) == 2
    assert category.xpath('//article[@class="card"]//p[@class="section"]') == []
    home = page(out, "")  # elsewhere each card still says its category
    labels = home.xpath('//article[@class="card"]//p[@class="section"]//a/text()')
    assert labels.count("Energy") == 2


def test_the_top_story_section_is_labelled_by_a_heading(out: Path) -> None:
    home = page(out, "")
    [section] = home.xpath('//section[@class="top-story"]')
    [label] = section.xpath("h2")
    assert label.get("id") == section.get("aria-labelledby")
    assert label.text_content() == "Top story"
