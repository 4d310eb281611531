"""Pairs that can meet, as a coordinator runs them: `--round-date`, `--max-timezone-gap`,
`--language`, on the sample offices roster and on small rosters written here. Every rule is
checked against the roster's own cells with the zone database, not through pairctl."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zoneinfo
from itertools import combinations
from pathlib import Path

import pytest
from cli_helpers import run, write_csv

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "offices.csv"
WINTER = "2027-01-15"
SPRING = "2027-03-20"  # the US has moved its clocks, the UK not yet
HEADER = ["ID", "Name", "Specialty", "Skills", "Wants to learn", "Time zone", "Office", "Languages"]


def offices() -> dict[str, dict[str, str]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return {row["Employee ID"]: row for row in csv.DictReader(handle)}


def clock(row: dict[str, str], day: str) -> float | None:
    """Minutes east of UTC on `day` at noon UTC, from the cells (the test's own reading)."""
    zone = row["Time zone"].strip()
    if zone.startswith("UTC"):
        sign = 1 if zone[3] == "+" else -1
        hours, minutes = zone[4:].split(":")
        return sign * (int(hours) * 60 + int(minutes))
    cities = {
        "London": "Europe/London",
        "Berlin": "Europe/Berlin",
        "New York": "America/New_York",
        "São Paulo": "America/Sao_Paulo",
        "Tokyo": "Asia/Tokyo",
        "Sydney": "Australia/Sydney",
        "Nairobi": "Africa/Nairobi",
    }
    name = zone or cities.get(row["Office"])
    if name is None:
        return None
    noon = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)
    offset = noon.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 60


def hours_apart(a: float, b: float) -> float:
    apart = abs(a - b) % (24 * 60)
    return min(apart, 24 * 60 - apart) / 60


def tongues(row: dict[str, str]) -> set[str]:
    return {t.strip().casefold() for t in row["Languages"].split(",") if t.strip()}


def matched(*args: str) -> dict:
    done = run("match", *args, "--dry-run", "--json", "--chain-depth", "0")
    assert done.exit_code == 0, done.stderr
    result: dict = json.loads(done.stdout)
    return result


def test_with_both_rules_no_group_breaks_either_and_quality_is_under_them():
    rows = offices()
    rules = ("--max-timezone-gap", "6", "--language", "require", "--round-date", WINTER)
    result = matched(str(SAMPLE), *rules)
    assert result["unmatched"] == []
    for group in result["pairs"]:
        for x, y in combinations(group["members"], 2):
            a, b = rows[x], rows[y]
            assert tongues(a) & tongues(b), (x, y)
            ca, cb = clock(a, WINTER), clock(b, WINTER)
            if ca is not None and cb is not None:
                assert hours_apart(ca, cb) <= 6, (x, a["Office"], y, b["Office"])
    # The quality figure is against the best pairing under the same rules: the exact
    # solver, held to them too, reaches the figure's reference, and never more.
    exact = matched(str(SAMPLE), *rules, "--solver", "exact")
    assert result["quality"]["reference"] == "exact"
    assert result["quality"]["value"] == pytest.approx(exact["total_score"], abs=1e-6)
    assert result["total_score"] <= exact["total_score"] + 1e-9
    # And the rules cost something: without them the best total is higher.
    free = matched(str(SAMPLE), "--round-date", WINTER, "--language", "ignore")
    assert free["quality"]["value"] > result["quality"]["value"]


def test_without_the_options_these_columns_forbid_no_pair():
    rows = offices()
    result = matched(str(SAMPLE), "--round-date", WINTER, "--language", "ignore")
    made = [(x, y) for g in result["pairs"] for x, y in combinations(g["members"], 2)]
    far = [
        (x, y)
        for x, y in made
        if None not in (clock(rows[x], WINTER), clock(rows[y], WINTER))
        and hours_apart(clock(rows[x], WINTER), clock(rows[y], WINTER)) > 6  # type: ignore[arg-type]
    ]
    silent = [(x, y) for x, y in made if not tongues(rows[x]) & tongues(rows[y])]
    # Nothing holds them apart, so a best pairing crosses oceans and languages freely.
    assert far and silent
    # Nobody is blocked by these columns: no candidate's verdict is a rule.
    japanese_only = next(k for k, r in rows.items() if tongues(r) == {"japanese"})
    done = run(
        "explain",
        str(SAMPLE),
        japanese_only,
        "--json",
        "--round-date",
        WINTER,
        "--chain-depth",
        "0",
        "--language",
        "ignore",
    )
    assert done.exit_code == 0, done.stderr
    verdicts = [o["verdict"] for o in json.loads(done.stdout)["alternatives"]]
    assert verdicts and not any(v.startswith("blocked by a rule") for v in verdicts)


def london_new_york(tmp_path: Path) -> Path:
    """Two Londoners and two New Yorkers; each Londoner can teach what a New Yorker wants."""
    rows = [
        ["L1", "Lena", "Sales", "Negotiation", "Python", "", "London", "English"],
        ["L2", "Lou", "Legal", "Contracts", "SQL", "Europe/London", "", "English"],
        ["N1", "Nia", "Data", "Python", "Negotiation", "America/New_York", "", "English"],
        ["N2", "Ned", "Engineering", "SQL", "Contracts", "", "New York", "English"],
    ]
    return write_csv(tmp_path / "roster.csv", rows, HEADER)


@pytest.mark.parametrize(("day", "allowed"), [(WINTER, False), (SPRING, True)])
def test_london_and_new_york_are_five_hours_apart_in_january_and_four_in_march(
    tmp_path, day, allowed
):
    roster = london_new_york(tmp_path)
    result = matched(str(roster), "--round-date", day, "--max-timezone-gap", "4")
    crossing = [g for g in result["pairs"] if {m[0] for m in g["members"]} == {"L", "N"}]
    if allowed:
        # 4 hours on 2027-03-20: the best pairs (each teaches the other) are allowed.
        assert sorted(sorted(g["members"]) for g in result["pairs"]) == [
            ["L1", "N1"],
            ["L2", "N2"],
        ]
    else:
        # 5 hours on 2027-01-15: every transatlantic pair is forbidden.
        assert crossing == []
        assert sorted(sorted(g["members"]) for g in result["pairs"]) == [
            ["L1", "L2"],
            ["N1", "N2"],
        ]


def test_explain_gives_the_gap_on_the_round_date_as_the_reason(tmp_path):
    roster = london_new_york(tmp_path)
    done = run(
        "explain",
        str(roster),
        "L1",
        "--json",
        "--round-date",
        WINTER,
        "--max-timezone-gap",
        "4",
        "--chain-depth",
        "0",
    )
    assert done.exit_code == 0, done.stderr
    verdicts = {o["key"]: o["verdict"] for o in json.loads(done.stdout)["alternatives"]}
    assert verdicts["N1"] == (
        "blocked by a rule: Europe/London and America/New_York are 5 hours apart on "
        "2027-01-15 (the time-zone rule allows 4)"
    )


def test_berlin_and_europe_berlin_read_the_same_and_equal_utc_plus_one_in_winter(tmp_path):
    rows = [
        ["B1", "Bea", "Sales", "Negotiation", "Python", "", "Berlin", ""],
        ["B2", "Ben", "Data", "Python", "SQL", "Europe/Berlin", "", ""],
        ["B3", "Bo", "Legal", "SQL", "Negotiation", "UTC+1", "", ""],
        ["L1", "Lea", "Design", "Figma", "Python", "Europe/London", "", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER)
    # No gap at all allowed: in winter the three Berliners share one clock, the Londoner none.
    result = matched(str(roster), "--round-date", WINTER, "--max-timezone-gap", "0")
    assert [sorted(g["members"]) for g in result["pairs"]] == [["B1", "B2", "B3"]]
    (alone,) = result["unmatched"]
    assert alone["key"] == "L1"
    assert alone["reason"].startswith("no allowed partner left (Europe/London and ")
    # Nobody may meet the Londoner, so the best pairing leaves them out too: the trio is the
    # optimum, not a pairing forced to seat them at -1,000.
    assert result["quality"]["reference"] == "exact"
    assert result["quality"]["percent"] == pytest.approx(100.0)
    # In summer Berlin moves to UTC+2 and London to UTC+1: the fixed UTC+1 now shares
    # London's clock, an hour from Berlin's.
    summer = matched(str(roster), "--round-date", "2027-07-15", "--max-timezone-gap", "0")
    assert sorted(sorted(g["members"]) for g in summer["pairs"]) == [["B1", "B2"], ["B3", "L1"]]


def test_an_unknown_city_is_a_finding_not_a_guess(tmp_path):
    rows = [
        ["P1", "Pat", "Sales", "Negotiation", "Python", "", "San Francisco", ""],
        ["P2", "Pia", "Data", "Python", "Negotiation", "", "Tokyo", ""],
        ["P3", "Pim", "Legal", "Contracts", "Python", "PST", "", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER)
    done = run("validate", str(roster), "--json")
    assert done.exit_code == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    lines = [f["message"] for f in findings if f["level"] == "warning"]
    assert any(
        "column 'Office' row 2: 'San Francisco' names no time zone" in line for line in lines
    ), lines
    assert any("column 'Time zone' row 4: 'PST' is an abbreviation" in line for line in lines)
    unknown = next(f for f in findings if f["topic"] == "no time zone")
    assert unknown["message"].endswith(": P1, P3")
    # match says so as a warning, and --strict turns it into exit 6 for cron.
    strict = run("match", str(roster), "--dry-run", "--strict", "--max-timezone-gap", "3")
    assert strict.exit_code == 6
    assert "'San Francisco' names no time zone" in strict.stderr
    assert "the time-zone rule: 2 people have no known time zone" in strict.stderr


def test_the_round_date_decides_who_is_away(tmp_path):
    header = [*HEADER, "Away until"]
    rows = [
        ["A1", "Ann", "Sales", "Negotiation", "Python", "", "", "", "2027-02-01"],
        ["A2", "Al", "Data", "Python", "Negotiation", "", "", "", ""],
        ["A3", "Ava", "Legal", "Contracts", "Python", "", "", "", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, header)
    before = matched(str(roster), "--round-date", WINTER, "--odd", "leave-out")
    assert {u["key"]: u["reason"] for u in before["unmatched"]} == {"A1": "away until 2027-02-01"}
    after = matched(str(roster), "--round-date", SPRING, "--odd", "leave-out")
    assert "A1" not in {u["key"] for u in after["unmatched"] if "away" in u["reason"]}


def test_a_bad_round_date_is_one_line_and_exit_2(tmp_path):
    roster = london_new_york(tmp_path)
    done = run("match", str(roster), "--dry-run", "--round-date", "15/01/2027")
    assert done.exit_code == 2
    assert done.stderr.strip().splitlines() == [
        "pairctl: error: --round-date '15/01/2027': not a date; write it as YYYY-MM-DD "
        "(e.g. 2027-01-15)"
    ]


def test_a_rule_asked_for_without_its_column_is_said_in_one_line(tmp_path):
    rows = [
        ["E1", "Eve", "Sales", "Negotiation", "Python"],
        ["E2", "Eli", "Data", "Python", "Negotiation"],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER[:5])
    done = run(
        "match",
        str(roster),
        "--dry-run",
        "--strict",
        "--max-timezone-gap",
        "6",
        "--language",
        "require",
    )
    assert done.exit_code == 6
    assert (
        "the time-zone rule (at most 6 hours apart) does not apply: the roster has no "
        "time zone or location column" in done.stderr
    )
    assert "--language require does not apply: the roster has no languages column" in done.stderr


def test_the_settings_file_sets_the_rules_and_the_flags_win(tmp_path):
    roster = london_new_york(tmp_path)
    (tmp_path / "pairctl.toml").write_text(
        '[rules]\nmax_timezone_gap = 4\nlanguage = "require"\n', encoding="utf-8"
    )
    strict = matched(str(roster), "--round-date", WINTER)
    assert sorted(sorted(g["members"]) for g in strict["pairs"]) == [["L1", "L2"], ["N1", "N2"]]
    loose = matched(str(roster), "--round-date", WINTER, "--max-timezone-gap", "5")
    assert sorted(sorted(g["members"]) for g in loose["pairs"]) == [["L1", "N1"], ["L2", "N2"]]


@pytest.mark.parametrize(
    ("setting", "wording"),
    [
        ("[rules]\nmax_timezone_gap = 13\n", "rules.max_timezone_gap must be a number of hours"),
        ('[rules]\nlanguage = "always"\n', "rules.language must be one of require, prefer"),
        ("[weights]\nsame_site = -6\n", "weights.same_site must be 0 or from 0.001 to 5"),
    ],
)
def test_a_bad_setting_is_exit_4_naming_the_key(tmp_path, setting, wording):
    roster = london_new_york(tmp_path)
    (tmp_path / "pairctl.toml").write_text(setting, encoding="utf-8")
    done = run("match", str(roster), "--dry-run")
    assert done.exit_code == 4
    assert wording in done.stderr


def test_a_pin_across_a_forbidden_gap_is_exit_3(tmp_path):
    roster = london_new_york(tmp_path)
    pins = tmp_path / "pins.csv"
    pins.write_text("L1,N1\n", encoding="utf-8")
    done = run(
        "match",
        str(roster),
        "--dry-run",
        "--pin",
        str(pins),
        "--round-date",
        WINTER,
        "--max-timezone-gap",
        "4",
    )
    assert done.exit_code == 3
    assert (
        "the pin 'L1' + 'N1' contradicts a rule: Europe/London and America/New_York are "
        "5 hours apart on 2027-01-15" in done.stderr
    )


def test_check_finds_a_pair_too_far_apart(tmp_path):
    roster = london_new_york(tmp_path)
    draft = tmp_path / "draft.csv"
    draft.write_text("L1,N1\nL2,N2\n", encoding="utf-8")
    done = run("check", str(draft), str(roster), "--round-date", WINTER, "--max-timezone-gap", "4")
    assert done.exit_code == 3
    problems = [line for line in done.stderr.splitlines() if "may not be paired" in line]
    assert problems == [
        f"problem: {draft} row {row}: {a!r} and {b!r} may not be paired: Europe/London and "
        "America/New_York are 5 hours apart on 2027-01-15 (the time-zone rule allows 4)"
        for row, (a, b) in enumerate([("L1", "N1"), ("L2", "N2")], start=1)
    ]
    spring = run(
        "check", str(draft), str(roster), "--round-date", SPRING, "--max-timezone-gap", "4"
    )
    assert spring.exit_code == 0, spring.stdout + spring.stderr


def test_same_site_may_send_people_to_other_offices(tmp_path):
    # Four people, two offices, everyone teaches everyone alike: only the site decides.
    rows = [
        ["S1", "Sam", "Sales", "Negotiation", "Python", "", "London", ""],
        ["S2", "Sue", "Data", "Python", "Negotiation", "", "London", ""],
        ["S3", "Sid", "Legal", "Negotiation", "Python", "", "Berlin", ""],
        ["S4", "Sol", "Design", "Python", "Negotiation", "", "Berlin", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER)
    for weight, expected in (
        ("-2", [["S1", "S4"], ["S2", "S3"]]),
        ("1", [["S1", "S2"], ["S3", "S4"]]),
    ):
        (tmp_path / "pairctl.toml").write_text(
            f"[weights]\nsame_site = {weight}\n", encoding="utf-8"
        )
        result = matched(str(roster), "--round-date", WINTER)
        assert sorted(sorted(g["members"]) for g in result["pairs"]) == expected, weight


def test_the_default_sheet_is_named_after_the_round_date(tmp_path):
    roster = london_new_york(tmp_path)
    done = run("match", str(roster), "-q", "--round-date", SPRING)
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "pairs-2027-03-20.xlsx").is_file()
    assert [p.name for p in tmp_path.glob("pairs-*")] == ["pairs-2027-03-20.xlsx"]


def test_the_introduction_says_when_the_pair_works_in_different_time_zones(tmp_path):
    header = ["ID", "Name", "Email", *HEADER[2:]]
    rows = [
        ["L1", "Lena", "lena@example.org", "Sales", "Negotiation", "Python", "", "London", ""],
        ["L2", "Lou", "lou@example.org", "Legal", "Contracts", "SQL", "", "London", ""],
        ["N1", "Nia", "nia@example.org", "Data", "Python", "Negotiation", "", "New York", ""],
        ["N2", "Ned", "ned@example.org", "Design", "SQL", "Contracts", "", "London", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, header)
    pins = tmp_path / "pins.csv"
    pins.write_text("L1,N1\nL2,N2\n", encoding="utf-8")
    sheet = tmp_path / "round.xlsx"
    done = run("match", str(roster), "-o", str(sheet), "--pin", str(pins), "-q")
    assert done.exit_code == 0, done.stderr
    outbox = tmp_path / "out"
    done = run("announce", str(sheet), "-o", str(outbox), "--from", "m@example.org")
    assert done.exit_code == 0, done.stderr
    texts = {
        p.name: p.read_bytes().decode("utf-8", "replace") for p in sorted(outbox.glob("*.eml"))
    }
    apart = [name for name, text in texts.items() if "different time zones" in text]
    (only,) = apart  # Lena and Nia; Lou and Ned share London's clock
    assert "Lena Europe/London, Nia America/New_York" in texts[only]


def test_a_location_column_of_countries_is_one_line_not_one_per_country(tmp_path):
    countries = ["Germany", "India", "Brazil", "Canada", "France", "Kenya", "Japan", "Chile"]
    countries += ["Spain", "Singapore"]  # a city-state: its city is a zone
    rows = [
        [f"C{i}", f"P{i}", f"S{i % 3}", "Negotiation", "Python", "", country, ""]
        for i, country in enumerate(countries)
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER)
    done = run("match", str(roster), "--dry-run", "-q", "--max-timezone-gap", "6")
    assert done.exit_code == 0, done.stderr
    about = [line for line in done.stderr.splitlines() if "column 'Office'" in line]
    assert about == [
        f"warning: {roster}, column 'Office': 9 of its 10 values name no time zone the zone "
        "database knows (9 people), such as 'Germany', 'India', 'Brazil': name a time zone "
        "column (--map timezone=COLUMN); until then no time-zone rule applies to them"
    ]


def test_validate_counts_languages_as_the_rule_compares_them(tmp_path):
    rows = [
        ["E1", "Eve", "Sales", "Negotiation", "Python", "", "", "English"],
        ["E2", "Eli", "Data", "Python", "Negotiation", "", "", "english "],
        ["E3", "Ezra", "Legal", "Contracts", "Python", "", "", "English, German"],
        ["E4", "Emil", "Design", "Figma", "Python", "", "", ""],
    ]
    roster = write_csv(tmp_path / "roster.csv", rows, HEADER)
    done = run("validate", str(roster), "--json")
    findings = {f["topic"]: f["message"] for f in json.loads(done.stdout)["findings"]}
    assert findings["languages"] == "English (3), German (1)"
    assert findings["no languages"] == "1 (no language rule applies to them): E4"
