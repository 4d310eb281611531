"""The matching engine against the truth: brute force on tiny rosters, the exact solver and
the assignment bound on small ones, and the large-roster paths on small rosters."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pairctl.core.candidates as candidates
import pairctl.core.matching as matching
from pairctl.core.candidates import sampled_candidates
from pairctl.core.matching import TooLargeForExact, exact, match
from pairctl.core.model import Roster
from pairctl.core.quality import assess, assignment_bound
from pairctl.core.scoring import score_roster
from pairctl.errors import ExitCode

from .rosters import make_roster

SPECIALTIES = ["Eng", "Data", "Sales", "HR", "Legal", "Ops"]


def roster(n: int, seed: int) -> Roster:
    rng = random.Random(seed)
    return make_roster(n, [rng.choice(SPECIALTIES) for _ in range(n)], seed)


def keys_of(n: int) -> list[str]:
    return [f"K{i:03d}" for i in range(n)]


def perfect_matchings(people: list[int]):
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for i, other in enumerate(rest):
        for tail in perfect_matchings(rest[:i] + rest[i + 1 :]):
            yield [(first, other), *tail]


def total(model, mate: np.ndarray) -> float:
    n = model.size
    firsts = np.flatnonzero((np.arange(len(mate)) < mate) & (mate < n))
    return float(model.pair_scores(firsts, mate[firsts]).sum())


@settings(max_examples=25, deadline=None)
@given(n=st.sampled_from([2, 4, 6, 8]), seed=st.integers(0, 10_000))
def test_exact_solver_finds_the_brute_force_optimum(n, seed):
    model = score_roster(roster(n, seed))
    dense = model.dense()
    best = max(sum(dense[a, b] for a, b in m) for m in perfect_matchings(list(range(n))))
    assert total(model, exact(model)) == pytest.approx(best, abs=1e-3)
    assert assignment_bound(model) >= best - 1e-9


@settings(max_examples=15, deadline=None)
@given(n=st.integers(10, 60), seed=st.integers(0, 10_000))
def test_default_never_beats_exact_and_bound_never_undercuts_it(n, seed):
    model = score_roster(roster(n, seed))
    keys = keys_of(n)
    best = total(model, exact(model))
    ours = match(model, keys, seed=seed, odd="leave-out").objective
    assert ours <= best + 1e-6
    assert assignment_bound(model) >= best - 1e-6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_default_is_within_one_percent_of_the_optimum(seed):
    model = score_roster(roster(120, seed))
    keys = keys_of(120)
    best = total(model, exact(model))
    assert match(model, keys, seed=seed).objective >= 0.99 * best


def test_quality_figure_names_its_reference():
    model = score_roster(roster(40, 5))
    keys = keys_of(40)
    default = match(model, keys)
    quality = assess(model, default)
    assert quality.reference == "exact"
    assert quality.percent is not None and 95.0 <= quality.percent <= 100.0 + 1e-9
    solved = match(model, keys, solver="exact")
    assert assess(model, solved).percent == pytest.approx(100.0)
    assert solved.objective >= default.objective - 1e-9


def test_exact_refuses_rosters_above_its_limit(monkeypatch):
    monkeypatch.setattr(matching, "EXACT_LIMIT", 10)
    model = score_roster(roster(12, 1))
    with pytest.raises(TooLargeForExact, match="at most 10 people") as caught:
        match(model, keys_of(12), solver="exact")
    assert caught.value.exit_code == ExitCode.USAGE


@pytest.fixture(scope="module")
def optimum_of_301() -> float:
    """The exact optimum total of `roster(301, 9)`: seconds of blossom, so computed once for
    every test that judges the large-roster paths against it."""
    model = score_roster(roster(301, 9))
    return total(model, exact(model))


@pytest.mark.slow  # the exact optimum of 301 people
@pytest.mark.parametrize("odd", ["trio", "leave-out"])
def test_large_roster_paths_place_everyone_once(monkeypatch, odd, optimum_of_301):
    # Force the sampled candidates and the greedy seed, which normally start at thousands.
    monkeypatch.setattr(candidates, "DENSE_CANDIDATES_LIMIT", 0)
    monkeypatch.setattr(matching, "RELAXATION_LIMIT", 0)
    model = score_roster(roster(301, 9))
    keys = keys_of(301)
    pairing = match(model, keys, seed=4, odd=odd)
    placed = [i for g in pairing.groups for i in g.members] + [u.index for u in pairing.unmatched]
    assert sorted(placed) == list(range(301))
    again = match(model, keys, seed=4, odd=odd)
    assert again == pairing
    assert pairing.objective >= 0.97 * optimum_of_301


def test_sampled_candidates_are_real_scores_best_first():
    model = score_roster(roster(200, 3))
    idx, val = sampled_candidates(model, 10, seed=1)
    assert idx.shape == val.shape == (200, 10)
    assert (idx != np.arange(200)[:, None]).all()
    np.testing.assert_allclose(
        val, model.pair_scores(np.repeat(np.arange(200), 10), idx.ravel()).reshape(200, 10)
    )
    assert (np.diff(val, axis=1) <= 1e-12).all()
    # The best sampled partner is close to the true best for most people.
    dense = model.dense()
    assert np.median(dense.max(axis=1) - val[:, 0]) < 0.3


def test_bit_packed_and_sparse_pair_scoring_agree():
    model = score_roster(roster(80, 2))
    plain = type(model)(**{**model.__dict__, "can_bits": None, "want_bits": None})
    a, b = np.array(list(combinations(range(80), 2))).T
    np.testing.assert_allclose(model.pair_scores(a, b), plain.pair_scores(a, b))


def test_quality_wording_for_each_case():
    from pairctl.core.quality import NOT_MEASURED, Quality

    assert Quality("exact", 10.0, 99.5).describe() == "99.50% of the exact optimum"
    assert Quality("bound", 10.0, 98.0).describe() == "98.00% of an upper bound"
    assert "not positive" in Quality("exact", -10.0, None).describe()
    assert NOT_MEASURED.describe() == "not measured"


@pytest.mark.parametrize(
    ("has_skills", "has_wants"), [(True, False), (False, False), (False, True)]
)
def test_fallback_modes_score_as_documented_and_pair_on_the_large_paths(
    monkeypatch, has_skills, has_wants
):
    base = roster(120, 8)
    model = score_roster(Roster(people=base.people, has_skills=has_skills, has_wants=has_wants))
    people = base.people

    def teach(x, y):
        can = set(people[x].skills) if has_skills else {people[x].specialty}
        if has_wants:
            return len(can & set(people[y].wants))
        own = set(people[y].skills) if has_skills else {people[y].specialty}
        return len(can - own)

    a, b = np.array(list(combinations(range(120), 2))[::37]).T
    expected = [teach(x, y) for x, y in zip(a, b, strict=True)]
    np.testing.assert_array_equal(model.teach_counts(a, b), expected)
    dense = model.dense()
    np.testing.assert_allclose(model.pair_scores(a, b), dense[a, b])
    monkeypatch.setattr(candidates, "DENSE_CANDIDATES_LIMIT", 0)
    pairing = match(model, keys_of(120), seed=2)
    assert sorted(i for g in pairing.groups for i in g.members) == list(range(120))
    assert pairing.objective >= 0.97 * total(model, exact(model))


def matchings_leaving_one_out(people: list[int]):
    for out in people:
        rest = [p for p in people if p != out]
        yield from perfect_matchings(rest)


@pytest.mark.parametrize(("n", "seed"), [(5, 1), (7, 2), (7, 3)])
def test_exact_solver_on_odd_counts_leaves_out_the_cheapest_person(n, seed):
    model = score_roster(roster(n, seed))
    dense = model.dense()
    best = max(sum(dense[a, b] for a, b in m) for m in matchings_leaving_one_out(list(range(n))))
    assert total(model, exact(model)) == pytest.approx(best, abs=1e-3)
    assert assignment_bound(model) >= best - 1e-9


@pytest.mark.parametrize("seed", [0, 7, 282])
def test_quality_share_stays_meaningful_when_a_specialty_is_a_majority(seed):
    # 70% in one specialty: every pairing pays the same-specialty penalty for 10 pairs.
    rng = random.Random(seed)
    specialties = ["Eng"] * 35 + [rng.choice(SPECIALTIES[1:]) for _ in range(15)]
    model = score_roster(make_roster(50, specialties, seed))
    pairing = match(model, keys_of(50), seed=seed)
    quality = assess(model, pairing)
    assert quality.reference == "exact"
    assert quality.percent is not None and 90.0 <= quality.percent <= 100.0 + 1e-9


def test_sampled_path_ignores_row_order(monkeypatch):
    monkeypatch.setattr(candidates, "DENSE_CANDIDATES_LIMIT", 0)
    monkeypatch.setattr(matching, "RELAXATION_LIMIT", 0)
    base = roster(151, 6)
    shuffled = list(base.people)
    random.Random(1).shuffle(shuffled)
    other = Roster(people=tuple(shuffled), has_skills=True, has_wants=True)

    def pairs(r: Roster) -> set[frozenset[str]]:
        p = match(score_roster(r), [x.key for x in r.people], seed=5)
        return {frozenset(r.people[i].key for i in g.members) for g in p.groups}

    assert pairs(base) == pairs(other)
