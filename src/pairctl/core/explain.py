"""Why a person got their partner, and why not someone else. Pure: model and pairing in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from pairctl.core.model import Pairing, Roster
from pairctl.core.scoring import ScoreModel, lesson


@dataclass(frozen=True)
class Option:
    """One candidate partner, scored and taken apart, with the verdict."""

    key: str
    name: str
    score: float
    parts: dict[str, float]
    teaches: tuple[str, ...]
    """What the person explained teaches this candidate."""
    learns: tuple[str, ...]
    """What the candidate teaches the person explained."""
    verdict: str


def explain(
    roster: Roster,
    model: ScoreModel,
    pairing: Pairing,
    index: int,
    reasons: Mapping[tuple[int, int], str],
    absent: Mapping[int, str],
    alternatives: int = 5,
) -> tuple[list[Option], list[Option]]:
    """(the chosen partners, the best other candidates), each with the reason."""
    people = roster.people
    # Candidates are ranked and shown on the plain score, so one a rule or the history rules
    # out still appears, with that as the verdict, instead of sinking out of sight.
    empty = np.zeros(0, dtype=np.int64)
    plain = replace(model, blocked=empty, repeats=empty, faded=empty)
    group_of = {m: g for g in pairing.groups for m in g.members}
    mine = group_of.get(index)
    partners = [m for m in mine.members if m != index] if mine else []

    def option(other: int, verdict: str) -> Option:
        return Option(
            key=people[other].key,
            name=people[other].name,
            score=float(plain.pair_scores(np.array([index]), np.array([other]))[0]),
            parts=plain.parts(index, other),
            teaches=lesson(people[index], people[other], roster),
            learns=lesson(people[other], people[index], roster),
            verdict=verdict,
        )

    chosen = [option(p, "chosen") for p in partners]
    mine_score = max((o.score for o in chosen), default=-np.inf)
    others = np.array([i for i in range(len(people)) if i != index and i not in partners])
    if len(others) == 0:
        return chosen, []
    scores = plain.pair_scores(np.full(len(others), index), others)
    best = others[np.lexsort((others, -scores))][:alternatives]
    rest = []
    for other in best.tolist():
        pair = (min(index, other), max(index, other))
        if pair in reasons:
            verdict = f"blocked by a rule: {reasons[pair]}"
        elif other in absent:
            verdict = f"not available: {absent[other]}"
        elif model.is_repeat(np.array([index]), np.array([other]))[0]:
            verdict = "paired with them in an earlier round"
        elif (
            other in group_of
            and float(model.pair_scores(np.array([index]), np.array([other]))[0]) > mine_score
        ):
            taken = ", ".join(people[m].key for m in group_of[other].members if m != other)
            verdict = (
                f"taken by someone else: paired with {taken}, which gives a higher total "
                "for everyone"
            )
        else:
            verdict = "lower score than the chosen partner"
        rest.append(option(other, verdict))
    return chosen, rest
