"""The certified bound: its check over all pairs is exact, and the bound it certifies is
never below the best pairing.

The check (`Violations`) reads only some pairs, so it is compared with the largest
violation taken from the full score matrix, for duals drawn at random and from the auction,
on rosters with every feature that changes which pairs it must read: rules, repeats, faded
pairs, related skills, no wants column, no skills, long skill lists, sites and time zones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.core import bound
from pairctl.core.auction import arcs_of, auction, duals_from_prices
from pairctl.core.bound import Violations, bound_rounds, candidate_edges
from pairctl.core.candidates import candidates
from pairctl.core.meeting import MeetingRules, with_meeting_rules
from pairctl.core.model import ColumnMapping, Person, Roster
from pairctl.core.quality import assignment_bound
from pairctl.core.scoring import ScoreModel, Weights, score_roster
from pairctl.core.vocabulary import VocabularyTable
from tests.core.rosters import make_roster, perfect_pairings

SKILLS = [f"skill {i}" for i in range(14)]


@pytest.fixture(autouse=True, scope="module")
def buckets_only():
    """The small rosters here are cheaper to check over every pair; most tests are about the
    buckets, so they are made to use them. The tests of the other way say so."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bound, "_DENSE_FACTOR", 0.0)
        yield


def every_pair(monkeypatch) -> None:
    monkeypatch.setattr(bound, "_DENSE_FACTOR", 1e18)


ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "UTC+05:30", ""]
KINDS = ["plain", "related", "no wants", "no skills", "long lists", "places", "rules"]


def people(n: int, rng: random.Random, skills: int = 3, wants: int = 2) -> tuple[Person, ...]:
    return tuple(
        Person(
            key=f"K{i:03d}",
            name=f"P{i}",
            specialty=f"S{rng.randint(0, 3)}",
            skills=tuple(rng.sample(SKILLS, rng.randint(0, skills))),
            wants=tuple(rng.sample(SKILLS, rng.randint(0, wants))),
            experience=float(rng.randint(0, 30)) if rng.random() < 0.9 else None,
            department=rng.choice(["X", "Y", "Z", ""]),
            site=rng.choice(["London", "Pune", ""]),
            timezone=rng.choice(ZONES),
            languages=tuple(rng.sample(["English", "Hindi", "Japanese"], rng.randint(0, 2))),
        )
        for i in range(n)
    )


def model_of(kind: str, n: int, seed: int) -> ScoreModel:
    """A roster of `kind` (one of KINDS), scored as a round would score it."""
    rng = random.Random(seed)
    if kind == "long lists":  # too many subsets per person: the one-skill buckets
        roster = Roster(people=people(n, rng, 12, 6), has_skills=True, has_wants=True)
    else:
        roster = Roster(
            people=people(n, rng),
            has_skills=kind != "no skills",
            has_wants=kind not in ("no wants", "no skills"),
        )
    if kind == "related":
        related = {"one": SKILLS[:4], "two": SKILLS[4:7]}
        roster = roster.with_vocabulary(VocabularyTable(related=related))
    if kind == "places":
        mapping = ColumnMapping(
            fields={"timezone": "Time zone", "languages": "Languages", "site": "Office"}
        )
        roster = replace(roster, mapping=mapping)
        model = score_roster(roster, Weights(same_site=0.75))
        rules = MeetingRules(dt.date(2027, 1, 15), 6.0, rng.choice(["require", "prefer"]))
        return with_meeting_rules(model, roster, rules)
    model = score_roster(roster)
    if kind == "rules":
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
        chosen = rng.sample(pairs, min(len(pairs), 3 * n))
        model = model.with_blocked({p: "a rule" for p in chosen[:n]})
        model = model.with_repeats(np.array(chosen[n : 2 * n], dtype=np.int64).reshape(-1, 2))
        model = model.with_faded(np.array(chosen[2 * n :], dtype=np.int64).reshape(-1, 2), 4.0)
    return model


def full_excess(model: ScoreModel, y: np.ndarray) -> np.ndarray:
    """max(0, max_v w_uv - y_u - y_v) from the whole score matrix."""
    excess = model.dense() - y[:, None] - y[None, :]
    return np.maximum(excess.max(axis=1), 0.0)


def auction_duals(model: ScoreModel) -> tuple[np.ndarray, ...]:
    lo, hi = candidate_edges(candidates(model, 0)[0])
    n = model.size
    weights = model.pair_scores(lo, hi)
    arcs = arcs_of(n, lo, hi, weights, -20.0)
    return duals_from_prices(arcs, auction(arcs)[0]), lo, hi, weights


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    n=st.integers(2, 70),
    seed=st.integers(0, 10_000),
    centre=st.floats(-0.5, 2.0),
    spread=st.floats(0.0, 1.5),
)
def test_the_check_finds_every_pair_s_violation_for_any_duals(kind, n, seed, centre, spread):
    model = model_of(kind, n, seed)
    y = np.random.default_rng(seed).normal(centre, spread, n)
    found = Violations(model)(y)
    assert found is not None
    # Equal but for the order of two subtractions (w - y_u - y_v against w - y_v - y_u).
    np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)
    lo, hi = found.pairs
    # The pairs handed on for the next round really violate, each among its person's worst.
    excess = model.pair_scores(lo, hi) - y[lo] - y[hi]
    assert np.all(excess > 0)
    assert np.all(lo < hi)


@pytest.mark.parametrize("factor", [-1.0, 0.0, 1.0])
@pytest.mark.parametrize("kind", KINDS)
def test_the_check_stays_exact_with_the_lowest_duals_out_of_the_buckets(kind, factor, monkeypatch):
    # Duals below minus the best score leave the buckets (their own queries and a pass
    # among them find their pairs). Here the threshold is moved so that from none to most
    # of the people are out.
    monkeypatch.setattr(bound, "_LOW_FACTOR", factor)
    for seed in range(3):
        model = model_of(kind, 90, seed)
        y = np.random.default_rng(seed).normal(0.0, 3.0, 90)
        found = Violations(model)(y)
        assert found is not None
        np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    n=st.integers(2, 70),
    seed=st.integers(0, 10_000),
    low=st.lists(st.integers(0, 69), max_size=4),
    keep=st.integers(1, 8),
)
def test_the_repaired_duals_are_feasible_for_every_pair_and_no_dearer(kind, n, seed, low, keep):
    # A few people with far too low duals (as when all of someone's candidates are
    # forbidden) are what the "apart" repair is for.
    model = model_of(kind, n, seed)
    y = np.random.default_rng(seed).normal(1.0, 0.3, n)
    y[[i for i in low if i < n]] = -50.0
    found = Violations(model)(y, keep)
    assert found is not None
    z = found.feasible(y)
    slack = z[:, None] + z[None, :] - model.dense()
    assert slack[~np.eye(n, dtype=bool)].min() >= -1e-9
    assert np.all(z >= y)
    assert z.sum() <= (y + found.excess / 2).sum() + 1e-9


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("chunk", [1, 40, 10**6, "every pair"])
def test_each_person_s_worst_violators_are_listed_once_each_and_none_missed(
    kind, chunk, monkeypatch
):
    # Small chunks split one asker's queries and force the merges: a pair must still be
    # listed once, and a person's list must be their `keep` largest violations, as the
    # repair assumes (a repeated pair would crowd out a real one).
    if chunk == "every pair":
        every_pair(monkeypatch)
    else:
        monkeypatch.setattr(bound, "_CHUNK", chunk)
    n, keep = 60, 3
    model = model_of(kind, n, seed=11)
    y = np.random.default_rng(5).normal(0.6, 0.4, n)
    found = Violations(model)(y, keep)
    assert found is not None
    keys = found.row * n + found.other
    assert len(np.unique(keys)) == len(keys)
    excess = model.dense() - y[:, None] - y[None, :]
    np.fill_diagonal(excess, -np.inf)
    assert found.row.size > n  # there is something to list
    for person in range(n):
        mine = np.sort(excess[person][excess[person] > 1e-9])[::-1][:keep]
        listed = found.value[found.row == person]
        np.testing.assert_allclose(listed, mine, rtol=0, atol=1e-12)
        others = found.other[found.row == person]
        np.testing.assert_allclose(excess[person, others], listed, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_the_check_is_exact_for_the_auction_s_duals(kind):
    model = model_of(kind, 300, seed=7)
    y, *_ = auction_duals(model)
    found = Violations(model)(y)
    assert found is not None
    np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)
    d = found.excess
    assert d.max() > 0  # the sampled candidates miss some pairs: there is something to find


def test_long_skill_lists_take_one_skill_buckets_and_short_ones_two_skill_ones():
    # What keeps memory linear when people list dozens of skills; both are checked above.
    assert bound._skill_lists(model_of("long lists", 200, 1)).level == 1
    plain = bound._skill_lists(model_of("plain", 200, 1))
    assert plain.level == 2
    # Through one skill each way a partner brings at most 0.5 + 0.5 + 0.5 and the rest.
    rest = Weights().cross_department + Weights().experience_gap
    assert plain.limits[1 * 3 + 1].max() == pytest.approx(1.5 + rest)


def best_total(model: ScoreModel) -> float:
    dense = model.dense()
    return max(
        sum(dense[a, b] for a, b in pairs) for pairs in perfect_pairings(list(range(model.size)))
    )


@settings(max_examples=80, deadline=None)
@given(kind=st.sampled_from(KINDS), n=st.integers(2, 10), seed=st.integers(0, 10_000))
def test_the_bound_is_never_below_the_best_pairing(kind, n, seed):
    model = model_of(kind, n, seed)
    _, lo, hi, weights = auction_duals(model)
    value = bound_rounds(model, lo, hi, weights).value
    assert np.isfinite(value)
    assert value >= best_total(model) - 1e-9


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 10), seed=st.integers(0, 10_000), rounds=st.integers(1, 3))
def test_any_start_any_rounds_still_bounds_the_best_pairing(n, seed, rounds):
    # From a graph with only one edge per person (or none) the duals are poor; the check
    # must still make the figure sound.
    model = model_of("rules", n, seed)
    lo = np.arange(0, n - 1, 2, dtype=np.int64)
    hi = lo + 1
    value = bound_rounds(model, lo, hi, model.pair_scores(lo, hi), rounds=rounds).value
    assert np.isfinite(value) and value >= best_total(model) - 1e-9


def test_on_a_larger_roster_the_bound_is_within_a_tenth_of_a_percent_of_the_dense_one():
    model = score_roster(make_roster(1500, ["Eng", "Sales", "Design", "Data", "Ops"], seed=5))
    _, lo, hi, weights = auction_duals(model)
    value = bound_rounds(model, lo, hi, weights).value
    dense = assignment_bound(model)  # the LP optimum for an even roster
    assert np.isfinite(value)
    assert dense - 1e-9 <= value <= dense * 1.001


def test_a_check_too_large_to_run_gives_no_bound(monkeypatch):
    model = model_of("no wants", 60, 3)
    _, lo, hi, weights = auction_duals(model)
    monkeypatch.setattr(bound, "SCORED_PAIRS_FLOOR", 10)
    monkeypatch.setattr(bound, "SCORED_PAIRS_PER_PERSON", 0)
    monkeypatch.setattr(bound, "EVERY_PAIR_LIMIT", 0)  # nor every pair
    assert bound_rounds(model, lo, hi, weights).value == np.inf


# Through the quality figure and the command line


def test_above_the_dense_limit_the_figure_is_against_the_certified_bound(monkeypatch):
    from pairctl.core import quality
    from pairctl.core.matching import exact, match, pairs_total

    model = model_of("rules", 160, seed=11)
    keys = [f"K{i:03d}" for i in range(model.size)]
    optimum = pairs_total(model, exact(model))
    monkeypatch.setattr(quality, "EXACT_QUALITY_LIMIT", 0)
    monkeypatch.setattr(quality, "BOUND_LIMIT", 0)
    figure = quality.assess(model, match(model, keys, seed=1))
    assert figure.reference == "bound"
    assert figure.value is not None and figure.percent is not None
    assert optimum - 1e-9 <= figure.value <= optimum * 1.01
    assert 95.0 < figure.percent <= 100.0


def test_the_json_of_a_large_round_gives_the_bound_as_its_reference(monkeypatch):
    import json
    from pathlib import Path

    from pairctl.core import quality
    from tests.cli_helpers import run

    roster = Path(__file__).parents[2] / "sample_data" / "roster.csv"
    best = json.loads(run("match", str(roster), "--dry-run", "--json", "--solver", "exact").stdout)
    monkeypatch.setattr(quality, "EXACT_QUALITY_LIMIT", 0)
    monkeypatch.setattr(quality, "BOUND_LIMIT", 0)
    result = run("match", str(roster), "--dry-run", "--json")
    assert result.exit_code == 0
    figure = json.loads(result.stdout)["quality"]
    assert figure["reference"] == "bound"
    assert figure["value"] >= best["total_score"] - 1e-3
    assert 90.0 < figure["percent"] <= 100.0


@pytest.mark.parametrize("two_way", [False, True])
def test_a_large_roster_s_matcher_seeds_from_the_bound_and_hands_it_on(monkeypatch, two_way):
    from pairctl.core import candidates as candidates_module
    from pairctl.core import matching, quality
    from pairctl.core.matching import exact, match, pairs_total

    # The paths that start at 30,000 people, forced on 241.
    monkeypatch.setattr(candidates_module, "DENSE_CANDIDATES_LIMIT", 0)
    monkeypatch.setattr(matching, "RELAXATION_LIMIT", 0)
    roster = make_roster(241, ["Eng", "Sales", "Design", "Data"], seed=8)
    model = score_roster(roster, two_way=two_way)
    plain = model.requiring_two_way(False)
    pairing = match(model, [p.key for p in roster.people], seed=2)
    placed = sorted(i for g in pairing.groups for i in g.members)
    assert placed == list(range(241))
    assert pairing.bound is not None and np.isfinite(pairing.bound)
    assert pairing.bound >= pairs_total(plain, exact(plain)) - 1e-9
    monkeypatch.setattr(quality, "EXACT_QUALITY_LIMIT", 0)
    monkeypatch.setattr(quality, "BOUND_LIMIT", 0)
    figure = quality.assess(model, pairing)
    assert figure.reference == "bound" and figure.value == pytest.approx(pairing.bound)
    assert figure.percent is not None and 97.0 < figure.percent <= 100.0


def test_with_a_time_zone_rule_and_sampled_candidates_the_bound_stays_tight(monkeypatch):
    # A few people far from everyone else's clock, whose sampled candidates are then all
    # forbidden: their duals come out very low, which once made the bound 20% loose.
    from pairctl.core import candidates as candidates_module

    monkeypatch.setattr(candidates_module, "DENSE_CANDIDATES_LIMIT", 0)
    rng = random.Random(4)
    crowd = people(1200, rng)
    zones = ["Europe/London"] * 6 + ["America/New_York"] * 3 + ["Asia/Tokyo"]
    placed = tuple(
        replace(p, timezone=zones[i % len(zones)] if i >= 12 else "Pacific/Auckland")
        for i, p in enumerate(crowd)
    )
    mapping = ColumnMapping(fields={"timezone": "Time zone"})
    roster = Roster(people=placed, has_skills=True, has_wants=True, mapping=mapping)
    rules = MeetingRules(dt.date(2027, 1, 15), 3.0, None)
    model = with_meeting_rules(score_roster(roster), roster, rules)
    _, lo, hi, weights = auction_duals(model)
    value = bound_rounds(model, lo, hi, weights).value
    dense = assignment_bound(model)
    assert np.isfinite(value)
    assert dense - 1e-9 <= value <= dense * 1.005


@pytest.mark.parametrize("kind", ["plain", "rules", "no wants"])
def test_over_budget_the_check_tries_again_with_the_lowest_out_before_giving_up(kind, monkeypatch):
    # No budget at all: the first try (few out) is over it; with everyone out of the
    # buckets nothing is read through them and the pass among the low finds every pair.
    monkeypatch.setattr(bound, "SCORED_PAIRS_FLOOR", 0)
    monkeypatch.setattr(bound, "SCORED_PAIRS_PER_PERSON", 0)
    monkeypatch.setattr(bound, "EVERY_PAIR_LIMIT", 0)  # nor every pair
    model = model_of(kind, 80, 5)
    y = np.random.default_rng(5).normal(1.0, 0.4, 80)
    assert Violations(model)(y) is None
    monkeypatch.setattr(bound, "_LOW_SHARE", 1.0)
    found = Violations(model)(y)
    assert found is not None
    np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)


def test_when_the_matcher_s_check_was_too_large_the_figure_says_so_without_trying_again(
    monkeypatch,
):
    from pairctl.core import candidates as candidates_module
    from pairctl.core import matching, quality
    from pairctl.core.matching import match

    monkeypatch.setattr(candidates_module, "DENSE_CANDIDATES_LIMIT", 0)
    monkeypatch.setattr(matching, "RELAXATION_LIMIT", 0)
    monkeypatch.setattr(quality, "EXACT_QUALITY_LIMIT", 0)
    monkeypatch.setattr(quality, "BOUND_LIMIT", 0)
    monkeypatch.setattr(bound, "SCORED_PAIRS_FLOOR", 0)
    monkeypatch.setattr(bound, "SCORED_PAIRS_PER_PERSON", 0)
    monkeypatch.setattr(bound, "EVERY_PAIR_LIMIT", 0)  # nor every pair
    roster = make_roster(120, ["Eng", "Sales", "Design"], seed=3)
    model = score_roster(roster)
    pairing = match(model, [p.key for p in roster.people], seed=1)
    assert sorted(i for g in pairing.groups for i in g.members) == list(range(120))
    assert pairing.bound == np.inf

    def never(*args, **kwargs):
        raise AssertionError("the bound was tried again")

    monkeypatch.setattr(quality, "candidate_bound", never)
    figure = quality.assess(model, pairing)
    assert figure.reference == "none" and figure.percent is None
    assert figure.describe() == "not measured (too many pairs to check for a bound)"


def test_the_worst_violators_are_listed_in_exact_order_whatever_their_size():
    # Rows with violations far apart in size (a dual of -500 gives hundreds): the last
    # listed must be the keep-th largest, or the repair could miss an unlisted one.
    rng = np.random.default_rng(3)
    a = rng.integers(0, 20, 4000)
    b = rng.integers(0, 20, 4000)
    excess = np.concatenate([rng.uniform(0, 1, 2000), rng.uniform(16, 900, 2000)])
    row, _, value = bound._worst(a, b, excess, 5)
    for person in range(20):
        mine = np.concatenate([excess[a == person], excess[b == person]])
        listed = value[row == person]
        assert np.array_equal(listed, np.sort(mine)[::-1][:5])


@pytest.mark.parametrize("scale", [0.0, 40.0])
@pytest.mark.parametrize("kind", KINDS)
def test_over_every_pair_the_check_is_exact_and_lists_every_violation_when_asked(
    kind, scale, monkeypatch
):
    every_pair(monkeypatch)
    monkeypatch.setattr(bound, "_DENSE_CELLS", 500)  # several blocks of rows
    n = 57
    model = model_of(kind, n, seed=3)
    y = np.random.default_rng(8).normal(0.7, 0.5, n)
    found = Violations(model, scale=scale)(y, None)
    assert found is not None
    scores = model.dense()
    if scale:
        scores = np.round(scores * scale) / scale
    excess = scores - y[:, None] - y[None, :]
    np.testing.assert_allclose(found.excess, np.maximum(excess.max(axis=1), 0), atol=1e-12)
    # keep None (the exact solver's gap pairs): every violating pair, each once.
    want = {(a, b) for a, b in zip(*np.nonzero(excess > 1e-9), strict=True) if a < b}
    assert set(zip(*(part.tolist() for part in found.pairs), strict=True)) == want
    assert want  # something to find


def test_a_roster_the_buckets_reach_too_often_is_checked_over_every_pair(monkeypatch):
    # People who list many skills and want many reach each pair through many buckets; when
    # that is over the budget but every pair is within it, the figure still comes.
    monkeypatch.setattr(bound, "_DENSE_FACTOR", 2.0)
    model = model_of("long lists", 120, seed=4)
    y = np.random.default_rng(2).normal(0.3, 0.2, 120)
    reached = Violations(model)._reach_all(y, np.argsort(y, kind="stable"), np.zeros(120, bool))
    reach = int(reached[2].sum())
    assert reach > 120 * 119  # the buckets reach every pair more than twice over
    monkeypatch.setattr(bound, "SCORED_PAIRS_FLOOR", 120 * 119 // 2)  # every pair, no more
    monkeypatch.setattr(bound, "SCORED_PAIRS_PER_PERSON", 0)
    found = Violations(model)(y)
    assert found is not None
    np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)
    monkeypatch.setattr(bound, "_DENSE_FACTOR", 0.0)  # never cheaper: over the budget, the
    found = Violations(model)(y)  # buckets still give way to every pair, while there are few
    assert found is not None
    np.testing.assert_allclose(found.excess, full_excess(model, y), rtol=0, atol=1e-12)
    monkeypatch.setattr(bound, "EVERY_PAIR_LIMIT", 120 * 119 // 2 - 1)  # one pair too many
    assert Violations(model)(y) is None


@pytest.mark.slow
def test_on_a_survey_of_many_alike_people_the_rounds_go_on_until_the_bound_is_tight(
    real_data, tmp_path
):
    # A real survey's people list many languages both ways; four copies of each (2,380
    # people) leave the bound loose after three rounds, which more rounds close.
    import csv

    from pairctl.roster import read_roster

    source = real_data / "so_survey_2023" / "survey_results_public_2023_first595.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    roster_file = tmp_path / "survey.csv"
    with roster_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for copy in range(4):
            writer.writerows({**row, "ResponseId": f"{row['ResponseId']}-{copy}"} for row in rows)
    mapping = {
        "key": "ResponseId",
        "specialty": "DevType",
        "skills": "LanguageHaveWorkedWith",
        "wants": "LanguageWantToWorkWith",
    }
    model = score_roster(read_roster(str(roster_file), mapping=mapping)).requiring_two_way(False)
    lo, hi = candidate_edges(candidates(model, 0)[0])
    weights = model.pair_scores(lo, hi)
    three = bound_rounds(model, lo, hi, weights, most=3).value
    more = bound_rounds(model, lo, hi, weights).value
    dense = assignment_bound(model)
    assert dense - 1e-9 <= more <= three
    assert three > dense * 1.0005  # three rounds: more than 0.05% above the dense bound
    assert more <= dense * 1.0005
