"""A site in English and Russian: each language's own URLs, lists, feeds and sitemap entries, the
names of categories, authors and tags per language, Cyrillic slugs, and the errors of languages."""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
from click.testing import CliRunner

from briefgen.cli import cli
from tests.sitekit import build_errors, build_site

MakeSite = Callable[..., Path]

CONFIG = """
    -- briefgen.yaml --
    title: Harbour Desk
    description: Sourced briefings.
    base_url: https://example.org/
    timezone: Europe/Moscow
    languages:
      - code: en
        name: English
        default: true
      - code: ru
        title: Гаванский деск
        description: Брифинги со ссылками на источники.
"""
REGISTRIES = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
      description: Longer pieces.
      translations:
        ru:
          name: Анализ
          description: Длинные материалы.
    -- content/authors.yaml --
    mira:
      name: Mira Okafor
      bio: Mira edits the desk.
      translations:
        ru:
          name: Мира Окафор
    -- content/tags.yaml --
    energy:
      name: Energy
      translations:
        ru:
          name: Энергетика
"""
PAIR = """
    -- content/briefings/2026/02/grid-reserve.md --
    ---
    title: Grid operator orders reserve plants
    date: 2026-02-04 18:25
    category: analysis
    authors: [mira]
    tags: [energy]
    translation_key: grid-reserve
    ---
    The grid operator ordered two reserve plants.
    -- content/briefings/2026/02/grid-reserve.ru.md --
    ---
    title: Оператор сети заказал резервные станции
    date: 2026-02-04 18:25
    category: analysis
    authors: [mira]
    tags: [energy]
    translation_key: grid-reserve
    ---
    Оператор сети заказал две резервные станции.
    -- content/briefings/2026/03/тарифы-на-тепло.md --
    ---
    title: Тарифы на тепло вырастут
    date: 2026-03-10 09:00
    lang: ru
    category: analysis
    tags: [energy]
    ---
    Тарифы на тепло вырастут с октября.
    -- content/briefings/2026/03/wind-tender.md --
    ---
    title: Offshore wind tender opens
    date: 2026-03-05 10:00
    category: analysis
    tags: [energy]
    ---
    The wind tender opened.
"""


def bilingual(make_site: MakeSite, extra: str = "") -> Path:
    return make_site(CONFIG + REGISTRIES + PAIR + extra, config=False)


def text(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_each_language_lives_under_its_own_prefix(make_site: MakeSite) -> None:
    root = bilingual(make_site)
    build_site(root)
    out = root / "site"
    assert (out / "briefings/2026/02/grid-reserve/index.html").is_file()
    assert (out / "ru/briefings/2026/02/grid-reserve/index.html").is_file()
    assert (out / "ru/briefings/2026/03/tarify-na-teplo/index.html").is_file()
    assert not (out / "briefings/2026/03/tarify-na-teplo").exists()
    assert not (out / "ru/briefings/2026/03/wind-tender").exists()
    for rel in ("index.html", "archive/index.html", "archive/2026/index.html", "feed.xml",
                "atom.xml", "feed.json", "categories/analysis/index.html", "tags/energy/index.html",
                "authors/mira/index.html"):
        assert (out / rel).is_file(), rel
        assert (out / "ru" / rel).is_file(), rel


def test_each_home_and_archive_lists_its_own_language_only(make_site: MakeSite) -> None:
    root = bilingual(make_site)
    build_site(root)
    for rel in ("index.html", "archive/2026/index.html", "categories/analysis/index.html"):
        english, russian = text(root, rel), text(root, "ru/" + rel)
        assert "Grid operator orders reserve plants" in english
        assert "Offshore wind tender opens" in english
        assert "Оператор сети" not in english and "Тарифы на тепло" not in english
        assert "Оператор сети заказал резервные станции" in russian
        assert "Тарифы на тепло вырастут" in russian
        assert "Grid operator" not in russian and "Offshore wind" not in russian


def test_each_language_has_its_own_archive_years_linked_where_the_other_has_the_year(
        make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2025/old-harbour.md --
    ---
    title: The old harbour closes
    date: 2025-11-02 10:00
    ---
    English only, and the only briefing of 2025.
    """)
    build_site(root)
    out = root / "site"
    russian = lxml.html.fromstring((out / "ru/archive/2026/index.html").read_bytes())
    assert [a.text_content() for a in russian.xpath("//main//section//li/a")] == [
        "Тарифы на тепло вырастут", "Оператор сети заказал резервные станции"]
    assert [h2.text_content() for h2 in russian.xpath("//main//section/h2")] == [
        "Март 2026", "Февраль 2026"]
    assert russian.xpath('//main//header/p[@class="count"]/text()') == ["2 брифинга"]
    assert not russian.xpath('//nav[@class="prev-next"]')  # Russian has no 2025
    assert russian.xpath("//head/link[@hreflang]/@href") == [
        "https://example.org/ru/archive/2026/", "https://example.org/archive/2026/"]
    assert not (out / "ru/archive/2025").exists()
    english = lxml.html.fromstring((out / "archive/2026/index.html").read_bytes())
    assert english.xpath('//nav[@class="prev-next"]/a/@href') == ["/archive/2025/"]
    only = lxml.html.fromstring((out / "archive/2025/index.html").read_bytes())
    assert only.xpath("//head/link[@hreflang]/@hreflang") == ["en"]
    # its language switch goes to the Russian home, marked as untranslated
    assert only.xpath('//nav[@class="languages"]//a[@hreflang="ru"]/@href') == ["/ru/"]
    index = lxml.html.fromstring((out / "ru/archive/index.html").read_bytes())
    assert index.xpath('//main//h2/a/@href') == ["/ru/archive/2026/"]
    assert index.xpath('//main//li/span/text()') == ["1 брифинг", "1 брифинг"]
    assert index.xpath("//head/link[@hreflang]/@href") == [
        "https://example.org/ru/archive/", "https://example.org/archive/"]


def test_categories_authors_and_tags_carry_their_names_per_language(
        make_site: MakeSite) -> None:
    root = bilingual(make_site)
    build_site(root)
    russian = text(root, "ru/briefings/2026/02/grid-reserve/index.html")
    assert "Анализ" in russian and "Мира Окафор" in russian and "Энергетика" in russian
    assert 'href="/ru/categories/analysis/"' in russian
    assert 'href="/ru/authors/mira/"' in russian
    english = text(root, "briefings/2026/02/grid-reserve/index.html")
    assert "Analysis" in english and "Mira Okafor" in english and "Energy" in english
    assert "Анализ" not in english and "Мира" not in english
    assert "Длинные материалы." in text(root, "ru/categories/analysis/index.html")
    # a page's sections bar is in its language
    assert 'href="/ru/categories/analysis/"' in text(root, "ru/index.html")


def _rss_items(root: Path, rel: str) -> list[lxml.etree._Element]:
    tree = lxml.etree.fromstring((root / "site" / rel).read_bytes())
    return list(tree.iter("item"))


def test_each_language_has_its_own_feeds_with_english_dates(make_site: MakeSite) -> None:
    root = bilingual(make_site)
    build_site(root)
    ru_titles = [item.findtext("title") for item in _rss_items(root, "ru/feed.xml")]
    assert ru_titles == ["Тарифы на тепло вырастут", "Оператор сети заказал резервные станции"]
    en_titles = [item.findtext("title") for item in _rss_items(root, "feed.xml")]
    assert en_titles == ["Offshore wind tender opens", "Grid operator orders reserve plants"]
    channel = lxml.etree.fromstring((root / "site/ru/feed.xml").read_bytes()).find("channel")
    assert channel is not None
    assert channel.findtext("language") == "ru"
    assert channel.findtext("title") == "Гаванский деск"
    assert channel.findtext("link") == "https://example.org/ru/"
    # RFC 822 dates in English whatever the language
    dates = [item.findtext("pubDate") for item in _rss_items(root, "ru/feed.xml")]
    assert dates[1] == "Wed, 04 Feb 2026 18:25:00 +0300"
    atom = text(root, "ru/atom.xml")
    assert "<updated>2026-03-10T09:00:00+03:00</updated>" in atom
    feed = json.loads(text(root, "ru/feed.json"))
    assert feed["language"] == "ru" and feed["home_page_url"] == "https://example.org/ru/"
    assert [i["title"] for i in feed["items"]] == ru_titles
    assert feed["items"][1]["date_published"] == "2026-02-04T18:25:00+03:00"
    tag_feed = [i.findtext("title") for i in _rss_items(root, "ru/tags/energy/feed.xml")]
    assert tag_feed == ru_titles


def test_sitemap_lists_every_language_with_hreflang_alternates(make_site: MakeSite) -> None:
    root = bilingual(make_site)
    build_site(root)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    tree = lxml.etree.fromstring((root / "site/sitemap.xml").read_bytes())
    links = {url.findtext("s:loc", namespaces=ns): {
        link.get("hreflang"): link.get("href")
        for link in url.findall("x:link", namespaces=ns)} for url in tree.findall("s:url", ns)}
    pair = {"en": "https://example.org/briefings/2026/02/grid-reserve/",
            "ru": "https://example.org/ru/briefings/2026/02/grid-reserve/"}
    assert links[pair["en"]] == pair
    assert links[pair["ru"]] == pair
    assert links["https://example.org/ru/briefings/2026/03/tarify-na-teplo/"] == {}
    assert links["https://example.org/ru/"] == {"en": "https://example.org/",
                                                 "ru": "https://example.org/ru/"}
    assert links["https://example.org/ru/archive/2026/"] == {
        "en": "https://example.org/archive/2026/",
        "ru": "https://example.org/ru/archive/2026/"}
    assert links["https://example.org/ru/categories/analysis/"] == {
        "en": "https://example.org/categories/analysis/",
        "ru": "https://example.org/ru/categories/analysis/"}


def test_a_single_language_site_has_no_prefix_and_no_hreflang(make_site: MakeSite) -> None:
    root = make_site("""
    -- content/briefings/2026/02/grid-reserve.md --
    ---
    title: Grid operator orders reserve plants
    date: 2026-02-04 18:25
    translation_key: grid-reserve
    ---
    The grid operator ordered two reserve plants.
    """)
    build_site(root)
    assert (root / "site/briefings/2026/02/grid-reserve/index.html").is_file()
    assert not (root / "site/en").exists()
    assert "hreflang" not in text(root, "sitemap.xml")


def test_unicode_slugs_keep_cyrillic_file_names_in_nfc(make_site: MakeSite) -> None:
    nfd_name = unicodedata.normalize("NFD", "тарифы-на-тепло-й")
    root = bilingual(make_site, f"""
    -- content/briefings/2026/04/{nfd_name}.md --
    ---
    title: Ещё о тарифах
    date: 2026-04-01
    lang: ru
    ---
    Текст.
    """)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "slugs: unicode\n", encoding="utf-8")
    build_site(root)
    out = root / "site" / "ru" / "briefings"
    names = {p.name for p in (out / "2026" / "03").iterdir()}
    assert names == {"тарифы-на-тепло"}
    april = [p.name for p in (out / "2026" / "04").iterdir()]
    assert april == [unicodedata.normalize("NFC", "тарифы-на-тепло-й")]


def test_two_titles_with_one_transliteration_are_an_error_naming_both_files(
        make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/03/tarify-na-teplo.ru.md --
    ---
    title: Тарифы снова
    date: 2026-03-20
    ---
    Текст.
    """)
    errors = build_errors(root)
    assert len(errors) == 1, errors
    first, second = sorted(["content/briefings/2026/03/tarify-na-teplo.ru.md",
                            "content/briefings/2026/03/тарифы-на-тепло.md"])
    assert errors[0].startswith(f"{second}:1:1: error: URL /ru/briefings/2026/03/tarify-na-teplo/"
                                f" is already used by {first}")


def test_a_language_the_site_does_not_have_is_an_error_at_its_line(make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/05/fr.md --
    ---
    title: En français
    date: 2026-05-01
    lang: fr
    ---
    Texte.
    -- content/pages/about.md --
    ---
    title: About
    lang: ry
    ---
    Text.
    """)
    assert build_errors(root) == [
        "content/briefings/2026/05/fr.md:4:7: error: language 'fr' is not one of the site's "
        "languages (en, ru); add it to 'languages' in briefgen.yaml",
        "content/pages/about.md:3:7: error: language 'ry' is not one of the site's languages "
        "(en, ru); add it to 'languages' in briefgen.yaml",
    ]


def test_a_translation_key_used_twice_in_one_language_is_an_error(make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/02/grid-reserve-2.ru.md --
    ---
    title: Ещё раз о резерве
    date: 2026-02-05
    translation_key: grid-reserve
    ---
    Текст.
    """)
    assert build_errors(root) == [
        "content/briefings/2026/02/grid-reserve.ru.md:7:18: error: translation_key "
        "'grid-reserve' is already used in language 'ru' by "
        "content/briefings/2026/02/grid-reserve-2.ru.md; each language has one version of a "
        "briefing",
    ]


def test_a_lang_that_contradicts_the_file_name_is_an_error(make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/06/x.ru.md --
    ---
    title: X
    date: 2026-06-01
    lang: en
    ---
    Text.
    """)
    assert build_errors(root) == [
        "content/briefings/2026/06/x.ru.md:4:7: error: 'lang' is 'en' but the file name says "
        "'ru'; make them agree"]


def test_registry_translations_into_unknown_languages_are_errors(make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/tags.yaml --
    energy:
      name: Energy
      translations:
        de:
          name: Energie
    """)
    assert build_errors(root) == [
        "content/tags.yaml:4:5: error: language 'de' is not one of the site's languages "
        "(en, ru); add it to 'languages' in briefgen.yaml"]


def test_bad_language_lists_are_reported_in_one_pass(make_site: MakeSite) -> None:
    root = make_site("""
    -- briefgen.yaml --
    title: T
    base_url: https://example.org/
    language: de
    languages:
      - code: en
        default: true
      - code: xx
      - code: ru
      - code: ru
        default: true
    """, config=False)
    assert build_errors(root) == [
        "briefgen.yaml:3:11: error: 'language' is 'de' but the default of 'languages' is 'en'; "
        "drop 'language' or make them agree",
        "briefgen.yaml:7:11: error: unknown language 'xx' (dates and interface strings need a "
        "language Babel knows, like 'en' or 'ru')",
        "briefgen.yaml:9:11: error: language 'ru' is listed twice (first on line 8)",
        "briefgen.yaml:10:14: error: only one language can be the default; 'en' already is",
    ]


def test_check_reports_duplicate_keys_and_unknown_languages(make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/02/grid-reserve-2.md --
    ---
    title: Grid again
    date: 2026-02-06
    translation_key: grid-reserve
    ---
    Text.
    -- content/briefings/2026/05/pt.md --
    ---
    title: Em português
    date: 2026-05-01
    lang: pt
    ---
    Texto.
    """)
    result = CliRunner().invoke(cli, ["--site", str(root), "check", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {(d["path"], d["line"], d["message"].split(";")[0])
             for d in json.loads(result.stdout)}
    assert ("content/briefings/2026/02/grid-reserve.md", 7, "translation_key 'grid-reserve' is "
            "already used in language 'en' by content/briefings/2026/02/grid-reserve-2.md") in found
    assert ("content/briefings/2026/05/pt.md", 4, "language 'pt' is not one of the site's "
            "languages (en, ru)") in found


def test_search_indexes_each_language_separately(make_site: MakeSite) -> None:
    root = bilingual(make_site)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search: true\n", encoding="utf-8")
    build_site(root)
    entry = json.loads(text(root, "pagefind/pagefind-entry.json"))
    assert sorted(entry["languages"]) == ["en", "ru"]
    assert entry["languages"]["ru"]["page_count"] == 2  # the two Russian briefings
    assert (root / "site/ru/search/index.html").is_file()
    assert (root / "site/search/index.html").is_file()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and "pagefind" not in p.parts}


def test_incremental_builds_of_a_bilingual_site_equal_cold_ones(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = bilingual(make_site)
    build_site(root)
    russian = root / "content/briefings/2026/02/grid-reserve.ru.md"
    steps = [
        # a new slug for the translation: the English page's switch and hreflang follow it
        lambda: russian.write_text(russian.read_text(encoding="utf-8").replace(
            "translation_key:", "slug: rezerv\ntranslation_key:"), encoding="utf-8"),
        # the category's Russian name changes every Russian page, no English one
        lambda: (root / "content/categories.yaml").write_text(
            (root / "content/categories.yaml").read_text(encoding="utf-8").replace(
                "name: Анализ", "name: Аналитика"), encoding="utf-8"),
        # the translation goes: the English page loses its alternate
        lambda: russian.unlink(),
    ]
    for number, step in enumerate(steps):
        before = _tree(root / "site")
        step()
        build_site(root)
        after = _tree(root / "site")
        copy = tmp_path / f"cold-{number}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".briefgen-cache"))
        build_site(copy, cache=False)
        assert after == _tree(copy / "site"), number
        changed = {rel for rel in after if before.get(rel) != after[rel]}
        english_page = "briefings/2026/02/grid-reserve/index.html"
        if number == 0:
            assert english_page in changed
            assert "/ru/briefings/2026/02/rezerv/" in after[english_page].decode()
        if number == 1:
            assert changed and all(rel.startswith("ru/") or rel == "sitemap.xml"
                                   for rel in changed), changed
        if number == 2:
            assert english_page in changed
            assert '<link rel="alternate" hreflang="ru"' not in after[english_page].decode()
            assert '<link rel="alternate" hreflang="ru"' in before[english_page].decode()


def test_a_briefing_timezone_reads_its_bare_dates_and_dates_its_byline(
        make_site: MakeSite) -> None:
    root = bilingual(make_site, """
    -- content/briefings/2026/07/kyiv.ru.md --
    ---
    title: Из Нью-Йорка
    date: 2026-07-01 18:25
    timezone: America/New_York
    ---
    Текст.
    -- content/briefings/2026/07/bad.md --
    ---
    title: Bad zone
    date: 2026-07-02
    timezone: Europe/Kiyv
    ---
    Text.
    """)
    assert build_errors(root) == [
        "content/briefings/2026/07/bad.md:4:11: error: unknown timezone 'Europe/Kiyv' (use an "
        "IANA name like 'Europe/Berlin')"]
    (root / "content/briefings/2026/07/bad.md").unlink()
    build_site(root)
    page = text(root, "ru/briefings/2026/07/kyiv/index.html")
    # in Moscow, the site's zone, that would be 2 July, 01:25
    assert '<time datetime="2026-07-01T18:25:00-04:00">1 июля 2026, 18:25' in page
    feed = json.loads(text(root, "ru/feed.json"))
    assert feed["items"][0]["date_published"] == "2026-07-01T18:25:00-04:00"
    # the site's own zone (Moscow) for a briefing without one
    other = text(root, "ru/briefings/2026/03/tarify-na-teplo/index.html")
    assert '<time datetime="2026-03-10T09:00:00+03:00">10 марта 2026, 09:00' in other
