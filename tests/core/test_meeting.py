"""Pairs that can actually meet (issue 15): the time-zone and language rules, built into the
score model as the pipeline builds them, and what the matcher, the quality figure and the
warnings make of them.

The rules are checked here from the data (hard-coded clocks, the languages as written), never
through the model's own `is_blocked`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pairctl.config import Settings
from pairctl.core.matching import match
from pairctl.core.meeting import MeetingRules, meeting_warnings, with_meeting_rules
from pairctl.core.model import ColumnMapping, Person, Roster
from pairctl.core.quality import assess
from pairctl.core.scoring import BLOCKED_PENALTY, ScoreModel, Weights, score_roster
from pairctl.errors import RosterError
from pairctl.pipeline import RoundRequest, prepare_round
from pairctl.roster.pair_list import check_pins

from .placement import assert_placed_as_many_as_allowed

WINTER = dt.date(2027, 1, 15)
SUMMER = dt.date(2027, 7, 15)

# Minutes east of UTC on each date, as the zone database has them (written out here so the
# rule is checked against facts, not against the code under test).
CLOCKS: dict[str, tuple[int, int]] = {
    "Europe/London": (0, 60),
    "Europe/Berlin": (60, 120),
    "America/New_York": (-300, -240),
    "America/Los_Angeles": (-480, -420),
    "Asia/Tokyo": (540, 540),
    "Asia/Kolkata": (330, 330),
    "Australia/Sydney": (660, 600),
    "UTC+05:45": (345, 345),
    "UTC-03:00": (-180, -180),
}
ZONES = [*CLOCKS, ""]  # '' is a zone nobody could read
LANGUAGES = ["English", "english", "Japanese", "Hindi", "Spanish"]
SITES = ["London", "Tokyo", "Pune", ""]
SKILLS = [f"skill {i}" for i in range(8)]

BOTH = ColumnMapping(fields={"timezone": "Time zone", "languages": "Languages"})
EVERYTHING = ColumnMapping(
    fields={"timezone": "Time zone", "languages": "Languages", "site": "Office"}
)


def clock(zone: str, day: dt.date) -> int | None:
    if not zone:
        return None
    winter, summer = CLOCKS[zone]
    return winter if day == WINTER else summer


def hours_apart(x: int, y: int) -> float:
    """The short way round the clock, from the definition: the nearest of the clocks a whole
    day apart."""
    return min(abs(x - y + 24 * 60 * k) for k in (-1, 0, 1)) / 60


def may_meet(a: Person, b: Person, day: dt.date, max_gap: float | None, require: bool) -> bool:
    """The issue's rules, from the people's cells: unknown zones and languages never block."""
    x, y = clock(a.timezone, day), clock(b.timezone, day)
    if max_gap is not None and x is not None and y is not None and hours_apart(x, y) > max_gap:
        return False
    spoken_a = {t.casefold() for t in a.languages}
    spoken_b = {t.casefold() for t in b.languages}
    return not (require and spoken_a and spoken_b and not spoken_a & spoken_b)


def person(
    i: int, zone: str, languages: Sequence[str], rng: random.Random, site: str = ""
) -> Person:
    return Person(
        key=f"K{i:02d}",
        name=f"P{i}",
        specialty=f"S{i % 3}",
        skills=tuple(rng.sample(SKILLS, 2)),
        wants=tuple(rng.sample(SKILLS, 2)),
        department=rng.choice("XYZ"),
        timezone=zone,
        languages=tuple(languages),
        site=site,
    )


def roster_of(people: Sequence[Person], mapping: ColumnMapping = BOTH) -> Roster:
    return Roster(people=tuple(people), has_skills=True, has_wants=True, mapping=mapping)


def model_of(
    roster: Roster,
    day: dt.date = WINTER,
    max_gap: float | None = None,
    language: str | None = None,
    weights: Weights | None = None,
) -> ScoreModel:
    """As `pipeline.prepare_round` builds it."""
    return with_meeting_rules(
        score_roster(roster, weights), roster, MeetingRules(day, max_gap, language)
    )


def allowed_graph(
    people: Sequence[Person], day: dt.date, max_gap: float | None, require: bool
) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(people)))
    graph.add_edges_from(
        (x, y)
        for x, y in combinations(range(len(people)), 2)
        if may_meet(people[x], people[y], day, max_gap, require)
    )
    return graph


cells = st.tuples(
    st.sampled_from(ZONES),
    st.lists(st.sampled_from(LANGUAGES), max_size=2, unique_by=str.casefold),
    st.sampled_from(SITES),
)


def people_from(drawn: Sequence[tuple[str, list[str], str]], seed: int) -> list[Person]:
    rng = random.Random(seed)
    return [person(i, zone, spoken, rng, site) for i, (zone, spoken, site) in enumerate(drawn)]


# The property the issue asks for


@settings(max_examples=150, deadline=None)
@given(
    drawn=st.lists(cells, min_size=2, max_size=14),
    seed=st.integers(0, 10_000),
    day=st.sampled_from([WINTER, SUMMER]),
    max_gap=st.sampled_from([0.0, 3.0, 4.5, 6.0, 9.0]),
    odd=st.sampled_from(["trio", "leave-out"]),
    solver=st.sampled_from(["greedy-swap", "exact"]),
)
def test_no_group_breaks_a_rule_and_only_those_without_an_allowed_partner_are_left_out(
    drawn, seed, day, max_gap, odd, solver
):
    people = people_from(drawn, seed)
    n = len(people)
    model = model_of(roster_of(people), day, max_gap, "require")
    pairing = match(model, [p.key for p in people], seed=seed, odd=odd, solver=solver)
    allowed = allowed_graph(people, day, max_gap, require=True)

    assert_placed_as_many_as_allowed(pairing, allowed, n, odd)


def test_a_person_alone_in_a_far_zone_is_left_out_with_the_gap_as_reason():
    rng = random.Random(1)
    zones = ["Europe/London", "Europe/Berlin", "Europe/London", "Europe/Berlin", "Asia/Tokyo"]
    people = [person(i, z, ["English"], rng) for i, z in enumerate(zones)]
    model = model_of(roster_of(people), WINTER, 6.0, "require")
    pairing = match(model, [p.key for p in people], odd="trio")
    (out,) = pairing.unmatched
    assert out.index == 4
    assert out.reason.startswith("no allowed partner left (")
    assert "Asia/Tokyo and Europe/London are 9 hours apart on 2027-01-15" in out.reason
    assert "(the time-zone rule allows 6)" in out.reason
    assert sorted(len(g.members) for g in pairing.groups) == [2, 2]


# Without the options


@pytest.mark.parametrize("language", [None, "prefer", "ignore"])
def test_without_the_options_no_pair_is_forbidden_by_these_columns(language):
    rng = random.Random(7)
    people = [
        person(i, ZONES[i % len(ZONES)], [LANGUAGES[i % len(LANGUAGES)]], rng, SITES[i % 4])
        for i in range(20)
    ]
    model = model_of(roster_of(people, EVERYTHING), WINTER, None, language)
    n = len(people)
    a, b = np.triu_indices(n, k=1)
    assert not model.has_meeting_rules
    assert not model.is_blocked(a, b).any()
    assert all(model.rule_reason(int(x), int(y)) == "" for x, y in zip(a, b, strict=True))
    dense = model.dense()
    assert (dense[a, b] > -BLOCKED_PENALTY / 2).all()
    pairing = match(model, [p.key for p in people])
    assert pairing.unmatched == ()
    assert sorted(i for g in pairing.groups for i in g.members) == list(range(n))


def test_prefer_only_lowers_the_scores_of_pairs_sharing_no_known_language():
    rng = random.Random(3)
    spoken = [["English"], ["Japanese"], ["english", "Hindi"], [], ["Spanish"], ["Hindi"]]
    people = [person(i, "Europe/London", s, rng) for i, s in enumerate(spoken)]
    roster = roster_of(people)
    weights = Weights(no_shared_language=1.5)
    ignore = model_of(roster, language="ignore", weights=weights).dense()
    for language in ("prefer", None):  # a languages column makes prefer the default
        prefer = model_of(roster, language=language, weights=weights).dense()
        for x, y in combinations(range(len(people)), 2):
            known = bool(spoken[x]) and bool(spoken[y])
            disjoint = not {t.casefold() for t in spoken[x]} & {t.casefold() for t in spoken[y]}
            expected = ignore[x, y] - (1.5 if known and disjoint else 0.0)
            assert prefer[x, y] == pytest.approx(expected), (spoken[x], spoken[y])
            assert prefer[x, y] > -BLOCKED_PENALTY / 2


def test_a_gap_without_a_zone_column_forbids_nothing():
    rng = random.Random(2)
    people = [person(i, z, ["English"], rng) for i, z in enumerate(["Asia/Tokyo", "UTC-03:00"])]
    roster = roster_of(people, ColumnMapping(fields={"languages": "Languages"}))
    model = model_of(roster, WINTER, 1.0, "require")
    assert not model.is_blocked(np.array([0]), np.array([1]))[0]


# Quality under the rules


def best_allowed_total(model: ScoreModel, allowed: nx.Graph) -> tuple[int, float]:
    """Brute force: of the pairings of allowed pairs with the most pairs, the best total."""
    n = model.size
    score = model.dense()
    best = (-1, -np.inf)

    def walk(free: list[int], pairs: int, total: float) -> None:
        nonlocal best
        if len(free) < 2:
            best = max(best, (pairs, total))
            return
        first, rest = free[0], free[1:]
        walk(rest, pairs, total)  # `first` is not paired
        for other in rest:
            if allowed.has_edge(first, other):
                walk([p for p in rest if p != other], pairs + 1, total + score[first, other])

    walk(list(range(n)), 0, 0.0)
    return best


@settings(max_examples=40, deadline=None)
@given(
    drawn=st.lists(cells, min_size=4, max_size=9),
    seed=st.integers(0, 10_000),
    max_gap=st.sampled_from([3.0, 6.0]),
    solver=st.sampled_from(["greedy-swap", "exact"]),
)
def test_the_quality_figure_is_measured_against_the_exact_optimum_under_the_rules(
    drawn, seed, max_gap, solver
):
    people = people_from(drawn, seed)
    n = len(people)
    allowed = allowed_graph(people, WINTER, max_gap, require=True)
    # Everyone can be placed in an allowed pair (the odd one aside).
    assume(2 * len(nx.max_weight_matching(allowed, maxcardinality=True)) == n - n % 2)
    model = model_of(roster_of(people), WINTER, max_gap, "require")
    pairing = match(model, [p.key for p in people], seed=seed, solver=solver)
    quality = assess(model, pairing)
    pairs, best = best_allowed_total(model, allowed)
    assert pairs == n // 2
    assert quality.reference == "exact"
    assert quality.value == pytest.approx(best)
    assert pairing.objective <= best + 1e-9


def lonely_roster() -> list[Person]:
    rng = random.Random(5)
    zones = ["Europe/London", "Europe/Berlin", "Europe/London", "Asia/Tokyo"]
    return [person(i, z, ["English"], rng) for i, z in enumerate(zones)]


def test_with_someone_nobody_may_meet_the_exact_solver_measures_against_the_allowed_optimum():
    people = lonely_roster()
    model = model_of(roster_of(people), WINTER, 3.0, "require")
    pairing = match(model, [p.key for p in people], solver="exact")
    assert [u.index for u in pairing.unmatched] == [3]
    pairs, best = best_allowed_total(model, allowed_graph(people, WINTER, 3.0, require=True))
    quality = assess(model, pairing)
    assert (pairs, quality.reference) == (1, "exact")
    assert quality.value == pytest.approx(best)
    assert quality.percent == pytest.approx(100.0)


def test_with_someone_nobody_may_meet_a_greedy_pairing_is_measured_against_the_allowed_optimum():
    people = lonely_roster()
    model = model_of(roster_of(people), WINTER, 3.0, "require")
    pairing = match(model, [p.key for p in people], solver="greedy-swap")
    assert [u.index for u in pairing.unmatched] == [3]
    _, best = best_allowed_total(model, allowed_graph(people, WINTER, 3.0, require=True))
    quality = assess(model, pairing)
    assert quality.reference == "exact"
    assert quality.value == pytest.approx(best)
    assert quality.percent == pytest.approx(100.0)


# Unknown zones and languages


def test_people_with_an_unknown_zone_or_no_languages_are_never_blocked():
    rng = random.Random(11)
    known = [person(i, z, [LANGUAGES[i % 5]], rng) for i, z in enumerate(CLOCKS)]
    unknown_zone = person(20, "", ["Klingon"], rng)
    no_languages = person(21, "Pacific/Kiritimati", [], rng)  # UTC+14: far from everyone
    nothing_known = person(22, "", [], rng)
    people = [*known, unknown_zone, no_languages, nothing_known]
    model = model_of(roster_of(people), WINTER, 0.0, "require")
    n = len(people)
    everyone = np.arange(n)
    # Klingon is nobody else's language, but Kiritimati is too far from every known clock.
    for who, blocked_by_the_other_rule in ((n - 3, "no language"), (n - 2, "hours apart")):
        row = model.is_blocked(np.full(n, who), everyone)
        assert row[who + 1 :].tolist() == [False] * (n - who - 1)  # the other unknowns
        assert any(blocked_by_the_other_rule in model.rule_reason(who, i) for i in range(9))
    row = model.is_blocked(np.full(n, n - 1), everyone)
    assert not row.any()
    assert all(model.rule_reason(n - 1, i) == "" for i in range(n - 1))
    assert (model.block(np.array([n - 1]))[0, : n - 1] > -BLOCKED_PENALTY / 2).all()
    # The known people do block each other, so the checks above could fail.
    assert model.is_blocked(np.array([0]), np.array([4]))[0]  # London, Tokyo


# Consistency of the model


@settings(max_examples=60, deadline=None)
@given(
    drawn=st.lists(cells, min_size=2, max_size=12),
    seed=st.integers(0, 10_000),
    max_gap=st.sampled_from([None, 0.0, 4.5, 6.0]),
    language=st.sampled_from(["require", "prefer", "ignore"]),
    same_site=st.sampled_from([-1.0, 0.0, 0.75]),
    listed=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=6),
)
def test_block_agrees_with_pair_scores_and_parts_with_every_rule_on(
    drawn, seed, max_gap, language, same_site, listed
):
    people = people_from(drawn, seed)
    n = len(people)
    roster = roster_of(people, EVERYTHING)
    model = model_of(roster, WINTER, max_gap, language, Weights(same_site=same_site))
    reasons = {(x, y): "on the avoid list" for x, y in listed if x < n and y < n and x != y}
    if reasons:
        model = model.with_blocked(reasons)
    a, b = (m.ravel() for m in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    dense = model.dense()
    assert np.array_equal(dense.ravel(), model.pair_scores(a, b))
    assert np.array_equal(dense, dense.T)
    rows = np.array(sorted({int(a[0]), n - 1, n // 2}), dtype=np.int64)
    assert np.array_equal(model.block(rows), dense[rows])
    for x, y in combinations(range(n), 2):
        forbidden = (min(x, y), max(x, y)) in {(min(p), max(p)) for p in reasons} or not may_meet(
            people[x], people[y], WINTER, max_gap, language == "require"
        )
        # A pair two rules forbid pays the penalty once.
        assert (dense[x, y] < -BLOCKED_PENALTY / 2) == forbidden
        assert dense[x, y] > -1.5 * BLOCKED_PENALTY
        assert bool(model.rule_reason(x, y)) == forbidden
        assert sum(model.parts(x, y).values()) == pytest.approx(dense[x, y])
        same = people[x].site and people[x].site == people[y].site
        assert model.parts(x, y)["same site"] == (same_site if same else 0.0)


def test_permuted_carries_the_rules_with_the_rows():
    rng = random.Random(4)
    people = [
        person(i, ZONES[(3 * i) % len(ZONES)], [LANGUAGES[i % 4]], rng, SITES[i % 4])
        for i in range(12)
    ]
    model = model_of(roster_of(people, EVERYTHING), SUMMER, 4.5, "require", Weights(same_site=2))
    order = np.array([7, 2, 11, 0, 5, 9, 3], dtype=np.int64)
    moved = model.permuted(order)
    assert moved.has_meeting_rules
    assert np.array_equal(moved.dense(), model.dense()[np.ix_(order, order)])
    forbidden = 0
    for i, j in combinations(range(len(order)), 2):
        x, y = int(order[i]), int(order[j])
        assert moved.rule_reason(i, j) == model.rule_reason(x, y)
        assert moved.is_blocked(np.array([i]), np.array([j]))[0] == (
            not may_meet(people[x], people[y], SUMMER, 4.5, True)
        )
        forbidden += bool(moved.rule_reason(i, j))
    assert forbidden > 0  # the sample holds forbidden pairs, so the check above could fail
    assert "hours apart on 2027-07-15" in " ".join(
        moved.rule_reason(i, j) for i, j in combinations(range(len(order)), 2)
    )


# Pins


def test_a_pin_across_a_forbidden_gap_is_an_error():
    rng = random.Random(8)
    zones = ["Europe/London", "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"]
    people = [person(i, z, ["English"], rng) for i, z in enumerate(zones)]
    keys = [p.key for p in people]
    model = model_of(roster_of(people), WINTER, 6.0, "require")
    with pytest.raises(RosterError) as caught:
        check_pins(
            [((0, 2), "pins.csv row 1"), ((1, 3), "pins.csv row 2")], model.rule_reason, keys
        )
    message = str(caught.value)
    assert message.startswith("pins.csv row 2: the pin 'K01' + 'K03' contradicts a rule: ")
    assert "America/Los_Angeles and Asia/Tokyo are 7 hours apart on 2027-01-15" in message
    # Within the gap, the same pins stand.
    assert check_pins([((0, 2), "row 1")], model.rule_reason, keys) == [(0, 2)]
    relaxed = model_of(roster_of(people), WINTER, None, "require")
    assert check_pins([((1, 3), "row 2")], relaxed.rule_reason, keys) == [(1, 3)]


def round_request(roster: Path, pins: Path, **rules: object) -> RoundRequest:
    return RoundRequest(
        roster=str(roster),
        sheet=None,
        mapping=[],
        seed=0,
        odd="trio",
        solver="greedy-swap",
        avoid=[],
        pin=[str(pins)],
        history=[],
        chain_depth=0,
        history_rounds=0,
        **rules,  # type: ignore[arg-type]
    )


def test_the_round_refuses_a_pin_across_the_gap_on_the_round_date(tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Employee ID,Name,Specialty,Skills,Time zone,Languages\n"
        "1,Ana,Eng,Python,Europe/London,English\n"
        "2,Bo,Sales,SQL,America/New_York,English\n"
        "3,Cy,Eng,Budgeting,Europe/London,English\n"
        "4,Di,Ops,Go,America/New_York,Japanese\n",
        encoding="utf-8",
    )
    pins = tmp_path / "pins.csv"
    pins.write_text("1,2\n", encoding="utf-8")
    # Five hours apart in January, four in late March.
    request = round_request(roster, pins, max_gap=4.0, round_date=WINTER)
    with pytest.raises(RosterError, match=r"contradicts a rule: .*5 hours apart on 2027-01-15"):
        prepare_round(request, Settings(), WINTER)
    spring = round_request(roster, pins, max_gap=4.0, round_date=dt.date(2027, 3, 20))
    assert prepare_round(spring, Settings(), WINTER).pins == [(0, 1)]
    # A pin without a shared language, with --language require.
    pins.write_text("3,4\n", encoding="utf-8")
    with pytest.raises(RosterError, match="no language in common"):
        prepare_round(round_request(roster, pins, language="require"), Settings(), WINTER)
    assert prepare_round(round_request(roster, pins), Settings(), WINTER).pins == [(2, 3)]


# Warnings


def warned(people: Sequence[Person], mapping: ColumnMapping, **rules: object) -> list[str]:
    same_site = float(rules.pop("same_site", 0.0))  # type: ignore[arg-type]
    return meeting_warnings(
        roster_of(people, mapping),
        MeetingRules(WINTER, **rules),
        same_site,  # type: ignore[arg-type]
    )


def some_people(zones: Sequence[str], spoken: Sequence[Sequence[str]]) -> list[Person]:
    rng = random.Random(9)
    return [person(i, z, s, rng) for i, (z, s) in enumerate(zip(zones, spoken, strict=True))]


def test_a_gap_without_a_zone_column_is_said_in_one_line():
    people = some_people(["", ""], [["English"], ["English"]])
    lines = warned(people, ColumnMapping(fields={"languages": "Languages"}), max_gap=6.0)
    assert lines == [
        "the time-zone rule (at most 6 hours apart) does not apply: the roster has no time "
        "zone or location column (name one with --map timezone=COLUMN)"
    ]


def test_require_without_a_languages_column_is_said_in_one_line():
    people = some_people(["Europe/London", "Asia/Tokyo"], [[], []])
    lines = warned(people, ColumnMapping(fields={"timezone": "TZ"}), language="require")
    assert lines == [
        "--language require does not apply: the roster has no languages column (name one "
        "with --map languages=COLUMN)"
    ]


def test_people_with_unknown_zones_are_listed_under_the_gap():
    zones = ["Europe/London", "", "Asia/Tokyo", ""]
    people = some_people(zones, [["English"]] * 4)
    (line,) = warned(people, BOTH, max_gap=6.0)
    assert line == (
        "the time-zone rule: 2 people have no known time zone, so may be paired across any "
        "gap: K01, K03"
    )
    many = some_people([""] * 11 + ["Asia/Tokyo"], [["English"]] * 12)
    (line,) = warned(many, BOTH, max_gap=6.0)
    assert line.startswith("the time-zone rule: 11 people have no known time zone")
    assert line.endswith(": K00, K01, K02, K03, K04, K05, K06, K07 and 3 more")
    # Nobody's zone known: the rule applies to nobody, said so, without listing everyone.
    nobody = some_people([""] * 3, [["English"]] * 3)
    assert warned(nobody, BOTH, max_gap=6.0) == [
        "the time-zone rule (at most 6 hours apart) does not apply: no one's time zone is known"
    ]
    one = some_people(["", "Asia/Tokyo"], [["English"]] * 2)
    assert warned(one, BOTH, max_gap=6.0) == [
        "the time-zone rule: 1 person has no known time zone, so may be paired across any gap: K00"
    ]


def test_people_without_languages_are_listed_unless_languages_are_ignored():
    people = some_people(["Europe/London"] * 3, [["English"], [], ["Hindi"]])
    expected = [
        "the language rule: 1 person has no languages listed, so may be paired with anyone: K01"
    ]
    assert warned(people, BOTH, language="require") == expected
    assert warned(people, BOTH) == expected  # prefer, by default with a languages column
    assert warned(people, BOTH, language="ignore") == []


def test_nothing_to_say_when_every_rule_applies_to_everyone():
    people = some_people(["Europe/London", "Asia/Tokyo"], [["English"], ["Japanese"]])
    assert warned(people, BOTH, max_gap=6.0, language="require") == []
    assert warned(people, BOTH) == []


def test_a_same_site_weight_without_a_location_column_is_said_in_one_line():
    people = some_people(["Europe/London", "Asia/Tokyo"], [["English"], ["Japanese"]])
    assert warned(people, BOTH, same_site=-1.0) == [
        "weights.same_site = -1 does not apply: the roster has no location column (name one "
        "with --map site=COLUMN)"
    ]
    assert warned(people, EVERYTHING, same_site=-1.0) == []
