"""A person nobody may pair with is left out alone: the dead end must not spread to others."""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.core.matching import _REPAIR_ALL, _REPAIR_REACH, _pair_again, match
from pairctl.core.model import Person, Roster
from pairctl.core.rules import reporting_line_pairs
from pairctl.core.scoring import score_roster

from .placement import assert_placed_as_many_as_allowed


def tree(managers: dict[str, str]) -> tuple[Person, ...]:
    """People keyed as given, each with their manager's key ('' for none)."""
    return tuple(
        Person(
            key=key,
            name=key,
            specialty=f"S{i % 3}",
            skills=(f"s{i % 4}",),
            wants=(f"s{(i + 1) % 4}",),
            manager=boss,
        )
        for i, (key, boss) in enumerate(managers.items())
    )


def run(people: tuple[Person, ...], depth: int, **options: object):
    reasons = reporting_line_pairs(people, depth)
    model = score_roster(Roster(people=people, has_skills=True, has_wants=True))
    if reasons:
        model = model.with_blocked(reasons)
    return reasons, match(model, [p.key for p in people], **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("solver", ["greedy-swap", "exact"])
@pytest.mark.parametrize("seed", range(6))
def test_only_the_top_of_a_small_tree_is_left_out(solver, seed):
    # V1 manages C1, C2, C3: with chain depth 1 nobody may pair with V1; the reports may pair
    # among themselves (a trio, four people being even but V1 out).
    people = tree({"V1": "", "C1": "V1", "C2": "V1", "C3": "V1"})
    _, pairing = run(people, 1, seed=seed, solver=solver)
    assert [people[u.index].key for u in pairing.unmatched] == ["V1"]
    (reason,) = [u.reason for u in pairing.unmatched]
    assert reason.startswith("no allowed partner left (")
    for who in ("C1", "C2", "C3"):
        assert f"V1 is {who}'s direct manager" in reason
    assert [sorted(people[i].key for i in g.members) for g in pairing.groups] == [
        ["C1", "C2", "C3"]
    ]


@pytest.mark.parametrize("solver", ["greedy-swap", "exact"])
@pytest.mark.parametrize("seed", range(6))
def test_a_skip_level_top_is_left_out_alone_under_leave_out(solver, seed):
    # Depth 2: V1 may pair with nobody (reports and their reports); C1, C2 and their reports
    # D1, D2 still have allowed partners, and an odd count among them does not arise.
    people = tree({"V1": "", "C1": "V1", "C2": "V1", "D1": "C1", "D2": "C2"})
    reasons, pairing = run(people, 2, seed=seed, solver=solver, odd="leave-out")
    assert [people[u.index].key for u in pairing.unmatched] == ["V1"]
    assert pairing.unmatched[0].reason.startswith("no allowed partner left (")
    for group in pairing.groups:
        for x, y in combinations(group.members, 2):
            assert (min(x, y), max(x, y)) not in reasons


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(2, 14),
    seed=st.integers(0, 10_000),
    depth=st.integers(1, 2),
    odd=st.sampled_from(["trio", "leave-out"]),
    solver=st.sampled_from(["greedy-swap", "exact"]),
    bushy=st.floats(0.0, 1.0),
)
def test_nobody_who_could_be_paired_is_left_out(n, seed, depth, odd, solver, bushy):
    rng = random.Random(seed)
    # Random manager trees: each person reports to an earlier one, often to a few bosses.
    managers = {}
    for i in range(n):
        has_boss = i > 0 and rng.random() < 0.9
        boss = rng.randrange(max(1, int(i * (1 - bushy)) or 1)) if has_boss else None
        managers[f"P{i:02d}"] = "" if boss is None else f"P{boss:02d}"
    people = tree(managers)
    reasons, pairing = run(people, depth, seed=seed, solver=solver, odd=odd)
    allowed = nx.Graph()
    allowed.add_nodes_from(range(n))
    allowed.add_edges_from((x, y) for x, y in combinations(range(n), 2) if (x, y) not in reasons)
    assert_placed_as_many_as_allowed(pairing, allowed, n, odd)


def test_on_a_large_roster_a_forced_pair_is_repaired_from_the_pairs_nearby():
    # Above the size where the whole roster is re-matched, the two people of an undone
    # forbidden pair still find partners among the pairs around them.
    n = 2 * _REPAIR_ALL + 10
    people = tree({f"P{i:03d}": "P000" if i == 1 else "" for i in range(n)})
    model = score_roster(Roster(people=people, has_skills=True, has_wants=True))
    model = model.with_blocked(reporting_line_pairs(people, 1))
    pairs = [[i, i + 1] for i in range(2, n, 2)]  # as a solver would leave it, 0-1 undone
    repaired, loose = _pair_again(model, pairs, [0, 1])
    assert loose == []
    assert sorted(x for p in repaired for x in p) == list(range(n))
    assert all(sorted(p) != [0, 1] for p in repaired)
    assert sum(p not in pairs for p in repaired) <= 2 + 2 * _REPAIR_REACH
