"""The command line: init, new, build, check; exit codes 0/1/2; diagnostics on stderr or as JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from click.testing import CliRunner, Result

from briefgen.cli import cli, main
from tests.sitekit import write_site

MakeSite = Callable[..., Path]

GOOD = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/briefings/broken.md --
    ---
    title: Broken later
    date: 2026-02-01
    ---
    -- content/briefings/category.md --
    ---
    title: Category later
    date: 2026-02-02
    category: analysis
    ---
    -- content/briefings/when.md --
    ---
    title: Dated later
    date: 2026-02-03
    ---
"""
BROKEN = """
    -- content/briefings/broken.md --
    ---
    title: Broken: really
    date: 2026-02-01
    ---
    -- content/briefings/category.md --
    ---
    title: Category later
    date: 2026-02-02
    category: analysys
    ---
    -- content/briefings/when.md --
    ---
    title: Dated later
    date: yesterday
    ---
"""
EXPECTED_LINES = [
    "content/briefings/broken.md:2:14: error: malformed YAML: "
    "mapping values are not allowed in this context",
    "content/briefings/category.md:4:11: error: unknown category 'analysys' "
    "(did you mean 'analysis'?)",
    "content/briefings/when.md:3:7: error: 'date' must be a date like 2026-02-04 or "
    "2026-02-04T18:25:00+04:00, got 'yesterday'",
]
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: (error|warning|info): ")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def diagnostic_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if DIAGNOSTIC.match(line)]


# -- build ------------------------------------------------------------------------------------


def test_build_with_bad_content_exits_1_prints_each_problem_and_keeps_the_site(
        make_site: MakeSite) -> None:
    root = make_site(GOOD)
    first = run("--site", root, "build")
    assert first.exit_code == 0, first.output
    published = snapshot(root / "site")

    write_site(root, BROKEN)
    result = run("--site", root, "build")

    assert result.exit_code == 1
    assert diagnostic_lines(result.stderr) == EXPECTED_LINES
    assert result.stderr.splitlines()[-1] == (
        "3 errors, 0 warnings; nothing was published, the previous site is unchanged")
    assert result.stdout == ""
    assert snapshot(root / "site") == published


def test_build_format_json_prints_a_json_list_of_diagnostics(make_site: MakeSite) -> None:
    root = make_site(GOOD + BROKEN)
    result = run("--site", root, "build", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["path"], r["line"], r["col"], r["severity"]) for r in rows] == [
        ("content/briefings/broken.md", 2, 14, "error"),
        ("content/briefings/category.md", 4, 11, "error"),
        ("content/briefings/when.md", 3, 7, "error"),
    ]
    assert rows[1]["message"] == "unknown category 'analysys' (did you mean 'analysis'?)"
    assert result.stderr == ""


def test_python_dash_m_briefgen_build_reports_problems_on_stderr_with_exit_1(
        make_site: MakeSite) -> None:
    root = make_site(GOOD + BROKEN)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "60"}
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build"], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert diagnostic_lines(proc.stderr) == EXPECTED_LINES  # long lines are not wrapped
    assert proc.stdout == ""
    assert not (root / "site").exists()


def test_python_dash_m_briefgen_ending_at_once_still_flushes_json_into_a_pipe(
        make_site: MakeSite) -> None:
    root = make_site(GOOD + BROKEN)
    for command, code in (("build", 1), ("check", 1)):
        proc = subprocess.run([sys.executable, "-m", "briefgen", command, "--format", "json"],
                              cwd=root, capture_output=True, text=True, check=False)
        assert proc.returncode == code, proc.stderr
        assert len(json.loads(proc.stdout)) == len(EXPECTED_LINES)
    write_site(root, GOOD)
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", "--format", "json"],
                          cwd=root, capture_output=True, text=True, check=False)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])


class Ended(Exception):
    """os._exit, as main() calls it."""


@pytest.mark.parametrize(("args", "ended"), [
    (["build"], [0]),
    (["check"], [0]),
    (["build", "--strict", "--base-url", "https://example.org/"], [0]),
    (["build", "--drafts"], []),  # a usage error before any build: exit 2, as usual
    (["new", "A title"], []),
])
def test_main_ends_the_process_at_once_after_build_and_check_only(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, args: list[str],
        ended: list[int]) -> None:
    root = make_site(GOOD)
    codes: list[int] = []

    def end(code: int) -> None:
        codes.append(code)
        raise Ended

    monkeypatch.setattr(os, "_exit", end)
    monkeypatch.setattr(sys, "argv", ["briefgen", "--site", str(root), *args])
    with pytest.raises((Ended, SystemExit)) as raised:
        main()
    assert codes == ended
    if not ended:
        assert isinstance(raised.value, SystemExit)


def test_build_succeeds_with_exit_0_and_a_summary(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    result = run("--site", root, "build")
    assert result.exit_code == 0
    assert diagnostic_lines(result.stderr) == []
    assert re.fullmatch(rf"3 briefings, \d+ pages, \d+ feeds into {re.escape(str(root))}/site "
                        r"\(\d+ files changed\) in \d+\.\d\d s; 0 errors, 0 warnings\n",
                        result.stderr)
    assert (root / "site/briefings/2026/02/when/index.html").is_file()


def test_build_drafts_and_future_flags_publish_them(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/draft.md --
        ---
        title: Draft
        date: 2026-02-01
        draft: true
        ---
        -- content/briefings/later.md --
        ---
        title: Later
        date: 2999-01-01
        ---
    """)
    assert run("--site", root, "build").exit_code == 0
    assert not (root / "site/briefings/2026/02/draft").exists()
    assert not (root / "site/briefings/2999").exists()
    assert run("--site", root, "build", "--drafts", "--future", "-o", root / "preview"
               ).exit_code == 0
    assert (root / "preview/briefings/2026/02/draft/index.html").is_file()
    assert (root / "preview/briefings/2999/01/later/index.html").is_file()


def test_build_base_url_option_overrides_the_config(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    result = run("--site", root, "build", "--base-url", "https://example.org/brief/")
    assert result.exit_code == 0
    home = lxml.html.fromstring((root / "site/index.html").read_bytes())
    assert home.xpath('//link[@rel="canonical"]/@href') == ["https://example.org/brief/"]
    assert home.xpath('//a[@class="brand"]/@href') == ["/brief/"]


def test_build_base_url_option_must_be_an_http_url(make_site: MakeSite) -> None:
    root = make_site(GOOD)
    result = run("--site", root, "build", "--base-url", "javascript:alert(1)")
    assert result.exit_code == 2
    assert "must be an http(s) URL" in result.stderr
    assert not (root / "site").exists()


def test_build_output_option_writes_elsewhere(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(GOOD)
    result = run("--site", root, "build", "--output", tmp_path / "public")
    assert result.exit_code == 0
    assert (tmp_path / "public/index.html").is_file()
    assert not (root / "site").exists()


def test_build_refusing_the_output_folder_exits_1_and_deletes_nothing(
        make_site: MakeSite) -> None:
    root = make_site(GOOD)
    before = snapshot(root)
    result = run("--site", root, "build", "--output", root / "content")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: refusing to publish into {root / 'content'}: ")
    assert snapshot(root) == before


def test_build_outside_a_site_is_a_usage_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 2
    assert "no briefgen.yaml in" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_strict_turns_warnings_into_a_failure(make_site: MakeSite) -> None:
    root = make_site(GOOD + "\n    -- content/briefings/ctl.md --\n    ---\n    title: C\x07\n"
                     "    date: 2026-02-01\n    ---\n")
    relaxed = run("--site", root, "build")
    assert relaxed.exit_code == 0
    assert diagnostic_lines(relaxed.stderr) == [
        "content/briefings/ctl.md:2:9: warning: control character U+0007 removed"]
    published = snapshot(root / "site")
    strict = run("--site", root, "build", "--strict")
    assert strict.exit_code == 1
    assert snapshot(root / "site") == published


# -- check --------------------------------------------------------------------------------------


def test_check_writes_nothing_and_exits_0_on_a_good_site(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(GOOD)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = snapshot(tmp_path)
    result = run("--site", root, "check")
    assert result.exit_code == 0, result.output
    assert "(nothing written)" in result.stderr
    assert snapshot(tmp_path) == before
    assert list(scratch.iterdir()) == []


def test_check_reports_problems_with_exit_1_and_writes_nothing(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(GOOD + BROKEN)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = snapshot(tmp_path)
    result = run("--site", root, "check")
    assert result.exit_code == 1
    assert diagnostic_lines(result.stderr) == EXPECTED_LINES
    assert result.stderr.splitlines()[-1].endswith("; check failed")
    assert snapshot(tmp_path) == before
    assert list(scratch.iterdir()) == []


def test_check_with_a_template_error_leaves_no_scratch_folder(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(GOOD + """
    -- themes/default/templates/archive.html --
    {{ nothing.here }}
    """)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = run("--site", root, "check")
    assert result.exit_code == 1
    assert diagnostic_lines(result.stderr)[0].startswith(
        "themes/default/templates/archive.html:1:1: error: template error while rendering "
        "/archive/: UndefinedError: ")
    assert list(scratch.iterdir()) == []
    assert not (root / "site").exists()


# -- init and new -------------------------------------------------------------------------------


def test_init_then_build_publishes_the_starter_site(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    made = run("init", "mysite")
    assert made.exit_code == 0, made.output
    assert "cd mysite && briefgen build" in made.stdout

    monkeypatch.chdir(tmp_path / "mysite")
    built = run("build")
    assert built.exit_code == 0, built.output
    assert diagnostic_lines(built.stderr) == []
    out = tmp_path / "mysite/site"
    briefings = list(out.glob("briefings/*/*/first-briefing/index.html"))
    assert len(briefings) == 1
    page = lxml.html.fromstring(briefings[0].read_bytes())
    assert page.findtext(".//article/header/h1") == "Your first briefing"
    sources = page.xpath('//section[@class="sources"]//a[@rel="noopener"]/@href')
    assert sources == ["https://news.example.com/harbour-ferry-timetable",
                       "https://council.example.org/minutes/ferry"]
    about = lxml.html.fromstring((out / "about/index.html").read_bytes())
    assert about.findtext(".//h1") == "About"
    assert (out / "sources/example-news-harbour-2026/index.html").is_file()
    assert (out / "feed.xml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite/notes.txt").write_text("mine")
    result = run("init", tmp_path / "mysite")
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.stderr
    assert [p.name for p in (tmp_path / "mysite").iterdir()] == ["notes.txt"]


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """A fresh `briefgen init` site whose timezone is Asia/Tbilisi (UTC+4, no DST)."""
    assert run("init", tmp_path / "mysite").exit_code == 0
    root = tmp_path / "mysite"
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("timezone: UTC", "timezone: Asia/Tbilisi"))
    return root


def test_new_writes_a_dated_briefing_with_uuid_and_site_timezone(starter: Path) -> None:
    tz = ZoneInfo("Asia/Tbilisi")
    before = datetime.now(tz).replace(second=0, microsecond=0)
    result = run("--site", starter, "new", "Title of the briefing", "--category", "analysis")
    after = datetime.now(tz)
    assert result.exit_code == 0, result.output

    written = list((starter / "content/briefings").rglob("title-of-the-briefing.md"))
    assert len(written) == 1
    text = written[0].read_text()
    front = dict(line.split(": ", 1) for line in text.split("---")[1].strip().splitlines()
                 if ": " in line)
    assert str(uuid.UUID(front["id"])) == front["id"]
    assert front["title"] == '"Title of the briefing"'
    assert front["category"] == "analysis"
    date = datetime.fromisoformat(front["date"])
    assert date.utcoffset() == timedelta(hours=4)
    assert before <= date <= after
    assert written[0].relative_to(starter).as_posix() == (
        f"content/briefings/{date:%Y}/{date:%m}/title-of-the-briefing.md")
    assert result.stdout.startswith(
        f"Wrote content/briefings/{date:%Y}/{date:%m}/title-of-the-briefing.md")
    # the new file is a valid briefing: the site still builds, with it as a draft
    assert run("--site", starter, "build", "--drafts", "-o", starter / "preview").exit_code == 0


def test_new_refuses_to_overwrite_an_existing_file(starter: Path) -> None:
    assert run("--site", starter, "new", "Same title").exit_code == 0
    [path] = (starter / "content/briefings").rglob("same-title.md")
    path.write_text(path.read_text() + "\nEdited by hand.\n")
    edited = path.read_bytes()

    again = run("--site", starter, "new", "Same title")

    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert path.read_bytes() == edited


def test_new_rejects_an_unknown_category_with_a_suggestion(starter: Path) -> None:
    before = snapshot(starter)
    result = run("--site", starter, "new", "Anything", "--category", "analysys")
    assert result.exit_code == 2
    assert "unknown category 'analysys' (did you mean 'analysis'?)" in result.stderr
    assert snapshot(starter) == before


def test_new_in_russian_writes_a_transliterated_file_name_with_lang(starter: Path) -> None:
    config = starter / "briefgen.yaml"
    config.write_text(config.read_text() + "languages:\n  - code: en\n  - code: ru\n")
    result = run("--site", starter, "new", "Конец перемирия", "--lang", "ru",
                 "--translation-key", "truce-ends")
    assert result.exit_code == 0, result.output
    [path] = (starter / "content/briefings").rglob("konets-peremiriia.md")
    text = path.read_text(encoding="utf-8")
    assert '\nlang: ru\ntranslation_key: "truce-ends"\n' in text
    assert run("--site", starter, "build", "--drafts", "-o", starter / "preview").exit_code == 0
    assert list((starter / "preview/ru/briefings").rglob("konets-peremiriia/index.html"))


def test_new_rejects_a_language_the_site_does_not_have(starter: Path) -> None:
    before = snapshot(starter)
    result = run("--site", starter, "new", "Titre", "--lang", "fr")
    assert result.exit_code == 2
    assert "unknown language 'fr' (the site's languages: en)" in result.stderr
    assert snapshot(starter) == before


def test_new_outside_a_site_is_a_usage_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "Anything")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_version_and_help(tmp_path: Path) -> None:
    assert run("--version").stdout.startswith("briefgen, version ")
    help_text = run("--help").stdout
    for command in ("build", "check", "init", "new"):
        assert re.search(rf"^\s+{command}\s", help_text, re.MULTILINE), command


# -- first run: what a new user reads ------------------------------------------------------------


def summary(result: Result) -> str:
    return result.stderr.splitlines()[-1]


def test_summary_counts_in_the_singular_and_counts_warnings(make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/only.md --
        ---
        title: The only one\x07
        date: 2026-02-01
        ---
    """)
    result = run("--site", root, "build")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"1 briefing, \d+ pages, \d+ feeds into .+ \(\d+ files changed\) in "
                        r"\d+\.\d\d s; 0 errors, 1 warning", summary(result))


def test_summary_says_how_many_drafts_and_future_briefings_were_left_out(
        make_site: MakeSite) -> None:
    root = make_site("""
        -- content/briefings/out.md --
        ---
        title: Out
        date: 2026-02-01
        ---
        -- content/briefings/draft-one.md --
        ---
        title: Draft one
        date: 2026-02-02
        draft: true
        ---
        -- content/briefings/draft-two.md --
        ---
        title: Draft two, also dated later
        date: 2999-02-03
        draft: true
        ---
        -- content/briefings/later.md --
        ---
        title: Later
        date: 2999-01-01
        ---
    """)
    line = summary(run("--site", root, "build"))
    assert line.startswith("1 briefing, ")
    assert line.endswith("; 0 errors, 0 warnings; left out: 2 drafts (--drafts), "
                         "1 briefing dated in the future (--future)")
    # with --future only the drafts are left out (the later draft is still a draft)
    line = summary(run("--site", root, "check", "--future"))
    assert line.startswith("2 briefings, ")
    assert line.endswith("(nothing written) in " + line.split(" in ")[-1].split(";")[0]
                         + "; 0 errors, 0 warnings; left out: 2 drafts (--drafts)")
    line = summary(run("--site", root, "check", "--future", "--drafts"))
    assert line.startswith("4 briefings, ") and "left out" not in line


def test_build_drafts_into_the_published_folder_is_refused_and_points_to_serve(
        make_site: MakeSite) -> None:
    root = make_site(GOOD)
    result = run("--site", root, "build", "--drafts")
    assert result.exit_code == 2
    assert "briefgen serve --drafts" in result.stderr
    assert "-o DIR" in result.stderr
    assert not (root / "site").exists()
    # a folder of its own is fine
    elsewhere = run("--site", root, "build", "--drafts", "-o", root.parent / "drafts-preview")
    assert elsewhere.exit_code == 0, elsewhere.output
    assert (root.parent / "drafts-preview/index.html").is_file()


@pytest.mark.parametrize("command", ["build", "check", "new", "serve", "clip"])
def test_a_site_folder_that_does_not_exist_is_named_as_missing(tmp_path: Path,
                                                                command: str) -> None:
    missing = tmp_path / "does/not/exist"
    args = {"new": ["Title"], "clip": ["-"]}.get(command, [])
    result = run("--site", missing, command, *args)
    assert result.exit_code == 2
    assert f"the site folder {missing} does not exist" in result.stderr
    assert "briefgen.yaml" not in result.stderr
    assert not missing.exists()


def test_a_site_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a site")
    result = run("--site", tmp_path / "notes.txt", "build")
    assert result.exit_code == 2
    assert "notes.txt' is a file" in result.stderr


def _front_line(starter: Path, stem: str, key: str) -> str:
    [path] = (starter / "content/briefings").rglob(f"{stem}.md")
    [line] = [line for line in path.read_text().splitlines() if line.startswith(f"{key}:")]
    return line


def test_new_fills_authors_with_the_site_author_from_authors_yaml(starter: Path) -> None:
    # the starter's briefgen.yaml names "The Briefing Desk", whose id in authors.yaml is desk
    assert run("--site", starter, "new", "By the desk").exit_code == 0
    assert _front_line(starter, "by-the-desk", "authors") == "authors: [desk]"
    assert run("--site", starter, "build", "--drafts", "-o", starter / "preview").exit_code == 0
    page = next((starter / "preview/briefings").rglob("by-the-desk/index.html"))
    assert "The Briefing Desk" in page.read_text()


def test_new_author_option_wins_over_the_site_author(starter: Path) -> None:
    authors = starter / "content/authors.yaml"
    authors.write_text(authors.read_text() + "mira:\n  name: Mira Okafor\n")
    assert run("--site", starter, "new", "By Mira", "--author", "mira").exit_code == 0
    assert _front_line(starter, "by-mira", "authors") == "authors: [mira]"


def test_new_writes_a_site_author_missing_from_authors_yaml_as_a_quoted_name(
        starter: Path) -> None:
    config = starter / "briefgen.yaml"
    config.write_text(config.read_text().replace("name: The Briefing Desk",
                                                 'name: "Desk: Harbour, North"'))
    assert run("--site", starter, "new", "Plain name").exit_code == 0
    assert _front_line(starter, "plain-name", "authors") == 'authors: ["Desk: Harbour, North"]'
    assert run("--site", starter, "check", "--drafts").exit_code == 0
