"""`pairctl match --two-way require` and `[rules] two_way`: the pairing in which everyone teaches
wins over a higher total that leaves someone learning nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run, write_csv

# A and B teach each other three things; C teaches D one thing and learns nothing: 3.125.
# A-C and B-D each teach one thing both ways: 3.0. tests/core/test_two_way.py has the sums.
ROWS = [
    ["A1", "Ana", "ana@example.org", "Engineer", "Eng", "", "", "a1; a2; a3; a4", "b1; b2; b3; c2"],
    ["B2", "Bo", "bo@example.org", "Seller", "Sales", "", "", "b1; b2; b3; b4", "a1; a2; a3; d1"],
    ["C3", "Cy", "cy@example.org", "Recruiter", "HR", "", "", "c1; c2", "a4"],
    ["D4", "Dee", "dee@example.org", "Counsel", "Legal", "", "", "d1", "c1; b4"],
]
STRONG = {frozenset({"A1", "B2"}), frozenset({"C3", "D4"})}
TWO_WAY = {frozenset({"A1", "C3"}), frozenset({"B2", "D4"})}


def pairs(roster: Path, *flags: str) -> tuple[set[frozenset[str]], dict]:
    result = run("match", str(roster), "--json", *flags)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return {frozenset(p["members"]) for p in data["pairs"]}, data


def test_require_on_the_command_line_pairs_everyone_two_way(tmp_path):
    roster = write_csv(tmp_path / "roster.csv", ROWS)
    prefer, data = pairs(roster)
    assert prefer == STRONG
    assert data["total_score"] == pytest.approx(3.125)
    required, data = pairs(roster, "--two-way", "require")
    assert required == TWO_WAY
    assert data["total_score"] == pytest.approx(3.0)
    assert data["unmatched"] == []
    for solver in ("greedy-swap", "exact"):
        assert pairs(roster, "--two-way", "require", "--solver", solver)[0] == TWO_WAY
        assert pairs(roster, "--two-way", "prefer", "--solver", solver)[0] == STRONG


def test_require_in_the_settings_file_beside_the_roster(tmp_path):
    roster = write_csv(tmp_path / "roster.csv", ROWS)
    (tmp_path / "pairctl.toml").write_text('[rules]\ntwo_way = "require"\n', encoding="utf-8")
    assert pairs(roster)[0] == TWO_WAY
    # The flag still wins over the file.
    assert pairs(roster, "--two-way", "prefer")[0] == STRONG


def test_a_forced_one_way_pair_is_flagged_warned_and_scored_as_what_it_brings(tmp_path):
    # Nobody teaches C anything: C-D is one-way in every pairing. The penalty that steers
    # the matcher never shows: the sheet, the total and the quality reference are plain.
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,q\nD,S4,w,z\n",
        encoding="utf-8",
    )
    made, data = pairs(roster, "--two-way", "require", "--dry-run")
    assert made == {frozenset({"A", "B"}), frozenset({"C", "D"})}
    scores = {frozenset(p["members"]): (p["score"], p["notes"]) for p in data["pairs"]}
    assert scores[frozenset({"C", "D"})] == (0.5, ["crosses specialty", "one-way"])
    assert data["total_score"] == pytest.approx(2.0)
    assert data["quality"] == {"reference": "exact", "value": 2.0, "percent": 100.0}
    assert data["warnings"] == [
        "1 pair is one-way although two-way pairs are required: no pairing of the people "
        "taking part avoids it (fewest possible: 1)"
    ]
    assert data["run_info"]["Two-way pairs"].startswith("required")


def test_with_history_a_repeat_is_made_rather_than_a_one_way_pair_and_said_so(tmp_path):
    # A-B and C-D are the only two-way pairs, and both were made last round: require repeats
    # them instead of making one-way pairs, and the warning says why.
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,w\nD,S4,w,z\n",
        encoding="utf-8",
    )
    last = tmp_path / "last.csv"
    last.write_text("A,B\nC,D\n", encoding="utf-8")
    made, data = pairs(roster, "--two-way", "require", "--history", str(last), "--dry-run")
    assert made == {frozenset({"A", "B"}), frozenset({"C", "D"})}
    assert (
        "2 groups had to repeat an earlier round's pair: no two-way partner was possible for them"
        in data["warnings"]
    )
    made, data = pairs(roster, "--history", str(last), "--dry-run")
    assert frozenset({"A", "B"}) not in made
