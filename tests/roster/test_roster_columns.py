"""Which column feeds which field: the header row, aliases, --map, blind and unused columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairctl.errors import RosterError, UsageError
from pairctl.roster import read_roster
from pairctl.roster.header import (
    ALIASES,
    is_blind,
    normalise,
    protected_characteristic,
    question_field,
    survey_columns,
)
from pairctl.roster.sources import Grid

from .builders import HEADER, PEOPLE, csv_text, error_of, roster_of, write_csv

TWO = [["1", "Ana", "Eng"], ["2", "Bo", "Ops"]]


def test_headers_match_whatever_the_case_spaces_and_punctuation() -> None:
    header = [
        "employee_id", "FULL NAME", "E-Mail Address", "speciality", "Skill-set",
        "want to learn", "Experience (years)", "Dept.", "Reports To",
    ]  # fmt: skip
    row = ["9", "Ana", "a@x.org", "Eng", "Go", "Rust", "3", "R&D", "7"]
    roster = roster_of(header, [row, ["10", *row[1:]]])
    assert roster.mapping.fields == {
        "key": "employee_id",
        "name": "FULL NAME",
        "email": "E-Mail Address",
        "specialty": "speciality",
        "skills": "Skill-set",
        "wants": "want to learn",
        "experience": "Experience (years)",
        "department": "Dept.",
        "manager": "Reports To",
    }
    assert roster.people[0].wants == ("Rust",)
    assert roster.mapping.unused == roster.mapping.blind == ()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Employee Number", "key"), ("EmployeeNumber", "key"), ("Staff ID", "key"),
        ("Employee No.", "key"), ("Person ID", "key"), ("EmpID", "key"),
        ("Employee", "name"), ("Work email", "email"),
        ("Discipline", "specialty"), ("Job Role", "specialty"), ("JobRole", "specialty"),
        ("Function", "specialty"), ("Practice", "specialty"), ("Field", "specialty"),
        ("Can teach", "skills"), ("Expertise", "skills"), ("Strengths", "skills"),
        ("Learning goals", "wants"), ("Interests", "wants"),
        ("TotalWorkingYears", "experience"), ("Years experience", "experience"),
        ("Team", "department"), ("Division", "department"),
        ("Line manager", "manager"), ("Manager ID", "manager"),
    ],
)  # fmt: skip
def test_aliases(header: str, field: str) -> None:
    columns = {"key": "ID", "specialty": "Specialty"}
    columns[field] = header
    roster = roster_of(list(columns.values()), [["1", "Eng"], ["2", "Ops"]])
    assert roster.mapping.fields[field] == header


def test_no_spelling_belongs_to_two_fields() -> None:
    seen: dict[str, str] = {}
    for field, spellings in ALIASES.items():
        for spelling in spellings:
            assert seen.setdefault(normalise(spelling), field) == field, spelling


def test_survey_response_id_is_not_a_person_key() -> None:
    message = error_of(["ResponseId", "Specialty"], TWO)
    assert message == (
        "roster.csv: no person key column (looked for ID, Employee ID, EmployeeNumber, Email, "
        "Name …); use --map key=COLUMN; the columns are 'ResponseId', 'Specialty'"
    )


def test_missing_specialty_message() -> None:
    message = error_of(["ID", "Name", "Department"], TWO)
    assert message == (
        "roster.csv: no specialty column (looked for Specialty, Speciality, Discipline, "
        "Job Role, Function …); use --map specialty=COLUMN; "
        "the columns are 'ID', 'Name', 'Department'"
    )


def test_both_missing_is_still_one_line() -> None:
    message = error_of(["ResponseId", "DevType"], TWO)
    assert "no person key column" in message
    assert "no specialty column" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "header",
    [
        "Age", "Gender", "JobLevel", "MonthlyIncome", "Job Title", "Position", "Grade", "Band",
        "Date of Birth", "DOB", "Sex", "Race", "Ethnicity", "Hispanic/Latino", "MaritalStatus",
        "Religion", "Disability status", "Salary (USD)", "PayRate", "Citizenship",
        "Nationality", "StockOptionLevel", "age_group", "Over18 age",
    ],
)  # fmt: skip
def test_blind_columns(header: str) -> None:
    assert is_blind(header)


@pytest.mark.parametrize(
    "header",
    [
        "Manager", "LanguageHaveWorkedWith", "Stage", "Page views", "Usage", "Essex office",
        "Racetrack", "Leveller", "Paying customer", "Attrition", "Employee Count",
    ],
)  # fmt: skip
def test_not_blind(header: str) -> None:
    assert not is_blind(header)


def test_blind_and_unused_are_listed_in_sheet_order() -> None:
    header = ["Age", "ID", "Notes", "Specialty", "JobLevel", "Favourite colour", "Gender"]
    roster = roster_of(header, [["30", "1", "", "Eng", "2", "red", "F"]] * 1 + [["31", "2"]])
    assert roster.mapping.blind == ("Age", "JobLevel", "Gender")
    assert roster.mapping.unused == ("Notes", "Favourite colour")
    assert set(roster.mapping.fields) == {"key", "specialty"}


def test_mapping_makes_a_blind_column_a_field() -> None:
    header = ["EmpID", "Position", "Sex"]
    roster = roster_of(header, [["1", "Analyst", "F"], ["2", "Engineer", "M"]],
                       mapping={"specialty": "Position"})  # fmt: skip
    assert roster.mapping.fields == {"key": "EmpID", "specialty": "Position"}
    assert roster.mapping.blind == ("Sex",)
    assert [p.specialty for p in roster.people] == ["Analyst", "Engineer"]


def test_mapping_wins_over_aliases() -> None:
    header = ["ID", "Specialty", "Practice area", "Skills", "Tools"]
    rows = [["1", "old", "Data", "x", "SQL"], ["2", "old", "Ops", "y", "Bash"]]
    roster = roster_of(header, rows, mapping={"specialty": "practice AREA", "skills": "Tools"})
    assert roster.mapping.fields == {"key": "ID", "specialty": "Practice area", "skills": "Tools"}
    assert [p.specialty for p in roster.people] == ["Data", "Ops"]
    assert [p.skills for p in roster.people] == [("SQL",), ("Bash",)]
    assert roster.mapping.unused == ("Specialty", "Skills")


def test_mapping_field_names_are_checked_before_the_file_is_read() -> None:
    with pytest.raises(UsageError) as caught:
        read_roster("missing.csv", mapping={"colour": "Favourite colour"})
    assert "unknown field 'colour'" in caught.value.message
    assert "key, name, email, specialty" in caught.value.message
    with pytest.raises(UsageError, match="column name"):
        read_roster("missing.csv", mapping={"specialty": "  "})


def test_mapped_column_that_is_not_there_lists_the_columns() -> None:
    message = error_of(["ID", "Name", "Specialty"], TWO, mapping={"skills": "Can Teach"})
    assert message == (
        "roster.csv: no column 'Can Teach' (from --map skills=Can Teach); "
        "the columns are 'ID', 'Name', 'Specialty'"
    )


@pytest.mark.parametrize(
    ("field", "column"), [("specialty", "Position"), ("key", "Badge"), ("skills", "Tools")]
)
def test_a_mapped_field_is_only_looked_for_by_its_mapped_name(field: str, column: str) -> None:
    # Not also "no specialty column ...; use --map specialty=COLUMN": the user just did that.
    header = ["EmployeeNumber", "JobRole", "Department"]
    message = error_of(header, [["1", "Sales", "R&D"], ["2", "HR", "R&D"]],
                       mapping={field: column})  # fmt: skip
    assert message == (
        f"roster.csv: no column {column!r} (from --map {field}={column}); "
        "the columns are 'EmployeeNumber', 'JobRole', 'Department'"
    )


def test_a_missing_mapped_column_still_reports_another_missing_field() -> None:
    rows = [["a", "Eng"], ["b", "Ops"]]
    message = error_of(["Login", "JobRole"], rows, mapping={"specialty": "Position"})
    assert message.startswith(
        "roster.csv: no column 'Position' (from --map specialty=Position); "
        "the columns are 'Login', 'JobRole'; no person key column (looked for ID, "
    )
    assert "no specialty column" not in message


def test_a_field_mapped_twice_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        read_roster("missing.csv", mapping={"skills": "Tools", "Skills ": "Stack"})
    assert caught.value.message == (
        "--map Skills =Stack: field 'skills' is already mapped to 'Tools'; map each field once"
    )


def test_long_column_lists_are_shortened() -> None:
    header = ["ID", "Specialty", *[f"Q{i}" for i in range(38)]]
    message = error_of(header, [["1", "A"], ["2", "B"]], mapping={"skills": "Nope"})
    assert "'Q9'" in message
    assert "'Q10'" not in message
    assert message.endswith(", … (40 in all)")


def test_key_falls_back_to_email_then_name() -> None:
    by_email = roster_of(["Email", "Name", "Specialty"],
                         [["a@x.org", "Ana", "Eng"], ["b@x.org", "Bo", "Ops"]])  # fmt: skip
    assert by_email.key_field == "email"
    assert [p.key for p in by_email.people] == ["a@x.org", "b@x.org"]
    assert by_email.people[0].email == "a@x.org"

    by_name = roster_of(["Name", "Specialty"], [["Ana", "Eng"], ["Bo", "Ops"]])
    assert by_name.key_field == "name"
    assert [(p.key, p.name) for p in by_name.people] == [("Ana", "Ana"), ("Bo", "Bo")]


def test_header_below_title_and_notes() -> None:
    notes = [[f"note {i}"] for i in range(25)]
    path = Path("roster.csv")
    path.write_text(csv_text([["Mentoring 2025"], [], *notes, HEADER, *PEOPLE]), encoding="utf-8")
    roster = read_roster("roster.csv")
    assert roster.header_row == 28
    assert [p.row for p in roster.people] == [29, 30, 31]


def test_header_too_far_down_is_not_found() -> None:
    notes = [[f"note {i}"] for i in range(40)]
    Path("roster.csv").write_text(csv_text([*notes, HEADER, *PEOPLE]), encoding="utf-8")
    with pytest.raises(RosterError, match="no specialty column"):
        read_roster("roster.csv")


def test_the_row_with_most_known_names_is_the_header() -> None:
    # A legend row above also names a key and a specialty; the real header names more.
    rows = [["ID", "Specialty"], ["ID", "Name", "Specialty", "Skills"], ["1", "Ana", "Eng", "Go"],
            ["2", "Bo", "Ops", "Rust"]]  # fmt: skip
    write_csv(Path("roster.csv"), rows)
    roster = read_roster("roster.csv")
    assert roster.header_row == 2
    assert [p.name for p in roster.people] == ["Ana", "Bo"]


def test_needed_duplicate_column_is_an_error() -> None:
    message = error_of(["ID", "Skills", "Specialty", "Skills"], [["1", "a", "E", "b"]] * 2)
    assert message == (
        "roster.csv, row 1: column 'Skills' (skills) appears more than once (columns B and D); "
        "rename or delete the extra ones"
    )


def test_mapped_duplicate_column_is_an_error() -> None:
    message = error_of(["ID", "Area", "Specialty", "Area"], [["1", "a", "E", "b"]] * 2,
                       mapping={"specialty": "Area"})  # fmt: skip
    assert "column 'Area' (specialty) appears more than once" in message


def test_unneeded_duplicate_columns_are_ignored() -> None:
    roster = roster_of(
        ["ID", "Notes", "Specialty", "Notes"], [["1", "a", "E", "b"], ["2", "", "O"]]
    )
    assert roster.mapping.unused == ("Notes", "Notes")


def test_two_columns_for_one_field_warns_and_prefers_the_id() -> None:
    header = ["EmpID", "Specialty", "ManagerName", "ManagerID"]
    roster = roster_of(header, [["1", "E", "Jo Smith", "17"], ["2", "O", "Al Wu", "18"]])
    assert roster.mapping.fields["manager"] == "ManagerID"
    assert [p.manager for p in roster.people] == ["17", "18"]
    assert roster.mapping.unused == ("ManagerName",)
    assert roster.warnings == (
        "roster.csv: columns 'ManagerID' and 'ManagerName' both look like manager; "
        "using 'ManagerID' (choose with --map manager=COLUMN)",
    )


def test_has_skills_and_has_wants_say_which_columns_exist() -> None:
    rows = [["1", "Eng", "Go"], ["2", "Ops", "Rust"]]
    neither = roster_of(["ID", "Specialty"], [r[:2] for r in rows])
    assert (neither.has_skills, neither.has_wants) == (False, False)
    wants = roster_of(["ID", "Specialty", "Interests"], rows)
    assert (wants.has_skills, wants.has_wants) == (False, True)
    skills = roster_of(["ID", "Specialty", "Can teach"], rows)
    assert (skills.has_skills, skills.has_wants) == (True, False)
    both = roster_of(["ID", "Specialty", "Skills", "Wants"], [[*r, "C"] for r in rows])
    assert (both.has_skills, both.has_wants) == (True, True)


@pytest.mark.parametrize(
    ("column", "trait"),
    [
        ("Gender", "gender"), ("Sex", "gender"), ("Age", "age"), ("Date of birth", "age"),
        ("DOB", "age"), ("Ethnicity", "race or ethnicity"), ("Race", "race or ethnicity"),
        ("Religion", "religion"), ("Disability status", "disability"),
        ("MaritalStatus", "marital status"), ("Salary (USD)", "pay"), ("MonthlyIncome", "pay"),
    ],
)  # fmt: skip
def test_a_protected_column_is_never_a_field_even_when_mapped(column: str, trait: str) -> None:
    rows = [["1", "Eng", "x"], ["2", "Ops", "y"]]
    with pytest.raises(UsageError) as caught:
        roster_of(["ID", "Specialty", column], rows, mapping={"department": column})
    assert caught.value.message == (
        f"column {column!r} mapped to department is {trait}, a protected characteristic: "
        f"pairctl never pairs on it; remove department = {column!r} from --map or [columns]"
    )


def test_a_protected_column_is_refused_by_its_header_not_only_by_the_name_given() -> None:
    # "maritalstatus" finds the column "Marital Status" (names compare normalised).
    rows = [["1", "Eng", "single"], ["2", "Ops", "married"]]
    with pytest.raises(UsageError, match="'Marital Status' mapped to department is marital"):
        roster_of(["ID", "Specialty", "Marital Status"], rows,
                  mapping={"department": "maritalstatus"})  # fmt: skip


@pytest.mark.parametrize("column", ["Job title", "Position", "Level", "Grade"])
def test_a_seniority_column_may_be_mapped_with_a_warning(column: str) -> None:
    rows = [["1", "Analyst"], ["2", "Engineer"]]
    roster = roster_of(["ID", column], rows, mapping={"specialty": column})
    assert [p.specialty for p in roster.people] == ["Analyst", "Engineer"]
    assert roster.warnings == (
        f"roster.csv: column {column!r} is normally blind (seniority) but is mapped to "
        "specialty; pairing uses it",
    )


def test_protected_characteristics_are_blind() -> None:
    assert protected_characteristic("Job title") is None
    assert protected_characteristic("Manager") is None
    assert protected_characteristic("Preferred pronouns") == "gender"


GOOGLE_FORM = [
    "Timestamp", "Email Address", "Full name",
    "Which skills could you teach a colleague? (select all that apply)",
    "What would you like to learn?", "How many years of work experience do you have?",
    "Which team are you in?", "Job family",
]  # fmt: skip


def test_a_sign_up_form_maps_every_field_by_the_words_of_its_questions() -> None:
    rows = [
        ["2026-01-05 09:00", "ana@x.org", "Ana Souza", "Python, SQL", "Negotiation", "3",
         "Product", "Engineering"],
        ["2026-01-05 09:05", "bo@x.org", "Bo Lind", "Negotiation", "Python", "12", "Revenue",
         "Sales"],
    ]  # fmt: skip
    roster = roster_of(GOOGLE_FORM, rows, mapping={"specialty": "Job family"})
    assert roster.mapping.fields == {
        "name": "Full name",
        "email": "Email Address",
        "specialty": "Job family",
        "skills": GOOGLE_FORM[3],
        "wants": GOOGLE_FORM[4],
        "experience": GOOGLE_FORM[5],
        "department": GOOGLE_FORM[6],
    }
    assert roster.mapping.unused == ("Timestamp",)
    assert roster.people[0].skills == ("Python", "SQL")
    assert roster.people[1].department == "Revenue"
    assert roster.key_field == "email"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Which skills could you teach a colleague? (select all that apply)", "skills"),
        ("What can you help with?", "skills"),
        ("What would you like to learn?", "wants"),
        ("Skills you want to learn next", "wants"),
        ("How many years of work experience do you have?", "experience"),
        ("Which team are you in?", "department"),
        ("Your department (as in the HR system)", "department"),
        ("What is your full name?", "name"),
        ("Preferred name (if different)", "name"),
        ("What is your work email?", "email"),
    ],
)
def test_question_headers(header: str, field: str) -> None:
    found = question_field(header)
    assert found is not None and found[0] == field


@pytest.mark.parametrize(
    "header",
    [
        "What is your age in years of experience terms?",  # blind: age
        "What is your manager's email address?",  # someone else's email
        "What would you like to learn and what could you teach?",  # two fields at once
        "How old is your team's gender balance?",  # blind: gender
        "Which job title best fits your team?",  # blind: title
        "LearnCode",  # a survey's own short column, not a question
        "Team size",
    ],
)
def test_not_question_headers(header: str) -> None:
    assert question_field(header) is None


def test_a_preferred_name_is_shown_over_a_legal_name() -> None:
    for header in (["ID", "Specialty", "Legal name", "Preferred name"],
                   ["ID", "Specialty", "Preferred name", "Legal Name"],
                   ["ID", "Specialty", "Legal name", "Preferred name (if different)"]):  # fmt: skip
        rows = [["1", "Eng", "Alexandra Souza", "Sasha"], ["2", "Ops", "Robert Lind", "Bo"]]
        if header[2].startswith("Preferred"):
            rows = [[r[0], r[1], r[3], r[2]] for r in rows]
        roster = roster_of(header, rows)
        assert [p.name for p in roster.people] == ["Sasha", "Bo"], header


def test_a_missing_column_lists_the_columns_whatever_is_missing() -> None:
    message = error_of(["Login", "Team"], [["a", "x"], ["b", "y"]])
    assert message.endswith("the columns are 'Login', 'Team'")


def test_the_column_survey_says_what_each_header_feeds_or_why_not() -> None:
    header = ["Title row"], ["ID", "Specialty", "Age", "Job title", "Notes", "ManagerName",
                             "ManagerID", "Cool stuff I could teach and would learn"]  # fmt: skip
    rows = [["1", "", "30", "", "", "Jo", "17", ""],
            ["2", "Eng", "31", "Analyst", "a very long note " * 5, "Al", "18", "x"]]  # fmt: skip
    grid = Grid(rows=[*header, *rows], typed=False)
    survey = survey_columns(grid, {})
    assert survey.header_row == 2
    shown = [(c.column, c.sample, c.field, c.why) for c in survey.columns]
    assert shown == [
        ("ID", "1", "key", "known column name"),
        ("Specialty", "Eng", "specialty", "known column name"),
        ("Age", "30", None, "protected (age): never used for pairing"),
        ("Job title", "Analyst", None, "blind (seniority): map it on purpose to use it"),
        ("Notes", "a very long note a very long note a ver…", None, "unused"),
        ("ManagerName", "Jo", None,
         "also looks like manager; 'ManagerID' is used (choose with --map)"),
        ("ManagerID", "17", "manager", "known column name"),
        (header[1][-1], "x", None, "ambiguous: reads as both skills and wants; choose with --map"),
    ]  # fmt: skip


def test_the_column_survey_shows_the_best_guess_when_a_column_is_missing() -> None:
    grid = Grid(rows=[["Login", "Team", "Gender"], ["a", "x", "F"]], typed=False)
    survey = survey_columns(grid, {"specialty": "Position"})
    assert survey.header_row == 1
    assert [(c.column, c.field) for c in survey.columns] == [
        ("Login", None), ("Team", "department"), ("Gender", None),
    ]  # fmt: skip
