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
