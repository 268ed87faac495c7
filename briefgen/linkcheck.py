"""Internal link checking for `briefgen check`: every site link must reach a file and anchor."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from briefgen.diagnostics import Diagnostics

__all__ = ["check_links"]


def _targets(out: Path, base_path: str) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Ids of every HTML page, and the internal links of every page, by site path."""
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for file in sorted(out.rglob("*.html")):
        rel = "/" + file.relative_to(out).as_posix()
        page = rel[: -len("index.html")] if rel.endswith("/index.html") or rel == "/index.html" \
            else rel
        tree = lxml.html.fromstring(file.read_bytes())
        ids[page] = {str(el.get("id")) for el in tree.iter() if el.get("id") is not None}
        hrefs = [str(el.get(attr)) for el in tree.iter("a", "link", "img", "script")
                 for attr in ("href", "src") if el.get(attr) is not None
                 and (el.tag != "link" or el.get("rel") == "stylesheet")]
        links[page] = [h for h in hrefs if not urlsplit(h).scheme and not h.startswith("//")]
    return ids, links


def _resolve(page: str, href: str, base_path: str) -> tuple[str, str]:
    parts = urlsplit(href)
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    base = base_path.rstrip("/")
    if not path.startswith("/"):  # relative to the page, whose site path has no base path
        path = page.rsplit("/", 1)[0] + "/" + path
    elif base and path.startswith(base + "/"):
        path = path[len(base):]
    segments: list[str] = []
    for seg in path.split("/"):
        if seg == "..":
            if segments:
                segments.pop()
        elif seg != ".":
            segments.append(seg)
    resolved = "/".join(segments) or "/"
    if resolved.endswith("/index.html"):  # relative_urls links folders by their index.html
        resolved = resolved[: -len("index.html")]
    return resolved, parts.fragment


def check_links(out: Path, base_path: str, sources: dict[str, str], root: Path,
                diags: Diagnostics) -> int:
    """Report every internal link in the built pages whose file or #anchor does not exist.

    `sources` maps a page's site path to the content file it came from, so the problem is
    reported at the link's line in that file when it can be found there."""
    ids, links = _targets(out, base_path)
    checked = 0
    for page, hrefs in links.items():
        for href in dict.fromkeys(hrefs):
            checked += 1
            target, fragment = _resolve(page, href, base_path)
            file_ok = target in ids or (out / target.lstrip("/")).is_file() or (
                target.endswith("/") and (out / target.lstrip("/") / "index.html").is_file())
            if not file_ok:
                _report(page, href, "leads to no page", sources, root, diags, base_path, target)
            elif fragment and target in ids and unquote(fragment) not in ids[target]:
                _report(page, href, f"points at #{fragment}, which {target} does not have",
                        sources, root, diags, base_path, target)
    return checked


def _report(page: str, href: str, problem: str, sources: dict[str, str], root: Path,
            diags: Diagnostics, base_path: str = "/", target: str = "") -> None:
    content = sources.get(page)
    if content is not None:
        lines = (root / content).read_text(encoding="utf-8", errors="replace").split("\n")
        # the Markdown has the link as written: without the base path of a sub-path deploy
        # and without the percent-encoding that rendering adds
        base = base_path.rstrip("/")
        written = href[len(base):] if base and href.startswith(base + "/") else href
        candidates = list(dict.fromkeys([written, unquote(written), href]))
        if target and not href.startswith("/"):  # relative_urls: the Markdown has the site path
            candidates += [target, unquote(target)]
        for number, text in enumerate(lines, 1):
            col = min((c for c in (text.find(w) for w in candidates) if c >= 0), default=-1)
            if col >= 0:
                diags.error(content, number, col + 1, f"link {href} {problem}")
                return
        diags.error(content, 0, 0, f"link {href} on {page} {problem}")
        return
    diags.error(f"(page {page})", 0, 0, f"link {href} {problem}")
