"""`pairctl check PAIRS ROSTER` and `match --keep`: an edited round checked, kept groups kept."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_helpers import run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "roster.csv"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def key(cell: str) -> str:
    """A key as pairctl's CSV writes it (a ' before one that could start a formula)."""
    return cell.removeprefix("'")


def groups_of(result) -> set[frozenset[str]]:
    assert result.exit_code in (0, 3), result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


def a_round(tmp_path: Path, roster: Path = SAMPLE) -> Path:
    sheet = tmp_path / "round.csv"
    result = run("match", str(roster), "-o", str(sheet))
    assert result.exit_code == 0, result.stderr
    return sheet


def test_an_untouched_sheet_passes_with_the_total_of_the_run_that_wrote_it(tmp_path):
    made = run("match", str(SAMPLE), "--json", "-o", str(tmp_path / "round.xlsx"))
    assert made.exit_code == 0, made.stderr
    checked = run("check", str(tmp_path / "round.xlsx"), str(SAMPLE), "--json")
    assert checked.exit_code == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert data["problems"] == []
    assert data["total_score"] == json.loads(made.stdout)["total_score"]
    assert groups_of(checked) == groups_of(made)
    # The sheet's CSV form reads the same.
    csv_sheet = a_round(tmp_path)
    checked = run("check", str(csv_sheet), str(SAMPLE), "--json")
    assert checked.exit_code == 0, checked.stderr
    assert json.loads(checked.stdout)["total_score"] == json.loads(made.stdout)["total_score"]


def test_an_edited_sheet_gets_exactly_its_problems_and_exit_3(tmp_path):
    sheet = a_round(tmp_path)
    rows = rows_of(sheet)
    managers = {r["Employee ID"]: r["Manager ID"] for r in rows_of(SAMPLE)}
    row_of = {key(r[f"{s} key"]): i for i, r in enumerate(rows) for s in "AB" if r[f"{s} key"]}
    # Swap two people into a forbidden pair: someone and their direct manager.
    person = next(p for p, m in managers.items() if m in row_of and row_of[m] != row_of[p])
    boss = managers[person]
    mine, theirs = rows[row_of[person]], rows[row_of[boss]]
    boss_slot = "A" if key(theirs["A key"]) == boss else "B"
    partner_slot = "B" if key(mine["A key"]) == person else "A"
    partner = key(mine[f"{partner_slot} key"])
    mine[f"{partner_slot} key"], theirs[f"{boss_slot} key"] = boss, partner
    # Delete one person from another row, and type one into a third row a second time.
    others = [i for i in range(len(rows)) if i not in (row_of[person], row_of[boss])]
    gone_row, twice_row, typed_into = rows[others[0]], rows[others[1]], rows[others[2]]
    gone, alone = key(gone_row["B key"]), key(gone_row["A key"])
    gone_row["B key"] = ""
    twice = key(twice_row["A key"])
    typed_into["B key"] = twice
    replaced = key(rows_of(sheet)[others[2]]["B key"])
    edited = tmp_path / "edited.csv"
    write_rows(edited, rows)

    result = run("check", str(edited), str(SAMPLE), "--json")
    assert result.exit_code == 3, result.stderr
    problems = json.loads(result.stdout)["problems"]
    name = {r["Employee ID"]: r["Full name"] for r in rows_of(SAMPLE)}
    place = {i: f"{edited} row {i + 2}" for i in range(len(rows))}
    forbidden = [p for p in problems if "may not be paired" in p]
    assert len(forbidden) == 1 and {repr(person), repr(boss)} <= set(forbidden[0].split())
    assert forbidden[0].startswith(place[row_of[person]])
    assert f"{place[others[0]]}: {alone!r} has nobody to pair with" in problems
    assert f"{gone!r} ({name[gone]}) takes part but is in no group of the checked pairing" in (
        problems
    )
    assert (
        f"{replaced!r} ({name[replaced]}) takes part but is in no group of the checked pairing"
        in (problems)
    )
    assert f"{place[others[2]]}: {twice!r} is listed twice (also at {place[others[1]]})" in problems
    # Nothing else is wrong with it (same-specialty lines only if the swap made one).
    rest = [
        p
        for p in problems
        if "may not be paired" not in p
        and "nobody to pair with" not in p
        and "in no group" not in p
        and "listed twice" not in p
    ]
    assert all("same-specialty" in p for p in rest), rest
    assert result.stderr.count("problem: ") == len(problems)


def test_check_output_is_a_fresh_sheet_that_as_history_prevents_repeats(tmp_path):
    sheet = a_round(tmp_path)
    approved = tmp_path / "approved.xlsx"
    checked = run("check", str(sheet), str(SAMPLE), "-o", str(approved))
    assert checked.exit_code == 0, checked.stderr
    assert approved.exists()
    earlier = groups_of(run("check", str(approved), str(SAMPLE), "--json"))
    again = run("match", str(SAMPLE), "--history", str(approved), "--dry-run", "--json")
    assert again.exit_code == 0, again.stderr
    assert not (groups_of(again) & earlier)
    # -o never writes over the sheet being checked.
    same = run("check", str(sheet), str(SAMPLE), "-o", str(sheet), "--force")
    assert same.exit_code == 2 and "that is the pairing being checked" in same.stderr


def test_a_plain_csv_of_keys_with_a_trio_is_checked(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,w\nD,S4,w,z\nE,S5,x,w\n",
        encoding="utf-8",
    )
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("first,second,third\nA,B\nC,D,E\n", encoding="utf-8")
    result = run("check", str(pairs), str(roster), "--json")
    assert result.exit_code == 0, result.stderr
    assert groups_of(result) == {frozenset("AB"), frozenset("CDE")}
    pairs.write_text("A,B\nC,Z\n", encoding="utf-8")
    result = run("check", str(pairs), str(roster), "--json")
    assert result.exit_code == 3
    problems = json.loads(result.stdout)["problems"]
    assert f"{pairs} row 2: 'Z' is not on the roster" in problems
    assert f"{pairs} row 2: 'C' has nobody to pair with" in problems
    assert "'D' (D) takes part but is in no group of the checked pairing" in problems


def test_keep_fixes_a_kept_trio_and_two_pairs_and_pairs_everyone_else(tmp_path):
    # 39 people: the round has a trio.
    roster = tmp_path / "roster.csv"
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    roster.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    sheet = a_round(tmp_path, roster)
    rows = rows_of(sheet)
    trio = next(i for i, r in enumerate(rows) if r["Size"] == "3")
    pairs = [i for i, r in enumerate(rows) if r["Size"] == "2"][:2]
    kept = set()
    for i in (trio, *pairs):
        rows[i]["Keep"] = "yes"
        kept.add(frozenset(key(rows[i][f"{s} key"]) for s in "ABC" if rows[i].get(f"{s} key")))
    marked = tmp_path / "marked.csv"
    write_rows(marked, rows)
    result = run("match", str(roster), "--keep", str(marked), "--seed", "7", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    made = groups_of(result)
    assert kept <= made
    assert sum(len(g) for g in made) == 39
    assert not json.loads(result.stdout)["unmatched"]
    notes = {frozenset(p["members"]): p["notes"] for p in json.loads(result.stdout)["pairs"]}
    assert all("pinned by the coordinator" in notes[g] for g in kept)
    # A sheet with nothing marked is a clear error, not a silent no-op.
    (tmp_path / "again").mkdir()
    unmarked = a_round(tmp_path / "again", roster)
    result = run("match", str(roster), "--keep", str(unmarked), "--dry-run")
    assert result.exit_code == 3 and "no group is marked Keep = yes" in result.stderr


def test_pin_takes_a_trio(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,w\nD,S4,w,z\nE,S5,x,w\n"
        "F,S6,w,x\n",
        encoding="utf-8",
    )
    pin = tmp_path / "pin.csv"
    pin.write_text("A,C,E\n", encoding="utf-8")
    result = run("match", str(roster), "--pin", str(pin), "--dry-run", "--json")
    made = groups_of(result)
    assert frozenset("ACE") in made
    assert sum(len(g) for g in made) == 6


def odd_roster(tmp_path: Path) -> Path:
    """The sample roster less its last row: 39 people, so a trio or someone left out."""
    roster = tmp_path / "odd.csv"
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    roster.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    return roster


def test_an_untouched_sheet_passes_with_leave_out_and_with_two_way_and_a_trio(tmp_path):
    roster = odd_roster(tmp_path)
    for options in (["--odd", "leave-out"], ["--two-way", "require"]):
        sheet = tmp_path / f"round{len(options[1])}.csv"
        assert run("match", str(roster), "-o", str(sheet), *options).exit_code == 0
        checked = run("check", str(sheet), str(roster), "--json", *options)
        assert checked.exit_code == 0, (options, checked.stderr)
        assert json.loads(checked.stdout)["problems"] == []


def test_keys_pairctl_wrote_with_a_quote_read_back_in_check_and_keep(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\n-A,S1,x,y\n-B,S2,y,x\n=C,S3,z,w\n+D,S4,w,z\n",
        encoding="utf-8",
    )
    sheet = a_round(tmp_path, roster)
    assert "'-A" in sheet.read_text(encoding="utf-8-sig")
    checked = run("check", str(sheet), str(roster), "--json")
    assert checked.exit_code == 0, checked.stderr
    rows = rows_of(sheet)
    rows[0]["Keep"] = "yes"
    write_rows(sheet, rows)
    kept = run("match", str(roster), "--keep", str(sheet), "--dry-run", "--json")
    assert kept.exit_code == 0, kept.stderr


def test_group_sizes_and_trios_are_checked(tmp_path):
    quad = tmp_path / "quad.csv"
    quad.write_text("E0024,E0127,E0028,E0121\n", encoding="utf-8")  # four keys in one row
    result = run("check", str(quad), str(SAMPLE))
    assert result.exit_code == 3
    assert "row 1: expected at most 3 person keys, found 4" in result.stderr
    made = run("match", str(SAMPLE), "--json", "-o", str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    first, second = data["pairs"][:2]
    data["pairs"][:2] = [{**first, "members": first["members"] + second["members"]}]
    merged = tmp_path / "merged.json"
    merged.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(merged), str(SAMPLE), "--json")
    assert result.exit_code == 3, made.stderr
    problems = json.loads(result.stdout)["problems"]
    assert (
        f"{merged} row 1: a group of 4: groups are pairs, and one trio when the count is odd"
        in (problems)
    )
    # Two trios on an even roster: each is a problem.
    plain = tmp_path / "trios.csv"
    groups = [p["members"] for p in json.loads(made.stdout)["pairs"]]
    a, b, c = groups[0], groups[1], groups[2]
    rows = [[*a, c[0]], [*b, c[1]], *groups[3:]]
    plain.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result = run("check", str(plain), str(SAMPLE), "--json")
    problems = json.loads(result.stdout)["problems"]
    assert result.exit_code == 3
    trio_lines = [p for p in problems if "a trio, but" in p]
    assert len(trio_lines) == 2 and all("an even count" in p for p in trio_lines)
    assert not [p for p in problems if "in no group" in p]


def test_check_reports_a_pin_the_pairing_breaks(tmp_path):
    sheet = a_round(tmp_path)
    rows = rows_of(sheet)
    pin = tmp_path / "pin.csv"
    pin.write_text(f"{key(rows[0]['A key'])},{key(rows[1]['A key'])}\n", encoding="utf-8")
    result = run("check", str(sheet), str(SAMPLE), "--pin", str(pin), "--json")
    assert result.exit_code == 3
    problems = json.loads(result.stdout)["problems"]
    assert problems == [
        f"the pinned or kept group {key(rows[0]['A key'])!r} + {key(rows[1]['A key'])!r} is "
        "not a group of the pairing"
    ]


def test_a_keep_cell_that_is_neither_yes_nor_no_is_an_error_naming_it(tmp_path):
    sheet = a_round(tmp_path)
    rows = rows_of(sheet)
    rows[3]["Keep"] = "Kept"
    write_rows(sheet, rows)
    result = run("match", str(SAMPLE), "--keep", str(sheet), "--dry-run")
    assert result.exit_code == 3
    assert f"{sheet} row 5, column 'Keep': 'Kept' is neither yes nor no" in result.stderr


def test_keep_holds_a_group_the_matcher_would_not_have_made(tmp_path):
    sheet = a_round(tmp_path)
    rows = rows_of(sheet)
    one, two = key(rows[0]["A key"]), key(rows[1]["A key"])
    rows[0]["B key"], rows[0]["Keep"] = two, "yes"
    write_rows(sheet, rows)
    before = groups_of(run("match", str(SAMPLE), "--dry-run", "--json"))
    assert frozenset({one, two}) not in before
    after = run("match", str(SAMPLE), "--keep", str(sheet), "--dry-run", "--json")
    assert after.exit_code == 0, after.stderr
    assert frozenset({one, two}) in groups_of(after)
    assert sum(len(g) for g in groups_of(after)) == 40
