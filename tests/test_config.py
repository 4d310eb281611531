"""The settings file (pairctl.toml) and `pairctl init`: flags win, bad keys are exit 4."""

from __future__ import annotations

import json

import pytest
from cli_helpers import HEADER, read_rows, run, small_roster, write_csv

from pairctl.config import TEMPLATE, load_settings
from pairctl.errors import ExitCode
from pairctl.roster import read_roster


def renamed_roster(tmp_path):
    """The small roster with its Specialty column called 'Craft Guild' (no alias knows it)."""
    rows = read_rows(small_roster(tmp_path / "base.csv"))
    header = [("Craft Guild" if h == "Specialty" else h) for h in HEADER]
    (tmp_path / "base.csv").unlink()
    return write_csv(tmp_path / "roster.csv", rows, header=header)


def test_settings_beside_the_roster_are_used_and_flags_win(tmp_path):
    roster = renamed_roster(tmp_path)
    assert run("match", str(roster), "--dry-run").exit_code == ExitCode.BAD_ROSTER
    (tmp_path / "pairctl.toml").write_text(
        '[columns]\nspecialty = "Craft Guild"\n[match]\nseed = 9\nodd = "leave-out"\n'
        "[weights]\ncross_department = 0.5\n",
        encoding="utf-8",
    )
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert data["seed"] == 9
    assert data["run_info"]["Column for specialty"] == "Craft Guild"
    assert "cross_department=0.5" in data["run_info"]["Weights"]
    assert data["run_info"]["Settings file"].endswith("pairctl.toml")
    flagged = json.loads(run("match", str(roster), "--dry-run", "--json", "--seed", "3").stdout)
    assert flagged["seed"] == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[match]\nsed = 3\n", "unknown key match.sed"),
        ("[colour]\nx = 1\n", "unknown key colour"),
        ('[match]\nodd = "pairs"\n', "match.odd must be one of"),
        ("[weights]\nsame_specialty = 1\n", "weights.same_specialty must exceed"),
        ("[rules]\nchain_depth = -1\n", "rules.chain_depth"),
        ("not = [valid toml", "not valid TOML"),
    ],
)
def test_bad_settings_are_exit_4_naming_the_key(tmp_path, text, needle):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text(text, encoding="utf-8")
    result = run("match", str(roster))
    assert result.exit_code == ExitCode.BAD_CONFIG, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pairctl.toml" in lines[0] and needle in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairctl.toml", "roster.csv"]


def test_init_writes_a_template_that_reads_cleanly_and_a_roster_header(tmp_path):
    result = run("init", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    settings = load_settings(tmp_path / "pairctl.toml")
    assert settings.columns == {} and settings.seed is None
    assert (tmp_path / "pairctl.toml").read_text(encoding="utf-8") == TEMPLATE
    template = tmp_path / "roster-template.csv"
    with template.open("a", encoding="utf-8") as fh:
        fh.write("E1,Ana,,Eng,R&D,,3,Python,SQL,yes,\nE2,Bo,,Sales,Rev,E1,9,SQL,Python,,\n")
    roster = read_roster(str(template))
    assert [p.key for p in roster.people] == ["E1", "E2"]
    assert set(roster.mapping.fields) >= {
        "specialty",
        "skills",
        "wants",
        "manager",
        "active",
        "away_until",
    }
    again = run("init", str(tmp_path))
    assert again.exit_code == ExitCode.CANNOT_WRITE
    assert run("init", str(tmp_path), "--force").exit_code == 0


def four_people_and_two_rounds(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,w\nD,S4,w,z\n",
        encoding="utf-8",
    )
    rounds = tmp_path / "rounds"
    rounds.mkdir()
    (rounds / "pairs-2026-01-01.csv").write_text("A,B\nC,D\n", encoding="utf-8")
    (rounds / "pairs-2026-04-01.csv").write_text("A,C\nB,D\n", encoding="utf-8")
    return roster, rounds


def pairs_of_run(*args):
    result = run(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


def test_only_the_last_n_rounds_count_as_repeats(tmp_path):
    roster, rounds = four_people_and_two_rounds(tmp_path)
    everything = pairs_of_run("match", str(roster), "--history", str(rounds))
    assert everything == {frozenset("AD"), frozenset("BC")}
    last_one = pairs_of_run("match", str(roster), "--history", str(rounds), "--history-rounds", "1")
    assert last_one == {frozenset("AB"), frozenset("CD")}  # the best pairs, from two rounds ago


def test_older_rounds_can_carry_a_fading_penalty(tmp_path):
    roster, _rounds = four_people_and_two_rounds(tmp_path)
    (tmp_path / "pairctl.toml").write_text(
        '[history]\npaths = ["rounds"]\nrounds = 1\nolder_penalty = 50\n', encoding="utf-8"
    )
    assert pairs_of_run("match", str(roster)) == {frozenset("AD"), frozenset("BC")}
    (tmp_path / "pairctl.toml").write_text(
        '[history]\npaths = ["rounds"]\nrounds = 1\nolder_penalty = 0.5\n', encoding="utf-8"
    )
    assert pairs_of_run("match", str(roster)) == {frozenset("AB"), frozenset("CD")}


def test_columns_declared_blind_are_never_used(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text('[columns]\nblind = ["Department"]\n', encoding="utf-8")
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert "Department" in data["run_info"]["Blind columns (never scored)"]
    assert "Column for department" not in data["run_info"]
    assert "cross_department" in data["run_info"]["Weights"]  # the weight stays, unused
