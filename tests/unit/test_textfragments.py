"""Text fragment deep links (WICG Text Fragments): encoding, start/end, prefix and suffix."""

from __future__ import annotations

import pytest

from briefgen.textfragments import fragment_url, passage_directive

PAGE = ("The operator said the new plants were only a stopgap. "
        "Consumer groups said the cost would be a burden on every household in the region.")


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def test_short_passage_is_the_whole_text_start() -> None:
    assert passage_directive(PAGE, *_span(PAGE, "only a stopgap")) == "text=only%20a%20stopgap"


def test_long_passage_is_given_by_its_first_and_last_words() -> None:
    passage = "Consumer groups said the cost would be a burden on every household"
    assert passage_directive(PAGE, *_span(PAGE, passage)) == \
        "text=Consumer%20groups%20said%20the,burden%20on%20every%20household"


def test_dashes_commas_and_ampersands_are_percent_encoded() -> None:
    text = "Costs rose - sharply, said R&D staff."
    assert passage_directive(text, 0, len(text) - 1) == \
        "text=Costs%20rose%20%2D%20sharply%2C%20said%20R%26D%20staff"


def test_cyrillic_is_percent_encoded_as_utf8() -> None:
    assert passage_directive("Мост закроют.", 0, 4) == "text=%D0%9C%D0%BE%D1%81%D1%82"


def test_a_start_that_is_not_unique_gets_a_prefix() -> None:
    text = "He said the cost. Later the cost rose again."
    start = text.index("the cost rose")
    assert passage_directive(text, start, start + len("the cost")) == \
        "text=the%20cost.%20Later-,the%20cost"


def test_a_start_not_unique_at_the_top_of_the_page_gets_a_suffix() -> None:
    text = "the cost rose. Then the cost fell."
    assert passage_directive(text, 0, len("the cost")) == "text=the%20cost,-rose.%20Then%20the"


def test_start_counted_as_whole_words_only() -> None:
    text = "Costs fell. The cost rose."
    start = text.index("cost rose")
    assert passage_directive(text, start, start + len("cost rose")) == "text=cost%20rose"


def test_empty_passage_is_refused() -> None:
    with pytest.raises(ValueError):
        passage_directive(PAGE, 3, 4)


@pytest.mark.parametrize(("url", "linked"), [
    ("https://example.org/a", "https://example.org/a#:~:text=x"),
    ("https://example.org/a#part", "https://example.org/a#part:~:text=x"),
    ("https://example.org/a#:~:text=old", "https://example.org/a#:~:text=x"),
])
def test_directive_is_added_to_the_fragment(url: str, linked: str) -> None:
    assert fragment_url(url, "text=x") == linked
