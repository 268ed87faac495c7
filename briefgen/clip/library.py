"""The sources already in content/sources/: read them, and find one by the URL it was clipped
from."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefgen.config import Config
from briefgen.content import ParseContext, parse_source
from briefgen.markdown import create_markdown
from briefgen.models import Source

__all__ = ["SOURCES_DIR", "find_by_url", "load_library", "normalize_url", "without_tracking"]

SOURCES_DIR = Path("content") / "sources"
_TRACKING = ("utm_", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "ref", "cmpid")


def normalize_url(url: str) -> str:
    """A URL reduced to what identifies the page: no scheme difference, no 'www.', no default
    port, no fragment, no tracking parameters, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    return urlunsplit(("", netloc, parts.path.rstrip("/") or "/", _query(parts.query), ""))


def _query(query: str) -> str:
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                      if not k.lower().startswith(_TRACKING)])


def without_tracking(url: str) -> str:
    """The URL without utm_* and similar tracking parameters, and without a fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _query(parts.query), ""))


def load_library(root: Path, config: Config) -> list[Source]:
    """Every source file that parses; files with errors are left for `briefgen check`."""
    ctx = ParseContext(config, create_markdown(raw_html=False, citations=False))
    sources = []
    folder = root / SOURCES_DIR
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        source, _diags = parse_source(path.relative_to(root).as_posix(), path.read_bytes(), ctx)
        if source is not None:
            sources.append(source)
    return sources


def find_by_url(sources: list[Source], urls: list[str]) -> Source | None:
    """The first source whose url matches one of urls (after normalize_url)."""
    wanted = {normalize_url(u) for u in urls if u}
    for source in sources:
        if normalize_url(source.url) in wanted:
            return source
    return None
