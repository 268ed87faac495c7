"""A feed entry's links are made absolute exactly as urljoin would make them."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.writers.feeds import absolutize

PAGES = ["https://desk.example.org/brief/2026/03/grid/", "https://desk.example.org/a",
         "http://desk.example.org:8080/a/b/?q=1", "https://desk.example.org/a/#top"]
PIECES = ["#", "/", ".", "..", "a", "?", "=", "%2e", "ü", "b#c", "//", ";", " ", "\\", ":"]


def _joined(value: str, page: str) -> str:
    return f'<p><a href="{urljoin(page, value)}">x</a></p>'


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("value", ["#source-1", "#", "/sources/grid/", "/a/./b", "/a/../b",
                                   "//cdn.example.net/y", "notes/", "../up", "", "?q=2",
                                   "/x?y=1#z", "/a//b", "/a/.."])
def test_a_relative_link_becomes_what_urljoin_makes_of_it(page: str, value: str) -> None:
    assert absolutize(f'<p><a href="{value}">x</a></p>', page) == _joined(value, page)


@given(st.sampled_from(PAGES), st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_any_link_from_pieces_of_paths_joins_like_urljoin(page: str, value: str) -> None:
    assert absolutize(f'<p><a href="{value}">x</a></p>', page) == _joined(value, page)


def test_links_with_a_scheme_are_left_alone() -> None:
    html = '<a href="mailto:desk@example.org">m</a><img src="https://cdn.example.net/a.png">'
    assert absolutize(html, PAGES[0]) == html
