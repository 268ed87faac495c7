"""Highlights: fenced blocks highlighted as highlight() does, a block known from an earlier parse
not highlighted again, and each file's blocks taken after it is parsed."""

from __future__ import annotations

import pytest

from briefgen.highlight import highlight, highlights_of
from briefgen.markdown import create_markdown, render_markdown
from tests.fresh import imports_after

BODY = "Intro.\n\n```python\nprint('grid')\n```\n\n```text\nplain\n```\n"


def test_blocks_are_highlighted_as_highlight_does_and_taken_once_per_file() -> None:
    md = create_markdown()
    highlights = highlights_of(md)
    assert highlights is not None
    html = render_markdown(md, BODY).html
    assert highlight("print('grid')\n", "python", "") in html
    taken = highlights.taken()
    assert sorted(taken.values()) == sorted([highlight("print('grid')\n", "python", ""),
                                             highlight("plain\n", "text", "")])
    assert highlights.taken() == {}  # taken: the next file starts with none


def test_a_known_block_is_not_highlighted_again(request: pytest.FixtureRequest) -> None:
    md = create_markdown()
    highlights = highlights_of(md)
    assert highlights is not None
    first = render_markdown(md, BODY).html
    kept = highlights.taken()
    called: list[str] = request.getfixturevalue("highlight_calls")
    highlights.known(kept)
    assert render_markdown(md, BODY).html == first
    assert called == []
    assert highlights.taken() == kept  # the blocks used again are the file's blocks once more
    # what known() was given served one file: the next one highlights its blocks itself
    assert render_markdown(md, BODY).html == first
    assert sorted(called) == ["plain\n", "print('grid')\n"]


def test_an_edited_block_is_highlighted_and_the_others_are_not(
        request: pytest.FixtureRequest) -> None:
    md = create_markdown()
    highlights = highlights_of(md)
    assert highlights is not None
    render_markdown(md, BODY)
    kept = highlights.taken()
    called: list[str] = request.getfixturevalue("highlight_calls")
    highlights.known(kept)
    html = render_markdown(md, BODY.replace("grid", "reserve")).html
    assert called == ["print('reserve')\n"]
    assert "reserve" in html and "grid" not in html


def test_importing_the_parser_does_not_import_pygments() -> None:
    # a build whose files highlight nothing (or find their blocks kept) never loads Pygments
    assert not imports_after("from briefgen.markdown import create_markdown, render_markdown\n"
                             "render_markdown(create_markdown(), 'No code here.')", "pygments")
