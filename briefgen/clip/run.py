"""`briefgen clip`: read a page (URL, saved HTML, text dump or stdin), extract the article,
report what was found, and write or update content/sources/<id>.md with a snapshot."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from briefgen.clip.errors import ClipError, FetchError, NothingExtracted
from briefgen.clip.extract_html import decode_html, extract_html
from briefgen.clip.extract_text import extract_text
from briefgen.clip.fetch import Fetcher
from briefgen.clip.ids import SOURCE_ID, make_id
from briefgen.clip.library import SOURCES_DIR, find_by_url, load_library, without_tracking
from briefgen.clip.metadata import iso_date
from briefgen.clip.model import Article, Snapshot
from briefgen.clip.robots import check_robots
from briefgen.clip.sanitize import strip_markup
from briefgen.clip.tree_markdown import safe_link
from briefgen.clip.write import archive_snapshot, render_source, update_source
from briefgen.config import Config
from briefgen.content import ParseContext, parse_source
from briefgen.markdown import create_markdown
from briefgen.schema import parse_datetime

__all__ = ["ClipOptions", "Clipped", "Stored", "read_article", "report_lines", "store"]

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_REQUIRED = ("title", "outlet", "url")


@dataclass
class ClipOptions:
    """What the editor asked for on the command line."""

    target: str
    source_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    dry_run: bool = False
    new: bool = False
    allow_private: bool = False
    ignore_robots: bool = False


@dataclass
class Clipped:
    """The article read from the target, and the snapshot it came from."""

    article: Article
    snapshot: Snapshot
    json_ld: list[Any] = field(default_factory=list)
    overridden: set[str] = field(default_factory=set)
    from_host: bool = False  # the outlet is the URL's host name: the page named none

    @property
    def missing_required(self) -> list[str]:
        return [name for name in _REQUIRED if not getattr(self.article, name)]


@dataclass
class Stored:
    """What store() did (or, with --dry-run, would do)."""

    source_id: str
    path: Path
    text: str
    updated: bool
    changes: list[str]
    archive: Path | None


def _read_target(options: ClipOptions, fetcher: Fetcher, stdin: BinaryIO | None) -> Snapshot:
    target = options.target
    if "://" in target:
        if not options.ignore_robots:
            check_robots(target, fetcher)
        response = fetcher.get(target)
        if response.status != 200:
            raise FetchError(f"{target} answered {response.status} {response.reason}")
        kind = "html" if response.content_type in _HTML_TYPES or not response.content_type \
            else "text" if response.content_type == "text/plain" else ""
        if not kind:
            raise FetchError(f"{response.url} is {response.content_type}, not an HTML page or "
                             "plain text")
        return Snapshot(kind, response.body, requested_url=target, final_url=response.url,
                        fetched_at=response.fetched_at, status=response.status,
                        content_type=response.content_type, charset=response.charset or "")
    if target == "-":
        raw = (stdin or sys.stdin.buffer).read()
        return Snapshot(_sniff(raw, ""), raw, path="-")
    path = Path(target)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClipError(f"cannot read {target}: {exc.strerror or exc}") from None
    return Snapshot(_sniff(raw, path.suffix.lower()), raw, path=str(path))


def _sniff(raw: bytes, suffix: str) -> str:
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    if suffix in (".txt", ".text", ".md"):
        return "text"
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")) \
        else "text"


def _apply_overrides(article: Article, options: ClipOptions) -> set[str]:
    overridden = set()
    for name in ("title", "outlet"):
        value = getattr(options, name)
        if value:
            setattr(article, name, " ".join(value.split()))
            overridden.add(name)
    if options.published:
        value = options.published.strip()
        if parse_datetime(value, UTC) is None:
            raise ClipError(f"--published must be a date like 2026-02-04 or "
                            f"2026-02-04T18:25:00+01:00, got {value!r}")
        article.published = iso_date(value) or value
        overridden.add("published")
    if options.url:
        if not safe_link(options.url, ""):
            raise ClipError(f"--url must be an absolute http(s) URL, got {options.url!r}")
        article.url = options.url.strip()
        overridden.add("url")
    return overridden


def read_article(options: ClipOptions, fetcher: Fetcher | None = None,
                 stdin: BinaryIO | None = None) -> Clipped:
    """Fetch or read the target and extract its article; overrides applied. Raises ClipError
    (FetchError, NothingExtracted...) when there is nothing to store."""
    fetcher = fetcher or Fetcher(allow_private=options.allow_private)
    snapshot = _read_target(options, fetcher, stdin)
    json_ld: list[Any] = []
    if snapshot.kind == "html":
        article, meta = extract_html(decode_html(snapshot.raw, snapshot.charset or None),
                                     snapshot.final_url)
        json_ld = meta.json_ld
    else:
        text = snapshot.raw.decode("utf-8-sig", "replace")
        article = extract_text(text, title=options.title or "", outlet=options.outlet or "")
    if not article.url and snapshot.final_url:
        article.url = without_tracking(snapshot.final_url)
    overridden = _apply_overrides(article, options)
    host = (urlsplit(article.url).hostname or "").removeprefix("www.")
    from_host = not article.outlet and bool(host)
    article.outlet = article.outlet or host
    article.paragraphs = [p for p in (strip_markup(p).strip() for p in article.paragraphs) if p]
    if not article.paragraphs:
        what = snapshot.final_url or snapshot.path
        raise NothingExtracted(f"no article text found in {what}; nothing was written (if the "
                               "page needs a browser to show its text, copy the text from the "
                               "browser window and clip that: briefgen clip FILE.txt)")
    return Clipped(article, snapshot, json_ld, overridden, from_host)


def report_lines(clipped: Clipped) -> list[str]:
    """'found' and 'not found' lines for the editor."""
    article = clipped.article
    found = [("title", article.title), ("outlet", article.outlet), ("url", article.url),
             ("published", article.published), ("author", ", ".join(article.authors)),
             ("language", article.language)]
    notes = {name: "  (given)" for name in clipped.overridden}
    if clipped.from_host:
        notes["outlet"] = "  (the URL's host: the page names no outlet; pass --outlet)"
    lines = [f"  {name + ':':<11}{value}" + notes.get(name, "") for name, value in found if value]
    lines.append(f"  {'text:':<11}{article.words} words in {len(article.paragraphs)} paragraphs")
    flags = {"title": "--title", "outlet": "--outlet", "url": "--url",
             "published": "--published"}
    missing = [name for name, value in found if not value]
    for name in missing:
        hint = f" (pass {flags[name]})" if name in flags else ""
        required = " - required" if name in _REQUIRED else ""
        lines.append(f"  not found: {name}{required}{hint}")
    return lines


def _archive_folder(root: Path, config: Config) -> Path:
    folder = (root / config.clip_archive).resolve()
    published = [(root / config.output).resolve(), (root / "content").resolve(),
                 (root / "static").resolve(), (root / "themes").resolve()]
    for place in published:
        if folder.is_relative_to(place) or place.is_relative_to(folder):
            raise ClipError(f"the clip archive folder {config.clip_archive!r} overlaps "
                            f"{place}, which is published or holds content; set 'clip: "
                            "archive:' in briefgen.yaml to a folder of its own")
    return folder


def _check_loads(path: str, text: str, config: Config) -> None:
    ctx = ParseContext(config, create_markdown(raw_html=False, citations=False))
    source, diags = parse_source(path, text.encode("utf-8"), ctx)
    if source is None or diags.has_errors():
        problems = "; ".join(d.format() for d in diags)
        raise ClipError(f"the source file would not load ({problems}); nothing was written")


def store(root: Path, config: Config, clipped: Clipped, options: ClipOptions,
          now: datetime | None = None) -> Stored:
    """Write (or, with dry_run, only compose) the source file and its archive snapshot."""
    article = clipped.article
    if clipped.missing_required:
        raise ClipError("cannot write a source without " + ", ".join(clipped.missing_required)
                        + "; pass " + " ".join(f"--{name}" for name in clipped.missing_required))
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    accessed = clipped.snapshot.fetched_at or when
    folder = root / SOURCES_DIR
    library = load_library(root, config)
    existing = None
    if not options.new:
        urls = [article.url, clipped.snapshot.requested_url, clipped.snapshot.final_url]
        existing = find_by_url(library, urls)
    taken = {source.id for source in library} | (
        {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set())
    if existing is not None:
        if options.source_id and options.source_id != existing.id:
            raise ClipError(f"{article.url} is already in the library as '{existing.id}'; "
                            "pass --new to keep a separate copy under another id")
        source_id = existing.id
    elif options.source_id:
        source_id = options.source_id
        if not SOURCE_ID.fullmatch(source_id):
            raise ClipError(f"--id must be lowercase letters, digits, '.', '_' and '-', "
                            f"got {source_id!r}")
        if source_id in taken:
            raise ClipError(f"a source with id '{source_id}' already exists "
                            f"({SOURCES_DIR / source_id}.md); choose another --id")
    else:
        source_id = make_id(article.outlet, article.published, article.title, taken)
    path = folder / f"{source_id}.md"
    previous = None
    if existing is not None:
        previous = (root / existing.path).read_text(encoding="utf-8")
        update = update_source(previous, existing, article, accessed, clipped.overridden)
        text, changes = update.text, update.changes
    else:
        text, changes = render_source(article, accessed), []
    _check_loads(f"{SOURCES_DIR.as_posix()}/{source_id}.md", text, config)
    archive = None
    if not options.dry_run:
        archive_dir = _archive_folder(root, config)
        archive = archive_snapshot(archive_dir, source_id, clipped.snapshot, article,
                                   clipped.json_ld, previous, when)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    return Stored(source_id, path, text, existing is not None, changes, archive)
