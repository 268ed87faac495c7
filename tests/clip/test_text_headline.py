"""Finding the headline in a plain-text copy: next to the date line, with --title helping and
never hurting."""

from __future__ import annotations

from briefgen.clip.extract_text import extract_text
from tests.clip.conftest import FIXTURES

COLUMN = (FIXTURES / "en-column-copy.txt").read_text("utf-8")
HEADLINE = "Our libraries are not waiting rooms for the internet age"


def test_headline_is_the_line_above_the_date_not_the_search_prompt_or_reuse_line() -> None:
    article = extract_text(COLUMN)
    assert article.title == HEADLINE
    assert article.paragraphs[0].startswith("Every winter the council")


def test_title_unlike_every_line_leaves_the_extraction_as_it_was() -> None:
    without = extract_text(COLUMN)
    given = extract_text(COLUMN, title="Budget passed after a long night")
    assert given.paragraphs == without.paragraphs
    assert given.title == HEADLINE


def test_title_close_to_the_headline_line_starts_the_body_after_it() -> None:
    article = extract_text(COLUMN, title="Our libraries: not waiting rooms for the internet age")
    assert article.title == HEADLINE
    assert article.paragraphs == extract_text(COLUMN).paragraphs


def test_headline_after_the_date_line_is_found() -> None:
    text = ("Menu\nOpinion\n4 February 2026, 18:25\nWhy the night ferry must stay\n\n"
            "The night ferry is the only way home for hundreds of shift workers on the island, "
            "and the council wants to stop it in March.\n")
    article = extract_text(text)
    assert article.title == "Why the night ferry must stay"
    assert article.published == "2026-02-04T18:25:00"
    assert article.paragraphs[0].startswith("The night ferry is")
