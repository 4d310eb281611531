"""`pairctl validate`: a roster checked without pairing."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run

from pairctl.errors import ExitCode

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def findings(result) -> dict[str, tuple[str, str]]:
    data = json.loads(result.stdout)
    return {f["topic"]: (f["level"], f["message"]) for f in data["findings"]}


def test_the_clean_sample_can_be_paired():
    result = run("validate", str(SAMPLE / "roster.xlsx"), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["can_pair"] is True
    found = findings(result)
    assert "Job title" in found["blind"][1]
    assert "specialty <- 'Specialty'" in found["columns"][1]
    assert not any(level == "problem" for level, _ in found.values())


def test_each_kind_of_trouble_is_flagged(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn,Manager ID\n"
        "A,Eng,python,sql,\n"
        "B,Eng,,sql,A\n"  # no skills
        "C,Eng,sql,,A\n"  # no wants
        "D,Eng,go,python,Z9\n"  # unknown manager
        "E,Sales,sql,go,A\n"
        "Total: 5 people,,,,\n",  # a footer row, skipped
        encoding="utf-8",
    )
    result = run("validate", str(roster), "--json")
    assert result.exit_code == 0, result.stderr
    found = findings(result)
    assert found["no skills"] == ("warning", "1: B")
    assert found["no wants"] == ("warning", "1: C")
    assert "Z9" in found["unknown managers"][1]
    assert "'Eng' holds 4 of 5 people" in found["majority specialty"][1]
    assert "row 7: skipped" in found["reading"][1]


def test_a_roster_that_cannot_be_paired_exits_non_zero(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("ID,Specialty\n7,Eng\n8,Ops\n7,Law\n", encoding="utf-8")
    result = run("validate", str(roster))
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert "key '7' appears on rows 2 and 4" in result.stderr


def test_plain_report_off_a_terminal():
    result = run("validate", str(SAMPLE / "roster.csv"))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "40 people read" in result.stdout
