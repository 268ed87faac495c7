"""Quote verification: normalising, finding quotations in clipped text, the closest passage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.markdown import create_markdown, render
from briefgen.models import Briefing, Source
from briefgen.quotes import check_quotes, closest_passage, find_quote, normalise

TEXT = ("The national grid operator has asked the regulator for more reserve. "
        "The operator normally aims to keep that margin above 6 per cent during the winter "
        "months. Consumer groups questioned whether households should pay for it.")


def test_normalise_folds_quotes_dashes_and_whitespace_but_keeps_case() -> None:
    assert normalise("  “Curly” ‘single’ «angle» a–b c—d\u00a0e\n\tF  ") == \
        "\"Curly\" 'single' \"angle\" a-b c-d e F"


def test_normalise_applies_nfkc() -> None:
    assert normalise("ﬁve …") == "five ..."


def test_exact_quote_is_found() -> None:
    assert find_quote("aims to keep that margin above 6 per cent", TEXT)


@pytest.mark.parametrize("gap", ["...", "…", "[...]", "[…]", " ... "])
def test_quote_with_ellipsis_is_found_when_pieces_are_in_order(gap: str) -> None:
    assert find_quote(f"The national grid operator{gap}above 6 per cent", TEXT)


@pytest.mark.parametrize("gap", ["...", "…", "[...]"])
def test_quote_with_ellipsis_is_not_found_when_pieces_are_out_of_order(gap: str) -> None:
    assert not find_quote(f"above 6 per cent{gap}The national grid operator", TEXT)


def test_quote_with_one_changed_word_is_not_found() -> None:
    assert not find_quote("aims to keep that margin below 6 per cent", TEXT)


def test_curly_and_straight_quotes_match() -> None:
    assert find_quote("“it’s” here", "He said \"it's\" here.")
    assert find_quote("\"it's\" here", "He said “it’s” here.")


def test_dashes_match_each_other() -> None:
    assert find_quote("groups — angry – said", "groups - angry - said")


def test_whitespace_differences_match() -> None:
    assert find_quote("The   operator\n  normally", TEXT)


def test_case_differences_do_not_match() -> None:
    assert not find_quote("the operator normally aims", TEXT)


def test_closest_passage_of_one_changed_word() -> None:
    passage, ratio = closest_passage("aims to keep that margin below 6 per cent", TEXT)
    assert passage == "aims to keep that margin above 6 per cent"
    assert 0.9 < ratio < 1.0


def test_closest_passage_of_a_found_quote_is_itself() -> None:
    assert closest_passage("normally aims", TEXT) == ("normally aims", 1.0)


# --- check_quotes on a briefing ---------------------------------------------------------------

def _briefing(body: str) -> Briefing:
    rendered = render(create_markdown(), body)
    return Briefing(path="content/briefings/b.md", guid="urn:uuid:x", title="B", slug="b",
                    date=datetime(2026, 2, 4, tzinfo=UTC), body_html=rendered.html, summary="",
                    citations=rendered.citations.shifted(3))


def _source(source_id: str, text: str) -> Source:
    return Source(id=source_id, title="T", outlet="O", url="https://example.org/",
                  path=f"content/sources/{source_id}.md", text=text)


def _check(body: str, *sources: Source) -> list[str]:
    diags = Diagnostics()
    check_quotes(_briefing(body), {s.id: s for s in sources}, diags)
    return [d.format() for d in diags]


def test_found_quotation_gives_no_diagnostic() -> None:
    assert _check('He said "aims to keep that margin" [@grid].', _source("grid", TEXT)) == []


def test_changed_word_gives_warning_with_closest_passage_and_similarity() -> None:
    assert _check('He said "aims to keep that margin below 6 per cent" [@grid].',
                  _source("grid", TEXT)) == [
        'content/briefings/b.md:4:53: warning: quotation "aims to keep that margin below 6 per '
        "cent\" not found in source 'grid'; closest passage (93% alike): \"aims to keep that "
        'margin above 6 per cent"']


def test_source_without_text_gives_info_line() -> None:
    assert _check('He said "anything at all" [@empty].', _source("empty", "")) == [
        "content/briefings/b.md:4:27: info: quotation not checked: source 'empty' has no "
        "clipped text"]


def test_quote_found_in_any_of_several_cited_sources_is_fine() -> None:
    assert _check('"aims to keep that margin" [@other; @grid]', _source("other", "Nothing."),
                  _source("grid", TEXT)) == []


def test_quotation_citing_unknown_source_is_left_to_resolution() -> None:
    assert _check('"whatever words" [@nowhere]') == []


def test_long_quotation_is_shortened_in_the_message() -> None:
    quote = "word " * 30
    [line] = _check(f'"{quote.strip()}" [@grid]', _source("grid", TEXT))
    assert f'quotation "{quote[:77]}..." not found' in line
