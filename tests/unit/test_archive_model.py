"""The archive in the site model: each language's years and months in the site's timezone, newest
first, with their counts, their pages and the years before and after each."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.languages import Language
from briefgen.models import Briefing
from briefgen.site import Site, build_site
from briefgen.urls import Urls
from tests.sitekit import NOW

EN = Language("en", "English")
RU = Language("ru", "Русский", default=False)
UTC = ZoneInfo("UTC")


def briefing(slug: str, when: datetime, lang: str = "en") -> Briefing:
    return Briefing(path=f"content/briefings/{slug}.md", guid=slug, title=slug.title(),
                    slug=slug, date=when, body_html="<p>Body.</p>", summary="", lang=lang)


def site(briefings: list[Briefing], timezone: str = "UTC",
         languages: tuple[Language, ...] = (EN,)) -> Site:
    config = Config(root=Path("/nonexistent-site"), title="T", base_url="https://example.org/",
                    timezone=timezone, languages=list(languages))
    diags = Diagnostics()
    built = build_site(config, Urls(config.base_url, config.permalinks), briefings, [], {}, {},
                       {}, diags, now=NOW)
    assert not list(diags), [d.format() for d in diags]
    return built


def shape(model: Site, lang: str = "en") -> list[tuple[int, int, list[tuple[int, int, list[str]]]]]:
    """(year, count, [(month, count, slugs)]) of a language's archive, in its order."""
    return [(y.year, y.count, [(m.month, m.count, [b.slug for b in m.briefings])
                               for m in y.months]) for y in model.editions[lang].archive]


def test_years_and_months_are_newest_first_with_their_counts_and_briefings_in_site_order() -> None:
    model = site([
        briefing("jan-25", datetime(2025, 1, 15, tzinfo=UTC)),
        briefing("dec-25", datetime(2025, 12, 1, tzinfo=UTC)),
        briefing("feb-a", datetime(2026, 2, 1, 9, tzinfo=UTC)),
        briefing("feb-b", datetime(2026, 2, 20, tzinfo=UTC)),
        briefing("feb-c", datetime(2026, 2, 1, 9, tzinfo=UTC)),  # same moment: by path
        briefing("may-26", datetime(2026, 5, 3, tzinfo=UTC)),
    ])
    assert shape(model) == [
        (2026, 4, [(5, 1, ["may-26"]), (2, 3, ["feb-b", "feb-a", "feb-c"])]),
        (2025, 2, [(12, 1, ["dec-25"]), (1, 1, ["jan-25"])]),
    ]
    year = model.default.archive[0]
    assert year.url == "/archive/2026/" and year.anchor == "y2026"
    assert [b.slug for b in year.briefings] == ["may-26", "feb-b", "feb-a", "feb-c"]
    feb = year.months[1]
    assert (feb.anchor, feb.start) == ("y2026-02", date(2026, 2, 1))


def test_a_briefing_falls_in_the_year_and_month_of_its_date_in_the_site_timezone() -> None:
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Oslo
    eve = briefing("eve", datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    # written in New York on the last evening of March: April in UTC
    late = briefing("late", datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("America/New_York")))
    assert shape(site([eve, late], "Europe/Oslo")) == [
        (2026, 2, [(4, 1, ["late"]), (1, 1, ["eve"])])]
    assert shape(site([eve, late], "America/New_York")) == [
        (2026, 1, [(3, 1, ["late"])]), (2025, 1, [(12, 1, ["eve"])])]


def test_each_year_links_to_the_nearest_older_and_newer_years_that_have_briefings() -> None:
    model = site([briefing(f"b{year}", datetime(year, 6, 1, tzinfo=UTC))
                  for year in (2021, 2024, 2026)])
    newest, middle, oldest = model.default.archive
    assert [y.year for y in (newest, middle, oldest)] == [2026, 2024, 2021]
    assert (newest.next, newest.previous) == (None, middle)
    assert (middle.next, middle.previous) == (newest, oldest)  # 2025, 2023 and 2022 are skipped
    assert (oldest.next, oldest.previous) == (middle, None)


def test_each_language_has_its_own_years_at_its_own_paths() -> None:
    model = site([
        briefing("en-26", datetime(2026, 2, 1, tzinfo=UTC)),
        briefing("en-25", datetime(2025, 2, 1, tzinfo=UTC)),
        briefing("ru-26", datetime(2026, 3, 1, tzinfo=UTC), lang="ru"),
    ], languages=(EN, RU))
    assert shape(model, "en") == [(2026, 1, [(2, 1, ["en-26"])]), (2025, 1, [(2, 1, ["en-25"])])]
    assert shape(model, "ru") == [(2026, 1, [(3, 1, ["ru-26"])])]
    assert [y.url for y in model.editions["ru"].archive] == ["/ru/archive/2026/"]
    assert model.archive_versions(2026) == {"en": "/archive/2026/", "ru": "/ru/archive/2026/"}
    assert model.archive_versions(2025) == {"en": "/archive/2025/"}


def test_a_site_without_briefings_has_an_empty_archive() -> None:
    assert site([]).default.archive == []
