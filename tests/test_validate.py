"""`pairctl validate`: a roster checked without pairing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_helpers import run

from pairctl.errors import ExitCode

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TAKEN = re.compile(
    r"taken by someone else: paired with (?P<partners>.+), which gives a higher total "
    r"for everyone"
)


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


def test_each_kind_of_trouble_is_flagged_in_one_run(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn,Manager ID,Job title\n"
        "A,Eng,python,sql,,Boss\n"
        "A,Eng,rust,go,,Intern\n"  # duplicate key
        ",Eng,x,y,,\n"  # blank key with data
        "B,Eng,,sql,A\n"  # no skills
        "C,Eng,sql,,A\n"  # no wants
        "D,Eng,go,python,Z9\n"  # unknown manager
        "E,Sales,sql,go,A\n"
        "Total: 5 people,,,,\n",  # a footer row, skipped
        encoding="utf-8",
    )
    result = run("validate", str(roster), "--json")
    assert result.exit_code == ExitCode.BAD_ROSTER, result.stderr
    data = json.loads(result.stdout)
    assert data["can_pair"] is False
    problems = [f["message"] for f in data["findings"] if f["level"] == "problem"]
    assert any("key 'A' appears on rows 2 and 3" in p for p in problems)
    assert any("row 4" in p and "blank" in p for p in problems)
    found = findings(result)
    assert "Job title" in found["blind"][1]
    assert found["no skills"] == ("warning", "1: B")
    assert found["no wants"] == ("warning", "1: C")
    assert "Z9" in found["unknown managers"][1]
    assert "'Eng' holds 6 of 7 people" in found["majority specialty"][1]
    assert "row 9: skipped" in found["reading"][1]


def test_a_roster_that_cannot_be_paired_exits_non_zero(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("ID,Specialty\n7,Eng\n8,Ops\n7,Law\n", encoding="utf-8")
    result = run("validate", str(roster))
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert "key '7' appears on rows 2 and 4" in result.stdout
    unreadable = tmp_path / "junk.xlsx"
    unreadable.write_bytes(b"not a workbook")
    failed = run("validate", str(unreadable))
    assert failed.exit_code == ExitCode.BAD_ROSTER and "junk.xlsx" in failed.stderr


def test_plain_report_off_a_terminal():
    result = run("validate", str(SAMPLE / "roster.csv"))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "40 people read" in result.stdout


def test_explain_agrees_with_match_for_three_people():
    roster = str(SAMPLE / "roster.xlsx")
    match = json.loads(run("match", roster, "--dry-run", "--json", "--seed", "4").stdout)
    partner_of = {}
    for pair in match["pairs"]:
        for key in pair["members"]:
            partner_of[key] = {k for k in pair["members"] if k != key}
    taken_verdicts = 0
    for key in ["E0024", "E0041", "E0108"]:
        result = run("explain", roster, key, "--json", "--seed", "4")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert {o["key"] for o in data["chosen"]} == partner_of[key]
        assert len(data["alternatives"]) >= 3
        for option in data["chosen"] + data["alternatives"]:
            assert abs(sum(option["parts"].values()) - option["score"]) < 1e-9
        chosen_score = max(o["score"] for o in data["chosen"])
        for option in data["alternatives"]:
            assert option["verdict"] != "chosen" and option["key"] not in partner_of[key]
            if option["verdict"].startswith("taken"):
                # What a coordinator checks against the sheet: the partner the verdict names
                # is the one `match` really gave them, and they would have scored higher.
                named = TAKEN.fullmatch(option["verdict"])
                assert named, option["verdict"]
                assert set(named["partners"].split(", ")) == partner_of[option["key"]]
                assert option["score"] > chosen_score
                taken_verdicts += 1
    assert taken_verdicts >= 5  # the check ran: the sample gives E0024 five taken alternatives


def test_explain_names_the_rule_that_blocked_a_candidate(tmp_path):
    roster = str(SAMPLE / "roster.xlsx")
    best = json.loads(run("explain", roster, "E0024", "--json").stdout)["alternatives"][0]["key"]
    avoid = tmp_path / "avoid.csv"
    avoid.write_text(f"E0024,{best}\n", encoding="utf-8")
    data = json.loads(run("explain", roster, "E0024", "--json", "--avoid", str(avoid)).stdout)
    verdicts = {o["key"]: o["verdict"] for o in data["alternatives"]}
    assert best not in {o["key"] for o in data["chosen"]}
    assert verdicts[best].startswith("blocked by a rule")
    assert "avoid list" in verdicts[best]


def test_explain_an_unknown_key_is_a_usage_error():
    result = run("explain", str(SAMPLE / "roster.xlsx"), "NOPE")
    assert result.exit_code == ExitCode.USAGE
    assert "'NOPE'" in result.stderr
