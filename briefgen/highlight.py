"""Code highlighting for fenced blocks with Pygments, and the stylesheet that goes with it."""

from __future__ import annotations

from functools import lru_cache

from markdown_it.common.utils import escapeHtml
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

__all__ = ["highlight", "pygments_css"]

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=64)
def _lexer(name: str) -> Lexer | None:
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight(code: str, lang: str, attrs: str) -> str:
    """HTML for a fenced block, or '' to let markdown-it escape it plainly."""
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return ""
    # Pygments releases differ in escaping quotes in text (2.21 leaves them be): write them
    # plainly, so the output does not depend on which release is installed
    body = (pygments_highlight(code, lexer, _FORMATTER)
            .replace("&#39;", "'").replace("&quot;", '"'))
    return (f'<pre class="highlight"><code class="language-{escapeHtml(lang)}">'
            f"{body}</code></pre>\n")


def pygments_css(style: str = "default", dark_style: str = "monokai") -> str:
    """Stylesheet for highlighted code, light by default and dark under [data-theme=dark].

    Not called by a build: the default theme ships its output as static/pygments.css, so that
    the site does not change with the installed Pygments release (docs/themes.md)."""
    light: str = HtmlFormatter(style=style).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark: str = HtmlFormatter(style=dark_style).get_style_defs(  # type: ignore[no-untyped-call]
        '[data-theme="dark"] .highlight')
    return f"{light}\n{dark}\n"
