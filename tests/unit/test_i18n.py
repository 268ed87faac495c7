"""briefgen.i18n and the theme's catalogues: loading, merging, the gettext callables, dates and
lists in the page's language, and the check for untranslated strings."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jinja2
import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen import i18n
from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.languages import Language
from briefgen.theme import Theme, bundled_themes_dir
from briefgen.urls import Urls

THEME = bundled_themes_dir() / "default"
EN = Language("en", "English")
RU = Language("ru", "Русский", default=False)


def po(path: Path, body: str, language: str = "ru") -> Path:
    """Write a small catalogue: a header naming the language, then body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n\n'
                    + textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def theme(tmp_path: Path, **config: object) -> Theme:
    """The bundled default theme for a site at tmp_path (with any files written there)."""
    settings: dict[str, object] = {"root": tmp_path, "title": "T", "base_url": "https://x.org/",
                                   "timezone": "Europe/Berlin", "languages": [EN, RU]}
    settings.update(config)
    cfg = Config(**settings)  # type: ignore[arg-type]
    return Theme(cfg, Urls(cfg.base_url, cfg.permalinks))


def render(t: Theme, source: str, lang: Language | None = RU, **context: object) -> str:
    if lang is not None:
        context["lang"] = lang
    return t.env.from_string(source).render(**context)


def template_messages() -> set[tuple[str | None, str]]:
    env = theme(Path("/nonexistent-site")).env
    return {used.key for used in i18n.used_strings(env)}


def catalogue_messages(path: Path) -> dict[tuple[str | None, str], object]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m
            for m in catalog if m.id}


# The theme's own catalogues


@pytest.mark.parametrize("locale", ["en", "ru"])
def test_the_theme_catalogue_translates_every_string_the_templates_use(locale: str) -> None:
    used = template_messages()
    assert len(used) > 50
    messages = catalogue_messages(i18n.catalogue_path(THEME, locale))
    untranslated = sorted(str(key) for key in used
                          if not i18n.is_translated(messages.get(key)))  # type: ignore[arg-type]
    assert not untranslated, f"{locale}: translate {untranslated}"


def test_the_pot_template_lists_exactly_the_templates_strings() -> None:
    pot = set(catalogue_messages(THEME / "locales" / "messages.pot"))
    used = template_messages()
    missing, stale = sorted(map(str, used - pot)), sorted(map(str, pot - used))
    assert pot == used, f"run pybabel extract (docs/themes.md): missing {missing}, stale {stale}"


def test_every_plural_message_of_the_russian_catalogue_has_three_forms() -> None:
    messages = catalogue_messages(i18n.catalogue_path(THEME, "ru"))
    plural = [m for m in messages.values() if m.pluralizable]  # type: ignore[attr-defined]
    assert plural
    assert all(len(m.string) == 3 for m in plural)  # type: ignore[attr-defined]


# Rendering in the page's language


def test_one_environment_translates_into_the_language_of_each_page(tmp_path: Path) -> None:
    t = theme(tmp_path)
    source = '{{ _("Further reading") }} / {{ _("Archive") }}'
    assert render(t, source, EN) == "Further reading / Archive"
    assert render(t, source, RU) == "Что ещё почитать / Архив"
    assert render(t, source, None) == "Further reading / Archive"  # no lang: the default language


def test_russian_plural_forms_follow_the_count(tmp_path: Path) -> None:
    t = theme(tmp_path)
    source = ('{{ ngettext("cited in %(num)d briefing", "cited in %(num)d briefings", n) }}')
    shown = [render(t, source, RU, n=n) for n in (1, 3, 5, 21, 22, 11)]
    assert shown == ["цитируется в 1 брифинге", "цитируется в 3 брифингах",
                     "цитируется в 5 брифингах", "цитируется в 21 брифинге",
                     "цитируется в 22 брифингах", "цитируется в 11 брифингах"]
    assert [render(t, source, EN, n=n) for n in (1, 2)] == [
        "cited in 1 briefing", "cited in 2 briefings"]


def test_the_archive_counts_briefings_in_the_three_russian_plural_forms(tmp_path: Path) -> None:
    t = theme(tmp_path)
    source = '{{ ngettext("%(num)d briefing", "%(num)d briefings", n) }}'
    shown = [render(t, source, RU, n=n) for n in (1, 2, 5, 11, 21, 24, 112)]
    assert shown == ["1 брифинг", "2 брифинга", "5 брифингов", "11 брифингов", "21 брифинг",
                     "24 брифинга", "112 брифингов"]
    assert [render(t, source, EN, n=n) for n in (1, 2)] == ["1 briefing", "2 briefings"]


def test_a_string_with_a_context_is_translated_with_it(tmp_path: Path) -> None:
    t = theme(tmp_path)
    assert render(t, '{{ pgettext("search result type", "Page") }}', RU) == "Страница"


def test_an_untranslated_string_shows_its_english_msgid(tmp_path: Path) -> None:
    t = theme(tmp_path)
    assert render(t, '{{ _("Nothing translates %(x)s", x="<me>") }}', RU) == \
        "Nothing translates &lt;me&gt;"
    de = Language("de", "Deutsch", default=False)
    assert render(t, '{{ _("Further reading") }}', de) == "Further reading"


def test_the_russian_date_uses_the_genitive_month_in_the_site_timezone(tmp_path: Path) -> None:
    t = theme(tmp_path)
    moment = datetime(2026, 2, 4, 17, 25, tzinfo=UTC)  # 18:25 in Berlin
    source = "{{ when | datetime }} · {{ when | date }} · {{ day | date('LLLL y') }}"
    assert render(t, source, EN, when=moment, day=date(2026, 2, 1)) == \
        "4 February 2026, 18:25 · 4 February 2026 · February 2026"
    assert render(t, source, RU, when=moment, day=date(2026, 2, 1)) == \
        "4 февраля 2026, 18:25 · 4 февраля 2026 · февраль 2026"


def test_a_briefing_in_another_zone_is_dated_in_the_site_timezone(tmp_path: Path) -> None:
    t = theme(tmp_path)
    moment = datetime(2026, 2, 4, 21, 25, tzinfo=timezone(timedelta(hours=4)))
    assert render(t, "{{ when | datetime }}", RU, when=moment) == "4 февраля 2026, 18:25"


def test_moments_are_dated_by_their_day_in_the_site_timezone_once_per_day(tmp_path: Path) -> None:
    """The date filter keeps each day's text: moments of one day in the site's timezone
    (Europe/Berlin) share it, and one UTC day that spans two Berlin days gives both."""
    t = theme(tmp_path)
    moments = [datetime(2026, 2, 4, 0, 30, tzinfo=UTC), datetime(2026, 2, 4, 22, 59, tzinfo=UTC),
               datetime(2026, 2, 4, 23, 0, tzinfo=UTC), datetime(2026, 2, 4, 12, 0, tzinfo=UTC)]
    source = "{% for m in moments %}{{ m | date }}|{{ m | date('d.M') }}|{% endfor %}"
    expected = "4 февраля 2026|4.2|4 февраля 2026|4.2|5 февраля 2026|5.2|4 февраля 2026|4.2|"
    assert render(t, source, RU, moments=moments) == expected
    assert render(t, source, RU, moments=moments) == expected
    assert render(t, "{{ d | date }}", EN, d=date(2026, 2, 4)) == "4 February 2026"


def test_lists_are_joined_in_the_page_language_and_escaped(tmp_path: Path) -> None:
    t = theme(tmp_path)
    source = ('{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}'
              '{{ names | conjoin }} | {{ names | conjoin(b) }}')
    names = ["A&B", "C", "D"]
    assert render(t, source, EN, names=names) == (
        "A&amp;B, C, and D | <b>A&amp;B</b>, <b>C</b>, and <b>D</b>")
    assert render(t, source, RU, names=names[:2]) == "A&amp;B и C | <b>A&amp;B</b> и <b>C</b>"


def test_plural_categories_give_a_sample_count_for_each_form() -> None:
    assert i18n.plural_samples("ru") == {"one": 1, "few": 2, "many": 0}
    assert i18n.plural_samples("en") == {"one": 1, "other": 0}


def test_a_regional_language_falls_back_to_its_base_language() -> None:
    assert i18n.locale_chain("pt-BR") == ["pt_BR", "pt"]
    assert i18n.locale_chain("ru") == ["ru"]


# A site's catalogues over the theme's


def test_a_site_catalogue_overrides_one_string_and_keeps_the_rest(tmp_path: Path) -> None:
    po(i18n.catalogue_path(tmp_path / "themes" / "default", "ru"), """
        msgid "Further reading"
        msgstr "Читайте также"

        msgid "Archive"
        msgstr ""
    """)
    t = theme(tmp_path)
    assert render(t, '{{ _("Further reading") }} / {{ _("Archive") }} / {{ _("Sources") }}') \
        == "Читайте также / Архив / Источники"


def test_a_site_adds_a_language_with_its_own_plural_rules(tmp_path: Path) -> None:
    po(i18n.catalogue_path(tmp_path / "themes" / "default", "pl"), """
        msgid "cited in %(num)d briefing"
        msgid_plural "cited in %(num)d briefings"
        msgstr[0] "cytowane w %(num)d briefingu"
        msgstr[1] "cytowane w %(num)d briefingach"
        msgstr[2] "cytowane w %(num)d briefingach"
    """, language="pl")
    pl = Language("pl", "Polski", default=False)
    t = theme(tmp_path, languages=[EN, pl])
    source = '{{ ngettext("cited in %(num)d briefing", "cited in %(num)d briefings", n) }}'
    assert [render(t, source, pl, n=n) for n in (1, 5)] == [
        "cytowane w 1 briefingu", "cytowane w 5 briefingach"]


def test_changing_a_catalogue_changes_every_template_key(tmp_path: Path) -> None:
    before = theme(tmp_path).template_hash("list.html")
    po(i18n.catalogue_path(tmp_path / "themes" / "default", "ru"), """
        msgid "Archive"
        msgstr "Все брифинги"
    """)
    assert theme(tmp_path).template_hash("list.html") != before


# The check


def check(t: Theme, missing: bool = True) -> list[str]:
    diags = Diagnostics()
    t.check_catalogues(diags, missing=missing)
    return [d.format() for d in diags]


def test_the_bundled_catalogues_leave_nothing_to_report(tmp_path: Path) -> None:
    assert check(theme(tmp_path)) == []


def test_an_empty_msgstr_is_reported_at_its_entry_when_no_catalogue_translates_it(
        tmp_path: Path) -> None:
    folder = tmp_path / "themes" / "default"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "_head.html").write_text(
        '<meta name="x" content="{{ _(\'Listen to this briefing\') }}">\n', encoding="utf-8")
    po(i18n.catalogue_path(folder, "ru"), """
        msgid "Further reading"
        msgstr "Читайте также"

        msgid "Listen to this briefing"
        msgstr ""
    """)
    assert check(theme(tmp_path)) == [
        "themes/default/locales/ru/LC_MESSAGES/messages.po:8:1: warning: no 'ru' translation of "
        "'Listen to this briefing': its msgstr is empty "
        "(used at themes/default/templates/_head.html:1)"]


def test_a_language_without_a_catalogue_is_reported_at_each_string_in_the_templates(
        tmp_path: Path) -> None:
    de = Language("de", "Deutsch", default=False)
    found = check(theme(tmp_path, languages=[EN, de]))
    assert len(found) == len(template_messages())
    assert ("themes/default/templates/_sources.html:18:34: warning: no 'de' translation of "
            "'Further reading': there is no catalogue for 'de' (a site adds one as "
            "themes/default/locales/de/LC_MESSAGES/messages.po)") in found


def unreadable_catalogue(root: Path) -> Path:
    """The site's Russian catalogue, with a line at 7:1 that is not .po syntax."""
    return po(i18n.catalogue_path(root / "themes" / "default", "ru"), """
        msgid "Archive"
        msgstr "Архив"
        Archive = Архив
    """)


def test_an_unreadable_catalogue_is_an_error_even_when_not_checking_strings(
        tmp_path: Path) -> None:
    unreadable_catalogue(tmp_path)
    found = check(theme(tmp_path), missing=False)
    assert found == ["themes/default/locales/ru/LC_MESSAGES/messages.po:7:1: error: unreadable "
                     "catalogue: Unknown or misformatted keyword: 'Archive = Архив'"]


def test_used_strings_name_the_template_line_and_column() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "a.html": 'x\n<p>{{ _("Hello") }} {{ ngettext("%(num)d cat", "%(num)d cats", n) }}</p>\n'
                  '{{ _(name) }}{{ _("Hello") }}'}), extensions=["jinja2.ext.i18n"])
    used = list(i18n.used_strings(env))
    assert [(u.key, u.plural, u.template, u.line, u.col) for u in used] == [
        ((None, "Hello"), None, "a.html", 2, 10),
        ((None, "%(num)d cat"), "%(num)d cats", "a.html", 2, 34)]


# Catalogues kept compiled between builds


class Kept(dict[str, bytes]):
    """A CompiledStore in memory, as the build state keeps compiled catalogues."""

    def load(self, key: str) -> bytes | None:
        return self.get(key)

    def save(self, key: str, value: bytes) -> None:
        self[key] = value


def test_a_kept_catalogue_is_not_read_again_until_its_bytes_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = po(i18n.catalogue_path(tmp_path / "themes" / "default", "ru"), """
        msgid "Archive"
        msgstr "Все брифинги"
    """)
    kept = Kept()
    dirs = [tmp_path / "themes" / "default", THEME]
    first = i18n.Catalogues(dirs, kept).translations("ru")
    assert first.gettext("Archive") == "Все брифинги" and first.gettext("Sources") == "Источники"
    assert len(kept) == 2  # the site's catalogue and the theme's

    def unread(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a kept catalogue was read again")

    monkeypatch.setattr("babel.messages.pofile.read_po", unread)
    again = i18n.Catalogues(dirs, kept).translations("ru")
    assert again.gettext("Archive") == "Все брифинги" and again.gettext("Sources") == "Источники"
    monkeypatch.undo()
    path.write_text(path.read_text(encoding="utf-8").replace("Все брифинги", "Архив брифингов"),
                    encoding="utf-8")
    assert i18n.Catalogues(dirs, kept).translations("ru").gettext("Archive") == "Архив брифингов"


def test_an_unreadable_catalogue_is_reported_at_every_build_and_never_kept(
        tmp_path: Path) -> None:
    unreadable_catalogue(tmp_path)
    kept = Kept()
    for _build in range(2):
        catalogues = i18n.Catalogues([tmp_path / "themes" / "default", THEME], kept)
        catalogues.check("ru")
        assert [line for line, _message in catalogues.problems.values()] == [7]
    assert len(kept) == 1  # only the theme's own catalogue


_texts = st.lists(st.one_of(
    st.sampled_from(["%(num)d", "%(num)s", "%(authors)s", "%(date)s", "%(x)r", "%(num)5d",
                     "%(num)-s", "%s", "%%", "%(num)i", "By ", " min", "<b>", "&", "%(a)s%(a)d"]),
    st.text(alphabet="ab <&>'\"", max_size=6),
), max_size=6).map("".join)
_values = st.one_of(st.integers(-5, 30), st.text(alphabet="a<&>'\"é", max_size=5),
                    st.builds(Markup, st.sampled_from(["<a href='/x'>A</a>", "B &amp; C", ""])),
                    st.booleans(), st.none(), st.floats(0, 9))


def _formatted(text: str, variables: dict[str, object]) -> object:
    """The result, or the kind of error (both ways must fail alike)."""
    try:
        return i18n.format_message(text, variables)
    except Exception as exc:
        return type(exc)


@settings(max_examples=600)
@given(_texts, st.dictionaries(st.sampled_from(["num", "authors", "date", "x", "a"]), _values))
def test_format_message_gives_what_markups_percent_gives(text: str,
                                                          variables: dict[str, object]) -> None:
    try:
        expected: object = Markup(text) % variables
    except Exception as exc:
        expected = type(exc)
    found = _formatted(text, dict(variables))
    assert found == expected
    assert type(found) is type(expected)


@pytest.mark.parametrize(("parent", "own", "expected"), [
    ({"lang": Language("ru", "Русский", default=False)}, {}, "ru"),  # the page's
    ({"lang": "de"}, {}, "de"),  # a code
    ({}, {}, "en"),  # none: the default
    ({"lang": ""}, {}, "en"),
    ({"lang": Language("ru", "Русский", default=False)}, {"lang": "fr"}, "fr"),  # a set one
])
def test_page_language_is_what_the_context_holds(parent: dict[str, Any], own: dict[str, Any],
                                                  expected: str) -> None:
    context = jinja2.runtime.new_context(jinja2.Environment(), "t", {}, parent)
    context.vars.update(own)
    assert i18n.page_language(context, "en") == expected
    assert i18n.page_language(context, "en") == (
        getattr(context.get("lang"), "code", context.get("lang")) or "en")


def test_a_string_with_numbers_is_formatted_once_and_kept_apart(tmp_path: Path) -> None:
    """gettext keeps a message formatted with whole numbers per language and numbers: another
    number, another language or a value of another kind (True, 1.0, text) is formatted anew."""
    t = theme(tmp_path)
    page = ("{{ _('Back to citation %(citation)d of source %(source)d', citation=n, source=2) }}|"
            "{{ _('%(a)s', a=v) }}")
    english = render(t, page, EN, n=1, v=1)
    assert english == render(t, page, EN, n=1, v=1) == "Back to citation 1 of source 2|1"
    assert render(t, page, EN, n=3, v=True) == "Back to citation 3 of source 2|True"
    assert render(t, page, EN, n=1, v=1.5) == "Back to citation 1 of source 2|1.5"
    assert render(t, page, EN, n=1, v="<b>") == "Back to citation 1 of source 2|&lt;b&gt;"
    assert render(t, page, RU, n=1, v=1) != english
