"""`briefgen build` after an edit of briefings' content only: made in place from the model the
last whole build kept (engine/quick.py), byte for byte what a cold build makes, and a whole build
whenever the kept model cannot be trusted or the edit goes beyond content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.build import BuildResult
from briefgen.cache import CACHE_DIR
from briefgen.diagnostics import BuildFailed
from briefgen.engine import snapshot
from tests.sitekit import CONFIG, build_site, cold_tree, tree, write_site

SITE = CONFIG + """
pagination: 2
-- content/categories.yaml --
analysis:
  name: Analysis
-- content/sources/s-one.md --
---
title: Grid reserve auction opens
outlet: The Ledger
url: https://ledger.example.com/one
---
The auction opens on Monday with a reserve of 40 megawatts.
-- content/briefings/alpha.md --
---
title: Alpha
date: 2026-02-04T09:00:00Z
category: analysis
sources: [s-one]
---
Alpha cites [@s-one].
-- content/briefings/beta.md --
---
title: Beta
date: 2026-02-05T09:00:00Z
category: analysis
sources: [s-one]
---
Beta also cites [@s-one].
-- content/briefings/gamma.md --
---
title: Gamma
date: 2026-02-06T09:00:00Z
category: analysis
---
Gamma has no sources.
"""


def in_place(result: BuildResult) -> bool:
    steps = [name for name, _seconds in result.timings]
    return "in place" in steps and "parse" not in steps


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = write_site(tmp_path / "desk", SITE)
    first = build_site(root, jobs=1)
    assert not in_place(first)  # nothing kept yet: a whole build, which keeps its model
    return root


def test_a_body_edit_is_made_in_place_and_equals_a_cold_build(site: Path, tmp_path: Path) -> None:
    lists = [site / "site/index.html", site / "site/categories/analysis/index.html"]
    stamps = [page.stat().st_mtime_ns for page in lists]
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha now cites")
    result = build_site(site, jobs=1)
    assert in_place(result)
    assert result.counts["parsed"] == 1
    assert result.counts["written"] == 10  # its page and the nine feeds carrying its body
    assert [page.stat().st_mtime_ns for page in lists] == stamps  # no list shows a body
    assert tree(site / "site") == cold_tree(site, tmp_path)
    assert "Alpha now cites" in (site / "site/briefings/2026/02/alpha/index.html").read_text()


def test_a_title_edit_in_place_reaches_lists_feeds_and_source_pages(site: Path,
                                                                    tmp_path: Path) -> None:
    edit(site, "content/briefings/beta.md", "title: Beta", "title: Beta, revised")
    result = build_site(site, jobs=1)
    assert in_place(result)
    published = tree(site / "site")
    assert published == cold_tree(site, tmp_path)
    for rel in ("index.html", "feed.xml", "sources/s-one/index.html",
                "categories/analysis/index.html"):
        assert b"Beta, revised" in published[rel], rel


def test_edits_since_the_kept_model_add_up_and_can_be_undone(site: Path, tmp_path: Path) -> None:
    original = (site / "content/briefings/alpha.md").read_text()
    edit(site, "content/briefings/alpha.md", "title: Alpha", "title: Alpha two")
    assert in_place(build_site(site, jobs=1))
    edit(site, "content/briefings/gamma.md", "no sources", "no sources at all")
    assert in_place(build_site(site, jobs=1))
    assert tree(site / "site") == cold_tree(site, tmp_path)
    (site / "content/briefings/alpha.md").write_text(original)
    assert in_place(build_site(site, jobs=1))
    published = tree(site / "site")
    assert published == cold_tree(site, tmp_path)
    assert b"Alpha two" not in published["index.html"]


def test_an_edit_beyond_content_makes_a_whole_build(site: Path, tmp_path: Path) -> None:
    edit(site, "content/briefings/gamma.md", "2026-02-06", "2026-02-03")
    result = build_site(site, jobs=1)
    assert not in_place(result)
    assert tree(site / "site") == cold_tree(site, tmp_path)
    # and that whole build kept a new model: the next content edit is made in place again
    edit(site, "content/briefings/gamma.md", "no sources", "still no sources")
    assert in_place(build_site(site, jobs=1))
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_more_edited_files_than_the_model_takes_make_a_whole_build(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "MODEL_EDITS", 1)
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha still cites")
    edit(site, "content/briefings/beta.md", "also cites", "as well cites")
    assert not in_place(build_site(site, jobs=1))
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_new_or_removed_briefing_makes_a_whole_build(site: Path, tmp_path: Path) -> None:
    (site / "content/briefings/gamma.md").unlink()
    assert not in_place(build_site(site, jobs=1))
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_tampered_model_is_not_used_and_the_build_says_so(site: Path, tmp_path: Path) -> None:
    [model] = (site / CACHE_DIR).glob("model-*")
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha quietly cites")
    result = build_site(site, jobs=1)
    assert not in_place(result)
    [warning] = [d for d in result.diagnostics.warnings if d.path.startswith(CACHE_DIR)]
    assert "not signed by this user's key" in warning.message
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_published_page_changed_by_hand_is_put_back(site: Path, tmp_path: Path) -> None:
    page = site / "site/briefings/2026/02/gamma/index.html"
    page.write_text("defaced")
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha plainly cites")
    assert not in_place(build_site(site, jobs=1))  # the folder is not as the state says
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_an_edit_with_errors_fails_as_a_cold_build_does_and_publishes_nothing(
        site: Path, tmp_path: Path) -> None:
    before = tree(site / "site")
    edit(site, "content/briefings/alpha.md", "Alpha cites [@s-one].",
         "Alpha cites [@s-none].")
    with pytest.raises(BuildFailed) as failed:
        build_site(site, jobs=1)
    copy = tmp_path / "cold-copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("site", "site.*", CACHE_DIR))
    with pytest.raises(BuildFailed) as expected:
        build_site(copy, cache=False)
    assert [d.format() for d in failed.value.diagnostics] == \
        [d.format() for d in expected.value.diagnostics]
    assert tree(site / "site") == before


def test_a_warning_an_edit_brings_is_reported_as_a_cold_build_reports_it(
        site: Path, tmp_path: Path) -> None:
    edit(site, "content/briefings/beta.md", "Beta also cites [@s-one].",
         'Beta quotes "a reserve of 90 megawatts" [@s-one].')
    result = build_site(site, jobs=1)
    assert in_place(result)
    copy = tmp_path / "cold-copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("site", "site.*", CACHE_DIR))
    expected = build_site(copy, cache=False)
    assert [d.format() for d in result.diagnostics] == [d.format() for d in expected.diagnostics]
    assert any("not found in source 's-one'" in d.message for d in result.diagnostics.warnings)
    assert result.counts["quotations_missing"] == expected.counts["quotations_missing"] == 1


def test_a_build_into_another_folder_between_two_builds_changes_nothing(
        site: Path, tmp_path: Path) -> None:
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha first cites")
    build_site(site, jobs=1, output=tmp_path / "elsewhere")  # prunes what site/'s model read
    edit(site, "content/briefings/alpha.md", "Alpha first cites", "Alpha then cites")
    build_site(site, jobs=1)
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_warning_under_strict_fails_as_a_cold_build_does(site: Path, tmp_path: Path) -> None:
    build_site(site, jobs=1, strict=True)  # the model kept for these options
    before = tree(site / "site")
    edit(site, "content/briefings/beta.md", "Beta also cites [@s-one].",
         'Beta quotes "a reserve of 90 megawatts" [@s-one].')
    with pytest.raises(BuildFailed) as failed:
        build_site(site, jobs=1, strict=True)
    copy = tmp_path / "cold-copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("site", "site.*", CACHE_DIR))
    with pytest.raises(BuildFailed) as expected:
        build_site(copy, cache=False, strict=True)
    assert [d.format() for d in failed.value.diagnostics] == \
        [d.format() for d in expected.value.diagnostics]
    assert tree(site / "site") == before


def test_a_briefing_touched_but_unchanged_is_made_in_place_with_nothing_to_write(
        site: Path, tmp_path: Path) -> None:
    alpha = site / "content/briefings/alpha.md"
    alpha.write_bytes(alpha.read_bytes())  # a new modification time, the same bytes
    result = build_site(site, jobs=1)
    assert in_place(result)
    assert result.counts["written"] == 0
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_the_summary_of_a_build_made_in_place_counts_what_a_whole_build_counts(
        site: Path) -> None:
    edit(site, "content/briefings/gamma.md", "no sources", "no sources yet")
    made = build_site(site, jobs=1)
    assert in_place(made)
    (site / "content/briefings/gamma.md").write_text(
        (site / "content/briefings/gamma.md").read_text() + "\n")
    shutil.rmtree(site / CACHE_DIR)
    again = build_site(site, jobs=1)  # a whole build of the same site
    for name in ("briefings", "pages", "feeds", "quotations", "drafts_left_out",
                 "future_left_out"):
        assert made.counts.get(name) == again.counts.get(name), name


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes the folder check forks, forced to fork on a small site and beside the test
    run's own threads."""
    import briefgen.freshness

    monkeypatch.setattr(briefgen.freshness, "SHARED_FROM", 0)
    monkeypatch.setattr(briefgen.freshness, "LATER_FROM", 0)
    monkeypatch.setattr(briefgen.freshness, "may_fork", lambda: True)
    children: list[int] = []
    fork = os.fork

    def spy() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", spy)
    return children


def test_with_two_cpus_the_folder_is_checked_in_a_forked_process_while_the_model_loads(
        site: Path, tmp_path: Path, forked: list[int]) -> None:
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha now cites")
    assert in_place(build_site(site, jobs=2))
    assert forked and tree(site / "site") == cold_tree(site, tmp_path)
    (site / "site/briefings/2026/02/gamma/index.html").write_text("defaced")
    edit(site, "content/briefings/alpha.md", "Alpha now cites", "Alpha plainly cites")
    assert not in_place(build_site(site, jobs=2))  # the forked check saw the page changed
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_with_two_cpus_a_build_with_nothing_to_do_checks_the_folder_in_a_forked_process(
        site: Path, tmp_path: Path, forked: list[int]) -> None:
    nothing = build_site(site, jobs=2)
    assert [name for name, _seconds in nothing.timings][-1] == "fresh" and forked
    (site / "site/briefings/2026/02/gamma/index.html").write_text("defaced")
    again = build_site(site, jobs=2)
    assert "render" in [name for name, _seconds in again.timings]  # not as the state says
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_an_edit_takes_the_code_blocks_it_did_not_change_from_the_state(
        site: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    edit(site, "content/briefings/alpha.md", "Alpha cites [@s-one].",
         "Alpha cites [@s-one].\n\n```python\nreserve = 40\n```\n\n```json\n{\"mw\": 40}\n```")
    assert in_place(build_site(site, jobs=1))
    called: list[str] = request.getfixturevalue("highlight_calls")
    edit(site, "content/briefings/alpha.md", "Alpha cites", "Alpha now cites")
    assert in_place(build_site(site, jobs=1))
    assert called == []  # both blocks as the last version of the file had them
    edit(site, "content/briefings/alpha.md", "reserve = 40", "reserve = 45")
    assert in_place(build_site(site, jobs=1))
    assert called == ["reserve = 45\n"]
    page = (site / "site/briefings/2026/02/alpha/index.html").read_text()
    assert 'class="highlight"' in page and "45" in page
    assert tree(site / "site") == cold_tree(site, tmp_path)
