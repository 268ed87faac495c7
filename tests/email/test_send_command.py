"""`briefgen send` end to end: a desk, a CSV list and a real SMTP server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.email.sendcommand import parse_rate, site_language
from tests.email.kit import desk
from tests.email.smtpserver import Inbox, smtp_server

READERS = ("email,name,language\n"
           "ana@example.org,Ana Lopes,en\n"
           "ivan@example.ru,Иван,ru-RU\n"
           "bo@example.net,,\n"
           '"eve@example.org","Eve\r\nBcc: victim@example.com",\n'
           "zed@example.cn,Zed,zh\n")
ADDRESSES = ["ana@example.org", "ivan@example.ru", "bo@example.net", "eve@example.org",
             "zed@example.cn"]


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(cli, ["--site", str(root), "send", *args])
    return result.exit_code, result.output


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return desk(tmp_path)


@pytest.fixture
def readers(tmp_path: Path) -> Path:
    path = tmp_path / "lists" / "readers.csv"
    path.parent.mkdir()
    path.write_text(READERS, encoding="utf-8", newline="")
    return path


def test_each_reader_gets_the_briefing_once_in_their_language(root: Path, readers: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        smtp = f"smtp://127.0.0.1:{port}"
        code, output = run(root, "content/briefings/grid.md", "--to", str(readers),
                           "--smtp", smtp, env={"BRIEFGEN_SMTP_USER": ""})
        assert code == 0, output
        again_code, again = run(root, "content/briefings/grid.md", "--to", str(readers),
                                "--smtp", smtp)
    assert sorted(inbox.to()) == sorted(ADDRESSES)
    subjects = {to: (str(msg["To"]), str(msg["Subject"])) for to, msg in inbox.received}
    assert subjects["ivan@example.ru"] == ("Иван <ivan@example.ru>",
                                           "Соглашение о сетях подписано")
    assert subjects["ana@example.org"] == ("Ana Lopes <ana@example.org>",
                                           "Grid deal signed after two years of talks")
    assert subjects["zed@example.cn"][1] == "Grid deal signed after two years of talks"
    eve = next(msg for to, msg in inbox.received if to == "eve@example.org")
    assert eve["Bcc"] is None and [a.addr_spec for a in eve["To"].addresses] == [
        "eve@example.org"]
    for _, msg in inbox.received:
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["List-Unsubscribe"] == "<https://example.org/unsubscribe>"
    assert f"{readers}:7:1: warning: language 'zh' is not one of the site's (en, ru)" in output
    assert "5 sent, 0 already sent, 0 failed (1 email to each reader)" in output
    assert "ana@example.org" not in output  # the list is not printed
    assert again_code == 0 and "0 sent, 5 already sent, 0 failed" in again
    assert (readers.parent / "readers.sent.jsonl").is_file()
    assert not list(root.rglob("*.jsonl")) and not list(root.rglob("*.csv"))


def test_a_dry_run_reports_and_sends_nothing(root: Path, readers: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        code, output = run(root, "--digest", "daily", "--date", "2026-03-05", "--to",
                           str(readers), "--smtp", f"smtp://127.0.0.1:{port}", "--dry-run")
    assert code == 0, output
    assert "would send 5 of 5: Desk Daily" in output
    assert "dry run: 5 would be sent, nothing was sent" in output
    assert inbox.received == [] and inbox.sessions == 0
    assert not (readers.parent / "readers.sent.jsonl").exists()


def test_several_briefings_and_a_refused_reader(root: Path, readers: Path) -> None:
    inbox = Inbox(refuse={"bo@example.net": "550 5.1.1 no such mailbox"})
    with smtp_server(inbox) as port:
        code, output = run(root, "content/briefings/grid.md", "/briefings/2026/03/late-night/",
                           "--to", str(readers), "--smtp", f"smtp://127.0.0.1:{port}",
                           "--rate", "1000/s")
    assert code == 1
    assert output.count("error: bo@example.net: 550 5.1.1 no such mailbox") == 2
    assert "8 sent, 0 already sent, 2 failed (2 emails to each reader)" in output
    assert sorted(inbox.to()) == sorted([a for a in ADDRESSES if a != "bo@example.net"] * 2)


def test_bad_rows_are_reported_and_the_good_ones_are_sent(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "readers.csv"
    path.write_text("email\nana@example.org\nnot an address\nana@example.org\n")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        code, output = run(root, "--to", str(path), "--smtp", f"smtp://127.0.0.1:{port}")
    assert code == 1
    assert f"{path}:3:1: error: not a usable address" in output
    assert f"{path}:4:1: warning: address of line 2 listed again" in output
    assert inbox.to() == ["ana@example.org"]


@pytest.mark.parametrize(("place", "why"), [
    ("content/readers.csv", "the site's content/ folder"),
    ("site/readers.csv", "the output folder"),
    ("static/readers.csv", "the site's static/ folder"),
])
def test_a_list_in_a_published_folder_is_refused(root: Path, place: str, why: str) -> None:
    (root / place).parent.mkdir(parents=True, exist_ok=True)
    (root / place).write_text(READERS)
    code, output = run(root, "--to", str(root / place), "--smtp", "smtp://127.0.0.1:9")
    assert code == 1
    assert f"error: the subscriber list readers.csv is inside {why}" in output
    assert not (root / place).with_name("readers.sent.jsonl").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--smtp", "smtp://desk:pw@mail.example.org"], "must not carry a user or password"),
    (["--smtp", "imap://mail.example.org"], "unsupported URL scheme 'imap'"),
    (["--rate", "fast"], "'fast' is not a rate like 5/s"),
    (["--date", "2026-03-05"], "--date only applies to --digest"),
    (["--digest", "daily", "content/briefings/grid.md"], "name briefings or use --digest"),
])
def test_wrong_usage_exits_2(root: Path, readers: Path, args: list[str], message: str) -> None:
    code, output = run(root, "--to", str(readers), *args)
    assert code == 2 and message in output


def test_half_the_credentials_in_the_environment_exits_2(root: Path, readers: Path) -> None:
    code, output = run(root, "--to", str(readers), env={"BRIEFGEN_SMTP_USER": "desk",
                                                        "BRIEFGEN_SMTP_PASSWORD": ""})
    assert code == 2 and "BRIEFGEN_SMTP_PASSWORD is not set" in output


def test_a_server_that_cannot_be_reached_leaves_everyone_for_the_next_run(
        root: Path, readers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefgen.email.send.time.sleep", lambda _s: None)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        pass
    code, output = run(root, "--to", str(readers), "--smtp", f"smtp://127.0.0.1:{port}",
                       "--retries", "1")
    assert code == 1
    assert f"error: sending stopped: cannot connect to smtp://127.0.0.1:{port}" in output
    assert "0 sent, 0 already sent, 0 failed (1 email to each reader), 5 left for the next run" \
        in output


def test_a_new_site_from_init_can_send_its_newest_briefing(tmp_path: Path,
                                                           readers: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "new")]).exit_code == 0
    inbox = Inbox()
    with smtp_server(inbox) as port:
        code, output = run(tmp_path / "new", "--to", str(readers), "--smtp",
                           f"smtp://localhost:{port}")
    assert code == 0, output
    assert sorted(inbox.to()) == sorted(ADDRESSES)


@pytest.mark.parametrize(("text", "per_second"), [
    ("5", 5.0), ("5/s", 5.0), ("120/min", 2.0), ("0.5/s", 0.5), ("3600/h", 1.0)])
def test_rates(text: str, per_second: float) -> None:
    assert parse_rate(text) == per_second


@pytest.mark.parametrize("text", ["0", "-1/s", "5/day", "five"])
def test_bad_rates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


def test_a_readers_language_matches_the_site_language() -> None:
    codes = ["en", "ru", "pt-BR"]
    assert [site_language(c, codes) for c in ("", "ru", "RU-ru", "pt-br", "pt", "zh")] == [
        None, "ru", "ru", "pt-BR", None, None]


def test_a_list_at_the_site_root_is_allowed_and_never_published(root: Path) -> None:
    (root / "readers.csv").write_text(READERS, encoding="utf-8", newline="")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        code, output = run(root, "--to", str(root / "readers.csv"), "--smtp",
                           f"smtp://127.0.0.1:{port}")
    assert code == 0, output
    assert (root / "readers.sent.jsonl").is_file()
    result = CliRunner().invoke(cli, ["--site", str(root), "build"])
    assert result.exit_code == 0, result.output
    published = [p.name for p in (root / "site").rglob("*")]
    assert published and not [n for n in published if n.startswith("readers")]
