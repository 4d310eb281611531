"""Email keys ignore case in every file that names people, as they do in the roster itself:
a history pair or an avoid line typed in lower case means the same person."""

from __future__ import annotations

import json

from cli_helpers import run


def _roster(tmp_path):
    rows = ["Email,Specialty,Skills,Wants to learn"]
    rows += [f"Person{i}@Example.ORG,S{i % 4},s{i % 4},s{(i + 1) % 4}" for i in range(8)]
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _pairs(result) -> set[frozenset[str]]:
    assert result.exit_code == 0, result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


def test_a_history_in_lower_case_is_still_not_repeated(tmp_path):
    roster = _roster(tmp_path)
    first = _pairs(run("match", str(roster), "--dry-run", "--json"))
    history = tmp_path / "round-1.csv"
    history.write_text(
        "".join(",".join(sorted(k.lower() for k in pair)) + "\n" for pair in first),
        encoding="utf-8",
    )
    result = run("match", str(roster), "--dry-run", "--json", "--history", str(history))
    assert json.loads(result.stdout)["run_info"]["Earlier pairs not to repeat"] == "4"
    assert not first & _pairs(result)


def test_an_avoid_line_in_other_case_is_honoured(tmp_path):
    roster = _roster(tmp_path)
    first = _pairs(run("match", str(roster), "--dry-run", "--json"))
    avoided = sorted(next(iter(first)))
    avoid = tmp_path / "avoid.csv"
    avoid.write_text(f"{avoided[0].upper()},{avoided[1].lower()}\n", encoding="utf-8")
    again = _pairs(run("match", str(roster), "--dry-run", "--json", "--avoid", str(avoid)))
    assert frozenset(avoided) not in again


def test_an_unknown_key_is_named_as_typed(tmp_path):
    roster = _roster(tmp_path)
    avoid = tmp_path / "avoid.csv"
    avoid.write_text("Person0@Example.ORG,Nobody@Example.ORG\n", encoding="utf-8")
    result = run("match", str(roster), "--dry-run", "--avoid", str(avoid))
    assert result.exit_code == 3
    assert "'Nobody@Example.ORG'" in result.stderr


def _numbered(tmp_path, order):
    """A form export whose key column is the response number, in the order people answered."""
    names = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]
    # No email column: nothing better to key by, so the drift warning is the safety net.
    rows = ["ID,Full name,Specialty"]
    rows += [f"{n},{names[i]},S{i % 3}" for n, i in enumerate(order, 1)]
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_history_whose_keys_now_name_other_people_is_warned_about(tmp_path):
    roster = _numbered(tmp_path, [0, 1, 2, 3, 4, 5])
    first = tmp_path / "round-1.xlsx"
    assert run("match", str(roster), "-o", str(first), "-q").exit_code == 0
    roster = _numbered(tmp_path, [5, 4, 3, 2, 1, 0])  # the same people, answering in turn
    result = run("match", str(roster), "--history", str(first), "--dry-run", "--strict", "-q")
    assert result.exit_code == 6
    drift = [line for line in result.stderr.splitlines() if "round-1.xlsx" in line]
    assert len(drift) == 1
    assert "6 keys name someone else than on the roster" in drift[0]
    assert "key the roster by email" in drift[0]


def test_a_history_keyed_the_same_way_is_not_warned_about(tmp_path):
    roster = _numbered(tmp_path, [0, 1, 2, 3, 4, 5])
    first = tmp_path / "round-1.csv"
    assert run("match", str(roster), "-o", str(first), "-q").exit_code == 0
    result = run("match", str(roster), "--history", str(first), "--dry-run", "--strict", "-q")
    assert "someone else" not in result.stderr


def test_an_avoid_or_pin_file_of_one_mistyped_pair_is_an_error_not_a_header(tmp_path):
    roster = _roster(tmp_path)
    for option in ("--avoid", "--pin"):
        one = tmp_path / f"{option[2:]}.csv"
        one.write_text("Person0@Example.ORG,Persn1@Example.ORG\n", encoding="utf-8")
        result = run("match", str(roster), "--dry-run", option, str(one))
        assert result.exit_code == 3, (option, result.stderr)
        assert "row 1: no one on the roster has the key 'Persn1@Example.ORG'" in result.stderr


def test_a_history_that_names_nobody_on_the_roster_is_warned_about(tmp_path):
    # Last round's CSV opened and saved in a spreadsheet: 00001 became 1.
    rows = ["ID,Specialty"] + [f"{i:05d},S{i % 3}" for i in range(1, 9)]
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    history = tmp_path / "round-1.csv"
    history.write_text("1,2\n3,4\n5,6\n7,8\n", encoding="utf-8")
    result = run("match", str(roster), "--history", str(history), "--dry-run", "--strict", "-q")
    assert result.exit_code == 6
    lines = [line for line in result.stderr.splitlines() if "round-1.csv" in line]
    assert (
        len(lines) == 1 and "none of its 8 keys is on the roster (e.g. '1', '2', '3')" in lines[0]
    )
