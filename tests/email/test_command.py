"""`briefgen email`: .eml files written into -o DIR, folders refused, exit codes 0, 1 and 2."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from tests.email.kit import desk


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--site", str(root), "email", *args])
    return result.exit_code, result.output


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return desk(tmp_path)


def test_each_email_is_written_as_a_stable_eml_file(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    code, output = run(root, "content/briefings/grid.md", "/briefings/2026/03/late-night/",
                       "--lang", "ru", "-o", str(out))
    assert code == 0, output
    names = ["2026-03-02-grid.ru.eml", "2026-03-05-late-night.eml"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert f"wrote {out / names[0]}: Соглашение о сетях подписано" in output
    first = (out / names[0]).read_bytes()
    msg = message_from_bytes(first, policy=default)
    assert msg.get_content_type() == "multipart/alternative"
    code, _output = run(root, "content/briefings/grid.md", "/briefings/2026/03/late-night/",
                        "--lang", "ru", "-o", str(out))
    assert code == 0 and (out / names[0]).read_bytes() == first  # the same bytes again


def test_a_digest_is_one_file_named_for_its_period(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    assert run(root, "--digest", "daily", "--date", "2026-03-05", "-o", str(out))[0] == 0
    assert run(root, "--digest", "weekly", "--date", "2026-03-05", "-o", str(out))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "digest-daily-2026-03-05.eml", "digest-weekly-2026-W10.eml"]


@pytest.mark.parametrize("folder", ["site/emails", "site", "content/emails", "static/x"])
def test_a_folder_the_build_publishes_or_replaces_is_refused(root: Path, folder: str) -> None:
    code, output = run(root, "-o", str(root / folder))
    assert code == 1
    assert f"error: refusing to write emails into {root / folder}: it is inside the site's" \
        in output
    assert not (root / folder).exists() or not any((root / folder).glob("*.eml"))


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2026-03-05"], "--date only applies to --digest"),
    (["--digest", "daily", "content/briefings/grid.md"], "name briefings or use --digest"),
    (["--digest", "monthly"], "'monthly' is not one of 'daily', 'weekly'"),
    (["--digest", "daily", "--date", "5.3.2026"], "'5.3.2026' is not a date like 2026-03-04"),
    (["--lang", "de"], "unknown language 'de' (the site's languages: en, ru)"),
    (["--base-url", "example.org"], "must be an http(s) URL"),
])
def test_wrong_usage_exits_2(root: Path, tmp_path: Path, args: list[str], message: str) -> None:
    code, output = run(root, *args, "-o", str(tmp_path / "outbox"))
    assert code == 2
    assert message in output
    assert not (tmp_path / "outbox").exists()


def test_without_an_output_folder_the_command_exits_2(root: Path) -> None:
    code, output = run(root)
    assert code == 2 and "Missing option '--output'" in output


def test_errors_exit_1_with_their_message(root: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "outbox")
    code, output = run(root, "content/briefings/nope.md", "-o", out)
    assert (code, output.strip()) == (1, "error: not a published briefing (a content path such "
                                      "as content/briefings/x.md, or its URL path): "
                                      "content/briefings/nope.md")
    (root / "content/briefings/bad.md").write_text(
        "---\ntitle: Bad\nsummary: x\ndate: 2026-03-10\n---\nText [@missing].\n")
    code, output = run(root, "-o", out)
    assert code == 1
    assert "content/briefings/bad.md:6:6: error: " in output


def test_a_new_site_from_init_can_write_its_newest_briefing(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "new")]).exit_code == 0
    code, output = run(tmp_path / "new", "-o", str(tmp_path / "outbox"))
    assert code == 0, output
    (written,) = (tmp_path / "outbox").iterdir()
    msg = message_from_bytes(written.read_bytes(), policy=default)
    assert msg["From"] == "The Briefing Desk <desk@example.org>"
    assert "subscribed to them" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
