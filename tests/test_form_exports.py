"""A sign-up form's export as a coordinator gets it: a Timestamp, one person who answered
twice (once with their email in capitals), checkbox answers joined with ', ' where one
option holds a comma, and experience given as ranges."""

from __future__ import annotations

import json

from cli_helpers import run

from pairctl.errors import ExitCode
from pairctl.roster import read_roster

OPTION = "Negotiation, influencing and persuasion"
EXPORT = f"""Timestamp,Email Address,Full name,Specialty,Skills,Wants to learn,Years of experience
2026/03/01 9:30:12 AM GMT+1,ana@x.org,Ana,Eng,"Python, SQL","{OPTION}",2-5 years
2026/03/01 9:40:12 AM GMT+1,bo@x.org,Bo,Sales,"{OPTION}, Excel",Python,10+
2026/03/01 9:50:00 AM GMT+1,cy@x.org,Cy,Finance,"Excel, {OPTION}",SQL,Less than 2 years
2026/03/01 9:55:00 AM GMT+1,di@x.org,Di,Design,"Figma, SQL",Excel,3
2026/03/02 10:00:00 AM GMT+1,ANA@x.org,Ana Souza,Eng,"Python, Go","{OPTION}",5-10
"""


def _export(tmp_path, text=EXPORT):
    path = tmp_path / "responses.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_someone_who_answered_twice_stops_the_run_and_the_message_names_the_option(tmp_path):
    result = run("match", str(_export(tmp_path)), "--dry-run")
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert "rows 2 and 6" in result.stderr and "--duplicates latest" in result.stderr


def test_duplicates_latest_keeps_the_later_answer_by_timestamp(tmp_path):
    roster = read_roster(str(_export(tmp_path)), duplicates="latest")
    ana = [p for p in roster.people if p.key.casefold() == "ana@x.org"]
    assert [(p.name, p.skills, p.experience) for p in ana] == [("Ana Souza", ("Python", "Go"), 7.5)]
    assert len(roster.people) == 4
    assert any("kept the latest answer of 'ana@x.org'" in w for w in roster.warnings)


def test_duplicates_latest_goes_by_the_timestamp_not_the_row(tmp_path):
    lines = EXPORT.splitlines(keepends=True)
    # The later answer written first: the timestamp decides, not the row.
    text = lines[0] + lines[5] + "".join(lines[1:5])
    roster = read_roster(str(_export(tmp_path, text)), duplicates="latest")
    assert next(p for p in roster.people if p.key.casefold() == "ana@x.org").name == "Ana Souza"
    first = read_roster(str(_export(tmp_path, text)), duplicates="first")
    assert next(p for p in first.people if p.key.casefold() == "ana@x.org").name == "Ana"


def test_the_comma_holding_option_is_one_skill_and_ranges_are_midpoints(tmp_path):
    roster = read_roster(str(_export(tmp_path)), duplicates="latest")
    by_key = {p.key.casefold(): p for p in roster.people}
    assert by_key["bo@x.org"].skills == (OPTION, "Excel")
    assert by_key["cy@x.org"].skills == ("Excel", OPTION)
    assert by_key["ana@x.org"].wants == (OPTION,)  # one row only, but the option is known
    assert by_key["di@x.org"].skills == ("Figma", "SQL")  # a typed list still splits
    assert (by_key["bo@x.org"].experience, by_key["cy@x.org"].experience) == (10.0, 1.0)


def test_the_option_is_taught_as_one_skill_in_the_pairing(tmp_path):
    result = run("match", str(_export(tmp_path)), "--dry-run", "--json", "--duplicates", "latest")
    assert result.exit_code == 0, result.stderr
    lessons = [x for p in json.loads(result.stdout)["pairs"] for x in p["lessons"]]
    assert any(x["skills"] == [OPTION] and x["learner"] == "ANA@x.org" for x in lessons)


def test_the_settings_file_can_say_duplicates_latest(tmp_path):
    roster = _export(tmp_path)
    (tmp_path / "pairctl.toml").write_text('[columns]\nduplicates = "latest"\n', encoding="utf-8")
    result = run("match", str(roster), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["people"] == 4
    flag_wins = run("match", str(roster), "--dry-run", "--duplicates", "error")
    assert flag_wins.exit_code == ExitCode.BAD_ROSTER


def test_a_bad_duplicates_setting_is_exit_4(tmp_path):
    (tmp_path / "pairctl.toml").write_text('[columns]\nduplicates = "newest"\n', encoding="utf-8")
    result = run("match", str(_export(tmp_path)), "--dry-run")
    assert result.exit_code == ExitCode.BAD_CONFIG
    assert "columns.duplicates must be one of error, latest, first" in result.stderr


def _ms_forms(path, people):
    """A Microsoft Forms export: a response number in ID, times, ';'-terminated answers."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Team",
            "What could you teach a colleague?",
            "What would you like to learn?",
        ]
    )
    for number, (email, name, team, teach, learn) in enumerate(people, start=1):
        when = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=number)
        sheet.append([number, when, when, email, name, team, teach, learn])
    book.save(path)
    return path


PEOPLE = [
    (
        f"p{i}@x.org",
        f"Person {i}",
        ["Eng", "Sales", "Finance", "Design"][i % 4],
        f"{OPTION};Skill {i % 4};",
        f"Skill {(i + 1) % 4};",
    )
    for i in range(12)
]


def test_a_microsoft_forms_export_is_keyed_by_email_so_history_holds_in_another_order(tmp_path):
    first = _ms_forms(tmp_path / "round1.xlsx", PEOPLE)
    sheet1 = tmp_path / "pairs-1.xlsx"
    result = run("match", str(first), "--map", "specialty=Team", "-o", str(sheet1))
    assert result.exit_code == 0, result.stderr
    assert "people are keyed by 'Email', not 'ID'" in result.stderr
    round1 = _pairs_of(run("match", str(first), "--map", "specialty=Team", "--dry-run", "--json"))
    # Round 2: the same people answered in another order, so every ID now names someone else.
    second = _ms_forms(tmp_path / "round2.xlsx", list(reversed(PEOPLE)))
    result = run(
        "match",
        str(second),
        "--map",
        "specialty=Team",
        "--history",
        str(sheet1),
        "--dry-run",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["run_info"]["Earlier pairs not to repeat"] == "6"
    assert not round1 & _pairs_of(result)
    assert all("@" in key for p in data["pairs"] for key in p["members"])


def test_a_key_mapped_on_purpose_is_kept(tmp_path):
    roster = _ms_forms(tmp_path / "round1.xlsx", PEOPLE)
    result = run(
        "match", str(roster), "--map", "specialty=Team", "--map", "key=ID", "--dry-run", "--json"
    )
    assert result.exit_code == 0, result.stderr
    assert "keyed by" not in result.stderr
    assert json.loads(result.stdout)["pairs"][0]["members"][0].isdigit()


def _pairs_of(result) -> set[frozenset[str]]:
    assert result.exit_code == 0, result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


QUESTIONS = ",".join(
    [
        "Timestamp",
        "Email Address",
        "Full name",
        "Which job family are you in?",
        "Which skills could you teach a colleague? (select all that apply)",
        "What would you like to learn?",
        "How many years of work experience do you have?",
    ]
)
GOOGLE = (
    QUESTIONS
    + f"""
2026/03/01 9:30:12 AM GMT+1,ana@x.org,Ana,Eng,"Python, SQL","{OPTION}",2-5 years
2026/03/01 9:40:12 AM GMT+1,bo@x.org,Bo,Sales,"{OPTION}, Excel",Python,10+
2026/03/01 9:50:00 AM GMT+1,cy@x.org,Cy,Finance,"Excel, {OPTION}",SQL,Less than 2 years
2026/03/01 9:55:00 AM GMT+1,di@x.org,Di,Design,"Figma, SQL",Excel,3
2026/03/02 10:00:00 AM GMT+1,ANA@x.org,Ana Souza,Eng,"Python, Go","{OPTION}",5-10
"""
)


def test_a_google_forms_export_needs_only_the_specialty_named(tmp_path):
    path = tmp_path / "Mentoring sign-up (Responses).csv"
    path.write_text(GOOGLE, encoding="utf-8")
    specialty = "--map=specialty=Which job family are you in?"
    result = run("match", str(path), specialty, "--duplicates", "latest", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["people"] == 4
    info = data["run_info"]
    assert info["Column for skills"].startswith("Which skills could you teach")
    assert info["Column for wants"] == "What would you like to learn?"
    assert info["Column for experience"].startswith("How many years")
    roster = read_roster(
        str(path), mapping={"specialty": "Which job family are you in?"}, duplicates="latest"
    )
    by_key = {p.key.casefold(): p for p in roster.people}
    assert by_key["ana@x.org"].name == "Ana Souza"  # the later answer
    assert by_key["ana@x.org"].experience == 7.5
    assert by_key["bo@x.org"].skills == (OPTION, "Excel")
