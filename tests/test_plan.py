"""`pairctl plan`: several rounds planned together beat planning them one by one."""

from __future__ import annotations

import json
import random
from itertools import combinations, permutations
from pathlib import Path

import numpy as np
from cli_helpers import run
from core.rosters import make_roster

from pairctl.core.matching import match
from pairctl.core.model import Person, Roster
from pairctl.core.planning import one_by_one, plan_rounds, with_its_pairs
from pairctl.core.scoring import score_roster

SKILLS = [f"s{i}" for i in range(6)]


def six_people(seed: int) -> Roster:
    """Three specialties of two, random skills and wants."""
    rng = random.Random(seed)
    people = tuple(
        Person(
            key=f"K{i}",
            name=f"P{i}",
            specialty="XYZ"[i // 2],
            skills=tuple(rng.sample(SKILLS, 2)),
            wants=tuple(rng.sample(SKILLS, 2)),
        )
        for i in range(6)
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def perfect_pairings(people):
    if not people:
        yield ()
        return
    first, rest = people[0], people[1:]
    for i, other in enumerate(rest):
        for more in perfect_pairings(rest[:i] + rest[i + 1 :]):
            yield ((first, other), *more)


def a_clean_schedule_exists(roster: Roster, rounds: int) -> bool:
    """Brute force: `rounds` perfect pairings, no pair twice, no two of one specialty."""
    spec = [p.specialty for p in roster.people]
    cross = [m for m in perfect_pairings(list(range(6))) if all(spec[a] != spec[b] for a, b in m)]
    return any(
        len({frozenset(p) for m in chosen for p in m}) == 3 * rounds
        for chosen in permutations(cross, rounds)
    )


def round_by_round(roster: Roster, rounds: int):
    model = score_roster(roster)
    keys = [p.key for p in roster.people]
    same = repeats = 0
    seen: set[frozenset[int]] = set()
    for _ in range(rounds):
        pairing = match(model, keys, seed=0)
        for g in pairing.groups:
            for a, b in combinations(g.members, 2):
                same += roster.people[a].specialty == roster.people[b].specialty
                repeats += frozenset((a, b)) in seen
                seen.add(frozenset((a, b)))
        links = [(a, b) for g in pairing.groups for a, b in combinations(g.members, 2)]
        model = model.with_repeats(np.array(links, dtype=np.int64))
    return same, repeats


def test_four_rounds_of_six_have_no_repeat_and_no_same_specialty_pair_when_possible():
    beaten = 0
    for seed in range(25):
        roster = six_people(seed)
        model = score_roster(roster)
        plan = plan_rounds(
            model, [p.key for p in roster.people], 4, seed=0, odd="trio", solver="greedy-swap"
        )
        assert a_clean_schedule_exists(roster, 4)
        assert (plan.same_specialty, plan.repeats) == (0, 0), seed
        assert len(plan.rounds) == 4 and all(len(r.groups) == 3 for r in plan.rounds)
        beaten += round_by_round(roster, 4) != (0, 0)
    # Round by round paints some of these programmes into a corner; the plan never does.
    assert beaten >= 1


def test_a_plan_of_300_people_totals_no_less_than_four_rounds_one_by_one():
    roster = make_roster(300, ["Eng", "Data", "Sales", "Legal", "Ops", "HR"], seed=3)
    model = score_roster(roster)
    keys = [p.key for p in roster.people]
    plan = plan_rounds(model, keys, 4, seed=0, odd="trio", solver="greedy-swap")
    single = one_by_one(model, keys, 4, 0, "trio", "greedy-swap", (), {}, with_its_pairs)
    assert plan.key() <= single.key()
    assert plan.repeats == 0
    assert plan.total >= single.total or plan.key()[:2] < single.key()[:2]


def test_the_planned_sheets_are_history_for_the_next_round(tmp_path: Path):
    folder = tmp_path / "plan"
    result = run("plan", "sample_data/roster.csv", "--rounds", "3", "-o", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["rounds"]) == 3 and data["repeats"] == 0
    planned = set()
    for sheet in data["rounds"]:
        made = run("check", sheet, "sample_data/roster.csv", "--json")
        planned |= {frozenset(p["members"]) for p in json.loads(made.stdout)["pairs"]}
    assert len(planned) == 60  # 20 pairs a round, none twice
    after = run("match", "sample_data/roster.csv", "--history", str(folder), "--dry-run", "--json")
    assert not ({frozenset(p["members"]) for p in json.loads(after.stdout)["pairs"]} & planned)
    again = run("plan", "sample_data/roster.csv", "--rounds", "3", "-o", str(folder))
    assert again.exit_code == 5  # nothing replaced without --force
