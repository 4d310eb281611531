"""Rules that forbid pairs: reporting lines and avoid lists, through the whole matcher."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.core.matching import match, match_with_pins
from pairctl.core.model import Person, Roster
from pairctl.core.rules import avoid_pairs, reporting_line_pairs
from pairctl.core.scoring import score_roster


def chain(*managers: str) -> tuple[Person, ...]:
    """People A, B, C, ... where person i's manager is managers[i] ('' for none)."""
    return tuple(
        Person(key=chr(65 + i), name=chr(65 + i), specialty=f"S{i}", manager=m)
        for i, m in enumerate(managers)
    )


def test_reporting_line_forbids_manager_and_skip_level_only():
    people = chain("", "A", "B", "C")  # A manages B manages C manages D
    reasons = reporting_line_pairs(people, depth=2)
    assert set(reasons) == {(0, 1), (1, 2), (0, 2), (2, 3), (1, 3)}
    assert reasons[(2, 3)] == "C is D's direct manager"
    assert reasons[(1, 3)] == "B is D's skip-level manager"
    assert set(reporting_line_pairs(people, depth=1)) == {(0, 1), (1, 2), (2, 3)}
    assert reporting_line_pairs(people, depth=0) == {}


def test_reporting_line_survives_loops_and_managers_off_the_roster():
    people = chain("B", "A", "ZZ")  # A and B manage each other; C's manager is not listed
    assert set(reporting_line_pairs(people, depth=3)) == {(0, 1)}


def roster_with_managers(n: int, seed: int) -> Roster:
    rng = random.Random(seed)
    skills = [f"s{i}" for i in range(8)]
    people = []
    for i in range(n):
        boss = f"K{rng.randrange(i):03d}" if i and rng.random() < 0.8 else ""
        people.append(
            Person(
                key=f"K{i:03d}",
                name=f"P{i}",
                specialty=rng.choice("ABCD"),
                skills=tuple(rng.sample(skills, 3)),
                wants=tuple(rng.sample(skills, 2)),
                manager=boss,
                department=rng.choice("XYZ"),
            )
        )
    return Roster(people=tuple(people), has_skills=True, has_wants=True)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 40),
    seed=st.integers(0, 10_000),
    depth=st.integers(0, 3),
    avoid_count=st.integers(0, 10),
    odd=st.sampled_from(["trio", "leave-out"]),
)
def test_no_rule_is_ever_broken_and_everyone_is_accounted_for(n, seed, depth, avoid_count, odd):
    roster = roster_with_managers(n, seed)
    rng = random.Random(seed + 1)
    listed = [(*rng.sample(range(n), 2), "test") for _ in range(avoid_count)]
    reasons = reporting_line_pairs(roster.people, depth)
    reasons.update(avoid_pairs(listed, roster.people))
    model = score_roster(roster)
    if reasons:
        model = model.with_blocked(reasons)
    pairing = match(model, [p.key for p in roster.people], seed=seed, odd=odd)
    for group in pairing.groups:
        for x, y in combinations(group.members, 2):
            assert (min(x, y), max(x, y)) not in reasons
    placed = [i for g in pairing.groups for i in g.members] + [u.index for u in pairing.unmatched]
    assert sorted(placed) == list(range(n))


def test_the_top_of_the_tree_is_paired_and_nobody_within_two_levels():
    # One line of command, A at the top: A > B > C > D > E > F. Within two levels is
    # forbidden, so the only pairing left is A-D, B-E, C-F, and the matcher must find it.
    people = chain("", "A", "B", "C", "D", "E")
    people = tuple(Person(**{**p.__dict__, "skills": ("x",), "wants": ("x",)}) for p in people)
    roster = Roster(people=people, has_skills=True, has_wants=True)
    reasons = reporting_line_pairs(people, depth=2)
    model = score_roster(roster).with_blocked(reasons)
    pairing = match(model, [p.key for p in people])
    assert pairing.unmatched == ()
    pairs = {frozenset(people[i].key for i in g.members) for g in pairing.groups}
    assert pairs == {frozenset("AD"), frozenset("BE"), frozenset("CF")}


def test_when_the_only_partner_is_forbidden_both_are_listed_with_the_reason():
    people = chain("", "A")
    reasons = reporting_line_pairs(people, depth=1)
    model = score_roster(Roster(people=people)).with_blocked(reasons)
    pairing = match(model, ["A", "B"])
    assert pairing.groups == ()
    assert [(u.index, u.reason) for u in pairing.unmatched] == [
        (0, "no allowed partner left (A is B's direct manager)"),
        (1, "no allowed partner left (A is B's direct manager)"),
    ]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 30),
    seed=st.integers(0, 10_000),
    pin_count=st.integers(0, 4),
    odd=st.sampled_from(["trio", "leave-out"]),
)
def test_pins_are_kept_and_rules_still_hold_for_everyone_else(n, seed, pin_count, odd):
    roster = roster_with_managers(n, seed)
    reasons = reporting_line_pairs(roster.people, 2)
    rng = random.Random(seed)
    order = list(range(n))
    rng.shuffle(order)
    pins = []
    for a, b in zip(order[0::2], order[1::2], strict=False):
        if len(pins) < pin_count and (min(a, b), max(a, b)) not in reasons:
            pins.append((a, b))
    model = score_roster(roster)
    if reasons:
        model = model.with_blocked(reasons)
    pairing = match_with_pins(model, [p.key for p in roster.people], pins, seed=seed, odd=odd)
    groups = {frozenset(g.members) for g in pairing.groups}
    for a, b in pins:
        assert frozenset((a, b)) in groups
    assert sum(g.pinned for g in pairing.groups) == len(pins)
    for group in pairing.groups:
        for x, y in combinations(group.members, 2):
            assert (min(x, y), max(x, y)) not in reasons
    placed = [i for g in pairing.groups for i in g.members] + [u.index for u in pairing.unmatched]
    assert sorted(placed) == list(range(n))


def test_the_model_carries_each_rule_with_its_reason_wherever_its_rows_go():
    people = chain("", "A", "B", "C")  # A manages B manages C manages D
    reasons = reporting_line_pairs(people, depth=1)
    model = score_roster(Roster(people=people)).with_blocked(reasons)
    assert model.rules() == reasons
    assert model.rule_reason(3, 2) == "C is D's direct manager"
    assert model.rule_reason(0, 3) == ""
    # Rows D, B, C: B-C and C-D stay forbidden, with their reasons; A's rule leaves with A.
    moved = model.permuted(np.array([3, 1, 2]))
    assert moved.rules() == {(1, 2): "B is C's direct manager", (0, 2): "C is D's direct manager"}
    # A later reason for the same pair replaces the earlier one.
    again = model.with_blocked({(2, 1): "B and C are on the avoid list (avoid.csv)"})
    assert again.rule_reason(1, 2) == "B and C are on the avoid list (avoid.csv)"
    assert len(again.rules()) == 3


def test_a_rule_refused_in_the_rest_of_a_pinned_round_keeps_its_reason():
    # A pinned with D; B and C, left to the matcher, may not pair (B manages C).
    people = chain("", "", "B", "")
    reasons = reporting_line_pairs(people, depth=1)
    model = score_roster(Roster(people=people)).with_blocked(reasons)
    pairing = match_with_pins(model, [p.key for p in people], [(0, 3)])
    assert [(u.index, u.reason) for u in pairing.unmatched] == [
        (1, "no allowed partner left (B is C's direct manager)"),
        (2, "no allowed partner left (B is C's direct manager)"),
    ]
