"""The site's languages: codes, names, which one is the default, and where each one lives."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

__all__ = ["LANG", "Alternate", "Language", "alternates", "babel_locale", "display_name"]

LANG = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"  # a language code: en, ru, pt-BR


@dataclass(frozen=True)
class Language:
    """One language of the site; the default one lives at /, every other under /<code>/."""

    code: str
    given_name: str = ""  # its name in briefgen.yaml; "": its name in itself (see name)
    default: bool = True
    title: str = ""  # the site's title in this language ('' : the site's own)
    description: str = ""
    # The site's author (key, value pairs over the site's), copyright line and footer links
    # (label, URL) in this language; empty: the site's.
    author: tuple[tuple[str, str], ...] = ()
    copyright: str = ""
    social: tuple[tuple[str, str], ...] = ()
    # the email edition's footer and digest title in this language; empty: the site's
    email_footer: str = ""
    email_digest_title: str = ""

    @property
    def name(self) -> str:
        """The language's name as shown: briefgen.yaml's, else its name in itself from Babel,
        looked up when first shown (loading Babel's data would cost a build with nothing to do
        a tenth of its time)."""
        return self.given_name or display_name(self.code)

    @property
    def prefix(self) -> str:
        """'' for the default language, '/ru' for Russian."""
        return "" if self.default else "/" + self.code

    def path(self, site_path: str) -> str:
        """A site path in this language: '/archive/' -> '/ru/archive/'."""
        return self.prefix + site_path

    @property
    def home(self) -> str:
        return self.path("/")

    @property
    def locale(self) -> str:
        """The Babel locale name: 'pt-BR' -> 'pt_BR'."""
        return self.code.replace("-", "_")


@dataclass(frozen=True)
class Alternate:
    """Where a page's language switch goes for another language: the same page in it
    (`translated`, also a hreflang alternate), else that language's home."""

    language: Language
    url: str
    translated: bool


def alternates(languages: list[Language], current: Language,
               equivalents: dict[str, str]) -> list[Alternate]:
    """One Alternate per language but `current`, from language code -> site path of the same
    page in that language (where there is one)."""
    return [Alternate(lang, equivalents.get(lang.code) or lang.home, lang.code in equivalents)
            for lang in languages if lang.code != current.code]


def babel_locale(code: str) -> Locale | None:
    """The Babel locale of a language code, or None when Babel does not know it."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


@cache
def display_name(code: str) -> str:
    """A language's name in itself, capitalised: 'ru' -> 'Русский', 'en' -> 'English'."""
    locale = babel_locale(code)
    name = (locale.get_display_name(locale) if locale else None) or code
    return name[:1].upper() + name[1:]
