"""Per-field accuracy of the clipper over the fixtures in tests/clip/fixtures/ (used by
scripts/clip-score and by the tests)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.clip.errors import ClipError
from briefgen.clip.model import Article
from briefgen.clip.run import ClipOptions, read_article

__all__ = ["FIELDS", "FIXTURES", "Score", "fixture_pages", "score"]

FIXTURES = Path(__file__).parent / "fixtures"

Check = Callable[[Article, dict[str, Any]], bool]


def _paragraph(article: Article, index: int) -> str:
    return article.paragraphs[index] if article.paragraphs else ""


FIELDS: dict[str, Check] = {
    "title": lambda a, e: a.title == e["title"],
    "outlet": lambda a, e: a.outlet == e["outlet"],
    "published": lambda a, e: a.published == e["published"],
    "author": lambda a, e: a.authors == e["authors"],
    "url": lambda a, e: a.url == e["url"],
    "language": lambda a, e: a.language == e["language"],
    "first paragraph": lambda a, e: _paragraph(a, 0) == e["paragraphs"][0],
    "last paragraph": lambda a, e: _paragraph(a, -1) == e["paragraphs"][-1],
    "every paragraph": lambda a, e: a.paragraphs == e["paragraphs"],
    "no chrome": lambda a, e: not any(c in a.markdown for c in e["chrome"]),
}


@dataclass
class Score:
    """For each field, the fixtures that got it right and those that did not."""

    right: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS})
    wrong: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS})

    def lines(self) -> list[str]:
        """One line per field: 'title  21/22  95.5%  wrong: en-x.txt'."""
        rows = []
        for name in FIELDS:
            right, wrong = self.right[name], self.wrong[name]
            total = len(right) + len(wrong)
            share = 100 * len(right) / total if total else 0.0
            rows.append(f"{name:<16}{len(right):>3}/{total:<3} {share:5.1f}%"
                        + (f"  wrong: {', '.join(wrong)}" if wrong else ""))
        return rows


def fixture_pages(folder: Path = FIXTURES) -> list[Path]:
    """Every page in the folder that has an .expected.json beside it."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".html", ".txt")
                  and p.with_suffix(".expected.json").is_file())


def _clip(page: Path, expected: dict[str, Any]) -> Article:
    given = expected.get("given", {})
    options = ClipOptions(str(page), url=given.get("url"), title=given.get("title"),
                          outlet=given.get("outlet"))
    try:
        return read_article(options).article
    except ClipError:
        return Article()


def score(pages: Iterable[Path]) -> Score:
    """Clip each page (nothing is written) and compare every field with its expectation."""
    result = Score()
    for page in pages:
        expected = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))
        article = _clip(page, expected)
        for name, check in FIELDS.items():
            (result.right if check(article, expected) else result.wrong)[name].append(page.name)
    return result
