"""Time zones as a roster writes them, and how far apart two are on the round's date (issue 15)."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pairctl.core.zones import Zone, gap_hours, read_city, read_zone

WINTER = dt.date(2027, 1, 15)
SPRING = dt.date(2027, 3, 20)  # the US has moved its clocks (14 March), the UK not yet (28 March)
SUMMER = dt.date(2027, 7, 15)


def zone(text: str) -> Zone:
    """The zone a cell names; fails the test, with the reader's reason, when it names none."""
    reading = read_zone(text)
    assert reading.zone is not None, reading.problem
    assert reading.problem == ""
    return reading.zone


def hours_apart(left: str, right: str, day: dt.date) -> float:
    return float(gap_hours(zone(left).offset(day), zone(right).offset(day)))


# The must-shows


def test_london_and_new_york_are_five_hours_apart_in_winter_and_four_in_march() -> None:
    assert hours_apart("Europe/London", "America/New_York", WINTER) == 5.0
    assert hours_apart("Europe/London", "America/New_York", SPRING) == 4.0
    # Both on summer time: five again.
    assert hours_apart("Europe/London", "America/New_York", SUMMER) == 5.0
    # The same read from the city names a location column holds.
    assert hours_apart("London", "New York", SPRING) == 4.0


def test_offsets_are_taken_after_each_clock_change_on_the_day_it_happens() -> None:
    # Zone.offset takes noon UTC of the date: both changes happen before it.
    new_york = zone("America/New_York")
    london = zone("Europe/London")
    assert new_york.offset(dt.date(2027, 3, 13)) == -300
    assert new_york.offset(dt.date(2027, 3, 14)) == -240
    assert london.offset(dt.date(2027, 3, 27)) == 0
    assert london.offset(dt.date(2027, 3, 28)) == 60
    assert london.offset(dt.date(2027, 10, 31)) == 0
    assert new_york.offset(dt.date(2027, 11, 7)) == -300


@pytest.mark.parametrize("text", ["Berlin", "Europe/Berlin", "europe/berlin", "EUROPE/BERLIN"])
def test_berlin_read_every_way_is_one_zone_equal_to_utc_plus_1_in_winter_and_2_in_summer(
    text: str,
) -> None:
    berlin = zone(text)
    assert berlin == Zone("Europe/Berlin")
    assert berlin.offset(WINTER) == zone("UTC+1").offset(WINTER) == 60
    assert berlin.offset(SUMMER) == zone("UTC+2").offset(SUMMER) == 120
    assert hours_apart(text, "UTC+1", WINTER) == 0.0
    assert hours_apart(text, "UTC+1", SUMMER) == 1.0


def test_a_location_reads_berlin_as_the_time_zone_column_does() -> None:
    assert read_city("Berlin").zone == zone("Berlin") == Zone("Europe/Berlin")


def test_a_utc_offset_is_fixed_all_year() -> None:
    plus_one = zone("UTC+1")
    assert plus_one.fixed == 60
    assert plus_one.name == "UTC+01:00"
    assert {plus_one.offset(day) for day in (WINTER, SPRING, SUMMER)} == {60}


def test_gmt_alone_is_refused_like_est_but_gmt_plus_0_is_read() -> None:
    # Many in the UK write GMT for London's clock, which is UTC+1 all summer.
    reading = read_zone("GMT")
    assert reading.zone is None
    assert "abbreviation" in reading.problem and "London's clock" in reading.problem
    assert zone("GMT+0").fixed == 0


def test_utc_minus_8_and_utc_plus_11_are_five_hours_apart_the_short_way_round() -> None:
    assert hours_apart("UTC-8", "UTC+11", WINTER) == 5.0
    assert float(gap_hours(-8 * 60, 11 * 60)) == 5.0
    assert float(gap_hours(11 * 60, -8 * 60)) == 5.0


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("+01:00", 60),
        ("UTC-5", -300),
        ("GMT+5:30", 330),
        ("UTC\u22125", -300),  # the typographic minus a spreadsheet may put in
        ("utc + 05:30", 330),
        ("-0330", -210),
        ("UTC+14", 840),
        ("UTC-12:00", -720),
        ("UTC", 0),
        ("GMT+0", 0),
        ("UTC\u20135", -300),  # an en dash, as word processors turn a hyphen into
    ],
)
def test_utc_offsets_as_people_write_them(text: str, minutes: int) -> None:
    found = zone(text)
    assert found.fixed == minutes
    assert found.offset(WINTER) == found.offset(SUMMER) == minutes


@pytest.mark.parametrize(
    "text", ["Atlantis", "San Francisco", "Mumbai", "Springfield", "Frankfurt am Main"]
)
def test_an_unknown_city_is_a_problem_not_a_guess(text: str) -> None:
    for reading in (read_zone(text), read_city(text)):
        assert reading.zone is None
        assert repr(text) in reading.problem
        assert "names no time zone" in reading.problem


@pytest.mark.parametrize("text", ["EST", "PST", "IST", "CET", "BST", "AEST", "CEST", "EST5EDT"])
def test_abbreviations_are_refused_with_the_reason(text: str) -> None:
    reading = read_zone(text)
    assert reading.zone is None
    assert repr(text) in reading.problem
    assert "abbreviation" in reading.problem


@pytest.mark.parametrize("text", ["est", "pst", "ist", "cet"])
def test_abbreviations_in_lower_case_are_refused_too(text: str) -> None:
    reading = read_zone(text)
    assert reading.zone is None
    assert repr(text) in reading.problem


@pytest.mark.parametrize("text", ["UTC+15", "UTC+14:30", "+99:00", "UTC+5:60", "GMT-25"])
def test_out_of_range_offsets_are_refused(text: str) -> None:
    reading = read_zone(text)
    assert reading.zone is None
    assert "no UTC offset" in reading.problem


@pytest.mark.parametrize("text", ["UTC-13", "UTC-14:00", "-12:30"])
def test_offsets_west_of_utc_minus_12_are_refused(text: str) -> None:
    reading = read_zone(text)
    assert reading.zone is None
    assert "no UTC offset" in reading.problem


def test_half_hour_and_45_minute_zones_give_exact_gaps() -> None:
    india, nepal = zone("Asia/Kolkata"), zone("Asia/Kathmandu")
    assert india.offset(WINTER) == zone("UTC+05:30").fixed == 330
    assert nepal.offset(WINTER) == zone("UTC+05:45").fixed == 345
    assert hours_apart("Asia/Kolkata", "Europe/London", WINTER) == 5.5
    assert hours_apart("Asia/Kolkata", "UTC+05:30", SUMMER) == 0.0
    assert hours_apart("Asia/Kathmandu", "Asia/Kolkata", WINTER) == 0.25
    assert hours_apart("Asia/Kathmandu", "Europe/London", WINTER) == 5.75
    assert hours_apart("Asia/Kathmandu", "America/New_York", WINTER) == 10.75
    # Kathmandu and Honolulu (UTC-10): 15.75 hours one way, 8.25 the other.
    assert hours_apart("Kathmandu", "Pacific/Honolulu", WINTER) == 8.25


@pytest.mark.parametrize("place", ["London, UK", "Tokyo (HQ)", "São Paulo", "Sao Paulo", "Zürich"])
def test_location_cells_name_one_city(place: str) -> None:
    expected = {
        "London, UK": "Europe/London",
        "Tokyo (HQ)": "Asia/Tokyo",
        "São Paulo": "America/Sao_Paulo",
        "Sao Paulo": "America/Sao_Paulo",
        "Zürich": "Europe/Zurich",
    }[place]
    assert read_city(place).zone == Zone(expected)


def test_a_location_never_reads_an_old_country_wide_name() -> None:
    # `Portugal` is a zone name of the database but no place a person works at.
    assert read_city("Portugal").zone is None


def test_an_unknown_zone_gives_an_unknown_gap() -> None:
    gaps = gap_hours([60.0, np.nan, 0.0], [np.nan, 0.0, 0.0])
    assert math.isnan(gaps[0]) and math.isnan(gaps[1])
    assert gaps[2] == 0.0


def test_every_zone_the_reader_names_reads_back_as_itself() -> None:
    # The roster keeps the resolved name (Person.timezone) and the model reads it again.
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    )
    cities = [read_city(name.rsplit("/", 1)[1].replace("_", " ")).zone for name in names]
    for found in {c for c in cities if c is not None}:
        assert read_zone(found.name).zone == found
    for name in names:
        assert read_zone(name).zone == Zone(name)


# Properties

offsets = st.integers(-12 * 60, 14 * 60)


@settings(max_examples=300)
@given(left=offsets, right=offsets, turns=st.integers(-3, 3))
def test_gap_is_symmetric_within_half_a_day_and_blind_to_whole_days(
    left: int, right: int, turns: int
) -> None:
    there = float(gap_hours(left, right))
    assert there == float(gap_hours(right, left))
    assert 0.0 <= there <= 12.0
    assert float(gap_hours(left + 24 * 60 * turns, right + 24 * 60 * turns)) == there
    assert float(gap_hours(left + 24 * 60 * turns, right)) == there
    # The short way round: the nearest of the two people's clocks a whole day apart.
    assert there == min(abs(left - right + 24 * 60 * k) for k in (-2, -1, 0, 1, 2)) / 60


@settings(max_examples=200)
@given(
    hours=st.integers(0, 12),
    minutes=st.sampled_from([0, 15, 30, 45]),
    sign=st.sampled_from(["+", "-", "\u2212"]),
    prefix=st.sampled_from(["", "UTC", "GMT", "utc ", "Utc"]),
)
def test_an_offset_reads_the_same_however_written(
    hours: int, minutes: int, sign: str, prefix: str
) -> None:
    east = 1 if sign == "+" else -1
    assume(east > 0 or hours * 60 + minutes <= 12 * 60)  # no zone lies west of UTC-12
    written = [f"{prefix}{sign}{hours}:{minutes:02d}", f"{prefix}{sign}{hours:02d}{minutes:02d}"]
    if minutes == 0:
        written.append(f"{prefix}{sign}{hours}")
    for text in written:
        found = zone(text)
        assert found.fixed == east * (hours * 60 + minutes), text
        # Its shown name reads back as the same zone (the model reads Person.timezone again).
        assert zone(found.name) == found
