"""`pairctl validate` reports every problem in one run, always answers `--json` with one
object, and ends a plain report with its verdict; `match` still stops at the first."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cli_helpers import run

from pairctl.errors import ExitCode

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
DUPLICATE_A = (
    "r.csv, column 'ID': key 'A' appears on rows 2 and 4 (someone who answered twice? keep "
    "one answer with --duplicates latest or first)"
)
DUPLICATE_B = (
    "r.csv, column 'ID': key 'B' appears on rows 3 and 6 (someone who answered twice? keep "
    "one answer with --duplicates latest or first)"
)
BAD_YEARS = "r.csv, row 3, column 'Years of experience': 'abc' is not a number of years"
BAD_ACTIVE = "r.csv, row 5, column 'Active': 'maybe' is not yes or no"
BAD_AWAY = (
    "r.csv, row 7, column 'Away until': 'soon' is not a date; write it as YYYY-MM-DD "
    "(e.g. 2027-03-31)"
)
ALL_FIVE = [DUPLICATE_A, DUPLICATE_B, BAD_YEARS, BAD_ACTIVE, BAD_AWAY]
HEADER = "ID,Specialty,Years of experience,Active,Away until\n"


def bad_roster(folder: Path, *, duplicates: bool = True) -> Path:
    """Three bad cells (rows 3, 5, 7) and, unless told not to, two repeated keys."""
    again = ("A", "B") if duplicates else ("X", "Y")
    path = folder / "r.csv"
    path.write_text(
        HEADER
        + "A,Eng,3,yes,\n"
        + "B,Ops,abc,yes,\n"  # row 3: experience
        + f"{again[0]},Law,2,yes,\n"  # row 4: A again
        + "C,Eng,1,maybe,\n"  # row 5: active
        + f"{again[1]},Ops,4,no,\n"  # row 6: B again
        + "D,Eng,2,yes,soon\n",  # row 7: away until
        encoding="utf-8",
    )
    return path


def last_line(result) -> str:
    return result.stdout.rstrip("\n").splitlines()[-1]


def problems(result) -> list[str]:
    data = json.loads(result.stdout)
    return [f["message"] for f in data["findings"] if f["level"] == "problem"]


def test_validate_json_reports_every_bad_cell_and_every_repeated_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad_roster(tmp_path)
    result = run("validate", "r.csv", "--json")
    assert result.exit_code == ExitCode.BAD_ROSTER, result.stderr
    assert json.loads(result.stdout)["can_pair"] is False
    assert sorted(problems(result)) == sorted(ALL_FIVE)


def test_validate_plain_lists_all_five_and_ends_with_the_verdict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad_roster(tmp_path)
    result = run("validate", "r.csv")
    assert result.exit_code == ExitCode.BAD_ROSTER, result.stderr
    flat = " ".join(result.stdout.split())
    for message in ALL_FIVE:
        assert " ".join(message.split()) in flat
    assert last_line(result) == "Cannot be paired: 5 problems (see above)."


def test_match_still_stops_at_the_first_problem_with_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad_roster(tmp_path)
    result = run("match", "r.csv", "--dry-run")
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert result.stderr == f"pairctl: error: {DUPLICATE_A}\n"
    bad_roster(tmp_path, duplicates=False)
    result = run("match", "r.csv", "--dry-run")
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert result.stderr == f"pairctl: error: {BAD_YEARS}\n"


def test_validate_collects_each_row_wider_than_the_header(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.csv").write_text(
        "ID,Specialty\nA,Eng\nB,Ops,extra\nC,Law\nD,Eng,more,cells\n", encoding="utf-8"
    )
    result = run("validate", "r.csv", "--json")
    assert result.exit_code == ExitCode.BAD_ROSTER, result.stderr
    assert problems(result) == [
        "r.csv, row 3: 3 cells but the header has 2 columns (an unquoted comma or delimiter "
        "in a cell?)",
        "r.csv, row 5: 4 cells but the header has 2 columns (an unquoted comma or delimiter "
        "in a cell?)",
    ]
    matched = run("match", "r.csv", "--dry-run")
    assert matched.exit_code == ExitCode.BAD_ROSTER
    assert matched.stderr.count("\n") == 1 and "row 3: 3 cells" in matched.stderr


def _unreadable(result, message: str) -> None:
    assert result.exit_code == ExitCode.BAD_ROSTER
    data = json.loads(result.stdout)
    assert data["can_pair"] is False
    assert data["findings"] == [{"level": "problem", "topic": "file", "message": message}]
    assert "settings" in data
    assert result.stderr == f"pairctl: error: {message}\n"


def test_validate_json_on_random_bytes_is_one_object(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roster.xlsx").write_bytes(random.Random(7).randbytes(4096))
    result = run("validate", "roster.xlsx", "--json")
    _unreadable(result, "roster.xlsx: cannot read workbook (not an Excel or OpenDocument file)")


def test_validate_json_on_a_missing_file_is_one_object(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _unreadable(run("validate", "missing.csv", "--json"), "missing.csv: no such file")


def test_verdict_for_a_roster_that_can_be_paired():
    roster = str(SAMPLE / "roster.csv")
    data = json.loads(run("validate", roster, "--json").stdout)
    warnings = sum(f["level"] == "warning" for f in data["findings"])
    assert warnings == 2  # the sample's two warnings, so the plural form is what is checked
    result = run("validate", roster)
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == "Can be paired: 40 people, 2 warnings."


def test_verdict_without_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.csv").write_text(
        "ID,Specialty,Skills,Wants to learn\nA,Eng,sql,go\nB,Ops,go,sql\n", encoding="utf-8"
    )
    result = run("validate", "r.csv")
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == "Can be paired: 2 people, no warnings."
