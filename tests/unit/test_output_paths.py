"""Output.target and Output.write: staged paths never leave staging, and a whole build's spare
holds a hard link to every staged file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.output import Output


def _output(tmp_path: Path) -> Output:
    (tmp_path / "briefgen.yaml").write_text("title: T\n")
    output = Output(tmp_path, tmp_path / "site")
    output.begin()
    return output


@pytest.mark.parametrize("rel", ["../x.html", "a/../../x.html", "/etc/x", "", ".", "a/..",
                                 "./..", "a//../../b"])
def test_a_name_that_would_leave_staging_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(BriefgenError, match="would leave the output folder"):
        _output(tmp_path).target(rel)


@pytest.mark.parametrize(("rel", "made"), [
    ("a/b/index.html", "a/b/index.html"),
    ("a//b.html", "a/b.html"),
    ("a/./b.html", "a/b.html"),
    ("./c.html", "c.html"),
    (".well-known/x.txt", ".well-known/x.txt"),
    ("a/.hidden", "a/.hidden"),
    ("d/", "d"),
])
def test_an_unusual_name_is_staged_where_its_parts_say(tmp_path: Path, rel: str,
                                                       made: str) -> None:
    output = _output(tmp_path)
    path = output.target(rel)
    assert path == f"{output.staging}/{made}"
    assert Path(path).parent.is_dir()


def test_write_stages_the_bytes_and_links_them_into_the_spare(tmp_path: Path) -> None:
    output = _output(tmp_path)
    output.mirror_whole()
    path = output.write("briefings/2026/a/index.html", b"<p>new</p>")
    output.write("briefings/2026/a/card.png", b"png")
    assert Path(path).read_bytes() == b"<p>new</p>"
    spare = output.spare / "briefings/2026/a/index.html"
    assert os.path.samefile(spare, path)
    assert (output.spare / "briefings/2026/a/card.png").read_bytes() == b"png"


def test_write_without_a_spare_touches_only_staging(tmp_path: Path) -> None:
    output = _output(tmp_path)
    Path(output.write("x/index.html", b"a" * 100_000)).stat()
    assert (output.staging / "x/index.html").read_bytes() == b"a" * 100_000
    assert not output.spare.exists()


def test_link_shares_the_file_with_staging_and_the_spare(tmp_path: Path) -> None:
    output = _output(tmp_path)
    output.mirror_whole()
    source = tmp_path / "kept.png"
    source.write_bytes(b"png")
    path = output.link("a/b/card.png", str(source))
    assert os.path.samefile(path, source)
    assert os.path.samefile(output.spare / "a/b/card.png", source)


def test_link_copies_where_links_are_refused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    output = _output(tmp_path)
    source = tmp_path / "kept.png"
    source.write_bytes(b"png")
    monkeypatch.setattr("os.link", refused)
    path = output.link("a/card.png", str(source))
    assert Path(path).read_bytes() == b"png" and not os.path.samefile(path, source)


def test_link_of_a_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _output(tmp_path).link("a/card.png", str(tmp_path / "gone.png"))


def test_folders_are_made_with_their_missing_parents_and_may_exist(tmp_path: Path) -> None:
    output = _output(tmp_path)
    (output.staging / "a/b").mkdir(parents=True)  # made before, by someone else
    assert Path(output.target("a/b/c/d/index.html")).parent.is_dir()
    assert Path(output.target("a/b/x.html")).parent.is_dir()
    (output.staging / "f").write_text("a file")
    with pytest.raises(FileExistsError):
        output.target("f/index.html")


def test_a_folder_another_process_makes_first_is_taken_as_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's processes share staging: the folder of a briefing's page and card may be made
    by the other process between this one making its parent and making it."""
    output = _output(tmp_path)
    real = os.mkdir
    wanted = f"{output.staging}/briefings/2025/a"

    def and_the_other_process(path: str, *args: object) -> None:
        real(path)
        if path == wanted.rpartition("/")[0]:
            real(wanted)  # the other process, just then

    monkeypatch.setattr(os, "mkdir", and_the_other_process)
    assert output.write("briefings/2025/a/index.html", b"x") == f"{wanted}/index.html"
    assert Path(wanted, "index.html").read_bytes() == b"x"


def test_a_file_where_a_folder_should_be_is_an_error(tmp_path: Path) -> None:
    output = _output(tmp_path)
    Path(output.staging, "taken").write_text("a file")
    with pytest.raises(FileExistsError):
        output.target("taken/index.html")
