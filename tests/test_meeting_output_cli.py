"""What a coordinator sees of time zones, offices and languages after `pairctl match` and
`pairctl explain`: the workbook read back cell by cell, the JSON, and the sheets read again
as history, kept groups and forgotten people. Gaps are checked against the zone database
from the roster's own cells, not through pairctl."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import run, write_csv

WINTER = "2027-01-15"
SPRING = "2027-03-20"  # the US has moved its clocks, the UK not yet
HEADER = ["ID", "Name", "Specialty", "Skills", "Wants to learn", "Time zone", "Office", "Languages"]
ZONES = {
    "London": "Europe/London",
    "New York": "America/New_York",
    "Tokyo": "Asia/Tokyo",
    "Berlin": "Europe/Berlin",
}
ROWS = [
    ["L1", "Lena", "Data", "Python", "Negotiation", "Europe/London", "London", "English"],
    ["N1", "Nia", "Sales", "Negotiation", "Python", "America/New_York", "New York", "English"],
    ["T1", "Taro", "Design", "Figma", "SQL", "Asia/Tokyo", "Tokyo", "Japanese, English"],
    ["B1", "Bea", "Finance", "SQL", "Figma", "", "Berlin", "German, English"],
    ["T2", "Tomo", "Legal", "Contracts", "Excel", "Asia/Tokyo", "Tokyo", "Japanese"],
    ["B2", "Ben", "Ops", "Excel", "Contracts", "Europe/Berlin", "Berlin", "German"],
]
"""Bea's zone comes from her office alone."""


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "roster.csv", ROWS, HEADER)


@pytest.fixture
def pin(tmp_path: Path) -> Path:
    path = tmp_path / "pin.csv"
    path.write_text("L1,N1\n", encoding="utf-8")
    return path


def zone_of(key: str) -> str:
    row = next(r for r in ROWS if r[0] == key)
    return row[5] or ZONES[row[6]]


def hours_apart(a: str, b: str, day: str) -> float:
    """The zone database's gap between two people's clocks at noon UTC on `day`."""
    noon = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)
    offsets = []
    for key in (a, b):
        offset = noon.astimezone(zoneinfo.ZoneInfo(zone_of(key))).utcoffset()
        assert offset is not None
        offsets.append(offset.total_seconds() / 3600)
    apart = abs(offsets[0] - offsets[1]) % 24
    return min(apart, 24 - apart)


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def match_xlsx(roster: Path, pin: Path, out: Path, day: str, *more: str) -> None:
    done = run("match", str(roster), "-o", str(out), "--round-date", day, "--pin", str(pin), *more)
    assert done.exit_code == 0, done.stderr


def members(row: dict[str, object]) -> list[str]:
    return [str(row[f"{x} key"]) for x in "ABC" if row.get(f"{x} key")]


def test_the_pairs_sheet_shows_each_members_zone_office_languages_and_the_gap(
    roster: Path, pin: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    match_xlsx(roster, pin, out, WINTER)
    rows = sheet(out, "Pairs")
    pinned = next(r for r in rows if set(members(r)) == {"L1", "N1"})
    london = "A" if pinned["A key"] == "L1" else "B"
    new_york = "B" if london == "A" else "A"
    assert pinned[f"{london} time zone"] == "Europe/London"
    assert pinned[f"{new_york} time zone"] == "America/New_York"
    assert pinned[f"{london} site"] == "London"
    assert pinned[f"{new_york} languages"] == "English"
    assert pinned["Gap (h)"] == 5.0
    for row in rows:
        a, b = members(row)
        assert row["Gap (h)"] == hours_apart(a, b, WINTER), row
        for x, key in zip("AB", (a, b), strict=True):
            assert row[f"{x} time zone"] == zone_of(key)
        if hours_apart(a, b, WINTER) > 6:
            assert f"{hours_apart(a, b, WINTER):g} hours apart" in str(row["Notes"])
    largest = max(float(str(r["Gap (h)"])) for r in rows)
    far = sum(1 for r in rows if float(str(r["Gap (h)"])) > 6)
    summary = list(openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True))
    lead = {row[0]: row[1] for row in summary[2:16] if row[0]}
    assert lead["Largest time-zone gap (h)"] == largest
    assert lead["Groups more than 6 hours apart"] == far
    crossing = sum(1 for r in rows if r["A site"] != r["B site"])
    assert lead["Groups crossing sites"] == f"{crossing} of {len(rows)}"
    info = {row["Field"]: row["Value"] for row in sheet(out, "Run info")}
    assert info["Round date"] == WINTER
    assert info["Time-zone rule"] == "off"
    assert info["Language rule"].startswith("prefer")


def test_in_march_london_and_new_york_are_four_hours_apart(
    roster: Path, pin: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    match_xlsx(roster, pin, out, SPRING, "--max-timezone-gap", "8", "--language", "require")
    rows = sheet(out, "Pairs")
    pinned = next(r for r in rows if set(members(r)) == {"L1", "N1"})
    assert pinned["Gap (h)"] == 4.0
    assert all(float(str(r["Gap (h)"])) <= 8 for r in rows)
    info = {row["Field"]: row["Value"] for row in sheet(out, "Run info")}
    assert info["Round date"] == SPRING
    assert info["Time-zone rule"] == f"at most 8 hours apart on {SPRING}"
    assert str(info["Language rule"]).startswith("require")


def test_a_roster_without_those_columns_gets_the_sheet_it_always_had(
    pin: Path, tmp_path: Path
) -> None:
    plain = write_csv(tmp_path / "plain.csv", [row[:5] for row in ROWS], HEADER[:5])
    out = tmp_path / "out.xlsx"
    match_xlsx(plain, pin, out, WINTER)
    header = list(sheet(out, "Pairs")[0])
    assert header == [
        "Pair", "Size", "Keep",
        *(f"{x} {f}" for x in "AB" for f in ("key", "name", "email", "specialty", "department")),
        "A teaches B", "B teaches A", "Score", "Notes",
    ]  # fmt: skip
    info = {row["Field"]: row["Value"] for row in sheet(out, "Run info")}
    assert info["Round date"] == WINTER
    assert "Time-zone rule" not in info and "Language rule" not in info
    data = json.loads(run("match", str(plain), "--dry-run", "--json").stdout)
    assert "gap_hours" not in data["pairs"][0] and "member_details" not in data["pairs"][0]


def test_the_json_has_the_gap_each_members_place_and_the_figures(roster: Path, pin: Path) -> None:
    done = run(
        "match", str(roster), "--dry-run", "--json", "--round-date", WINTER, "--pin", str(pin)
    )
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["round_date"] == WINTER
    for group in data["pairs"]:
        a, b = group["members"]
        assert group["gap_hours"] == hours_apart(a, b, WINTER)
        assert [d["key"] for d in group["member_details"]] == group["members"]
        for detail in group["member_details"]:
            row = next(r for r in ROWS if r[0] == detail["key"])
            assert detail["timezone"] == zone_of(detail["key"])
            assert detail["site"] == row[6]
            assert detail["languages"] == [t.strip() for t in row[7].split(",")]
    gaps = [g["gap_hours"] for g in data["pairs"]]
    assert data["metrics"]["largest_gap"] == max(gaps)
    assert data["metrics"]["far_apart"] == sum(1 for gap in gaps if gap > 6)
    sites = [{d["site"] for d in g["member_details"]} for g in data["pairs"]]
    assert data["metrics"]["cross_site"] == sum(1 for s in sites if len(s) > 1)


def test_explain_shows_the_gap_and_languages_of_each_candidate(roster: Path) -> None:
    args = ("explain", str(roster), "L1", "--round-date", WINTER, "--chain-depth", "0")
    done = run(*args, "--json")
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    options = {o["key"]: o for o in [*data["chosen"], *data["alternatives"]]}
    assert options["N1"]["gap_hours"] == 5.0
    assert options["N1"]["languages"] == ["English"]
    assert options["T1"]["gap_hours"] == hours_apart("L1", "T1", WINTER) == 9.0
    assert options["T1"]["languages"] == ["Japanese", "English"]
    shown = run(*args)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    header = next(line for line in lines if "Gap (h)" in line)
    titles = [cell.strip() for cell in header.split("|")]
    nia = next(line for line in lines if "Nia (N1)" in line)
    cells = dict(zip(titles, (cell.strip() for cell in nia.split("|")), strict=True))
    assert cells["Gap (h)"] == "5.0"
    assert cells["Their languages"] == "English"


def test_the_new_columns_read_back_as_history_and_kept_groups(
    roster: Path, pin: Path, tmp_path: Path
) -> None:
    first = tmp_path / "round1.xlsx"
    match_xlsx(roster, pin, first, WINTER)
    book = openpyxl.load_workbook(first)
    pairs = book["Pairs"]
    header = [cell.value for cell in pairs[1]]
    keep = header.index("Keep") + 1
    kept = [str(pairs.cell(2, header.index(f"{x} key") + 1).value) for x in "AB"]
    pairs.cell(2, keep).value = "yes"
    book.save(first)
    again = run(
        "match", str(roster), "--dry-run", "--json", "--round-date", WINTER,
        "--keep", str(first), "--history", str(first),
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["run_info"]["Earlier pairs not to repeat"] == str(len(sheet(first, "Pairs")))
    assert sorted(kept) in [sorted(g["members"]) for g in data["pairs"]]


def test_forget_blanks_a_members_zone_office_and_languages_too(
    roster: Path, pin: Path, tmp_path: Path
) -> None:
    rounds = tmp_path / "rounds"
    rounds.mkdir()
    match_xlsx(roster, pin, rounds / "round1.xlsx", WINTER)
    done = run("match", str(roster), "-o", str(rounds / "round1.csv"), "--round-date", WINTER)
    assert done.exit_code == 0, done.stderr
    forgot = run("forget", "L1", "--history", str(rounds))
    assert forgot.exit_code == 0, forgot.stderr
    for row in sheet(rounds / "round1.xlsx", "Pairs"):
        assert "Europe/London" not in row.values()
        assert "London" not in row.values()
    text = (rounds / "round1.csv").read_text(encoding="utf-8-sig")
    assert "L1" not in text and "Europe/London" not in text and '"London"' not in text


def test_forget_removes_a_members_details_from_the_json(
    roster: Path, pin: Path, tmp_path: Path
) -> None:
    out = tmp_path / "round1.json"
    match = run("match", str(roster), "-o", str(out), "--round-date", WINTER, "--pin", str(pin))
    assert match.exit_code == 0, match.stderr
    forgot = run("forget", "L1", "--history", str(out))
    assert forgot.exit_code == 0, forgot.stderr
    text = out.read_text(encoding="utf-8")
    assert "L1" not in text and "Europe/London" not in text
