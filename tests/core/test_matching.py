"""Greedy-plus-swap: everyone placed once, deterministic, and as few same-specialty pairs as
the roster allows."""

from __future__ import annotations

import random
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.core.attention import fewest_same_specialty_links, same_specialty_links
from pairctl.core.matching import ODD_LEFT_OUT, match, random_pairing
from pairctl.core.model import Person, Roster
from pairctl.core.scoring import score_roster

from .rosters import make_roster


def keys_of(roster: Roster, groups) -> set[frozenset[str]]:
    return {frozenset(roster.people[i].key for i in g.members) for g in groups}


rosters = st.builds(
    make_roster,
    n=st.integers(2, 40),
    specialties=st.lists(
        st.sampled_from(["Eng", "Data", "Sales", "HR", "Legal"]), min_size=1, max_size=6
    ),
    seed=st.integers(0, 10_000),
)


@settings(max_examples=60, deadline=None)
@given(roster=rosters, seed=st.integers(0, 2**16), odd=st.sampled_from(["trio", "leave-out"]))
def test_everyone_is_placed_exactly_once(roster, seed, odd):
    pairing = match(score_roster(roster), [p.key for p in roster.people], seed=seed, odd=odd)
    placed = [i for g in pairing.groups for i in g.members] + [u.index for u in pairing.unmatched]
    assert sorted(placed) == list(range(len(roster.people)))
    assert all(len(g.members) in (2, 3) for g in pairing.groups)
    assert sum(len(g.members) == 3 for g in pairing.groups) == (
        len(roster.people) % 2 if odd == "trio" else 0
    )
    assert len(pairing.unmatched) == (len(roster.people) % 2 if odd == "leave-out" else 0)
    assert all(u.reason == ODD_LEFT_OUT for u in pairing.unmatched)


@settings(max_examples=40, deadline=None)
@given(roster=rosters, seed=st.integers(0, 2**16), shuffle=st.randoms(use_true_random=False))
def test_same_roster_and_seed_give_the_same_pairs_whatever_the_row_order(roster, seed, shuffle):
    keys = [p.key for p in roster.people]
    first = match(score_roster(roster), keys, seed=seed)
    again = match(score_roster(roster), keys, seed=seed)
    assert first == again
    rows = list(roster.people)
    shuffle.shuffle(rows)
    reordered = Roster(people=tuple(rows), has_skills=True, has_wants=True)
    other = match(score_roster(reordered), [p.key for p in rows], seed=seed)
    assert keys_of(roster, first.groups) == keys_of(reordered, other.groups)


@settings(max_examples=40, deadline=None)
@given(roster=rosters, seed=st.integers(0, 2**16))
def test_no_exchange_of_partners_between_two_pairs_would_raise_the_total(roster, seed):
    model = score_roster(roster)
    scores = model.dense()
    pairing = match(model, [p.key for p in roster.people], seed=seed, odd="leave-out")
    pairs = [g.members for g in pairing.groups]
    for (a, b), (c, d) in combinations(pairs, 2):
        now = scores[a, b] + scores[c, d]
        assert scores[a, c] + scores[b, d] <= now + 1e-9
        assert scores[a, d] + scores[b, c] <= now + 1e-9


def test_a_majority_specialty_gets_the_fewest_possible_same_specialty_pairs():
    # 60% Engineering: 24 of 40; the 16 others can take 16 engineers, the other 8 pair up.
    specialties = ["Eng"] * 24 + ["Data", "Sales", "HR", "Legal"] * 4
    rng = random.Random(7)
    rng.shuffle(specialties)
    for seed in range(5):
        roster = make_roster(40, specialties, seed)
        roster = Roster(
            people=tuple(
                Person(**{**p.__dict__, "specialty": specialties[i]})
                for i, p in enumerate(roster.people)
            ),
            has_skills=True,
            has_wants=True,
        )
        pairing = match(score_roster(roster), [p.key for p in roster.people], seed=seed)
        assert fewest_same_specialty_links(score_roster(roster)) == 4
        same_pairs = [
            g for g in pairing.groups if len({roster.people[i].specialty for i in g.members}) == 1
        ]
        assert len(same_pairs) == 4
        assert all(roster.people[g.members[0]].specialty == "Eng" for g in same_pairs)


@settings(max_examples=40, deadline=None)
@given(roster=rosters, seed=st.integers(0, 2**16), odd=st.sampled_from(["trio", "leave-out"]))
def test_same_specialty_links_are_the_fewest_possible(roster, seed, odd):
    model = score_roster(roster)
    pairing = match(model, [p.key for p in roster.people], seed=seed, odd=odd)
    groups = [g.members for g in pairing.groups]
    assert same_specialty_links(model, groups) == fewest_same_specialty_links(model, odd)


def test_the_odd_person_joins_the_pair_they_fit_best():
    # Three engineers would clash; the odd designer must join the pair with a data person.
    people = (
        Person(key="e1", name="e1", specialty="Eng", skills=("python",), wants=("design",)),
        Person(key="d1", name="d1", specialty="Design", skills=("design",), wants=("python",)),
        Person(key="e2", name="e2", specialty="Eng", skills=("python",), wants=("sql",)),
        Person(key="s1", name="s1", specialty="Data", skills=("sql",), wants=("python", "design")),
        Person(key="d2", name="d2", specialty="Design", skills=("design",), wants=("sql",)),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True)
    pairing = match(score_roster(roster), [p.key for p in people], seed=0)
    trio = next(g for g in pairing.groups if len(g.members) == 3)
    assert sorted(people[i].key for i in trio.members) == ["d2", "e2", "s1"]


def test_random_baseline_places_everyone():
    groups = random_pairing(7, seed=3)
    assert sorted(i for g in groups for i in g) == list(range(7))
    assert [len(g) for g in groups].count(3) == 1
    left = random_pairing(7, seed=3, odd="leave-out")
    assert [len(g) for g in left] == [2, 2, 2]
    # Leaving out changes nothing but the trio: the same six are paired the same way.
    assert left == [g[:2] for g in groups]


def test_group_scores_are_the_sum_of_their_links():
    roster = make_roster(9, ["Eng", "Data", "Ops"], 1)
    model = score_roster(roster)
    scores = model.dense()
    pairing = match(model, [p.key for p in roster.people], seed=0)
    for g in pairing.groups:
        expected = sum(scores[x, y] for x, y in combinations(g.members, 2))
        assert np.isclose(g.score, expected)


def test_relaxation_finishes_on_a_roster_that_once_hung_the_assignment_solver():
    # Float costs with near-ties made scipy's LAPJVsp loop forever on exactly this roster;
    # run it in a child process so a regression fails the test instead of hanging the suite.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from rosters import make_roster;"
        "from pairctl.core.scoring import score_roster;"
        "from pairctl.core.matching import match;"
        "r = make_roster(39, ['HR', 'Data', 'Legal', 'Sales', 'Data'], 7095);"
        "p = match(score_roster(r), [x.key for x in r.people], seed=9720, odd='leave-out');"
        "print(len(p.groups))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # Only the finishing matters (19 groups is what any run of 39 with leave-out gives).
    assert out.stdout.strip() == "19"


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 120).filter(lambda n: n % 2 == 0), seed=st.integers(0, 10_000))
def test_the_swaps_stop_only_where_no_exchange_among_the_candidates_gains(n, seed):
    # The rounds after the first rescore only exchanges near a changed pair; whatever they
    # skip must still be no gain when they stop.
    from pairctl.core.candidates import candidates
    from pairctl.core.matching import _Scorer, improve_by_swaps

    model = score_roster(make_roster(n, ["Eng", "Data", "Sales", "HR"], seed))
    score = _Scorer(model)
    cand, cand_scores = candidates(model, seed)
    start = np.random.default_rng(seed).permutation(n).reshape(-1, 2)
    mate = np.empty(n, dtype=np.int64)
    mate[start[:, 0]], mate[start[:, 1]] = start[:, 1], start[:, 0]
    before = score(np.arange(n), mate).sum()
    mate = improve_by_swaps(score, mate, cand, cand_scores)
    assert sorted(mate[mate]) == list(range(n))  # still everyone with one partner
    assert score(np.arange(n), mate).sum() >= before
    current = score(np.arange(n), mate)
    for a in range(n):
        for j, c in enumerate(cand[a]):
            b, d = mate[a], mate[c]
            if c in (a, b) or cand_scores[a, j] == -np.inf:
                continue
            gain = cand_scores[a, j] + score([b], [d])[0] - current[a] - current[c]
            assert gain <= 1e-9, (a, c)
