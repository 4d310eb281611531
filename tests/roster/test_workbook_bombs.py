"""Workbooks built to exhaust memory, and ordinary ones that look a little like them.

Each bomb runs through the real CLI in a subprocess, under a 4 GiB address-space limit so a
regression fails instead of swapping the machine, and must end the way the hostile-roster
corpus requires: exit 3, one stderr line naming the file, no traceback, nothing left behind.
Every file is generated in tmp_path by tests/bombs.py; none is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import bombs
import pytest

from pairctl.errors import ExitCode, RosterError
from pairctl.roster import read_roster, workbook_guard
from pairctl.roster.workbook_guard import MAX_CELLS, check_workbook

try:
    import resource
except ImportError:  # Windows: no address-space limit for the subprocesses
    resource = None  # type: ignore[assignment]


def _limit_memory() -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (4 * bombs.GIB, 4 * bombs.GIB))


def pairctl(*args: str, cwd: Path, program: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run pairctl (by default `python -m pairctl`) in `cwd` with limited memory."""
    return subprocess.run(
        [*(program or [sys.executable, "-m", "pairctl"]), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_memory if resource is not None else None,
    )


def the_error(result: subprocess.CompletedProcess, file: Path) -> str:
    """The one line a clean refusal prints, after checking it is one."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == ExitCode.BAD_ROSTER, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pairctl: error:"), lines[0]
    assert str(file) in lines[0], lines[0]
    return lines[0]


# name -> (file name, builder, what the message must say)
BOMBS: dict[str, tuple[str, Callable[[Path], Path], str]] = {
    "a value in the last cell, XFD1048576": (
        "roster.xlsx",
        lambda p: bombs.far_cell_xlsx(p, "XFD1048576"),
        "a cell at XFD1048576 stretches sheet 'Roster' to 16,384 columns x 1,048,576 rows",
    ),
    "a value at XFD8000 (5 GB, 31 s unguarded)": (
        "roster.xlsx",
        lambda p: bombs.far_cell_xlsx(p, "XFD8000"),
        "a cell at XFD8000 stretches sheet 'Roster' to 16,384 columns x 8,000 rows",
    ),
    "one 2 GiB string cell": (
        "roster.xlsx",
        lambda p: bombs.string_bomb_xlsx(p, 2 * bombs.GIB),
        "'xl/worksheets/sheet1.xml' alone is 2,048 MB",
    ),
    "1 GiB of whitespace in a sheet": (
        "roster.xlsx",
        lambda p: bombs.whitespace_xlsx(p, bombs.GIB),
        "it unpacks to more than the 512 MB pairctl reads",
    ),
    "1 GiB of whitespace in an ods": (
        "roster.ods",
        lambda p: bombs.whitespace_ods(p, bombs.GIB),
        "'content.xml' alone is 1,024 MB",
    ),
    "60 million shared strings": (
        "roster.xlsx",
        lambda p: bombs.shared_strings_bomb_xlsx(p, 60_000_000),
        "more shared strings than the 10,000,000 pairctl reads",
    ),
    "a sheet part that says it is 1 KB and unpacks to 1 GiB": (
        "roster.xlsx",
        lambda p: bombs.whitespace_xlsx(p, bombs.GIB, stated=1000),
        "'xl/worksheets/sheet1.xml' unpacks to more than the archive says",
    ),
    "one 16 MB shared string in 100 cells": (
        "roster.xlsx",
        lambda p: bombs.shared_text_bomb_xlsx(p, 16 << 20, 100),
        "the cells of sheet 'Roster' repeat shared text adding up to more than the 512 MB",
    ),
    "a string table claiming a trillion strings": (
        "roster.xlsx",
        lambda p: bombs.unique_count_xlsx(p, 10**12),
        "it declares 1,000,000,000,000 shared strings",
    ),
    "an ods repeating a value over 6,000 full rows": (
        "roster.ods",
        lambda p: bombs.repeated_value_ods(p, 6000),
        "reading it needs more than",
    ),
}


@pytest.mark.parametrize("case", BOMBS)
def test_bomb_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    name, build, needle = BOMBS[case]
    given, out_dir = tmp_path / "in", tmp_path / "out"
    given.mkdir()
    out_dir.mkdir()
    roster = build(given / name)

    result = pairctl("match", str(roster), "-o", str(out_dir / "pairs.xlsx"), cwd=tmp_path)

    error = the_error(result, roster)
    assert needle in error
    assert "as CSV" in error, "the message says what to do"
    assert list(out_dir.iterdir()) == [], "a refused run left a file behind"
    assert [p.name for p in given.iterdir()] == [name]


def test_bomb_given_as_history_is_refused_in_one_line(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(",".join(map(str, row)) for row in bombs.ROSTER) + "\n")
    history = bombs.far_cell_xlsx(tmp_path / "round1.xlsx", "XFD1048576")
    out = tmp_path / "pairs.xlsx"

    result = pairctl("match", str(roster), "--history", str(history), "-o", str(out), cwd=tmp_path)

    assert "a cell at XFD1048576 stretches" in the_error(result, history)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv", "round1.xlsx"]


def test_cell_just_past_the_cap_is_refused(tmp_path: Path) -> None:
    # 50 columns x 200,001 rows is one row more than MAX_CELLS allows.
    assert MAX_CELLS == 50 * 200_000
    bombs.far_cell_xlsx(tmp_path / "roster.xlsx", "AX200001")
    with pytest.raises(RosterError, match="stretches sheet 'Roster' to 50 columns x 200,001"):
        read_roster(str(tmp_path / "roster.xlsx"))


def test_bomb_spread_over_many_pieces_is_still_found(tmp_path: Path) -> None:
    # 12 MB of cells before the far one, so the scan crosses several 4 MiB pieces mid-tag.
    filler = bombs.repeated(
        "xl/worksheets/sheet1.xml",
        bombs.sheet_start(),
        b'<row r="7"><c r="B7" t="inlineStr"><is><t>x</t></is></c></row>' * 65_000,
        3,
        '<row r="8000"><c r="XFD8000"><v>1</v></c></row>' + bombs.SHEET_END,
    )
    bombs.xlsx(tmp_path / "roster.xlsx", filler)
    with pytest.raises(RosterError, match="a cell at XFD8000 stretches"):
        read_roster(str(tmp_path / "roster.xlsx"))


def test_second_address_pushed_into_the_next_piece_is_not_trusted(tmp_path: Path) -> None:
    # calamine keeps a cell's last `r`. A quoted '<' can make the scan cut its piece inside
    # the tag, so the far `r` lands in a piece of its own; it must still be noticed.
    start = bombs.sheet_start() + '<row r="7"><c r="A7" t="inlineStr"><is><t>'
    cell_start = '</t></is></c></row><row r="8"><c r="A8" q="'
    quoted_lt = workbook_guard._STEP - workbook_guard._LOOKAHEAD - 100
    filler = "p" * (quoted_lt - len(start) - len(cell_start))
    worksheet = start + filler + cell_start + "<" + "z" * 200 + '" r="XFD8000"><v>1</v></c></row>'
    assert worksheet.index('q="<') + 3 == quoted_lt
    part = bombs.part("xl/worksheets/sheet1.xml", worksheet + bombs.SHEET_END, stored=True)
    path = bombs.xlsx(tmp_path / "roster.xlsx", part)
    assert check_workbook(path.read_bytes(), "roster.xlsx") is True, "read in the child"
    with pytest.raises(RosterError, match="reading it needs more than"):
        read_roster(str(path))


# --- what must still read ------------------------------------------------------------------


def test_far_but_reasonable_cells_still_read(tmp_path: Path) -> None:
    notes = (
        f'<row r="2">{bombs.cell("AB2", "checked")}</row>'
        f'<row r="5000">{bombs.cell("Z5000", "printed 2024-05-01")}</row>'
    )
    path = bombs.xlsx(tmp_path / "roster.xlsx", bombs.sheet(bombs.sheet_rows(bombs.ROSTER) + notes))
    roster = read_roster(str(path))
    assert [p.key for p in roster.people] == [row[0] for row in bombs.PEOPLE]


def test_formatted_empty_cells_far_out_still_read(tmp_path: Path) -> None:
    # Excel writes formatting-only cells self-closing; calamine allocates nothing for them.
    formatted = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = bombs.roster_xlsx(tmp_path / "roster.xlsx", formatted)
    assert len(read_roster(str(path)).people) == len(bombs.PEOPLE)


def test_sheet_counted_twice_counts_its_bytes_once(tmp_path: Path) -> None:
    # The far formatting-only cell fails the quick count, so the sheet is read again exactly;
    # its 40 MB must not count twice against a 60 MB budget.
    text = b"x" * 4000
    rows = (b'<row r="7"><c r="B7" t="inlineStr"><is><t>' + text + b"</t></is></c></row>") * 1000
    far = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    worksheet = bombs.repeated(
        "xl/worksheets/sheet1.xml", bombs.sheet_start(), rows, 10, far + bombs.SHEET_END
    )
    path = bombs.xlsx(tmp_path / "roster.xlsx", worksheet)
    assert check_workbook(path.read_bytes(), "roster.xlsx", budget=60 << 20) is False


def test_libreoffice_style_ods_with_huge_empty_repeats_still_reads(tmp_path: Path) -> None:
    path = bombs.libreoffice_style_ods(tmp_path / "roster.ods")
    roster = read_roster(str(path))
    assert [p.key for p in roster.people] == [row[0] for row in bombs.PEOPLE]


def test_plain_xlsx_is_checked_in_process(tmp_path: Path) -> None:
    # Pieces cut mid-tag, shared strings and all: no need for the slower child process.
    cells = b'<c r="A7" s="0" t="s"><v>1</v></c><c r="B7" s="0" t="s"><v>0</v></c>'
    sheet = bombs.repeated(
        "xl/worksheets/sheet1.xml",
        bombs.sheet_start(),
        b'<row r="7" spans="1:2">' + cells * 40_000 + b"</row>",
        4,
        bombs.SHEET_END,
    )
    strings = bombs.repeated(
        "xl/sharedStrings.xml",
        bombs.strings_start(' count="9" uniqueCount="9"'),
        b'<si><t xml:space="preserve">Ana</t></si><si><r><t>B</t></r><r><t>o</t></r></si>' * 70_000,
        3,
        "</sst>",
    )
    path = bombs.xlsx(tmp_path / "roster.xlsx", sheet, shared_strings=strings)
    assert check_workbook(path.read_bytes(), "roster.xlsx") is False
    openpyxl_made = bombs.roster_xlsx(tmp_path / "plain.xlsx")
    assert check_workbook(openpyxl_made.read_bytes(), "plain.xlsx") is False


# --- the child process ---------------------------------------------------------------------


def _plant(folder: Path) -> None:
    """Modules that leave a mark when imported from `folder`."""
    for name in ("python_calamine", "sitecustomize"):
        (folder / f"{name}.py").write_text(
            f"import pathlib\npathlib.Path(__file__).with_name('{name}.ran').write_text('x')\n"
        )


def _console_script() -> list[str]:
    script = shutil.which("pairctl", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the pairctl console script is not installed beside this interpreter")
    return [script]


def test_reader_child_ignores_modules_planted_in_the_working_folder(tmp_path: Path) -> None:
    # `python -m` puts the working folder on the path by design; the console script does
    # not, and neither may the child that reads the workbook first.
    _plant(tmp_path)
    bombs.libreoffice_style_ods(tmp_path / "roster.ods")

    result = pairctl(
        "match", "roster.ods", "-o", "pairs.xlsx", cwd=tmp_path, program=_console_script()
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pairs.xlsx").is_file()
    assert sorted(p.name for p in tmp_path.glob("*.ran")) == []


def test_reader_child_ignores_planted_modules_for_a_real_xls(
    tmp_path: Path, real_data: Path
) -> None:
    _plant(tmp_path)
    shutil.copy(real_data / "messy" / "hr13_roster.xls", tmp_path / "roster.xls")

    result = pairctl(
        "match", "roster.xls", "--map", "specialty=Position", "-o", "pairs.xlsx",
        cwd=tmp_path, program=_console_script(),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pairs.xlsx").is_file()
    assert sorted(p.name for p in tmp_path.glob("*.ran")) == []


def test_reader_child_runs_isolated_from_the_root_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict]] = []
    real_run = subprocess.run

    def spy(args: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        calls.append((args, kwargs))
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    path = bombs.libreoffice_style_ods(tmp_path / "roster.ods")
    read_roster(str(path))

    [(args, kwargs)] = calls
    assert args[:3] == [sys.executable, "-I", "-c"]
    assert kwargs["cwd"] == os.path.abspath(os.sep)
    assert int(args[4]) >= 2**29, "the child's memory limit, in bytes"
    assert kwargs["timeout"]
