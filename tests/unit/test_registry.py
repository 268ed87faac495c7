"""authors.yaml and categories.yaml: ids validated, every bad entry reported with its line."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostics
from briefgen.models import Author, Category
from briefgen.registry import load_authors, load_categories


def write(root: Path, name: str, text: str | bytes) -> None:
    (root / "content").mkdir(exist_ok=True)
    raw = text.encode() if isinstance(text, str) else text
    (root / "content" / name).write_bytes(raw)


def authors(root: Path, text: str | bytes) -> tuple[dict[str, Author], list[str]]:
    write(root, "authors.yaml", text)
    diags = Diagnostics()
    return load_authors(root, diags), [d.format() for d in diags]


def categories(root: Path, text: str | bytes) -> tuple[dict[str, Category], list[str]]:
    write(root, "categories.yaml", text)
    diags = Diagnostics()
    return load_categories(root, diags), [d.format() for d in diags]


def test_authors_are_read_with_their_links(tmp_path: Path) -> None:
    result, diags = authors(tmp_path, """\
a-guest:
  name: A. Guest
  bio: Writes on energy.
  links:
    site: https://example.org/guest
    mail: mailto:guest@example.org
desk:
  name: NO
""")
    assert diags == []
    assert result == {
        "a-guest": Author(id="a-guest", name="A. Guest", bio="Writes on energy.",
                          links={"site": "https://example.org/guest",
                                 "mail": "mailto:guest@example.org"}),
        "desk": Author(id="desk", name="NO"),
    }


def test_categories_are_read_with_their_disclaimer(tmp_path: Path) -> None:
    result, diags = categories(tmp_path, """\
opinion:
  name: Opinion
  disclaimer: Views are the author's own.
daily-brief:
  name: Daily brief
  description: The day in five minutes.
""")
    assert diags == []
    assert result == {
        "opinion": Category(id="opinion", name="Opinion",
                            disclaimer="Views are the author's own."),
        "daily-brief": Category(id="daily-brief", name="Daily brief",
                                description="The day in five minutes."),
    }


def test_missing_files_give_empty_registries(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert load_authors(tmp_path, diags) == {}
    assert load_categories(tmp_path, diags) == {}
    assert list(diags) == []


def test_every_bad_author_is_reported_and_good_ones_are_kept(tmp_path: Path) -> None:
    result, diags = authors(tmp_path, """\
good:
  name: Good
Bad_Id:
  name: X
no-name:
  bio: b
evil:
  name: E
  links: {x: 'javascript:alert(1)'}
typo:
  name: T
  nmae: typo
""")
    assert diags == [
        "content/authors.yaml:3:1: error: 'Bad_Id' in authors.yaml must be an id of "
        "lowercase letters, digits and hyphens",
        "content/authors.yaml:6:3: error: missing required key 'name' in author",
        "content/authors.yaml:9:14: error: 'x' must use http, https, mailto; scheme "
        "'javascript:' is not allowed",
        "content/authors.yaml:12:3: error: unknown key 'nmae' in author (did you mean 'name'?)",
    ]
    assert result["good"] == Author(id="good", name="Good")
    assert "no-name" not in result
    assert "evil" not in result


def test_duplicate_author_id_is_reported_with_both_lines_and_the_first_kept(
        tmp_path: Path) -> None:
    result, diags = authors(tmp_path, "desk:\n  name: First\nother:\n  name: O\n"
                                      "desk:\n  name: Second\n")
    assert diags == ["content/authors.yaml:5:1: error: duplicate key 'desk' in authors.yaml "
                     "(first at line 1, again at line 5)"]
    assert result["desk"].name == "First"


def test_category_given_as_plain_text_is_an_error(tmp_path: Path) -> None:
    result, diags = categories(tmp_path, "opinion:\n  name: Opinion\nanalysis: Analysis\n")
    assert diags == ["content/categories.yaml:3:11: error: 'analysis' must be a mapping of "
                     "keys to values, got 'Analysis'"]
    assert list(result) == ["opinion"]


def test_category_id_starting_with_a_hyphen_is_an_error(tmp_path: Path) -> None:
    _, diags = categories(tmp_path, "-bad:\n  name: x\n")
    assert diags == ["content/categories.yaml:1:1: error: '-bad' in categories.yaml must be "
                     "an id of lowercase letters, digits and hyphens"]


def test_registry_that_is_a_list_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result, diags = categories(tmp_path, "- opinion\n- analysis\n")
    assert result == {}
    assert diags == ["content/categories.yaml:1:1: error: categories.yaml must be a mapping, "
                     "got a list"]


def test_malformed_registry_is_reported_at_its_line(tmp_path: Path) -> None:
    result, diags = authors(tmp_path, "desk:\n  name: [Desk\n")
    assert result == {}
    assert len(diags) == 1
    assert diags[0].startswith("content/authors.yaml:2:9: error: malformed YAML: the list "
                               "opened with '[' here is never closed")


def test_empty_registry_file_is_empty(tmp_path: Path) -> None:
    assert categories(tmp_path, "# none yet\n") == ({}, [])


def test_invalid_utf8_in_registry_is_an_error(tmp_path: Path) -> None:
    result, diags = authors(tmp_path, b"desk:\n  name: Caf\xe9\n")
    assert result == {}
    assert diags == ["content/authors.yaml:2:12: error: file is not valid UTF-8 (byte 0xe9)"]


def test_python_tag_in_registry_is_an_error_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result, diags = authors(
        tmp_path, f"desk:\n  name: !!python/object/apply:os.system ['touch {marker}']\n")
    assert result == {}
    assert diags == ["content/authors.yaml:2:9: error: 'name': YAML tag "
                     "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    assert not marker.exists()
