"""`pairctl columns` and the column rules as the coordinator meets them: protected
characteristics refused, seniority columns mapped with a warning, sign-up forms read by the
words of their questions, and "column not found" pointing to `pairctl columns`."""

from __future__ import annotations

import json
import re

import openpyxl
from cli_helpers import HEADER, run, small_roster, write_csv

from pairctl.errors import ExitCode

FORM = [
    "Timestamp",
    "Email Address",
    "Full name",
    "Which skills could you teach a colleague? (select all that apply)",
    "What would you like to learn?",
    "How many years of work experience do you have?",
    "Which team are you in?",
    "Job family",
]
FORM_ROWS = [
    ["2026-01-05 09:00", "ana@x.org", "Ana Souza", "Python, SQL", "Negotiation", "3",
     "Product", "Engineering"],
    ["2026-01-05 09:01", "bo@x.org", "Bo Lind", "Negotiation, Public speaking", "Python",
     "19", "Revenue", "Sales"],
    ["2026-01-05 09:02", "chen@x.org", "Chen Wei", "Excel", "Public speaking", "7",
     "Finance", "Finance"],
    ["2026-01-05 09:03", "dana@x.org", "Dana Okafor", "Figma", "SQL, Excel", "4", "Product",
     "Design"],
]  # fmt: skip


def test_mapping_a_field_to_gender_is_refused(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--dry-run", "--map", "department=Gender")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.count("\n") == 1
    assert "'Gender'" in result.stderr
    assert "gender, a protected characteristic" in result.stderr
    assert result.stdout == ""


def test_mapping_gender_in_the_settings_file_is_refused_too(tmp_path):
    header = ["Employee ID", "Full name", "Specialty", "Gender"]
    rows = [["1", "Ana", "Eng", "F"], ["2", "Bo", "Ops", "M"]]
    roster = write_csv(tmp_path / "roster.csv", rows, header=header)
    (tmp_path / "pairctl.toml").write_text('[columns]\ndepartment = "Gender"\n', encoding="utf-8")
    for command in ("match", "validate", "columns"):
        result = run(command, str(roster), *(["--dry-run"] if command == "match" else []))
        assert result.exit_code == ExitCode.USAGE, (command, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1
        assert "column 'Gender' mapped to department is gender" in result.stderr


def test_a_job_title_may_be_mapped_on_purpose_with_a_warning(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    out = tmp_path / "pairs.csv"
    result = run("match", str(roster), "-o", str(out), "--map", "specialty=Job title")
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: " + f"{roster}: column 'Job title' is normally blind (seniority) but is "
        "mapped to specialty; pairing uses it"
    ) in result.stderr.splitlines()


def test_a_sign_up_form_needs_only_the_specialty_mapped(tmp_path):
    roster = write_csv(tmp_path / "form.csv", FORM_ROWS, header=FORM)
    result = run("validate", str(roster), "--json", "--map", "specialty=Job family")
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    columns = next(f["message"] for f in findings if f["topic"] == "columns")
    for field, column in [
        ("name", "Full name"),
        ("email", "Email Address"),
        ("specialty", "Job family"),
        ("skills", FORM[3]),
        ("wants", FORM[4]),
        ("experience", FORM[5]),
        ("department", FORM[6]),
    ]:
        assert f"{field} <- {column!r}" in columns
    out = tmp_path / "pairs.xlsx"
    assert run("match", str(roster), "-o", str(out), "--map", "specialty=Job family").exit_code == 0


def test_a_preferred_name_is_the_name_shown(tmp_path):
    header = ["Employee ID", "Legal Name", "Preferred Name", "Specialty"]
    rows = [["1", "Alexandra Souza", "Sasha", "Eng"], ["2", "Robert Lind", "Bo", "Ops"]]
    roster = write_csv(tmp_path / "roster.csv", rows, header=header)
    out = tmp_path / "pairs.xlsx"
    result = run("match", str(roster), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    cells = {c.value for row in openpyxl.load_workbook(out)["Pairs"].iter_rows() for c in row}
    assert {"Sasha", "Bo"} <= cells
    assert not {"Alexandra Souza", "Robert Lind"} & cells


def test_columns_lists_every_header_with_a_sample_and_its_field(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("columns", str(roster))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{roster}, header row 1"
    rows = {
        cells[0]: cells[1:]
        for line in lines[1:]
        if len(cells := [c.strip() for c in line.split("|")]) == 4
    }
    assert rows["Employee ID"] == ["E001", "key", "known column name"]
    assert rows["Job title"] == [
        "Engineer II",
        "-",
        "blind (seniority): map it on purpose to use it",
    ]
    assert rows["Skills"] == ["Python; SQL", "skills", "known column name"]
    assert set(rows) == {"Column", *HEADER}
    assert not any(line != line.rstrip() for line in lines)
    assert "\x1b[" not in result.stdout


def test_columns_json(tmp_path):
    header = ["Staff ID", "Specialty", "Gender", "Notes", "Level"]
    rows = [["7", "Eng", "F", "", "L3"], ["8", "Ops", "M", "[admin] =1+1", "L4"]]
    roster = write_csv(tmp_path / "roster.csv", rows, header=header)
    result = run("columns", str(roster), "--json", "--map", "skills=Level")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("roster", "sheet", "header_row")} == {
        "roster": str(roster),
        "sheet": None,
        "header_row": 1,
    }
    assert data["columns"] == [
        {"column": "Staff ID", "sample": "7", "field": "key", "why": "known column name"},
        {"column": "Specialty", "sample": "Eng", "field": "specialty", "why": "known column name"},
        {
            "column": "Gender",
            "sample": "F",
            "field": None,
            "why": "protected (gender): never used for pairing",
        },
        {"column": "Notes", "sample": "[admin] =1+1", "field": None, "why": "unused"},
        {
            "column": "Level",
            "sample": "L3",
            "field": "skills",
            "why": "mapped (--map or [columns]); normally blind (seniority)",
        },
    ]


def test_columns_works_when_the_roster_cannot_be_read_and_picks_the_sheet(tmp_path):
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Read me first"])
    staff = book.create_sheet("Staff")
    staff.append(["Login", "Team", "What would you like to learn?"])
    staff.append(["ana", "Product", "SQL"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = run("columns", str(path), "--sheet", "Staff", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sheet"] == "Staff"
    assert [(c["column"], c["sample"], c["field"]) for c in data["columns"]] == [
        ("Login", "ana", None),
        ("Team", "Product", "department"),
        ("What would you like to learn?", "SQL", "wants"),
    ]


def test_column_not_found_lists_the_columns_and_points_to_pairctl_columns(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    for command in ("match", "validate", "explain"):
        extra = {"match": ["--dry-run"], "explain": ["E001"], "validate": []}[command]
        result = run(command, str(roster), *extra, "--map", "specialty=Practice area")
        assert result.exit_code == ExitCode.BAD_ROSTER, (command, result.stderr)
        assert result.stderr.count("\n") == 1
        assert "no column 'Practice area'" in result.stderr
        assert "the columns are 'Employee ID', 'Full name', 'Email'" in result.stderr
        assert result.stderr.rstrip().endswith(f"see each with a sample: pairctl columns {roster}")


def test_a_roster_with_no_specialty_lists_its_columns_too(tmp_path):
    header = ["Employee ID", "Full name", "Job family"]
    roster = write_csv(tmp_path / "roster.csv", [["1", "Ana", "Eng"], ["2", "Bo", "Ops"]], header)
    result = run("validate", str(roster))
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert re.search(
        r"no specialty column .*; the columns are 'Employee ID', 'Full name', 'Job family'; "
        r"see each with a sample: pairctl columns ",
        result.stderr,
    )


def test_a_blind_column_mapped_on_purpose_is_on_the_run_info(tmp_path):
    import json

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Name,Job title\nE1,Ana,Engineer\nE2,Bo,Sales lead\nE3,Cy,Analyst\n", encoding="utf-8"
    )
    result = run("match", str(roster), "--map", "specialty=Job title", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)["run_info"]
    assert info["Blind columns mapped on purpose"] == "specialty <- 'Job title'"
