"""The theme in several languages, on inline sites: interface strings and dates in each page's
language, the language switch and hreflang links, strings for scripts, a site's own catalogue, and
`briefgen check` reporting a string a language lacks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
from click.testing import CliRunner

from briefgen.cli import cli
from tests.sitekit import build_site

MakeSite = Callable[..., Path]
STATIC = Path(__file__).resolve().parents[2] / "themes" / "default" / "static"

TWO_LANGUAGES = """
    -- briefgen.yaml --
    title: Harbour Desk
    description: Briefings for tests.
    base_url: https://example.org/
    timezone: Europe/Moscow
    search: false
    languages:
      - code: en
      - code: ru
        title: Редакция «Гавань»
    -- content/sources/port-report.md --
    ---
    title: Port report
    outlet: Port Authority
    url: https://port.example.org/report
    published: 2026-02-03
    ---
    -- content/briefings/truce.md --
    ---
    title: The truce ends
    date: 2026-02-04T18:25:00+03:00
    translation_key: truce
    authors: [Mira Okafor, Ivan Petrov]
    sources:
      - port-report
      - id: further-note
        title: A further note
        outlet: Harbour Weekly
        url: https://weekly.example.org/note
    ---
    The port reopened [@port-report].
    -- content/briefings/truce.ru.md --
    ---
    title: Перемирие закончилось
    lang: ru
    date: 2026-02-04T18:25:00+03:00
    translation_key: truce
    authors: [Mira Okafor, Ivan Petrov]
    sources:
      - port-report
      - id: further-note-ru
        title: Ещё одна заметка
        outlet: Harbour Weekly
        url: https://weekly.example.org/note-ru
    ---
    Порт снова открыт [@port-report].
    -- content/briefings/ferry.md --
    ---
    title: A new ferry
    date: 2026-02-01T10:00:00+03:00
    ---
    English only.
"""
EN_TRUCE = "briefings/2026/02/truce/index.html"
RU_TRUCE = "ru/briefings/2026/02/truce/index.html"
EN_FERRY = "briefings/2026/02/a-new-ferry/index.html"


def page(out: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / rel).read_bytes())


def text(node: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [re.sub(r"\s+", " ", n.text_content()).strip() for n in node.xpath(xpath)]


def built(make_site: MakeSite, extra: str = "", site: str = TWO_LANGUAGES) -> Path:
    root = make_site(site + extra, config=False)
    build_site(root)
    return root / "site"


def slug_of(out: Path, prefix: str, title_part: str) -> str:
    """The page of a briefing whose file name is not known in advance (slugs are derived)."""
    for path in sorted((out / prefix).rglob("index.html")):
        if title_part in path.read_text(encoding="utf-8"):
            return path.relative_to(out).as_posix()
    raise AssertionError(f"no page with {title_part!r}")


def test_english_and_russian_pages_of_one_site_show_their_own_strings(
        make_site: MakeSite) -> None:
    out = built(make_site)
    en, ru = page(out, EN_TRUCE), page(out, RU_TRUCE)
    assert en.get("lang") == "en" and ru.get("lang") == "ru"
    assert text(en, '//section[@class="sources"]/h2') == ["Sources"]
    assert text(ru, '//section[@class="sources"]/h2') == ["Источники"]
    assert text(en, '//section[@class="further"]/h2') == ["Further reading"]
    assert text(ru, '//section[@class="further"]/h2') == ["Что ещё почитать"]
    assert text(en, '//nav[@class="sections"]//a')[-2:] == ["Archive", "Sources"]
    assert text(ru, '//nav[@class="sections"]//a')[-2:] == ["Архив", "Источники"]
    assert ru.xpath('//nav[@class="sections"]//a/@href')[-2] == "/ru/archive/"
    assert text(ru, '//a[@class="skip"]') == ["Перейти к содержанию"]
    assert ru.xpath('//div[@class="controls"]/@aria-label') == ["Настройки чтения"]
    assert ru.xpath('//footer//p[@class="feeds"]/a/@href') == [
        "/ru/feed.xml", "/ru/atom.xml", "/ru/feed.json"]
    home = page(out, "ru/index.html")
    assert text(home, '//h2[@class="banner"]') == ["Главное"]
    assert text(page(out, "ru/archive/index.html"), "//h1") == ["Архив"]
    assert text(page(out, "ru/archive/2026/index.html"), "//h2") == ["Февраль 2026"]
    assert text(page(out, "archive/2026/index.html"), "//h2") == ["February 2026"]


def test_the_byline_dates_and_lists_authors_in_the_page_language(make_site: MakeSite) -> None:
    out = built(make_site)
    en = text(page(out, EN_TRUCE), '//article//p[@class="byline"]')[0]
    ru = text(page(out, RU_TRUCE), '//article//p[@class="byline"]')[0]
    assert en.startswith("By Mira Okafor and Ivan Petrov · 4 February 2026, 18:25 ")
    assert ru.startswith("Авторы: Mira Okafor и Ivan Petrov · 4 февраля 2026, 18:25 ")
    assert ru.endswith("1 мин чтения")


def test_the_switch_goes_to_the_translation_or_to_the_other_home(make_site: MakeSite) -> None:
    out = built(make_site)
    en = page(out, EN_TRUCE)
    switch = en.xpath('//nav[@class="languages"]')[0]
    assert switch.get("aria-label") == "Language"
    assert [(a.text_content(), a.get("href"), a.get("hreflang"), a.get("lang"),
             a.get("aria-current")) for a in switch.iter("a")] == [
        ("English", "/briefings/2026/02/truce/", "en", "en", "page"),
        ("Русский", "/ru/briefings/2026/02/truce/", "ru", "ru", None)]
    ru = page(out, RU_TRUCE)
    assert ru.xpath('//nav[@class="languages"]/@aria-label') == ["Язык"]
    assert ru.xpath('//nav[@class="languages"]//a[not(@aria-current)]/@href') == [
        "/briefings/2026/02/truce/"]
    # an English-only briefing: its Russian link goes to the Russian home, and says so
    ferry = page(out, slug_of(out, "briefings", "A new ferry"))
    [other] = ferry.xpath('//nav[@class="languages"]//a[not(@aria-current)]')
    assert other.get("href") == "/ru/" and other.get("class") == "untranslated"
    assert text(other, './/span[@class="untranslated-note"]') == [
        "(not translated: opens the home page)"]


def test_hreflang_links_name_the_page_and_its_translations(make_site: MakeSite) -> None:
    out = built(make_site)
    alternates = page(out, RU_TRUCE).xpath('//head/link[@hreflang]')
    assert [(link.get("hreflang"), link.get("href")) for link in alternates] == [
        ("ru", "https://example.org/ru/briefings/2026/02/truce/"),
        ("en", "https://example.org/briefings/2026/02/truce/")]
    ferry = page(out, slug_of(out, "briefings", "A new ferry"))
    assert ferry.xpath('//head/link[@hreflang]/@hreflang') == ["en"]  # no translation
    archive = page(out, "archive/index.html")
    assert archive.xpath('//head/link[@hreflang]/@href') == [
        "https://example.org/archive/", "https://example.org/ru/archive/"]
    year = page(out, "ru/archive/2026/index.html")
    assert year.xpath('//head/link[@hreflang]/@href') == [
        "https://example.org/ru/archive/2026/", "https://example.org/archive/2026/"]


def test_a_single_language_site_has_no_switch_and_no_hreflang(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/alpha.md --
        ---
        title: Alpha
        date: 2026-02-04
        ---
        Body.
    """)
    build_site(root)
    for rel in ("index.html", "briefings/2026/02/alpha/index.html", "archive/index.html",
                "archive/2026/index.html"):
        doc = page(root / "site", rel)
        assert not doc.xpath('//link[@hreflang] | //nav[@class="languages"]'), rel


def test_script_messages_come_from_the_page_in_its_language(make_site: MakeSite) -> None:
    out = built(make_site, site=TWO_LANGUAGES.replace("search: false", "search: true"))
    [copy] = page(out, RU_TRUCE).xpath('//button[@data-action="copy"]')
    assert copy.get("data-copied") == "Ссылка скопирована"
    assert copy.get("data-copy-failed") == "Не удалось скопировать; ссылка: {url}"
    assert page(out, EN_TRUCE).xpath('//button[@data-action="copy"]/@data-copied') == [
        "Link copied"]
    status = page(out, "ru/search/index.html").xpath('//p[@id="search-status"]')[0]
    assert status.get("data-searching") == "Идёт поиск…"
    assert {k: v for k, v in status.attrib.items() if k.startswith("data-results-")} == {
        "data-results-one": "{count} результат по запросу «{term}»",
        "data-results-few": "{count} результата по запросу «{term}»",
        "data-results-many": "{count} результатов по запросу «{term}»"}
    english = page(out, "search/index.html").xpath('//p[@id="search-status"]')[0]
    assert english.get("data-results-other") == "{count} results for “{term}”"
    # and the scripts themselves hold no interface text
    scripts = (STATIC / "reader.js").read_text() + (STATIC / "search.js").read_text()
    for phrase in ("Link copied", "Could not copy", "No results", "result for", "or more",
                   "showing the first", "Searching", "not available"):
        assert phrase not in scripts, phrase


def test_a_site_catalogue_overrides_one_string(make_site: MakeSite) -> None:
    out = built(make_site, """
    -- themes/default/locales/ru/LC_MESSAGES/messages.po --
    msgid ""
    msgstr ""
    "Language: ru\\n"

    msgid "Further reading"
    msgstr "Читайте также"
    """)
    ru = page(out, RU_TRUCE)
    assert text(ru, '//section[@class="further"]/h2') == ["Читайте также"]
    assert text(ru, '//section[@class="sources"]/h2') == ["Источники"]  # still the theme's
    assert text(page(out, EN_TRUCE), '//section[@class="further"]/h2') == ["Further reading"]


def test_editing_a_site_catalogue_rerenders_the_pages(make_site: MakeSite) -> None:
    root = make_site(TWO_LANGUAGES, config=False)
    catalogue = root / "themes/default/locales/ru/LC_MESSAGES/messages.po"
    catalogue.parent.mkdir(parents=True)
    for heading in ("Литература", "Библиография"):
        catalogue.write_text('msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
                             f'msgid "Sources"\nmsgstr "{heading}"\n', encoding="utf-8")
        build_site(root)  # incremental, with the build cache
        assert text(page(root / "site", RU_TRUCE), '//section[@class="sources"]/h2') == [
            heading]


def test_a_russian_feed_keeps_english_rfc_dates_and_russian_sources(make_site: MakeSite) -> None:
    out = built(make_site)
    rss = lxml.etree.fromstring((out / "ru/feed.xml").read_bytes())
    dates = rss.xpath("//item/pubDate/text()")
    assert dates and all(re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May"
                                      r"|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d "
                                      r"[+-]\d{4}", d) for d in dates), dates
    assert rss.xpath("/rss/channel/language/text()") == ["ru"]
    body = rss.xpath("//item/*[local-name()='encoded']/text()")[0]
    assert "Источники" in body and "Sources" not in body
    feed = json.loads((out / "ru/feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["date_published"].startswith("2026-02-04T")


def test_jsonld_names_the_briefing_language(make_site: MakeSite) -> None:
    out = built(make_site)
    [script] = page(out, RU_TRUCE).xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(script)["inLanguage"] == "ru"


def test_check_reports_a_missing_string_at_its_catalogue_entry(make_site: MakeSite) -> None:
    root = make_site(TWO_LANGUAGES + """
    -- themes/default/templates/_head.html --
    <meta name="listen" content="{{ _('Listen to this briefing') }}">
    -- themes/default/locales/ru/LC_MESSAGES/messages.po --
    msgid ""
    msgstr ""
    "Language: ru\\n"

    msgid "Listen to this briefing"
    msgstr ""
    """, config=False)
    result = CliRunner().invoke(cli, ["--site", str(root), "check", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = [d for d in json.loads(result.stdout) if "translation" in d["message"]]
    assert found == [{
        "path": "themes/default/locales/ru/LC_MESSAGES/messages.po", "line": 5, "col": 1,
        "severity": "warning",
        "message": "no 'ru' translation of 'Listen to this briefing': its msgstr is empty "
                   "(used at themes/default/templates/_head.html:1)"}]
    strict = CliRunner().invoke(cli, ["--site", str(root), "check", "--strict"])
    assert strict.exit_code == 1
    # build does not look for missing strings
    build_site(root)


def test_check_reports_every_string_of_a_language_without_a_catalogue(
        make_site: MakeSite) -> None:
    root = make_site(TWO_LANGUAGES.replace("      - code: ru\n",
                                           "      - code: de\n      - code: ru\n"), config=False)
    result = CliRunner().invoke(cli, ["--site", str(root), "check", "--format", "json"])
    found = [d for d in json.loads(result.stdout) if "'de' translation" in d["message"]]
    assert len(found) > 50
    assert not [d for d in json.loads(result.stdout) if "'ru' translation" in d["message"]]
    further = [d for d in found if "'Further reading'" in d["message"]]
    assert [(d["path"], d["line"], d["col"]) for d in further] == [
        ("themes/default/templates/_sources.html", 18, 34)]
