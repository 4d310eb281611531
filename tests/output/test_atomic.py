from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from pairctl.errors import ExitCode, OutputError, OutputExistsError
from pairctl.output.atomic import atomic_write, atomic_write_all, remove_stale_temps
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


def test_temp_file_has_an_unmistakable_name(tmp_path: Path) -> None:
    seen: list[Path] = []
    atomic_write(tmp_path / "pairs[1].xlsx", lambda tmp: seen.append(tmp))
    assert re.fullmatch(r"\.pairs\[1\]\.xlsx\.pairctl-[0-9a-f]{8}\.tmp", seen[0].name)


def _leave_a_temp(target: Path) -> Path:
    """What a run killed while writing `target` leaves: the very temporary file it wrote."""
    seen: list[Path] = []

    def killed(tmp: Path) -> None:
        tmp.write_bytes(b"half a sheet")
        seen.append(tmp)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, killed)
    seen[0].write_bytes(b"half a sheet")  # the kill came before the cleanup could run
    return seen[0]


USERS_FILES = {
    ".budget.xlsx.v2.tmp": b"budget draft",
    "pairs1.xlsx": b"last year's pairs",
    "a.csv": b"someone's list",
    ".notes.tmp": b"notes",
    ".other.xlsx.0123abcd.tmp": b"looks old-style, but for another name",
    "keep.txt": b"the file a symlink points at",
}


@pytest.mark.parametrize("name", ["*.xlsx", "pairs[1].xlsx", "?.csv", "pairs.xlsx"])
def test_remove_stale_temps_removes_only_pairctls_own(tmp_path: Path, name: str) -> None:
    for user_file, content in USERS_FILES.items():
        (tmp_path / user_file).write_bytes(content)
    link = tmp_path / ".keep.txt.pairctl-0123abcd.tmp"
    link.symlink_to(tmp_path / "keep.txt")
    (tmp_path / ".folder.xlsx.pairctl-0123abcd.tmp").mkdir()
    target = tmp_path / name
    ours = _leave_a_temp(target)
    yesterdays = _leave_a_temp(tmp_path / "pairs-2026-11-30.xlsx")
    old_release = tmp_path / f".{name}.89abcdef.tmp"  # what earlier releases named it
    old_release.write_bytes(b"half a sheet")

    removed = remove_stale_temps(target)

    assert sorted(removed) == sorted([ours, yesterdays, old_release])
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {*USERS_FILES, link.name, ".folder.xlsx.pairctl-0123abcd.tmp"}
    for user_file, content in USERS_FILES.items():
        assert (tmp_path / user_file).read_bytes() == content
    assert link.is_symlink()


def test_remove_stale_temps_in_an_empty_or_missing_folder_removes_nothing(tmp_path: Path) -> None:
    assert remove_stale_temps(tmp_path / "pairs.xlsx") == []
    assert remove_stale_temps(tmp_path / "gone" / "pairs.xlsx") == []


def _saver(text: str):
    def save(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return save


def _disk_full(tmp: Path) -> None:
    tmp.write_text("half a templ", encoding="utf-8")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_write_all_puts_every_file_in_place(tmp_path: Path) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    written = atomic_write_all([(config, _saver("[weights]")), (template, _saver("ID,Name"))])
    assert written == [config, template]
    assert config.read_text(encoding="utf-8") == "[weights]"
    assert template.read_text(encoding="utf-8") == "ID,Name"
    assert sorted(os.listdir(tmp_path)) == ["pairctl.toml", "roster-template.csv"]


@pytest.mark.parametrize("replace", [False, True])
def test_write_all_on_a_full_disk_writes_none(tmp_path: Path, replace: bool) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    with pytest.raises(OutputError) as caught:
        atomic_write_all([(config, _saver("[weights]")), (template, _disk_full)], replace=replace)
    assert caught.value.message == f"cannot write {template}: No space left on device"
    assert os.listdir(tmp_path) == []


def test_write_all_on_a_full_disk_keeps_the_old_files(tmp_path: Path) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    config.write_text("old config", encoding="utf-8")
    template.write_text("old template", encoding="utf-8")
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write_all([(config, _saver("new")), (template, _disk_full)])
    assert config.read_text(encoding="utf-8") == "old config"
    assert template.read_text(encoding="utf-8") == "old template"
    assert sorted(os.listdir(tmp_path)) == ["pairctl.toml", "roster-template.csv"]


def test_write_all_interrupted_writes_none(tmp_path: Path) -> None:
    def interrupted(tmp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write_all([(tmp_path / "a.toml", _saver("a")), (tmp_path / "b.csv", interrupted)])
    assert os.listdir(tmp_path) == []


def test_write_all_without_replace_names_every_taken_file_and_writes_none(tmp_path: Path) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    template.write_text("mine", encoding="utf-8")
    calls: list[Path] = []

    def save(tmp: Path) -> None:
        calls.append(tmp)

    with pytest.raises(OutputExistsError) as caught:
        atomic_write_all([(config, save), (template, save)], replace=False)
    assert caught.value.message == f"{template}: already exists; use --force to replace it"
    assert calls == []
    assert os.listdir(tmp_path) == ["roster-template.csv"]
    assert template.read_text(encoding="utf-8") == "mine"


def test_write_all_without_replace_takes_back_the_first_when_the_second_is_taken(
    tmp_path: Path,
) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"

    def meanwhile(tmp: Path) -> None:
        tmp.write_text("ours", encoding="utf-8")
        template.write_text("someone else's", encoding="utf-8")  # appears while we write

    with pytest.raises(OutputExistsError, match=r"roster-template\.csv: already exists"):
        atomic_write_all([(config, _saver("[weights]")), (template, meanwhile)], replace=False)
    assert sorted(os.listdir(tmp_path)) == ["roster-template.csv"]
    assert template.read_text(encoding="utf-8") == "someone else's"


def test_write_all_restores_the_replaced_file_when_the_second_cannot_be_placed(
    tmp_path: Path,
) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    config.write_text("old config", encoding="utf-8")
    template.mkdir()  # a folder where the file should go: the rename is refused
    with pytest.raises(OutputError, match=r"roster-template\.csv"):
        atomic_write_all([(config, _saver("new config")), (template, _saver("ID"))])
    assert config.read_text(encoding="utf-8") == "old config"
    assert sorted(os.listdir(tmp_path)) == ["pairctl.toml", "roster-template.csv"]
    assert template.is_dir() and os.listdir(template) == []


def test_write_all_takes_back_a_new_file_when_the_second_cannot_be_placed(tmp_path: Path) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    template.mkdir()
    with pytest.raises(OutputError, match=r"roster-template\.csv"):
        atomic_write_all([(config, _saver("new config")), (template, _saver("ID"))])
    assert os.listdir(tmp_path) == ["roster-template.csv"]


def test_write_all_leaves_alone_a_file_someone_else_put_there_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, template = tmp_path / "pairctl.toml", tmp_path / "roster-template.csv"
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == template:
            # Another program saves its own pairctl.toml just before our second rename fails.
            (tmp_path / "theirs").write_text("their config", encoding="utf-8")
            real_replace(tmp_path / "theirs", config)
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match=r"is it open in another program\?"):
        atomic_write_all([(config, _saver("ours")), (template, _saver("ID"))])
    monkeypatch.undo()
    assert config.read_text(encoding="utf-8") == "their config"
    assert os.listdir(tmp_path) == ["pairctl.toml"]


def test_write_all_refuses_one_file_given_twice(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="given twice"):
        atomic_write_all(
            [(tmp_path / "a.csv", _saver("1")), (tmp_path / "." / "a.csv", _saver("2"))]
        )
    assert os.listdir(tmp_path) == []


def test_write_all_into_a_missing_folder_writes_none(tmp_path: Path) -> None:
    good, bad = tmp_path / "pairctl.toml", tmp_path / "gone" / "roster-template.csv"
    with pytest.raises(OutputError, match="no such folder"):
        atomic_write_all([(good, _saver("x")), (bad, _saver("y"))])
    assert os.listdir(tmp_path) == []


def test_the_longest_name_a_folder_takes_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / ("y" * 251 + ".csv")  # 255 bytes: no room for a longer temp name
    atomic_write(target, _write_text("x"))
    assert os.listdir(tmp_path) == [target.name]
    leftover = _leave_a_temp(target)
    assert remove_stale_temps(target) == [leftover]


def test_a_folder_name_too_long_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300) / "pairctl.toml"
    with pytest.raises(OutputError, match=r"File name too long$"):
        atomic_write(target, _write_text("x"))
    with pytest.raises(OutputError, match=r"File name too long$"):
        atomic_write_all([(target, _write_text("x"))])
