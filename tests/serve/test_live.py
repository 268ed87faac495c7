"""The live rebuilder: an edit made in place publishes exactly what a cold full build of the edited
site publishes, and reports exactly what it reports; what it cannot make in place is a full build.

Every test edits the inline site, rebuilds as the preview does (in place into the served folder,
or a full build into the other one), names what was rendered or written where that is the point,
and compares the whole served folder with a cold build of a copy of the site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from briefgen.engine.kept import remember_dates
from tests.serve.livekit import Live, tree

SITE = """
-- content/categories.yaml --
analysis:
  name: Analysis
-- content/authors.yaml --
ana:
  name: Ana Berg
-- content/sources/s-one.md --
---
title: Grid reserve auction opens
outlet: The Ledger
url: https://ledger.example.com/one
---
The reserve auction opens on Monday, the operator said.
-- content/sources/s-two.md --
---
title: Ferry operator raises fares
outlet: Wire
url: https://wire.example.com/two
---
-- content/sources/s-three.md --
---
title: Council votes on seawall
outlet: Wire
url: https://wire.example.com/three
---
-- content/briefings/alpha.md --
---
title: Alpha auction
date: 2026-03-01
summary: The auction opens.
category: analysis
authors: [ana]
tags: [energy]
sources: [s-one, s-three]
---
The grid auction opens in March [@s-one].

Alpha second paragraph.
-- content/briefings/beta.md --
---
title: Beta fares
date: 2026-02-01
summary: Fares rise.
tags: [energy]
sources: [s-two]
---
The operator raises fares [@s-two].

Beta second paragraph.
-- content/briefings/gamma.md --
---
title: Gamma ferries
date: 2026-01-01
summary: Ferries again.
tags: [ferries]
sources: [s-two]
---
Ferries run late [@s-two].
-- content/briefings/delta.md --
---
title: Delta seawall
date: 2025-12-01
summary: The seawall vote.
tags: [ferries]
sources: [s-three]
---
The council votes [@s-three].
-- content/briefings/draft.md --
---
title: A draft
date: 2026-02-15
draft: true
tags: [energy]
---
Not yet.
-- content/pages/about.md --
---
title: About
---
About the desk.
"""

ALPHA_MD, BETA_MD = "content/briefings/alpha.md", "content/briefings/beta.md"
ALPHA = "briefings/2026/03/alpha/index.html"
BETA = "briefings/2026/02/beta/index.html"
GAMMA = "briefings/2026/01/gamma/index.html"


def feeds(prefix: str = "") -> set[str]:
    return {f"{prefix}{name}" for name in ("feed.xml", "atom.xml", "feed.json")}


@pytest.fixture(autouse=True)
def user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the cache signing key away from the real user's cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def live(make_site: Callable[..., Path], tmp_path: Path) -> Iterator[Live]:
    """The site, built once in full, as `briefgen serve` starts."""
    site = Live(make_site(SITE), tmp_path / "scratch")
    assert site.rebuild().ok
    assert not site.in_place
    yield site
    site.rebuilder.close()


@pytest.fixture
def shared(make_site: Callable[..., Path], tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """The same, with a replica process that renders part of every edit's jobs."""
    monkeypatch.setattr("briefgen.engine.rerender.SHARE_ABOVE", 0.0)
    site = Live(make_site(SITE), tmp_path / "scratch", jobs=2)
    assert site.rebuild().ok
    assert site.rebuilder.replica is None  # forked by settle(), once the outcome is sent
    site.rebuilder.settle()
    assert site.rebuilder.replica is not None and site.rebuilder.replica.alive
    yield site
    site.rebuilder.close()


def written(live: Live) -> set[str]:
    assert live.last is not None
    return set(live.last.files)


# -- edits made in place ------------------------------------------------------------------------


def test_a_body_edit_renders_its_page_and_its_feeds_only(live: Live) -> None:
    assert live.edit(BETA_MD, "Beta second paragraph.", "Beta second paragraph, longer.").ok
    assert live.in_place
    # the card (title, summary, dates) is unchanged: no list, neighbour or source page
    assert written(live) == {BETA, *feeds(), *feeds("tags/energy/")}
    assert live.last is not None and live.last.counts["rendered"] == 7
    live.assert_matches_cold_build()


def test_a_title_edit_reaches_lists_neighbours_sources_outlets_and_feeds(live: Live) -> None:
    assert live.edit(BETA_MD, "title: Beta fares", "title: Beta fees").ok
    assert live.in_place
    assert written(live) == {
        BETA, ALPHA, GAMMA, "index.html", "archive/2026/index.html", "tags/energy/index.html",
        "sources/s-two/index.html", *feeds(), *feeds("tags/energy/"),
        BETA.removesuffix("index.html") + "card.png",  # its social card shows the title
    }
    live.assert_matches_cold_build()


def test_several_edits_in_a_row_each_equal_a_cold_build(live: Live) -> None:
    assert live.edit(ALPHA_MD, "title: Alpha auction", "title: Alpha auction opens").ok
    live.assert_matches_cold_build()
    assert live.edit(ALPHA_MD, "summary: The auction opens.", "summary: It opens.").ok
    live.assert_matches_cold_build()
    assert live.edit(BETA_MD, "The operator raises fares", "The operator raised fares").ok
    live.assert_matches_cold_build()
    assert live.edit(ALPHA_MD, "Alpha second paragraph.", "## A heading\n\nAnd text.").ok
    assert live.in_place
    live.assert_matches_cold_build()


def test_citing_a_listed_source_moves_it_from_further_reading_in_place(live: Live) -> None:
    assert live.edit(ALPHA_MD, "Alpha second paragraph.",
                     "The council votes on the seawall [@s-three].").ok
    assert live.in_place
    assert {ALPHA, "sources/s-three/index.html"} <= written(live)
    live.assert_matches_cold_build()


def test_a_longer_body_updates_the_reading_time(live: Live) -> None:
    assert live.edit(BETA_MD, "Beta second paragraph.", "Many more words. " * 150).ok
    assert live.in_place
    assert b"3 min read" in (live.current or Path()).joinpath(BETA).read_bytes()
    live.assert_matches_cold_build()


def test_editing_a_draft_publishes_nothing(live: Live) -> None:
    assert live.edit("content/briefings/draft.md", "Not yet.", "Still not.").ok
    assert live.in_place
    assert written(live) == set()
    live.assert_matches_cold_build()


def test_a_quotation_not_in_its_source_is_reported_as_a_full_build_reports_it(
        live: Live) -> None:
    outcome = live.edit(ALPHA_MD, "Alpha second paragraph.",
                        'The operator said "the auction closes today" [@s-one].')
    assert outcome.ok and live.in_place
    assert any("not found in source 's-one'" in d.message for d in outcome.diagnostics)
    assert outcome.diagnostics == live.cold_diagnostics()
    live.assert_matches_cold_build()


def test_a_file_the_full_build_reported_on_is_still_edited_in_place(live: Live) -> None:
    quoted = 'The operator said "fares rise in May" [@s-two].'  # s-two has no clipped text
    assert live.edit(BETA_MD, "Beta second paragraph.", quoted).ok
    assert live.rebuild("briefgen.yaml").ok  # a full build that reports the quotation
    assert not live.in_place
    assert any("quotation not checked" in d.message for d in live.last.diagnostics)  # type: ignore[union-attr]
    outcome = live.edit(BETA_MD, "The operator raises fares", "The operator raised fares")
    assert outcome.ok and live.in_place
    assert outcome.diagnostics == live.cold_diagnostics()
    outcome = live.edit(BETA_MD, quoted, "No quotation any more.")
    assert outcome.ok and live.in_place
    assert not any("quotation" in d.message for d in outcome.diagnostics)
    assert outcome.diagnostics == live.cold_diagnostics()
    live.assert_matches_cold_build()


def test_a_warning_from_parsing_follows_the_file_through_in_place_edits(live: Live) -> None:
    assert live.edit(BETA_MD, "Beta second paragraph.", "Beta \x07bell.").ok
    assert live.rebuild("briefgen.yaml").ok  # a full build that reports it
    assert any("control character" in d.message for d in live.last.diagnostics)  # type: ignore[union-attr]
    outcome = live.edit(BETA_MD, "The operator raises fares", "The operator raised fares")
    assert outcome.ok and live.in_place
    assert outcome.diagnostics == live.cold_diagnostics()  # still there, once
    outcome = live.edit(BETA_MD, "title: Beta fares", "title: [Beta fares")
    assert not outcome.ok and live.in_place is False
    assert outcome.diagnostics == live.cold_diagnostics()
    outcome = live.edit(BETA_MD, "title: [Beta fares", "title: Beta fares")
    assert outcome.ok and live.in_place
    outcome = live.edit(BETA_MD, "Beta \x07bell.", "Beta, no bell.")
    assert outcome.ok and live.in_place
    assert outcome.diagnostics == live.cold_diagnostics() == []
    live.assert_matches_cold_build()


# -- errors and recovery ------------------------------------------------------------------------


def test_an_unknown_citation_fails_in_place_and_the_fix_recovers(live: Live) -> None:
    before = live.served()
    outcome = live.edit(ALPHA_MD, "Alpha second paragraph.", "See [@s-nope].")
    assert not outcome.ok and live.in_place is False
    assert [d.format() for d in outcome.errors] == [
        "content/briefings/alpha.md:12:5: error: unknown source 's-nope' (did you mean "
        "'s-one'?) (add content/sources/<id>.md or write the source inline)"]
    assert outcome.diagnostics == live.cold_diagnostics()
    assert live.served() == before  # the last good build stays
    assert live.edit(ALPHA_MD, "See [@s-nope].", "See [@s-one].").ok
    assert live.in_place
    live.assert_matches_cold_build()


def test_edits_saved_while_the_site_is_broken_all_appear_once_it_is_fixed(live: Live) -> None:
    assert not live.edit(ALPHA_MD, "Alpha second paragraph.", "See [@s-nope].").ok
    assert not live.edit(BETA_MD, "Beta second paragraph.", "Beta, edited meanwhile.").ok
    assert live.edit(ALPHA_MD, "See [@s-nope].", "Alpha, fixed.").ok
    assert live.in_place
    assert b"Beta, edited meanwhile." in (live.current or Path()).joinpath(BETA).read_bytes()
    live.assert_matches_cold_build()


def test_broken_front_matter_is_reported_as_a_full_build_reports_it_and_the_fix_recovers(
        live: Live) -> None:
    before = live.served()
    outcome = live.edit(BETA_MD, "title: Beta fares", "title: [Beta fares")
    assert not outcome.ok
    assert any("malformed YAML" in d.message for d in outcome.errors)
    assert outcome.diagnostics == live.cold_diagnostics()
    assert live.served() == before
    assert live.edit(BETA_MD, "title: [Beta fares", "title: Beta fares again").ok
    assert live.in_place
    live.assert_matches_cold_build()


def test_a_briefing_that_stops_parsing_leaves_its_only_source_uncited(live: Live) -> None:
    outcome = live.edit(ALPHA_MD, "\ndate: 2026-03-01", "\ndate: [")  # only alpha lists s-one
    assert not outcome.ok
    assert "content/sources/s-one.md:1:1: warning: source 's-one' is never cited" in [
        d.format() for d in outcome.diagnostics]
    assert outcome.diagnostics == live.cold_diagnostics()
    assert live.edit(ALPHA_MD, "\ndate: [", "\ndate: 2026-03-01").ok
    live.assert_matches_cold_build()


def test_a_bad_field_is_a_full_build_that_checks_the_rest_of_the_briefing(live: Live) -> None:
    # a bad date leaves the other fields readable: the full build still counts s-one as cited
    # and checks the briefing's references, exactly as a cold build does
    outcome = live.edit(ALPHA_MD, "date: 2026-03-01", "date: someday")
    assert not outcome.ok
    assert not live.in_place
    assert "errors in its front matter fields" in live.rebuilder.last_reason
    assert not any("never cited" in d.message for d in outcome.diagnostics)
    assert outcome.diagnostics == live.cold_diagnostics()
    assert live.edit(ALPHA_MD, "date: someday", "date: 2026-03-01").ok
    live.assert_matches_cold_build()


def test_a_failed_build_does_not_report_what_only_rendering_reports(live: Live) -> None:
    static = live.root / "static"
    static.mkdir()
    (static / "outside").symlink_to(live.root.parent)  # a warning from copying static files
    assert live.rebuild("static/outside").ok
    assert any(d.path == "static/outside" for d in (live.last.diagnostics if live.last else []))
    outcome = live.edit(ALPHA_MD, "Alpha second paragraph.", "See [@s-nope].")
    assert not outcome.ok
    assert outcome.diagnostics == live.cold_diagnostics()


# -- what is not made in place ------------------------------------------------------------------


def test_citing_a_source_not_listed_is_a_full_build(live: Live) -> None:
    assert live.edit(BETA_MD, "Beta second paragraph.", "The auction [@s-one].").ok
    assert not live.in_place
    assert "cites sources" in live.rebuilder.last_reason
    live.assert_matches_cold_build()


@pytest.mark.parametrize(("old", "new"), [
    ("date: 2026-02-01", "date: 2026-02-02"),  # order, archive month, neighbours
    ("tags: [energy]", "tags: [energy, fares]"),  # terms, related
    ("sources: [s-two]", "sources: [s-two, s-three]"),  # source pages, related
])
def test_front_matter_that_places_a_briefing_is_a_full_build(live: Live, old: str,
                                                            new: str) -> None:
    assert live.edit(BETA_MD, old, new).ok
    assert not live.in_place
    assert "front matter" in live.rebuilder.last_reason
    live.assert_matches_cold_build()


def test_a_template_change_after_edits_in_place_is_a_full_build_equal_to_a_cold_one(
        live: Live) -> None:
    assert live.edit(BETA_MD, "title: Beta fares", "title: Beta fees").ok
    assert live.edit(ALPHA_MD, "Alpha second paragraph.", "Alpha, edited.").ok
    served = live.current
    template = live.root / "themes/default/templates/404.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "base.html" %}{% block main %}Gone.{% endblock %}\n')
    assert live.rebuild("themes/default/templates/404.html").ok
    assert not live.in_place and live.current != served  # built into the other folder
    live.assert_matches_cold_build()
    assert live.edit(BETA_MD, "Beta second paragraph.", "Beta, once more.").ok
    assert live.in_place
    live.assert_matches_cold_build()


def test_added_and_removed_briefings_are_full_builds(live: Live) -> None:
    (live.root / "content/briefings/epsilon.md").write_text(
        "---\ntitle: Epsilon\ndate: 2025-11-01\n---\nNew.\n")
    assert live.rebuild("content/briefings/epsilon.md").ok
    assert not live.in_place
    live.assert_matches_cold_build()
    (live.root / "content/briefings/gamma.md").unlink()
    assert live.rebuild("content/briefings/gamma.md").ok
    assert not live.in_place
    live.assert_matches_cold_build()


def test_a_staged_edit_leaves_no_staging_folder_behind(live: Live) -> None:
    assert live.edit(BETA_MD, "Beta second paragraph.", "Beta, staged.").ok
    leftovers = [p.name for p in (live.root / ".briefgen-cache" / "serve").iterdir()
                 if "briefgen-edit" in p.name]
    assert leftovers == []
    assert "briefgen-edit" not in "".join(tree(live.current or Path()))


def test_edits_after_the_warm_up_still_equal_cold_builds(live: Live) -> None:
    assert live.rebuilder.session is not None
    assert "content/briefings/beta.md" in live.rebuilder.session.feed_contents  # warmed
    assert live.edit(BETA_MD, "Beta second paragraph.", "Beta, after the warm-up.").ok
    live.assert_matches_cold_build()
    assert live.edit(BETA_MD, "title: Beta fares", "title: Beta fees").ok
    assert live.in_place
    live.assert_matches_cold_build()


# -- with a replica rendering part of the jobs --------------------------------------------------


def test_edits_shared_with_a_replica_equal_cold_builds(shared: Live) -> None:
    assert shared.edit(BETA_MD, "title: Beta fares", "title: Beta fees").ok
    assert shared.in_place
    shared.assert_matches_cold_build()
    assert shared.edit(ALPHA_MD, "Alpha second paragraph.", "Alpha, edited.").ok
    shared.assert_matches_cold_build()
    assert not shared.edit(ALPHA_MD, "Alpha, edited.", "See [@s-nope].").ok  # never sent
    assert shared.edit(ALPHA_MD, "See [@s-nope].", "Alpha, fixed.").ok
    assert shared.edit(BETA_MD, "title: Beta fees", "title: Beta fares again").ok
    shared.assert_matches_cold_build()
    assert shared.rebuilder.replica is not None and shared.rebuilder.replica.alive


def test_a_page_failing_in_either_process_undoes_the_edit_in_both(shared: Live) -> None:
    template = shared.root / "themes/default/templates/list.html"
    template.parent.mkdir(parents=True)
    bundled = Path(__file__).parents[2] / "themes" / "default" / "templates" / "list.html"
    template.write_text(bundled.read_text().replace(
        "{% block main %}",
        '{% block main %}{% for b in pager.items if "BOOM" in b.title %}{{ no_such }}{% endfor %}',
        1))
    assert shared.rebuild("themes/default/templates/list.html").ok  # a full build, a new replica
    outcome = shared.edit(BETA_MD, "title: Beta fares", "title: Beta BOOM")
    assert not outcome.ok
    assert any("template error" in d.message for d in outcome.errors)
    assert shared.edit(BETA_MD, "title: Beta BOOM", "title: Beta calm").ok
    assert shared.in_place
    shared.assert_matches_cold_build()
    assert shared.edit(BETA_MD, "Beta second paragraph.", "Beta body, later.").ok
    shared.assert_matches_cold_build()


def test_only_isodate_is_memoised_by_the_preview_and_by_offset() -> None:
    @jinja2.pass_context
    def by_page(context: object, value: object) -> str:
        return f"{value} for this page"

    theme = SimpleNamespace(env=jinja2.Environment())
    theme.env.filters.update(date=by_page, datetime=by_page, isodate=lambda v: v.isoformat())
    remember_dates(theme)  # type: ignore[arg-type]
    # date and datetime depend on the page's language: the theme memoises them per language
    assert theme.env.filters["date"] is by_page and theme.env.filters["datetime"] is by_page
    when = datetime(2026, 2, 4, 10, 0, tzinfo=timezone(timedelta(hours=4)))
    assert theme.env.filters["isodate"](when) == "2026-02-04T10:00:00+04:00"
    same_instant = when.astimezone(UTC)  # equal, but written with another offset
    assert theme.env.filters["isodate"](same_instant) == "2026-02-04T06:00:00+00:00"


# -- a site in two languages --------------------------------------------------------------------

BILINGUAL = """
    -- briefgen.yaml --
    title: Desk
    base_url: https://example.org/
    languages:
      - code: en
      - code: ru
        title: Деск
    -- content/tags.yaml --
    energy:
      name: Energy
      translations:
        ru:
          name: Энергетика
    -- content/briefings/grid.md --
    ---
    title: Grid reserve ordered
    date: 2026-02-04
    tags: [energy]
    translation_key: grid
    ---
    The operator ordered two plants.
    -- content/briefings/grid.ru.md --
    ---
    title: Заказан резерв сети
    date: 2026-02-04
    tags: [energy]
    translation_key: grid
    ---
    Оператор заказал две станции.
    -- content/briefings/heat.ru.md --
    ---
    title: Тепло дорожает
    date: 2026-02-05
    tags: [energy]
    ---
    Тариф вырастет.
"""


def test_edits_in_place_on_a_bilingual_site_equal_cold_builds(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = Live(make_site(BILINGUAL, config=False), tmp_path / "scratch")
    try:
        assert site.rebuild().ok
        assert site.edit("content/briefings/grid.ru.md", "две станции", "три станции").ok
        assert site.in_place
        assert "ru/briefings/2026/02/grid/index.html" in written(site)
        assert not any(rel.startswith("briefings/") for rel in written(site))
        site.assert_matches_cold_build()
        # a Russian title shows on the Russian lists and feeds, never on English pages
        assert site.edit("content/briefings/grid.ru.md", "title: Заказан резерв сети",
                         "title: Резерв сети заказан").ok
        assert site.in_place
        assert {"ru/index.html", "ru/feed.xml", "ru/tags/energy/index.html"} <= written(site)
        assert "index.html" not in written(site) and "feed.xml" not in written(site)
        site.assert_matches_cold_build()
    finally:
        site.rebuilder.close()


def test_a_site_with_search_is_edited_in_place_and_keeps_its_last_index(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    root = make_site(SITE)
    (root / "briefgen.yaml").write_text((root / "briefgen.yaml").read_text() + "search: true\n")
    site = Live(root, tmp_path / "scratch")
    try:
        assert site.rebuild().ok
        index = {rel: data for rel, data in site.served().items() if rel.startswith("pagefind/")}
        assert index
        assert site.edit(BETA_MD, "Beta second paragraph.", "Beta second paragraph, edited.").ok
        assert site.in_place
        served = site.served()
        assert {rel: data for rel, data in served.items() if rel.startswith("pagefind/")} == index
        cold = site.cold()
        assert ({rel: data for rel, data in served.items() if not rel.startswith("pagefind/")}
                == {rel: data for rel, data in cold.items() if not rel.startswith("pagefind/")})
    finally:
        site.rebuilder.close()
