"""Several rounds planned together (`pairctl plan`): no pair repeats within the plan, and
same-specialty pairs as few as the whole plan allows, then the best total. Pure.

Planning one round at a time can paint a programme into a corner: the first rounds use up
the cross-specialty partners the last ones needed. Up to `EXACT_PLAN_LIMIT` people taking
part every schedule is searched; above that, round-by-round plans from several seeds are
compared and the best kept, so a plan is never worse than planning round by round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from pairctl.core.matching import OddRule, Solver, match_with_pins
from pairctl.core.model import Group, Pairing, Unmatched
from pairctl.core.scoring import ScoreModel

EXACT_PLAN_LIMIT = 6
"""Up to this many people taking part (an even count, nothing pinned), every schedule of
perfect pairings is tried."""
SEEDS_TRIED = 6
"""Round-by-round plans compared above that limit (seed, seed + 1, ...)."""


@dataclass(frozen=True)
class Plan:
    """The rounds, in order, and what they add up to over the plan."""

    rounds: tuple[Pairing, ...]
    same_specialty: int
    repeats: int
    total: float

    def key(self) -> tuple[int, int, float]:
        """What a better plan has: fewer same-specialty links, then fewer repeats, then a
        higher total."""
        return (self.same_specialty, self.repeats, -self.total)


def plan_rounds(
    model: ScoreModel,
    keys: Sequence[str],
    rounds: int,
    *,
    seed: int,
    odd: OddRule,
    solver: Solver,
    pins: Sequence[Sequence[int]] = (),
    absent: Mapping[int, str] | None = None,
    after: Callable[[ScoreModel, Pairing], ScoreModel] | None = None,
) -> Plan:
    """The best plan of `rounds` rounds found. `model` carries the rules and the history;
    `after(model, pairing)` is the model of the next round (by default: the pairing's pairs
    become repeats)."""
    absent = absent or {}
    step = after or with_its_pairs
    best: Plan | None = None
    for tried in range(SEEDS_TRIED):
        plan = one_by_one(model, keys, rounds, seed + tried, odd, solver, pins, absent, step)
        if best is None or plan.key() < best.key():
            best = plan
    taking_part = [i for i in range(len(keys)) if i not in absent]
    if not pins and len(taking_part) % 2 == 0 and len(taking_part) <= EXACT_PLAN_LIMIT:
        searched = _every_schedule(model, taking_part, rounds, seed, absent)
        if searched is not None and best is not None and searched.key() < best.key():
            best = searched
    if best is None:
        raise ValueError("a plan needs at least one round")
    return best


def with_its_pairs(model: ScoreModel, pairing: Pairing) -> ScoreModel:
    """The next round's model: this round's pairs (every link of a trio) become repeats."""
    links = [(a, b) for g in pairing.groups for a, b in combinations(g.members, 2)]
    return model.with_repeats(np.array(links, dtype=np.int64)) if links else model


def one_by_one(
    model: ScoreModel,
    keys: Sequence[str],
    rounds: int,
    seed: int,
    odd: OddRule,
    solver: Solver,
    pins: Sequence[Sequence[int]],
    absent: Mapping[int, str],
    step: Callable[[ScoreModel, Pairing], ScoreModel],
) -> Plan:
    """The plan `match` would make one round at a time, each round's pairs history for the
    next: what `plan_rounds` must never do worse than."""
    made = []
    current = model
    for number in range(rounds):
        pairing = match_with_pins(
            current, keys, pins if number == 0 else (), absent, seed=seed, odd=odd, solver=solver
        )
        made.append(pairing)
        current = step(current, pairing)
    return _measure(model, made)


def _measure(model: ScoreModel, made: Sequence[Pairing]) -> Plan:
    """Same-specialty links, repeats (of the history or within the plan) and the plain total."""
    plain = model.plain()
    seen: set[tuple[int, int]] = set()
    same = repeats = 0
    total = 0.0
    for pairing in made:
        for group in pairing.groups:
            for a, b in combinations(group.members, 2):
                x, y = np.array([a]), np.array([b])
                link = (min(a, b), max(a, b))
                same += int(model.specialty[a] == model.specialty[b] and model.specialty[a] >= 0)
                repeats += int(link in seen or bool(model.is_repeat(x, y)[0]))
                seen.add(link)
                total += float(plain.pair_scores(x, y)[0])
    return Plan(tuple(made), same, repeats, total)


def _perfect_pairings(people: list[int]) -> Iterator[list[tuple[int, int]]]:
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for i, other in enumerate(rest):
        for more in _perfect_pairings(rest[:i] + rest[i + 1 :]):
            yield [(first, other), *more]


@dataclass(frozen=True)
class _Option:
    """One perfect pairing of the people taking part, measured once."""

    pairs: tuple[tuple[int, int], ...]
    links: frozenset[tuple[int, int]]
    same: int
    past: int
    """Pairs that repeat the history."""
    total: float


def _every_schedule(
    model: ScoreModel,
    people: Sequence[int],
    rounds: int,
    seed: int,
    absent: Mapping[int, str],
) -> Plan | None:
    """The best schedule of perfect pairings over allowed pairs, by `Plan.key`."""
    plain = model.plain()
    options = []
    for pairing in _perfect_pairings(list(people)):
        a = np.array([x for x, _ in pairing], dtype=np.int64)
        b = np.array([y for _, y in pairing], dtype=np.int64)
        if model.is_blocked(a, b).any():
            continue
        spec_a, spec_b = model.specialty[a], model.specialty[b]
        options.append(
            _Option(
                pairs=tuple((int(x), int(y)) for x, y in pairing),
                links=frozenset((min(x, y), max(x, y)) for x, y in pairing),
                same=int(((spec_a == spec_b) & (spec_a >= 0)).sum()),
                past=int(model.is_repeat(a, b).sum()),
                total=float(plain.pair_scores(a, b).sum()),
            )
        )
    if not options:
        return None
    best: tuple[tuple[int, int, float], list[_Option]] | None = None

    def search(
        chosen: list[_Option], used: frozenset[tuple[int, int]], key: tuple[int, int, float]
    ) -> None:
        nonlocal best
        if best is not None and key[:2] > best[0][:2]:
            return  # already worse on what counts first
        if len(chosen) == rounds:
            if best is None or key < best[0]:
                best = (key, list(chosen))
            return
        for option in options:
            again = len(option.links & used)
            search(
                [*chosen, option],
                used | option.links,
                (key[0] + option.same, key[1] + option.past + again, key[2] - option.total),
            )

    search([], frozenset(), (0, 0, 0.0))
    if best is None:
        return None
    made = [_as_pairing(model, option.pairs, seed, absent) for option in best[1]]
    return _measure(model, made)


def _as_pairing(
    model: ScoreModel, pairs: Sequence[tuple[int, int]], seed: int, absent: Mapping[int, str]
) -> Pairing:
    plain = model.plain()
    groups = []
    for x, y in sorted((min(a, b), max(a, b)) for a, b in pairs):
        score = float(plain.pair_scores(np.array([x]), np.array([y]))[0])
        groups.append(Group(members=(x, y), score=score))
    return Pairing(
        groups=tuple(groups),
        unmatched=tuple(
            Unmatched(index=i, reason=why, absent=True) for i, why in sorted(absent.items())
        ),
        solver="planned",
        seed=seed,
        objective=sum(g.score for g in groups),
    )
