"""The subscriber CSV: good rows read, bad rows and repeated addresses reported at path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.email.recipients import Recipient, check_address, read_recipients


def read(tmp_path: Path, text: str | bytes) -> tuple[list[Recipient], list[str]]:
    path = tmp_path / "subscribers.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    diags = Diagnostics()
    found = read_recipients(path, diags)
    return found, [d.format().replace(str(tmp_path) + "/", "") for d in diags]


def test_good_rows_are_read_with_their_line(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "email,name,language\r\n"
                                  "ana@example.org,Ana Lima,pt-BR\r\n"
                                  "\r\n"
                                  "Bo@Example.NET,,\r\n"
                                  "chen@bücher.example,\"Chen, Wei\",zh\r\n")
    assert diags == []
    assert found == [Recipient("ana@example.org", "Ana Lima", "pt-BR", 2),
                     Recipient("Bo@example.net", "", "", 4),
                     Recipient("chen@xn--bcher-kva.example", "Chen, Wei", "zh", 5)]


def test_only_the_email_column_is_needed_in_any_order_and_case(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "Language, EMAIL\nru,ivan@example.ru\n")
    assert diags == [] and found == [Recipient("ivan@example.ru", "", "ru", 2)]


def test_a_byte_order_mark_from_a_spreadsheet_is_ignored(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "\ufeffemail\nana@example.org\n".encode())
    assert diags == [] and [r.address for r in found] == ["ana@example.org"]


def test_bad_rows_are_reported_at_their_line_and_skipped(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "email,name\n"
                                  "ana@example.org,Ana\n"
                                  "not-an-address,Bob\n"
                                  ",Nobody\n"
                                  "\"multi\nline\",x\n"
                                  "a@b,Short domain\n"
                                  "c@example.org,C,extra\n"
                                  "dee@example.org,Dee\n")
    assert [r.address for r in found] == ["ana@example.org", "dee@example.org"]
    assert diags == [
        "subscribers.csv:3:1: error: not a usable address: an address needs the form "
        "name@example.org; row skipped",
        "subscribers.csv:4:1: error: not a usable address: no address; row skipped",
        "subscribers.csv:5:1: error: not a usable address: a line break in an address; "
        "row skipped",
        "subscribers.csv:7:1: error: not a usable address: 'b' is not a domain name; "
        "row skipped",
        "subscribers.csv:8:1: error: 3 fields, but the first row names 2 columns; row skipped",
    ]


def test_a_repeated_address_is_reported_once_and_kept_once(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "email\nana@example.org\nbo@example.org\n"
                                  "ANA@example.org\nana@EXAMPLE.org\n")
    assert [r.address for r in found] == ["ana@example.org", "bo@example.org"]
    assert diags == ["subscribers.csv:4:1: warning: address of line 2 listed again "
                     "(lines 4, 5); it gets one message"]


def test_a_line_break_in_a_name_becomes_a_space(tmp_path: Path) -> None:
    found, diags = read(tmp_path, 'email,name\neve@example.org,"Eve\r\nBcc: x@example.com"\n')
    assert diags == [] and found[0].name == "Eve Bcc: x@example.com"


def test_a_bad_language_falls_back_with_a_warning(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "email,language\nana@example.org,portuguese please\n")
    assert found == [Recipient("ana@example.org", "", "", 2)]
    assert diags == ["subscribers.csv:2:1: warning: 'portuguese please' is not a language "
                     "code like 'en' or 'pt-BR'; the site's language is used"]


@pytest.mark.parametrize(("text", "message"), [
    ("name\nAna\n", "subscribers.csv:1:1: error: the subscriber list needs an 'email' column"),
    ("", "subscribers.csv: error: the subscriber list is empty"),
    ("email,email\na@example.org,b@example.org\n",
     "subscribers.csv:1:1: error: column 'email' appears twice"),
    (b"email\n\xff\xfe@example.org\n", "subscribers.csv: error: the subscriber list is not UTF-8"),
])
def test_an_unusable_file_is_one_error(tmp_path: Path, text: str | bytes, message: str) -> None:
    found, diags = read(tmp_path, text)
    assert found == [] and len(diags) == 1 and diags[0].startswith(message), diags


def test_an_unknown_column_is_a_warning(tmp_path: Path) -> None:
    found, diags = read(tmp_path, "email,city\nana@example.org,Lisbon\n")
    assert len(found) == 1
    assert diags == ["subscribers.csv:1:1: warning: column 'city' is not used "
                     "(columns: email, name, language)"]


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert read_recipients(tmp_path / "none.csv", diags) == []
    assert "cannot read the subscriber list" in diags.errors[0].message


@pytest.mark.parametrize("text", ["a@example.org>", "a@example.org, b@example.org",
                                  "a@[127.0.0.1]", "a@example.org\n", "a@exa mple.org",
                                  "a.@example.org", "@example.org"])
def test_addresses_that_could_change_the_envelope_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        check_address(text)
