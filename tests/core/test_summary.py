"""The report a run shows: which unmatched people are warnings, what the same-specialty warning
claims, what the random baseline pairs, and how counts read."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pairctl.core.matching import match_with_pins
from pairctl.core.model import Person, Roster
from pairctl.core.report import RunReport
from pairctl.core.rules import avoid_pairs, taking_no_part
from pairctl.core.scoring import ScoreModel, score_roster
from pairctl.core.summary import build_report

from .rosters import make_roster

TODAY = dt.date(2026, 3, 1)


def run_round(
    roster: Roster, model: ScoreModel | None = None, odd: str = "trio", seed: int = 0
) -> RunReport:
    """Pair the roster as the pipeline does (people out this round set aside) and report."""
    model = model or score_roster(roster)
    absent = taking_no_part(roster.people, TODAY)
    keys = [p.key for p in roster.people]
    pairing = match_with_pins(model, keys, [], absent, seed=seed, odd=odd)
    return build_report(roster, model, pairing, odd=odd, run_info=())  # type: ignore[arg-type]


def with_changes(roster: Roster, changes: dict[int, dict[str, object]]) -> Roster:
    people = tuple(
        Person(**{**p.__dict__, **changes.get(i, {})}) for i, p in enumerate(roster.people)
    )
    return Roster(people=people, has_skills=roster.has_skills, has_wants=roster.has_wants)


def four_in_two_specialties() -> Roster:
    """A and B in Eng, C and D in Sales: without rules A and B each pair across."""
    people = tuple(
        Person(key=k, name=k, specialty=s, skills=("x",), wants=("x",))
        for k, s in [("A", "Eng"), ("B", "Eng"), ("C", "Sales"), ("D", "Sales")]
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def test_people_out_this_round_are_listed_and_counted_but_are_not_warnings():
    roster = with_changes(
        make_roster(8, ["Eng", "Data", "Sales", "HR"], 3),
        {1: {"active": False}, 2: {"away_until": "2999-01-31"}},
    )
    report = run_round(roster)
    assert report.warnings == ()
    assert {p.key: why for p, why in report.unmatched} == {
        "K001": "not taking part this round (marked inactive)",
        "K002": "away until 2999-01-31",
    }
    assert report.metrics.unmatched == 2
    assert report.metrics.not_taking_part == 2


def test_someone_who_wanted_to_take_part_but_is_left_out_is_still_a_warning():
    roster = with_changes(make_roster(8, ["Eng", "Data", "Sales", "HR"], 3), {1: {"active": False}})
    report = run_round(roster, odd="leave-out")
    left = [p.key for p, why in report.unmatched if why.startswith("odd number")]
    assert len(left) == 1
    assert report.warnings == (f"{left[0]} is not paired: " + report.unmatched[-1][1],)
    assert report.metrics.not_taking_part == 1


def test_a_same_specialty_pair_forced_by_the_rules_says_the_rules_forced_it():
    roster = four_in_two_specialties()
    reasons = avoid_pairs([(0, 2, "avoid.csv"), (0, 3, "avoid.csv")], roster.people)
    report = run_round(roster, score_roster(roster).with_blocked(reasons))
    members = {frozenset(p.key for p in g.members) for g in report.groups}
    assert members == {frozenset("AB"), frozenset("CD")}
    (warning,) = report.warnings
    assert "allows is 0" not in warning
    assert warning.startswith("2 same-specialty links in the groups")
    assert warning.endswith(": the rules left no partner from another specialty")


def test_a_same_specialty_pair_forced_by_the_history_says_the_history_forced_it():
    roster = four_in_two_specialties()
    model = score_roster(roster).with_repeats(np.array([[0, 2], [0, 3]]))
    (warning,) = run_round(roster, model).warnings
    assert "allows is 0" not in warning
    assert warning.endswith(": the history left no partner from another specialty")


def test_the_fewest_same_specialty_links_count_only_the_people_taking_part():
    # Four engineers and two others; with two of the others away the engineers must pair twice.
    roster = with_changes(
        make_roster(8, ["Eng", "Eng", "Eng", "Eng", "Data", "Sales", "HR", "Ops"], 1),
        {6: {"active": False}, 7: {"active": False}},
    )
    (warning,) = run_round(roster).warnings
    assert warning.startswith("1 same-specialty link in the groups;")
    assert "the fewest this roster allows is 1" in warning


def test_the_random_baseline_pairs_only_the_people_taking_part():
    roster = with_changes(
        make_roster(7, ["Eng", "Data", "Sales"], 5),
        {0: {"active": False}, 4: {"away_until": "2999-01-31"}},
    )
    report = run_round(roster)
    # Five take part: two pairs, the fifth joins one as a trio; the two out are not placed.
    assert (report.baseline.pairs, report.baseline.trios) == (1, 1)
    assert report.baseline.unmatched == 2
    assert report.baseline.people == report.metrics.people == 7


def test_one_same_specialty_link_and_one_repeat_read_in_the_singular():
    three_engineers = Roster(
        people=tuple(
            Person(key=k, name=k, specialty=s, skills=("x",), wants=("x",))
            for k, s in [("A", "Eng"), ("B", "Eng"), ("C", "Eng"), ("D", "Sales")]
        ),
        has_skills=True,
        has_wants=True,
    )
    (same,) = run_round(three_engineers).warnings
    assert same.startswith("1 same-specialty link in the groups;")
    everyone_apart = Roster(
        people=tuple(
            Person(key=k, name=k, specialty=k, skills=("x",), wants=("x",)) for k in "ABCD"
        ),
        has_skills=True,
        has_wants=True,
    )
    model = score_roster(everyone_apart).with_repeats(np.array([[0, 1], [0, 2], [0, 3]]))
    (repeat,) = run_round(everyone_apart, model).warnings
    assert repeat.startswith("1 group had to repeat an earlier round's pair:")
