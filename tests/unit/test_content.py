"""Parsing briefings, pages and sources: front matter validated field by field, with positions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefgen.config import Config
from briefgen.content import ParseContext, parse_briefing, parse_page, parse_source
from briefgen.markdown import create_markdown
from briefgen.models import Briefing, Page, Source
from briefgen.yamlnodes import MAX_YAML_BYTES

PATH = "content/briefings/2026/02/truce.md"
BERLIN = ZoneInfo("Europe/Berlin")
PLUS4 = timezone(timedelta(hours=4))
NO_FRONT_MATTER = (f"{PATH}:1:1: error: a briefing must start with front matter: a line '---', "
                   "YAML such as 'title: ...', and another '---'")


def context() -> ParseContext:
    config = Config(root=Path("."), title="T", base_url="https://example.org/",
                    timezone="Europe/Berlin")
    return ParseContext(config, create_markdown())


def briefing(text: str | bytes, path: str = PATH) -> tuple[Briefing | None, list[str]]:
    raw = text.encode() if isinstance(text, str) else text
    result, diags = parse_briefing(path, raw, context())
    return result, [d.format() for d in diags]


def fm(*lines: str, body: str = "Body.\n") -> str:
    """A briefing with title and date, plus the given front matter lines (from file line 4)."""
    return "\n".join(["---", "title: A title", "date: 2026-02-04", *lines, "---", body])


def ok(text: str | bytes, path: str = PATH) -> Briefing:
    result, diags = briefing(text, path)
    assert diags == []
    assert result is not None
    return result


def errors(text: str | bytes, path: str = PATH) -> list[str]:
    result, diags = briefing(text, path)
    assert result is None
    return diags


# --- values -------------------------------------------------------------------------------------

def test_minimal_briefing_is_parsed_with_defaults() -> None:
    b = ok(fm(body="First paragraph of the briefing.\n\nSecond.\n"))
    assert b.title == "A title"
    assert b.slug == "truce"
    assert b.date == datetime(2026, 2, 4, tzinfo=BERLIN)
    assert b.summary == "First paragraph of the briefing."
    assert b.lang == "en"
    assert b.draft is False
    assert b.tags == []
    assert b.body_html == "<p>First paragraph of the briefing.</p>\n<p>Second.</p>\n"


def test_yaml11_words_in_string_fields_stay_strings() -> None:
    b = ok("---\ntitle: NO\ndate: 2026-02-04\nkicker: on\nsummary: 0777\ncategory: yes\n---\n")
    assert (b.title, b.kicker, b.summary) == ("NO", "on", "0777")
    assert b.category_ref == ("yes", (6, 11))


def test_draft_given_yes_is_an_error_naming_the_line() -> None:
    assert errors(fm("draft: yes")) == [
        f"{PATH}:4:8: error: 'draft' must be true or false, got 'yes'"]


def test_draft_true_is_read() -> None:
    assert ok(fm("draft: true")).draft is True


def test_duplicate_key_is_reported_with_both_lines() -> None:
    assert errors(fm("summary: x", "title: Again")) == [
        f"{PATH}:5:1: error: duplicate key 'title' in briefing front matter "
        "(first at line 2, again at line 5)"]


def test_python_object_tag_is_an_error_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = fm(f"summary: !!python/object/apply:os.system ['touch {marker}']")
    assert errors(text) == [
        f"{PATH}:4:10: error: 'summary': YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    assert not marker.exists()


def test_python_tag_on_a_list_field_is_an_error(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    assert errors(fm(f"tags: !!python/object/apply:os.system ['touch {marker}']")) == [
        f"{PATH}:4:7: error: 'tags': YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    assert not marker.exists()


def test_alias_bomb_in_sources_is_a_bounded_error() -> None:
    names = ", ".join(["n"] * 300)
    items = ", ".join(["*s"] * 300)
    text = fm(f"sources: [&s {{id: a, title: t, outlet: o, url: 'https://e.org/', "
              f"authors: [{names}]}}, {items}]")
    diags = errors(text)
    assert len(diags) == 1
    assert diags[0].startswith(f"{PATH}:4:")
    assert diags[0].endswith(" error: YAML is too deeply nested or aliased; refusing to expand it")


def test_oversized_front_matter_is_an_error() -> None:
    assert errors(fm("summary: " + "x" * MAX_YAML_BYTES)) == [
        f"{PATH}:2:1: error: YAML block is larger than 256 KiB; refusing to parse it"]


def test_malformed_yaml_is_reported_at_the_file_line() -> None:
    diags = errors(fm("tags: [a, b", "summary: x"))
    assert len(diags) == 1
    assert diags[0].startswith(f"{PATH}:4:7: error: malformed YAML: the list opened with "
                               "'[' here is never closed")


def test_crlf_bom_and_blank_lines_keep_the_line_of_a_bad_date() -> None:
    raw = "\ufeff---  \r\ntitle: A\r\n\r\ndate: yesterday\r\n---\r\nBody\r\n".encode()
    assert errors(raw) == [
        f"{PATH}:4:7: error: 'date' must be a date like 2026-02-04 or "
        "2026-02-04T18:25:00+04:00, got 'yesterday'"]


def test_lone_cr_line_ends_keep_the_line_of_a_bad_date() -> None:
    assert errors(b"---\rtitle: A\rsummary: s\rdate: yesterday\r---\rBody") == [
        f"{PATH}:4:7: error: 'date' must be a date like 2026-02-04 or "
        "2026-02-04T18:25:00+04:00, got 'yesterday'"]


def test_impossible_date_is_an_error() -> None:
    assert errors("---\ntitle: A\ndate: 2026-02-30\n---\n") == [
        f"{PATH}:3:7: error: 'date' must be a date like 2026-02-04 or "
        "2026-02-04T18:25:00+04:00, got '2026-02-30'"]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-02-04", datetime(2026, 2, 4, tzinfo=BERLIN)),
    ("2026-02-04T18:25:00", datetime(2026, 2, 4, 18, 25, tzinfo=BERLIN)),
    ("2026-02-04 18:25", datetime(2026, 2, 4, 18, 25, tzinfo=BERLIN)),
    ("2026-02-04T18:25:00Z", datetime(2026, 2, 4, 18, 25, tzinfo=UTC)),
    ("2026-02-04T18:25:00+04:00", datetime(2026, 2, 4, 18, 25, tzinfo=PLUS4)),
    ("2026-02-04T18:25:00+0400", datetime(2026, 2, 4, 18, 25, tzinfo=PLUS4)),
])
def test_dates_take_their_own_offset_or_the_site_timezone(text: str, expected: datetime) -> None:
    b = ok(f"---\ntitle: A\ndate: {text}\n---\n")
    assert b.date == expected
    assert b.date.utcoffset() == expected.utcoffset()


def test_bare_date_in_summer_gets_the_summer_offset() -> None:
    assert ok("---\ntitle: A\ndate: 2026-07-01\n---\n").date.utcoffset() == timedelta(hours=2)


def test_file_starting_with_pem_armour_is_a_briefing_without_front_matter() -> None:
    assert errors("-----BEGIN PGP SIGNED MESSAGE-----\ntitle: A\n") == [NO_FRONT_MATTER]


def test_file_starting_with_topic_line_is_a_briefing_without_front_matter() -> None:
    assert errors("Topic: x\n\nBody.\n") == [NO_FRONT_MATTER]


def test_front_matter_that_is_a_list_is_an_error() -> None:
    assert errors("---\n- title\n- date\n---\n") == [
        f"{PATH}:2:1: error: briefing front matter must be a mapping of keys to values, "
        "got a list"]


def test_unclosed_front_matter_is_an_error() -> None:
    assert errors("---\ntitle: A\ndate: 2026-02-04\n\nBody.\n") == [
        f"{PATH}:1:1: error: front matter opened with '---' is never closed "
        "(add a line '---' after it)"]


def test_empty_front_matter_is_an_error() -> None:
    assert errors("---\n---\nBody.\n") == [f"{PATH}:1:1: error: briefing front matter is empty"]


def test_missing_title_and_date_are_both_reported() -> None:
    assert errors("---\nsummary: s\n---\n") == [
        f"{PATH}:2:1: error: missing required key 'date' in briefing front matter",
        f"{PATH}:2:1: error: missing required key 'title' in briefing front matter",
    ]


def test_invalid_utf8_is_an_error_with_line_and_column() -> None:
    assert errors(b"---\ntitle: Caf\xe9\ndate: 2026-02-04\n---\n") == [
        f"{PATH}:2:11: error: file is not valid UTF-8 (byte 0xe9)"]


def test_control_character_is_removed_with_a_warning_and_the_briefing_parses() -> None:
    result, diags = briefing("---\ntitle: A\x0bB\ndate: 2026-02-04\n---\nBody\x07.\n")
    assert diags == [f"{PATH}:2:9: warning: control character U+000B removed",
                     f"{PATH}:5:5: warning: control character U+0007 removed"]
    assert result is not None
    assert result.title == "AB"
    assert result.body_html == "<p>Body.</p>\n"


def test_unknown_key_is_reported_with_a_suggestion() -> None:
    assert errors(fm("sumary: s")) == [
        f"{PATH}:4:1: error: unknown key 'sumary' in briefing front matter "
        "(did you mean 'summary'?)"]


# --- slugs --------------------------------------------------------------------------------------

def test_slug_with_path_segments_is_an_error_suggesting_a_slug() -> None:
    assert errors(fm("slug: ../../x")) == [
        f"{PATH}:4:7: error: 'slug' must be lowercase words joined by hyphens like 'x', "
        "got '../../x'"]


def test_slug_with_capitals_suggests_its_lowercase_form() -> None:
    assert errors(fm("slug: Big News")) == [
        f"{PATH}:4:7: error: 'slug' must be lowercase words joined by hyphens like "
        "'big-news', got 'Big News'"]


def test_slug_from_front_matter_wins_over_the_file_name() -> None:
    assert ok(fm("slug: energy-truce")).slug == "energy-truce"


def test_slug_from_file_name_is_normalised() -> None:
    assert ok(fm(), "content/briefings/Energy Truce Ends.md").slug == "energy-truce-ends"


def test_file_name_without_letters_needs_a_slug() -> None:
    assert errors(fm(), "content/briefings/!!!.md") == [
        "content/briefings/!!!.md:1:1: error: cannot make a URL slug from the file name "
        "'!!!'; add 'slug:' to the front matter"]


# --- URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://example.org/a.png", "http://example.org/a.png",
                                 "/images/a.png", "images/a.png"])
def test_image_accepts_web_and_relative_urls(url: str) -> None:
    assert ok(fm(f"image: '{url}'")).image == url


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"), ("JaVaScRiPt:alert(1)", "javascript"),
    ("data:image/svg+xml;base64,PHN2Zz4=", "data"), ("file:///etc/passwd", "file"),
    ("vbscript:msgbox(1)", "vbscript"), ("mailto:desk@example.org", "mailto"),
])
def test_image_rejects_script_and_other_schemes(url: str, scheme: str) -> None:
    assert errors(fm(f"image: '{url}'")) == [
        f"{PATH}:4:8: error: 'image' must use http, https or a relative path; "
        f"scheme '{scheme}:' is not allowed"]


def inline_source(url: str) -> str:
    return fm("sources:", "  - id: s1", "    title: T", "    outlet: O", f"    url: '{url}'")


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"), ("JaVaScRiPt:alert(1)", "javascript"),
    ("data:text/html,x", "data"), ("file:///etc/passwd", "file"), ("vbscript:x", "vbscript"),
    ("mailto:a@example.org", "mailto"),
])
def test_source_url_accepts_only_http_and_https(url: str, scheme: str) -> None:
    assert errors(inline_source(url)) == [
        f"{PATH}:8:10: error: 'url' must use http, https; scheme '{scheme}:' is not allowed"]


def test_source_url_must_be_absolute() -> None:
    assert errors(inline_source("/relative")) == [
        f"{PATH}:8:10: error: 'url' must be an absolute URL (http, https), got '/relative'"]


# --- tags, sources, guid ------------------------------------------------------------------------

def test_tags_become_slugs_keeping_the_first_display_name_without_duplicates() -> None:
    b = ok(fm("tags: [Air Defence, air-defence, 'AIR  defence', Énergie, Украина]"))
    assert b.tags == [("air-defence", "Air Defence"), ("énergie", "Énergie"),
                      ("ukraina", "Украина")]


def test_tag_without_letters_is_an_error_at_its_position() -> None:
    assert errors(fm("tags: [ok, '!!!']")) == [
        f"{PATH}:4:12: error: tag '!!!' has no letters or digits"]


def test_inline_source_without_id_is_an_error() -> None:
    text = fm("sources:", "  - title: T", "    outlet: O", "    url: https://example.org/")
    assert errors(text) == [f"{PATH}:5:5: error: missing required key 'id' in inline source"]


def test_sources_keep_library_ids_and_inline_sources_in_order() -> None:
    b = ok(fm("sources:", "  - lib-one", "  - id: inline-two", "    title: T", "    outlet: O",
              "    url: https://example.org/x", "    published: 2026-02-03"))
    (first, first_pos), (second, second_pos) = b.source_refs
    assert (first, first_pos) == ("lib-one", (5, 5))
    assert isinstance(second, Source)
    assert (second.id, second.title, second.outlet, second.url) == (
        "inline-two", "T", "O", "https://example.org/x")
    assert second.inline is True
    assert second.published == datetime(2026, 2, 3, tzinfo=BERLIN)
    assert second_pos == (6, 5)


def test_bad_source_id_is_an_error() -> None:
    assert errors(fm("sources: [Not An Id]")) == [
        f"{PATH}:4:11: error: 'sources' must be a source id (lowercase letters, digits, '.', "
        "'_' and '-'), got 'Not An Id'"]


def test_guid_comes_from_the_id_field_lowercased() -> None:
    b = ok(fm("id: 3F1C2A9E-6B7D-4C1E-9A55-0D2F4E8B7C61"))
    assert b.guid == "urn:uuid:3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"


def test_guid_ignores_title_and_slug_changes() -> None:
    one = ok(fm("id: 3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"))
    other = ok(fm("id: 3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61", "slug: renamed").replace(
        "A title", "Another title"))
    assert one.guid == other.guid


def test_derived_guid_is_stable_for_a_path_and_differs_between_paths() -> None:
    first = ok(fm(), "content/briefings/a.md").guid
    again = ok(fm("summary: changed").replace("A title", "New title"),
               "content/briefings/a.md").guid
    other = ok(fm(), "content/briefings/b.md").guid
    assert first.startswith("urn:uuid:")
    assert first == again
    assert first != other


def test_malformed_id_is_an_error() -> None:
    assert errors(fm("id: not-a-uuid")) == [
        f"{PATH}:4:5: error: 'id' must be a UUID like 3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61, "
        "got 'not-a-uuid'"]


# --- pages and library sources ------------------------------------------------------------------

def test_page_is_parsed_with_its_menu_position() -> None:
    page, diags = parse_page("content/pages/about.md",
                             b"---\ntitle: About\nmenu: 2\n---\nWho we are.\n", context())
    assert list(diags) == []
    assert isinstance(page, Page)
    assert (page.title, page.slug, page.menu, page.summary) == ("About", "about", 2,
                                                                 "Who we are.")


def test_page_rejects_briefing_only_keys() -> None:
    page, diags = parse_page("content/pages/about.md",
                             b"---\ntitle: About\ndate: 2026-02-04\n---\n", context())
    assert page is None
    assert [d.format() for d in diags] == [
        "content/pages/about.md:3:1: error: unknown key 'date' in page front matter "
        "(did you mean 'draft'?)"]


def test_library_source_takes_its_id_from_the_file_name_and_keeps_its_text() -> None:
    raw = (b"---\ntitle: Deal signed\noutlet: Example News\nurl: https://example.org/a\n"
           b"author: A. Writer\nauthors: [B. Writer]\n---\n\nClipped text.\n")
    source, diags = parse_source("content/sources/example-2026.md", raw, context())
    assert list(diags) == []
    assert isinstance(source, Source)
    assert (source.id, source.title, source.outlet, source.url) == (
        "example-2026", "Deal signed", "Example News", "https://example.org/a")
    assert source.authors == ["A. Writer", "B. Writer"]
    assert source.text == "Clipped text."
    assert source.inline is False


def test_library_source_with_a_bad_file_name_is_an_error() -> None:
    raw = b"---\ntitle: T\noutlet: O\nurl: https://example.org/\n---\n"
    source, diags = parse_source("content/sources/Bad Name.md", raw, context())
    assert source is None
    assert [d.format() for d in diags] == [
        "content/sources/Bad Name.md:1:1: error: source file name 'Bad Name' is not a valid id: "
        "use lowercase letters, digits, '.', '_' and '-'"]
