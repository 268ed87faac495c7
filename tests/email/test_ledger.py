"""The send ledger: beside the CSV, never in published folders, durable, one run at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.email.ledger import Ledger, LedgerError, check_outside_site, ledger_path


def test_the_ledger_is_beside_the_list() -> None:
    assert ledger_path(Path("/desk/lists/daily.csv")) == Path("/desk/lists/daily.sent.jsonl")


@pytest.mark.parametrize(("place", "why"), [
    ("content/subscribers.csv", "the site's content/ folder"),
    ("content/pages/deep/subscribers.csv", "the site's content/ folder"),
    ("static/subscribers.csv", "the site's static/ folder"),
    ("themes/mine/static/subscribers.csv", "the site's themes/ folder"),
    ("site/subscribers.csv", "the output folder"),
])
def test_a_list_in_a_published_folder_is_refused(tmp_path: Path, place: str, why: str) -> None:
    with pytest.raises(LedgerError, match=f"subscribers.csv is inside {why}"):
        check_outside_site(tmp_path / place, tmp_path, tmp_path / "site", "the subscriber list")


def test_the_configured_output_folder_is_refused_too(tmp_path: Path) -> None:
    out = tmp_path / "public"
    with pytest.raises(LedgerError, match="inside the output folder"):
        check_outside_site(out / "l.sent.jsonl", tmp_path, out, "the send ledger")
    check_outside_site(tmp_path / "site" / "l.csv", tmp_path, out, "the subscriber list")


def test_a_symlink_into_content_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "lists").symlink_to(tmp_path / "content")
    with pytest.raises(LedgerError, match="content/"):
        check_outside_site(tmp_path / "lists" / "s.csv", tmp_path, tmp_path / "site", "list")


def test_beside_the_site_and_at_its_root_are_fine(tmp_path: Path) -> None:
    for place in ("subscribers.csv", "private/subscribers.csv", "../subscribers.csv"):
        check_outside_site(tmp_path / place, tmp_path, tmp_path / "site", "the list")


def test_steps_are_on_disk_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "l.sent.jsonl"
    with Ledger(path) as ledger:
        ledger.record("<m1@x>", "Ana@Example.org", "sending")
        ledger.record("<m1@x>", "Ana@Example.org", "sent")
        ledger.record("<m1@x>", "bo@example.org", "sending")
        lines = path.read_text().splitlines()  # written before close
        assert [json.loads(line)["state"] for line in lines] == ["sending", "sent", "sending"]
    with Ledger(path) as again:
        assert again.state("<m1@x>", "ana@example.org") == "sent"
        assert again.state("<m1@x>", "bo@example.org") == "sending"
        assert again.state("<m2@x>", "ana@example.org") is None


def test_a_line_cut_short_by_a_kill_leaves_the_step_before(tmp_path: Path) -> None:
    path = tmp_path / "l.sent.jsonl"
    path.write_text('{"id": "<m@x>", "to": "a@example.org", "state": "sending"}\n'
                    '{"id": "<m@x>", "to": "a@exa', encoding="utf-8")
    with Ledger(path) as ledger:
        assert ledger.state("<m@x>", "a@example.org") == "sending"
        assert ledger.damaged_lines == [2]
        ledger.record("<m@x>", "b@example.org", "sent")
    with Ledger(path) as ledger:
        assert ledger.state("<m@x>", "b@example.org") == "sent"


def test_a_second_run_on_the_same_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sent.jsonl"
    with Ledger(path), pytest.raises(LedgerError, match="another 'briefgen send' is using"):
        Ledger(path).open()
    with Ledger(path):  # free again
        pass


def test_a_read_only_ledger_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.sent.jsonl"
    with Ledger(path, readonly=True) as ledger, \
            pytest.raises(LedgerError, match="not open for writing"):
        ledger.record("<m@x>", "a@example.org", "sent")
    assert not path.exists()
