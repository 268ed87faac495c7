"""The text part's body: Markdown tokens as 72-column text with numbered references."""

from __future__ import annotations

from briefgen.email.plaintext import WIDTH, text_body, wrap
from briefgen.markdown import create_markdown

PAGE = "https://example.org/briefings/2026/03/x/"


def body(markdown: str, numbers: dict[str, int] | None = None) -> tuple[str, list[str], int]:
    found = text_body(create_markdown(), markdown, PAGE, numbers or {})
    return "\n".join(found.lines), found.links, found.first


def test_links_are_numbered_after_the_sources_each_target_once() -> None:
    text, links, first = body(
        "See [the plan](/plan/), [the map](https://maps.example.com/m) and [the plan "
        "again](/plan/) [@wire].", {"wire": 1, "other": 2})
    assert first == 3
    assert links == ["https://example.org/plan/", "https://maps.example.com/m"]
    assert text == ("See the plan [3], the map [4] and the plan again [3] [1].")


def test_an_autolink_shows_its_address_and_takes_no_number() -> None:
    text, links, _first = body("Write to <mailto:desk@example.org> or <https://example.org/>.")
    assert text == "Write to mailto:desk@example.org or https://example.org/."
    assert links == []


def test_citations_keep_their_source_numbers_and_locators() -> None:
    text, _links, _first = body("Two claims [@a; @b, p. 4] and one [@b].", {"a": 1, "b": 2})
    assert text == "Two claims [1; 2, p. 4] and one [2]."


def test_blocks_keep_their_shape_within_the_margin() -> None:
    markdown = (
        "## What changed\n\n"
        "- an item long enough to need a second line when it is wrapped at seventy-two\n"
        "- a short one\n\n"
        "1. first\n2. second\n\n"
        "> A quotation that is also long enough to wrap onto a second line of the text.\n\n"
        "```\ncode stays as it is\n```\n")
    text, _links, _first = body(markdown)
    assert text == (
        "What changed\n"
        "------------\n\n"
        "- an item long enough to need a second line when it is wrapped at\n"
        "  seventy-two\n"
        "- a short one\n\n"
        "1. first\n"
        "2. second\n\n"
        "> A quotation that is also long enough to wrap onto a second line of the\n"
        "> text.\n\n"
        "    code stays as it is")
    assert all(len(line) <= WIDTH for line in text.splitlines())


def test_emphasis_code_and_images_read_as_text() -> None:
    text, links, _first = body("**Bold**, *soft*, `x = 1` and ![the map](/map.png).")
    assert text == "*Bold*, _soft_, `x = 1` and [the map] [1]."
    assert links == ["https://example.org/map.png"]


def test_raw_html_gives_its_text_without_scripts() -> None:
    text, _links, _first = body('<div class="note"><p>Kept</p><script>dropped()</script></div>')
    assert text == "Kept"


def test_a_word_longer_than_the_line_stands_alone_unbroken() -> None:
    url = "https://example.org/" + "a" * 80
    assert wrap(f"see {url} now") == ["see", url, "now"]
