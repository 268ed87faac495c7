"""Code highlighting for fenced blocks with Pygments, and the stylesheet that goes with it."""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it.common.utils import escapeHtml

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

__all__ = ["Highlights", "highlight", "highlights_of", "pygments_css"]


@cache
def _formatter() -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=64)
def _lexer(name: str) -> Lexer | None:
    # Pygments is imported, and a lexer's rules compiled (about 20 ms for Python's), only when
    # a block is highlighted: an edit build finds the blocks of the file it parses kept
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight(code: str, lang: str, attrs: str) -> str:
    """HTML for a fenced block, or '' to let markdown-it escape it plainly."""
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return ""
    from pygments import highlight as pygments_highlight

    # Pygments releases differ in escaping quotes in text (2.21 leaves them be): write them
    # plainly, so the output does not depend on which release is installed
    body = (pygments_highlight(code, lexer, _formatter())
            .replace("&#39;", "'").replace("&quot;", '"'))
    return (f'<pre class="highlight"><code class="language-{escapeHtml(lang)}">'
            f"{body}</code></pre>\n")


class Highlights:
    """highlight() for markdown-it, remembering what the file being parsed highlights: the build
    state keeps each file's blocks (taken()) under its content key, and an edit build hands
    those of the file's last version back (known()) before parsing it again, so a block that
    did not change is not highlighted again."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}
        self._used: dict[str, str] = {}

    def __call__(self, code: str, lang: str, attrs: str) -> str:
        key = hashlib.blake2b(f"{lang}\0{code}".encode("utf-8", "surrogatepass"),
                              digest_size=16).hexdigest()
        html = self._known.get(key)
        if html is None:
            html = highlight(code, lang, attrs)
        self._used[key] = html
        return html

    def known(self, blocks: dict[str, str]) -> None:
        """Blocks highlighted before (what taken() gave), for the next file parsed."""
        self._known.update(blocks)

    def taken(self) -> dict[str, str]:
        """The blocks of the file just parsed, by a digest of their language and code; what
        known() was given is forgotten (one file's worth is held at a time)."""
        used, self._used, self._known = self._used, {}, {}
        return used


def highlights_of(md: Any) -> Highlights | None:
    """The Highlights a markdown-it parser highlights its fenced blocks with, if any."""
    found = md.options.get("highlight")
    return found if isinstance(found, Highlights) else None


def pygments_css(style: str = "default", dark_style: str = "monokai") -> str:
    """Stylesheet for highlighted code, light by default and dark under [data-theme=dark].

    Not called by a build: the default theme ships its output as static/pygments.css, so that
    the site does not change with the installed Pygments release (docs/themes.md)."""
    from pygments.formatters import HtmlFormatter

    light: str = HtmlFormatter(style=style).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark: str = HtmlFormatter(style=dark_style).get_style_defs(  # type: ignore[no-untyped-call]
        '[data-theme="dark"] .highlight')
    return f"{light}\n{dark}\n"
