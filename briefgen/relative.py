"""Relative links for `relative_urls: true`: a page's root-relative links rewritten from the page.

A site opened from a disk (file://) has no server: `/assets/style.css` points at the root of the
disk and `../about/` at a folder listing. With `relative_urls: true` every link, asset and form
target of an HTML page that starts with the site's base path is rewritten relative to the page's
own file, and a link to a folder gets its `index.html`: from /briefings/2026/02/x/ the stylesheet
is `../../../../assets/style.css` and the home page `../../../../index.html`.

Only attribute values are rewritten (`href`, `src`, `srcset`, `action`, `poster`, and the
theme's `data-bundle` and `data-base`); absolute URLs (canonical, og:, hreflang, feeds, JSON-LD)
are left as they are. Links in text cannot be mistaken for attributes: Markdown and Jinja escape
the quote that a match needs.
"""

from __future__ import annotations

import posixpath
import re

__all__ = ["page_file", "relativize"]

# A navigation to a folder gets its index.html; an asset prefix (data-bundle) stays a folder.
_NAVIGATES = frozenset({"href", "action"})
_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?P<name>href|src|srcset|action|poster|data-bundle|data-base)\s*=\s*)"""
    r"""(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.IGNORECASE | re.DOTALL)


def page_file(site_path: str) -> str:
    """The file a page's site path is written to: '/a/' -> 'a/index.html'."""
    clean = site_path.lstrip("/")
    return clean + "index.html" if not clean or clean.endswith("/") else clean


def _relative(value: str, folder: str, base_path: str, navigates: bool) -> str:
    if not value.startswith(base_path) or value.startswith("//"):
        return value  # another origin, a fragment, a relative link already, or outside the site
    rest = value[len(base_path):]
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    target, tail = rest[:cut], rest[cut:]
    if navigates and (not target or target.endswith("/")):
        target += "index.html"
    relative = posixpath.relpath("/" + target, "/" + folder)
    if target.endswith("/") or not target:
        relative += "/"
    return relative + tail


def relativize(html: str, site_path: str, base_path: str) -> str:
    """html (the page at site_path) with every root-relative URL under base_path made relative
    to the page's file."""
    folder = posixpath.dirname(page_file(site_path))
    base = base_path if base_path.endswith("/") else base_path + "/"

    def rewrite(match: re.Match[str]) -> str:
        name = match["name"].lower()
        value = match["value"]
        if name == "srcset":
            value = ", ".join(
                " ".join([_relative(words[0], folder, base, False), *words[1:]])
                for candidate in value.split(",") if (words := candidate.split()))
        else:
            value = _relative(value, folder, base, name in _NAVIGATES)
        return f"{match['lead']}{match['quote']}{value}{match['quote']}"

    return _ATTRIBUTE.sub(rewrite, html)
