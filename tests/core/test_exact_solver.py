"""The exact solver is exact: brute force on tiny rosters, networkx's blossom on larger ones.

Both solvers maximise the total of the pairs plus, on an odd roster with a rotation cost, the
cost of whoever ends up the odd one (taken off). The brute force enumerates every pairing of
everyone (one person left over when the count is odd); the blossom over allowed pairs that
the repair uses is checked the same way, over every matching of the allowed pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.core import exact_graph, matching
from pairctl.core.bound import Violations
from pairctl.core.exact_graph import proven_pairs
from pairctl.core.matching import _allowed_matching, _blossom_weights, exact, match
from pairctl.core.scoring import ScoreModel, score_roster
from tests.core.rosters import make_roster, perfect_pairings

SPECIALTIES = ["Eng", "Sales", "Design"]


def objective(model: ScoreModel, pairs: list[tuple[int, int]]) -> float:
    """The total both solvers maximise: the pairs' scores, less the odd one's rotation cost."""
    a = np.array([x for x, _ in pairs], dtype=np.int64)
    b = np.array([y for _, y in pairs], dtype=np.int64)
    total = float(model.pair_scores(a, b).sum()) if pairs else 0.0
    placed = {p for pair in pairs for p in pair}
    left = [p for p in range(model.size) if p not in placed]
    if left and model.odd_cost is not None:
        total -= float(model.odd_cost[left[0]])
    return total


def exact_objective(model: ScoreModel) -> tuple[float, list[tuple[int, int]]]:
    """exact()'s total and its real pairs, checked to be a pairing of everyone (but one)."""
    mate = exact(model)
    n = model.size
    assert len(mate) == n + n % 2
    assert np.array_equal(mate[mate], np.arange(len(mate)))  # partners are mutual
    assert not np.any(mate == np.arange(len(mate)))
    pairs = [(x, int(mate[x])) for x in range(n) if x < mate[x] < n]
    assert len(pairs) == n // 2
    return objective(model, pairs), pairs


@st.composite
def small_models(draw: st.DrawFn) -> ScoreModel:
    """2-10 people, some pairs forbidden, some made before, and on an odd roster earlier
    rounds in which some were the odd one."""
    n = draw(st.integers(2, 10))
    roster = make_roster(n, SPECIALTIES[: draw(st.integers(1, 3))], draw(st.integers(0, 999)))
    model = score_roster(roster)
    every_pair = [(a, b) for a in range(n) for b in range(a + 1, n)]
    blocked = draw(st.lists(st.sampled_from(every_pair), unique=True, max_size=len(every_pair)))
    if blocked:
        model = model.with_blocked({pair: "a rule" for pair in blocked})
    repeats = draw(st.lists(st.sampled_from(every_pair), unique=True, max_size=n))
    if repeats:
        model = model.with_repeats(np.array(repeats, dtype=np.int64))
    if n % 2:
        counts = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
        model = model.with_odd_rounds(np.array(counts, dtype=np.float64))
    return model


@settings(max_examples=100, deadline=None)
@given(small_models())
def test_exact_equals_brute_force_on_tiny_rosters(model):
    best = max(objective(model, pairs) for pairs in perfect_pairings(list(range(model.size))))
    found, _ = exact_objective(model)
    assert found == pytest.approx(best, abs=1e-6)


def test_an_odd_one_with_a_rotation_cost_is_the_cheapest_to_leave_out():
    # Five people who score alike with everyone: the odd one out is decided by the rotation
    # cost alone, so it must be the one never left out before.
    roster = make_roster(5, ["Eng"], seed=3)
    alike = dict(skills=("a",), wants=("a",), experience=5.0, department="X")
    same = replace(roster, people=tuple(replace(p, **alike) for p in roster.people))
    model = score_roster(same).with_odd_rounds(np.array([1, 2, 0, 3, 1], dtype=np.float64))
    _, pairs = exact_objective(model)
    assert {p for pair in pairs for p in pair} == {0, 1, 3, 4}


def all_matchings(people: list[int], ok: set[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Every set of disjoint allowed pairs among `people` (sorted)."""
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    yield from all_matchings(rest, ok)  # first stays unpaired
    for k, partner in enumerate(rest):
        if (first, partner) in ok:
            for others in all_matchings(rest[:k] + rest[k + 1 :], ok):
                yield [(first, partner), *others]


@settings(max_examples=100, deadline=None)
@given(small_models(), st.integers(0, 2**32 - 1))
def test_the_repair_blossom_places_most_then_prefers_then_scores_best(model, seed):
    # Over allowed pairs only: as many pairs as possible, then as many preferred ones, then
    # the best total (scores are kept to 1e-4, as the integer weights are).
    n = model.size
    rng = np.random.default_rng(seed)
    people = sorted(rng.choice(n, size=rng.integers(2, n + 1), replace=False).tolist())
    liked = {(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.5}

    def prefer(a, b):
        return np.array(
            [(x, y) in liked or (y, x) in liked for x, y in zip(a, b, strict=True)], dtype=bool
        )

    ok = {
        (a, b)
        for a in people
        for b in people
        if a < b and not model.is_blocked(np.array([a]), np.array([b]))[0]
    }

    def rank(pairs):
        total = sum(float(model.pair_scores(np.array([a]), np.array([b]))[0]) for a, b in pairs)
        return (len(pairs), sum((a, b) in liked for a, b in pairs), round(total, 6))

    best = max(rank(m) for m in all_matchings(people, ok))
    found = _allowed_matching(model, people, prefer=prefer)
    assert all(a < b and (a, b) in ok for a, b in found)
    assert len({p for pair in found for p in pair}) == 2 * len(found)
    assert rank([(a, b) for a, b in found]) == best


def networkx_optimum(model: ScoreModel) -> float:
    """The optimum by networkx's blossom on the same integer weights (what exact() used)."""
    n = model.size
    i, j = np.triu_indices(n, k=1)
    s = model.dense()[i, j]
    stand_in = model.odd_cost is not None and n % 2
    if stand_in:
        s = np.concatenate([s, -model.odd_cost])
        i = np.concatenate([i, np.arange(n)])
        j = np.concatenate([j, np.full(n, n)])
    graph = nx.Graph()
    graph.add_nodes_from(range(n + int(stand_in)))
    graph.add_weighted_edges_from(
        zip(i.tolist(), j.tolist(), _blossom_weights(s).tolist(), strict=True)
    )
    pairs = [tuple(sorted(p)) for p in nx.max_weight_matching(graph, maxcardinality=True)]
    return objective(model, [(a, b) for a, b in pairs if b < n])


def larger_model(n: int, seed: int) -> ScoreModel:
    rng = np.random.default_rng(seed)
    model = score_roster(make_roster(n, [*SPECIALTIES, "Legal"], seed))
    pairs = rng.choice(n, size=(n // 4, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    model = model.with_blocked({(int(a), int(b)): "a rule" for a, b in pairs[: n // 8]})
    model = model.with_repeats(pairs[n // 8 :])
    if n % 2:
        model = model.with_odd_rounds(rng.integers(0, 3, size=n).astype(np.float64))
    return model


@pytest.mark.parametrize(("n", "seed"), [(200, 1), (151, 2)])
def test_exact_equals_networkx_on_a_few_hundred_people(n, seed):
    model = larger_model(n, seed)
    found, _ = exact_objective(model)
    assert found == pytest.approx(networkx_optimum(model), abs=1e-6)


@pytest.mark.slow
def test_exact_equals_networkx_on_three_hundred_and_one_people():
    model = larger_model(301, 3)
    found, _ = exact_objective(model)
    assert found == pytest.approx(networkx_optimum(model), abs=1e-6)


def test_exact_gives_the_same_pairs_every_run_even_when_all_pairs_tie():
    # Twelve identical people: every pairing is optimal, the tie is broken the same way.
    roster = make_roster(12, ["Eng"], seed=0)
    alike = dict(skills=("a",), wants=("a",), experience=5.0, department="X")
    twins = replace(roster, people=tuple(replace(p, **alike) for p in roster.people))
    model = score_roster(twins)
    first = exact(model)
    for _ in range(3):
        assert np.array_equal(exact(model), first)
    keys = [p.key for p in twins.people]
    runs = {match(model, keys, seed=7, solver="exact").groups for _ in range(3)}
    assert len(runs) == 1


def test_exact_pairs_do_not_depend_on_row_order():
    model = larger_model(41, 5)
    roster_keys = [f"K{i:03d}" for i in range(41)]
    pairing = match(model, roster_keys, seed=4, solver="exact")
    order = np.random.default_rng(0).permutation(41)
    shuffled = match(model.permuted(order), [roster_keys[i] for i in order], seed=4, solver="exact")
    by_key = {frozenset(roster_keys[m] for m in g.members) for g in pairing.groups}
    again = {frozenset(roster_keys[order[m]] for m in g.members) for g in shuffled.groups}
    assert by_key == again
    assert shuffled.objective == pytest.approx(pairing.objective)


# Above the dense limit: the blossom over the candidate graph, proven best for every pair


def proven_objective(model: ScoreModel) -> float:
    """The total of exact_graph.proven_pairs' pairing, checked to be a pairing of everyone."""
    found = proven_pairs(model)
    assert found is not None
    n = model.size
    placed = [p for pair in found for p in pair]
    assert sorted(placed) == list(range(n + n % 2))
    return objective(model, [(a, b) for a, b in found if b < n])


@settings(max_examples=60, deadline=None)
@given(small_models())
def test_the_proven_pairing_equals_brute_force_on_tiny_rosters(model):
    best = max(objective(model, pairs) for pairs in perfect_pairings(list(range(model.size))))
    assert proven_objective(model) == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize(
    ("n", "seed", "needs_gap_pairs"), [(200, 1, True), (151, 2, True), (171, 6, False)]
)
def test_the_proven_pairing_equals_networkx_on_a_few_hundred_people(
    n, seed, needs_gap_pairs, monkeypatch
):
    # Either the candidate graph's best is proven at once, or the pairs that could still
    # beat it (every pair of small enough reduced cost) are added first: both are seen here.
    model = larger_model(n, seed)
    asked: list[object] = []
    check = Violations.__call__

    def spy(self, y, keep=8):
        asked.append(keep)
        return check(self, y, keep)

    monkeypatch.setattr(Violations, "__call__", spy)
    assert proven_objective(model) == pytest.approx(networkx_optimum(model), abs=1e-6)
    assert asked[0] == 8  # the candidate graph's duals were checked against every pair
    assert (None in asked) == needs_gap_pairs


def test_exact_above_the_dense_limit_takes_the_proven_pairing(monkeypatch):
    model = larger_model(160, 4)
    monkeypatch.setattr(matching, "DENSE_EXACT_LIMIT", 10)
    found, _ = exact_objective(model)
    assert found == pytest.approx(networkx_optimum(model), abs=1e-6)


def test_when_no_proof_can_be_had_exact_solves_over_every_pair(monkeypatch):
    model = larger_model(150, 7)
    monkeypatch.setattr(matching, "DENSE_EXACT_LIMIT", 10)
    monkeypatch.setattr(exact_graph, "GAP_PAIRS_LIMIT", -1)
    monkeypatch.setattr(exact_graph, "_ROUNDS", 0)
    assert exact_graph.proven_pairs(model) is None
    found, _ = exact_objective(model)
    assert found == pytest.approx(networkx_optimum(model), abs=1e-6)
    monkeypatch.setattr(matching, "EXACT_LIMIT_ALL_PAIRS", 100)
    with pytest.raises(matching.TooLargeForExact, match="could not prove"):
        exact(model)
