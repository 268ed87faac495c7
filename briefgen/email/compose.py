"""Compose the email edition: the site model's briefings as multipart/alternative messages.

The engine runs its steps up to the site model (as `briefgen check` does, writing nothing);
each message then gets its headers (headers.py), a text part written from the briefing's Markdown
(plaintext.py) and an HTML part from the theme's `email/` templates with its CSS inlined
(render.py). Messages carry no To header: whoever sends them adds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from briefgen.build import BuildOptions
from briefgen.diagnostics import Diagnostics
from briefgen.email.headers import new_message
from briefgen.email.render import Edition, render_briefing, render_digest
from briefgen.email.select import (
    DIGESTS,
    EmailError,
    Selection,
    digest_of,
    pick_language,
    resolve_briefings,
)
from briefgen.engine.steps import Engine
from briefgen.models import Briefing

__all__ = ["Composed", "EmailError", "Selection", "compose"]


@dataclass
class Composed:
    """The composed messages, a stable file name for each (same order), and what the engine
    reported on the way (warnings; errors raise BuildFailed instead)."""

    messages: list[EmailMessage] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def _model(root: Path, base_url: str | None, now: dt.datetime | None) -> Engine:
    """The engine run up to the site model, published briefings only; BuildFailed on errors."""
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EmailError(f"base URL {base_url!r} must be an absolute http(s) URL, like "
                             "https://example.org/brief/")
    engine = Engine(BuildOptions(root, write=False, base_url=base_url, now=now))
    engine.run(until="model")
    return engine


def _check_config(engine: Engine, language: str | None) -> None:
    config = engine.config
    if not config.email_from:
        raise EmailError("briefgen.yaml has no sender for the email edition: add\n"
                         "email:\n  from: The Desk <desk@example.org>")
    codes = [lang.code for lang in config.languages]
    if language is not None and language not in codes:
        raise EmailError(f"unknown language '{language}' (the site's languages: "
                         f"{', '.join(codes)})")
    if urlsplit(config.base_url).scheme != "https":
        engine.diags.warning("briefgen.yaml", 0, 0, f"base_url {config.base_url} is not https: "
                             "the email's links to the site will be plain http")


def _message(engine: Engine, edition: Edition, guid: str) -> EmailMessage:
    config = engine.config
    msg = new_message(subject=edition.subject, sender=config.email_from, date=edition.date,
                      guid=guid, base_url=config.base_url, reply_to=config.email_reply_to,
                      unsubscribe=config.email_unsubscribe)
    msg.set_content(edition.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(edition.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # the same message, the same bytes: a boundary from its id, never in a quoted-printable
    # part (where '=' is always written =3D)
    msg.set_boundary("==briefgen-" + str(msg["Message-ID"]).strip("<>").split("@")[0])
    return msg


def _suffix(lang: str, engine: Engine) -> str:
    return "" if lang == engine.config.language else f".{lang}"


def _briefing_name(briefing: Briefing, engine: Engine) -> str:
    day = briefing.date.astimezone(engine.config.tz).date().isoformat()
    return f"{day}-{briefing.slug}{_suffix(briefing.lang, engine)}.eml"


def compose(root: Path, selection: Selection, *, language: str | None = None,
            base_url: str | None = None, now: dt.datetime | None = None) -> Composed:
    """The messages of a selection: one per briefing, or one digest. `language` picks each
    briefing's translation where there is one; `now` fixes the clock (tests)."""
    if selection.digest is not None and selection.digest not in DIGESTS:
        raise EmailError(f"unknown digest {selection.digest!r} (daily or weekly)")
    if selection.digest is not None and selection.briefings:
        raise EmailError("a digest gathers its own briefings: name briefings or a digest, "
                         "not both")
    engine = _model(root, base_url, now)
    _check_config(engine, language)
    site = engine.site
    composed = Composed(diagnostics=engine.diags)
    if selection.digest is not None:
        moment = now or dt.datetime.now(dt.UTC)
        day = selection.day or moment.astimezone(engine.config.tz).date()
        digest = digest_of(selection.digest, day, language, site)
        lang = language or engine.config.language
        edition = render_digest(engine, digest, lang)
        period = (digest.first.isoformat() if digest.kind == "daily"
                  else "{}-W{:02d}".format(*digest.first.isocalendar()[:2]))
        composed.messages.append(_message(engine, edition,
                                          f"digest:{digest.kind}:{period}:{lang}"))
        composed.names.append(f"digest-{digest.kind}-{period}{_suffix(lang, engine)}.eml")
        return composed
    for briefing in resolve_briefings(root, selection.briefings, site):
        chosen = pick_language(briefing, language, site)
        edition = render_briefing(engine, chosen)
        composed.messages.append(_message(engine, edition, chosen.guid))
        composed.names.append(_briefing_name(chosen, engine))
    return composed
