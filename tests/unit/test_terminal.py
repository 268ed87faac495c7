"""Lines on standard error: plain text in scripts and CI (rich never loaded), colours on a
terminal."""

from __future__ import annotations

import pytest

from briefgen.diagnostics import Diagnostic
from briefgen.terminal import print_diagnostic, printer
from tests.fresh import imports_after


def test_a_diagnostic_away_from_a_terminal_is_its_plain_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = printer()
    assert not out.is_terminal
    found = Diagnostic("content/briefings/:smile:.md", 7, 3, "warning", "a [@s-one] marker")
    print_diagnostic(out, found)
    assert capsys.readouterr().err == \
        "content/briefings/:smile:.md:7:3: warning: a [@s-one] marker\n"


def test_with_force_color_the_severity_is_coloured(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = printer()
    assert out.is_terminal
    print_diagnostic(out, Diagnostic("a.md", 1, 2, "error", "bad"))
    err = capsys.readouterr().err
    assert "\x1b[" in err and "error" in err and "a.md:1:2" in err


def test_the_command_line_loads_without_rich() -> None:
    assert not imports_after("import briefgen.cli", "rich")
