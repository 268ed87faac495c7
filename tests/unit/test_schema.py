"""Declared schemas: each field type converts YAML source text by its own rules, with positions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.schema import (
    _URL_BREAK,
    INVALID,
    MAX_NODES,
    Bool,
    Ctx,
    DateTime,
    DictOf,
    Field,
    Int,
    LDict,
    ListOf,
    Record,
    Str,
    Type,
    Url,
    did_you_mean,
    parse_datetime,
)
from briefgen.yamlnodes import MAX_YAML_BYTES, YamlSyntaxError, compose

BERLIN = ZoneInfo("Europe/Berlin")
PLUS4 = timezone(timedelta(hours=4))


def run(schema: Type, text: str, tz: ZoneInfo | None = None) -> tuple[Any, list[str]]:
    """Convert a YAML document with a schema; the value and the formatted diagnostics."""
    diags = Diagnostics()
    node = compose(text)
    assert node is not None
    value = schema.convert(node, Ctx("f.yaml", diags, 0, tz), "")
    return value, [d.format() for d in diags]


def one(field_type: Type, yaml_value: str, tz: ZoneInfo | None = None) -> tuple[Any, list[str]]:
    """Convert `k: <yaml_value>` with a record of one field k; its value (or INVALID)."""
    value, diags = run(Record("test", {"k": Field(field_type)}), f"k: {yaml_value}\n", tz)
    return (INVALID if value is INVALID else value.get("k")), diags


# --- YAML 1.1 surprises stay strings -------------------------------------------------------------

@pytest.mark.parametrize("text", ["NO", "no", "on", "off", "yes", "Y", "0777", "0x1F", "1e3",
                                  "12:30", "2026-02-04", "true", ".inf"])
def test_string_field_keeps_the_source_text(text: str) -> None:
    assert one(Str(), text) == (text, [])


def test_country_no_flag_on_code_0777_stay_strings_in_a_record() -> None:
    schema = Record("r", {"country": Field(Str()), "flag": Field(Str()), "code": Field(Str())})
    value, diags = run(schema, "country: NO\nflag: on\ncode: 0777\n")
    assert diags == []
    assert dict(value) == {"country": "NO", "flag": "on", "code": "0777"}


def test_string_field_strips_plain_scalars_but_keeps_quoted_spaces() -> None:
    assert one(Str(), "'  padded  '") == ("  padded  ", [])
    assert one(Str(), "plain   ") == ("plain", [])


def test_string_field_with_pattern_reports_the_hint() -> None:
    assert one(Str(r"[a-z]+", "lowercase letters"), "Abc") == (
        INVALID, ["f.yaml:1:4: error: 'k' must be lowercase letters, got 'Abc'"])


def test_string_field_given_a_list_is_an_error() -> None:
    assert one(Str(), "[a, b]") == (INVALID, ["f.yaml:1:4: error: 'k' must be text, got a list"])


# --- booleans ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False),
                                                ("True", True), ("FALSE", False)])
def test_bool_field_accepts_true_and_false(text: str, expected: bool) -> None:
    assert one(Bool(), text) == (expected, [])


@pytest.mark.parametrize("text", ["yes", "no", "on", "off", "y", "1", "'true'"])
def test_bool_field_rejects_yaml11_words_with_the_line(text: str) -> None:
    shown = text.strip("'")
    assert one(Bool(), text) == (
        INVALID, [f"f.yaml:1:4: error: 'k' must be true or false, got '{shown}'"])


def test_bool_error_names_the_line_of_the_value() -> None:
    schema = Record("r", {"a": Field(Str()), "draft": Field(Bool())})
    value, diags = run(schema, "a: x\n\ndraft: yes\n")
    assert value is INVALID
    assert diags == ["f.yaml:3:8: error: 'draft' must be true or false, got 'yes'"]


# --- integers ------------------------------------------------------------------------------------

def test_int_field_reads_leading_zeros_as_decimal_not_octal() -> None:
    assert one(Int(), "0777") == (777, [])


@pytest.mark.parametrize("text", ["0x1F", "1e3", "ten", "'5'", "1.5"])
def test_int_field_rejects_non_decimal_text(text: str) -> None:
    shown = text.strip("'")
    assert one(Int(), text) == (
        INVALID, [f"f.yaml:1:4: error: 'k' must be a whole number, got '{shown}'"])


def test_int_field_checks_its_bounds() -> None:
    assert one(Int(1, 10), "0") == (INVALID, ["f.yaml:1:4: error: 'k' must be at least 1, got 0"])
    assert one(Int(1, 10), "11") == (INVALID,
                                     ["f.yaml:1:4: error: 'k' must be at most 10, got 11"])
    assert one(Int(1, 10), "10") == (10, [])


# --- dates ---------------------------------------------------------------------------------------

def test_bare_date_takes_the_site_timezone() -> None:
    assert one(DateTime(), "2026-02-04", BERLIN) == (datetime(2026, 2, 4, tzinfo=BERLIN), [])


def test_naive_datetime_takes_the_site_timezone() -> None:
    assert one(DateTime(), "2026-02-04T18:25:00", BERLIN) == (
        datetime(2026, 2, 4, 18, 25, tzinfo=BERLIN), [])


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-02-04T18:25:00Z", datetime(2026, 2, 4, 18, 25, tzinfo=UTC)),
    ("2026-02-04T18:25:00z", datetime(2026, 2, 4, 18, 25, tzinfo=UTC)),
    ("2026-02-04T18:25:00+04:00", datetime(2026, 2, 4, 18, 25, tzinfo=PLUS4)),
    ("2026-02-04T18:25:00+0400", datetime(2026, 2, 4, 18, 25, tzinfo=PLUS4)),
    ("2026-02-04T18:25:00-03", datetime(2026, 2, 4, 18, 25, tzinfo=timezone(timedelta(hours=-3)))),
    ("2026-02-04 18:25:00 +04:00", datetime(2026, 2, 4, 18, 25, tzinfo=PLUS4)),
    ("2026-02-04 18:25", datetime(2026, 2, 4, 18, 25, tzinfo=BERLIN)),
    ("2026-02-04T9:05", datetime(2026, 2, 4, 9, 5, tzinfo=BERLIN)),
    ("2026-02-04T18:25:00.250+05:30",
     datetime(2026, 2, 4, 18, 25, 0, 250000, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
])
def test_datetime_forms_are_parsed_with_their_offset(text: str, expected: datetime) -> None:
    result = parse_datetime(text, BERLIN)
    assert result == expected
    assert result is not None and result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30", "2026-13-01", "2026-02-04T25:00",
                                  "04.02.2026", "2026-02-04T18:25+25:00", "2026-2-4"])
def test_invalid_dates_are_not_parsed(text: str) -> None:
    assert parse_datetime(text, BERLIN) is None


def test_date_yesterday_is_an_error_at_its_line_and_column() -> None:
    schema = Record("r", {"title": Field(Str()), "date": Field(DateTime())})
    value, diags = run(schema, "title: A\ndate:   yesterday\n", BERLIN)
    assert value is INVALID
    assert diags == ["f.yaml:2:9: error: 'date' must be a date like 2026-02-04 or "
                     "2026-02-04T18:25:00+04:00, got 'yesterday'"]


def test_impossible_calendar_date_is_an_error() -> None:
    assert one(DateTime(), "2026-02-30", BERLIN) == (INVALID, [
        "f.yaml:1:4: error: 'k' must be a date like 2026-02-04 or 2026-02-04T18:25:00+04:00, "
        "got '2026-02-30'"])


# --- URLs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org", "/img/a.png",
                                 "img/a.png", "mailto:desk@example.org"])
def test_url_field_accepts_web_mail_and_relative_urls(url: str) -> None:
    assert one(Url(), f"'{url}'") == (url, [])


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"), ("JaVaScRiPt:alert(1)", "javascript"),
    ("data:text/html,<b>x</b>", "data"), ("file:///etc/passwd", "file"),
    ("vbscript:msgbox(1)", "vbscript"), ("ftp://example.org/", "ftp"),
])
def test_url_field_rejects_other_schemes(url: str, scheme: str) -> None:
    assert one(Url(("http", "https"), relative=True), f"'{url}'") == (INVALID, [
        f"f.yaml:1:4: error: 'k' must use http, https or a relative path; scheme "
        f"'{scheme}:' is not allowed"])


@pytest.mark.parametrize("url", ["'//evil.example/x'", "'\\\\evil\\x'", "relative/path"])
def test_absolute_only_url_field_rejects_relative_and_protocol_relative(url: str) -> None:
    value, diags = one(Url(("http", "https"), relative=False), url)
    assert value is INVALID
    assert len(diags) == 1
    assert diags[0].startswith("f.yaml:1:4: error: 'k' must be an absolute URL (http, https), got ")


def test_url_field_rejects_whitespace_and_missing_host() -> None:
    assert one(Url(), "'https://exa mple.org/'")[1] == [
        "f.yaml:1:4: error: 'k' must be a URL (http, https, mailto or a relative path), "
        "got 'https://exa mple.org/'"]
    assert one(Url(), "'https:///path'")[1] == [
        "f.yaml:1:4: error: 'k' has no host: 'https:///path'"]


# --- lists, records, dicts -----------------------------------------------------------------------

def test_list_field_takes_a_scalar_as_a_list_of_one_and_keeps_positions() -> None:
    assert one(ListOf(Str()), "solo") == (["solo"], [])
    value, diags = one(ListOf(Str()), "\n  - a\n  - b\n")
    assert diags == []
    assert value == ["a", "b"]
    assert value.pos == [(2, 5), (3, 5)]


def test_list_field_reports_every_bad_item() -> None:
    value, diags = one(ListOf(Bool()), "[true, yes, on]")
    assert value is INVALID
    assert diags == ["f.yaml:1:11: error: 'k' must be true or false, got 'yes'",
                     "f.yaml:1:16: error: 'k' must be true or false, got 'on'"]


def test_unknown_key_is_reported_with_a_suggestion() -> None:
    schema = Record("front matter", {"title": Field(Str(), required=True)})
    value, diags = run(schema, "title: A\ntitel: B\n")
    assert value is INVALID
    assert diags == ["f.yaml:2:1: error: unknown key 'titel' in front matter "
                     "(did you mean 'title'?)"]


def test_missing_and_empty_required_keys_are_reported() -> None:
    schema = Record("r", {"title": Field(Str(), required=True),
                          "date": Field(Str(), required=True)})
    value, diags = run(schema, "title:\nother_line_is_not_here: 1\n")
    assert value is INVALID
    assert diags == [
        "f.yaml:1:1: error: missing required key 'date' in r",
        "f.yaml:1:7: error: 'title' must not be empty",
        "f.yaml:2:1: error: unknown key 'other_line_is_not_here' in r",
    ]


def test_duplicate_key_is_reported_with_both_lines() -> None:
    schema = Record("front matter", {"title": Field(Str()), "date": Field(Str())})
    value, diags = run(schema, "title: A\ndate: x\ntitle: B\n")
    assert diags == ["f.yaml:3:1: error: duplicate key 'title' in front matter "
                     "(first at line 1, again at line 3)"]
    assert value is INVALID


def test_duplicate_key_lines_include_the_line_offset() -> None:
    diags = Diagnostics()
    node = compose("title: A\ntitle: B\n")
    assert node is not None
    Record("r", {"title": Field(Str())}).convert(node, Ctx("x.md", diags, 1), "")
    assert [d.format() for d in diags] == [
        "x.md:3:1: error: duplicate key 'title' in r (first at line 2, again at line 3)"]


def test_all_problems_of_a_record_are_reported_in_one_pass() -> None:
    schema = Record("r", {"n": Field(Int()), "b": Field(Bool()), "s": Field(Str())})
    _, diags = run(schema, "n: x\nb: on\ns: [1]\nq: 1\n")
    assert diags == [
        "f.yaml:1:4: error: 'n' must be a whole number, got 'x'",
        "f.yaml:2:4: error: 'b' must be true or false, got 'on'",
        "f.yaml:3:4: error: 's' must be text, got a list",
        "f.yaml:4:1: error: unknown key 'q' in r",
    ]


def test_record_check_runs_even_when_another_field_failed() -> None:
    def check(value: LDict, node: object, ctx: Ctx) -> None:
        if value.get("zone") == "bad":
            line, col = value.pos["zone"]
            ctx.diags.error(ctx.path, line, col, "bad zone")

    schema = Record("r", {"zone": Field(Str()), "n": Field(Int())}, check=check)
    value, diags = run(schema, "zone: bad\nn: x\n")
    assert value is INVALID
    assert diags == ["f.yaml:1:7: error: bad zone",
                     "f.yaml:2:4: error: 'n' must be a whole number, got 'x'"]


def test_record_whose_check_fails_is_invalid() -> None:
    def check(value: LDict, node: object, ctx: Ctx) -> None:
        ctx.diags.error(ctx.path, 1, 1, "always wrong")

    assert run(Record("r", {"a": Field(Str())}, check=check), "a: x\n") == (
        INVALID, ["f.yaml:1:1: error: always wrong"])


def test_record_given_a_list_is_an_error() -> None:
    assert run(Record("front matter", {}), "- a\n- b\n") == (
        INVALID, ["f.yaml:1:1: error: front matter must be a mapping of keys to values, "
                  "got a list"])


def test_dict_field_checks_its_keys_against_the_pattern() -> None:
    schema = DictOf("ids.yaml", Str(), r"[a-z]+", "lowercase letters")
    value, diags = run(schema, "good: A\nBad: B\n")
    assert value is INVALID
    assert diags == ["f.yaml:2:1: error: 'Bad' in ids.yaml must be lowercase letters"]


def test_non_text_keys_are_errors() -> None:
    value, diags = run(Record("r", {"a": Field(Str())}), "? [a, b]\n: x\n")
    assert value is INVALID
    assert diags == ["f.yaml:1:3: error: keys in r must be plain text"]


# --- unsafe YAML ---------------------------------------------------------------------------------

@pytest.mark.parametrize("field_type", [Str(), ListOf(Str()), Record("inner", {})])
def test_python_tags_are_errors_and_never_run(field_type: Type, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system ['touch {marker}']"
    value, diags = one(field_type, text)
    assert value is INVALID
    assert diags == ["f.yaml:1:4: error: 'k': YAML tag "
                     "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    assert not marker.exists()


def test_python_tag_on_a_mapping_is_an_error() -> None:
    value, diags = one(DictOf("d", Str()), "!!python/object:os.Foo {a: b}")
    assert value is INVALID
    assert diags == ["f.yaml:1:4: error: k: YAML tag 'tag:yaml.org,2002:python/object:os.Foo' "
                     "is not allowed"]


def test_custom_scalar_tag_is_an_error() -> None:
    assert one(Str(), "!secret value") == (
        INVALID, ["f.yaml:1:4: error: 'k': YAML tag '!secret' is not allowed"])


def test_explicit_str_tag_is_fine() -> None:
    assert one(Str(), "!!str 0777") == ("0777", [])


def test_alias_bomb_in_nested_fields_stops_at_the_node_budget() -> None:
    # 200 sources, each an alias of one source whose author list has 200 names: expanding it
    # would touch 40,000+ nodes; the schema stops at its budget with one error.
    names = ", ".join(["n"] * 200)
    items = ", ".join(["*s"] * 200)
    inner = Record("source", {"id": Field(Str()), "authors": Field(ListOf(Str()))})
    schema = Record("r", {"sources": Field(ListOf(inner))})
    text = f"sources: [&s {{id: a, authors: [{names}]}}, {items}]\n"
    value, diags = run(schema, text)
    assert value is INVALID
    assert MAX_NODES < 200 * 200
    assert len(diags) == 1
    assert diags[0].endswith(" error: YAML is too deeply nested or aliased; refusing to expand it")


def test_billion_laughs_is_an_error_without_expansion() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = "\n".join(lines) + "\ntags: *a9\n"
    schema = Record("r", {f"a{i}": Field(ListOf(Str())) for i in range(10)}
                    | {"tags": Field(ListOf(Str()))})
    value, diags = run(schema, text)
    assert value is INVALID
    # 9**10 strings are never built: a nested list where text belongs is an error at once
    # (reported where the aliased list is defined, once per key that uses it).
    assert diags[0] == "f.yaml:1:5: error: 'a1' must be text, got a list"
    assert len(diags) == 10  # a1..a9 and tags


# --- yamlnodes -----------------------------------------------------------------------------------

def test_compose_refuses_text_over_the_size_cap() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        compose("a: " + "x" * MAX_YAML_BYTES)
    assert caught.value.message == "YAML block is larger than 256 KiB; refusing to parse it"
    assert (caught.value.line, caught.value.col) == (0, 0)


def test_compose_reports_malformed_yaml_with_zero_based_position() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        compose("a: 1\nb: [1, 2\nc: 3\n")
    assert caught.value.message == ("malformed YAML: the list opened with '[' here is never "
                                    "closed (did not find expected ',' or ']')")
    assert (caught.value.line, caught.value.col) == (1, 3)


def test_an_unclosed_flow_mapping_is_reported_at_its_brace() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        compose("a: 1\nb: {x: 1\nc: 3\n")
    assert caught.value.message.startswith("malformed YAML: the mapping opened with '{' here "
                                           "is never closed")
    assert (caught.value.line, caught.value.col) == (1, 3)


def test_other_yaml_errors_are_reported_where_the_parser_stopped() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        compose("a: 1\n  b: 2\n")
    assert caught.value.message == ("malformed YAML: mapping values are not allowed in this "
                                    "context")
    assert (caught.value.line, caught.value.col) == (1, 3)


def test_compose_builds_nodes_not_objects_for_python_tags(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    node = compose(f"!!python/object/apply:os.system ['touch {marker}']\n")
    assert node is not None
    assert node.tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert not marker.exists()


def test_did_you_mean_suggests_the_closest_choice_or_nothing() -> None:
    assert did_you_mean("titel", ["title", "date"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["title", "date"]) == ""


def test_url_break_is_whitespace_and_c0_controls() -> None:
    """The regex the URL check searches with stops at the characters the check is about."""
    assert [c for c in map(chr, range(0x110000))
            if (_URL_BREAK.search(c) is not None) != (c.isspace() or ord(c) < 32)] == []
