"""`--strict` in cron: people out this round are a normal event, not a reason for exit 6."""

from __future__ import annotations

import json

from cli_helpers import HEADER, read_rows, run, small_roster, write_csv

from pairctl.errors import ExitCode


def roster_with_flags(tmp_path, flags):
    rows = [
        [*r, active, away]
        for r, (active, away) in zip(
            read_rows(small_roster(tmp_path / "base.csv")), flags, strict=True
        )
    ]
    return write_csv(tmp_path / "roster.csv", rows, header=[*HEADER, "Active", "Away until"])


# Eight people: the second opted out, the third away until far ahead.
ONE_OUT_ONE_AWAY = [("", ""), ("no", ""), ("", "2999-01-31"), *[("", "")] * 5]


def test_strict_quiet_run_with_people_opted_out_or_away_exits_0_silently(tmp_path):
    roster = roster_with_flags(tmp_path, ONE_OUT_ONE_AWAY)
    result = run("match", str(roster), "--strict", "--quiet", "-o", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_people_out_this_round_stay_listed_and_counted_in_the_json(tmp_path):
    roster = roster_with_flags(tmp_path, ONE_OUT_ONE_AWAY)
    result = run("match", str(roster), "--strict", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["warnings"] == []
    assert {u["key"] for u in data["unmatched"]} == {"E002", "E003"}
    assert data["metrics"]["unmatched"] == 2
    assert data["metrics"]["not_taking_part"] == 2
    # The baseline pairs the six taking part, as the real pairing does.
    assert data["baseline"]["pairs"] == 3 and data["baseline"]["unmatched"] == 2


def test_strict_still_exits_6_when_someone_who_takes_part_is_left_out(tmp_path):
    flags = [("", ""), ("no", ""), ("", ""), ("", ""), ("", ""), ("", ""), ("", ""), ("", "")]
    roster = roster_with_flags(tmp_path, flags)
    result = run("match", str(roster), "--strict", "--quiet", "--odd", "leave-out", "--dry-run")
    assert result.exit_code == ExitCode.WARNINGS
    assert "is not paired: odd number of people" in result.stderr
    assert "not taking part" not in result.stderr


def test_fewer_than_two_people_taking_part_is_exit_3_not_a_crash(tmp_path):
    from cli_helpers import run

    for active in (("yes", "no", "no"), ("no", "no", "no")):
        roster = tmp_path / "roster.csv"
        rows = [f"{k},{k},S{i},{a}" for i, (k, a) in enumerate(zip("ABC", active, strict=True))]
        roster.write_text("ID,Name,Specialty,Active\n" + "\n".join(rows) + "\n", encoding="utf-8")
        result = run("match", str(roster), "--dry-run")
        assert result.exit_code == 3, result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "pairing needs at least 2" in result.stderr
