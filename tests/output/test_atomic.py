from __future__ import annotations

import os
from pathlib import Path

import pytest

from pairctl.errors import ExitCode, OutputError, OutputExistsError
from pairctl.output.atomic import atomic_write
from pairctl.output.destination import next_dated_name


def _write_text(text: str):
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write


def test_writes_the_content_and_leaves_only_the_file(tmp_path: Path) -> None:
    target = tmp_path / "pairs.csv"
    atomic_write(target, _write_text("hello"))
    assert target.read_text(encoding="utf-8") == "hello"
    assert os.listdir(tmp_path) == ["pairs.csv"]


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "pairs.csv"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, _write_text("new"))
    assert target.read_text(encoding="utf-8") == "new"
    assert os.listdir(tmp_path) == ["pairs.csv"]


def test_temp_file_sits_beside_the_destination(tmp_path: Path) -> None:
    seen: list[Path] = []
    atomic_write(tmp_path / "pairs.xlsx", lambda tmp: seen.append(tmp))
    assert seen[0].parent == tmp_path
    assert seen[0] != tmp_path / "pairs.xlsx"


def test_failed_write_removes_temp_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "pairs.csv"
    target.write_text("old", encoding="utf-8")

    def explode(tmp: Path) -> None:
        tmp.write_text("half a sh", encoding="utf-8")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        atomic_write(target, explode)
    assert os.listdir(tmp_path) == ["pairs.csv"]
    assert target.read_text(encoding="utf-8") == "old"


def test_failed_write_without_old_file_leaves_nothing(tmp_path: Path) -> None:
    def explode(tmp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "pairs.csv", explode)
    assert os.listdir(tmp_path) == []


def test_missing_folder_is_an_output_error_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "pairs.xlsx"
    with pytest.raises(OutputError) as caught:
        atomic_write(target, _write_text("x"))
    message = caught.value.message
    assert str(target) in message
    assert "no such folder" in message
    assert "\n" not in message
    assert caught.value.exit_code == ExitCode.CANNOT_WRITE
    assert not target.parent.exists()


def test_os_error_while_writing_becomes_output_error_with_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "pairs.xlsx"

    def disk_full(tmp: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"pairs\.xlsx: No space left on device$"):
        atomic_write(target, disk_full)
    assert os.listdir(tmp_path) == []


def test_destination_that_is_a_folder_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "pairs.xlsx"
    target.mkdir()
    with pytest.raises(OutputError, match=r"pairs\.xlsx"):
        atomic_write(target, _write_text("x"))
    assert os.listdir(tmp_path) == ["pairs.xlsx"]
    assert target.is_dir()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_new_file_gets_the_usual_permissions_not_private_temp_ones(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "pairs.csv", _write_text("x"))
    finally:
        os.umask(old)
    assert (tmp_path / "pairs.csv").stat().st_mode & 0o777 == 0o644


def test_no_replace_never_overwrites_a_file_that_appears_during_the_write(tmp_path: Path) -> None:
    target = tmp_path / "pairs.xlsx"

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"someone else's")  # another run finished first

    with pytest.raises(OutputExistsError, match="already exists"):
        atomic_write(target, write, replace=False)
    assert target.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.xlsx"]


def test_no_replace_moves_on_to_the_next_dated_name(tmp_path: Path) -> None:
    target = tmp_path / "pairs-2026-11-28.xlsx"
    target.write_bytes(b"first run")
    (tmp_path / "pairs-2026-11-28-2.xlsx").write_bytes(b"second run")
    landed = atomic_write(
        target, lambda tmp: tmp.write_bytes(b"third run"), replace=False, next_name=next_dated_name
    )
    assert landed == tmp_path / "pairs-2026-11-28-3.xlsx"
    assert landed.read_bytes() == b"third run"
    assert target.read_bytes() == b"first run"
    assert len(list(tmp_path.iterdir())) == 3
