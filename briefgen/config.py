"""briefgen.yaml: the declared options of a site, each validated with its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import decode
from briefgen.languages import LANG, Language, babel_locale
from briefgen.schema import (
    INVALID,
    Bool,
    Ctx,
    DictOf,
    Field,
    Int,
    LDict,
    ListOf,
    Record,
    Str,
    Type,
    Url,
    Zone,
)
from briefgen.slugs import SLUG_MODES
from briefgen.yamlnodes import YamlSyntaxError, compose

__all__ = ["CONFIG_FILE", "DEFAULT_PERMALINKS", "SCHEMA", "Config", "Option", "load_config",
           "option", "options"]

CONFIG_FILE = "briefgen.yaml"
SLUG = r"[a-z0-9][a-z0-9_-]*"

DEFAULT_PERMALINKS = {
    "briefing": "/briefings/{year}/{month}/{slug}/",
    "page": "/{slug}/",
    "category": "/categories/{id}/",
    "tag": "/tags/{id}/",
    "author": "/authors/{id}/",
    "source": "/sources/{id}/",
    "outlet": "/outlets/{id}/",
}
_PLACEHOLDERS = {
    "briefing": {"year", "month", "day", "slug", "category"},
    "page": {"slug"},
    "category": {"id"},
    "tag": {"id"},
    "author": {"id"},
    "source": {"id"},
    "outlet": {"id"},
}


def _formats(pattern: str, placeholders: set[str]) -> bool:
    try:
        pattern.format(**{name: "x" for name in placeholders})
    except (ValueError, KeyError, IndexError):
        return False
    return True


def _check_permalinks(value: LDict, node: yaml.Node, ctx: Ctx) -> None:
    for kind, pattern in value.items():
        line, col = value.pos[kind]
        if not (pattern.startswith("/") and pattern.endswith("/")):
            ctx.diags.error(ctx.path, line, col,
                            f"permalink '{kind}' must start and end with '/', got {pattern!r}")
            continue
        used = set(re.findall(r"\{([^{}]*)\}", pattern))
        unknown = used - _PLACEHOLDERS[kind]
        if not unknown and not _formats(pattern, _PLACEHOLDERS[kind]):
            ctx.diags.error(ctx.path, line, col, f"permalink '{kind}' has an unmatched "
                            f"'{{' or '}}': {pattern!r}")
        elif unknown:
            allowed = ", ".join("{" + p + "}" for p in sorted(_PLACEHOLDERS[kind]))
            ctx.diags.error(ctx.path, line, col,
                            f"permalink '{kind}' uses unknown placeholder "
                            f"{{{sorted(unknown)[0]}}}; allowed: {allowed}")
        elif "slug" in _PLACEHOLDERS[kind] and "{slug}" not in pattern:
            ctx.diags.error(ctx.path, line, col, f"permalink '{kind}' must contain {{slug}}")
        elif "id" in _PLACEHOLDERS[kind] and "{id}" not in pattern:
            ctx.diags.error(ctx.path, line, col, f"permalink '{kind}' must contain {{id}}")


def _check_language_code(code: str, pos: tuple[int, int], ctx: Ctx) -> None:
    if babel_locale(code) is None:
        ctx.diags.error(ctx.path, pos[0], pos[1], f"unknown language {code!r} (dates and interface "
                        "strings need a language Babel knows, like 'en' or 'ru')")


def _check_language_list(value: LDict, ctx: Ctx) -> None:
    languages = value.get("languages")
    if languages is None:
        return
    seen: dict[str, int] = {}
    defaults = []
    for entry, pos in zip(languages, languages.pos, strict=True):
        code = entry["code"]
        _check_language_code(code, entry.pos["code"], ctx)
        if code in seen:
            line, col = entry.pos["code"]
            ctx.diags.error(ctx.path, line, col, f"language {code!r} is listed twice "
                            f"(first on line {seen[code]})")
        seen.setdefault(code, pos[0])
        if entry.get("default"):
            defaults.append((code, entry.pos["default"]))
    for _code, (line, col) in defaults[1:]:
        ctx.diags.error(ctx.path, line, col, f"only one language can be the default; "
                        f"{defaults[0][0]!r} already is")
    first = defaults[0][0] if defaults else languages[0]["code"] if languages else None
    language = value.get("language")
    if language is not None and first is not None and language != first:
        line, col = value.pos["language"]
        ctx.diags.error(ctx.path, line, col,
                        f"'language' is {language!r} but the default of 'languages' is "
                        f"{first!r}; drop 'language' or make them agree")


def _check_site(value: LDict, node: yaml.Node, ctx: Ctx) -> None:
    language = value.get("language")
    if language is not None:
        _check_language_code(language, value.pos["language"], ctx)
    _check_language_list(value, ctx)


# -- the options: one declaration each --------------------------------------------------------
#
# Each key of briefgen.yaml is declared once, on the Config attribute it fills: where it sits in
# the file, its type (which validates it, with the line), its default and what it means (as
# MkDocs' config/defaults.py does). The schema that checks the file and load_config are made from
# these declarations; docs/configuration.md describes them for people (a test keeps it in step).


@dataclass(frozen=True)
class Option:
    """A key of briefgen.yaml: its dotted place in the file, its type, and what it means."""

    key: str
    type: Type
    doc: str
    required: bool = False
    merge: bool = False  # a mapping whose keys not given keep their defaults


def option(key: str, type_: Type, default: Any = MISSING, *, doc: str,
           factory: Callable[[], Any] | None = None, required: bool = False,
           merge: bool = False) -> Any:
    """A Config attribute read from `key` (dotted: 'feeds.items') of briefgen.yaml."""
    meta = {"option": Option(key, type_, doc, required, merge)}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


# Sections that group options ('feeds: items: 20'): what each is for.
SECTIONS = {
    "feeds": "Feed settings.",
    "markdown": "Markdown settings.",
    "clip": "Settings of 'briefgen clip' and of the snapshots it keeps.",
    "websub": "Instant feed delivery: the WebSub hub that 'briefgen ping' notifies.",
    "share": "How a briefing looks when it is shared: its social card.",
    "email": "The email edition: sender, unsubscribe address and footer of 'briefgen email'.",
}

# An address, bare or with a display name: 'desk@example.org' or 'The Desk <desk@example.org>'
_ADDR = r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+"
ADDRESS = rf"{_ADDR}|[^<>\r\n@\"]*<{_ADDR}>"
_ADDRESS_HINT = "an address like 'desk@example.org' or 'The Desk <desk@example.org>'"

_AUTHOR = Record("author", {
    "name": Field(Str(), required=True),
    "email": Field(Str(r"[^@\s]+@[^@\s]+", "an e-mail address")),
    "url": Field(Url(("http", "https"), relative=False)),
})
_SOCIAL = DictOf("social", Url(("http", "https", "mailto"), relative=False))
_LANGUAGE = Record("language", {
    "code": Field(Str(LANG, "a language code like 'ru'"), required=True),
    "name": Field(Str(), doc="Its name in the language switch (default: Babel's name of the "
                  "language in itself, e.g. 'Русский')."),
    "default": Field(Bool(), doc="The language at / (default: the first listed)."),
    "title": Field(Str(), doc="The site's title in this language (default 'title')."),
    "description": Field(Str(), doc="The description in this language."),
    "author": Field(_AUTHOR, doc="The site's author in this language's feeds, over the site's "
                    "'author' key by key (default: the site's)."),
    "copyright": Field(Str(), doc="The footer's and feeds' copyright line in this language "
                       "(default 'copyright')."),
    "social": Field(_SOCIAL, doc="The footer's links in this language, replacing 'social' "
                    "(default: the site's)."),
    "email": Field(Record("language email", {
        "footer": Field(Str(), doc="The email footer in this language (default 'email.footer')."),
        "digest_title": Field(Str(), doc="The digest's subject before its date in this "
                              "language (default 'email.digest_title', else this title)."),
    }), doc="The email edition's texts in this language."),
})
_PERMALINKS = Record("permalinks", {
    kind: Field(Str(), doc=f"URL pattern of a {kind}.") for kind in DEFAULT_PERMALINKS
}, check=_check_permalinks)


@dataclass
class Config:
    """A validated site configuration with every default filled in."""

    root: Path
    title: str = option("title", Str(), required=True,
                        doc="The site's name, in the header and feeds.")
    base_url: str = option("base_url", Url(("http", "https"), relative=False), required=True,
                           doc="Where the site is published, e.g. https://example.org/brief/.")
    description: str = option("description", Str(), "",
                              doc="One sentence about the site, for meta tags and feeds.")
    language: str = option("language", Str(LANG, "a language code like 'en'"), "en",
                           doc="The site language; with 'languages', the default one.")
    # default: just `language` (filled in by __post_init__ and load_config)
    languages: list[Language] = option(  # noqa: RUF009 (option() is dataclasses.field)
        "languages", ListOf(_LANGUAGE), factory=list,
        doc="Every language the site publishes in; each but the default lives under /<code>/.")
    slugs: str = option("slugs", Str("|".join(SLUG_MODES), "'transliterate' or 'unicode'"),
                        "transliterate",
                        doc="Slugs made from Cyrillic titles and file names: 'transliterate' "
                        "('конец-перемирия' -> 'konets-peremiriia') or 'unicode' (kept as "
                        "written, NFC).")
    timezone: str = option("timezone", Zone(), "UTC",
                           doc="IANA timezone for bare dates and display.")
    theme: str = option("theme", Str(SLUG, "a theme folder name"), "default", doc="Theme name.")
    output: str = option("output", Str(), "site",
                         doc="Output folder, relative to the site.")
    relative_urls: bool = option(
        "relative_urls", Bool(), False,
        doc="Every link and asset in the pages relative to the page, folders linked as "
        ".../index.html, so that the site works opened from a disk or a file share. Feeds, the "
        "sitemap, canonical and og: URLs stay absolute.")
    permalinks: dict[str, str] = option(  # noqa: RUF009
        "permalinks", _PERMALINKS, factory=lambda: dict(DEFAULT_PERMALINKS), merge=True,
        doc="URL patterns; the kinds not given keep their defaults.")
    pagination: int = option("pagination", Int(1, 1000), 10, doc="Briefings per list page.")
    feed_items: int = option("feeds.items", Int(1, 10_000), 20, doc="Items per feed.")
    feed_full_content: bool = option("feeds.full_content", Bool(), True,
                                     doc="Full text in feeds.")
    websub_hub: str = option("websub.hub", Url(("https", "http"), relative=False), "",
                             doc="A WebSub hub (https://...): every feed names it, and "
                             "'briefgen ping' tells it which feeds changed.")
    author: dict[str, str] = option(  # noqa: RUF009
        "author", _AUTHOR, factory=dict, doc="The site's author (feeds).")
    copyright: str = option("copyright", Str(), "",
                            doc="Copyright or licence line for the footer and feeds.")
    social: dict[str, str] = option(  # noqa: RUF009
        "social", _SOCIAL,
        factory=dict, doc="Label -> URL links for the footer.")
    raw_html: bool = option("markdown.raw_html", Bool(), True,
                            doc="Allow raw HTML in Markdown.")
    search: bool = option("search", Bool(), False,
                          doc="Build a Pagefind search index, a /search/ page and a search box.")
    clip_archive: str = option("clip.archive", Str(), ".briefgen-archive",
                               doc="Folder for snapshots of clipped pages, relative to the site; "
                               "never published as it is.")
    publish_snapshots: bool = option(
        "clip.publish_snapshots", Bool(), False,
        doc="Publish each source's newest snapshot, sanitised again, at /sources/<id>/archived/, "
        "and link it from the source's page as 'Archived copy (date)'.")

    email_from: str = option("email.from", Str(ADDRESS, _ADDRESS_HINT), "",
                             doc="The sender of the email edition, 'desk@example.org' or "
                             "'The Desk <desk@example.org>' (required by 'briefgen email').")
    email_reply_to: str = option("email.reply_to", Str(ADDRESS, _ADDRESS_HINT), "",
                                 doc="Where replies to the email edition go (default: 'from').")
    email_unsubscribe: str = option(
        "email.unsubscribe", Url(("mailto", "https"), relative=False), "",
        doc="A mailto: address or https: URL for unsubscribing; when given, every email carries "
        "List-Unsubscribe and one-click List-Unsubscribe-Post headers (RFC 8058).")
    email_footer: str = option("email.footer", Str(), "",
                               doc="Text at the end of every email, e.g. why the reader gets it.")
    email_digest_title: str = option("email.digest_title", Str(), "",
                                     doc="The digest's subject before its date (default: the "
                                     "site's title).")

    cards: bool = option(
        "share.cards", Bool(), True,
        doc="Draw a 1200x630 PNG card for each briefing without its own 'image:' (card.png beside "
        "its page) and name it in og:image and twitter:image.")

    def __post_init__(self) -> None:
        if not self.languages:
            self.languages = [Language(self.language)]

    @property
    def default_language(self) -> Language:
        return next(lang for lang in self.languages if lang.default)

    def localized(self, language: Language) -> Config:
        """This config as a page in `language` sees it: its title, description, author,
        copyright, footer links and code."""
        return replace(self, title=language.title or self.title,
                       description=language.description or self.description,
                       author={**self.author, **dict(language.author)},
                       copyright=language.copyright or self.copyright,
                       social=dict(language.social) if language.social else self.social,
                       language=language.code)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def fingerprint(self) -> dict[str, Any]:
        """Everything in the config that changes rendered output (for caches)."""
        data = dict(self.__dict__)
        data.pop("root")
        return data

    def parse_fingerprint(self) -> dict[str, Any]:
        """What in the config changes how a single file parses: the timezone of bare dates, the
        default language, raw HTML, and the base path put before root-relative links. The parse
        cache is keyed by this alone, so `briefgen serve` (another base_url) and `briefgen
        build` share it."""
        return {"timezone": self.timezone, "language": self.language, "raw_html": self.raw_html,
                "base_path": urlsplit(self.base_url).path or "/", "slugs": self.slugs,
                "languages": [lang.code for lang in self.languages]}


def options() -> dict[str, tuple[str, Option, Any]]:
    """Every option by its key in briefgen.yaml: (Config attribute, declaration, default)."""
    found = {}
    for f in fields(Config):
        declared = f.metadata.get("option")
        if declared is None:
            continue
        default = (f.default_factory() if f.default_factory is not MISSING
                   else None if f.default is MISSING else f.default)
        found[declared.key] = (f.name, declared, default)
    return found


def _schema() -> Record:
    top: dict[str, Field] = {}
    sections: dict[str, dict[str, Field]] = {}
    for key, (_name, declared, _default) in options().items():
        spec = Field(declared.type, required=declared.required, doc=declared.doc)
        section, _dot, inner = key.rpartition(".")
        if section:
            if section not in sections:
                sections[section] = {}
                top[section] = Field(Record(section, sections[section]), doc=SECTIONS[section])
            sections[section][inner] = spec
        else:
            top[key] = spec
    return Record("briefgen.yaml", top, check=_check_site)


SCHEMA = _schema()


def _languages(values: LDict, config: Config) -> list[Language]:
    entries = values.get("languages") or [{"code": config.language, "default": True}]
    default = next((e["code"] for e in entries if e.get("default")), entries[0]["code"])
    return [Language(code=e["code"], given_name=e.get("name") or "",
                     default=e["code"] == default, title=e.get("title", ""),
                     description=e.get("description", ""),
                     author=tuple(dict(e.get("author", {})).items()),
                     copyright=e.get("copyright", ""),
                     social=tuple(dict(e.get("social", {})).items()),
                     email_footer=dict(e.get("email", {})).get("footer", ""),
                     email_digest_title=dict(e.get("email", {})).get("digest_title", ""))
            for e in entries]


def _read(values: LDict, key: str) -> Any:
    """The converted value at a dotted key, or MISSING."""
    for part in key.split("."):
        if not isinstance(values, dict) or part not in values:
            return MISSING
        values = values[part]
    return values


def load_config(root: Path, diags: Diagnostics, base_url: str | None = None) -> Config | None:
    """Read and validate root/briefgen.yaml; None (with diagnostics) when it is unusable."""
    path = root / CONFIG_FILE
    label = CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        diags.error(label, 0, 0, f"no {CONFIG_FILE} in {root} (create a site with 'briefgen init')")
        return None
    text = decode(label, raw, diags)
    if text is None:
        return None
    try:
        node = compose(text)
    except YamlSyntaxError as exc:
        diags.error(label, exc.line + 1, exc.col + 1, exc.message)
        return None
    if node is None:
        diags.error(label, 1, 1, "briefgen.yaml is empty; it needs at least title and base_url")
        return None
    values = SCHEMA.convert(node, Ctx(label, diags), "")
    if values is INVALID:
        return None
    config = Config(root=root, title=values["title"], base_url=values["base_url"])
    for key, (name, declared, default) in options().items():
        value = _read(values, key)
        if value is MISSING or key in ("title", "base_url", "languages"):
            continue
        if declared.merge:
            value = {**default, **value}
        setattr(config, name, dict(value) if isinstance(value, dict) else value)
    # the languages, with their names and the default one, from 'languages' and 'language'
    config.languages = _languages(values, config)
    config.language = config.default_language.code
    if base_url is not None:
        config.base_url = base_url
    if not config.base_url.endswith("/"):
        config.base_url += "/"
    return config
