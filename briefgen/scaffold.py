"""`briefgen init` and `briefgen new`: a new site, a new briefing file."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import yaml

from briefgen.diagnostics import BriefgenError
from briefgen.models import Author
from briefgen.slugs import slugify

__all__ = ["default_author", "init_site", "new_briefing"]

SCAFFOLD = Path(__file__).parent / "scaffold"


def init_site(target: Path, now: datetime) -> list[Path]:
    """Copy the starter site into target (which must be empty or absent); return what was made."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BriefgenError(f"{target} already exists and is not empty; choose a new folder")
    made = []
    for source in sorted(SCAFFOLD.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        dest = target / source.relative_to(SCAFFOLD)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        text = (text.replace("{uuid}", str(uuid.uuid4()))
                .replace("{datetime}", now.isoformat(timespec="minutes"))
                .replace("{date}", now.date().isoformat()))
        dest.write_text(text, encoding="utf-8")
        made.append(dest)
    return made


def _quote(value: str) -> str:
    dumped: str = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1000)
    return dumped.strip()


def default_author(site_author: str | None, authors: Mapping[str, Author]) -> str | None:
    """Who a new briefing is by when `briefgen new` is given no --author: the authors.yaml id
    whose name is the site's author (briefgen.yaml `author: name:`), else that name as written,
    else the only author in authors.yaml; None when there is no way to tell."""
    if site_author:
        for key, author in authors.items():
            if author.name == site_author:
                return key
        return site_author
    if len(authors) == 1:
        return next(iter(authors))
    return None


def new_briefing(root: Path, title: str, now: datetime, category: str | None = None,
                 author: str | None = None, lang: str | None = None,
                 translation_key: str | None = None, slugs: str = "transliterate") -> Path:
    """Write content/briefings/YYYY/MM/<slug>.md with filled-in front matter; never overwrite."""
    slug = slugify(title, slugs)
    if not slug:
        raise BriefgenError(f"cannot make a file name from the title {title!r}")
    path = root / "content" / "briefings" / f"{now:%Y}" / f"{now:%m}" / f"{slug}.md"
    lines = [
        "---",
        f"id: {uuid.uuid4()}",
        f"title: {_quote(title)}",
        "summary: ",
        f"date: {now.isoformat(timespec='minutes')}",
    ]
    if author:
        plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", author)
        lines.append(f"authors: [{author if plain else _quote(author)}]")
    if category:
        lines.append(f"category: {category}")
    if lang:
        lines.append(f"lang: {lang}")
    if translation_key:
        lines.append(f"translation_key: {_quote(translation_key)}")
    lines += ["tags: []", "sources: []", "draft: true", "---", "",
              "Write the lead paragraph here. Cite sources like this: \\[@source-id].", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    except FileExistsError:
        raise BriefgenError(f"{path.relative_to(root)} already exists; "
                            "choose another title or edit that file") from None
    return path
