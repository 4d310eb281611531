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
