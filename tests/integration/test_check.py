"""`briefgen check`: every validation of the build, internal links and anchors, nothing written;
its output formats and exit codes."""

from __future__ import annotations

import json
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.build import BuildOptions, build
from briefgen.cli import cli
from briefgen.diagnostics import BuildFailed
from tests.sitekit import NOW

MakeSite = Callable[..., Path]
REPO_ROOT = Path(__file__).resolve().parents[2]

LIBRARY = """
    -- content/sources/reuters-tridon.md --
    ---
    title: Sweden and Denmark buy Tridon
    outlet: Reuters
    url: https://www.reuters.com/world/tridon
    published: 2026-02-03
    ---
    Sweden and Denmark will buy Tridon Mk2 systems for about $290 million.
"""


def site(make_site: MakeSite, body: str, extra: str = "") -> Path:
    """A site with one library source and one briefing `b.md` whose body starts at line 5."""
    return make_site(textwrap.dedent(LIBRARY) + textwrap.dedent(extra)
                     + "-- content/briefings/b.md --\n---\ntitle: B\ndate: 2026-02-04\n---\n"
                     + textwrap.dedent(body).lstrip())


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--site", str(root), "check", *args])


def lines(result: Result) -> list[str]:
    """The diagnostic lines of a text-format run (the last stderr line is the summary)."""
    return result.stderr.splitlines()[:-1]


GOOD = "Sweden buys Tridon [@reuters-tridon].\n"
UNCITED = """
    -- content/sources/leftover.md --
    ---
    title: Leftover
    outlet: Reuters
    url: https://www.reuters.com/leftover
    ---
"""


# --- nothing written ------------------------------------------------------------------------

def test_check_writes_nothing(make_site: MakeSite, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = site(make_site, GOOD)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = check(root)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert not (root / "site").exists()
    assert list(scratch.iterdir()) == []


def test_failing_check_leaves_no_scratch_folder(make_site: MakeSite, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = site(make_site, "Sweden buys Tridon [@reuters-tridon]. See [x](/nowhere/).\n")
    result = check(root)
    assert result.exit_code == 1
    assert lines(result) == [
        "content/briefings/b.md:5:47: error: link /nowhere/ leads to no page"]
    assert not (root / "site").exists()
    assert list(scratch.iterdir()) == []


def test_check_keeps_an_existing_published_site(make_site: MakeSite) -> None:
    root = site(make_site, GOOD)
    (root / "site").mkdir()
    (root / "site/.briefgen-output").write_text("x")
    (root / "site/old.html").write_text("old")
    assert check(root).exit_code == 0
    assert sorted(p.name for p in (root / "site").iterdir()) == [".briefgen-output", "old.html"]


def test_check_through_build_options_writes_nothing(make_site: MakeSite) -> None:
    root = site(make_site, "See [there](/nowhere/).\n")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root, write=False, check_links=True, now=NOW))
    assert [d.format() for d in failed.value.diagnostics] == [
        "content/briefings/b.md:5:13: error: link /nowhere/ leads to no page",
        "content/sources/reuters-tridon.md:1:1: warning: source 'reuters-tridon' is never cited"]
    assert not (root / "site").exists()


def test_build_options_check_of_good_site_counts_links(make_site: MakeSite) -> None:
    root = site(make_site, GOOD)
    result = build(BuildOptions(root, write=False, check_links=True, now=NOW))
    assert list(result.diagnostics) == []
    assert result.counts["links"] > 0
    assert not (root / "site").exists()


# --- internal links -------------------------------------------------------------------------

def test_link_to_missing_page_is_reported_at_its_markdown_position(make_site: MakeSite) -> None:
    root = site(make_site, """
        Sweden buys Tridon [@reuters-tridon].

        See the [earlier piece](/briefings/2026/01/nope/) for more.
    """)
    result = check(root)
    assert result.exit_code == 1
    assert lines(result) == [
        "content/briefings/b.md:7:25: error: link /briefings/2026/01/nope/ leads to no page"]


def test_link_to_missing_anchor_is_reported_at_its_markdown_position(make_site: MakeSite) -> None:
    root = site(make_site, """
        Sweden buys Tridon [@reuters-tridon].

        ## Background

        See [above](#backgroud) and [the source](/sources/reuters-tridon/#text).
        Fine: [heading](#background), [entry](#source.1), [marker](#cite.1.1), [list](/sources/).
    """)
    result = check(root)
    assert result.exit_code == 1
    assert lines(result) == [
        "content/briefings/b.md:9:13: error: link #backgroud points at #backgroud, which "
        "/briefings/2026/02/b/ does not have",
        "content/briefings/b.md:9:42: error: link /sources/reuters-tridon/#text points at #text, "
        "which /sources/reuters-tridon/ does not have"]


def test_relative_link_is_resolved_against_the_page(make_site: MakeSite) -> None:
    root = site(make_site, """
        Sweden buys Tridon [@reuters-tridon]. See [a](../../01/a/) and [b](../../01/nope/).
    """, extra="""
        -- content/briefings/a.md --
        ---
        title: A
        date: 2026-01-10
        ---
        Earlier [@reuters-tridon].
    """)
    assert lines(check(root)) == [
        "content/briefings/b.md:5:68: error: link ../../01/nope/ leads to no page"]


def test_broken_link_is_found_in_markdown_under_a_sub_path_deploy(make_site: MakeSite) -> None:
    root = site(make_site, "Sweden buys Tridon [@reuters-tridon]. See [x](/nope/).\n")
    result = check(root, "--base-url", "https://example.org/desk/")
    assert lines(result) == [
        "content/briefings/b.md:5:47: error: link /desk/nope/ leads to no page"]


def test_links_in_a_standalone_page_are_checked(make_site: MakeSite) -> None:
    root = site(make_site, GOOD, extra="""
        -- content/pages/about.md --
        ---
        title: About
        ---
        Read [our sources](/sources/) and [the method](/method/).
    """)
    assert lines(check(root)) == [
        "content/pages/about.md:4:48: error: link /method/ leads to no page"]


# --- exit codes and formats -----------------------------------------------------------------

def test_clean_site_exits_0_and_prints_only_the_summary(make_site: MakeSite) -> None:
    result = check(site(make_site, GOOD))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert lines(result) == []
    assert result.stderr.splitlines()[-1].endswith("(nothing written) in " +
                                                   result.stderr.split(" in ")[-1].strip())


def test_warnings_alone_exit_0(make_site: MakeSite) -> None:
    result = check(site(make_site, GOOD, extra=UNCITED))
    assert result.exit_code == 0
    assert lines(result) == [
        "content/sources/leftover.md:1:1: warning: source 'leftover' is never cited"]


def test_warnings_under_strict_exit_1(make_site: MakeSite) -> None:
    result = check(site(make_site, GOOD, extra=UNCITED), "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/sources/leftover.md:1:1: warning: source 'leftover' is never cited",
        "0 errors, 1 warning; check failed"]


def test_errors_exit_1(make_site: MakeSite) -> None:
    result = check(site(make_site, "Broken [@reuters-tridn].\n"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/briefings/b.md:5:8: error: unknown source 'reuters-tridn' (did you mean "
        "'reuters-tridon'?) (add content/sources/<id>.md or write the source inline)",
        "content/sources/reuters-tridon.md:1:1: warning: source 'reuters-tridon' is never cited",
        "1 error, 1 warning; check failed"]


def test_info_lines_are_shown_by_check_and_do_not_fail_strict(make_site: MakeSite) -> None:
    root = site(make_site, 'Sweden buys "Tridon systems" [@other]. Deal [@reuters-tridon].\n'
                '"It is done" [@other]\n', extra="""
        -- content/sources/other.md --
        ---
        title: Other
        outlet: Reuters
        url: https://www.reuters.com/other
        ---
    """)
    result = check(root, "--strict")
    assert result.exit_code == 0
    assert lines(result) == [
        "content/briefings/b.md:5:14: info: quotation not checked: source 'other' has no "
        "clipped text",
        "content/briefings/b.md:6:2: info: quotation not checked: source 'other' has no "
        "clipped text"]


def test_missing_site_is_a_usage_error(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.exit_code == 2
    assert "no briefgen.yaml in" in result.stderr


@pytest.mark.parametrize("args", [["--format", "xml"], ["--base-url", "example.org"],
                                  ["--no-such-option"]])
def test_bad_options_are_usage_errors(make_site: MakeSite, args: list[str]) -> None:
    result = check(site(make_site, GOOD), *args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_json_format_prints_every_diagnostic_as_an_object(make_site: MakeSite) -> None:
    root = site(make_site, "Broken [@reuters-tridn]. See [x](/nope/).\n", extra=UNCITED)
    result = check(root, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "content/briefings/b.md", "line": 5, "col": 8, "severity": "error",
         "message": "unknown source 'reuters-tridn' (did you mean 'reuters-tridon'?) "
                    "(add content/sources/<id>.md or write the source inline)"},
        {"path": "content/sources/leftover.md", "line": 1, "col": 1, "severity": "warning",
         "message": "source 'leftover' is never cited"},
        {"path": "content/sources/reuters-tridon.md", "line": 1, "col": 1,
         "severity": "warning", "message": "source 'reuters-tridon' is never cited"},
    ]


def test_json_format_of_a_clean_site_is_an_empty_list(make_site: MakeSite) -> None:
    result = check(site(make_site, GOOD), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_json_format_reports_links_with_positions(make_site: MakeSite) -> None:
    result = check(site(make_site, GOOD + "\nSee [x](/nope/).\n"), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "content/briefings/b.md", "line": 7, "col": 9, "severity": "error",
         "message": "link /nope/ leads to no page"}]


def test_output_is_sorted_by_path_and_line(make_site: MakeSite) -> None:
    root = site(make_site, "Late [@zz-b].\n\nEarly [@zz-a].\n", extra="""
        -- content/briefings/a.md --
        ---
        title: A
        date: 2026-02-01
        ---
        Cites [@zz-c] [@reuters-tridon].
    """)
    assert [line.split(": error")[0] for line in lines(check(root))] == [
        "content/briefings/a.md:5:7", "content/briefings/b.md:5:6", "content/briefings/b.md:7:7"]


# --- whole sites ----------------------------------------------------------------------------

def test_site_made_by_init_passes_check_without_warnings(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(tmp_path / "new-site")])
    assert made.exit_code == 0, made.output
    root = tmp_path / "new-site"
    assert list((root / "content/sources").glob("*.md")) != []
    result = check(root, "--strict", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert not (root / "site").exists()


def test_site_made_by_init_cites_its_library_source_inline(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "new-site")])
    root = tmp_path / "new-site"
    [source] = (root / "content/sources").glob("*.md")
    briefings = [p.read_text() for p in (root / "content/briefings").rglob("*.md")]
    assert any(f"[@{source.stem}]" in text for text in briefings)


def test_demo_site_passes_check_with_no_warnings_or_errors() -> None:
    result = check(REPO_ROOT, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [d for d in found if d["severity"] != "info"] == []


def test_demo_site_passes_strict_check() -> None:
    assert check(REPO_ROOT, "--strict").exit_code == 0
