"""Time zone, location and languages columns, read from a roster file as the coordinator
wrote it (issue 15)."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

import pytest

from pairctl.core.model import Person, Roster
from pairctl.roster import read_roster

from .builders import write_csv

HEADER = ["Employee ID", "Name", "Specialty", "Skills", "Time zone", "Office", "Languages"]


def read(tmp_path: Path, rows: list[list[str]]) -> Roster:
    # Written in the folder the test runs in (conftest): messages name it as given.
    write_csv(tmp_path / "roster.csv", rows)
    return read_roster("roster.csv")


def by_key(roster: Roster) -> dict[str, Person]:
    return {p.key: p for p in roster.people}


def zone_warnings(roster: Roster) -> list[str]:
    return [w for w in roster.warnings if "time zone" in w]


def test_zones_are_resolved_and_the_office_counts_only_where_the_time_zone_is_blank(
    tmp_path: Path,
) -> None:
    roster = read(
        tmp_path,
        [
            HEADER,
            ["1", "Ana", "Eng", "Python", "Europe/Berlin", "Tokyo (HQ)", "English, German"],
            ["2", "Bo", "Sales", "SQL", "", "London, UK", "English"],
            ["3", "Cy", "Eng", "Budgeting", "utc+5:30", "", "Hindi, English"],
            ["4", "Di", "Ops", "Go", "america/new_york", "Berlin", "English"],
            ["5", "Ed", "Ops", "Go", "", "", ""],
            ["6", "Fe", "Ops", "Go", "berlin", "São Paulo", "Portuguese"],
        ],
    )
    people = by_key(roster)
    zones = {key: p.timezone for key, p in people.items()}
    assert zones == {
        "1": "Europe/Berlin",  # the time zone cell, not the Tokyo office
        "2": "Europe/London",  # blank time zone: the office city
        "3": "UTC+05:30",
        "4": "America/New_York",
        "5": "",
        "6": "Europe/Berlin",
    }
    # The site is kept as written, whatever zone it names.
    assert [p.site for p in roster.people] == [
        "Tokyo (HQ)", "London, UK", "", "Berlin", "", "São Paulo",
    ]  # fmt: skip
    assert roster.has_zones and roster.has_sites and roster.has_languages
    assert zone_warnings(roster) == []
    assert {"Time zone", "Office", "Languages"}.isdisjoint(roster.mapping.unused)


def test_a_value_naming_no_zone_is_a_warning_naming_the_file_column_and_rows(
    tmp_path: Path,
) -> None:
    roster = read(
        tmp_path,
        [
            HEADER,
            ["1", "Ana", "Eng", "Python", "PST", "Los Angeles", "English"],
            ["2", "Bo", "Sales", "SQL", "", "Atlantis", "English"],
            ["3", "Cy", "Eng", "Budgeting", "", "Atlantis", "English"],
            ["4", "Di", "Ops", "Go", "Europe/Berlin", "Atlantis", "English"],
            ["5", "Ed", "Ops", "Go", "PST", "", "English"],
        ],
    )
    # A time zone cell naming no zone is not replaced by the office: it is reported.
    assert [p.timezone for p in roster.people] == ["", "", "", "Europe/Berlin", ""]
    pst, atlantis = zone_warnings(roster)
    assert pst.startswith("roster.csv, column 'Time zone' rows 2, 6: 'PST' is an abbreviation")
    # Di's office is Atlantis too, but Di's time zone is known: row 5 is not listed.
    assert atlantis.startswith("roster.csv, column 'Office' rows 3, 4: 'Atlantis' names no time")
    for line in (pst, atlantis):
        assert "no time-zone rule applies to them" in line
        assert "\n" not in line


def test_one_row_is_a_row_and_many_rows_are_cut_short(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "Ana", "Eng", "Python", "Mars/Olympus", "", "English"]]
    rows += [[str(i), f"P{i}", "Eng", "Go", "", "Atlantis", "English"] for i in range(2, 10)]
    roster = read(tmp_path, rows)
    mars, atlantis = zone_warnings(roster)
    assert mars.startswith("roster.csv, column 'Time zone' row 2: 'Mars/Olympus' names no time")
    assert atlantis.startswith("roster.csv, column 'Office' rows 3, 4, 5, 6, 7, …: 'Atlantis'")


CAPITALS = (
    "Berlin",
    "Paris",
    "Madrid",
    "Rome",
    "Vienna",
    "Warsaw",
    "Prague",
    "Lisbon",
    "Dublin",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Athens",
    "Budapest",
)


def test_many_bad_values_are_a_few_lines_and_one_for_the_rest(tmp_path: Path) -> None:
    rows = [HEADER] + [
        [str(i), f"P{i}", "Eng", "Go", f"Nowhere {i}", "", "English"] for i in range(1, 13)
    ]
    # Most of the column reads (13 distinct zones), so each bad value gets its own line.
    good = sorted(zoneinfo.available_timezones() & {f"Europe/{c}" for c in CAPITALS})
    rows += [
        [str(100 + i), f"Q{i}", "Eng", "Go", zone, "", "English"] for i, zone in enumerate(good)
    ]
    roster = read(tmp_path, rows)
    lines = zone_warnings(roster)
    assert len(lines) == 9
    assert [line.split(": ")[1] for line in lines[:8]] == [
        f"'Nowhere {i}' names no time zone the zone database knows; write an IANA name "
        "(America/Los_Angeles), a UTC offset (UTC-08:00) or a city the zone database names "
        "(Los Angeles) in a time zone column; until then no time-zone rule applies to them"
        for i in range(1, 9)
    ]
    assert lines[8] == (
        "roster.csv, column 'Time zone': and 4 more values name no time zone (4 people)"
    )
    assert all(p.timezone == "" for p in roster.people[:12])


def test_a_mostly_unreadable_column_is_one_line(tmp_path: Path) -> None:
    rows = [HEADER] + [
        [str(i), f"P{i}", "Eng", "Go", f"Nowhere {i}", "", "English"] for i in range(1, 13)
    ]
    lines = zone_warnings(read(tmp_path, rows))
    assert lines == [
        "roster.csv, column 'Time zone': 12 of its 12 values name no time zone the zone "
        "database knows (12 people), such as 'Nowhere 1', 'Nowhere 2', 'Nowhere 3': name a "
        "time zone column (--map timezone=COLUMN); until then no time-zone rule applies to them"
    ]


def test_languages_are_split_and_folded_like_skills(tmp_path: Path) -> None:
    cells = ["English, German", "english", "Japanese, English, japanese", "N/A", ""]
    header = ["Employee ID", "Name", "Specialty", "Skills", "Languages"]
    roster = read(
        tmp_path,
        [header] + [[str(i), f"P{i}", "Eng", cell, cell] for i, cell in enumerate(cells, 1)],
    )
    assert [p.languages for p in roster.people] == [
        ("English", "German"), ("english",), ("Japanese", "English"), (), (),
    ]  # fmt: skip
    assert [p.languages for p in roster.people] == [p.skills for p in roster.people]
    # A semicolon column is split on semicolons only, as a skills column is.
    roster = read(
        tmp_path,
        [
            header,
            [
                "1",
                "Ana",
                "Eng",
                "English; Spanish, Latin American",
                "English; Spanish, Latin American",
            ],
            ["2", "Bo", "Eng", "French;", "French;"],
        ],
    )
    assert [p.languages for p in roster.people] == [
        ("English", "Spanish, Latin American"), ("French",),
    ]  # fmt: skip
    assert [p.languages for p in roster.people] == [p.skills for p in roster.people]


@pytest.mark.parametrize(
    ("column", "field", "cell"),
    [
        ("TZ", "timezone", "Asia/Tokyo"),
        ("Timezone", "timezone", "Asia/Tokyo"),
        ("UTC offset", "timezone", "+09:00"),
        ("City", "site", "Tokyo"),
        ("Location", "site", "Tokyo, Japan"),
        ("Site", "site", "Tokyo"),
    ],
)
def test_time_zone_and_location_headers_are_recognised(
    tmp_path: Path, column: str, field: str, cell: str
) -> None:
    roster = read(
        tmp_path,
        [
            ["Employee ID", "Name", "Specialty", column],
            ["1", "Ana", "Eng", cell],
            ["2", "Bo", "Eng", ""],
        ],
    )
    assert roster.mapping.fields[field] == column
    assert column not in roster.mapping.unused
    assert roster.has_zones
    assert roster.has_sites == (field == "site")
    ana, bo = roster.people
    assert ana.timezone == ("UTC+09:00" if column == "UTC offset" else "Asia/Tokyo")
    assert ana.site == (cell if field == "site" else "")
    assert bo.timezone == ""
    assert roster.warnings == ()


@pytest.mark.parametrize("column", ["Languages", "Spoken languages"])
def test_languages_headers_are_recognised(tmp_path: Path, column: str) -> None:
    roster = read(
        tmp_path,
        [
            ["Employee ID", "Name", "Specialty", column],
            ["1", "Ana", "Eng", "English, Greek"],
            ["2", "Bo", "Eng", ""],
        ],
    )
    assert roster.mapping.fields["languages"] == column
    assert roster.has_languages and not roster.has_zones
    assert [p.languages for p in roster.people] == [("English", "Greek"), ()]


def test_a_roster_without_these_columns_has_none_of_it(tmp_path: Path) -> None:
    write_csv(tmp_path / "roster.csv")
    roster = read_roster("roster.csv")
    assert not roster.has_zones
    assert not roster.has_sites
    assert not roster.has_languages
    assert len(roster.people) == 3
    assert all((p.timezone, p.site, p.languages) == ("", "", ()) for p in roster.people)
    assert roster.warnings == ()
    assert not {"timezone", "site", "languages"} & set(roster.mapping.fields)


def test_the_line_for_the_rest_names_the_column_the_rest_came_from(tmp_path: Path) -> None:
    rows = [HEADER] + [
        [str(i), f"P{i}", "Eng", "Go", f"Nowhere {i}", "", "English"] for i in range(1, 9)
    ]
    rows += [[str(i), f"P{i}", "Eng", "Go", "", "Atlantis", "English"] for i in (9, 10)]
    lines = zone_warnings(read(tmp_path, rows))
    assert len(lines) == 9
    assert lines[8] == "roster.csv, column 'Office': and 1 more value names no time zone (2 people)"
