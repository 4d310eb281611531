"""`--two-way require`: a pair in which someone teaches nothing only when no pairing avoids it,
exactly as few of them as the roster forces, and the quality figure, warnings and explanations
that follow from it."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pairctl.core.attention import count_one_way, count_same_specialty, round_warnings
from pairctl.core.explain import explain
from pairctl.core.matching import fewest_one_way_pairs, match
from pairctl.core.model import Pairing, Person, Roster
from pairctl.core.quality import EXACT_QUALITY_LIMIT, assess, assignment_bound
from pairctl.core.scoring import score_roster

from .rosters import make_roster

SOLVERS = ["greedy-swap", "exact"]


def person(key: str, specialty: str, skills: str, wants: str) -> Person:
    return Person(
        key=key,
        name=f"Person {key}",
        specialty=specialty,
        skills=tuple(skills.split(",")) if skills else (),
        wants=tuple(wants.split(",")) if wants else (),
    )


def issue_roster() -> Roster:
    """A and B teach each other three things (2.625); C teaches D one thing and learns nothing
    (0.5): 3.125 together. A-C and B-D each teach one thing both ways: 1.5 + 1.5 = 3.0.
    A-D and B-C teach nothing either way."""
    people = (
        person("A", "Eng", "a1,a2,a3,a4", "b1,b2,b3,c2"),
        person("B", "Sales", "b1,b2,b3,b4", "a1,a2,a3,d1"),
        person("C", "HR", "c1,c2", "a4"),
        person("D", "Legal", "d1", "c1,b4"),
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def forced_roster() -> Roster:
    """A and B teach each other; C and D teach nobody anything: one one-way pair is forced."""
    people = (
        person("A", "Eng", "a1", "b1"),
        person("B", "Sales", "b1", "a1"),
        person("C", "HR", "c1", "z1"),
        person("D", "Legal", "d1", "z2"),
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def chain_roster() -> Roster:
    """Ten people in a chain: neighbours teach each other one skill, nobody else teaches
    anyone anything. The only all-two-way pairing is (0,1), (2,3), ..., (8,9)."""
    people = tuple(
        person(
            f"P{i}", f"Spec {i}", f"s{i}", ",".join(f"s{j}" for j in (i - 1, i + 1) if 0 <= j < 10)
        )
        for i in range(10)
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def keyed(roster: Roster, pairing: Pairing) -> set[frozenset[str]]:
    return {frozenset(roster.people[i].key for i in g.members) for g in pairing.groups}


def keys_of(roster: Roster) -> list[str]:
    return [p.key for p in roster.people]


@pytest.mark.parametrize("solver", SOLVERS)
def test_prefer_takes_the_strong_pair_and_a_one_way_one(solver):
    roster = issue_roster()
    pairing = match(score_roster(roster), keys_of(roster), solver=solver)
    assert keyed(roster, pairing) == {frozenset("AB"), frozenset("CD")}
    assert pairing.objective == pytest.approx(3.125)


@pytest.mark.parametrize("solver", SOLVERS)
def test_require_takes_the_pairing_in_which_everyone_teaches(solver):
    roster = issue_roster()
    model = score_roster(roster, two_way=True)
    pairing = match(model, keys_of(roster), solver=solver)
    assert keyed(roster, pairing) == {frozenset("AC"), frozenset("BD")}
    assert pairing.objective == pytest.approx(3.0)
    assert model.plain().pair_scores(np.array([0, 1]), np.array([2, 3])).sum() == pytest.approx(3.0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_require_avoids_a_one_way_pair_even_when_that_repeats_the_history(solver):
    # Every chain pair was made last round: five repeats (-500) cost the penalised score more
    # than one one-way pair (-300), yet a two-way pairing exists and is the one required.
    roster = chain_roster()
    chain = np.array([[i, i + 1] for i in range(0, 10, 2)], dtype=np.int64)
    model = score_roster(roster, two_way=True).with_repeats(chain)
    pairing = match(model, keys_of(roster), solver=solver)
    assert keyed(roster, pairing) == {frozenset({f"P{i}", f"P{i + 1}"}) for i in range(0, 10, 2)}
    # The objective is recomputed from those pairs: 5 x 1.5, less 5 repeats.
    assert pairing.objective == pytest.approx(5 * 1.5 - 500)
    prefer = match(model.requiring_two_way(False), keys_of(roster), solver=solver)
    assert not any(
        {roster.people[i].key for i in g.members} in ({"P0", "P1"}, {"P2", "P3"})
        for g in prefer.groups
    )


def test_the_forced_one_way_pair_is_made_and_measured_against_the_same_rule():
    roster = forced_roster()
    model = score_roster(roster, two_way=True)
    pairing = match(model, keys_of(roster))
    assert keyed(roster, pairing) == {frozenset("AB"), frozenset("CD")}
    assert fewest_one_way_pairs(model) == 1
    quality = assess(model, pairing)
    assert quality.reference == "exact"
    # Penalised, both totals are about -298: without adding the forced pair back there
    # would be no share to give.
    assert quality.percent == pytest.approx(100.0)


def test_a_warning_counts_the_one_way_pairs_and_the_fewest_possible():
    roster = forced_roster()
    model = score_roster(roster, two_way=True)
    pairing = match(model, keys_of(roster))
    same = count_same_specialty(model, pairing, "trio")
    repeats = [False] * len(pairing.groups)
    warnings = round_warnings(roster, pairing, same, repeats, count_one_way(model, pairing))
    assert warnings == [
        "1 pair is one-way although two-way pairs are required: no pairing of the people "
        "taking part avoids it (fewest possible: 1)"
    ]
    # Without the rule, nothing to say; and the old call still works.
    plain = model.requiring_two_way(False)
    assert count_one_way(plain, pairing) is None
    assert round_warnings(roster, pairing, same, repeats) == []


def test_explain_says_a_one_way_pair_was_made_only_because_none_avoids_it():
    roster = forced_roster()
    model = score_roster(roster, two_way=True)
    pairing = match(model, keys_of(roster))
    (partner,), _ = explain(roster, model, pairing, 2, {})
    assert partner.key == "D"
    assert "found no pairing of the people taking part that avoids it" in partner.verdict
    (partner,), _ = explain(roster, model, pairing, 0, {})
    assert partner.key == "B" and partner.verdict == "chosen"
    loose = model.requiring_two_way(False)
    (partner,), _ = explain(roster, loose, match(loose, keys_of(roster)), 2, {})
    assert partner.verdict == "chosen"


def test_explain_says_why_a_better_scoring_one_way_partner_was_passed_over():
    # A and B share a specialty (-10) but teach each other; A teaches C, who teaches A
    # nothing (0.5, one-way). Required two-way, A goes with B and C with D.
    people = (
        person("A", "Eng", "a1", "b1"),
        person("B", "Eng", "b1", "a1"),
        person("C", "Sales", "c1", "a1,d1"),
        person("D", "HR", "d1", "c1"),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True)
    model = score_roster(roster, two_way=True)
    pairing = match(model, keys_of(roster))
    assert keyed(roster, pairing) == {frozenset("AB"), frozenset("CD")}
    (partner,), others = explain(roster, model, pairing, 0, {})
    assert partner.key == "B"
    c = next(o for o in others if o.key == "C")
    assert c.score > partner.score
    assert c.verdict.startswith("one-way") and "two-way pairs are required" in c.verdict
    # Without the rule the same candidate is simply the better partner.
    loose = model.requiring_two_way(False)
    assert keyed(roster, match(loose, keys_of(roster))) == {frozenset("AC"), frozenset("BD")}


# --- Property: exactly as few one-way pairs as the roster forces -------------------------

POOL = [f"skill {i}" for i in range(5)]


@st.composite
def two_way_cases(draw):
    n = draw(st.integers(4, 14))
    people = tuple(
        Person(
            key=f"K{i:02d}",
            name=f"P{i}",
            specialty=draw(st.sampled_from(["Eng", "Data", "Sales", ""])),
            skills=tuple(draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True))),
            wants=tuple(draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True))),
        )
        for i in range(n)
    )
    roster = Roster(people=people, has_skills=True, has_wants=True)
    every_pair = list(combinations(range(n), 2))
    blocked = draw(st.lists(st.sampled_from(every_pair), max_size=n, unique=True))
    model = score_roster(roster, two_way=True).with_blocked(
        {pair: "on the avoid list" for pair in blocked}
    )
    # Last round's pairs: often the two-way pairs of a pairing with the fewest one-way ones.
    # Repeats (-100 each) then can outweigh a one-way pair (-300) in the penalised score,
    # and the matcher must not give in to that.
    if draw(st.sampled_from([True, True, True, False])):
        graph = allowed_graph(roster, set(blocked))
        found = nx.max_weight_matching(graph, maxcardinality=True)
        repeats = [(x, y) for x, y in found if graph.edges[x, y]["weight"] == 2]
        if repeats:
            model = model.with_repeats(np.array(repeats, dtype=np.int64))
    return roster, model, set(blocked)


def teaches(roster: Roster, x: int, y: int) -> bool:
    return bool(set(roster.people[x].skills) & set(roster.people[y].wants))


def allowed_graph(roster: Roster, blocked: set[tuple[int, int]]) -> nx.Graph:
    """Pairs no rule forbids, weighted 2 when both teach each other, else 1."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(roster.people)))
    for x, y in combinations(range(len(roster.people)), 2):
        if (x, y) not in blocked:
            two_way = teaches(roster, x, y) and teaches(roster, y, x)
            graph.add_edge(x, y, weight=2 if two_way else 1)
    return graph


def best_possible(roster: Roster, blocked: set[tuple[int, int]]) -> tuple[int, int]:
    """(pairs placed, one-way pairs) of a largest pairing over allowed pairs with the most
    two-way pairs: networkx's blossom on weights 2 (two-way) and 1 (one-way)."""
    graph = allowed_graph(roster, blocked)
    found = nx.max_weight_matching(graph, maxcardinality=True)
    two_way_pairs = sum(graph.edges[x, y]["weight"] == 2 for x, y in found)
    return len(found), len(found) - two_way_pairs


def one_way_count(roster: Roster, groups) -> int:
    return sum(1 for (x, y) in groups if not (teaches(roster, x, y) and teaches(roster, y, x)))


def assert_valid(roster: Roster, pairing: Pairing, blocked: set[tuple[int, int]]) -> None:
    placed = [i for g in pairing.groups for i in g.members] + [u.index for u in pairing.unmatched]
    assert sorted(placed) == list(range(len(roster.people)))
    for g in pairing.groups:
        assert not any(link in blocked for link in combinations(sorted(g.members), 2))


@settings(max_examples=250, deadline=None)
@given(case=two_way_cases(), seed=st.integers(0, 2**16), solver=st.sampled_from(SOLVERS))
def test_require_makes_exactly_as_few_one_way_pairs_as_forced(case, seed, solver):
    roster, model, blocked = case
    n = len(roster.people)
    pairing = match(model, keys_of(roster), seed=seed, odd="leave-out", solver=solver)
    assert_valid(roster, pairing, blocked)
    placed, fewest = best_possible(roster, blocked)
    assert all(len(g.members) == 2 for g in pairing.groups)
    # As many people placed as any pairing over allowed pairs could place, as before.
    assert len(pairing.groups) == placed
    assert len(pairing.unmatched) == n - 2 * placed
    assert one_way_count(roster, [g.members for g in pairing.groups]) == fewest
    assert fewest_one_way_pairs(model) == fewest


@settings(max_examples=60, deadline=None)
@given(case=two_way_cases(), seed=st.integers(0, 2**16), solver=st.sampled_from(SOLVERS))
def test_with_a_trio_the_groups_are_as_few_one_way_as_forced(case, seed, solver):
    roster, model, blocked = case
    n = len(roster.people)
    assume(n % 2 == 1 and n <= 11)
    pairing = match(model, keys_of(roster), seed=seed, odd="trio", solver=solver)
    assert_valid(roster, pairing, blocked)
    placed, _ = best_possible(roster, blocked)
    assert sum(len(g.members) for g in pairing.groups) >= 2 * placed
    fewest = fewest_one_way_groups(roster, set(blocked))
    if fewest is not None and not pairing.unmatched:
        made = sum(not group_two_way(roster, g.members) for g in pairing.groups)
        assert made == fewest


def group_two_way(roster: Roster, members) -> bool:
    """Everyone teaches someone in the group and learns from someone in it."""
    return all(
        any(teaches(roster, m, o) for o in members if o != m)
        and any(teaches(roster, o, m) for o in members if o != m)
        for m in members
    )


def fewest_one_way_groups(roster: Roster, blocked: set[tuple[int, int]]) -> int | None:
    """By brute force over every allowed trio, the rest paired by networkx's blossom with the
    most two-way pairs: the fewest one-way groups of a grouping placing everyone (None when
    none does)."""
    n = len(roster.people)
    graph = allowed_graph(roster, blocked)
    best = None
    for trio in combinations(range(n), 3):
        if any(link in blocked for link in combinations(trio, 2)):
            continue
        rest = graph.subgraph([p for p in range(n) if p not in trio])
        found = nx.max_weight_matching(rest, maxcardinality=True)
        if 2 * len(found) != n - 3:
            continue
        one_way = sum(graph.edges[x, y]["weight"] == 1 for x, y in found)
        count = one_way + (not group_two_way(roster, trio))
        best = count if best is None else min(best, count)
    return best


def test_above_the_exact_limit_require_is_measured_against_the_plain_bound():
    # Above the exact limit, 30 of them wanting to learn nothing: 30 one-way pairs are forced.
    # The figure compares plain totals with the plain assignment bound, which no pairing
    # exceeds. (Adding the penalty back to a penalised bound instead is sound but can be
    # far too loose: 9% on the Stack Overflow survey roster, against 98.8% now.)
    base = make_roster(EXACT_QUALITY_LIMIT + 80, ["Eng", "Data", "Sales", "Legal", "Ops"], seed=4)
    people = tuple(replace(p, wants=()) if i < 30 else p for i, p in enumerate(base.people))
    roster = replace(base, people=people)
    keys = keys_of(roster)
    required = score_roster(roster, two_way=True)
    prefer = score_roster(roster)
    with_rule = assess(required, match(required, keys, seed=1))
    without = assess(prefer, match(prefer, keys, seed=1))
    assert with_rule.reference == without.reference == "bound"
    assert with_rule.value == pytest.approx(assignment_bound(prefer))
    assert with_rule.percent is not None and without.percent is not None
    assert 95.0 < with_rule.percent <= 100.0
    assert abs(with_rule.percent - without.percent) < 2.0
