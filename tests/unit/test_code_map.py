"""The maps of the code match it: the README's layout and clip/'s docstring name every module."""

from __future__ import annotations

import re
from pathlib import Path

import briefgen.clip

PACKAGE = Path(briefgen.clip.__file__).resolve().parents[1]
README = PACKAGE.parent / "README.md"


def _layout() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Project layout"):]


def test_the_readme_layout_names_every_module_and_package_of_briefgen() -> None:
    layout = _layout()
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    packages = sorted(p.name + "/" for p in PACKAGE.iterdir()
                      if p.is_dir() and (p / "__init__.py").is_file())
    assert "serve/" in packages and "clip/" in packages
    missing = [name for name in modules + packages if f"`{name}" not in layout]
    assert not missing, f"README.md's Project layout does not name {missing}"


def test_the_clip_docstring_names_every_clip_module() -> None:
    doc = briefgen.clip.__doc__ or ""
    modules = sorted(p.stem for p in (PACKAGE / "clip").glob("*.py") if p.stem != "__init__")
    missing = [name for name in modules if not re.search(rf"\b{name}\b", doc)]
    assert not missing, f"briefgen/clip/__init__.py's docstring does not name {missing}"
