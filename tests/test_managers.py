"""The reporting-line rule on HRIS exports: the manager column holds names, or ids in another
numbering beside a name column. Nobody is paired within the chain depth, and a column that
resolves nobody is said in one line, never silently ignored."""

from __future__ import annotations

import json
from itertools import combinations

import openpyxl
from cli_helpers import run

from pairctl.errors import ExitCode
from pairctl.roster.managers import name_signature

# A small company: Vera runs it; Carl and Cleo report to her; each has three reports.
STAFF = [
    # id, name, email, specialty, manager name, manager id in the payroll system's numbering
    ("1001", "Vera Okoye", "vera@x.org", "Leadership", "Board of Directors", "9"),
    ("1002", "Carl Jensen", "carl@x.org", "Engineering", "Vera Okoye", "1"),
    ("1003", "Cleo Marsh", "cleo@x.org", "Sales", "Vera  OKOYE", "1"),
    ("1004", "Ana Souza", "ana@x.org", "Design", "Jensen, Carl", "2"),
    ("1005", "Bo Lind", "bo@x.org", "Finance", "Carl Jensen", "2"),
    ("1006", "Chen Wei", "chen@x.org", "Sales", "carl@x.org", "2"),
    ("1007", "Dana Ruiz", "dana@x.org", "Engineering", "Cleo Marsh", "3"),
    ("1008", "Eli Stone", "eli@x.org", "Finance", "Marsh, Cleo", "3"),
    ("1009", "Femi Ade", "femi@x.org", "Design", "Cléo Marsh", "3"),
]


def _workbook(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Employees"
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _chain_pairs(depth: int) -> set[frozenset[str]]:
    """Pairs within `depth` levels of one chain, from the names as a person reads them."""
    by_name = {name_signature(name): key for key, name, *_ in STAFF}
    by_email = {email: key for key, _n, email, *_ in STAFF}
    boss = {}
    for key, _name, _email, _spec, manager, _id in STAFF:
        found = by_email.get(manager) or by_name.get(name_signature(manager))
        if found:
            boss[key] = found
    close = set()
    for key in boss:
        up, level = key, 0
        while up in boss and level < depth:
            up, level = boss[up], level + 1
            close.add(frozenset((key, up)))
    return close


def _groups(result) -> list[set[str]]:
    assert result.exit_code == 0, result.stderr
    return [set(p["members"]) for p in json.loads(result.stdout)["pairs"]]


def test_manager_names_from_an_hris_export_keep_people_apart(tmp_path):
    roster = _workbook(
        tmp_path / "hris.xlsx",
        ["Employee ID", "Name", "Work email", "Specialty", "Manager"],
        [row[:5] for row in STAFF],
    )
    result = run("match", str(roster), "--dry-run", "--json", "--chain-depth", "2")
    forbidden = _chain_pairs(2)
    assert len(forbidden) == 14  # 8 direct links and 6 skip-level ones
    for group in _groups(result):
        assert not any(frozenset(p) in forbidden for p in combinations(group, 2)), group
    info = json.loads(result.stdout)["run_info"]
    assert info["Manager values resolved"] == "8 of 9 resolved (1 by email, 7 by name)"
    warned = [w for w in json.loads(result.stdout)["warnings"] if "reporting-line" in w]
    assert warned == [
        "reporting-line rule: 1 of 9 values in the manager column 'Manager' matches nobody on "
        "the roster by key, email or name (those chains end there): 'Board of Directors'"
    ]


def test_ids_in_another_numbering_turn_the_rule_off_loudly_and_strict_exits_6(tmp_path):
    roster = _workbook(
        tmp_path / "hris.xlsx",
        ["Employee ID", "Name", "Specialty", "Manager ID"],
        [(k, n, s, m_id) for k, n, _e, s, _m, m_id in STAFF],
    )
    result = run("match", str(roster), "--dry-run", "--strict", "-q")
    assert result.exit_code == ExitCode.WARNINGS
    lines = [line for line in result.stderr.splitlines() if "reporting-line" in line]
    assert len(lines) == 1
    assert "reporting-line rule is off: none of the 9 values" in lines[0]
    assert "--map manager=COLUMN" in lines[0]


def test_the_name_column_beside_the_ids_is_the_one_to_map(tmp_path):
    # No email column here, so Chen's manager is written by name like everyone else's.
    rows = [(k, n, s, m_id, "Carl Jensen" if k == "1006" else m) for k, n, _e, s, m, m_id in STAFF]
    roster = _workbook(
        tmp_path / "hris.xlsx",
        ["Employee ID", "Name", "Specialty", "Manager ID", "Manager Name"],
        rows,
    )
    result = run("match", str(roster), "--dry-run", "--json", "--map", "manager=Manager Name")
    forbidden = _chain_pairs(2)
    for group in _groups(result):
        assert not any(frozenset(p) in forbidden for p in combinations(group, 2)), group
    assert json.loads(result.stdout)["run_info"]["Manager values resolved"] == (
        "8 of 9 resolved (8 by name)"
    )


def test_a_name_two_people_share_is_not_guessed(tmp_path):
    rows = [*STAFF, ("1010", "Ana Souza", "ana2@x.org", "Legal", "Vera Okoye", "1")]
    rows = [(*r[:4], "Ana Souza" if r[0] == "1009" else r[4], r[5]) for r in rows]
    roster = _workbook(
        tmp_path / "hris.xlsx",
        ["Employee ID", "Name", "Work email", "Specialty", "Manager"],
        [row[:5] for row in rows],
    )
    result = run("match", str(roster), "--dry-run", "-q")
    assert result.exit_code == 0
    assert "'Ana Souza' in the manager column 'Manager' fits several people" in result.stderr


def test_name_signatures_ignore_case_accents_punctuation_and_order():
    assert name_signature("LeBlanc, Brandon R") == name_signature("Brandon R. LeBlanc")
    assert name_signature("Cléo  MARSH") == name_signature("Marsh, Cleo")
    assert name_signature("Ana Souza") != name_signature("Ana Sousa")


def test_beside_ids_in_another_numbering_the_name_column_is_chosen_by_itself(tmp_path):
    rows = [(k, n, s, m_id, "Carl Jensen" if k == "1006" else m) for k, n, _e, s, m, m_id in STAFF]
    header = ["Employee ID", "Name", "Specialty", "ManagerID", "ManagerName"]
    roster = _workbook(tmp_path / "hris.xlsx", header, rows)
    result = run("match", str(roster), "--dry-run", "--json")
    forbidden = _chain_pairs(2)
    for group in _groups(result):
        assert not any(frozenset(p) in forbidden for p in combinations(group, 2)), group
    assert "managers are read from 'ManagerName': it names 8 of 9" in result.stderr
    assert json.loads(result.stdout)["run_info"]["Manager values resolved"] == (
        "8 of 9 resolved (8 by name)"
    )


def test_validate_resolves_manager_names_as_match_does(tmp_path):
    roster = _workbook(
        tmp_path / "hris.xlsx",
        ["Employee ID", "Name", "Work email", "Specialty", "Manager"],
        [row[:5] for row in STAFF],
    )
    result = run("validate", str(roster), "--json")
    assert result.exit_code == 0, result.stderr
    unknown = [f for f in json.loads(result.stdout)["findings"] if f["topic"] == "unknown managers"]
    assert [f["message"] for f in unknown] == [
        "1 manager key is not on the roster (reporting chains end there): Board of Directors"
    ]
