"""Where people are and what they speak, as the sheets, the JSON and the terminal show it: a
small roster built here with time zones, offices and languages, paired with pins so the
groups are known, and the same roster without those columns, which must look as before."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from pairctl.core.explain import explain
from pairctl.core.matching import match_with_pins
from pairctl.core.meeting import MeetingRules, with_meeting_rules
from pairctl.core.model import ColumnMapping, Person, Roster
from pairctl.core.report import RunReport
from pairctl.core.scoring import score_roster
from pairctl.core.summary import build_report
from pairctl.output.csv_out import write_csv
from pairctl.output.json_out import explanation_to_dict, report_to_dict
from pairctl.output.tables import pairs_table, summary_table
from pairctl.output.terminal import make_console, render_explanation, render_summary
from pairctl.output.xlsx import write_xlsx

WINTER = dt.date(2027, 1, 15)
SPRING = dt.date(2027, 3, 20)  # the US has moved its clocks, the UK not yet

BASE = {
    "key": "ID",
    "name": "Name",
    "specialty": "Specialty",
    "skills": "Skills",
    "wants": "Wants to learn",
}
MEETING = {"timezone": "Time zone", "site": "Office", "languages": "Languages"}

# (key, name, specialty, skill, want, zone, office, languages)
PEOPLE = [
    ("L1", "Lena", "Data", "Python", "Negotiation", "Europe/London", "London", ("English",)),
    ("N1", "Nia", "Sales", "Negotiation", "Python", "America/New_York", "New York", ("English",)),
    ("T1", "Taro", "Design", "Figma", "SQL", "Asia/Tokyo", "Tokyo", ("Japanese",)),
    ("B1", "Bea", "Finance", "SQL", "Figma", "Europe/Berlin", "Berlin", ("German", "English")),
    ("U1", "Uma", "Legal", "Contracts", "Excel", "", "", ()),
]
PINS = [(0, 1), (2, 3, 4)]
"""London with New York; Tokyo, Berlin and the person whose zone nobody knows as a trio."""


def roster(meeting: bool) -> Roster:
    people = tuple(
        Person(
            key=key,
            name=name,
            specialty=specialty,
            skills=(skill,),
            wants=(want,),
            **({"timezone": zone, "site": site, "languages": spoken} if meeting else {}),
        )
        for key, name, specialty, skill, want, zone, site, spoken in PEOPLE
    )
    fields = {**BASE, **MEETING} if meeting else dict(BASE)
    return Roster(
        people=people,
        source="roster.csv",
        mapping=ColumnMapping(fields=fields),
        has_skills=True,
        has_wants=True,
    )


def planned(meeting: bool = True, day: dt.date = WINTER, max_gap: float | None = None):
    people = roster(meeting)
    model = with_meeting_rules(score_roster(people), people, MeetingRules(day, max_gap))
    keys = [p.key for p in people.people]
    pairing = match_with_pins(model, keys, PINS, {}, seed=0, odd="trio")
    return people, model, pairing


def report_for(meeting: bool = True, day: dt.date = WINTER) -> RunReport:
    people, model, pairing = planned(meeting, day)
    return build_report(people, model, pairing, odd="trio", run_info=(("Input", "roster.csv"),))


def rows_by_key(report: RunReport) -> dict[str, dict[str, object]]:
    """Each Pairs row under every member's key."""
    table = pairs_table(report)
    rows = [dict(zip(table.header, row, strict=True)) for row in table.rows]
    return {str(row[f"{x} key"]): row for row in rows for x in "ABC" if row.get(f"{x} key")}


def test_each_member_shows_their_time_zone_site_and_languages_beside_their_fields():
    table = pairs_table(report_for())
    header = list(table.header)
    for letter in "ABC":
        at = header.index(f"{letter} department")
        assert header[at + 1 : at + 4] == [
            f"{letter} time zone",
            f"{letter} site",
            f"{letter} languages",
        ]
    rows = rows_by_key(report_for())
    pair, trio = rows["L1"], rows["T1"]
    assert (pair["A time zone"], pair["B time zone"]) == ("Europe/London", "America/New_York")
    assert (pair["A site"], pair["B site"]) == ("London", "New York")
    assert trio["B languages"] == "German; English"
    # Nobody knows where the third member of the trio is: blank cells, not "unknown".
    assert (trio["C time zone"], trio["C site"], trio["C languages"]) == (None, None, None)
    assert pair["C key"] is None and pair["C time zone"] is None


def test_the_gap_is_the_hours_between_the_clocks_on_the_round_date():
    winter, spring = rows_by_key(report_for(day=WINTER)), rows_by_key(report_for(day=SPRING))
    assert winter["L1"]["Gap (h)"] == 5.0
    assert spring["L1"]["Gap (h)"] == 4.0
    # A trio with a member whose zone is unknown has no known gap.
    assert winter["T1"]["Gap (h)"] is None
    header = list(pairs_table(report_for()).header)
    assert header.index("Gap (h)") == header.index("Score") - 1


def test_a_pair_more_than_six_hours_apart_is_flagged_and_the_summary_leads_with_it():
    people, model, pairing = planned()
    # Tokyo with London, New York with Berlin: 9 and 6 hours apart in January.
    keys = [p.key for p in people.people]
    pairing = match_with_pins(model, keys, [(2, 0), (1, 3)], {}, seed=0, odd="leave-out")
    report = build_report(people, model, pairing, odd="leave-out", run_info=())
    rows = rows_by_key(report)
    assert rows["T1"]["Gap (h)"] == 9.0 and "9 hours apart" in str(rows["T1"]["Notes"])
    assert rows["N1"]["Gap (h)"] == 6.0 and "hours apart" not in str(rows["N1"]["Notes"])
    lead = {row[0]: row[1] for row in summary_table(report).lead}
    assert lead["Largest time-zone gap (h)"] == 9.0
    assert lead["Groups more than 6 hours apart"] == 1
    assert lead["Groups crossing sites"] == "2 of 2"


def test_the_workbook_shades_a_gap_above_six_hours_and_shows_one_decimal(tmp_path: Path):
    path = tmp_path / "pairs.xlsx"
    write_xlsx(report_for(), path)
    sheet = openpyxl.load_workbook(path)["Pairs"]
    header = [cell.value for cell in sheet[1]]
    column = openpyxl.utils.get_column_letter(header.index("Gap (h)") + 1)
    assert sheet[f"{column}2"].value == 5.0
    assert sheet[f"{column}2"].number_format == "0.0"
    rules = [
        (str(ranges.sqref), rule.operator, rule.formula)
        for ranges in sheet.conditional_formatting
        for rule in ranges.rules
    ]
    assert rules == [(f"{column}2:{column}3", "greaterThan", ["6"])]


def test_the_csv_has_the_same_columns_and_an_unmatched_row_keeps_its_time_zone(tmp_path):
    people, model, _ = planned()
    keys = [p.key for p in people.people]
    pairing = match_with_pins(model, keys, [(0, 1), (2, 3)], {}, seed=0, odd="leave-out")
    report = build_report(people, model, pairing, odd="leave-out", run_info=())
    path = tmp_path / "pairs.csv"
    write_csv(report, path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert list(rows[0])[:12] == [
        "Pair", "Size", "Keep", "A key", "A name", "A email", "A specialty", "A department",
        "A time zone", "A site", "A languages", "B key",
    ]  # fmt: skip
    assert rows[0]["Gap (h)"] == "5.0"
    assert rows[1]["Gap (h)"] == "8.0"  # Tokyo and Berlin
    left = next(row for row in rows if row["Pair"] == "unmatched")
    assert left["A key"] == "U1" and left["A time zone"] == "" and left["Gap (h)"] == ""


def test_without_those_columns_the_sheets_are_as_before():
    report = report_for(meeting=False)
    header = pairs_table(report).header
    assert not [title for title in header if "time zone" in title or "site" in title]
    assert not [title for title in header if "languages" in title or "Gap" in title]
    assert header[-2:] == ("Score", "Notes")
    assert pairs_table(report).above == ()
    labels = [row[0] for row in summary_table(report).lead]
    assert not [label for label in labels if label and ("gap" in label or "site" in label)]
    data = report_to_dict(report)
    assert "gap_hours" not in data["pairs"][0] and "member_details" not in data["pairs"][0]
    assert data["metrics"]["cross_site"] is None and data["metrics"]["far_apart"] is None


def test_only_the_columns_the_roster_has_are_shown():
    people = roster(True)
    fields = {**BASE, "languages": "Languages"}
    no_places = Roster(
        people=tuple(Person(**{**p.__dict__, "timezone": "", "site": ""}) for p in people.people),
        mapping=ColumnMapping(fields=fields),
        has_skills=True,
        has_wants=True,
    )
    model = with_meeting_rules(score_roster(no_places), no_places, MeetingRules(WINTER))
    pairing = match_with_pins(model, [p.key for p in no_places.people], PINS, {}, odd="trio")
    report = build_report(no_places, model, pairing, odd="trio", run_info=())
    header = pairs_table(report).header
    assert "A languages" in header and "A time zone" not in header and "A site" not in header
    assert "Gap (h)" not in header
    details = report_to_dict(report)["pairs"][0]["member_details"]
    assert details == [
        {"key": "L1", "languages": ["English"]},
        {"key": "N1", "languages": ["English"]},
    ]


def test_the_json_gives_gaps_members_and_the_meeting_figures():
    data = report_to_dict(report_for())
    pair, trio = data["pairs"]
    assert pair["gap_hours"] == 5.0 and trio["gap_hours"] is None
    assert pair["member_details"][0] == {
        "key": "L1",
        "timezone": "Europe/London",
        "site": "London",
        "languages": ["English"],
    }
    assert trio["member_details"][2] == {
        "key": "U1",
        "timezone": None,
        "site": None,
        "languages": [],
    }
    assert data["metrics"]["largest_gap"] == 5.0
    assert data["metrics"]["cross_site"] == 2
    assert data["metrics"]["far_apart"] == 0
    assert data["round_date"] == "2027-01-15"


def test_the_terminal_summary_shows_the_gap_figures_and_each_groups_gap():
    out = io.StringIO()
    render_summary(
        make_console(out, is_terminal=False), report_for(), source="roster.csv", outcome=""
    )
    lines = out.getvalue().splitlines()
    largest = next(line for line in lines if "Largest time-zone gap" in line)
    assert "5.0 h" in largest
    assert any("Groups crossing sites" in line and "2 of 2" in line for line in lines)
    header = next(line for line in lines if "Gap (h)" in line)
    pair_line = next(line for line in lines if "Lena" in line)
    cells = dict(zip(_cells(header), _cells(pair_line), strict=True))
    assert cells["Gap (h)"] == "5.0"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


@pytest.mark.parametrize("with_roster", [True, False])
def test_explain_shows_each_candidates_gap_and_languages(with_roster: bool):
    people, model, pairing = planned(max_gap=6)
    chosen, others = explain(people, model, pairing, 2, {})  # Taro, in Tokyo
    given = people if with_roster else None
    data = explanation_to_dict("T1", chosen, others, given)
    by_key = {o["key"]: o for o in [*data["chosen"], *data["alternatives"]]}
    assert by_key["L1"]["gap_hours"] == 9.0
    assert by_key["L1"]["languages"] == ["English"]
    assert by_key["L1"]["verdict"].startswith("blocked by a rule: Asia/Tokyo and Europe/London")
    assert by_key["U1"]["gap_hours"] is None
    if with_roster:
        assert (data["timezone"], data["languages"]) == ("Asia/Tokyo", ["Japanese"])
    else:
        assert "timezone" not in data
    out = io.StringIO()
    render_explanation(make_console(out, is_terminal=False), "T1", chosen, others, given)
    text = out.getvalue()
    lena = next(line for line in text.splitlines() if "Lena" in line)
    assert "9.0" in lena and "English" in lena
    assert ("T1: time zone Asia/Tokyo, languages Japanese" in text) is with_roster


def test_explain_without_those_columns_shows_no_gap_or_languages():
    people, model, pairing = planned(meeting=False)
    chosen, others = explain(people, model, pairing, 0, {})
    data = explanation_to_dict("L1", chosen, others, people)
    assert not [o for o in data["alternatives"] if "gap_hours" in o or "languages" in o]
    out = io.StringIO()
    render_explanation(make_console(out, is_terminal=False), "L1", chosen, others, people)
    assert "Gap" not in out.getvalue() and "languages" not in out.getvalue()
