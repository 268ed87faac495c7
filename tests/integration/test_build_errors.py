"""Bad content: every problem in one pass, one exact `path:line:col` line each, site kept."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sitekit import build_errors as all_diagnostics
from tests.sitekit import build_site, write_site

MakeSite = Callable[..., Path]


def spec(*parts: str) -> str:
    """Site sections from several strings, each dedented on its own."""
    return "".join(textwrap.dedent(part) for part in parts)

REGISTRIES = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    opinion:
      name: Opinion
    -- content/authors.yaml --
    a-guest:
      name: A. Guest
    -- content/sources/reuters-tridon-2026-02-04.md --
    ---
    title: Sweden and Denmark buy Tridon
    outlet: Reuters
    url: https://www.reuters.com/
    ---
"""

GOOD_SITE = """
    -- content/briefings/broken.md --
    ---
    title: Broken later
    date: 2026-02-01
    ---
    One.
    -- content/briefings/category.md --
    ---
    title: Category later
    date: 2026-02-02
    category: analysis
    ---
    Two.
    -- content/briefings/when.md --
    ---
    title: Dated later
    date: 2026-02-03
    ---
    Three.
"""

# The acceptance case of the foundation issue: three files, three different problems.
BROKEN_FILES = """
    -- content/briefings/broken.md --
    ---
    title: Broken: really
    date: 2026-02-01
    ---
    One.
    -- content/briefings/category.md --
    ---
    title: Category later
    date: 2026-02-02
    category: analysys
    ---
    Two.
    -- content/briefings/when.md --
    ---
    title: Dated later
    date: yesterday
    ---
    Three.
"""
ACCEPTANCE_ERRORS = [
    "content/briefings/broken.md:2:14: error: malformed YAML: "
    "mapping values are not allowed in this context",
    "content/briefings/category.md:4:11: error: unknown category 'analysys' "
    "(did you mean 'analysis'?)",
    "content/briefings/when.md:3:7: error: 'date' must be a date like 2026-02-04 or "
    "2026-02-04T18:25:00+04:00, got 'yesterday'",
]


def build_errors(root: Path, **options: object) -> list[str]:
    """The error lines of a build that must fail (warnings, e.g. an uncited source, left out)."""
    return [line for line in all_diagnostics(root, **options) if ": error: " in line]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes), to compare two moments byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_broken_yaml_unknown_category_and_bad_date_are_each_one_line_and_site_is_kept(
        make_site: MakeSite) -> None:
    root = make_site(spec(REGISTRIES, GOOD_SITE))
    build_site(root)
    published = snapshot(root / "site")
    assert "briefings/2026/02/category/index.html" in published

    write_site(root, BROKEN_FILES)

    assert build_errors(root) == ACCEPTANCE_ERRORS
    assert snapshot(root / "site") == published
    # nothing left behind but the build state (the cache, and the spare kept for publishing)
    assert sorted(p.name for p in root.iterdir()) == [".briefgen-cache", "briefgen.yaml",
                                                      "content", "site", "site.briefgen-spare"]


def test_errors_in_several_files_are_all_reported_in_one_pass(make_site: MakeSite) -> None:
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/a.md --
        ---
        title: Author typo
        date: 2026-02-04
        authors: [a-gust]
        ---
        -- content/briefings/b.md --
        ---
        title: Source typo
        date: 2026-02-04
        sources:
          - reuters-tridn-2026-02-04
        ---
        -- content/briefings/c.md --
        ---
        title: Duplicate key
        date: 2026-02-04
        title: Again
        ---
        -- content/briefings/d.md --
        ---
        date: 2026-02-04
        ---
        No title.
        -- content/briefings/e.md --
        No front matter at all.
        -- content/pages/about.md --
        ---
        title: About
        menu: first
        ---
    """))
    assert build_errors(root) == [
        "content/briefings/a.md:4:11: error: unknown author 'a-gust' (did you mean 'a-guest'?) "
        "(add it to content/authors.yaml, or write the person's full name)",
        "content/briefings/b.md:5:5: error: unknown source 'reuters-tridn-2026-02-04' "
        "(did you mean 'reuters-tridon-2026-02-04'?) "
        "(add content/sources/<id>.md or write the source inline)",
        "content/briefings/c.md:4:1: error: duplicate key 'title' in briefing front matter "
        "(first at line 2, again at line 4)",
        "content/briefings/d.md:2:1: error: missing required key 'title' in briefing front matter",
        "content/briefings/e.md:1:1: error: a briefing must start with front matter: a line "
        "'---', YAML such as 'title: ...', and another '---'",
        "content/pages/about.md:3:7: error: 'menu' must be a whole number, got 'first'",
    ]
    assert not (root / "site").exists()


def test_unknown_author_id_is_reported_with_its_position_and_a_suggestion(
        make_site: MakeSite) -> None:
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/x.md --
        ---
        title: X
        date: 2026-02-04
        authors:
          - Jane Plain Name
          - a-gust
        ---
    """))
    assert build_errors(root) == [
        "content/briefings/x.md:6:5: error: unknown author 'a-gust' (did you mean 'a-guest'?) "
        "(add it to content/authors.yaml, or write the person's full name)",
    ]


def test_unknown_source_id_is_reported_with_line_and_a_suggestion(make_site: MakeSite) -> None:
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/x.md --
        ---
        title: X
        date: 2026-02-04
        sources: [reuters-tridon-2026-02-04, reuters-tridn-2026-02-04]
        ---
    """))
    assert build_errors(root) == [
        "content/briefings/x.md:4:38: error: unknown source 'reuters-tridn-2026-02-04' "
        "(did you mean 'reuters-tridon-2026-02-04'?) "
        "(add content/sources/<id>.md or write the source inline)",
    ]


def test_duplicate_inline_source_id_names_the_first_definition(make_site: MakeSite) -> None:
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/a.md --
        ---
        title: First
        date: 2026-02-04
        sources:
          - id: wh-briefing
            title: Press briefing
            outlet: The White House
            url: https://example.org/briefing
        ---
        -- content/briefings/b.md --
        ---
        title: Second
        date: 2026-02-05
        sources:
          - reuters-tridon-2026-02-04
          - id: wh-briefing
            title: Press briefing again
            outlet: The White House
            url: https://example.org/briefing
          - id: reuters-tridon-2026-02-04
            title: Same id as a library source
            outlet: Reuters
            url: https://www.reuters.com/
        ---
    """))
    assert build_errors(root) == [
        "content/briefings/b.md:6:5: error: duplicate source id 'wh-briefing' "
        "(already defined in content/briefings/a.md:5)",
        "content/briefings/b.md:10:5: error: duplicate source id 'reuters-tridon-2026-02-04' "
        "(already defined in content/sources/reuters-tridon-2026-02-04.md:1)",
    ]


def test_two_briefings_with_the_same_url_are_an_error_naming_both_files(
        make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/one/energy.md --
        ---
        title: One
        date: 2026-02-04
        ---
        -- content/briefings/two/other.md --
        ---
        title: Two
        date: 2026-02-10
        slug: energy
        ---
    """)
    assert build_errors(root) == [
        "content/briefings/one/energy.md:1:1: error: URL /briefings/2026/02/energy/ is already "
        "used by content/briefings/two/other.md; give one of them another 'slug:'",
    ]


def test_file_names_differing_only_by_case_collide_on_one_url(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/a/Energy-Deal.md --
        ---
        title: Upper
        date: 2026-02-04
        ---
        -- content/briefings/b/energy-deal.md --
        ---
        title: Lower
        date: 2026-02-04
        ---
    """)
    assert build_errors(root) == [
        "content/briefings/b/energy-deal.md:1:1: error: URL /briefings/2026/02/energy-deal/ is "
        "already used by content/briefings/a/Energy-Deal.md; give one of them another 'slug:'",
    ]


def test_nfc_and_nfd_file_names_of_one_title_collide_on_one_url(
        make_site: MakeSite, tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    front = "---\ntitle: Café\ndate: 2026-02-04\n---\n"
    root = make_site()
    for folder, name in (("a", nfc), ("b", nfd)):
        (root / "content/briefings" / folder).mkdir(parents=True)
        (root / "content/briefings" / folder / f"{name}.md").write_text(front, encoding="utf-8")
    if len({p.name for p in (root / "content/briefings").rglob("*.md")}) < 2:
        pytest.skip("this file system normalises file names")
    errors = build_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith(f"content/briefings/b/{nfd}.md:1:1: error: URL "
                                f"/briefings/2026/02/{nfc}/ is already used by "
                                f"content/briefings/a/{nfc}.md")


def test_page_taking_a_url_briefgen_writes_itself_is_an_error(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/pages/archive.md --
        ---
        title: My archive
        ---
    """)
    assert build_errors(root) == [
        "content/pages/archive.md:1:1: error: URL /archive/ is already used by the archive; "
        "give one of them another 'slug:'",
    ]


def test_slug_with_dot_dot_is_an_error_and_nothing_is_written_outside_the_output(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site("""
        -- content/briefings/escape.md --
        ---
        title: Escape
        date: 2026-02-04
        slug: ../../x
        ---
        -- content/pages/up.md --
        ---
        title: Up
        slug: ../../../y
        ---
    """)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert build_errors(root) == [
        "content/briefings/escape.md:4:7: error: 'slug' must be lowercase words joined by "
        "hyphens like 'x', got '../../x'",
        "content/pages/up.md:3:7: error: 'slug' must be lowercase words joined by hyphens "
        "like 'y', got '../../../y'",
    ]
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                   if ".briefgen-cache" not in p.parts)
    assert after == before


def test_broken_config_is_reported_with_its_line_and_nothing_is_built(
        make_site: MakeSite) -> None:
    root = make_site("""
        -- briefgen.yaml --
        title: T
        base_url: https://example.org/
        pagination: many
        titel: Typo
    """, config=False)
    assert build_errors(root) == [
        "briefgen.yaml:3:13: error: 'pagination' must be a whole number, got 'many'",
        "briefgen.yaml:4:1: error: unknown key 'titel' in briefgen.yaml (did you mean 'title'?)",
    ]
    assert not (root / "site").exists()


def test_diagnostics_are_sorted_by_file_line_and_column(
        make_site: MakeSite) -> None:
    """Diagnostics come out sorted by file, line and column, whatever the order they were found."""
    root = make_site("""
        -- content/briefings/z.md --
        ---
        title: Z
        date: 2026-02-04
        draft: maybe
        ---
        -- content/briefings/a.md --
        ---
        title: A
        date: 2026-13-01
        ---
    """)
    errors = build_errors(root)
    assert [e.split(": error: ")[0] for e in errors] == ["content/briefings/a.md:3:7",
                                                        "content/briefings/z.md:4:8"]


def test_every_problem_of_one_briefing_is_reported_in_one_run(make_site: MakeSite) -> None:
    # bad date, unknown category, bad tag, `draft: yes`, unknown author, unknown source id:
    # the fields that fail do not hide what can still be checked in the others
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/many.md --
        ---
        title: Six problems
        date: 2026-02-31
        category: analysys
        tags: [energy, "!!!"]
        draft: yes
        authors: [a-gust]
        sources:
          - reuters-tridn-2026-02-04
        ---
        Text [@reuters-tridon-2026-02-04].
    """))
    assert build_errors(root) == [
        "content/briefings/many.md:3:7: error: 'date' must be a date like 2026-02-04 or "
        "2026-02-04T18:25:00+04:00, got '2026-02-31'",
        "content/briefings/many.md:4:11: error: unknown category 'analysys' (did you mean "
        "'analysis'?)",
        "content/briefings/many.md:5:16: error: tag '!!!' has no letters or digits",
        "content/briefings/many.md:6:8: error: 'draft' must be true or false, got 'yes'",
        "content/briefings/many.md:7:11: error: unknown author 'a-gust' (did you mean "
        "'a-guest'?) (add it to content/authors.yaml, or write the person's full name)",
        "content/briefings/many.md:9:5: error: unknown source 'reuters-tridn-2026-02-04' "
        "(did you mean 'reuters-tridon-2026-02-04'?) "
        "(add content/sources/<id>.md or write the source inline)",
    ]
    assert not (root / "site").exists()


def test_a_briefing_with_errors_still_counts_as_citing_its_sources(make_site: MakeSite) -> None:
    # its library source is not reported as "never cited" on top of its real problem
    root = make_site(spec(REGISTRIES, """
        -- content/briefings/a.md --
        ---
        title: Bad date
        date: tomorrow
        sources: [reuters-tridon-2026-02-04]
        ---
        Text [@reuters-tridon-2026-02-04].
    """))
    assert build_errors(root) == [
        "content/briefings/a.md:3:7: error: 'date' must be a date like 2026-02-04 or "
        "2026-02-04T18:25:00+04:00, got 'tomorrow'"]


SAME_ID = "3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"


def test_two_briefings_with_the_same_id_are_an_error_naming_both_files(
        make_site: MakeSite) -> None:
    # the usual way: a briefing copied to start a new one (or a translation), id and all
    root = make_site(f"""
        -- content/briefings/original.md --
        ---
        id: {SAME_ID}
        title: Original
        date: 2026-02-01
        ---
        -- content/briefings/copy.md --
        ---
        title: The copy
        id: {SAME_ID.upper()}
        date: 2026-02-02
        draft: true
        ---
    """)
    assert build_errors(root) == [
        f"content/briefings/copy.md:3:5: error: id {SAME_ID} is already the id of "
        "content/briefings/original.md:2; each briefing needs its own (it is the briefing's "
        "guid in the feeds): give this one a new UUID"]
    assert not (root / "site").exists()  # so no feed ever carries the guid twice


def test_every_feed_carries_each_guid_once(make_site: MakeSite) -> None:
    import lxml.etree

    root = make_site(f"""
        -- content/briefings/a.md --
        ---
        id: {SAME_ID}
        title: A
        date: 2026-02-01
        ---
        -- content/briefings/b.md --
        ---
        title: B
        date: 2026-02-02
        ---
        -- content/briefings/c.md --
        ---
        title: C
        date: 2026-02-03
        ---
    """)
    build_site(root)
    feeds = sorted((root / "site").rglob("feed.xml"))
    assert feeds
    for feed in feeds:
        guids = lxml.etree.parse(str(feed)).xpath("//item/guid/text()")
        assert len(guids) == len(set(guids)), feed
    home = lxml.etree.parse(str(root / "site/feed.xml")).xpath("//item/guid/text()")
    assert len(home) == 3 and f"urn:uuid:{SAME_ID}" in home
