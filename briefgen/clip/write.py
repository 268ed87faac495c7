"""Writing a clipped article: the text of content/sources/<id>.md (new, or an update of an
existing file that keeps what the editor wrote), and the snapshot in the archive folder."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from briefgen.clip.extract_html import decode_html
from briefgen.clip.model import Article, Snapshot
from briefgen.clip.sanitize import sanitize_snapshot
from briefgen.models import Source

__all__ = ["Update", "archive_snapshot", "render_source", "update_source"]

_SHOWN = 5  # paragraphs listed of each kind in an update's summary
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+-]*")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _scalar(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def _field_lines(article: Article, accessed: datetime) -> dict[str, str]:
    """The front matter lines for each field found, keyed by field."""
    lines: dict[str, str] = {}
    if article.title:
        lines["title"] = f"title: {json.dumps(article.title, ensure_ascii=False)}"
    if article.outlet:
        lines["outlet"] = f"outlet: {json.dumps(article.outlet, ensure_ascii=False)}"
    if article.url:
        lines["url"] = f"url: {_scalar(article.url)}"
    if len(article.authors) == 1:
        lines["author"] = f"author: {json.dumps(article.authors[0], ensure_ascii=False)}"
    elif article.authors:
        names = ", ".join(json.dumps(a, ensure_ascii=False) for a in article.authors)
        lines["authors"] = f"authors: [{names}]"
    if article.published:
        lines["published"] = f"published: {article.published}"
    lines["accessed"] = f"accessed: {accessed.isoformat()}"
    if article.language:
        lines["language"] = f"language: {article.language}"
    return lines


def render_source(article: Article, accessed: datetime) -> str:
    """A new source file: front matter, then the text as Markdown paragraphs."""
    front = "\n".join(_field_lines(article, accessed).values())
    return f"---\n{front}\n---\n{article.markdown}\n"


@dataclass
class Update:
    """An existing source file brought up to date, and what changed."""

    text: str
    changes: list[str]


def _blocks(front: str) -> list[tuple[str, list[str]]]:
    """Top-level keys of a front matter block with their lines (comments stay with the key
    below them; a leading comment block has the key '')."""
    blocks: list[tuple[str, list[str]]] = [("", [])]
    pending: list[str] = []
    for line in front.split("\n"):
        match = _KEY.match(line)
        if match and not line.startswith((" ", "\t")):
            blocks.append((match.group(1), [*pending, line]))
            pending = []
        elif line.lstrip().startswith("#") or not line.strip():
            pending.append(line)
        else:
            blocks[-1][1].append(line)
    blocks[-1][1].extend(pending)
    return blocks


def _paragraph_summary(old: str, new: str) -> list[str]:
    before = [p.strip() for p in old.split("\n\n") if p.strip()]
    after = [p.strip() for p in new.split("\n\n") if p.strip()]
    if before == after:
        return ["text unchanged"]
    added = _unique(p for p in after if p not in before)
    removed = _unique(p for p in before if p not in after)
    words = (sum(len(p.split()) for p in before), sum(len(p.split()) for p in after))
    lines = [f"text: {len(before)} -> {len(after)} paragraphs, {words[0]} -> {words[1]} words; "
             f"{len(added)} new or changed, {len(removed)} gone"]
    for sign, paragraphs in (("+", added), ("-", removed)):
        lines += [f"  {sign} {_short(p)}" for p in paragraphs[:_SHOWN]]
        if len(paragraphs) > _SHOWN:
            lines.append(f"  {sign} ... and {len(paragraphs) - _SHOWN} more")
    return lines


def _unique(paragraphs: Iterable[str]) -> list[str]:
    """Each paragraph once, in order: a paragraph repeated on the page is one change."""
    return list(dict.fromkeys(paragraphs))


def _value(lines: list[str]) -> Any:
    """The YAML value of a front matter field's lines (comments and layout aside)."""
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return next(iter(loaded.values()), None) if isinstance(loaded, dict) and loaded else text


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _differences(source: Source, article: Article) -> dict[str, tuple[str, str]]:
    """Fields whose value in the file differs from the page: field -> (file, page)."""
    found: dict[str, tuple[str, str]] = {}
    pairs = {
        "title": (source.title, article.title),
        "outlet": (source.outlet, article.outlet),
        "url": (source.url, article.url),
        "author": (", ".join(source.authors), ", ".join(article.authors)),
        "published": (source.published.isoformat() if source.published else "",
                      article.published),
        "language": (source.language, article.language),
    }
    for key, (old, new) in pairs.items():
        if new and old and old != new and not (key == "published" and old.startswith(new)):
            found[key] = (old, new)
    return found


def update_source(existing: str, source: Source, article: Article, accessed: datetime,
                  overridden: set[str]) -> Update:
    """The file's front matter keeps every value the editor has (unless overridden by a flag)
    and gains the ones it lacked; accessed and the text are replaced."""
    lines = existing.split("\n")
    close = next(i for i in range(1, len(lines)) if re.fullmatch(r"(?:---|\.\.\.)[ \t]*",
                                                                  lines[i]))
    blocks = _blocks("\n".join(lines[1:close]))
    present = {key for key, _ in blocks}
    if "authors" in present:
        present.add("author")
    new_lines = _field_lines(article, accessed)
    changes: list[str] = []
    differences = _differences(source, article)
    authors_overridden = bool({"author", "authors"} & overridden)
    replace = {"accessed"} | {k for k in overridden if k in new_lines}
    result: list[str] = []
    for key, block in blocks:
        if key in ("author", "authors") and authors_overridden:
            continue  # written again below
        if key in replace:
            result.append(new_lines[key])
            if key != "accessed" and _value(block) != _value([new_lines[key]]):
                changes.append(f"{key}: set to {new_lines[key].split(': ', 1)[1]}")
            continue
        result.extend(block)
    for key, line in new_lines.items():
        if key in ("author", "authors"):
            if "author" in present and not authors_overridden:
                continue
        elif key in present:
            continue
        result.append(line)
        if key != "accessed":
            changes.append(f"{key}: added {line.split(': ', 1)[1]}")
    for key, (old, new) in differences.items():
        if key not in overridden and not (key == "author" and authors_overridden):
            flag = "" if key in ("language", "author") else f" or pass --{key}"
            changes.append(f"{key} on the page is now {new!r}; kept {old!r} "
                           f"(edit the file{flag} to change it)")
    changes += _paragraph_summary(source.text, article.markdown)
    front = "\n".join(result).strip("\n")
    return Update(f"---\n{front}\n---\n{article.markdown}\n", changes)


def archive_snapshot(folder: Path, source_id: str, snapshot: Snapshot, article: Article,
                     json_ld: list[Any], previous: str | None, when: datetime) -> Path:
    """Keep the page as read under folder/<id>/<UTC time>/: page.html (sanitised) or
    page.txt, meta.json (where, when, what was found), and the previous source file, if any."""
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    target = folder / source_id / stamp
    number = 2
    while target.exists():
        target = folder / source_id / f"{stamp}-{number}"
        number += 1
    target.mkdir(parents=True)
    if snapshot.kind == "html":
        page = decode_html(snapshot.raw, snapshot.charset or None)
        (target / "page.html").write_text(sanitize_snapshot(page), encoding="utf-8")
    else:
        (target / "page.txt").write_bytes(snapshot.raw)
    meta = {
        "source": f"content/sources/{source_id}.md",
        "url": article.url,
        "requested_url": snapshot.requested_url or None,
        "final_url": snapshot.final_url or None,
        "fetched_at": snapshot.fetched_at.isoformat() if snapshot.fetched_at else None,
        "read_from_file": snapshot.path or None,
        "clipped_at": when.isoformat(),
        "status": snapshot.status or None,
        "content_type": snapshot.content_type or None,
        "found": {"title": article.title, "outlet": article.outlet, "authors": article.authors,
                  "published": article.published, "language": article.language,
                  "words": article.words},
        "json_ld": json_ld,
    }
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    if previous is not None:
        (target / "previous-source.md").write_text(previous, encoding="utf-8")
    return target
