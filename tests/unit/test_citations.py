"""The `[@id]` markdown-it plugin: syntax, positions, numbering, back-link anchors, quotations."""

from __future__ import annotations

import pickle
import re
import sys

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.citations import (
    _INLINE_QUOTE,
    CitationData,
    _inline_quote,
    _parse_item_list,
    _parse_items,
    _sentence,
    _sentences,
)
from briefgen.markdown import Rendered, create_markdown, render_markdown

MD = create_markdown()


def cite(text: str) -> Rendered:
    return render_markdown(MD, text)


def data(text: str) -> CitationData:
    return cite(text).citations


def items(text: str) -> list[list[tuple[str, str]]]:
    """Every marker's (id, locator) pairs, in text order."""
    return [[(i.id, i.locator) for i in c.items] for c in data(text).citations]


def positions(text: str) -> list[tuple[int, int]]:
    return [(c.line, c.col) for c in data(text).citations]


# --- syntax -----------------------------------------------------------------------------------

def test_single_citation_is_parsed() -> None:
    assert items("Claim [@reuters-1].") == [[("reuters-1", "")]]


def test_several_sources_in_one_marker_are_parsed_in_order() -> None:
    assert items("Claim [@a; @b-2; @c.d_e].") == [[("a", ""), ("b-2", ""), ("c.d_e", "")]]


def test_page_locator_is_kept() -> None:
    assert items("Claim [@a, p. 3].") == [[("a", "p. 3")]]


def test_quoted_locator_loses_its_quotes() -> None:
    assert items('Claim [@a, "second chart, left"].') == [[("a", "second chart, left")]]


def test_locators_apply_to_each_item_separately() -> None:
    assert items("Claim [@a, p. 3; @b].") == [[("a", "p. 3"), ("b", "")]]


def test_escaped_bracket_is_literal_text() -> None:
    rendered = cite("Literal \\[@a] here.")
    assert rendered.html == "<p>Literal [@a] here.</p>\n"
    assert rendered.citations.citations == []
    assert rendered.citations.problems == []


def test_citation_in_code_span_is_ignored() -> None:
    rendered = cite("Write `[@id]` to cite.")
    assert rendered.html == "<p>Write <code>[@id]</code> to cite.</p>\n"
    assert rendered.citations.citations == []
    assert rendered.citations.problems == []


def test_citation_in_fenced_code_is_ignored() -> None:
    rendered = cite("```\n[@a] and [@bad id]\n```\n")
    assert "[@a] and [@bad id]" in rendered.html
    assert rendered.citations.citations == []
    assert rendered.citations.problems == []


def test_citation_in_indented_code_is_ignored() -> None:
    rendered = cite("Para.\n\n    [@a]\n")
    assert rendered.citations.citations == []


def test_at_name_with_url_stays_a_link() -> None:
    rendered = cite("Follow [@desk](https://social.example.org/@desk).")
    assert rendered.html == ('<p>Follow <a href="https://social.example.org/@desk">@desk</a>.'
                             "</p>\n")
    assert rendered.citations.citations == []
    assert rendered.citations.problems == []


def test_adjacent_markers_are_two_citations() -> None:
    assert items("Claim [@a][@b].") == [[("a", "")], [("b", "")]]


@pytest.mark.parametrize(("text", "col"), [
    ("Bad [@bad id] here.", 5),
    ("Bad [@] here.", 5),
    ("Bad [@a;] here.", 5),
    ("Bad [@Upper] here.", 5),
    ("Bad [@a, p. 3; b] here.", 5),
])
def test_malformed_citation_is_a_problem_with_position(text: str, col: int) -> None:
    found = data(text)
    raw = text[col - 1:text.index("]") + 1]
    assert found.citations == []
    assert found.problems == [(1, col, f"malformed citation {raw!r}: write [@id], [@a; @b] or "
                               "[@id, p. 3] (or \\[@ for a literal bracket)")]


def test_malformed_citation_renders_as_plain_text() -> None:
    assert cite("Bad [@bad id].").html == "<p>Bad [@bad id].</p>\n"


# --- positions --------------------------------------------------------------------------------

def test_position_is_line_and_column_in_the_body() -> None:
    assert positions("First line.\nSecond [@a] line.\n") == [(2, 8)]


def test_position_in_a_list_item_counts_the_marker() -> None:
    assert positions("- one\n- two [@a]\n  - nested [@b]\n") == [(2, 7), (3, 12)]


def test_position_in_a_table_cell() -> None:
    assert positions("| a | b |\n|---|---|\n| x | y [@a] |\n") == [(3, 9)]


def test_position_in_a_blockquote() -> None:
    assert positions("> Quoted\n> text [@a]\n") == [(2, 8)]


def test_repeated_markers_on_one_line_have_their_own_columns() -> None:
    assert positions("[@a] [@a] and [@a]") == [(1, 1), (1, 6), (1, 15)]


def test_shifted_moves_lines_to_file_lines() -> None:
    found = data("x\n[@a] \"Quoted words\" [@b]\n[@bad id]").shifted(4)
    assert [(c.line, c.col) for c in found.citations] == [(6, 1), (6, 21)]
    assert [(q.line, q.col) for q in found.quotes] == [(6, 7)]  # the quotation's first letter
    assert [(line, col) for line, col, _ in found.problems] == [(7, 1)]


# --- numbering and rendering ------------------------------------------------------------------

def test_sources_are_numbered_in_order_of_first_citation() -> None:
    found = data("One [@b]. Two [@a; @c]. Three [@b]. Four [@d].")
    assert found.order == ["b", "a", "c", "d"]
    assert [found.number(s) for s in ("a", "b", "c", "d")] == [2, 1, 3, 4]


def test_each_marker_gets_a_back_link_anchor_per_item() -> None:
    found = data("One [@b]. Two [@a; @b]. Three [@b].")
    assert [c.anchors for c in found.citations] == [["cite.1.1"], ["cite.2.1", "cite.1.2"],
                                                     ["cite.1.3"]]
    assert found.backrefs("b") == ["cite.1.1", "cite.1.2", "cite.1.3"]
    assert found.backrefs("a") == ["cite.2.1"]


def test_locators_of_a_source_are_collected_once_each() -> None:
    found = data("[@a, p. 3] [@a] [@a, p. 5] [@a, p. 3]")
    assert found.locators("a") == ["p. 3", "p. 5"]


def test_marker_is_a_superscript_link_with_readable_label() -> None:
    html = cite("Claim [@a, p. 3; @b].").html
    tree = lxml.html.fragment_fromstring(html)
    sup = tree.find("sup")
    assert sup is not None and sup.get("class") == "citation"
    links = [(a.get("href"), a.get("id"), a.get("aria-label"), a.text) for a in sup.iter("a")]
    assert links == [("#source.1", "cite.1.1", "Source 1, p. 3", "1"),
                     ("#source.2", "cite.2.1", "Source 2", "2")]


def test_locator_in_label_is_escaped() -> None:
    html = cite('Claim [@a, "<b>&"].').html
    assert 'aria-label="Source 1, &lt;b&gt;&amp;"' in html


def test_context_is_the_citing_sentence() -> None:
    found = data("Prices rose. Wages fell sharply [@a]. Nobody knows why.")
    assert found.citations[0].context == "Wages fell sharply."
    assert found.context("a") == "Wages fell sharply."
    assert found.context("unknown") == ""


def test_only_a_marker_citing_a_source_first_keeps_its_sentence() -> None:
    found = data("Prices rose [@a]. Wages fell [@a]. Rents held [@a; @b].")
    assert [c.context for c in found.citations] == ["Prices rose.", "", "Rents held."]
    assert (found.context("a"), found.context("b")) == ("Prices rose.", "Rents held.")


def test_the_summary_kept_in_the_build_state_answers_like_the_parse() -> None:
    text = ('Prices rose [@b, p. 2]. Wages fell [@a; @b].\n\nThen "they said so" [@c, "x"] '
            "and [@b, p. 2] [@b, p. 4].")
    found = data(text)
    kept = pickle.loads(pickle.dumps(found))
    assert kept.citations == []  # the markers themselves are not kept
    assert kept.order == found.order == ["b", "a", "c"]
    assert kept.by_source() == found.by_source()
    assert kept.by_source()["b"] == (["cite.1.1", "cite.1.2", "cite.1.3", "cite.1.4"],
                                     ["p. 2", "p. 4"])
    assert kept.cited_at() == found.cited_at() == [
        ("b", 1, 13), ("a", 1, 36), ("b", 1, 36), ("c", 3, 21), ("b", 3, 35), ("b", 3, 46)]
    assert [kept.context(s) for s in "abc"] == [found.context(s) for s in "abc"]
    assert kept.quotes == found.quotes
    assert pickle.loads(pickle.dumps(kept)).by_source() == found.by_source()


# --- quotations -------------------------------------------------------------------------------

@pytest.mark.parametrize("quoted", ['"Time is short"', "«Time is short»", "“Time is short”"])
def test_inline_quotation_followed_by_citation_is_recorded(quoted: str) -> None:
    found = data(f"She said {quoted} [@a].")
    assert [(q.text, q.ids, q.line, q.col) for q in found.quotes] == [
        ("Time is short", ["a"], 1, 11)]  # where the quotation starts, not the marker


def test_quotation_not_directly_before_citation_is_not_recorded() -> None:
    assert data('She said "Time is short" and left [@a].').quotes == []


def test_blockquote_ending_in_citation_is_one_quotation() -> None:
    found = data('> "Time is of the essence,\n> said the secretary." [@a; @b]\n')
    assert [(q.text, q.ids, q.line, q.col) for q in found.quotes] == [
        ("Time is of the essence, said the secretary.", ["a", "b"], 1, 4)]


def test_blockquote_quotation_without_quotation_marks_starts_after_the_marker() -> None:
    found = data("Intro.\n\n>   Time is short,\n> he said. [@a]\n").shifted(3)
    assert [(q.text, q.line, q.col) for q in found.quotes] == [
        ("Time is short, he said.", 6, 5)]


def test_inline_quotation_across_lines_is_located_at_its_first_line() -> None:
    found = data('He said "the margin\nis thin" [@a].')
    assert [(q.text, q.line, q.col) for q in found.quotes] == [("the margin is thin", 1, 10)]


def test_blockquote_without_final_citation_is_not_a_quotation() -> None:
    assert data("> Some [@a] words\n> without a final marker.\n").quotes == []


# quotation marks in and out of the pattern's sets, spaces \\s matches (no-break, thin, ideographic,
# separators) and one it does not (zero width), the punctuation it allows before a marker, letters
_QUOTE_ALPHABET = ('"“”«»„‘’\'' + " \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2009\u202f\u2028\u3000\u200b"
                   + ".,;:!?-…" + "abzAÉяЖ0")
_quote_text = st.text(alphabet=_QUOTE_ALPHABET, max_size=40)
_unquoted_text = st.text(alphabet=_QUOTE_ALPHABET.translate({ord(q): None for q in '"“”«»„'}),
                         max_size=12)


@st.composite
def _text_with_cut(draw: st.DrawFn) -> tuple[str, int]:
    """Random text, often a quotation and its tail just before the cut point (a marker's place)."""
    if draw(st.booleans()):
        text = draw(_quote_text)
        return text, draw(st.integers(0, len(text)))
    head = "".join([draw(_quote_text), draw(st.sampled_from('"“«„')),
                    draw(st.one_of(_unquoted_text, _quote_text)), draw(st.sampled_from('"”»“')),
                    draw(st.text(alphabet=" \t\n\xa0\u3000\u200b.,;:!", max_size=6))])
    text = head + draw(_quote_text)
    return text, draw(st.one_of(st.just(len(head)), st.integers(0, len(text))))


def test_regex_whitespace_is_exactly_str_isspace() -> None:
    pattern = re.compile(r"\s")
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if (pattern.match(c) is not None) != c.isspace()] == []


@settings(max_examples=3000)
@given(_text_with_cut())
def test_inline_quote_fast_path_finds_what_the_regex_finds(case: tuple[str, int]) -> None:
    text, at = case
    found = _INLINE_QUOTE.search(text[:at])
    assert _inline_quote(text, at) == (found.group(1) if found else None)


# The sentence splitting as it was first written: a look-behind for the end mark, and the
# whitespace collapsed with regexes.
_LOOKBEHIND_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z0-9\"“«А-Я])")


def _reference_sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _LOOKBEHIND_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def _reference_sentence(text: str, at: int) -> str:
    bounds = _reference_sentences(text)
    index = 0
    while index + 1 < len(bounds) and bounds[index + 1][0] < at:
        index += 1
    start, end = bounds[index]
    sentence = re.sub(r"\s+", " ", text[start:end]).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", sentence)


_sentence_text = st.lists(st.sampled_from(
    [*"aZ9А\"“«.!?…,;: \t\n\xa0\u2003\x1c", "Word", ". A", "?? ", "… «"]),
    max_size=60).map("".join)


@settings(max_examples=3000)
@given(_sentence_text, st.integers(0, 100))
def test_sentences_are_those_the_lookbehind_regex_finds(text: str, at: int) -> None:
    assert _sentences(text) == _reference_sentences(text)
    at = min(at, len(text))
    assert _sentence(text, _sentences(text), at) == _reference_sentence(text, at)


@settings(max_examples=3000)
@given(st.lists(st.sampled_from([*"@a9.-_;, \"pA\n", "@src-1", "p. 3"]), max_size=12)
       .map("".join))
def test_single_id_shortcut_parses_as_the_loop(inner: str) -> None:
    assert _parse_items(inner) == _parse_item_list(inner)
