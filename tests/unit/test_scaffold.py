"""Who `briefgen new` puts in `authors:` when it is given no --author."""

from __future__ import annotations

from briefgen.models import Author
from briefgen.scaffold import default_author

DESK = Author(id="desk", name="The Harbour Desk")
MIRA = Author(id="mira", name="Mira Okafor")


def test_the_site_author_is_written_as_its_authors_yaml_id() -> None:
    assert default_author("The Harbour Desk", {"mira": MIRA, "desk": DESK}) == "desk"


def test_a_site_author_missing_from_authors_yaml_is_written_as_a_name() -> None:
    assert default_author("Night Desk", {"mira": MIRA, "desk": DESK}) == "Night Desk"


def test_without_a_site_author_the_only_author_is_used() -> None:
    assert default_author(None, {"mira": MIRA}) == "mira"


def test_without_a_site_author_and_several_authors_nobody_is_guessed() -> None:
    assert default_author(None, {"mira": MIRA, "desk": DESK}) is None
    assert default_author("", {}) is None
