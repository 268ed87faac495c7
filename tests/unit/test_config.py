"""briefgen.yaml: every key declared and validated, every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import DEFAULT_PERMALINKS, SCHEMA, Config, load_config, options
from briefgen.diagnostics import Diagnostics

MINIMAL = "title: Test Desk\nbase_url: https://example.org/\n"


def load(tmp_path: Path, text: str | bytes,
         base_url: str | None = None) -> tuple[Config | None, list[str]]:
    raw = text.encode() if isinstance(text, str) else text
    (tmp_path / "briefgen.yaml").write_bytes(raw)
    diags = Diagnostics()
    config = load_config(tmp_path, diags, base_url)
    return config, [d.format() for d in diags]


def errors(tmp_path: Path, text: str) -> list[str]:
    config, diags = load(tmp_path, text)
    assert config is None
    return diags


def test_minimal_config_gets_every_default(tmp_path: Path) -> None:
    config, diags = load(tmp_path, MINIMAL)
    assert diags == []
    assert config == Config(root=tmp_path, title="Test Desk", base_url="https://example.org/")
    assert (config.language, config.timezone, config.theme, config.output) == (
        "en", "UTC", "default", "site")
    assert (config.pagination, config.feed_items, config.feed_full_content, config.raw_html) == (
        10, 20, True, True)
    assert config.permalinks == DEFAULT_PERMALINKS


def test_every_key_is_read(tmp_path: Path) -> None:
    config, diags = load(tmp_path, """\
title: NO
description: on
base_url: https://example.org/brief
language: de-AT
timezone: Asia/Tbilisi
theme: plain
output: public
permalinks:
  briefing: /{year}/{slug}/
pagination: 5
feeds:
  items: 50
  full_content: false
author:
  name: Desk
  email: desk@example.org
  url: https://example.org/desk
copyright: 0777
social:
  mastodon: https://social.example/@desk
  mail: mailto:desk@example.org
markdown:
  raw_html: false
""")
    assert diags == []
    assert config is not None
    assert (config.title, config.description, config.copyright) == ("NO", "on", "0777")
    assert config.base_url == "https://example.org/brief/"
    assert (config.language, config.timezone, config.theme, config.output) == (
        "de-AT", "Asia/Tbilisi", "plain", "public")
    assert config.permalinks["briefing"] == "/{year}/{slug}/"
    assert config.permalinks["tag"] == DEFAULT_PERMALINKS["tag"]
    assert (config.pagination, config.feed_items, config.feed_full_content) == (5, 50, False)
    assert config.author == {"name": "Desk", "email": "desk@example.org",
                             "url": "https://example.org/desk"}
    assert config.social == {"mastodon": "https://social.example/@desk",
                             "mail": "mailto:desk@example.org"}
    assert config.raw_html is False
    assert str(config.tz) == "Asia/Tbilisi"


def test_base_url_option_overrides_the_config_and_gains_a_slash(tmp_path: Path) -> None:
    config, diags = load(tmp_path, MINIMAL, base_url="https://preview.example/pr-7")
    assert diags == []
    assert config is not None and config.base_url == "https://preview.example/pr-7/"


def test_unknown_key_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    assert errors(tmp_path, "titel: T\nbase_url: https://example.org/\n") == [
        "briefgen.yaml:1:1: error: missing required key 'title' in briefgen.yaml",
        "briefgen.yaml:1:1: error: unknown key 'titel' in briefgen.yaml (did you mean 'title'?)",
    ]


def test_missing_required_keys_are_reported(tmp_path: Path) -> None:
    assert errors(tmp_path, "description: d\n") == [
        "briefgen.yaml:1:1: error: missing required key 'base_url' in briefgen.yaml",
        "briefgen.yaml:1:1: error: missing required key 'title' in briefgen.yaml",
    ]


@pytest.mark.parametrize(("line", "message"), [
    ("title: [a]", "1:8: error: 'title' must be text, got a list"),
    ("description: {a: b}", "1:14: error: 'description' must be text, got a mapping"),
    ("language: English", "1:11: error: 'language' must be a language code like 'en', "
                          "got 'English'"),
    ("timezone: [UTC]", "1:11: error: 'timezone' must be text, got a list"),
    ("theme: My Theme", "1:8: error: 'theme' must be a theme folder name, got 'My Theme'"),
    ("permalinks: /x/", "1:13: error: 'permalinks' must be a mapping of keys to values, "
                        "got '/x/'"),
    ("pagination: ten", "1:13: error: 'pagination' must be a whole number, got 'ten'"),
    ("pagination: 0", "1:13: error: 'pagination' must be at least 1, got 0"),
    ("pagination: 1001", "1:13: error: 'pagination' must be at most 1000, got 1001"),
    ("feeds: 20", "1:8: error: 'feeds' must be a mapping of keys to values, got '20'"),
    ("feeds: {items: -1}", "1:16: error: 'items' must be at least 1, got -1"),
    ("feeds: {full_content: yes}", "1:23: error: 'full_content' must be true or false, "
                                   "got 'yes'"),
    ("author: {email: x@y}", "1:9: error: missing required key 'name' in author"),
    ("author: {name: A, email: nope}", "1:26: error: 'email' must be an e-mail address, "
                                       "got 'nope'"),
    ("author: {name: A, url: /me}", "1:24: error: 'url' must be an absolute URL (http, https), "
                                    "got '/me'"),
    ("copyright: [c]", "1:12: error: 'copyright' must be text, got a list"),
    ("social: [a]", "1:9: error: social must be a mapping, got a list"),
    ("social: {x: 'javascript:alert(1)'}", "1:13: error: 'x' must use http, https, mailto; "
                                           "scheme 'javascript:' is not allowed"),
    ("markdown: {raw_html: off}", "1:22: error: 'raw_html' must be true or false, got 'off'"),
    ("markdown: {html: false}", "1:12: error: unknown key 'html' in markdown "
                                "(did you mean 'raw_html'?)"),
])
def test_each_key_with_a_wrong_value_is_an_error_at_its_position(
        tmp_path: Path, line: str, message: str) -> None:
    key = line.split(":")[0]
    rest = "".join(f"{kept}\n" for kept in MINIMAL.splitlines() if not kept.startswith(key))
    assert errors(tmp_path, line + "\n" + rest) == [f"briefgen.yaml:{message}"]


@pytest.mark.parametrize("url", ["ftp://example.org/", "javascript:alert(1)", "/brief/",
                                 "https:///x"])
def test_base_url_must_be_an_absolute_web_url(tmp_path: Path, url: str) -> None:
    diags = errors(tmp_path, f"title: T\nbase_url: '{url}'\n")
    assert len(diags) == 1
    assert diags[0].startswith("briefgen.yaml:2:11: error: 'base_url' ")


def test_bad_timezone_is_an_error_with_its_line(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL + "timezone: Mars/Olympus\n") == [
        "briefgen.yaml:3:11: error: unknown timezone 'Mars/Olympus' "
        "(use an IANA name like 'Europe/Berlin')"]


@pytest.mark.parametrize(("pattern", "message"), [
    ("/b/{yaer}/{slug}/", "permalink 'briefing' uses unknown placeholder {yaer}; "
                          "allowed: {category}, {day}, {month}, {slug}, {year}"),
    ("/b/{slug.__class__}/", "permalink 'briefing' uses unknown placeholder {slug.__class__}; "
                             "allowed: {category}, {day}, {month}, {slug}, {year}"),
    ("b/{slug}/", "permalink 'briefing' must start and end with '/', got 'b/{slug}/'"),
    ("/b/{year}/", "permalink 'briefing' must contain {slug}"),
    ("/b/{slug}}/", "permalink 'briefing' has an unmatched '{' or '}': '/b/{slug}}/'"),
    ("/b/{slug}/{/", "permalink 'briefing' has an unmatched '{' or '}': '/b/{slug}/{/'"),
])
def test_bad_permalink_pattern_is_an_error(tmp_path: Path, pattern: str, message: str) -> None:
    assert errors(tmp_path, MINIMAL + f"permalinks:\n  briefing: '{pattern}'\n") == [
        f"briefgen.yaml:4:13: error: {message}"]


def test_permalink_for_an_id_kind_needs_the_id(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL + "permalinks:\n  tag: /tags/all/\n") == [
        "briefgen.yaml:4:8: error: permalink 'tag' must contain {id}"]


def test_all_problems_are_reported_in_one_pass_with_their_lines(tmp_path: Path) -> None:
    assert errors(tmp_path, """\
titel: Test Desk
base_url: ftp://example.org/
timezone: Mars/Olympus
permalinks:
  briefing: /b/{yaer}/{slug}/
  post: /p/{slug}/
pagination: 0
feeds:
  full_content: yes
language: English
""") == [
        "briefgen.yaml:1:1: error: missing required key 'title' in briefgen.yaml",
        "briefgen.yaml:1:1: error: unknown key 'titel' in briefgen.yaml (did you mean 'title'?)",
        "briefgen.yaml:2:11: error: 'base_url' must use http, https; scheme 'ftp:' is not allowed",
        "briefgen.yaml:3:11: error: unknown timezone 'Mars/Olympus' "
        "(use an IANA name like 'Europe/Berlin')",
        "briefgen.yaml:5:13: error: permalink 'briefing' uses unknown placeholder {yaer}; "
        "allowed: {category}, {day}, {month}, {slug}, {year}",
        "briefgen.yaml:6:3: error: unknown key 'post' in permalinks",
        "briefgen.yaml:7:13: error: 'pagination' must be at least 1, got 0",
        "briefgen.yaml:9:17: error: 'full_content' must be true or false, got 'yes'",
        "briefgen.yaml:10:11: error: 'language' must be a language code like 'en', "
        "got 'English'",
    ]


def test_duplicate_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL + "pagination: 5\ntitle: Again\n")[-1] == (
        "briefgen.yaml:4:1: error: duplicate key 'title' in briefgen.yaml "
        "(first at line 1, again at line 4)")


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert load_config(tmp_path, diags) is None
    assert [d.format() for d in diags] == [
        f"briefgen.yaml: error: no briefgen.yaml in {tmp_path} "
        "(create a site with 'briefgen init')"]


def test_empty_config_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path, "# nothing yet\n") == [
        "briefgen.yaml:1:1: error: briefgen.yaml is empty; it needs at least title and base_url"]


def test_config_that_is_a_list_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path, "- title\n- base_url\n") == [
        "briefgen.yaml:1:1: error: briefgen.yaml must be a mapping of keys to values, got a list"]


def test_malformed_config_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    # The parser's wording differs between libyaml and pure PyYAML; the position does not.
    diags = errors(tmp_path, "title: [Test\nbase_url: https://example.org/\n")
    assert len(diags) == 1
    assert diags[0].startswith("briefgen.yaml:1:8: error: malformed YAML: the list opened with "
                               "'[' here is never closed")


def test_malformed_value_is_reported_at_its_column(tmp_path: Path) -> None:
    diags = errors(tmp_path, "output: 12:30:00x: y\n" + MINIMAL)
    assert len(diags) == 1
    assert diags[0].startswith("briefgen.yaml:1:18: error: malformed YAML: mapping values ")


def test_python_tag_in_config_is_an_error_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n" + MINIMAL[16:]
    assert errors(tmp_path, text) == [
        "briefgen.yaml:1:8: error: 'title': YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    assert not marker.exists()


def test_config_with_crlf_and_bom_keeps_line_numbers(tmp_path: Path) -> None:
    config, diags = load(tmp_path, "\ufeff" + MINIMAL.replace("\n", "\r\n")
                         + "pagination: x\r\n")
    assert config is None
    assert diags == ["briefgen.yaml:3:13: error: 'pagination' must be a whole number, got 'x'"]


# -- one declaration per key ---------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs/configuration.md"


def _documented_default(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return "empty"
    return f"`{value}`"


def test_each_key_is_declared_once_with_its_type_default_and_doc() -> None:
    declared = options()
    assert "feeds.items" in declared and "relative_urls" in declared
    for key, (name, spec, default) in declared.items():
        assert spec.doc, key
        section, _dot, inner = key.rpartition(".")
        found = SCHEMA.fields[section].type.fields[inner] if section else SCHEMA.fields[key]
        assert found.doc == spec.doc and found.type is spec.type, key
        if not spec.required and key != "languages":
            assert getattr(Config(root=Path("."), title="T", base_url="https://e.org/"),
                           name) == default, key


def test_the_documentation_has_a_row_with_the_default_of_every_key() -> None:
    rows = {line.split("|")[1].strip().strip("`"): line.split("|")[3].strip()
            for line in DOCS.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")}
    for key, (_name, spec, default) in options().items():
        row = rows.get(key)
        if row is None:  # a mapping documented key by key: author.name, author.email
            assert any(k.startswith(key + ".") for k in rows), f"{key} is not in {DOCS.name}"
            continue
        if spec.required or isinstance(default, (dict, list)):
            continue
        assert _documented_default(default) in row, (key, row)

