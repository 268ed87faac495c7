"""Interface strings: a theme's gettext catalogues, a site's merged over them, Jinja's i18n
callables that follow the page's language, and the check for strings a language lacks.

A catalogue is `<theme folder>/locales/<locale>/LC_MESSAGES/messages.po`, read with Babel (a build
with its state reads a catalogue once per change of its bytes: the state keeps it compiled). The
theme folders are the site's `themes/<name>/` first, then the bundled theme, so a site's catalogue
overrides or adds strings message by message; a language `pt-BR` reads `pt_BR` catalogues, then
`pt` ones. A string no catalogue translates shows its msgid, the English text of the template.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import jinja2
from babel import Locale
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from briefgen.diagnostics import Diagnostics
from briefgen.languages import babel_locale

if TYPE_CHECKING:  # Babel's catalogue modules are imported when a .po file is read
    from babel.messages.catalog import Catalog, Message

__all__ = [
    "SOURCE_LANGUAGE",
    "CatalogueFile",
    "Catalogues",
    "CompiledStore",
    "UsedString",
    "catalogue_path",
    "check_catalogues",
    "install",
    "is_translated",
    "locale_chain",
    "page_language",
    "plural_samples",
    "used_strings",
]

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language of the msgids in the templates: it needs no catalogue
# (context, msgid): how gettext tells messages apart; context is None for gettext and ngettext
Key = tuple[str | None, str]


def catalogue_path(theme_dir: Path, locale: str) -> Path:
    """Where a theme folder keeps the catalogue of a locale."""
    return theme_dir / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def locale_chain(code: str) -> list[str]:
    """Locale folder names for a language code, most specific first: 'pt-BR' -> pt_BR, pt."""
    parts = code.replace("-", "_").split("_")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


def is_translated(message: Message | None) -> bool:
    """A message with every form of its msgstr filled in and not marked fuzzy."""
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return bool(strings) and all(strings)


@dataclass(frozen=True)
class CatalogueFile:
    """One .po file as read."""

    path: Path
    catalog: Catalog

    def get(self, key: Key) -> Message | None:
        context, msgid = key
        return self.catalog.get(msgid, context=context)

    def compiled(self) -> bytes:
        """The file as .mo bytes (Babel compiles it in memory); untranslated and fuzzy messages
        are left out, so a lookup falls through to the next catalogue."""
        from babel.messages.mofile import write_mo

        buffer = io.BytesIO()
        write_mo(buffer, self.catalog)
        return buffer.getvalue()


@runtime_checkable
class CompiledStore(Protocol):
    """Where compiled catalogues are kept between builds (the build state: compiled.py)."""

    def load(self, key: str) -> bytes | None: ...

    def save(self, key: str, value: bytes) -> None: ...


class Catalogues:
    """The catalogues of a theme's folders (highest priority first), each file read once."""

    def __init__(self, theme_dirs: list[Path], store: CompiledStore | None = None) -> None:
        self.dirs = theme_dirs
        self.store = store
        self._mo: dict[Path, bytes | None] = {}
        self._files: dict[Path, CatalogueFile | None] = {}
        self._translations: dict[str, NullTranslations] = {}
        self.problems: dict[Path, tuple[int, str]] = {}  # unreadable file -> line, message

    def candidates(self, code: str) -> list[Path]:
        """Every place a catalogue of this language may be, highest priority first."""
        return [catalogue_path(d, name) for name in locale_chain(code) for d in self.dirs]

    def _read(self, path: Path) -> CatalogueFile | None:
        from babel.messages.pofile import PoFileError, read_po

        if path in self._files:
            return self._files[path]
        found = None
        if path.is_file():
            locale = babel_locale(path.parent.parent.name)
            try:
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)
                found = CatalogueFile(path, catalog)
            except PoFileError as exc:
                message = str(exc.args[0]).rsplit(" on ", 1)[0]  # Babel counts lines from 0
                self.problems[path] = (exc.lineno + 1, f"unreadable catalogue: {message}: "
                                       f"{exc.line!r}")
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                self.problems[path] = (0, f"unreadable catalogue: {exc}")
        self._files[path] = found
        return found

    def files(self, code: str) -> list[CatalogueFile]:
        """The readable catalogues of a language, highest priority first."""
        return [f for f in map(self._read, self.candidates(code)) if f is not None]

    def _compiled(self, path: Path) -> bytes | None:
        """A readable catalogue as .mo bytes: kept by the store under a digest of its path and
        bytes, else read (an unreadable one records its problem) and kept."""
        if path in self._mo:
            return self._mo[path]
        found = self._mo[path] = self._load(path)
        return found

    def _load(self, path: Path) -> bytes | None:
        try:
            raw = path.read_bytes()
        except OSError:
            return None if not path.exists() else self._fresh(path)
        key = "catalogue:" + hashlib.blake2b(f"{path}\0".encode() + raw,
                                              digest_size=20).hexdigest()
        kept = self.store.load(key) if self.store is not None else None
        if kept is not None:
            return kept
        compiled = self._fresh(path)
        if compiled is not None and self.store is not None:
            self.store.save(key, compiled)
        return compiled

    def _fresh(self, path: Path) -> bytes | None:
        found = self._read(path)
        return found.compiled() if found is not None else None

    def check(self, code: str) -> None:
        """Read the language's catalogues (or find them kept): unreadable ones record their
        problems."""
        for path in self.candidates(code):
            self._compiled(path)

    def translations(self, code: str) -> NullTranslations:
        """The language's catalogues chained: each falls back to the next, the last to the
        msgids themselves."""
        found = self._translations.get(code)
        if found is None:
            found = NullTranslations()
            compiled = [mo for mo in map(self._compiled, self.candidates(code)) if mo is not None]
            chain = [Translations(io.BytesIO(mo), domain=DOMAIN) for mo in compiled]
            if chain:
                found = chain[0]
                for fallback in chain[1:]:
                    found.add_fallback(fallback)
            self._translations[code] = found
        return found

    def digest(self) -> str:
        """A digest of every catalogue file of the theme folders: part of each page's key."""
        h = hashlib.blake2b(digest_size=16)
        for folder in self.dirs:
            for path in sorted((folder / "locales").glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
                h.update(f"{path}\0".encode())
                h.update(path.read_bytes())
        return h.hexdigest()


def page_language(context: jinja2.runtime.Context, default: str) -> str:
    """The language code of the page being rendered: its `lang` (a Language, or a code)."""
    # what context.get("lang") finds, in its vars, then its parent (a dict), without a call:
    # some sixty strings, dates and lists a page ask (70 ns less each)
    names = context.vars
    lang = names["lang"] if "lang" in names else context.parent.get("lang")
    code = getattr(lang, "code", lang)
    return code if isinstance(code, str) and code else default


def plural_samples(code: str) -> dict[str, int]:
    """One whole number for each CLDR plural category of a language ({'one': 1, 'few': 2,
    'many': 5} in Russian), so a page can hand every plural form of a string to scripts, which
    pick one with Intl.PluralRules."""
    locale = babel_locale(code) or Locale("en")
    samples: dict[str, int] = {}
    for n in range(200):
        samples.setdefault(locale.plural_form(n), n)
    order = ("zero", "one", "two", "few", "many", "other")
    return {tag: samples[tag] for tag in order if tag in samples}


# a %-placeholder as str's % reads it: an optional (name), flags and width, the conversion
_PLACEHOLDER = re.compile(r"%(?:\(([^)]*)\))?([^a-zA-Z%]*)([a-zA-Z%])")
_fields_of: dict[str, dict[str, str] | None] = {}
_ABSENT = object()
_new_str = str.__new__


def _fields(text: str) -> dict[str, str] | None:
    """{name: conversion} of a message whose every placeholder is a bare %(name)s or %(name)d
    (or %%), else None."""
    if text in _fields_of:
        return _fields_of[text]
    fields: dict[str, str] = {}
    simple = True
    for name, flags, conversion in _PLACEHOLDER.findall(text):
        if conversion == "%" and not name and not flags:
            continue
        if (not name or flags or conversion not in ("s", "d")
                or fields.setdefault(name, conversion) != conversion):
            simple = False
            break
    found = _fields_of[text] = fields if simple else None
    return found


def format_message(text: str, variables: dict[str, Any]) -> Markup:
    """Markup(text) % variables (each value escaped unless it is markup), the same text: str's %
    when the message's placeholders are bare %(name)s and %(name)d and each value a whole
    number, or for %(name)s a Markup or a str (escaped here), without Markup's escaping wrapper
    around each value. Anything else goes through Markup's %."""
    fields = _fields(text)
    if fields is None:
        return Markup(text) % variables
    values = variables
    for name, conversion in fields.items():
        value = variables.get(name, _ABSENT)  # a missing one: Markup's % raises the KeyError
        kind = type(value)
        if kind is int or (conversion == "s" and kind is Markup):
            continue
        if conversion == "s" and kind is str:
            if values is variables:
                values = dict(variables)
            values[name] = str(escape(value))
            continue
        return Markup(text) % variables
    return _new_str(Markup, text % values)  # Markup(...) without its __html__ check


def install(env: jinja2.Environment, catalogues: Catalogues, default: str) -> None:
    """Jinja's i18n extension (new-style gettext) with callables that translate into the
    language of the page being rendered, so one environment serves every language."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True

    def pick(context: jinja2.runtime.Context) -> NullTranslations:
        return catalogues.translations(page_language(context, default))

    # What Jinja's new-style gettext does (the result is Markup when autoescaping, always
    # %-formatted with the keyword arguments, `num` given to plural forms), without its two
    # wrapper calls per string; and a string without arguments, the common case, is looked up
    # and formatted once per language. The theme autoescapes every template.
    plain: dict[tuple[str, str], Markup] = {}

    translated: dict[tuple[str, str], str] = {}
    # (language, singular, plural, count) -> the translated form, for whole-number counts
    plurals: dict[tuple[str, str, str, int], str] = {}

    # (language, message, *(name, number)) -> the formatted text, for whole-number values
    formatted: dict[tuple[Any, ...], Markup] = {}

    def _translated(code: str, message: str) -> str:
        """A message's translation into a language, looked up once."""
        key = (code, message)
        text = translated.get(key)
        if text is None:
            text = translated[key] = catalogues.translations(code).gettext(message)
        return text

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        code = page_language(context, default)
        key = (code, message)
        if variables:
            for value in variables.values():
                if type(value) is not int:
                    return format_message(_translated(code, message), variables)
            # whole numbers only (a back-link's citation and source): once per language,
            # message and numbers, some twenty a briefing page (~0.9 -> 0.5 µs each)
            numbered = (code, message, *variables.items())
            found = formatted.get(numbered)
            if found is None:
                found = formatted[numbered] = format_message(_translated(code, message),
                                                             variables)
            return found
        found = plain.get(key)
        if found is None:
            found = plain[key] = Markup(catalogues.translations(code).gettext(message)) % {}
        return found

    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int,
                 **variables: Any) -> str:
        variables.setdefault("num", n)
        code = page_language(context, default)
        if type(n) is not int:
            return format_message(catalogues.translations(code).ngettext(singular, plural, n),
                                  variables)
        key = (code, singular, plural, n)
        text = plurals.get(key)
        if text is None:
            text = plurals[key] = catalogues.translations(code).ngettext(singular, plural, n)
        return format_message(text, variables)

    @jinja2.pass_context
    def pgettext(context: jinja2.runtime.Context, ctx: str, message: str,
                 **variables: Any) -> str:
        return Markup(pick(context).pgettext(ctx, message)) % variables

    @jinja2.pass_context
    def npgettext(context: jinja2.runtime.Context, ctx: str, singular: str, plural: str,
                  n: int, **variables: Any) -> str:
        variables.setdefault("num", n)
        return Markup(pick(context).npgettext(ctx, singular, plural, n)) % variables

    @jinja2.pass_context
    def plural_categories(context: jinja2.runtime.Context) -> dict[str, int]:
        return plural_samples(page_language(context, default))

    # Installed as the extension's functions (so {% trans %} blocks call them), then as
    # plain globals: already new-style, they need none of the extension's wrappers.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext,
                       npgettext=npgettext, plural_categories=plural_categories)


@dataclass(frozen=True)
class UsedString:
    """A message a template uses, where it first appears."""

    key: Key
    plural: str | None
    template: str  # the template file
    line: int
    col: int


def _message(funcname: str, strings: Any) -> tuple[Key, str | None] | None:
    """(key, plural) of an extracted call, or None when its message is not a literal."""
    args = list(strings) if isinstance(strings, tuple) else [strings]
    context: str | None = None
    if funcname in ("pgettext", "npgettext"):
        context, args = args[0], args[1:]
    if not args or not isinstance(args[0], str) or (funcname.startswith("p") and context is None):
        return None
    plural = args[1] if funcname.endswith("ngettext") and len(args) > 1 else None
    return (context, args[0]), plural if isinstance(plural, str) else None


def used_strings(env: jinja2.Environment) -> Iterator[UsedString]:
    """Every literal message of every template the environment sees (a site's template hides
    the bundled one of the same name), first use first."""
    seen: set[Key] = set()
    assert env.loader is not None
    for name in sorted(env.list_templates()):
        source, filename, _uptodate = env.loader.get_source(env, name)
        try:
            calls = list(env.extract_translations(source))  # type: ignore[attr-defined]
        except jinja2.TemplateSyntaxError:
            continue  # the render reports it
        lines = source.splitlines()
        for lineno, funcname, strings in calls:
            found = _message(funcname, strings)
            if found is None or found[0] in seen:
                continue
            key, plural = found
            seen.add(key)
            text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
            col = text.find(key[1].split("\n")[0][:24]) + 1
            yield UsedString(key, plural, filename or name, lineno, col)


def _shown(key: Key) -> str:
    context, msgid = key
    text = msgid if len(msgid) <= 60 else msgid[:57] + "..."
    return repr(text) + (f" (context {context!r})" if context else "")


def check_catalogues(env: jinja2.Environment, catalogues: Catalogues, codes: list[str],
                     label: Callable[[str], str], diags: Diagnostics,
                     missing: bool = True) -> None:
    """Report unreadable catalogues (errors) and, when `missing`, each string the templates use
    that a language has no translation for (a warning: the page shows the English text)."""
    for code in codes:
        catalogues.check(code)  # reads them (once per change), recording problems
    for path, (line, message) in sorted(catalogues.problems.items()):
        diags.error(label(str(path)), line, 0, message)
    if not missing:
        return
    used = list(used_strings(env))
    for code in codes:
        if locale_chain(code)[-1] == SOURCE_LANGUAGE:
            continue
        files = catalogues.files(code)
        theme = Path("themes") / (catalogues.dirs[0].name if catalogues.dirs else "default")
        expected = catalogue_path(theme, locale_chain(code)[0]).as_posix()
        for use in used:
            entries = [(f, f.get(use.key)) for f in files]
            if any(is_translated(entry) for _f, entry in entries):
                continue
            where = f"used at {label(use.template)}:{use.line}"
            what = f"no {code!r} translation of {_shown(use.key)}"
            present = [(f, e) for f, e in entries if e is not None]
            if present:
                file, entry = present[0]
                state = "fuzzy" if entry and entry.fuzzy else "empty"
                diags.warning(label(str(file.path)), (entry.lineno if entry else 0) or 1, 1,
                              f"{what}: its msgstr is {state} ({where})")
            elif files:
                diags.warning(label(str(files[0].path)), 1, 1,
                              f"{what}: the catalogue has no entry for it ({where})")
            else:
                diags.warning(label(use.template), use.line, use.col,
                              f"{what}: there is no catalogue for {code!r} "
                              f"(a site adds one as {expected})")
