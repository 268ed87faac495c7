"""Fast builds change no byte: cold, cached, parallel and single-process builds agree, and an
incremental rebuild re-renders exactly what an edit touches and ends equal to a cold build.

Each edit test counts the files a rebuild wrote (on disk, by inode and times, and in
BuildResult.counts["written"]), names them, and then compares the whole output with a fresh cold
build of a copy of the site, as Hugo's rebuild_test does.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate
from briefgen.build import BuildResult
from briefgen.cache import CACHE_DIR
from briefgen.diagnostics import BuildFailed
from briefgen.output import SPARE_SUFFIX
from tests.sitekit import build_site, write_site

MakeSite = Callable[..., Path]
SPARE = "site" + SPARE_SUFFIX
Tree = dict[str, bytes | None]  # relative path -> bytes of a file, None for a folder
Stamp = tuple[int, int, int]

SITE = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/authors.yaml --
    ana:
      name: Ana Berg
    -- content/outlets.yaml --
    ledger:
      name: The Ledger
      homepage: https://ledger.example.com/
    -- content/sources/s-one.md --
    ---
    title: Grid reserve auction opens
    outlet: The Ledger
    url: https://ledger.example.com/one
    ---
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
    sources: [s-one]
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
    -- content/pages/about.md --
    ---
    title: About
    ---
    About the desk.
"""

BETA = "briefings/2026/02/beta/index.html"
ALPHA = "briefings/2026/03/alpha/index.html"
GAMMA = "briefings/2026/01/gamma/index.html"
DELTA = "briefings/2025/12/delta/index.html"
BRIEFING_PAGES = {ALPHA, BETA, GAMMA, DELTA}
ARCHIVE = "archive/index.html"  # the index of years and months, with counts and no titles
ARCHIVE_2026 = "archive/2026/index.html"  # alpha, beta, gamma
ARCHIVE_2025 = "archive/2025/index.html"  # delta


def feeds(prefix: str) -> set[str]:
    return {f"{prefix}{name}" for name in ("feed.xml", "atom.xml", "feed.json")}


SITE_FEEDS = feeds("")


@pytest.fixture(autouse=True)
def user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the cache signing key of every test away from the real user's cache folder."""
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


# -- helpers ------------------------------------------------------------------------------------


def tree(folder: Path) -> Tree:
    """Every file (with its bytes) and folder under folder."""
    found: Tree = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() else None
    return found


def stamps(folder: Path) -> dict[str, Stamp]:
    """Inode, modification time and size of every file: a rewritten file changes at least its
    inode. (Not the change time: the publish keeps unchanged files in the next build's folder as
    hard links, which counts as a change of the inode's metadata, not of the file.)"""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            st = path.stat()
            found[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns,
                                                          st.st_size)
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class Rebuild:
    """What one build did to the published folder."""

    result: BuildResult
    written: set[str]  # files created or replaced
    removed: set[str]


class Project:
    """A site under test: build it, and compare its output with a cold build of a copy."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root
        self.out = root / "site"
        self.scratch = scratch
        self.colds = 0

    def build(self, **options: Any) -> Rebuild:
        before = stamps(self.out) if self.out.is_dir() else {}
        result = build_site(self.root, **options)
        after = stamps(self.out)
        written = {rel for rel, stamp in after.items() if before.get(rel) != stamp}
        # what the build says it wrote is exactly what changed on disk
        assert result.counts["written"] == len(written)
        return Rebuild(result, written, set(before) - set(after))

    def cold_tree(self, **options: Any) -> Tree:
        """The output of a fresh build, without a cache, of a copy of the sources."""
        self.colds += 1
        copy = self.scratch / f"cold-{self.colds}"
        shutil.copytree(self.root, copy, ignore=shutil.ignore_patterns(
            "site", "site.briefgen-*", CACHE_DIR))
        build_site(copy, cache=False, **options)
        return tree(copy / "site")

    def assert_matches_cold_build(self) -> None:
        assert tree(self.out) == self.cold_tree()
        assert not (self.root / "site.briefgen-staging").exists()
        assert not (self.root / "site.briefgen-old").exists()

    def file(self, rel: str) -> Path:
        return self.root / rel


@pytest.fixture
def project(make_site: MakeSite, tmp_path: Path) -> Project:
    """The small site, built once (cold) so that every test starts incremental."""
    site = Project(make_site(SITE), tmp_path / "scratch")
    first = site.build()
    assert first.written == set(stamps(site.out))
    return site


def prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def briefing_override(project: Project) -> Path:
    """A site-level copy of the bundled briefing.html, to edit."""
    return theme_override(project, "briefing.html")


def theme_override(project: Project, name: str) -> Path:
    bundled = Path(__file__).parents[2] / "themes" / "default" / "templates" / name
    target = project.root / "themes" / "default" / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled, target)
    return target


# -- an edit re-renders exactly what it touches -------------------------------------------------


def test_nothing_changed_writes_nothing_and_leaves_the_output_untouched(
        project: Project) -> None:
    before = stamps(project.out)
    again = project.build()
    assert again.result.counts["written"] == 0
    assert again.written == set() and again.removed == set()
    assert stamps(project.out) == before  # same inodes, same mtimes
    project.assert_matches_cold_build()


def test_editing_a_briefing_body_rerenders_its_page_and_the_feeds_it_is_in(
        project: Project) -> None:
    edit(project.file("content/briefings/beta.md"), "Beta second paragraph.",
         "Beta second paragraph, now longer.")
    rebuild = project.build()
    # its cards (title, summary, dates) are unchanged, so lists and neighbours are not touched
    assert rebuild.written == {BETA, *SITE_FEEDS, *feeds("tags/energy/")}
    assert rebuild.result.counts["written"] == 7
    assert b"now longer" in (project.out / BETA).read_bytes()
    project.assert_matches_cold_build()


def test_editing_a_briefing_title_rerenders_lists_neighbours_and_feeds_not_others(
        project: Project) -> None:
    edit(project.file("content/briefings/beta.md"), "title: Beta fares", "title: Beta fees")
    rebuild = project.build()
    assert rebuild.written == {
        BETA, ALPHA, GAMMA,  # beta, and the newer and older briefings that link to it
        card(BETA),  # its social card shows the title
        "index.html", ARCHIVE_2026, "tags/energy/index.html",
        *SITE_FEEDS, *feeds("tags/energy/"), "sources/s-two/index.html",
    }
    # /sources/ and outlet pages count the citing briefings, never name them
    assert DELTA not in rebuild.written and "sources/index.html" not in rebuild.written
    assert "outlets/wire/index.html" not in rebuild.written
    project.assert_matches_cold_build()


def card(page: str) -> str:
    """The social card published beside a briefing page."""
    return page.removesuffix("index.html") + "card.png"


def renders_differ(project: Project, *names: str) -> None:
    """Site copies of these templates that print a random number into every page they render:
    a page rendered again is written again, even when nothing it shows changed."""
    for name in names:
        edit(theme_override(project, name), "{% block main %}",
             "{% block main %}<!-- {{ range(10 ** 9) | random }} -->")


def test_a_title_edit_renders_again_the_archive_page_of_its_year_only(project: Project) -> None:
    renders_differ(project, "archive.html", "archive_year.html")
    project.build()
    edit(project.file("content/briefings/delta.md"), "title: Delta seawall",
         "title: Delta seawall vote")
    rebuild = project.build()
    assert ARCHIVE_2025 in rebuild.written
    assert b"Delta seawall vote" in (project.out / ARCHIVE_2025).read_bytes()
    # the index shows no title, 2026 does not list delta: neither is rendered at all
    assert ARCHIVE not in rebuild.written and ARCHIVE_2026 not in rebuild.written
    # (a date in another year renders all three: the stamps are live)
    edit(project.file("content/briefings/delta.md"), "date: 2025-12-01", "date: 2026-01-02")
    assert {ARCHIVE, ARCHIVE_2026} <= project.build().written


def test_moving_a_briefing_to_another_year_rerenders_both_years_and_the_index(
        project: Project) -> None:
    edit(project.file("content/briefings/gamma.md"), "date: 2026-01-01", "date: 2025-11-15")
    rebuild = project.build()
    assert {ARCHIVE, ARCHIVE_2026, ARCHIVE_2025} <= rebuild.written
    assert b"Gamma ferries" not in (project.out / ARCHIVE_2026).read_bytes()
    assert b"Gamma ferries" in (project.out / ARCHIVE_2025).read_bytes()
    project.assert_matches_cold_build()


def test_moving_a_briefing_to_another_month_of_its_year_rerenders_the_index_and_that_year(
        project: Project) -> None:
    edit(project.file("content/briefings/beta.md"), "date: 2026-02-01", "date: 2026-01-20")
    rebuild = project.build()
    assert {ARCHIVE, ARCHIVE_2026} <= rebuild.written  # February empties, January gains one
    assert ARCHIVE_2025 not in rebuild.written
    project.assert_matches_cold_build()


def test_a_briefing_moved_into_a_year_of_its_own_adds_that_years_page_and_removes_the_empty_one(
        project: Project) -> None:
    edit(project.file("content/briefings/delta.md"), "date: 2025-12-01", "date: 2024-12-01")
    rebuild = project.build()
    assert rebuild.removed == {ARCHIVE_2025, DELTA, card(DELTA)}
    assert {ARCHIVE, ARCHIVE_2026, "archive/2024/index.html"} <= rebuild.written
    # 2026's link to the older year now goes to 2024
    assert b'href="/archive/2024/"' in (project.out / ARCHIVE_2026).read_bytes()
    project.assert_matches_cold_build()


def test_editing_a_source_rerenders_every_briefing_citing_it_and_not_the_others(
        project: Project) -> None:
    edit(project.file("content/sources/s-two.md"), "Ferry operator raises fares",
         "Ferry operator raises fares again")
    rebuild = project.build()
    pages = rebuild.written & BRIEFING_PAGES
    assert pages == {BETA, GAMMA}  # both cite s-two; alpha and delta do not
    assert rebuild.written == {
        BETA, GAMMA, "sources/s-two/index.html", "outlets/wire/index.html",
        "sources/index.html", *SITE_FEEDS, *feeds("tags/energy/"), *feeds("tags/ferries/"),
    }
    project.assert_matches_cold_build()


def test_editing_a_source_cited_once_rerenders_only_that_briefing_among_briefings(
        project: Project) -> None:
    edit(project.file("content/sources/s-one.md"), "url: https://ledger.example.com/one",
         "url: https://ledger.example.com/one-moved")
    rebuild = project.build()
    assert rebuild.written & BRIEFING_PAGES == {ALPHA}
    assert "sources/s-one/index.html" in rebuild.written
    # the outlet page shows titles, not urls: same bytes, so it is not written again
    assert "outlets/ledger/index.html" not in rebuild.written
    assert "sources/s-two/index.html" not in rebuild.written
    project.assert_matches_cold_build()


def test_editing_an_outlet_rerenders_its_outlet_page_and_no_briefing(
        project: Project) -> None:
    edit(project.file("content/outlets.yaml"), "homepage: https://ledger.example.com/",
         "homepage: https://ledger.example.com/\n  country: Norway")
    rebuild = project.build()
    assert rebuild.written == {"outlets/ledger/index.html"}  # /sources/ does not show countries
    assert b"Norway" in (project.out / "outlets/ledger/index.html").read_bytes()
    project.assert_matches_cold_build()


SNAPSHOTS = ".briefgen-archive/s-two"
S_TWO_PAGE = "sources/s-two/index.html"
S_TWO_COPY = "sources/s-two/archived/index.html"  # clip: publish_snapshots: true


@pytest.fixture
def publishing(project: Project) -> Project:
    """The small site publishing snapshots, with one kept for s-two, built."""
    edit(project.file("briefgen.yaml"), "timezone: UTC\n",
         "timezone: UTC\nclip:\n  publish_snapshots: true\n")
    kept = project.file(f"{SNAPSHOTS}/20260204T081500Z/page.html")
    kept.parent.mkdir(parents=True)
    kept.write_text("<h1>Fares rise</h1><p>The operator raises fares.</p>", encoding="utf-8")
    assert S_TWO_COPY in project.build().written
    return project


def test_editing_a_snapshot_by_hand_rerenders_only_its_published_copy(
        publishing: Project) -> None:
    publishing.file(f"{SNAPSHOTS}/20260204T081500Z/page.html").write_text(
        "<h1>Fares rise</h1><p>The operator raises fares by a tenth.</p>", encoding="utf-8")
    rebuild = publishing.build()
    assert rebuild.written == {S_TWO_COPY}
    assert b"by a tenth" in (publishing.out / S_TWO_COPY).read_bytes()
    publishing.assert_matches_cold_build()


def test_a_newer_snapshot_rerenders_the_source_page_and_its_published_copy(
        publishing: Project) -> None:
    newer = publishing.file(f"{SNAPSHOTS}/20260301T090000Z/page.txt")
    newer.parent.mkdir()
    newer.write_text("Fares rise again in March.\n", encoding="utf-8")
    rebuild = publishing.build()
    assert rebuild.written == {S_TWO_COPY, S_TWO_PAGE}
    assert b"Archived copy (1 March 2026)" in (publishing.out / S_TWO_PAGE).read_bytes()
    publishing.assert_matches_cold_build()


def test_removing_the_snapshots_of_a_source_removes_its_copy_and_its_link(
        publishing: Project) -> None:
    shutil.rmtree(publishing.file(SNAPSHOTS))
    rebuild = publishing.build()
    assert rebuild.removed == {S_TWO_COPY}
    assert rebuild.written == {S_TWO_PAGE}
    assert b"Archived copy" not in (publishing.out / S_TWO_PAGE).read_bytes()
    publishing.assert_matches_cold_build()


def test_overriding_the_page_template_rerenders_only_standalone_pages(
        project: Project) -> None:
    edit(theme_override(project, "page.html"), MAIN, MAIN + "<p>page custom</p>")
    rebuild = project.build()
    assert rebuild.written == {"about/index.html"}
    assert b"page custom" in (project.out / "about/index.html").read_bytes()
    project.assert_matches_cold_build()


def test_overriding_the_briefing_template_rerenders_only_briefing_pages(
        project: Project) -> None:
    edit(briefing_override(project), MAIN, MAIN + "<p>briefing custom</p>")
    rebuild = project.build()
    assert rebuild.written == BRIEFING_PAGES
    project.assert_matches_cold_build()


def test_editing_an_included_template_rerenders_every_page_that_includes_it(
        project: Project) -> None:
    prepend(theme_override(project, "_card.html"), "<!-- card custom -->")
    rebuild = project.build()
    # _card.html is included by the lists only
    assert rebuild.written == {
        "index.html", "categories/analysis/index.html", "authors/ana/index.html",
        "tags/energy/index.html", "tags/ferries/index.html",
    }
    project.assert_matches_cold_build()


def test_editing_the_config_rerenders_every_page_and_feed_but_not_static_files(
        project: Project) -> None:
    everything = set(stamps(project.out))
    pages_and_feeds = {rel for rel in everything if rel.endswith(".html")
                       or rel.rsplit("/", 1)[-1] in ("feed.xml", "atom.xml", "feed.json",
                                                     "card.png")}
    edit(project.file("briefgen.yaml"), "title: Test Desk", "title: Harbour Desk")
    rebuild = project.build()
    # the site title is in every page, feed and social card; assets, robots.txt and the
    # sitemap do not show it
    assert rebuild.written == pages_and_feeds
    assert rebuild.result.counts["written"] == len(pages_and_feeds)
    project.assert_matches_cold_build()


def test_adding_a_briefing_adds_its_page_and_updates_lists_and_feeds(
        project: Project) -> None:
    write_site(project.root, textwrap.dedent("""
        -- content/briefings/epsilon.md --
        ---
        title: Epsilon grid
        date: 2025-11-01
        summary: Older grid news.
        tags: [energy]
        ---
        The grid again.
    """))
    rebuild = project.build()
    epsilon = "briefings/2025/11/epsilon/index.html"
    assert epsilon in rebuild.written
    assert {"index.html", ARCHIVE, ARCHIVE_2025, "tags/energy/index.html", "sitemap.xml",
            *SITE_FEEDS, *feeds("tags/energy/")} <= rebuild.written
    assert ARCHIVE_2026 not in rebuild.written
    assert DELTA in rebuild.written  # epsilon is delta's new older neighbour
    # alpha and beta share its tag and may list it as related; gamma shares nothing with it
    assert GAMMA not in rebuild.written
    assert b"Epsilon grid" in (project.out / "index.html").read_bytes()
    project.assert_matches_cold_build()


def test_deleting_a_briefing_removes_its_page_and_it_leaves_lists_and_feeds(
        project: Project) -> None:
    project.file("content/briefings/gamma.md").unlink()
    rebuild = project.build()
    assert rebuild.removed == {GAMMA, card(GAMMA)}
    assert not (project.out / "briefings/2026/01").exists()  # no empty folders left either
    for rel in ("index.html", ARCHIVE, ARCHIVE_2026, "tags/ferries/index.html", "feed.xml",
                "atom.xml", "feed.json", "tags/ferries/feed.xml", "sitemap.xml",
                "sources/s-two/index.html", BETA, DELTA):
        assert rel in rebuild.written
        assert b"Gamma ferries" not in (project.out / rel).read_bytes(), rel
        assert b"/gamma/" not in (project.out / rel).read_bytes(), rel
    assert rebuild.written & BRIEFING_PAGES == {BETA, DELTA}
    project.assert_matches_cold_build()


def test_deleting_the_last_briefing_of_a_tag_removes_the_tag_pages(project: Project) -> None:
    project.file("content/briefings/gamma.md").unlink()
    project.file("content/briefings/delta.md").unlink()
    project.file("content/sources/s-three.md").unlink()
    rebuild = project.build()
    assert {"tags/ferries/index.html", *feeds("tags/ferries/")} <= rebuild.removed
    assert not (project.out / "tags/ferries").exists()
    project.assert_matches_cold_build()


def test_a_stray_file_in_the_output_is_removed_by_the_next_build(project: Project) -> None:
    (project.out / "stray.html").write_text("not ours")
    (project.out / "briefings/2026/02/beta/notes.txt").write_text("not ours either")
    (project.out / "new-folder").mkdir()
    (project.out / "new-folder/x.txt").write_text("x")
    rebuild = project.build()
    assert rebuild.removed == {"stray.html", "briefings/2026/02/beta/notes.txt",
                               "new-folder/x.txt"}
    assert rebuild.written == set()
    assert not (project.out / "new-folder").exists()
    project.assert_matches_cold_build()


def test_a_file_deleted_from_the_output_is_restored_by_the_next_build(
        project: Project) -> None:
    expected = (project.out / BETA).read_bytes()
    (project.out / BETA).unlink()
    (project.out / "assets/style.css").unlink()
    rebuild = project.build()
    assert rebuild.written == {BETA, "assets/style.css"}
    assert (project.out / BETA).read_bytes() == expected
    project.assert_matches_cold_build()


def test_a_file_changed_by_hand_in_the_output_is_put_back_by_the_next_build(
        project: Project) -> None:
    (project.out / "index.html").write_text("defaced")
    rebuild = project.build()
    assert rebuild.written == {"index.html"}
    project.assert_matches_cold_build()


def test_editing_a_static_file_copies_only_it(project: Project) -> None:
    (project.root / "static").mkdir()
    (project.root / "static/robots-extra.txt").write_text("one\n")
    assert project.build().written == {"robots-extra.txt"}
    (project.root / "static/robots-extra.txt").write_text("one and two\n")
    rebuild = project.build()
    assert rebuild.written == {"robots-extra.txt"}
    assert (project.out / "robots-extra.txt").read_text() == "one and two\n"
    project.assert_matches_cold_build()


def test_output_after_a_sequence_of_edits_equals_a_cold_build(project: Project) -> None:
    steps: list[Callable[[], object]] = [
        lambda: edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.",
                     "Alpha, rewritten."),
        lambda: edit(project.file("content/sources/s-three.md"), "Council votes on seawall",
                     "Council rejects seawall"),
        lambda: project.file("content/briefings/beta.md").unlink(),
        lambda: edit(project.file("content/categories.yaml"), "name: Analysis",
                     "name: Analysis\n  disclaimer: Opinions are the writer's."),
        lambda: write_site(project.root, textwrap.dedent("""
            -- content/briefings/zeta.md --
            ---
            title: Zeta returns
            date: 2026-02-15
            summary: Back again.
            category: analysis
            tags: [energy, ferries]
            sources: [s-two]
            ---
            Fares went up [@s-two].
        """)),
        lambda: prepend(theme_override(project, "_byline.html"), "<!-- byline -->"),
        lambda: edit(project.file("content/pages/about.md"), "About the desk.", "About us."),
        lambda: (project.out / "leftover.txt").write_text("stray"),
        lambda: edit(project.file("briefgen.yaml"), "title: Test Desk", "title: Desk"),
        lambda: edit(project.file("content/briefings/zeta.md"), "date: 2026-02-15",
                     "date: 2025-06-15"),
    ]
    for step in steps:
        step()
        project.build()
        project.assert_matches_cold_build()


# -- a failed incremental build publishes nothing -----------------------------------------------


MAIN = "{% block main %}"  # every page template has it
EXPLODING = (MAIN, MAIN + '{% if "EXPLODE" in briefing.body_html %}'
             "{{ briefing.no_such_field.boom }}{% endif %}")


def test_failed_incremental_build_leaves_the_published_site_as_it_was(
        project: Project) -> None:
    edit(briefing_override(project), *EXPLODING)
    project.build()  # nothing explodes yet
    published, published_stamps = tree(project.out), stamps(project.out)
    # one good edit, one that makes the template raise while rendering
    edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.", "Alpha, new.")
    edit(project.file("content/briefings/beta.md"), "Beta second paragraph.", "EXPLODE")
    edit(project.file("content/briefings/delta.md"), "The council votes", "The council voted")

    with pytest.raises(BuildFailed) as failed:
        build_site(project.root)

    [error] = failed.value.diagnostics.errors
    assert error.path == "themes/default/templates/briefing.html"
    assert f"/{BETA.removesuffix('index.html')}" in error.message
    assert tree(project.out) == published
    assert stamps(project.out) == published_stamps
    # no staging folder left; only the spare (the build before, kept for the next publish)
    assert [p.name for p in project.root.glob("site.briefgen-*")] in ([], [SPARE])

    edit(project.file("content/briefings/beta.md"), "EXPLODE", "Beta fixed.")
    rebuild = project.build()
    assert rebuild.written == {ALPHA, BETA, DELTA, *SITE_FEEDS, *feeds("tags/energy/"),
                               *feeds("tags/ferries/"), *feeds("categories/analysis/"),
                               *feeds("authors/ana/"), "sources/s-three/index.html"}
    assert b"Alpha, new." in (project.out / ALPHA).read_bytes()
    project.assert_matches_cold_build()


# -- cold, cached, parallel, single-process: the same bytes -------------------------------------


CORPUS_SIZE = 80  # enough files for map_slices (minimum 64) to fork workers for both stages


@pytest.fixture(scope="module")
def corpus_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus") / "source", CORPUS_SIZE)


@pytest.fixture(scope="module")
def reference(corpus_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """The corpus built cold, in one process, without a cache."""
    root = tmp_path_factory.mktemp("reference") / "site-src"
    shutil.copytree(corpus_source, root)
    result = build_site(root, jobs=1, cache=False)
    assert result.counts["briefings"] > 60
    return tree(root / "site")


@pytest.fixture
def corpus(corpus_source: Path, tmp_path: Path) -> Project:
    root = tmp_path / "site-src"
    shutil.copytree(corpus_source, root)
    return Project(root, tmp_path / "scratch")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every multiprocessing context briefgen asks for (a 'fork' means workers were used)."""
    asked: list[str] = []
    real = multiprocessing.get_context

    def spy(method: str | None = None) -> Any:
        asked.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    return asked


def test_parallel_build_forks_workers_and_matches_the_single_process_build(
        corpus: Project, reference: Tree, forks: list[str]) -> None:
    corpus.build(jobs=2)
    assert forks.count("fork") == 2  # parse and render each ran in worker processes
    assert tree(corpus.out) == reference


def test_single_process_build_forks_nothing_and_matches(
        corpus: Project, reference: Tree, forks: list[str]) -> None:
    corpus.build(jobs=1)
    assert forks == []
    assert tree(corpus.out) == reference


def test_cached_build_parses_nothing_and_matches_the_cold_build(
        corpus: Project, reference: Tree) -> None:
    corpus.build(jobs=2)
    shutil.rmtree(corpus.out)
    again = corpus.build(jobs=2)
    assert again.result.counts["parsed"] == 0  # every file came from the cache
    assert tree(corpus.out) == reference
    nothing = corpus.build(jobs=1)
    assert nothing.written == set()
    assert tree(corpus.out) == reference


def test_cached_build_into_another_folder_matches(corpus: Project, reference: Tree,
                                                  tmp_path: Path) -> None:
    corpus.build(jobs=2)
    other = tmp_path / "elsewhere" / "public"
    result = build_site(corpus.root, jobs=1, output=other)
    assert result.counts["parsed"] == 0
    assert tree(other) == reference


def test_build_without_cache_matches_the_cached_build(corpus: Project,
                                                      reference: Tree) -> None:
    corpus.build(jobs=2)
    again = corpus.build(jobs=2, cache=False)
    assert again.written == set(stamps(corpus.out))  # everything made again
    assert again.result.counts["parsed"] == len(list(corpus.root.glob("content/**/*.md")))
    assert tree(corpus.out) == reference


def test_cached_build_after_a_build_without_cache_is_correct(project: Project) -> None:
    edit(project.file("content/briefings/beta.md"), "Beta second paragraph.", "Beta, once.")
    project.build(cache=False)  # leaves the cache as it was, now out of date
    project.assert_matches_cold_build()
    nothing = project.build()
    project.assert_matches_cold_build()
    edit(project.file("content/briefings/beta.md"), "Beta, once.", "Beta second paragraph.")
    project.build()
    project.assert_matches_cold_build()
    assert project.build().written == set()
    assert nothing.result.counts["written"] <= len(stamps(project.out))


def test_parallel_incremental_rebuild_writes_only_what_an_edit_touches(
        corpus: Project, forks: list[str]) -> None:
    corpus.build(jobs=2)
    first = sorted(corpus.root.glob("content/briefings/*/*/*.md"))[40]
    text = first.read_text()
    paragraphs = text.split("\n\n")
    paragraphs[1] += " An added sentence."  # the body, not the summary
    first.write_text("\n\n".join(paragraphs))
    rebuild = corpus.build(jobs=2)
    assert rebuild.result.counts["parsed"] == 1
    pages = {rel for rel in rebuild.written if rel.startswith("briefings/")}
    assert len(pages) == 1
    assert all(rel.endswith((".xml", ".json")) for rel in rebuild.written - pages)
    corpus.assert_matches_cold_build()


class _Listing:
    """What os.scandir returns, over a reordered list of entries."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> _Listing:
        return self

    def __next__(self) -> os.DirEntry[str]:
        return next(self.entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def shuffle_listings(monkeypatch: pytest.MonkeyPatch, seed: int) -> list[str]:
    """Make every directory listing (scandir, listdir, so walk and glob) come back shuffled."""
    rng = random.Random(seed)
    scandir, listdir = os.scandir, os.listdir
    listed: list[str] = []

    def shuffled_scandir(path: Any = ".") -> _Listing:
        with scandir(path) as it:
            entries = list(it)
        rng.shuffle(entries)
        listed.append(os.fspath(path))
        return _Listing(entries)

    def shuffled_listdir(path: Any = ".") -> list[Any]:
        names = listdir(path)
        rng.shuffle(names)
        listed.append(os.fspath(path))
        return names

    monkeypatch.setattr(os, "scandir", shuffled_scandir)
    monkeypatch.setattr(os, "listdir", shuffled_listdir)
    return listed


@pytest.mark.parametrize("jobs", [1, 2])
def test_shuffled_directory_listings_change_nothing(
        corpus: Project, reference: Tree, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    with monkeypatch.context() as patch:
        listed = shuffle_listings(patch, seed=jobs)
        corpus.build(jobs=jobs)
    assert any(path.endswith("briefings/2025") for path in listed)
    assert tree(corpus.out) == reference
    with monkeypatch.context() as patch:
        shuffle_listings(patch, seed=jobs + 10)
        again = corpus.build(jobs=jobs)
    assert again.written == set()
    assert tree(corpus.out) == reference


def test_failed_parallel_incremental_build_publishes_nothing_and_leaves_no_staging(
        corpus: Project) -> None:
    edit(briefing_override(corpus), *EXPLODING)
    corpus.build(jobs=2)
    published, published_stamps = tree(corpus.out), stamps(corpus.out)
    files = sorted(corpus.root.glob("content/briefings/*/*/*.md"))
    for path in files[::10]:  # many pages to make, in worker processes; one of them fails
        path.write_text(path.read_text() + "\nA new closing line.\n")
    files[33].write_text(files[33].read_text() + "\nEXPLODE\n")

    with pytest.raises(BuildFailed):
        build_site(corpus.root, jobs=2)

    assert tree(corpus.out) == published
    assert stamps(corpus.out) == published_stamps
    assert [p.name for p in corpus.root.glob("site.briefgen-*")] in ([], [SPARE])
    files[33].write_text(files[33].read_text().replace("\nEXPLODE\n", "\n"))
    corpus.build(jobs=2)
    corpus.assert_matches_cold_build()


# -- the spare: the build before, made complete and exchanged with the published folder ---------


def test_a_whole_build_leaves_a_spare_that_shares_every_file_with_the_published_site(
        project: Project) -> None:
    spare = project.root / SPARE
    published = project.out
    assert tree(spare) == tree(published)
    for rel, (inode, _mtime, _size) in stamps(published).items():
        assert (spare / rel).stat().st_ino == inode, rel


def test_after_an_edit_the_spare_holds_the_site_before_it(project: Project) -> None:
    before = tree(project.out)
    edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.", "Alpha, new.")
    rebuild = project.build()
    assert rebuild.written
    assert tree(project.root / SPARE) == before
    project.assert_matches_cold_build()
    edit(project.file("content/briefings/beta.md"), "Beta second paragraph.", "Beta, new.")
    project.build()
    project.assert_matches_cold_build()


def test_a_spare_deleted_by_hand_is_made_again(project: Project) -> None:
    shutil.rmtree(project.root / SPARE)
    edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.", "Alpha, new.")
    project.build()
    project.assert_matches_cold_build()
    assert (project.root / SPARE).is_dir()


def test_a_spare_replaced_by_another_folder_is_made_again(project: Project) -> None:
    spare = project.root / SPARE
    shutil.rmtree(spare)
    shutil.copytree(project.out, spare)  # the same files, but not the published ones
    (spare / "stray.html").write_text("not from this build")
    edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.", "Alpha, new.")
    project.build()
    project.assert_matches_cold_build()


def test_a_published_file_already_changed_to_its_new_bytes_is_published_from_the_new_build(
        project: Project) -> None:
    # as the preview's in-place edits do: the published folder gets a page's new bytes before
    # the build that makes them; the spare's older copy of it must not come back
    edit(project.file("content/briefings/beta.md"), "Beta second paragraph.", "Beta, new.")
    project.build()
    edit(project.file("content/briefings/alpha.md"), "Alpha second paragraph.", "Alpha, new.")
    expected = project.cold_tree()
    page = project.out / ALPHA
    page.unlink()
    page.write_bytes(expected[ALPHA] or b"")
    project.build()
    project.assert_matches_cold_build()
