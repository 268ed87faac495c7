"""Which briefings an email carries: named ones, the newest, or a day's or week's digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from briefgen.diagnostics import BriefgenError
from briefgen.models import Briefing
from briefgen.site import Site

__all__ = ["DIGESTS", "Digest", "EmailError", "Selection", "digest_of", "pick_language",
           "resolve_briefings"]

DIGESTS = ("daily", "weekly")


class EmailError(BriefgenError):
    """What was asked of `briefgen email` cannot be done (unknown briefing, no sender...)."""


@dataclass(frozen=True)
class Selection:
    """What to compose: briefings by content path or URL path, or a daily or weekly digest."""

    briefings: tuple[str, ...] = ()  # content/briefings/x.md or /briefings/2026/03/x/
    digest: str | None = None  # None, "daily" or "weekly"
    day: dt.date | None = None  # the digest's day (default: today in the site timezone)


@dataclass(frozen=True)
class Digest:
    """A digest's briefings (oldest first) and the days it covers, in the site timezone."""

    kind: str
    first: dt.date
    last: dt.date
    briefings: tuple[Briefing, ...]


def _candidates(site: Site) -> list[Briefing]:
    return [*site.briefings, *site.expired]


def _by_content_path(root: Path, wanted: str, site: Site) -> Briefing | None:
    """A content path: from the site folder, under content/briefings/, or an existing file's
    path (absolute, or from the current folder when the site is elsewhere)."""
    path = Path(wanted)
    if path.is_absolute() or (not (root / path).exists() and path.is_file()):
        try:
            wanted = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
    wanted = wanted.removeprefix("./")
    for briefing in _candidates(site):
        if briefing.path in (wanted, f"content/briefings/{wanted}"):
            return briefing
    return None


def _by_url(wanted: str, site: Site) -> Briefing | None:
    parts = urlsplit(wanted)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    base = site.urls.base_path
    under_base = "/" + path[len(base):] if base != "/" and path.startswith(base) else path
    for briefing in _candidates(site):
        if briefing.url in (path, under_base):
            return briefing
    return None


def resolve_briefings(root: Path, wanted: tuple[str, ...], site: Site) -> list[Briefing]:
    """The briefings named by content or URL path, or the newest one; an EmailError names every
    path that is not a published briefing."""
    if not wanted:
        default = [b for b in site.briefings if b.lang == site.config.language]
        newest = default or site.briefings
        if not newest:
            raise EmailError("the site has no published briefing to send")
        return [newest[0]]
    found, unknown = [], []
    for name in wanted:
        briefing = (_by_url(name, site) if name.startswith(("/", "http://", "https://"))
                    and not Path(name).is_file() else _by_content_path(root, name, site))
        if briefing is None:
            unknown.append(name)
        else:
            found.append(briefing)
    if unknown:
        raise EmailError("not a published briefing (a content path such as "
                         "content/briefings/x.md, or its URL path): " + ", ".join(unknown))
    return found


def pick_language(briefing: Briefing, language: str | None, site: Site) -> Briefing:
    """The briefing's translation in `language` where it has one, else the briefing itself."""
    if language is None or briefing.lang == language:
        return briefing
    for other in site.translations.get(briefing.path, []):
        if other.lang == language:
            return other
    return briefing


def _local_day(briefing: Briefing, site: Site) -> dt.date:
    return briefing.date.astimezone(site.config.tz).date()


def digest_of(kind: str, day: dt.date, language: str | None, site: Site) -> Digest:
    """The briefings of a day (daily) or of its ISO week, Monday to Sunday (weekly), in the site
    timezone: each story once, in `language` where translated (else the site's language, else
    as written)."""
    if kind == "daily":
        first = last = day
    else:
        first = day - dt.timedelta(days=day.weekday())
        last = first + dt.timedelta(days=6)
    chosen: list[Briefing] = []
    seen: set[str] = set()
    wanted = language or site.config.language
    for briefing in sorted(site.briefings, key=lambda b: (b.date, b.path)):
        if not first <= _local_day(briefing, site) <= last or briefing.path in seen:
            continue
        versions = [briefing, *site.translations.get(briefing.path, [])]
        seen.update(v.path for v in versions)
        by_lang = {v.lang: v for v in versions}
        chosen.append(by_lang.get(wanted) or by_lang.get(site.config.language) or briefing)
    if not chosen:
        span = day.isoformat() if kind == "daily" else f"{first} to {last}"
        raise EmailError(f"no briefing was published on {span} (site timezone "
                         f"{site.config.timezone}) for the {kind} digest")
    return Digest(kind, first, last, tuple(chosen))
