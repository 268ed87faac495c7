"""The Jinja environment: a site's theme folder over the bundled one, autoescape always on,
interface strings and dates in the language of the page being rendered."""

from __future__ import annotations

import hashlib
import re
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from markupsafe import Markup, escape

from briefgen import i18n, quickjinja
from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.markdown import plain_text
from briefgen.quickjinja import quick_escape, quick_urlencode, safe_markup
from briefgen.relative import relativize
from briefgen.themefolders import bundled_themes_dir, theme_dirs
from briefgen.urls import Urls

# {% extends/include/import/from "name" %}: a quick scan instead of parsing every template.
_STATIC_REF = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
_DYNAMIC_REF = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+[^"'\s]""")

__all__ = ["Theme", "bundled_themes_dir", "template_error_location", "zone_label"]


class Theme:
    """A theme by name: template and static folders, site first, then bundled."""

    def __init__(self, config: Config, urls: Urls,
                 compiled: jinja2.BytecodeCache | None = None) -> None:
        self.name = config.theme
        self.dirs = theme_dirs(config.root, self.name)
        self.config = config
        self.urls = urls
        self.default_code = config.default_language.code
        self._hashes: dict[str, str] = {}
        self._locales: dict[str, Locale] = {}
        self._formatted: dict[tuple[str, date, str, str, str], str] = {}
        self._midnight: dict[tuple[datetime, str], bool] = {}
        self._lists: dict[tuple[str, int], str] = {}
        self._plain: dict[str, str] = {}
        self._zone_states: dict[tuple[Any, ...], str] = {}
        self._patterns: dict[str, tuple[str, list[str], list[str]] | None] = {}
        self._day_fields: dict[tuple[date, str, str], dict[str, str]] = {}
        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(d / "templates")) for d in self.dirs
        ]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A Theme serves one build (a template edit makes a new one, see template_hash):
            # no stat of every template, include and parent at each page
            auto_reload=False,
            # every template kept in a dict: an include looks its template up at each use, and
            # Jinja's default LRU cache takes a lock and reorders a deque at each lookup
            cache_size=-1,
            bytecode_cache=compiled,
        )
        quickjinja.install(self.env)
        self.env.filters.update(
            date=self.format_date,
            datetime=self.format_datetime,
            isodate=lambda value: value.isoformat(),
            rel=urls.rel,
            abs_url=urls.abs,
            conjoin=self.conjoin,
            zone=self.zone_name,
            plain=self.plain,
            urlencode=quick_urlencode,
        )
        self.env.tests.update(midnight=self.is_midnight)
        self.env.globals.update(config=config, urls=urls)
        self.catalogues = i18n.Catalogues(
            self.dirs, compiled if isinstance(compiled, i18n.CompiledStore) else None)
        i18n.install(self.env, self.catalogues, self.default_code)
        for language in config.languages:  # read now: forked render workers inherit them
            self.catalogues.translations(language.code)
        self._catalogues_digest = self.catalogues.digest()

    @property
    def exists(self) -> bool:
        return bool(self.dirs)

    def static_dirs(self) -> list[Path]:
        """Static folders, lowest priority first (bundled, then the site's own theme)."""
        return [d / "static" for d in reversed(self.dirs) if (d / "static").is_dir()]

    def _babel(self, code: str) -> Locale:
        found = self._locales.get(code)
        if found is None:
            found = self._locales[code] = Locale.parse(code.replace("-", "_"))
        return found

    # A briefing's date shows on its page and on every list that has it: each date is formatted
    # once per language and pattern (Babel takes about 30 µs a date).

    @jinja2.pass_context
    def format_date(self, context: jinja2.runtime.Context, value: date,
                    fmt: str = "d MMMM y") -> str:
        """A date in the page's language (and, for a moment in time, the site's timezone):
        '4 February 2026', '4 февраля 2026'."""
        code = i18n.page_language(context, self.default_code)
        key = ("date", value, fmt, "", code)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = self._day(value, fmt, code)
        return found

    def _day(self, value: date, fmt: str, code: str) -> str:
        """format_date's text for a value it has not seen: a moment in time is formatted as its
        day in the site's timezone, once per day (briefings of one day share it)."""
        from babel.dates import format_date

        if not isinstance(value, datetime):
            return format_date(value, format=fmt, locale=self._babel(code))
        day = value.astimezone(self.config.tz).date()
        key = ("day", day, fmt, "", code)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = format_date(day, format=fmt, locale=self._babel(code))
        return found

    @jinja2.pass_context
    def format_datetime(self, context: jinja2.runtime.Context, value: datetime,
                        fmt: str = "d MMMM y, HH:mm", tz: str = "") -> str:
        """A date and time in the page's language and the site's timezone (or `tz`, an IANA
        name): '4 February 2026, 18:25', '4 февраля 2026, 18:25'."""
        code = i18n.page_language(context, self.default_code)
        key = ("datetime", value, fmt, tz, code)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = self._moment(value, fmt, tz, code)
        return found

    def _moment(self, value: datetime, fmt: str, tz: str, code: str) -> str:
        """Babel's format_datetime of a moment not seen before. A pattern whose fields are all
        of the day (d, MMMM, y, EEEE...) or hours and minutes (H, m) is filled in by hand: the
        day's fields are Babel's, once per day; the clock's are digits, as Babel writes them."""
        from babel.dates import DateTimeFormat, format_datetime

        zone = ZoneInfo(tz) if tz else self.config.tz
        local = value.astimezone(zone)
        if fmt not in self._patterns:
            self._patterns[fmt] = _split_pattern(fmt)
        split = self._patterns[fmt]
        if split is None:
            return format_datetime(local, format=fmt, tzinfo=zone, locale=self._babel(code))
        text, day_fields, clock_fields = split
        key = (local.date(), fmt, code)
        day = self._day_fields.get(key)
        if day is None:
            formatter = DateTimeFormat(local, self._babel(code))
            day = self._day_fields[key] = {name: formatter[name] for name in day_fields}
        values = dict(day)
        for name in clock_fields:  # Babel's '%0*d' % (len(name), number)
            values[name] = f"{local.hour if name[0] == 'H' else local.minute:0{len(name)}d}"
        return text % values

    def plain(self, text: str) -> str:
        """plain_text, once per text: a page's description shows three times in its head
        (description, og:description, twitter:description), a list's on each of its pages."""
        if type(text) is not str:  # a Markup is another key that compares equal
            return plain_text(text)
        found = self._plain.get(text)
        if found is None:
            found = self._plain[text] = plain_text(text)
        return found

    def _zone(self, tz: str) -> ZoneInfo:
        return ZoneInfo(tz) if tz else self.config.tz

    @jinja2.pass_context
    def zone_name(self, context: jinja2.runtime.Context, value: datetime, tz: str = "") -> str:
        """The name of the timezone (the site's, or `tz`) at a moment, as a byline shows it:
        the language's own abbreviation where Babel (CLDR) has one ('EST', 'MEZ'), else the
        timezone database's ('CET', 'CEST', 'MSK'), else the zone's city in the page's language
        ('Tbilisi', 'Тбилиси'); never a bare offset such as 'GMT+04:00' unless nothing else
        names it."""
        code = i18n.page_language(context, self.default_code)
        key = ("zone", value, "", tz, code)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = self._zone_state(value, tz, code)
        return found

    def _zone_state(self, value: datetime, tz: str, code: str) -> str:
        """zone_label for a moment not seen before, kept per state of the zone: what it reads of
        the moment is whether daylight saving time is on, the offset and the abbreviation."""
        zone = self._zone(tz)
        local = value.astimezone(zone)
        key = (tz, code, bool(local.dst()), local.utcoffset(), local.tzname())
        found = self._zone_states.get(key)
        if found is None:
            found = self._zone_states[key] = zone_label(value, zone, self._babel(code))
        return found

    def is_midnight(self, value: datetime, tz: str = "") -> bool:
        """True when a moment falls at 00:00:00 in the site's timezone (or `tz`): what a bare
        date such as `date: 2026-03-19` is read as, so a byline shows the date alone."""
        key = (value, tz)
        found = self._midnight.get(key)
        if found is None:
            local = value.astimezone(self._zone(tz))
            found = self._midnight[key] = (
                (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0))
        return found

    @jinja2.pass_context
    def conjoin(self, context: jinja2.runtime.Context, items: list[Any],
                show: Callable[[Any], Any] | None = None) -> Markup:
        """Items as a list in the page's language, each shown by `show` (a macro) when given:
        'A, B and C', 'A, B и C'. Text is escaped, markup kept."""
        parts = ([quick_escape(show(item)) for item in items] if show
                 else [quick_escape(item) for item in items])
        # Babel joins placeholders (once per language and length); the joined text is escaped,
        # then the parts put back.
        code = i18n.page_language(context, self.default_code)
        joined = self._lists.get((code, len(parts)))
        if joined is None:
            from babel.lists import format_list

            joined = self._lists[(code, len(parts))] = str(escape(format_list(
                [f"\x00{n}\x00" for n in range(len(parts))], locale=self._babel(code))))
        if joined == "\x000\x00":  # one item, shown as it is
            return parts[0]
        for n, part in enumerate(parts):
            joined = joined.replace(f"\x00{n}\x00", part)
        return safe_markup(joined)

    def check_catalogues(self, diags: Diagnostics, missing: bool) -> None:
        """Report unreadable catalogues and, when `missing`, each interface string a language
        of the site has no translation for (see briefgen.i18n)."""
        i18n.check_catalogues(self.env, self.catalogues,
                              [lang.code for lang in self.config.languages], self.label, diags,
                              missing=missing)

    def render(self, template: str, **context: Any) -> str:
        html = self.env.get_template(template).render(**context)
        page = context.get("canonical")
        # relative_urls: a page's links made relative to it (briefgen.relative); not the 404
        # page, which a server shows at any address
        if self.config.relative_urls and isinstance(page, str) and not page.endswith("404.html"):
            html = relativize(html, page, self.urls.base_path)
        return html

    def template_hash(self, name: str) -> str:
        """A digest of a template, every template it extends, includes or imports, and the
        theme's catalogues.

        A template that names others dynamically depends on all of them."""
        found = self._hashes.get(name)
        if found is not None:
            return found
        sources: dict[str, str] = {}
        pending = [name]
        while pending:
            current = pending.pop()
            if current in sources:
                continue
            try:
                source, _filename, _uptodate = self.env.loader.get_source(  # type: ignore[union-attr]
                    self.env, current)
            except jinja2.TemplateNotFound:
                sources[current] = ""
                continue
            sources[current] = source
            if _DYNAMIC_REF.search(source):
                pending.extend(self.env.list_templates())
            else:
                pending.extend(_STATIC_REF.findall(source))
        text = "\0".join(f"{k}\0{v}" for k, v in sorted(sources.items()))
        text += "\0catalogues\0" + self._catalogues_digest
        found = self._hashes[name] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return found

    def label(self, filename: str | None) -> str:
        """A template file as shown in diagnostics: relative to the site or the bundled themes."""
        if not filename:
            return "templates"
        path = Path(filename)
        for base in (self.config.root, bundled_themes_dir().parent):
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return path.name


# Babel's date pattern letters whose text depends on the day alone (era, years, quarter, month,
# week, day, day of year and of week in the month, Julian day, weekday), and the clock's two
# whose text is the number's digits (hour 0-23, minute)
_DAY_LETTERS = frozenset("GyYuQqMLwWdDFgEec")
_CLOCK_LETTERS = frozenset("Hm")


def _split_pattern(fmt: str) -> tuple[str, list[str], list[str]] | None:
    """A Babel datetime pattern as (its %-format, its fields of the day, its fields of the
    clock), or None when it has any other field (seconds, a zone, AM/PM...) or is a named
    format ('short'...). An invalid pattern raises Babel's own error."""
    from babel.dates import parse_pattern, tokenize_pattern

    if fmt in ("full", "long", "medium", "short"):
        return None
    text = str(parse_pattern(fmt).format)  # the pattern as a %-format of its fields
    day: list[str] = []
    clock: list[str] = []
    for _kind, token in tokenize_pattern(fmt):
        if not isinstance(token, tuple):  # literal text
            continue
        letter, count = token
        if letter in _DAY_LETTERS:
            day.append(letter * count)
        elif letter in _CLOCK_LETTERS:
            clock.append(letter * count)
        else:
            return None
    return text, day, clock


_OFFSET_NAME = re.compile(r"(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?")


def zone_label(value: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """A short name of `zone` at the moment `value`, in `locale` (see Theme.zone_name)."""
    from babel.dates import format_datetime, get_timezone_location, get_timezone_name

    local = value.astimezone(zone)
    own = get_timezone_name(local, "short", locale=locale)
    if own.isalpha() and len(own) <= 5:
        return own
    abbreviation = local.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    try:
        city = get_timezone_location(zone, locale=locale, return_city=True)
    except (LookupError, ValueError, AttributeError):
        city = ""
    if city and not _OFFSET_NAME.fullmatch(city):
        return city
    return format_datetime(local, "ZZZZ", tzinfo=zone, locale=locale)


def template_error_location(exc: BaseException) -> tuple[str | None, int]:
    """The template file and line an exception was raised at (Jinja rewrites the traceback)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename, exc.lineno
    frames = traceback.extract_tb(sys.exc_info()[2] if exc.__traceback__ is None
                                  else exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
            return frame.filename, frame.lineno or 0
    return None, 0
