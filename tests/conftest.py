"""Shared fixtures: inline sites in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sitekit import CONFIG, write_site


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site(spec, config=True): write an inline site (with a default briefgen.yaml)."""
    def make(spec: str = "", config: bool = True) -> Path:
        root = tmp_path / "site-src"
        root.mkdir(exist_ok=True)
        if config:
            write_site(root, CONFIG)
        return write_site(root, spec)
    return make


@pytest.fixture
def highlight_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The code of every block Pygments highlights from now on (highlight() still does it)."""
    from briefgen import highlight as module

    calls: list[str] = []
    original = module.highlight

    def counted(code: str, lang: str, attrs: str) -> str:
        calls.append(code)
        return original(code, lang, attrs)

    monkeypatch.setattr(module, "highlight", counted)
    return calls
