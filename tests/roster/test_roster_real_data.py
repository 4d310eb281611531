"""Real public rosters and the files real spreadsheet programs wrote from them (README there)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pairctl.errors import RosterError
from pairctl.roster import read_roster

IBM_CSV = "ibm_hr_attrition/WA_Fn-UseC_-HR-Employee-Attrition.csv"
HR13_CSV = "huebner_hr_dataset/HRDataset_v13.csv"
HR560 = "huebner_hr_dataset/HR560 Data Set v5.xlsx"
SO_CSV = "so_survey_2023/survey_results_public_2023_first595.csv"

IBM_MAPPING = {"key": "EmployeeNumber", "specialty": "JobRole", "experience": "TotalWorkingYears"}
HR13_MAPPING = {"specialty": "Position"}
SO_MAPPING = {
    "key": "ResponseId",
    "specialty": "DevType",
    "skills": "LanguageHaveWorkedWith",
    "wants": "LanguageWantToWorkWith",
    "experience": "WorkExp",
}


def read(real_data: Path, name: str, **kwargs):
    return read_roster(str(real_data / name), **kwargs)


def summary(roster) -> list[tuple]:
    """What pairing uses from each person; the row differs between files and is left out."""
    return [
        (p.key, p.name, p.specialty, p.skills, p.wants, p.experience, p.department, p.manager)
        for p in roster.people
    ]


@pytest.fixture(scope="module")
def ibm(real_data: Path):
    return read(real_data, IBM_CSV)


def test_ibm_csv_is_recognised_without_a_mapping(ibm, real_data: Path) -> None:
    assert len(ibm.people) == 1470
    assert ibm.mapping.fields == {
        "key": "EmployeeNumber",
        "specialty": "JobRole",
        "experience": "TotalWorkingYears",
        "department": "Department",
    }
    assert {"Age", "Gender", "JobLevel", "MonthlyIncome", "MaritalStatus"} <= set(ibm.mapping.blind)
    assert "Attrition" in ibm.mapping.unused
    assert ibm.key_field == "key"
    assert not ibm.has_skills
    assert ibm.header_row == 1
    first, last = ibm.people[0], ibm.people[-1]
    assert (first.key, first.name, first.specialty) == ("1", "1", "Sales Executive")
    assert (first.experience, first.department, first.row) == (8.0, "Sales", 2)
    assert (last.key, last.specialty, last.row) == ("2068", "Laboratory Technician", 1471)
    assert len({p.key for p in ibm.people}) == 1470
    assert len({p.specialty for p in ibm.people}) == 9
    data = (real_data / IBM_CSV).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert ibm.sha256 == hashlib.sha256(data).hexdigest()
    assert ibm.warnings == ()


def test_ibm_csv_with_the_explicit_mapping_reads_the_same(ibm, real_data: Path) -> None:
    mapped = read(real_data, IBM_CSV, mapping=IBM_MAPPING)
    assert mapped.people == ibm.people
    assert mapped.mapping == ibm.mapping


def test_ibm_title_row_workbook(ibm, real_data: Path) -> None:
    roster = read(real_data, "messy/ibm_title_header_row3.xlsx")
    assert (roster.sheet, roster.header_row) == ("Employees", 3)
    assert [p.row for p in roster.people[:2]] == [4, 5]
    assert roster.people[-1].row == 1473
    assert summary(roster) == summary(ibm)
    assert roster.mapping == ibm.mapping


def test_ibm_ods(ibm, real_data: Path) -> None:
    roster = read(real_data, "messy/ibm_roster.ods")
    assert (roster.sheet, roster.header_row) == ("Employees", 1)
    assert summary(roster) == summary(ibm)
    assert [p.row for p in roster.people] == [p.row for p in ibm.people]
    assert roster.warnings == ()


def test_ibm_ods_mapped_to_a_column_it_lacks(real_data: Path) -> None:
    path = real_data / "messy/ibm_roster.ods"
    with pytest.raises(RosterError) as caught:
        read_roster(str(path), mapping={"specialty": "Position"})
    assert caught.value.message == (
        f"{path}: no column 'Position' (from --map specialty=Position); the columns are 'Age', "
        "'Attrition', 'BusinessTravel', 'DailyRate', 'Department', 'DistanceFromHome', "
        "'Education', 'EducationField', 'EmployeeCount', 'EmployeeNumber', "
        "'EnvironmentSatisfaction', 'Gender', … (35 in all)"
    )


@pytest.fixture(scope="module")
def hr13(real_data: Path):
    return read(real_data, HR13_CSV, mapping=HR13_MAPPING)


def test_hr13_csv(hr13) -> None:
    assert len(hr13.people) == 310
    assert hr13.mapping.fields == {
        "key": "EmpID",
        "name": "Employee_Name",
        "specialty": "Position",
        "department": "Department",
        "manager": "ManagerID",
    }
    # Position is blind unless mapped; here it is the specialty.
    assert "Position" not in hr13.mapping.blind
    assert {"DOB", "Sex", "RaceDesc", "HispanicLatino", "PayRate", "GenderID"} <= set(
        hr13.mapping.blind
    )
    assert "ManagerName" in hr13.mapping.unused
    william = hr13.people[1]
    assert (william.key, william.name) == ("1106026572", "LaRotonda, William")  # trailing spaces
    specialties = {p.specialty for p in hr13.people}
    assert "Data Analyst" in specialties
    assert "Data Analyst " not in specialties
    assert {p.department for p in hr13.people} >= {"Production", "Admin Offices"}


def test_hr13_without_mapping_says_what_is_missing(real_data: Path) -> None:
    with pytest.raises(RosterError) as caught:
        read(real_data, HR13_CSV)
    assert caught.value.message.startswith(f"{real_data / HR13_CSV}: no specialty column")


def test_hr13_roster_on_the_second_sheet(hr13, real_data: Path) -> None:
    roster = read(real_data, "messy/hr13_roster_on_second_sheet.xlsx", mapping=HR13_MAPPING)
    assert roster.sheet == "Roster"
    assert summary(roster) == summary(hr13)  # numeric EmpIDs come back as '1103024456'
    assert roster.mapping == hr13.mapping


def test_hr13_second_sheet_needs_the_mapping(real_data: Path) -> None:
    path = real_data / "messy/hr13_roster_on_second_sheet.xlsx"
    with pytest.raises(RosterError) as caught:
        read_roster(str(path))
    assert caught.value.message.startswith(
        f"{path}: no sheet looks like a roster; tried 'Instructions' (no person key column, "
        "no specialty column), 'Roster' (no specialty column)"
    )


@pytest.mark.parametrize(
    ("name", "sheet"),
    [("messy/hr13_roster.xls", "HRDataset_v13"), ("messy/hr13_roster_gnumeric.xlsx",
                                                   "HRDataset_v13.csv")],
)  # fmt: skip
def test_hr13_written_by_other_programs(hr13, real_data: Path, name: str, sheet: str) -> None:
    roster = read(real_data, name, mapping=HR13_MAPPING)
    assert roster.sheet == sheet
    assert summary(roster) == summary(hr13)
    assert [p.row for p in roster.people] == list(range(2, 312))


def test_hr560_core_sheet_has_a_real_duplicate_key(real_data: Path) -> None:
    with pytest.raises(RosterError) as caught:
        read(real_data, HR560, mapping=HR13_MAPPING)
    assert caught.value.message == (
        f"{real_data / HR560}, sheet 'Core Data Set', column 'Employee Number': "
        "key '1204033041' appears on rows 154 and 155 (someone who answered twice? keep one "
        "answer with --duplicates latest or first)"
    )


def test_stack_overflow_survey_extract(real_data: Path) -> None:
    roster = read(real_data, SO_CSV, mapping=SO_MAPPING)
    assert len(roster.people) == 595
    assert [p.key for p in roster.people[:3]] == ["1", "2", "3"]
    assert roster.has_skills
    assert roster.mapping.fields == {
        "key": "ResponseId",
        "specialty": "DevType",
        "skills": "LanguageHaveWorkedWith",
        "wants": "LanguageWantToWorkWith",
        "experience": "WorkExp",
    }
    assert "Age" in roster.mapping.blind
    assert "ResponseId" not in roster.mapping.unused
    second = roster.people[1]
    assert second.skills == ("HTML/CSS", "JavaScript", "Python")
    assert second.wants[:3] == ("Bash/Shell (all shells)", "C#", "Dart")
    assert second.specialty.startswith("Senior Executive")
    first = roster.people[0]  # answered nothing but the first questions: all NA
    assert (first.specialty, first.skills, first.wants, first.experience) == ("", (), (), None)
    assert sum(p.specialty == "" for p in roster.people) == 69
    assert roster.warnings[0].endswith(
        "column 'DevType': 69 people have no specialty (rows 2, 48, 54, 55, 59, …): "
        "they are never counted as sharing one"
    )
    assert all(p.experience is None or 0 <= p.experience <= 60 for p in roster.people)
