"""`pairctl report`: four rounds written by `pairctl match`, read back and added up; the
figures checked against what the sheets say, read here with openpyxl."""

from __future__ import annotations

import io
import json
from itertools import combinations
from pathlib import Path

import pytest
from cli_helpers import HEADER, run, write_csv
from openpyxl import load_workbook

from pairctl.core.report import Lesson
from pairctl.errors import RosterError
from pairctl.programme.figures import programme_figures
from pairctl.programme.rounds import Group, Left, Member, Round
from pairctl.shell.environment import Environment
from pairctl.shell.report import programme_to_dict, report

PEOPLE = [
    line.split("|")
    for line in (
        "P1|Ana|ana@x.org|Eng|Engineering|Product|2|Python; SQL|Negotiation; Budgeting",
        "P2|Bo|bo@x.org|Sales|Sales|Revenue|19|Negotiation; Speaking|Python; Figma",
        "P3|Chen|chen@x.org|Analyst|Finance|Finance|7|Budgeting; Excel|Python; Research",
        "P4|Dana|dana@x.org|Designer|Design|Product|4|Figma; Research|Negotiation; SQL",
        "P5|Eli|eli@x.org|Engineer|Engineering|Platform|15|Python; Kubernetes|Speaking; Figma",
        "P6|Fatima|fatima@x.org|Account Exec|Sales|Revenue|3|Speaking; CRM|Kubernetes; Budgeting",
        "P7|Gus|gus@x.org|Controller|Finance|Finance|25|Excel; Forecasting|Figma; SQL",
    )
]
DATES = ["2027-01-05", "2027-04-05", "2027-07-05", "2027-10-05"]
AWAY = ("P7", 1)
"""Gus says Active = no in the second round: three pairs, and he is listed as not taking part."""


def _roster(path: Path, inactive: str | None) -> Path:
    rows = [[*row, "no" if row[0] == inactive else "yes"] for row in PEOPLE]
    return write_csv(path, rows, header=[*HEADER, "Active"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("programme")
    rounds = base / "rounds"
    rounds.mkdir()
    for number, date in enumerate(DATES):
        inactive = AWAY[0] if number == AWAY[1] else None
        roster = _roster(base / f"roster-{date}.csv", inactive)
        result = run(
            "match", str(roster), "-o", str(rounds / f"pairs-{date}.xlsx"),
            "--history", str(rounds),
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    _roster(base / "roster.csv", None)
    return rounds


def _env() -> tuple[Environment, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Environment(out, err, None, False, False, True), out, err


def _sheet_groups(path: Path) -> list[dict[str, object]]:
    """Each group of a pairing sheet as the test reads it: keys, specialties, lessons, notes."""
    sheet = load_workbook(path, read_only=True)["Pairs"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    out = []
    for row in rows[1:]:
        cell = dict(zip(header, row, strict=False))
        letters = [x for x in "ABC" if cell.get(f"{x} key")]
        keys = [cell[f"{x} key"] for x in letters]
        teach = {
            (cell[f"{a} key"], cell[f"{b} key"]): [
                s.strip() for s in (cell.get(f"{a} teaches {b}") or "").split(";") if s.strip()
            ]
            for a in letters
            for b in letters
            if a != b
        }
        out.append(
            {
                "keys": keys,
                "specialties": {cell[f"{x} key"]: cell[f"{x} specialty"] for x in letters},
                "teach": teach,
                "notes": cell["Notes"] or "",
            }
        )
    return out


def _summary(path: Path, label: str) -> object:
    """The figure beside `label` in a sheet's Summary."""
    for row in load_workbook(path, read_only=True)["Summary"].iter_rows(values_only=True):
        if row and row[0] == label:
            return row[1]
    raise AssertionError(f"{label!r} not in the Summary of {path.name}")


def _sheet_unmatched(path: Path) -> list[tuple[str, str]]:
    """(key, reason) of each row of a sheet's Unmatched sheet."""
    rows = list(load_workbook(path, read_only=True)["Unmatched"].iter_rows(values_only=True))
    header = list(rows[0])
    return [(row[header.index("Key")], row[header.index("Reason")]) for row in rows[1:]]


def _hand_figures(folder: Path) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    """Per round and per person, counted from the sheets the plain way."""
    rounds = []
    people: dict[str, dict[str, object]] = {
        row[0]: {
            "rounds": 0,
            "partners": set(),
            "met": set(),
            "given": 0,
            "got": 0,
            "trios": 0,
            "two_way": False,
            "sat_out": 0,
        }
        for row in PEOPLE
    }
    specialty = {row[0]: row[4] for row in PEOPLE}
    for date in DATES:
        groups = _sheet_groups(folder / f"pairs-{date}.xlsx")
        unmatched = _sheet_unmatched(folder / f"pairs-{date}.xlsx")
        for key, reason in unmatched:
            assert reason.startswith("not taking part")
            people[key]["sat_out"] += 1  # type: ignore[operator]
        both = 0
        for group in groups:
            keys = group["keys"]
            teach = group["teach"]
            assert isinstance(keys, list) and isinstance(teach, dict)
            two_way = all(
                any(teach[(k, o)] for o in keys if o != k)
                and any(teach[(o, k)] for o in keys if o != k)
                for k in keys
            )
            both += two_way
            for k in keys:
                p = people[k]
                p["rounds"] += 1  # type: ignore[operator]
                p["trios"] += len(keys) == 3  # type: ignore[operator]
                p["two_way"] = p["two_way"] or two_way
                for o in keys:
                    if o != k:
                        p["partners"].add(o)  # type: ignore[attr-defined]
                        if specialty[o] != specialty[k]:
                            p["met"].add(specialty[o])  # type: ignore[attr-defined]
                        p["given"] += len(teach[(k, o)])  # type: ignore[operator]
                        p["got"] += len(teach[(o, k)])  # type: ignore[operator]
        crossing = sum(
            len({specialty[k] for k in g["keys"]}) == len(g["keys"])  # type: ignore[arg-type]
            for g in groups
        )
        rounds.append(
            {
                "groups": len(groups),
                "trios": sum(len(g["keys"]) == 3 for g in groups),  # type: ignore[arg-type]
                "people": sum(len(g["keys"]) for g in groups) + len(unmatched),  # type: ignore[arg-type]
                "unmatched": len(unmatched),
                "not_taking_part": len(unmatched),
                "crossing_pct": 100 * crossing / len(groups),
                "both_teach_pct": 100 * both / len(groups),
                "repeats": sum("repeat from history" in str(g["notes"]) for g in groups),
            }
        )
    return rounds, people


def test_report_json_matches_the_sheets(folder: Path) -> None:
    env, out, err = _env()
    report(env, folder, roster=None, output=None, force=False, as_json=True)
    data = json.loads(out.getvalue())
    assert err.getvalue() == ""
    rounds, people = _hand_figures(folder)
    assert [r["file"] for r in data["rounds"]] == [f"pairs-{d}.xlsx" for d in DATES]
    assert [r["date"] for r in data["rounds"]] == DATES
    for got, want in zip(data["rounds"], rounds, strict=True):
        for name, value in want.items():
            assert got[name] == pytest.approx(value, abs=1e-3), name
        assert got["quality"] == _summary(folder / got["file"], "Quality: % of best possible")
        # pairctl's own Summary agrees with the percentages (to its one decimal).
        crossing = _summary(folder / got["file"], "Groups crossing specialty (%)")
        both = _summary(folder / got["file"], "Groups where both teach (%)")
        assert got["crossing_pct"] == pytest.approx(crossing, abs=0.05)
        assert got["both_teach_pct"] == pytest.approx(both, abs=0.05)
        assert got["run_at"]
    # Odd rounds make a trio; Gus's round away makes three pairs of six.
    assert [r["trios"] for r in data["rounds"]] == [1, 0, 1, 1]
    # The Unmatched sheet lists Gus as not taking part: seven people each round, as the
    # sheet's Summary counts them.
    assert [r["people"] for r in data["rounds"]] == [7, 7, 7, 7]
    assert [r["not_taking_part"] for r in data["rounds"]] == [0, 1, 0, 0]
    assert [r["groups"] for r in data["rounds"]] == [3, 3, 3, 3]
    by_key = {p["key"]: p for p in data["people"]}
    assert set(by_key) == {row[0] for row in PEOPLE}
    for key, want in people.items():
        got = by_key[key]
        assert got["rounds"] == want["rounds"], key
        assert set(got["partners"]) == want["partners"], key
        assert set(got["specialties_met"]) == want["met"], key
        assert got["lessons_given"] == want["given"], key
        assert got["lessons_received"] == want["got"], key
        assert got["trios"] == want["trios"], key
        assert got["never_two_way"] is (not want["two_way"]), key
        assert got["left_out"] == 0
        assert got["sat_out"] == want["sat_out"], key
    assert (by_key["P7"]["rounds"], by_key["P7"]["sat_out"]) == (3, 1)
    met = {n: sum(len(p["met"]) >= n for p in people.values()) for n in (1, 2, 3)}  # type: ignore[arg-type]
    assert data["met_at_least"] == {str(n): c for n, c in met.items()}
    assert data["headline"]["in_a_trio"] == sum(bool(p["trios"]) for p in people.values())


def test_report_links_between_specialties(folder: Path) -> None:
    env, out, _ = _env()
    report(env, folder, roster=None, output=None, force=False, as_json=True)
    data = json.loads(out.getvalue())
    want: dict[tuple[str, str], int] = {}
    for date in DATES:
        for group in _sheet_groups(folder / f"pairs-{date}.xlsx"):
            specialties = group["specialties"]
            assert isinstance(specialties, dict)
            for a, b in combinations(group["keys"], 2):  # type: ignore[call-overload]
                pair = tuple(sorted((specialties[a], specialties[b])))
                want[pair] = want.get(pair, 0) + 1  # type: ignore[index]
    got = {(link["a"], link["b"]): link["links"] for link in data["specialty_links"]}
    assert got == want


def test_report_with_roster_lists_who_never_took_part(folder: Path, tmp_path: Path) -> None:
    rows = [*PEOPLE, ["P8", "Hana", "hana@x.org", "UX", "Design", "Product", "11", "Figma", "CRM"]]
    roster = write_csv(tmp_path / "roster.csv", rows)
    env, out, _ = _env()
    report(env, folder, roster=roster, output=None, force=False, as_json=True)
    data = json.loads(out.getvalue())
    assert data["never_took_part"] == ["P8"]
    hana = next(p for p in data["people"] if p["key"] == "P8")
    assert (hana["name"], hana["specialty"], hana["rounds"], hana["on_roster"]) == (
        "Hana", "Design", 0, True,
    )  # fmt: skip
    assert data["headline"]["never_took_part"] == 1


def test_unreadable_round_is_a_warning_and_the_rest_is_reported(
    folder: Path, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for date in DATES:
        (mixed / f"pairs-{date}.xlsx").write_bytes((folder / f"pairs-{date}.xlsx").read_bytes())
    (mixed / "pairs-2027-13-01.xlsx").write_bytes(b"\x00\x01garbage\xff" * 20)
    env, out, err = _env()
    report(env, mixed, roster=None, output=None, force=False, as_json=False)
    warnings = err.getvalue().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: ")
    assert "pairs-2027-13-01.xlsx" in warnings[0]
    text = out.getvalue()
    for date in DATES:
        assert f"{date}.xlsx" in text
    assert "2027-13-01" not in text
    assert "Took part at least once" in text


def test_folder_without_a_readable_round_is_a_roster_error(tmp_path: Path) -> None:
    (tmp_path / "pairs-2027-01-05.xlsx").write_bytes(b"not a workbook")
    env, _, err = _env()
    with pytest.raises(RosterError, match="no readable round"):
        report(env, tmp_path, roster=None, output=None, force=False, as_json=False)
    assert "pairs-2027-01-05.xlsx" in err.getvalue()


def test_programme_workbook_has_three_sheets_and_a_chart(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "programme.xlsx"
    env, _, err = _env()
    report(env, folder, roster=None, output=target, force=False, as_json=False)
    assert str(target) in err.getvalue()
    book = load_workbook(target)
    assert book.sheetnames == ["Rounds", "People", "Specialties"]
    rounds = book["Rounds"]
    assert len(rounds._charts) >= 1  # type: ignore[attr-defined]
    assert [rounds.cell(row=r, column=1).value for r in range(2, 6)] == [
        f"pairs-{d}.xlsx" for d in DATES
    ]
    assert rounds.max_row == 1 + len(DATES)
    assert {book["People"].cell(row=r, column=1).value for r in range(2, 9)} == {
        row[0] for row in PEOPLE
    }
    # An existing file is replaced only with force.
    from pairctl.errors import OutputExistsError

    with pytest.raises(OutputExistsError):
        report(env, folder, roster=None, output=target, force=False, as_json=False)
    report(env, folder, roster=None, output=target, force=True, as_json=False)


def test_json_shape_without_the_cli() -> None:
    """A hand-made programme: the JSON keys and figures, no files involved."""
    rounds = [
        Round(
            "pairs-2027-01-05.json",
            None,
            "",
            (
                Group(
                    (Member("a", "A", "X"), Member("b", "B", "Y")),
                    (Lesson("a", "b", ("s1", "s2")), Lesson("b", "a", ("s3",))),
                    ("crosses specialty",),
                ),
                Group(
                    (Member("c", "C", "X"), Member("d", "D", "X"), Member("e", "E", "Z")),
                    (Lesson("c", "d", ("s4",)),),
                    ("trio", "same specialty", "repeat from history", "one-way"),
                ),
            ),
            (Left("f", "F", "Y", "no partner"),),
            quality=97.5,
        )
    ]
    data = programme_to_dict(programme_figures(rounds), folder="f")
    assert set(data) == {
        "folder", "rounds", "people", "headline", "specialty_links", "met_at_least",
        "never_took_part", "warnings", "output",
    }  # fmt: skip
    (only,) = data["rounds"]
    assert only == {
        "file": "pairs-2027-01-05.json", "date": None, "run_at": "", "people": 6, "groups": 2,
        "pairs": 1, "trios": 1, "crossing_pct": 50.0, "both_teach_pct": 50.0, "repeats": 1,
        "unmatched": 1, "not_taking_part": 0, "quality": 97.5,
    }  # fmt: skip
    people = {p["key"]: p for p in data["people"]}
    assert people["a"]["lessons_given"] == 2 and people["a"]["lessons_received"] == 1
    assert people["c"]["specialties_met"] == ["Z"] and people["c"]["trios"] == 1
    assert people["c"]["never_two_way"] is True and people["a"]["never_two_way"] is False
    assert people["f"]["left_out"] == 1 and people["f"]["rounds"] == 0
    assert data["specialty_links"] == [
        {"a": "X", "b": "X", "links": 1},
        {"a": "X", "b": "Y", "links": 1},
        {"a": "X", "b": "Z", "links": 2},
    ]
    assert data["met_at_least"] == {"1": 5, "2": 0, "3": 0}
    assert json.loads(json.dumps(data)) == data


def test_csv_and_json_rounds_are_read_too(folder: Path, tmp_path: Path) -> None:
    roster = _roster(tmp_path / "roster.csv", None)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for name in ("pairs-2027-01-05.csv", "pairs-2027-04-05.json"):
        result = run("match", str(roster), "-o", str(mixed / name), "--history", str(mixed))
        assert result.exit_code == 0, result.stderr
    env, out, err = _env()
    report(env, mixed, roster=None, output=None, force=False, as_json=True)
    data = json.loads(out.getvalue())
    assert err.getvalue() == ""
    csv_round, json_round = data["rounds"]
    assert (csv_round["file"], csv_round["groups"], csv_round["trios"]) == (
        "pairs-2027-01-05.csv", 3, 1,
    )  # fmt: skip
    assert csv_round["quality"] is None and csv_round["run_at"] == ""
    assert (json_round["groups"], json_round["trios"], json_round["people"]) == (3, 1, 7)
    assert json_round["quality"] is not None and json_round["run_at"]
    # The JSON sheet records no specialties: each person's comes from the CSV sheet.
    assert all(p["specialty"] for p in data["people"])
    assert sum(p["lessons_given"] for p in data["people"]) == sum(
        p["lessons_received"] for p in data["people"]
    )
