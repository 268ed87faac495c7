"""An email's subject, date, text and HTML parts, from the theme's `email/` templates.

The HTML part's CSS is inlined with css-inline: what the `<style>` of a template says becomes
style attributes, and only its @media rules (dark mode, narrow screens) stay in a `<style>`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import css_inline
from babel import Locale
from babel.dates import format_date, format_interval
from markdown_it import MarkdownIt
from markupsafe import Markup

from briefgen.diagnostics import Diagnostics
from briefgen.email.markup import absolute, email_body
from briefgen.email.plaintext import WIDTH, text_body, wrap
from briefgen.frontmatter import decode, split
from briefgen.languages import Language
from briefgen.markdown import create_markdown, plain_text
from briefgen.models import Briefing

if TYPE_CHECKING:
    from briefgen.email.select import Digest
    from briefgen.engine.steps import Engine

__all__ = ["Edition", "render_briefing", "render_digest"]

_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Edition:
    """What one message says: its subject, date, and both parts."""

    subject: str
    date: dt.datetime
    text: str
    html: str


@cache
def _markdown(raw_html: bool) -> MarkdownIt:
    return create_markdown(raw_html)


def _language(engine: Engine, code: str) -> Language:
    return next((lang for lang in engine.config.languages if lang.code == code),
                engine.config.default_language)


def _direction(code: str) -> str:
    try:
        order = Locale.parse(code.replace("-", "_")).character_order
    except (ValueError, LookupError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return "\n".join(wrap(" ".join(str(text).split()), first, rest))


def _common(engine: Engine, lang: Language) -> dict[str, Any]:
    """What both templates of both kinds use: the site in the message's language, footer and
    unsubscribe address, and helpers."""
    config = engine.config
    return {
        "lang": lang,
        "dir": _direction(lang.code),
        "site_title": lang.title or config.title,
        "home_url": engine.urls.abs(lang.home),
        "footer": lang.email_footer or config.email_footer,
        "unsubscribe": config.email_unsubscribe,
        "copyright": lang.copyright or config.copyright,
        "wrap": _wrap,
        "width": WIDTH,
    }


def _render(engine: Engine, template: str, context: dict[str, Any]) -> str:
    # the environment's own render: never theme.render, whose relative_urls would undo them
    return engine.theme.env.get_template(template).render(**context)


def _html(engine: Engine, template: str, context: dict[str, Any]) -> str:
    return str(_INLINER.inline(_render(engine, template, context)))


def _text(engine: Engine, template: str, context: dict[str, Any]) -> str:
    lines = _render(engine, template, context).strip("\n").split("\n")
    # trailing spaces go, but for the signature separator "-- " (RFC 3676)
    return "\n".join(line if line == "-- " else line.rstrip() for line in lines) + "\n"


def _markdown_of(engine: Engine, briefing: Briefing) -> str:
    """The briefing's Markdown body as the build read it (the text part is written from it)."""
    path = engine.root / briefing.path
    text = decode(briefing.path, path.read_bytes(), Diagnostics()) or ""
    return split(briefing.path, text, Diagnostics()).body


def render_briefing(engine: Engine, briefing: Briefing) -> Edition:
    """One briefing's email: its body, byline and Sources list, with links to its web page."""
    lang = _language(engine, briefing.lang or engine.config.language)
    page_url = engine.urls.abs(briefing.url)
    numbers = {entry.source.id: entry.number for entry in briefing.cited}
    text = text_body(_markdown(engine.config.raw_html), _markdown_of(engine, briefing),
                     page_url, numbers, engine.urls.base_path)
    links = [(text.first + index, url) for index, url in enumerate(text.links)]
    context = {
        **_common(engine, lang),
        "briefing": briefing,
        "page_url": page_url,
        "preheader": plain_text(briefing.summary),
        "body": Markup(email_body(briefing.body_html, page_url)),
        "body_text": "\n".join(text.lines),
        "links": links,
        "link": lambda url: absolute(url, page_url),
    }
    return Edition(briefing.title, briefing.updated or briefing.date,
                   _text(engine, "email/briefing.txt", context),
                   _html(engine, "email/briefing.html", context))


@dataclass(frozen=True)
class _Item:
    """A briefing as a digest lists it."""

    briefing: Briefing
    url: str
    summary: str
    outlets: list[str]


def _outlets(briefing: Briefing) -> list[str]:
    return list(dict.fromkeys(source.outlet for source in briefing.sources if source.outlet))


def render_digest(engine: Engine, digest: Digest, code: str) -> Edition:
    """A day's or week's briefings: kicker, title, summary, link and outlets of each."""
    lang = _language(engine, code)
    locale = Locale.parse(lang.locale)
    if digest.kind == "daily":
        when = format_date(digest.first, "d MMMM y", locale=locale)
    else:
        when = format_interval(digest.first, digest.last, "yMMMMd", locale=locale)
    title = (lang.email_digest_title or engine.config.email_digest_title or lang.title
             or engine.config.title)
    items = [_Item(b, engine.urls.abs(b.url), plain_text(b.summary), _outlets(b))
             for b in digest.briefings]
    home = engine.urls.abs(lang.home)
    context = {
        **_common(engine, lang),
        "digest": digest,
        "items": items,
        "title": title,
        "when": when,
        "page_url": home,
        "preheader": " · ".join(item.briefing.title for item in items),
    }
    newest = max(b.updated or b.date for b in digest.briefings)
    return Edition(f"{title}: {when}", newest, _text(engine, "email/digest.txt", context),
                   _html(engine, "email/digest.html", context))
