"""Quote verification: normalising, finding quotations in clipped text, the closest passage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.markdown import create_markdown, render_markdown
from briefgen.models import Briefing, Source
from briefgen.quotes import check_quotes, closest_passage, find_quote, normalise, quote_span

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
    rendered = render_markdown(create_markdown(), body)
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
        'content/briefings/b.md:4:10: warning: quotation "aims to keep that margin below 6 per '
        "cent\" not found in source 'grid'; closest passage (93% alike): \"aims to keep that "
        'margin above 6 per cent"']


def test_source_without_text_gives_info_line() -> None:
    assert _check('He said "anything at all" [@empty].', _source("empty", "")) == [
        "content/briefings/b.md:4:10: info: quotation not checked: source 'empty' has no "
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


# --- against the reader's text of the clipped Markdown ----------------------------------------

CLIPPED = (
    "The operator said the [new plants](https://grid.example.org/plants) were *only a stopgap*"
    "\nwhile **storage projects** are built.\n\n"
    "Its chief engineer called the winter \u201cthe hardest in twenty years\u201d and "
    "said the reserve&nbsp;margin was 4&#8201;per\u00a0cent &mdash; half the target.\n\n"
    "<p>Consumer groups said the <em>cost</em> would be\u00adcome a burden.</p>\n\n"
    "\u00ab\u0413\u043e\u0440\u043e\u0434 \u043d\u0435 \u043e\u0431\u044f\u0437\u0430\u043d "
    "\u0440\u0435\u0448\u0430\u0442\u044c \u0432\u0441\u0451 \u0441\u0440\u0430\u0437\u0443"
    "\u00bb, \u2014 \u0441\u043a\u0430\u0437\u0430\u043b\u0430 \u043e\u043d\u0430.")


@pytest.mark.parametrize("quote", [
    "said the new plants were only a stopgap",  # across a link and emphasis
    "only a stopgap while storage projects are built",  # across a line break and bold
    'called the winter "the hardest in twenty years"',  # straight quotes for curly ones
    "the reserve margin was 4 per cent - half the target",  # entities, nbsp, thin space, dash
    "the cost would become a burden",  # HTML tags and a soft hyphen
    '"Город не обязан решать всё сразу", - сказала она',  # «ёлочки» and a dash
    "«Город не обязан решать всё сразу»",
])
def test_quotation_is_found_in_what_a_reader_reads(quote: str) -> None:
    assert find_quote(quote, CLIPPED)


@pytest.mark.parametrize("quote", ["grid.example.org", "*only a stopgap*", "nbsp", "em>cost"])
def test_markup_of_the_source_is_not_part_of_its_text(quote: str) -> None:
    assert not find_quote(quote, CLIPPED)


def test_closest_passage_is_taken_from_the_reader_text() -> None:
    passage, ratio = closest_passage("said the new plants were only a stop-gap", CLIPPED)
    assert passage == "said the new plants were only a stopgap"
    assert ratio > 0.9


def test_quotation_crossing_a_link_gives_no_warning_and_is_counted() -> None:
    diags = Diagnostics()
    tally = check_quotes(_briefing('He called them "only a stopgap while storage projects '
                                   'are built" [@grid] and "a gift" [@grid].'),
                         {"grid": _source("grid", CLIPPED)}, diags)
    assert (tally.checked, tally.missing) == (2, 1)
    assert [d.format() for d in diags] == [
        'content/briefings/b.md:4:79: warning: quotation "a gift" not found in source '
        "'grid'; closest passage (50% alike): \"are built.\""]


@pytest.mark.parametrize(("quote", "passage"), [
    ("said the new plants were only a stopgap", "said the new plants were only a stopgap"),
    ('called the winter "the hardest in twenty years"',
     "called the winter \u201cthe hardest in twenty years"),
    ("the reserve margin was 4 per cent - half", "the reserve\u00a0margin was 4\u2009per\u00a0cent "
     "\u2014 half"),
    ("The operator said ... storage projects", "The operator said the new plants were only a "
     "stopgap while storage projects"),
])
def test_quote_span_is_the_passage_in_the_reader_text(quote: str, passage: str) -> None:
    span = quote_span(quote, CLIPPED)
    assert span is not None
    reader, start, end = span
    assert reader[start:end] == passage


def test_quote_span_of_a_quotation_not_in_the_source_is_none() -> None:
    assert quote_span("a gift", CLIPPED) is None
