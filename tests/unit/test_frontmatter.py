"""Reading content files: decoding, line ends, the front matter delimiters and YAML positions."""

from __future__ import annotations

import yaml

from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import _CONTROL, Document, _has_control, decode, split
from briefgen.yamlnodes import MAX_YAML_BYTES

PATH = "content/briefings/a.md"


def read(raw: bytes) -> tuple[Document | None, list[str]]:
    """Decode and split raw bytes; the document (None if undecodable) and formatted diagnostics."""
    diags = Diagnostics()
    text = decode(PATH, raw, diags)
    doc = split(PATH, text, diags) if text is not None else None
    return doc, [d.format() for d in diags]


def front_keys(doc: Document | None) -> dict[str, tuple[str, int]]:
    """key -> (value, 0-based YAML line) of a flat front matter mapping."""
    assert doc is not None and isinstance(doc.front, yaml.MappingNode)
    return {k.value: (v.value, v.start_mark.line) for k, v in doc.front.value}


def test_front_matter_and_body_are_split_at_the_delimiters() -> None:
    doc, diags = read(b"---\ntitle: A\ndate: 2026-02-04\n---\nFirst line.\n\nSecond.\n")
    assert diags == []
    assert doc is not None
    assert doc.has_front_matter
    assert front_keys(doc) == {"title": ("A", 0), "date": ("2026-02-04", 1)}
    assert doc.front_offset == 1
    assert doc.body == "First line.\n\nSecond.\n"
    assert doc.body_offset == 4


def test_dots_close_front_matter_like_dashes() -> None:
    doc, diags = read(b"---\ntitle: A\n...\nBody")
    assert diags == []
    assert front_keys(doc) == {"title": ("A", 0)}
    assert doc is not None and doc.body == "Body"


def test_delimiters_with_trailing_spaces_and_tabs_are_accepted() -> None:
    doc, diags = read(b"---   \ntitle: A\n--- \t\nBody")
    assert diags == []
    assert doc is not None and doc.has_front_matter
    assert front_keys(doc) == {"title": ("A", 0)}
    assert doc.body == "Body"


def test_crlf_line_ends_become_lf_and_keep_line_numbers() -> None:
    doc, diags = read(b"---\r\ntitle: A\r\n\r\ndate: 2026-02-04\r\n---\r\nBody\r\nmore\r\n")
    assert diags == []
    assert front_keys(doc) == {"title": ("A", 0), "date": ("2026-02-04", 2)}
    assert doc is not None and doc.body == "Body\nmore\n"


def test_lone_cr_line_ends_become_lf_and_keep_line_numbers() -> None:
    doc, diags = read(b"---\rtitle: A\rdate: 2026-02-04\r---\rBody\rmore")
    assert diags == []
    assert front_keys(doc) == {"title": ("A", 0), "date": ("2026-02-04", 1)}
    assert doc is not None and doc.body == "Body\nmore"


def test_utf8_bom_is_dropped_so_the_front_matter_is_found() -> None:
    doc, diags = read("\ufeff---\ntitle: Ünïcode\n---\nBody".encode())
    assert diags == []
    assert doc is not None and doc.has_front_matter
    assert front_keys(doc) == {"title": ("Ünïcode", 0)}


def test_file_starting_with_pem_armour_has_no_front_matter() -> None:
    raw = b"-----BEGIN PGP SIGNED MESSAGE-----\ntitle: A\n---\n"
    doc, diags = read(raw)
    assert diags == []
    assert doc is not None
    assert not doc.has_front_matter
    assert doc.front is None
    assert doc.body == raw.decode()


def test_file_starting_with_a_key_value_line_has_no_front_matter() -> None:
    doc, diags = read(b"Topic: x\n\nBody text.\n")
    assert diags == []
    assert doc is not None
    assert not doc.has_front_matter
    assert doc.body == "Topic: x\n\nBody text.\n"


def test_key_value_lines_in_the_body_stay_body_text() -> None:
    doc, diags = read(b"---\ntitle: A\n---\nTopic: x\n---\nmore: y\n")
    assert diags == []
    assert front_keys(doc) == {"title": ("A", 0)}
    assert doc is not None and doc.body == "Topic: x\n---\nmore: y\n"


def test_unclosed_front_matter_is_an_error_at_the_first_line() -> None:
    doc, diags = read(b"---\ntitle: A\n\nBody without a closing line.\n")
    assert diags == [
        f"{PATH}:1:1: error: front matter opened with '---' is never closed "
        "(add a line '---' after it)"
    ]
    assert doc is not None and doc.front is None


def test_empty_front_matter_gives_no_node_and_no_error() -> None:
    doc, diags = read(b"---\n---\nBody")
    assert diags == []
    assert doc is not None and doc.has_front_matter and doc.front is None
    assert doc.body == "Body"


def test_malformed_yaml_is_reported_at_its_file_line_and_column() -> None:
    # File line 4 is "  bad: x"; the parser stops at its ':' (column 6).
    doc, diags = read(b"---\ntitle: A\ndate: 2026-02-04\n  bad: x\n---\nBody")
    assert len(diags) == 1
    assert diags[0].startswith(f"{PATH}:4:6: error: malformed YAML: mapping values ")
    assert doc is not None and doc.front is None
    assert doc.body == "Body"


def test_malformed_yaml_position_counts_crlf_and_bom_lines() -> None:
    raw = "\ufeff---\r\ntitle: A\r\n\r\ndate: 2026-02-04\r\ntags: x: y\r\n---\r\n".encode()
    _, diags = read(raw)
    assert len(diags) == 1
    assert diags[0].startswith(f"{PATH}:5:8: error: malformed YAML: mapping values ")


def test_oversized_front_matter_is_refused_before_parsing() -> None:
    filler = "x" * (MAX_YAML_BYTES + 1)
    doc, diags = read(f"---\ntitle: A\nsummary: {filler}\n---\nBody".encode())
    assert diags == [f"{PATH}:2:1: error: YAML block is larger than 256 KiB; refusing to parse it"]
    assert doc is not None and doc.front is None


def test_invalid_utf8_is_an_error_at_its_line_and_column() -> None:
    doc, diags = read(b"---\ntitle: A\nsummary: ab\xffcd\n---\n")
    assert doc is None
    assert diags == [f"{PATH}:3:12: error: file is not valid UTF-8 (byte 0xff)"]


def test_control_characters_are_removed_with_a_warning_at_their_position() -> None:
    doc, diags = read(b"---\ntitle: A\x07B\n---\nBody\x00 text\x1b.\n")
    assert diags == [
        f"{PATH}:2:9: warning: control character U+0007 removed",
        f"{PATH}:4:5: warning: control character U+0000 removed",
        f"{PATH}:4:11: warning: control character U+001B removed",
    ]
    assert front_keys(doc) == {"title": ("AB", 0)}
    assert doc is not None and doc.body == "Body text.\n"


def test_tabs_and_newlines_are_not_control_characters_to_remove() -> None:
    diags = Diagnostics()
    assert decode(PATH, b"a\tb\nc\n", diags) == "a\tb\nc\n"
    assert list(diags) == []


def test_an_unclosed_bracket_before_the_closing_line_points_at_the_bracket() -> None:
    # the parser runs out of input at the closing '---' (line 4); the editor must fix line 3
    doc, diags = read(b"---\ndate: 2026-02-04\ntitle: [\n---\nBody")
    assert diags == [f"{PATH}:3:8: error: malformed YAML: the list opened with '[' here is "
                     "never closed"]
    assert doc is not None and doc.front is None


def test_an_unclosed_brace_after_quoted_brackets_and_comments_points_at_the_brace() -> None:
    _, diags = read(b'---\ntitle: "Report [draft"\n# a [ in a comment\nsummary: {\n---\n')
    assert diags == [f"{PATH}:4:10: error: malformed YAML: the mapping opened with '{{' here "
                     "is never closed"]


def test_a_tab_in_the_indentation_is_named_with_its_position() -> None:
    for raw, line in ((b"---\ntitle: A\n\tdate: 2026-02-04\n---\n", 3),
                      (b"---\ntags:\n  - a\n\t- b\n---\n", 4),
                      (b"---\ntags:\n\t- a\n---\n", 3)):
        _, diags = read(raw)
        assert diags == [f"{PATH}:{line}:1: error: malformed YAML: a tab character here; YAML "
                         "indents with spaces only (replace the tab with spaces)"], raw


def test_control_characters_checked_one_by_one_are_those_of_the_regex() -> None:
    assert [c for c in map(chr, range(0x110000))
            if _has_control(f"a{c}b") != (_CONTROL.search(c) is not None)] == []
