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


def test_the_engine_serve_and_external_docstrings_name_every_module_of_theirs() -> None:
    import briefgen.engine
    import briefgen.external
    import briefgen.serve

    for package in (briefgen.engine, briefgen.serve, briefgen.external):
        folder = Path(package.__file__ or "").parent
        doc = package.__doc__ or ""
        modules = sorted(p.name for p in folder.glob("*.py") if p.stem != "__init__")
        missing = [name for name in modules if name not in doc]
        assert not missing, f"{package.__name__}'s docstring does not name {missing}"


def test_serve_reaches_the_engine_through_its_public_names_only() -> None:
    # one engine: the preview imports no private name of the build and subclasses none of it
    for path in (PACKAGE / "serve").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"from briefgen\.(?!serve)[\w.]+ import [^\n]*\b_[A-Za-z]", text), \
            path.name
        assert "_Build" not in text, path.name
