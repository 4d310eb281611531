"""The coordinator's view of `pairctl match`: exit codes, what is printed, what is written."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import openpyxl
import pytest
from cli_helpers import HEADER, read_csv_rows, read_rows, run, small_roster, write_csv

from pairctl import __version__
from pairctl.errors import ExitCode

ANSI = re.compile(r"\x1b\[")


def pairs_of(sheet_rows: list[dict[str, str]]) -> set[frozenset[str]]:
    return {
        frozenset(k for k in (r.get("A key"), r.get("B key"), r.get("C key")) if k)
        for r in sheet_rows
        if r["Pair"] != "unmatched"
    }


def test_help_runs_as_a_module():
    out = subprocess.run(
        [sys.executable, "-m", "pairctl", "--help"], capture_output=True, text=True, check=True
    )
    assert "match" in out.stdout


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"pairctl {__version__}"


def test_match_writes_a_dated_sheet_beside_the_roster(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster))
    assert result.exit_code == 0, result.stderr
    written = list(tmp_path.glob("pairs-*.xlsx"))
    assert len(written) == 1
    assert re.fullmatch(r"pairs-\d{4}-\d{2}-\d{2}\.xlsx", written[0].name)
    assert f"Wrote {written[0]}" in result.stdout
    wb = openpyxl.load_workbook(written[0])
    assert wb.sheetnames == ["Pairs", "By person", "Unmatched", "Summary", "Run info"]
    # A rerun the same day keeps the first sheet and writes a fresh name.
    again = run("match", str(roster))
    assert again.exit_code == 0, again.stderr
    assert len(list(tmp_path.glob("pairs-*.xlsx"))) == 2


def test_every_person_in_exactly_one_cross_specialty_pair(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    out = tmp_path / "pairs.csv"
    result = run("match", str(roster), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_csv_rows(out)
    # The one pairing (checked by enumerating all 105) where every pair teaches both ways.
    assert pairs_of(rows) == {
        frozenset(p)
        for p in [("E001", "E003"), ("E002", "E004"), ("E005", "E006"), ("E007", "E008")]
    }
    for r in rows:
        assert r["A specialty"] != r["B specialty"]
        # Everyone here has something the other wants: both directions are filled in.
        assert r["A teaches B"] and r["B teaches A"]


def test_same_seed_gives_identical_output_and_dry_run_writes_nothing(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    first = run("match", str(roster), "--dry-run", "--json", "--seed", "7")
    second = run("match", str(roster), "--dry-run", "--json", "--seed", "7")
    assert first.exit_code == second.exit_code == 0
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    a["run_info"].pop("Run at"), b["run_info"].pop("Run at")
    assert a == b
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_json_shape_is_the_documented_one(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert data["people"] == 8
    assert data["solver"] == "greedy-swap" and data["seed"] == 0
    assert data["unmatched"] == []
    assert all(isinstance(k, str) for p in data["pairs"] for k in p["members"])
    assert sorted(k for p in data["pairs"] for k in p["members"]) == [
        f"E00{i}" for i in range(1, 9)
    ]
    assert data["total_score"] == pytest.approx(sum(p["score"] for p in data["pairs"]), abs=1e-3)
    assert {"cross_specialty_pct", "both_teach_pct", "mean_score"} <= set(data["metrics"])


def test_odd_person_joins_a_trio_or_is_left_out(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    text = roster.read_text(encoding="utf-8")
    roster.write_text(
        text + "E009,Ivo Petrov,ivo@example.org,Counsel,Legal,Legal,9,Contracts,Python\r\n",
        encoding="utf-8",
    )
    trio = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert sorted(len(p["members"]) for p in trio["pairs"]) == [2, 2, 2, 3]
    left = json.loads(run("match", str(roster), "--dry-run", "--json", "--odd", "leave-out").stdout)
    assert len(left["pairs"]) == 4 and len(left["unmatched"]) == 1
    assert "odd number" in left["unmatched"][0]["reason"]


def test_terminal_summary_without_a_terminal_is_plain_and_escaped(tmp_path):
    rows = [
        ["1", "[bold]Ann[/bold]", "", "", "Eng", "", "", "[/x]", "Sales"],
        ["2", "Bob [admin]", "", "", "Sales", "", "", "Sales", "[/x]"],
    ]
    roster = write_csv(tmp_path / "r.csv", rows)
    result = run("match", str(roster), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Ann[/bold]" in result.stdout
    assert "Bob [admin]" in result.stdout
    assert "[/x]" in result.stdout
    assert not ANSI.search(result.stdout)
    assert "Dry run: nothing written." in result.stdout


def test_blind_columns_are_listed_and_never_change_the_pairs(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    base = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert "Job title" in base["run_info"]["Blind columns (never scored)"]
    # Rewrite every job title: the pairs must not move.
    rows = read_csv_rows(roster)
    for i, r in enumerate(rows):
        r["Job title"] = f"Level {i * 7 % 5} Chief"
    write_csv(roster, [list(r.values()) for r in rows])
    changed = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert [p["members"] for p in changed["pairs"]] == [p["members"] for p in base["pairs"]]


# --- errors: one line, documented code, nothing written --------------------------------


def assert_clean_failure(result, code: ExitCode, *needles: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_file(tmp_path):
    result = run("match", str(tmp_path / "nope.xlsx"))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "nope.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_unreadable_workbook(tmp_path):
    junk = tmp_path / "roster.xlsx"
    junk.write_bytes(b"\x00\x01 this is not a workbook \xff" * 50)
    result = run("match", str(junk))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "roster.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.xlsx"]


def test_missing_specialty_column(tmp_path):
    roster = write_csv(tmp_path / "r.csv", [["1", "A"], ["2", "B"]], header=["ID", "Name"])
    result = run("match", str(roster))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "r.csv", "specialty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_duplicate_keys_name_both_rows(tmp_path):
    roster = write_csv(
        tmp_path / "r.csv",
        [["7", "A", "Eng"], ["8", "B", "Ops"], ["7", "C", "Law"]],
        header=["ID", "Name", "Specialty"],
    )
    result = run("match", str(roster))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "r.csv", "'7'", "2", "4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_fewer_than_two_people(tmp_path):
    roster = write_csv(tmp_path / "r.csv", [["1", "A", "Eng"]], header=["ID", "Name", "Specialty"])
    result = run("match", str(roster))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "r.csv", "1 person")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_debug_shows_the_traceback(tmp_path):
    result = run("match", str(tmp_path / "nope.csv"), "--debug")
    assert result.exit_code == ExitCode.BAD_ROSTER
    assert "Traceback" in result.stderr


def test_existing_output_is_not_replaced_without_force(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    out = tmp_path / "pairs.xlsx"
    out.write_bytes(b"someone's sheet")
    result = run("match", str(roster), "-o", str(out))
    assert_clean_failure(result, ExitCode.CANNOT_WRITE, "pairs.xlsx", "--force")
    assert out.read_bytes() == b"someone's sheet"
    assert run("match", str(roster), "-o", str(out), "--force").exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Pairs"


def test_never_writes_over_the_roster(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    before = roster.read_bytes()
    result = run("match", str(roster), "-o", str(roster), "--force")
    assert_clean_failure(result, ExitCode.CANNOT_WRITE, "input roster")
    assert roster.read_bytes() == before


def test_bad_map_option_is_a_usage_error(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    assert_clean_failure(run("match", str(roster), "--map", "specialty"), ExitCode.USAGE, "--map")
    assert_clean_failure(
        run("match", str(roster), "--map", "colour=Job title"), ExitCode.USAGE, "colour"
    )


def test_unknown_output_format_is_a_usage_error(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    assert_clean_failure(
        run("match", str(roster), "-o", str(tmp_path / "p.pdf")), ExitCode.USAGE, ".pdf"
    )


def test_roster_from_stdin_only_with_dash(tmp_path, monkeypatch):
    roster = small_roster(tmp_path / "roster.csv")
    monkeypatch.chdir(tmp_path)
    result = run("match", "-", "--dry-run", "--json", input=roster.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["people"] == 8


@pytest.mark.slow
def test_same_pairs_across_processes_hash_seeds_and_row_orders(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    shuffled = tmp_path / "shuffled.csv"
    body = lines[1:]
    random.Random(5).shuffle(body)
    shuffled.write_text(lines[0] + "".join(body), encoding="utf-8")
    results = set()
    for path, hash_seed in [(roster, "0"), (roster, "1"), (shuffled, "2"), (shuffled, "3")]:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "pairctl",
                "match",
                str(path),
                "--dry-run",
                "--json",
                "--seed",
                "3",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        pairs = json.loads(out.stdout)["pairs"]
        results.add(frozenset(frozenset(p["members"]) for p in pairs))
    assert len(results) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["match", "roster.csv", "--odd", "sometimes"], "--odd"),
        (["match"], "ROSTER"),
        (["match", "roster.csv", "--seed", "-5"], "--seed"),
        (["match", "roster.csv", "--colour"], "--colour"),
    ],
)
def test_option_mistakes_are_one_line_with_exit_code_2(args, needle):
    out = subprocess.run([sys.executable, "-m", "pairctl", *args], capture_output=True, text=True)
    assert out.returncode == ExitCode.USAGE
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pairctl: error:") and needle in lines[0]


def test_json_says_where_the_sheet_was_written(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    out = tmp_path / "p.xlsx"
    data = json.loads(run("match", str(roster), "-o", str(out), "--json").stdout)
    assert data["output"] == str(out) and out.exists()
    dry = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert dry["output"] is None


def test_a_field_mapped_twice_is_a_usage_error(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--map", "skills=Skills", "--map", "Skills =Job title")
    assert_clean_failure(result, ExitCode.USAGE, "skills", "once")


def test_json_reports_the_quality_figure_and_its_reference(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert data["quality"]["reference"] == "exact"
    assert data["quality"]["percent"] == pytest.approx(100.0)  # 8 people: greedy-swap is optimal
    assert data["quality"]["value"] == pytest.approx(data["total_score"], abs=1e-3)


def test_exact_solver_gives_the_same_pairs_on_a_small_roster(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    fast = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    slow = json.loads(run("match", str(roster), "--dry-run", "--json", "--solver", "exact").stdout)
    assert slow["solver"] == "exact"
    assert {frozenset(p["members"]) for p in slow["pairs"]} == {
        frozenset(p["members"]) for p in fast["pairs"]
    }


def test_exact_solver_refuses_a_roster_above_its_limit(tmp_path, monkeypatch):
    import pairctl.core.matching as matching

    monkeypatch.setattr(matching, "EXACT_LIMIT", 4)
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--solver", "exact")
    assert_clean_failure(result, ExitCode.USAGE, "--solver exact", "at most 4 people")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_avoid_list_keeps_those_pairs_apart(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    # The optimum pairs E001-E003 and E002-E004: forbid both.
    avoid = tmp_path / "avoid.csv"
    avoid.write_text("Person,Not with\nE001,E003\nE004,E002\n", encoding="utf-8")
    data = json.loads(
        run("match", str(roster), "--dry-run", "--json", "--avoid", str(avoid)).stdout
    )
    pairs = {frozenset(p["members"]) for p in data["pairs"]}
    assert frozenset(("E001", "E003")) not in pairs
    assert frozenset(("E002", "E004")) not in pairs
    assert sorted(k for p in pairs for k in p) == [f"E00{i}" for i in range(1, 9)]
    assert data["run_info"]["Pairs forbidden by rules"] == "2"


def test_avoid_list_with_an_unknown_key_names_file_and_row(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    avoid = tmp_path / "avoid.csv"
    avoid.write_text("E001,E003\nE001,E999\n", encoding="utf-8")
    result = run("match", str(roster), "--avoid", str(avoid))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "avoid.csv", "row 2", "'E999'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avoid.csv", "roster.csv"]


def test_nobody_is_paired_within_the_chain_depth(tmp_path):
    # E001 manages E002 and E005; E002 manages E003; without the rule E001-E003 is best.
    header = [*HEADER, "Manager ID"]
    rows = [
        [*r, m]
        for r, m in zip(
            read_rows(small_roster(tmp_path / "base.csv")),
            ["", "E001", "E002", "", "E001", "", "", ""],
            strict=True,
        )
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, header=header)
    ruled = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    pairs = {frozenset(p["members"]) for p in ruled["pairs"]}
    for forbidden in [("E001", "E002"), ("E001", "E005"), ("E002", "E003"), ("E001", "E003")]:
        assert frozenset(forbidden) not in pairs
    assert any("E001" in p for p in pairs)  # the top of the tree is still paired
    off = json.loads(run("match", str(roster), "--dry-run", "--json", "--chain-depth", "0").stdout)
    assert frozenset(("E001", "E003")) in {frozenset(p["members"]) for p in off["pairs"]}


def test_pinned_pairs_are_kept_and_the_rest_is_paired_around_them(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    pins = tmp_path / "pins.csv"
    pins.write_text("E001,E002\nE007,E005\n", encoding="utf-8")
    data = json.loads(run("match", str(roster), "--dry-run", "--json", "--pin", str(pins)).stdout)
    pairs = {frozenset(p["members"]): p for p in data["pairs"]}
    assert frozenset(("E001", "E002")) in pairs and frozenset(("E005", "E007")) in pairs
    assert "pinned by the coordinator" in pairs[frozenset(("E001", "E002"))]["notes"]
    assert sorted(k for p in pairs for k in p) == [f"E00{i}" for i in range(1, 9)]
    assert data["run_info"]["Pinned pairs"].startswith("2 ")


@pytest.mark.parametrize(
    ("pins", "avoid", "needles"),
    [
        ("E001,E002\nE002,E003\n", None, ["pins.csv row 2", "'E002' is pinned twice"]),
        ("E001,E002\n", "E002,E001\n", ["pins.csv row 1", "contradicts a rule", "avoid list"]),
        ("E001,E404\n", None, ["pins.csv", "row 1", "'E404'"]),
    ],
)
def test_contradictory_pins_are_clear_errors(tmp_path, pins, avoid, needles):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pins.csv").write_text(pins, encoding="utf-8")
    args = ["match", str(roster), "--pin", str(tmp_path / "pins.csv")]
    if avoid:
        (tmp_path / "avoid.csv").write_text(avoid, encoding="utf-8")
        args += ["--avoid", str(tmp_path / "avoid.csv")]
    assert_clean_failure(run(*args), ExitCode.BAD_ROSTER, *needles)
    assert not list(tmp_path.glob("pairs-*"))


def test_people_out_this_round_are_listed_not_paired(tmp_path):
    header = [*HEADER, "Active", "Away until"]
    flags = [
        ("", ""),
        ("no", ""),
        ("yes", "2999-01-31"),
        ("1", "2001-01-01"),
        ("", ""),
        ("TRUE", ""),
        ("", ""),
        ("y", ""),
    ]
    rows = [
        [*r, a, w]
        for r, (a, w) in zip(read_rows(small_roster(tmp_path / "base.csv")), flags, strict=True)
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, header=header)
    out = tmp_path / "p.csv"
    result = run("match", str(roster), "-o", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    paired = sorted(k for p in data["pairs"] for k in p["members"])
    assert paired == ["E001", "E004", "E005", "E006", "E007", "E008"]
    assert {u["key"]: u["reason"] for u in data["unmatched"]} == {
        "E002": "not taking part this round (marked inactive)",
        "E003": "away until 2999-01-31",
    }
    listed = {r["A key"]: r["Notes"] for r in read_csv_rows(out) if r["Pair"] == "unmatched"}
    assert listed == {
        "E002": "not taking part this round (marked inactive)",
        "E003": "away until 2999-01-31",
    }


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("Active", "maybe", "'maybe' is not yes or no"),
        ("Away until", "31/03/2027", "YYYY-MM-DD"),
    ],
)
def test_bad_participation_cells_name_row_and_column(tmp_path, column, value, needle):
    rows = read_rows(small_roster(tmp_path / "base.csv"))
    rows = [[*r, value if i == 2 else ""] for i, r in enumerate(rows)]
    roster = write_csv(tmp_path / "roster.csv", rows, header=[*HEADER, column])
    result = run("match", str(roster))
    assert_clean_failure(result, ExitCode.BAD_ROSTER, "roster.csv", "row 4", repr(column), needle)


def test_quiet_prints_nothing_on_success(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--quiet", "-o", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "p.xlsx").exists()


def test_strict_turns_warnings_into_exit_code_6(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    clean = run("match", str(roster), "--strict", "--quiet", "--dry-run")
    assert clean.exit_code == 0 and clean.stderr == ""
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text + "E009,Ivo,,,Legal,Legal,9,Contracts,Python\r\n", encoding="utf-8")
    out = tmp_path / "p.xlsx"
    result = run("match", str(roster), "--strict", "--quiet", "--odd", "leave-out", "-o", str(out))
    assert result.exit_code == ExitCode.WARNINGS
    assert "not paired" in result.stderr and "(--strict)" in result.stderr
    assert out.exists()  # finished: the sheet is written, the exit code says "look at it"


def test_a_second_run_on_the_same_folder_fails_cleanly(tmp_path):
    from pairctl.output.lock import folder_lock

    roster = small_roster(tmp_path / "roster.csv")
    with folder_lock(tmp_path):  # another run is writing here
        result = run("match", str(roster), "-o", str(tmp_path / "p.xlsx"))
    assert_clean_failure(result, ExitCode.CANNOT_WRITE, "another pairctl run")
    assert not (tmp_path / "p.xlsx").exists()
    assert run("match", str(roster), "-o", str(tmp_path / "p.xlsx")).exit_code == 0


@pytest.mark.slow  # a 6,000-person run in a child process
def test_a_run_killed_while_writing_leaves_no_partial_file(stopped_mid_write):
    import signal

    killed = stopped_mid_write  # stopped with its temporary sheet half written
    killed.child.kill()
    assert killed.child.wait(timeout=60) == -signal.SIGKILL  # no cleanup code ran
    folder = killed.output.parent
    assert not killed.output.exists()  # killed mid-write: no sheet at all, not half a one
    assert sorted(p.name for p in folder.iterdir()) == sorted(["big.csv", killed.temp.name])
    # The next run cleans up what the killed one left and writes a whole sheet.
    again = run("match", str(killed.roster), "-o", str(killed.output), "--quiet")
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["big.csv", "pairs.xlsx"]
    assert sorted(killed.sheet_keys()) == killed.keys  # everyone, each exactly once


def test_an_unexpected_failure_is_exit_1_in_one_line(tmp_path, monkeypatch):
    import pairctl.core.summary as summary

    def broken(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(summary, "build_report", broken)
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster))
    assert_clean_failure(result, ExitCode.INTERNAL, "internal error", "--debug")
    assert not list(tmp_path.glob("pairs-*"))


@pytest.mark.slow  # a 6,000-person run in a child process
def test_two_runs_at_once_on_one_output_one_writes_the_other_fails_cleanly(stopped_mid_write):
    first = stopped_mid_write  # holds the folder lock, its sheet half written
    second = subprocess.run(
        [sys.executable, "-m", "pairctl", "match", str(first.roster), "-o", str(first.output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert second.returncode == ExitCode.CANNOT_WRITE, second.stderr
    assert second.stdout == ""
    assert len(second.stderr.splitlines()) == 1, second.stderr
    assert "another pairctl run is writing here" in second.stderr
    # The second touched nothing: the first's temporary sheet is still there, no sheet yet.
    folder = first.output.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(["big.csv", first.temp.name])
    assert first.resume() == ExitCode.OK
    assert first.child.stderr.read() == ""  # --quiet: the winner's success stays silent
    assert sorted(p.name for p in folder.iterdir()) == ["big.csv", "pairs.xlsx"]
    assert sorted(first.sheet_keys()) == first.keys
