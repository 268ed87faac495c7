"""The theme's Jinja runtime: its quicker escape and call() give what Jinja's own give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from briefgen.config import Config
from briefgen.languages import Language
from briefgen.quickjinja import output_escape, quick_escape, quick_urlencode
from briefgen.theme import Theme, zone_label
from briefgen.urls import Urls

EN = Language("en", "English")
RU = Language("ru", "Русский", default=False)


class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class Wrapped(Markup):
    """A Markup subclass: escape() makes a plain Markup of it."""


@pytest.mark.parametrize("value", ["a<b & 'c\"", "", "plain", Markup("<i>x</i>"), 42, None,
                                   Html(), Wrapped("<u>y</u>"), 1.5])
def test_quick_escape_gives_what_markupsafe_gives(value: object) -> None:
    quick, reference = quick_escape(value), escape(value)
    assert type(quick) is Markup and quick == reference


@pytest.mark.parametrize("value", ["a<b & 'c\"", "", "plain", Markup("<i>x</i>"), 42, None,
                                   Html(), Wrapped("<u>y</u>"), 1.5])
def test_output_escape_gives_markupsafe_text(value: object) -> None:
    """A template's output is only joined: the same text, a str or a Markup."""
    quick, reference = output_escape(value), escape(value)
    assert isinstance(quick, str) and str(quick) == str(reference)
    assert "".join(["<p>", quick]) == "<p>" + str(reference)


def test_macro_output_stays_markup(tmp_path: Path) -> None:
    """A macro's buffer of escaped values is made a Markup by Jinja: not escaped again."""
    t = theme(tmp_path)
    page = t.env.from_string('{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m("<&>") }}'
                             '{% set y %}{{ "<" }}{% endset %}{{ y }}')
    assert page.render() == "<b>&lt;&amp;&gt;</b>&lt;"


def theme(tmp_path: Path) -> Theme:
    cfg = Config(root=tmp_path, title="T", base_url="https://x.org/",  # type: ignore[arg-type]
                 timezone="UTC", languages=[EN, RU])
    return Theme(cfg, Urls(cfg.base_url, cfg.permalinks))


def render(t: Theme, source: str, **context: Any) -> str:
    return t.env.from_string(source).render(**context)


def test_templates_escape_text_and_keep_markup(tmp_path: Path) -> None:
    t = theme(tmp_path)
    assert render(t, "{{ a }}|{{ b }}|{{ n }}", a="<&>", b=Markup("<em>"), n=3) == \
        "&lt;&amp;&gt;|<em>|3"


def test_a_set_in_a_loop_or_block_is_seen_by_gettext(tmp_path: Path) -> None:
    """A `set` of `lang` before a call still reaches the context function (Jinja's call, through
    a copy of the context), in a loop and in a block; without one the page's language is used."""
    t = theme(tmp_path)
    loop = '{% for x in [1] %}{% set lang = other %}{{ _("Sources") }}{% endfor %}'
    assert render(t, loop, lang=EN, other=RU) == "Источники"
    block = '{% block b %}{% set lang = other %}{{ _("Sources") }}{% endblock %}'
    assert render(t, block, lang=EN, other=RU) == "Источники"
    plain = '{% for x in [1] %}{{ _("Sources") }}{% endfor %}'
    assert render(t, plain, lang=RU) == "Источники"


def test_call_passes_what_each_kind_of_callable_asks_for(tmp_path: Path) -> None:
    t = theme(tmp_path)

    @jinja2.pass_context
    def ctx(context: jinja2.runtime.Context, x: int) -> str:
        return f"{context['who']}{x}"

    @jinja2.pass_environment
    def env(environment: jinja2.Environment, x: int) -> str:
        return f"{environment is t.env}{x}"

    @jinja2.pass_eval_context
    def evc(eval_ctx: jinja2.nodes.EvalContext, x: int) -> str:
        return f"{eval_ctx.autoescape}{x}"

    def plain(x: int, y: int = 0) -> int:
        return x + y

    source = ("{{ ctx(1) }} {{ env(2) }} {{ evc(3) }} {{ plain(4, y=1) }} "
              "{{ ', '.join(['a', 'b']) }}"
              "{% for i in [1] %}{% set j = 5 %}{{ plain(j) }}{{ ctx(j) }}{% endfor %}")
    assert render(t, source, who="w", ctx=ctx, env=env, evc=evc, plain=plain) == \
        "w1 True2 True3 5 a, b5w5"


def test_a_callable_raising_stopiteration_gives_undefined(tmp_path: Path) -> None:
    t = theme(tmp_path)

    def stop() -> None:
        raise StopIteration

    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        render(t, "{{ stop() }}", stop=stop)
    assert render(t, "{{ stop() is defined }}", stop=stop) == "False"


MACROS = """\
{% macro m(x, y=2) %}<{{ x }}|{{ y }}|{{ varargs }}|{{ kwargs }}>{% endmacro %}
{% macro wrap() %}[{{ caller() }}]{% endmacro %}
{{ m(1) }}{{ m("<", y="&") }}{{ m(1, 2, 3, z=4) }}
{% call wrap() %}{{ m(5) }}{% endcall %}
{% for i in [1, 2] %}{% set j = i * 10 %}{{ m(j) }}{{ ', '.join(['a', 'b']) }}{% endfor %}
{% block b %}{% set k = 7 %}{{ m(k) }}{% endblock %}
"""


def test_macros_render_as_with_jinjas_own_context(tmp_path: Path) -> None:
    t = theme(tmp_path)
    reference = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    assert render(t, MACROS) == reference.from_string(MACROS).render()


@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127)), st.text(),
                 st.integers(), st.lists(st.tuples(st.text(max_size=3), st.integers())),
                 st.dictionaries(st.text(max_size=3), st.text(max_size=3))))
def test_quick_urlencode_gives_what_jinjas_urlencode_gives(value: object) -> None:
    assert quick_urlencode(value) == jinja2.filters.do_urlencode(value)  # type: ignore[arg-type]


ZONES = ["Europe/Berlin", "Europe/Moscow", "Asia/Tbilisi", "America/New_York", "Asia/Kolkata",
         "America/Sao_Paulo", "Australia/Lord_Howe", "UTC", "Pacific/Chatham", "Africa/Casablanca"]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2040, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(ZONES), st.sampled_from([EN, RU]))
def test_zone_names_kept_per_zone_state_are_what_zone_label_gives(
        tmp_path_factory: pytest.TempPathFactory, moment: datetime, zone: str,
        lang: Language) -> None:
    """The zone filter keeps a name per (zone, language, DST on, offset, abbreviation): for any
    moment it gives what zone_label computes for that moment."""
    t = _shared_theme(tmp_path_factory)
    shown = render(t, "{{ m | zone(tz=z) }}", m=moment, z=zone, lang=lang)
    assert shown == str(escape(zone_label(moment, ZoneInfo(zone), Locale.parse(lang.code))))


_themes: dict[str, Theme] = {}


def _shared_theme(factory: pytest.TempPathFactory) -> Theme:
    """One theme for every example, so its kept names are reused across moments."""
    if "t" not in _themes:
        _themes["t"] = theme(factory.mktemp("site"))
    return _themes["t"]


PATTERNS = ["d MMMM y, HH:mm", "d MMMM y", "EEEE, d MMM y 'at' H:mm", "yyyy-MM-dd'T'HH:mm",
            "w Y QQQ D F g G u", "LLLL c e E, H", "h:mm a", "HH:mm:ss", "'100%' d MMM, m",
            "d MMMM y, HH:mm z", "short", "medium", "dd.MM.yy HH:mm", "MMMMM d ''yy"]


@settings(max_examples=400, deadline=None)
@given(st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2040, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(ZONES), st.sampled_from(PATTERNS), st.sampled_from([EN, RU]))
def test_moments_filled_in_by_hand_are_what_babel_gives(
        tmp_path_factory: pytest.TempPathFactory, moment: datetime, zone: str, pattern: str,
        lang: Language) -> None:
    """The datetime filter fills in a pattern of day and clock fields itself (the day's once per
    day): for any moment, zone and pattern it gives Babel's format_datetime."""
    from babel.dates import format_datetime

    t = _shared_theme(tmp_path_factory)
    shown = render(t, "{{ m | datetime(p, tz=z) }}", m=moment, p=pattern, z=zone, lang=lang)
    local = moment.astimezone(ZoneInfo(zone))
    expected = format_datetime(local, pattern, tzinfo=ZoneInfo(zone), locale=lang.code)
    assert shown == str(escape(expected))


def test_contexts_keep_the_names_of_their_globals_and_imports_see_them(tmp_path: Path) -> None:
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "_m.html").write_text("{% macro shout(x) %}{{ x | upper }}{{ g }}{% endmacro %}")
    t = theme(tmp_path)
    template = t.env.from_string('{% import "_m.html" as m %}{{ m.shout("a<") }}',
                                 globals={"g": "!"})
    context = template.new_context({"v": 1}, True, {"w": 2})
    assert context.globals_keys == set(template.globals) and "g" in context.globals_keys
    assert template.render() == "A&lt;!"


def test_a_pages_context_holds_the_globals_then_its_variables_in_jinjas_order(
        tmp_path: Path) -> None:
    t = theme(tmp_path)
    template = t.env.from_string("{{ config.title }} {{ g }} {{ v }}", globals={"g": "G"})
    variables = {"v": "V", "g": "own", "config": "shadowed"}
    context = template.new_context(dict(variables))
    reference = dict(template.globals, **variables)
    assert list(context.parent.items()) == list(reference.items())
    assert context.globals_keys == set(template.globals)
    t.env.globals["later"] = "L"  # a global added afterwards is seen, as with Jinja's ChainMap
    assert t.env.from_string("{{ later }}").render() == "L"
    assert template.render(v="V") == "T G V"


def test_the_demo_is_the_same_bytes_with_jinjas_own_template_and_context(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick classes are used with Jinja 3.1 only; Jinja's own give the same site (English
    and Russian)."""
    import shutil

    from tests.sitekit import cold_tree

    repo = Path(__file__).resolve().parents[2]
    demo = tmp_path / "demo"
    shutil.copytree(repo / "content", demo / "content")
    shutil.copy(repo / "briefgen.yaml", demo)
    when = datetime(2026, 12, 1, tzinfo=UTC)
    quick = cold_tree(demo, tmp_path / "quick", now=when, jobs=1)
    monkeypatch.setattr("briefgen.quickjinja.QUICK_RUNTIME", False)
    own = cold_tree(demo, tmp_path / "own", now=when, jobs=1)
    assert len(quick) > 100
    assert quick == own


@pytest.mark.parametrize("source", [
    "a{{ x }}b{{ y }}c",  # one run of text and values
    "{{ x }}",  # a lone value
    "a{{ 'b' }}c",  # text and a constant, folded into one
    "{% for n in range(3) %}<{{ n }}>{{ x }}{% endfor %}",
    "{% macro m(v) %}<b>{{ v }}</b>{{ y }}{% endmacro %}{{ m(x) }}|{{ m(y) }}",
    "{% set z %}{{ x }}<i>{{ y }}</i>{% endset %}[{{ z }}]",
    "{% filter upper %}{{ x }}-{{ y }}{% endfilter %}",
    "{% if x %}{{ x }}{{ y }}{% else %}no{% endif %}",
    "{% autoescape false %}{{ x }}{{ y }}{% endautoescape %}",
])
def test_joined_outputs_give_jinjas_text(tmp_path: Path, source: str) -> None:
    """The theme's code generator yields a run of text and values as one string: the same
    text as Jinja's own."""
    values = {"x": "<a & b>", "y": Markup("<em>y</em>")}
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert theme(tmp_path).env.from_string(source).render(values) == (
        stock.from_string(source).render(values))
