"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 follow the W3C Feed Validator's rules (RELIABILITY 29-32).

Every feed is parsed with lxml (never feedparser, which sanitises what it reads), and the rules are
asserted by hand: required elements, `rel="self"` links, guids, RFC-822 and RFC 3339 dates, and
absolute URLs inside the escaped HTML content.
"""

from __future__ import annotations

import json
import locale
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from tests.sitekit import NOW, build_site, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RFC822 = re.compile(rf"^({'|'.join(DAYS)}), \d{{2}} ({'|'.join(MONTHS)}) \d{{4}} "
                    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_FILES = ("feed.xml", "atom.xml", "feed.json")
GRID_ID = "3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"

# Three briefings in two categories, with tags, a registered and a plain-name author, and links of
# every relative kind in the bodies.
DESK = """
-- content/categories.yaml --
energy:
  name: Energy
  description: Power, grids and fuel.
cities:
  name: Cities
-- content/authors.yaml --
ana-berg:
  name: Ana Berg
-- content/pages/about.md --
---
title: About
---
Who we are.
-- content/briefings/grid.md --
---
id: 3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61
title: Grid reserves fall to a five-year low
date: 2026-03-02T08:30:00+01:00
category: energy
authors: [ana-berg]
tags: [Grid, Winter]
---
Reserves fell again. See [our method](/about/), [the notes](../notes/), [the chart](chart.png)
and [the top](#top).

![A chart](img/chart.png)

<a href="raw.html">raw link</a> <img src='raw.png' alt="raw image">
-- content/briefings/tram.md --
---
title: Tram line opens a year late
date: 2026-03-05T07:00:00Z
category: cities
authors: [Ola Nordmann]
tags: [Transport]
---
The new line opened on Monday.
-- content/briefings/wind.md --
---
title: Offshore wind auction draws four bids
date: 2026-02-20
category: energy
authors: [ana-berg]
tags: [Grid]
---
Four consortia bid for the licence.
"""


# --- reading feeds ------------------------------------------------------------------------------

def xml(path: Path) -> Any:
    """The root element of a feed file; lxml raises if the file is not well-formed XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(path.read_bytes(), parser)


def json_feed(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def text(element: Any, tag: str) -> str:
    """The text of a required child element."""
    child = element.find(tag)
    assert child is not None, f"<{element.tag}> has no <{tag}>"
    assert child.text and child.text.strip(), f"<{tag}> in <{element.tag}> is empty"
    return str(child.text)


def rfc822(value: str) -> datetime:
    """Parse an RSS date, checking the W3C rules: English names, right weekday, a zone."""
    assert RFC822.match(value), f"not an RFC-822 date in English: {value!r}"
    parsed = parsedate_to_datetime(value)
    assert parsed.tzinfo is not None
    assert DAYS[parsed.weekday()] == value[:3], f"wrong day of the week in {value!r}"
    return parsed


def rfc3339(value: str) -> datetime:
    assert RFC3339.match(value), f"not an RFC 3339 date: {value!r}"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed


def links_in_html(html: str) -> list[str]:
    """Every href and src in an HTML fragment."""
    if not html.strip():
        return []
    found = []
    for fragment in lxml.html.fragments_fromstring(html):
        if isinstance(fragment, str):
            continue
        for element in fragment.iter():
            found += [element.get(attr) for attr in ("href", "src") if element.get(attr)]
    return found


def assert_absolute_links(html: str) -> None:
    for link in links_in_html(html):
        assert link.startswith(("http://", "https://")), f"relative URL {link!r} in feed content"


def check_rss(path: Path, self_url: str) -> Any:
    """Assert the W3C rules for RSS 2.0 (RELIABILITY 29) and return the <channel>."""
    root = xml(path)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    text(channel, "title")
    assert text(channel, "link").startswith("https://")
    text(channel, "description")
    selfs = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(selfs) == 1, "the channel needs exactly one atom:link rel=self"
    assert selfs[0].get("href") == self_url
    assert selfs[0].get("type") == "application/rss+xml"
    if channel.find("lastBuildDate") is not None:
        rfc822(text(channel, "lastBuildDate"))
    for item in channel.findall("item"):
        guid = item.find("guid")
        assert guid is not None, "every item needs a guid"
        assert guid.get("isPermaLink") == "false"
        assert URN_UUID.match(guid.text or ""), f"guid is not a urn:uuid: {guid.text!r}"
        text(item, "title")
        assert text(item, "link").startswith(("http://", "https://"))
        rfc822(text(item, "pubDate"))
        for tag in ("description", f"{CONTENT}encoded"):
            if item.find(tag) is not None:
                assert_absolute_links(item.find(tag).text or "")
    return channel


def check_atom(path: Path, self_url: str) -> Any:
    """Assert the W3C rules for Atom (RFC 4287: id, title, updated, author, links) on a feed."""
    feed = xml(path)
    assert feed.tag == f"{ATOM}feed"
    text(feed, f"{ATOM}id")
    text(feed, f"{ATOM}title")
    rfc3339(text(feed, f"{ATOM}updated"))
    feed_author = feed.find(f"{ATOM}author")
    selfs = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(selfs) == 1 and selfs[0].get("href") == self_url
    for entry in feed.findall(f"{ATOM}entry"):
        assert URN_UUID.match(text(entry, f"{ATOM}id"))
        text(entry, f"{ATOM}title")
        rfc3339(text(entry, f"{ATOM}updated"))
        if entry.find(f"{ATOM}published") is not None:
            rfc3339(text(entry, f"{ATOM}published"))
        alternates = [link for link in entry.findall(f"{ATOM}link")
                      if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1
        assert alternates[0].get("href", "").startswith(("http://", "https://"))
        author = entry.find(f"{ATOM}author") if feed_author is None else feed_author
        assert author is not None, "an Atom entry needs an author (its own or the feed's)"
        text(author, f"{ATOM}name")
        for tag in ("content", "summary"):
            element = entry.find(f"{ATOM}{tag}")
            if element is not None:
                assert element.get("type", "text") in ("text", "html")
                if element.get("type") == "html":
                    assert_absolute_links(element.text or "")
    return feed


def check_json(path: Path, self_url: str) -> Any:
    """Assert JSON Feed 1.1's required members."""
    feed = json_feed(path)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["home_page_url"].startswith("https://")
    assert feed["feed_url"] == self_url
    for item in feed["items"]:
        assert URN_UUID.match(item["id"])
        assert item["url"].startswith("https://")
        assert item["title"]
        assert "content_html" in item or "content_text" in item
        if "content_html" in item:
            assert_absolute_links(item["content_html"])
        rfc3339(item["date_published"])
    return feed


def check_feed_set(out: Path, base_url: str, home: str = "") -> tuple[Any, Any, Any]:
    """The three feeds under out/home, each checked; returns (channel, atom feed, json feed)."""
    return (check_rss(out / home / "feed.xml", f"{base_url}{home}feed.xml"),
            check_atom(out / home / "atom.xml", f"{base_url}{home}atom.xml"),
            check_json(out / home / "feed.json", f"{base_url}{home}feed.json"))


def guids(out: Path, home: str = "") -> tuple[list[str], list[str], list[str]]:
    """Item ids in feed order, per format (RSS, Atom, JSON)."""
    rss = [g.text for g in xml(out / home / "feed.xml").iter("guid")]
    atom = [e.findtext(f"{ATOM}id") for e in xml(out / home / "atom.xml").iter(f"{ATOM}entry")]
    jsn = [item["id"] for item in json_feed(out / home / "feed.json")["items"]]
    return rss, atom, jsn


def only_guid(out: Path) -> str:
    """The one item id of a one-briefing site, the same in all three formats."""
    rss, atom, jsn = guids(out)
    assert len(rss) == 1 and rss == atom == jsn
    return str(rss[0])


def set_base_url(root: Path, base_url: str) -> None:
    config = root / "briefgen.yaml"
    config.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {base_url}",
                             config.read_text(encoding="utf-8")), encoding="utf-8")


def feed_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.name in FEED_FILES)


@pytest.fixture
def desk(make_site: Callable[..., Path]) -> Path:
    """The three-briefing site above, built; returns its output folder."""
    root = make_site(DESK)
    build_site(root)
    return root / "site"


# --- a foreign locale -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A folder with a compiled ru_RU.UTF-8 locale (glibc's localedef), or None if impossible."""
    folder = tmp_path_factory.mktemp("locales")
    try:
        subprocess.run(["localedef", "-i", "ru_RU", "-f", "UTF-8",
                        str(folder / "ru_RU.UTF-8")], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return folder


def _set_locale(name: str) -> bool:
    try:
        locale.setlocale(locale.LC_ALL, name)
    except locale.Error:
        return False
    return True


@pytest.fixture
def russian_locale(locale_dir: Path | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process (and its environment) runs under a locale whose day and month names differ."""
    saved = locale.setlocale(locale.LC_ALL)
    name = next((n for n in ("ru_RU.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8") if _set_locale(n)), None)
    if name is None and locale_dir is not None:
        monkeypatch.setenv("LOCPATH", str(locale_dir))
        name = "ru_RU.UTF-8" if _set_locale("ru_RU.UTF-8") else None
    if name is None:
        pytest.skip("no non-English locale can be set on this machine")
    for variable in ("LC_ALL", "LC_TIME", "LANG", "LANGUAGE"):
        monkeypatch.setenv(variable, name)
    probe = time.strftime("%a %b", (2026, 2, 4, 0, 0, 0, 2, 35, 0))
    assert probe != "Wed Feb", "the locale did not change day and month names"
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, saved)


# --- the W3C rules ------------------------------------------------------------------------------

def test_every_feed_follows_the_w3c_rules_for_its_format(desk: Path) -> None:
    homes = ["", "categories/energy/", "categories/cities/", "tags/grid/", "tags/winter/",
             "tags/transport/", "authors/ana-berg/", "authors/ola-nordmann/"]
    for home in homes:
        channel, atom, jsn = check_feed_set(desk, "https://example.org/", home)
        assert channel.findall("item") and atom.findall(f"{ATOM}entry") and jsn["items"]
    assert len(feed_files(desk)) == 3 * len(homes)


def test_site_feeds_list_every_briefing_newest_first(desk: Path) -> None:
    channel, atom, jsn = check_feed_set(desk, "https://example.org/")
    titles = ["Tram line opens a year late", "Grid reserves fall to a five-year low",
              "Offshore wind auction draws four bids"]
    assert [i.findtext("title") for i in channel.findall("item")] == titles
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == titles
    assert [item["title"] for item in jsn["items"]] == titles
    assert [i.findtext("link") for i in channel.findall("item")] == [
        "https://example.org/briefings/2026/03/tram/",
        "https://example.org/briefings/2026/03/grid/",
        "https://example.org/briefings/2026/02/wind/"]


def test_rss_item_dates_keep_the_briefing_time_and_offset(desk: Path) -> None:
    channel = check_rss(desk / "feed.xml", "https://example.org/feed.xml")
    dates = [i.findtext("pubDate") for i in channel.findall("item")]
    assert dates == ["Thu, 05 Mar 2026 07:00:00 +0000", "Mon, 02 Mar 2026 08:30:00 +0100",
                     "Fri, 20 Feb 2026 00:00:00 +0000"]


def test_feed_content_has_only_absolute_urls(desk: Path) -> None:
    channel, atom, jsn = check_feed_set(desk, "https://example.org/")
    grid = "https://example.org/briefings/2026/03/grid/"
    encoded = channel.findall("item")[1].findtext(f"{CONTENT}encoded")
    atom_html = atom.findall(f"{ATOM}entry")[1].findtext(f"{ATOM}content")
    for html in (encoded, atom_html, jsn["items"][1]["content_html"]):
        assert sorted(links_in_html(html)) == sorted([
            "https://example.org/about/", "https://example.org/briefings/2026/03/notes/",
            grid + "chart.png", grid + "#top", grid + "img/chart.png", grid + "raw.html",
            grid + "raw.png"])


def test_rss_dates_are_english_whatever_the_locale_and_site_language(
        make_site: Callable[..., Path], russian_locale: None) -> None:
    root = make_site(DESK + "-- briefgen.yaml --\ntitle: Сводка\nbase_url: https://example.org/\n"
                     "language: ru\ntimezone: Europe/Moscow\n")
    build_site(root)
    out = root / "site"
    for home in ("", "categories/energy/", "tags/grid/"):
        channel = check_rss(out / home / "feed.xml", f"https://example.org/{home}feed.xml")
        assert RFC822.match(channel.findtext("lastBuildDate"))
        assert all(RFC822.match(i.findtext("pubDate")) for i in channel.findall("item"))
        check_atom(out / home / "atom.xml", f"https://example.org/{home}atom.xml")
    assert channel.findtext("language") == "ru"
    assert xml(out / "atom.xml").get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


# --- dates come from the briefings, never the clock ---------------------------------------------

def test_last_build_date_is_the_newest_item_date_not_the_clock(make_site: Callable[..., Path]
                                                               ) -> None:
    root = make_site(DESK)
    build_site(root, now=NOW)
    first = {p.relative_to(root / "site"): p.read_bytes() for p in feed_files(root / "site")}
    build_site(root, now=NOW + timedelta(days=40, hours=5))
    second = {p.relative_to(root / "site"): p.read_bytes() for p in feed_files(root / "site")}
    assert first == second
    channel = xml(root / "site/feed.xml").find("channel")
    newest = max(rfc822(i.findtext("pubDate")) for i in channel.findall("item"))
    assert rfc822(channel.findtext("lastBuildDate")) == newest
    atom = xml(root / "site/atom.xml")
    assert rfc3339(atom.findtext(f"{ATOM}updated")) == max(
        rfc3339(e.findtext(f"{ATOM}updated")) for e in atom.findall(f"{ATOM}entry"))
    energy = xml(root / "site/categories/energy/feed.xml").find("channel")
    assert energy.findtext("lastBuildDate") == "Mon, 02 Mar 2026 08:30:00 +0100"


def test_updated_briefing_moves_the_feed_update_date(make_site: Callable[..., Path]) -> None:
    root = make_site(DESK.replace("date: 2026-02-20\n", "date: 2026-02-20\nupdated: 2026-03-09\n"))
    build_site(root)
    atom = xml(root / "site/atom.xml")
    assert atom.findtext(f"{ATOM}updated") == "2026-03-09T00:00:00+00:00"
    wind = atom.findall(f"{ATOM}entry")[2]
    assert wind.findtext(f"{ATOM}updated") == "2026-03-09T00:00:00+00:00"
    assert wind.findtext(f"{ATOM}published") == "2026-02-20T00:00:00+00:00"
    channel = xml(root / "site/feed.xml").find("channel")
    assert channel.findtext("lastBuildDate") == "Mon, 09 Mar 2026 00:00:00 +0000"
    assert json_feed(root / "site/feed.json")["items"][2]["date_modified"] == (
        "2026-03-09T00:00:00+00:00")


# --- guids (RELIABILITY 30) ---------------------------------------------------------------------

ONE_BRIEFING = """
-- content/briefings/old-name.md --
---
{id}title: First headline
date: 2026-02-04T09:00:00Z
---
Body.
"""


def test_guid_is_the_briefing_id_and_survives_title_slug_file_and_base_url_changes(
        make_site: Callable[..., Path]) -> None:
    root = make_site(ONE_BRIEFING.format(id=f"id: {GRID_ID.upper()}\n"))
    build_site(root)
    before = only_guid(root / "site")
    assert before == f"urn:uuid:{GRID_ID}"

    (root / "content/briefings/old-name.md").unlink()
    write_site(root, ONE_BRIEFING.replace("old-name.md", "new-name.md")
               .replace("First headline", "A rewritten headline")
               .format(id=f"id: {GRID_ID.upper()}\nslug: fresh-slug\n"))
    set_base_url(root, "https://news.example.net/brief/")
    build_site(root)
    out = root / "site"
    assert only_guid(out) == before
    channel = check_rss(out / "feed.xml", "https://news.example.net/brief/feed.xml")
    assert channel.find("item").findtext("link") == (
        "https://news.example.net/brief/briefings/2026/02/fresh-slug/")
    assert channel.find("item").findtext("title") == "A rewritten headline"


def test_briefing_without_id_gets_a_stable_derived_guid(make_site: Callable[..., Path]) -> None:
    root = make_site(ONE_BRIEFING.format(id=""))
    build_site(root)
    before = only_guid(root / "site")
    assert URN_UUID.match(before)
    build_site(root)
    assert only_guid(root / "site") == before

    write_site(root, ONE_BRIEFING.replace("First headline", "Another headline")
               .format(id="slug: another-slug\n"))
    set_base_url(root, "https://example.com/sub/")
    build_site(root)
    assert only_guid(root / "site") == before
    assert xml(root / "site/feed.xml").find("channel/item").findtext("link") == (
        "https://example.com/sub/briefings/2026/02/another-slug/")


def test_every_briefing_has_its_own_guid(desk: Path) -> None:
    rss, atom, jsn = guids(desk)
    assert rss == atom == jsn
    assert len(set(rss)) == 3
    assert f"urn:uuid:{GRID_ID}" in rss
    assert all(uuid.UUID(g.removeprefix("urn:uuid:")) for g in rss)


# --- hostile content (RELIABILITY 31) -----------------------------------------------------------

HOSTILE = """
-- content/briefings/hostile.md --
---
title: "Ends ]]> with <script>alert(1)</script> & \\"quotes\\" \\x01"
summary: "A summary ]]> <b>bold</b> \\x07"
date: 2026-02-04T09:00:00Z
tags: ["x ]]> y"]
---
Text with ]]> in it, a bell \x07, a vertical tab \x0b and an escape \x1b.

<script>alert("feed")</script>

    code block with ]]>

Entities for control characters: &#1; &#x0b; &#65535;, in raw HTML <b title="&#1;">&#2;</b>.
"""


def test_hostile_body_gives_well_formed_feeds_without_control_characters(
        make_site: Callable[..., Path]) -> None:
    root = make_site(HOSTILE)
    result = build_site(root)
    warnings = [d.format() for d in result.diagnostics if d.severity == "warning"]
    assert any("content/briefings/hostile.md:7:" in w and "U+0007" in w for w in warnings)
    assert any("U+001B" in w for w in warnings)
    assert any("hostile.md:2:" in w and "U+0001" in w for w in warnings), warnings
    out = root / "site"
    for path in feed_files(out):
        assert not XML_ILLEGAL.search(path.read_text(encoding="utf-8")), path
    channel, atom, jsn = check_feed_set(out, "https://example.org/")
    title = 'Ends ]]> with <script>alert(1)</script> & "quotes" '
    item, entry = channel.find("item"), atom.find(f"{ATOM}entry")
    assert item.findtext("title") == entry.findtext(f"{ATOM}title") == jsn["items"][0]["title"]
    assert item.findtext("title").strip() == title.strip()
    assert not list(channel.iter("script")) and not list(atom.iter("{*}script", "script"))
    body = item.findtext(f"{CONTENT}encoded")
    assert "Text with ]]&gt; in it, a bell , a vertical tab  and an escape ." in body
    assert '<script>alert("feed")</script>' in body
    assert entry.findtext(f"{ATOM}content") == body == jsn["items"][0]["content_html"]
    check_feed_set(out, "https://example.org/", "tags/x-y/")


# --- one feed per category, tag and author ------------------------------------------------------

def test_category_without_briefings_has_valid_empty_feeds(make_site: Callable[..., Path]) -> None:
    root = make_site(DESK + "-- content/categories.yaml --\nenergy:\n  name: Energy\n"
                     "cities:\n  name: Cities\nsport:\n  name: Sport\n")
    build_site(root)
    out = root / "site"
    channel, atom, jsn = check_feed_set(out, "https://example.org/", "categories/sport/")
    assert not channel.findall("item") and not atom.findall(f"{ATOM}entry") and not jsn["items"]
    first = (out / "categories/sport/feed.xml").read_bytes()
    build_site(root, now=NOW + timedelta(days=3))
    assert (out / "categories/sport/feed.xml").read_bytes() == first


@pytest.mark.parametrize(("home", "titles"), [
    ("categories/energy/", ["Grid reserves fall to a five-year low",
                            "Offshore wind auction draws four bids"]),
    ("categories/cities/", ["Tram line opens a year late"]),
    ("tags/grid/", ["Grid reserves fall to a five-year low",
                    "Offshore wind auction draws four bids"]),
    ("tags/winter/", ["Grid reserves fall to a five-year low"]),
    ("authors/ana-berg/", ["Grid reserves fall to a five-year low",
                           "Offshore wind auction draws four bids"]),
    ("authors/ola-nordmann/", ["Tram line opens a year late"]),
])
def test_taxonomy_feeds_hold_only_their_briefings(desk: Path, home: str,
                                                  titles: list[str]) -> None:
    channel, atom, jsn = check_feed_set(desk, "https://example.org/", home)
    assert [i.findtext("title") for i in channel.findall("item")] == titles
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == titles
    assert [item["title"] for item in jsn["items"]] == titles
    assert jsn["home_page_url"] == f"https://example.org/{home}"
    assert channel.findtext("link") == f"https://example.org/{home}"


def test_feed_items_setting_caps_every_feed(make_site: Callable[..., Path]) -> None:
    root = make_site(DESK + "-- briefgen.yaml --\ntitle: T\nbase_url: https://example.org/\n"
                     "feeds:\n  items: 1\n")
    build_site(root)
    out = root / "site"
    rss, atom, jsn = guids(out)
    assert len(rss) == len(atom) == len(jsn) == 1
    assert xml(out / "feed.xml").findtext("channel/item/title") == "Tram line opens a year late"
    energy = xml(out / "categories/energy/feed.xml").find("channel")
    assert [i.findtext("title") for i in energy.findall("item")] == [
        "Grid reserves fall to a five-year low"]
    assert energy.findtext("lastBuildDate") == "Mon, 02 Mar 2026 08:30:00 +0100"
    # the HTML lists are not capped by the feed setting
    assert (out / "briefings/2026/02/wind/index.html").is_file()


def test_full_content_false_leaves_content_out_of_every_format(
        make_site: Callable[..., Path]) -> None:
    root = make_site(DESK + "-- briefgen.yaml --\ntitle: T\nbase_url: https://example.org/\n"
                     "feeds:\n  full_content: false\n")
    build_site(root)
    channel, atom, jsn = check_feed_set(root / "site", "https://example.org/")
    for item in channel.findall("item"):
        assert item.find(f"{CONTENT}encoded") is None
        assert item.findtext("description")
    for entry in atom.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}content") is None
        assert entry.findtext(f"{ATOM}summary")
    assert jsn["items"][0]["content_text"] == "The new line opened on Monday."
    assert all("content_html" not in item for item in jsn["items"])
    assert "Who we are" not in (root / "site/feed.xml").read_text(encoding="utf-8")


def test_full_content_is_the_default(desk: Path) -> None:
    channel = xml(desk / "feed.xml").find("channel")
    assert channel.findtext(f"item/{CONTENT}encoded") == "<p>The new line opened on Monday.</p>\n"
    atom = xml(desk / "atom.xml")
    assert atom.find(f"{ATOM}entry/{ATOM}content").get("type") == "html"


def test_drafts_and_future_briefings_stay_out_of_feeds(make_site: Callable[..., Path]) -> None:
    root = write_site(make_site(DESK), """
        -- content/briefings/draft.md --
        ---
        title: Unfinished draft
        date: 2026-03-06
        draft: true
        category: energy
        ---
        Not yet.
        -- content/briefings/later.md --
        ---
        title: Scheduled piece
        date: 2027-01-01
        tags: [Grid]
        ---
        Later.
    """)
    build_site(root)
    for path in feed_files(root / "site"):
        content = path.read_text(encoding="utf-8")
        assert "Unfinished draft" not in content and "Scheduled piece" not in content, path


# --- autodiscovery and sub-paths ----------------------------------------------------------------

def alternates(page: Path) -> list[tuple[str, str]]:
    """(type, href) of each <link rel=alternate> in a page's head."""
    head = lxml.html.fromstring(page.read_bytes()).find("head")
    assert head is not None
    return [(link.get("type"), link.get("href")) for link in head.iter("link")
            if link.get("rel") == "alternate"]


def site_feed_links(base_url: str, home: str = "") -> list[tuple[str, str]]:
    return [("application/rss+xml", f"{base_url}{home}feed.xml"),
            ("application/atom+xml", f"{base_url}{home}atom.xml"),
            ("application/feed+json", f"{base_url}{home}feed.json")]


def test_every_html_page_advertises_the_site_feeds(desk: Path) -> None:
    pages = sorted(desk.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        found = alternates(page)
        for link in site_feed_links("https://example.org/"):
            assert link in found, f"{page.relative_to(desk)} lacks {link}"


def test_briefing_page_advertises_its_category_feeds(desk: Path) -> None:
    found = alternates(desk / "briefings/2026/03/grid/index.html")
    assert found == [*site_feed_links("https://example.org/"),
                     *site_feed_links("https://example.org/", "categories/energy/")]


def test_taxonomy_pages_advertise_their_own_feeds(desk: Path) -> None:
    for home in ("categories/cities/", "tags/winter/", "authors/ana-berg/"):
        found = alternates(desk / home / "index.html")
        assert found == [*site_feed_links("https://example.org/"),
                         *site_feed_links("https://example.org/", home)]


def test_sub_path_base_url_puts_every_feed_link_under_the_sub_path(
        make_site: Callable[..., Path]) -> None:
    base = "https://example.org/brief/"
    root = make_site(DESK)
    build_site(root, base_url=base)
    out = root / "site"
    assert not (out / "brief").exists()
    channel, atom, jsn = check_feed_set(out, base)
    check_feed_set(out, base, "categories/energy/")
    assert channel.findtext("link") == base
    assert all(i.findtext("link").startswith(base) for i in channel.findall("item"))
    assert all(e.find(f"{ATOM}link").get("href").startswith(base)
               for e in atom.findall(f"{ATOM}entry"))
    assert jsn["home_page_url"] == base and all(i["url"].startswith(base) for i in jsn["items"])
    grid = base + "briefings/2026/03/grid/"
    links = links_in_html(jsn["items"][1]["content_html"])
    assert base + "about/" in links and grid + "chart.png" in links
    assert all(link.startswith(base) for link in links)
    found = alternates(out / "briefings/2026/03/grid/index.html")
    assert found == [*site_feed_links(base), *site_feed_links(base, "categories/energy/")]
    assert alternates(out / "404.html")[:3] == site_feed_links(base)


# --- feed entries kept in the build state ------------------------------------------------------


def test_a_later_build_renders_only_the_feed_entry_of_the_briefing_that_changed(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.writers.feeds as feeds

    root = make_site(DESK)
    build_site(root)
    rendered: list[str] = []
    real = feeds._content

    def spy(site: Any, b: Any, theme: Any) -> str:
        rendered.append(b.path)
        return real(site, b, theme)

    monkeypatch.setattr(feeds, "_content", spy)
    grid = root / "content/briefings/grid.md"
    grid.write_text(grid.read_text(encoding="utf-8") + "\nA line added later.\n",
                    encoding="utf-8")
    build_site(root)
    assert rendered == ["content/briefings/grid.md"]
    assert "A line added later." in (root / "site/feed.xml").read_text(encoding="utf-8")
    rendered.clear()
    build_site(root, cache=False)
    assert len(rendered) == 3  # without the state, every entry is rendered again


def test_the_state_forgets_the_feed_entry_of_a_briefing_deleted(
        make_site: Callable[..., Path]) -> None:
    import sqlite3

    root = make_site(DESK)
    build_site(root)

    def kept() -> int:
        state = sqlite3.connect(root / ".briefgen-cache/build.sqlite")
        try:
            return len(state.execute("SELECT key FROM feed").fetchall())
        finally:
            state.close()

    assert kept() == 3
    (root / "content/briefings/grid.md").unlink()
    build_site(root)
    assert kept() == 2
