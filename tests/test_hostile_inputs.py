"""Hostile inputs that are not roster cells: devices, pipes, huge or endless files, stray
quotes, names too long, escape codes and forged lines. Each is run as a real process (a
hang or an abort must fail the test, not freeze it) under a generous address-space limit,
and must end with its documented exit code, exactly one line on stderr, no traceback and
nothing written. Workbook bombs are in tests/roster/test_workbook_bombs.py; settings-file
cases in tests/test_config*.py.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pairctl.errors import ExitCode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and rlimits")

ROSTER = "Employee ID,Full name,Specialty,Skills,Wants to learn\n" + "".join(
    f"E{i:02d},Person {i},S{i % 4},s{i % 4},s{(i + 1) % 4}\n" for i in range(1, 25)
)
LONG = "x" * 300


def _cap_memory() -> None:
    # 4 GiB: far above what any of these inputs may cost, far below what a regression
    # (reading /dev/zero to the end) would take from the machine.
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


def pairctl(
    *args: str, cwd: Path, stdin: object = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairctl", *args],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        preexec_fn=_cap_memory,
    )


def one_error_line(done: subprocess.CompletedProcess[str], code: ExitCode) -> str:
    """The single stderr line of a failed run, after checking the code and the silence."""
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("pairctl: error: ")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return tmp_path


def written(folder: Path) -> set[str]:
    """Everything in the folder but what the test itself put there."""
    return {p.name for p in folder.iterdir()} - {"roster.csv", "pipe.csv", "rounds", "big.csv"}


def test_dev_zero_as_the_roster(folder: Path) -> None:
    line = one_error_line(pairctl("match", "/dev/zero", cwd=folder), ExitCode.BAD_ROSTER)
    assert "/dev/zero: not a regular file (a device)" in line
    assert written(folder) == set()


def test_dev_zero_on_stdin_stops_at_the_input_limit(folder: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        done = pairctl("match", "-", "-o", "pairs.xlsx", cwd=folder, stdin=zero)
    line = one_error_line(done, ExitCode.BAD_ROSTER)
    assert "<stdin>: the file is larger than the 512 MB pairctl reads" in line
    assert written(folder) == set()


@pytest.mark.parametrize("option", ["--avoid", "--pin"])
def test_dev_zero_as_a_pair_list(folder: Path, option: str) -> None:
    done = pairctl("match", "roster.csv", option, "/dev/zero", "-o", "p.xlsx", cwd=folder)
    assert "/dev/zero: not a regular file" in one_error_line(done, ExitCode.BAD_ROSTER)
    assert written(folder) == set()


def test_dev_zero_named_by_the_settings_file(folder: Path) -> None:
    (folder / "pairctl.toml").write_text('[rules]\navoid = ["/dev/zero"]\n', encoding="utf-8")
    done = pairctl("match", "roster.csv", "-o", "p.xlsx", cwd=folder)
    assert "/dev/zero: not a regular file" in one_error_line(done, ExitCode.BAD_ROSTER)
    assert written(folder) == {"pairctl.toml"}


@pytest.mark.parametrize(
    "args",
    [
        ["match", "pipe.csv", "-o", "p.xlsx"],
        ["validate", "pipe.csv"],
        ["explain", "pipe.csv", "E01"],
        ["match", "roster.csv", "--avoid", "pipe.csv", "-o", "p.xlsx"],
        ["match", "roster.csv", "--pin", "pipe.csv", "-o", "p.xlsx"],
        ["match", "roster.csv", "--history", "rounds", "-o", "p.xlsx"],
    ],
    ids=["roster", "validate", "explain", "avoid", "pin", "history-folder"],
)
def test_a_fifo_is_refused_at_once_never_waited_on(folder: Path, args: list[str]) -> None:
    os.mkfifo(folder / "pipe.csv")
    (folder / "rounds").mkdir()
    os.mkfifo(folder / "rounds" / "pairs-2026-09-01.csv")
    line = one_error_line(pairctl(*args, cwd=folder), ExitCode.BAD_ROSTER)
    assert "not a regular file (a named pipe)" in line
    assert written(folder) == set()


def test_a_2_gib_sparse_csv_is_refused_before_it_is_read(folder: Path) -> None:
    big = folder / "big.csv"
    with big.open("wb") as handle:
        handle.write(ROSTER.encode())
        handle.truncate(2 * 2**30)
    line = one_error_line(pairctl("match", "big.csv", "-o", "p.xlsx", cwd=folder), 3)
    assert "big.csv: the file is 2,048 MB, larger than the 512 MB pairctl reads" in line
    assert written(folder) == set()


def test_the_input_limit_is_a_setting(folder: Path) -> None:
    (folder / "pairctl.toml").write_text("[input]\nmax_mb = 1\n", encoding="utf-8")
    rows = "".join(f"F{i},P{i},S{i % 3},{'x' * 200},y\n" for i in range(10_000))
    (folder / "roster.csv").write_text(ROSTER + rows, encoding="utf-8")
    done = pairctl("match", "roster.csv", "-o", "p.xlsx", cwd=folder)
    assert "larger than the 1 MB pairctl reads" in one_error_line(done, ExitCode.BAD_ROSTER)


def test_the_input_limit_is_also_what_a_workbook_may_unpack_to(folder: Path) -> None:
    # 2 MB of sheet XML squeezed into a few KB: under the default budget, over max_mb = 1.
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Employee ID", "Full name", "Specialty", "Notes"])
    for i in range(2_000):
        sheet.append([f"E{i}", f"P{i}", f"S{i % 3}", "x" * 1_000])
    book.save(folder / "roster.xlsx")
    assert (folder / "roster.xlsx").stat().st_size < 1 << 20
    assert pairctl("match", "roster.xlsx", "--dry-run", "-q", cwd=folder).returncode == 0
    (folder / "pairctl.toml").write_text("[input]\nmax_mb = 1\n", encoding="utf-8")
    done = pairctl("match", "roster.xlsx", "-o", "p.xlsx", cwd=folder)
    assert "1 MB" in one_error_line(done, ExitCode.BAD_ROSTER)
    assert written(folder) == {"pairctl.toml", "roster.xlsx"}


def test_a_stray_quote_is_an_error_naming_its_row_not_a_silent_merge(folder: Path) -> None:
    lines = ROSTER.splitlines(keepends=True)
    lines[4] = '"' + lines[4]  # row 5 of 25
    (folder / "roster.csv").write_text("".join(lines), encoding="utf-8")
    line = one_error_line(pairctl("match", "roster.csv", "-o", "p.xlsx", cwd=folder), 3)
    assert "roster.csv, row 5: a quote mark" in line
    assert written(folder) == set()


def test_a_stray_quote_closed_by_a_later_one_is_refused_too(folder: Path) -> None:
    lines = ROSTER.splitlines(keepends=True)
    lines[4] = '"' + lines[4]
    lines[20] = lines[20].replace("Person", 'Per"son')
    (folder / "roster.csv").write_text("".join(lines), encoding="utf-8")
    line = one_error_line(pairctl("match", "roster.csv", "-o", "p.xlsx", cwd=folder), 3)
    assert "roster.csv, row 5: a quote mark" in line


def test_a_real_multi_line_cell_is_still_read(folder: Path) -> None:
    text = ROSTER + 'E99,"Ann\nMarie",S1,"Python, SQL\nExcel",s2\n'
    (folder / "roster.csv").write_text(text, encoding="utf-8")
    done = pairctl("match", "roster.csv", "--dry-run", "--json", cwd=folder)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["people"] == 25
    assert ["E99"] in [[k for k in p["members"] if k == "E99"] for p in result["pairs"]]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (
            ["match", "roster.csv", "-o", f"{LONG}.xlsx"],
            ExitCode.CANNOT_WRITE,
            "File name too long",
        ),
        (["match", "roster.csv", "--history", LONG, "--dry-run"], ExitCode.BAD_ROSTER, "too long"),
        (["match", "roster.csv", "--avoid", LONG, "--dry-run"], ExitCode.BAD_ROSTER, "too long"),
        (["match", f"{LONG}.csv"], ExitCode.BAD_ROSTER, "too long"),
        (["match", "roster.csv", "--config", LONG, "--dry-run"], ExitCode.BAD_CONFIG, LONG[:20]),
        (["init", LONG], ExitCode.CANNOT_WRITE, "too long"),
    ],
    ids=["output", "history", "avoid", "roster", "config", "init"],
)
def test_a_300_character_name_is_one_line_with_its_code(
    folder: Path, args: list[str], code: ExitCode, needle: str
) -> None:
    assert needle in one_error_line(pairctl(*args, cwd=folder), code)
    assert written(folder) == set()


def test_escape_codes_in_a_file_name_never_reach_the_terminal(folder: Path) -> None:
    evil = "roster\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07.csv"
    line = one_error_line(pairctl("match", evil, cwd=folder), ExitCode.BAD_ROSTER)
    assert "\x1b" not in line and "\x07" not in line
    assert "roster\\x1b]52;c;SGVsbG8=\\x07" in line  # shown, so the file can be found


def test_escape_codes_in_a_settings_key_never_reach_the_terminal(folder: Path) -> None:
    (folder / "pairctl.toml").write_text('[match]\n"\\u001b[2J" = 1\n', encoding="utf-8")
    line = one_error_line(pairctl("match", "roster.csv", "--dry-run", cwd=folder), 4)
    assert "\x1b" not in line
    assert "\\x1b[2J" in line or "\\u001b[2J" in line  # shown escaped


def test_a_newline_in_a_key_cannot_forge_a_second_line(folder: Path) -> None:
    # Everyone else pinned, so the forged key is the one left over and named in a warning.
    forged = '"E77\npairctl: error: FORGED LINE",Mallory,S1,s1,s2\n'
    (folder / "roster.csv").write_text(ROSTER + forged, encoding="utf-8")
    pins = "".join(f"E{i:02d},E{i + 1:02d}\n" for i in range(1, 25, 2))
    (folder / "pins.csv").write_text(pins, encoding="utf-8")
    done = pairctl("match", "roster.csv", "--pin", "pins.csv", "--dry-run", "-q", cwd=folder)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: E77 pairctl: error: FORGED LINE")
    assert not any(line.startswith("pairctl: error") for line in lines)


def test_bidi_controls_and_escapes_in_names_reach_the_terminal_neutralised(folder: Path) -> None:
    text = (
        "Employee ID,Full name,Specialty,Skills,Wants to learn\n"
        "E90,Ann \u202eevil\u2066x\u2069,S1,s1,s2\nE91,Di \x1b]0;owned\x07,S2,s2,s1\n"
    )
    (folder / "roster.csv").write_text(text, encoding="utf-8")
    done = pairctl("match", "roster.csv", "--dry-run", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "Ann" in done.stdout and "Di" in done.stdout  # the names are shown, made safe
    for raw in ("\u202e", "\u2066", "\u2069", "\x1b", "\x07"):
        assert raw not in done.stdout and raw not in done.stderr


@pytest.mark.parametrize("name", ["*.xlsx", "pairs[1].xlsx", "?.csv"])
def test_an_output_name_with_glob_characters_deletes_nothing_of_the_users(
    folder: Path, name: str
) -> None:
    mine = [".budget.xlsx.v2.tmp", "pairs1.xlsx", ".notes.tmp", "a.csv", ".x.xlsx.1234abcd.tmp"]
    for file in mine:
        (folder / file).write_text("the user's", encoding="utf-8")
    # A temporary sheet a killed run left under yesterday's dated name.
    stale = folder / ".pairs-2026-11-30.xlsx.pairctl-0123abcd.tmp"
    stale.write_bytes(b"half a sheet")
    done = pairctl("match", "roster.csv", "-o", name, "-q", cwd=folder)
    assert done.returncode == 0, done.stderr
    for file in mine:
        assert (folder / file).read_text(encoding="utf-8") == "the user's", file
    assert not stale.exists()
    assert (folder / name).is_file()


def test_a_deeply_nested_json_history_is_one_line_exit_3(folder: Path) -> None:
    (folder / "deep.json").write_text("[" * 200_000, encoding="utf-8")
    done = pairctl("match", "roster.csv", "--history", "deep.json", "--dry-run", cwd=folder)
    assert "deep.json: not a pairctl JSON result" in one_error_line(done, ExitCode.BAD_ROSTER)
