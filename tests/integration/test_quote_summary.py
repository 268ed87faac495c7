"""`briefgen build` and `check` say how many quotations were checked and how many were not found,
and the summary line counts warnings."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from briefgen.cli import cli
from tests.integration.test_check import MakeSite, site

BODY = """\
Sweden "will buy Tridon Mk2 systems" [@reuters-tridon], for "about $290 million"
[@reuters-tridon], not "about $390 million" [@reuters-tridon].
"""


def run(root: Path, command: str) -> Result:
    return CliRunner().invoke(cli, ["--site", str(root), command])


def test_check_prints_quotations_checked_and_not_found_and_counts_warnings(
        make_site: MakeSite) -> None:
    result = run(site(make_site, BODY), "check")
    assert result.exit_code == 0, result.output
    *_, quotations, summary = result.stderr.splitlines()
    assert quotations == "3 quotations checked, 1 not found in their sources"
    assert re.fullmatch(r"1 briefing, \d+ pages, \d+ feeds \(nothing written\) in \d+\.\d\d s; "
                        r"0 errors, 1 warning", summary)


def test_build_prints_the_same_count_also_when_nothing_changed(make_site: MakeSite) -> None:
    root = site(make_site, BODY)
    for _ in range(2):  # the second build is answered from the engine's state
        result = run(root, "build")
        assert result.exit_code == 0, result.output
        assert "3 quotations checked, 1 not found in their sources\n" in result.stderr
        assert result.stderr.rstrip().endswith("; 0 errors, 1 warning")


def test_site_without_quotations_prints_no_quotation_line(make_site: MakeSite) -> None:
    result = run(site(make_site, "Sweden buys Tridon [@reuters-tridon].\n"), "check")
    assert "quotations checked" not in result.stderr
    assert result.stderr.rstrip().endswith("; 0 errors, 0 warnings")
