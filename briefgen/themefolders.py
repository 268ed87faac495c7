"""Where a theme's files are: the site's themes/<name>/ over the bundled theme of that name."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_themes_dir", "theme_dirs"]


def bundled_themes_dir() -> Path:
    """Where the bundled themes are: inside the wheel, or the repository's themes/ folder."""
    packaged = Path(__file__).parent / "_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "themes"


def theme_dirs(root: Path, name: str) -> list[Path]:
    """The theme's folders that exist, highest priority first: the site's, then the bundled one
    (none: the theme is not found). Reading them needs no Jinja, so a build with nothing to do
    can digest the theme's files without loading the templates."""
    candidates = [root / "themes" / name, bundled_themes_dir() / name]
    return [d for d in candidates if d.is_dir()]
