"""The email package's docstring names every module of it, as the other packages' do."""

from __future__ import annotations

from pathlib import Path

import briefgen.email


def test_the_email_docstring_names_every_email_module() -> None:
    folder = Path(briefgen.email.__file__ or "").parent
    doc = briefgen.email.__doc__ or ""
    modules = sorted(p.name for p in folder.glob("*.py") if p.stem != "__init__")
    assert "compose.py" in modules
    missing = [name for name in modules if f"`{name}`" not in doc]
    assert not missing, f"briefgen/email/__init__.py's docstring does not name {missing}"
