"""Diagnostics: one format, sorted, de-duplicated, with JSON for machines."""

from __future__ import annotations

import json

from briefgen.diagnostics import BuildFailed, Diagnostic, Diagnostics, format_json


def test_diagnostic_formats_as_path_line_col_severity_message() -> None:
    assert Diagnostic("content/a.md", 7, 3, "error", "unknown source 'x'").format() == (
        "content/a.md:7:3: error: unknown source 'x'")


def test_unknown_column_is_shown_as_one_and_unknown_line_is_left_out() -> None:
    assert Diagnostic("a.md", 4, 0, "warning", "w").format() == "a.md:4:1: warning: w"
    assert Diagnostic("briefgen.yaml", 0, 0, "error", "missing").format() == (
        "briefgen.yaml: error: missing")


def test_diagnostics_are_sorted_by_path_line_column_and_severity() -> None:
    diags = Diagnostics()
    diags.warning("b.md", 1, 1, "w")
    diags.error("a.md", 10, 1, "late")
    diags.error("a.md", 2, 5, "col 5")
    diags.warning("a.md", 2, 1, "warn first col")
    diags.error("a.md", 2, 1, "error first col")
    assert [d.format() for d in diags] == [
        "a.md:2:1: error: error first col",
        "a.md:2:1: warning: warn first col",
        "a.md:2:5: error: col 5",
        "a.md:10:1: error: late",
        "b.md:1:1: warning: w",
    ]


def test_the_same_problem_reported_twice_is_listed_once() -> None:
    diags = Diagnostics()
    diags.error("a.md", 1, 1, "same")
    diags.error("a.md", 1, 1, "same")
    diags.extend([Diagnostic("a.md", 1, 1, "error", "same")])
    assert len(diags) == 1


def test_errors_and_warnings_are_separated() -> None:
    diags = Diagnostics()
    diags.warning("a.md", 1, 1, "w")
    assert not diags.has_errors()
    assert diags.has_errors(strict=True)
    diags.error("a.md", 2, 1, "e")
    assert diags.has_errors()
    assert [d.message for d in diags.errors] == ["e"]
    assert [d.message for d in diags.warnings] == ["w"]


def test_build_failed_carries_every_diagnostic_and_counts_errors() -> None:
    diags = Diagnostics()
    diags.error("a.md", 1, 1, "e1")
    diags.error("b.md", 1, 1, "e2")
    diags.warning("c.md", 1, 1, "w")
    failed = BuildFailed(diags)
    assert str(failed) == "2 error(s)"
    assert failed.diagnostics is diags


def test_json_output_lists_every_field_but_context() -> None:
    diags = Diagnostics([Diagnostic("a.md", 3, 4, "error", "bad “quote”", ("ctx line",))])
    assert json.loads(format_json(diags)) == [
        {"path": "a.md", "line": 3, "col": 4, "severity": "error", "message": "bad “quote”"}]
    assert "“" in format_json(diags)
