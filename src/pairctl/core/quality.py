"""How close a pairing is to the best possible: against the exact optimum where that is quick,
otherwise against an upper bound (the assignment relaxation), and say which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pairctl.core.bound import bound_rounds, candidate_edges
from pairctl.core.candidates import candidates
from pairctl.core.matching import exact, pairs_total
from pairctl.core.model import Pairing
from pairctl.core.scoring import ScoreModel

Reference = Literal["exact", "bound", "none"]

EXACT_QUALITY_LIMIT = 1000
"""Up to this many people the exact optimum is computed for the quality figure (0.16 s at
300 here, about 1 s at 1,000 over the candidate graph); above it, an upper bound."""
BOUND_LIMIT = 3000
"""Up to this many people the dense assignment bound is computed (an n x n matrix; about 1 s
at 2,000 and 7 s at 5,000 here); above it the certified bound of `core/bound.py`, which
needs no matrix."""


@dataclass(frozen=True)
class Quality:
    """The pairing's objective against a reference total."""

    reference: Reference
    """'exact': the best possible pairing's total; 'bound': a total no pairing can exceed;
    'none': not computed (the check over all pairs would be too large)."""
    value: float | None
    percent: float | None
    """100 * objective / value, when value is positive."""
    why: str = ""
    """With no reference: why not, in a few words."""

    def describe(self) -> str:
        """One phrase for the summary."""
        if self.value is None:
            return f"not measured ({self.why})" if self.why else "not measured"
        if self.percent is None:
            return "no share to give (the best possible total is not positive)"
        against = "the exact optimum" if self.reference == "exact" else "an upper bound"
        return f"{self.percent:.2f}% of {against}"


NOT_MEASURED = Quality("none", None, None)
TOO_MANY_PAIRS = Quality("none", None, None, "too many pairs to check for a bound")


def assignment_bound(model: ScoreModel) -> float:
    """Half the best assignment of the symmetric score matrix: no pairing can beat it.

    A pairing is an assignment made of two-cycles, so its total is half an assignment's.
    With an odd count one person stays alone, which a zero diagonal allows.
    """
    from scipy.optimize import linear_sum_assignment

    n = model.size
    scores = model.dense()
    np.fill_diagonal(scores, 0.0 if n % 2 else scores[np.isfinite(scores)].min() - 1e6)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return float(scores[rows, cols].sum()) / 2


def unavoidable_penalty(model: ScoreModel) -> float:
    """The same-specialty penalty every pairing pays: a specialty holding more than half the
    roster must pair its surplus among itself (docs/scoring.md)."""
    return model.weights.same_specialty * (model.specialty_surplus() // 2)


def assess(model: ScoreModel, pairing: Pairing) -> Quality:
    """The quality figure for `pairing` of the roster `model` scores.

    The share is taken after adding back the penalty no pairing can avoid, so a roster where
    one specialty holds most people is judged on what the matcher could influence.

    With two-way pairs required, both sides are the plain score (the steering penalty taken
    out): the pairing's total against the exact optimum under the same rule (the penalised
    optimum has the fewest one-way pairs, and among those the best plain total), or against
    the plain assignment bound, which no pairing, rule or not, can exceed. Adding the penalty
    back to a penalised bound instead would be sound but far too loose to mean anything.

    Someone the rules keep apart from everyone is left out by every pairing (`match` sets
    them aside first), so the best pairing and the bound leave them out too, instead of
    forcing them into a pair at -1,000.
    """
    objective = pairing.objective + model.one_way_penalty * _one_way(model, pairing)
    alone = model.allowed_partners() <= 0
    free = model.permuted(np.flatnonzero(~alone)) if alone.any() else model
    n = free.size
    offset = unavoidable_penalty(free)
    plain = free.requiring_two_way(False)
    if pairing.solver == "exact":
        return _quality("exact", objective, objective, offset)
    if n < 2:
        return NOT_MEASURED
    if n <= EXACT_QUALITY_LIMIT:
        best = pairs_total(plain, exact(free))
        return _quality("exact", best, objective, offset)
    if n <= BOUND_LIMIT:
        return _quality("bound", assignment_bound(plain), objective, offset)
    # Above `RELAXATION_LIMIT` the matcher computed it on the way, on these people.
    bound = pairing.bound if pairing.bound is not None else candidate_bound(plain)
    if not np.isfinite(bound):
        return TOO_MANY_PAIRS
    return _quality("bound", bound, objective, offset)


def candidate_bound(model: ScoreModel) -> float:
    """The certified bound started from the candidate graph (`core/bound.py`); infinite when
    the roster's pairs cannot be checked in reasonable time."""
    lo, hi = candidate_edges(candidates(model, 0)[0])
    return bound_rounds(model, lo, hi, model.pair_scores(lo, hi)).value


def _one_way(model: ScoreModel, pairing: Pairing) -> int:
    """How many of the pairs behind `pairing.objective` are one-way (0 unless two-way pairs
    are required): each pair the matcher made, and of a trio its best link, as the objective
    counts them (`matching_total`).

    The objective's plain total is then `objective + one_way_penalty * k`.

    `model` scores the people the matcher was free to pair (pinned pairs and people out this
    round aside, as the pipeline passes it) or the whole roster; the pairing's indices are
    the roster's, so they are mapped onto those people first.
    """
    if not model.one_way_penalty:
        return 0
    groups = [g.members for g in pairing.groups if not g.pinned]
    taking_part = sorted(
        {m for g in groups for m in g} | {u.index for u in pairing.unmatched if not u.absent}
    )
    if len(taking_part) == model.size:
        position = {person: i for i, person in enumerate(taking_part)}
        groups = [tuple(position[m] for m in g) for g in groups]
    count = 0
    for members in groups:
        links = [(x, y) for i, x in enumerate(members) for y in members[i + 1 :]]
        a = np.array([x for x, _ in links], dtype=np.int64)
        b = np.array([y for _, y in links], dtype=np.int64)
        best = int(np.argmax(model.pair_scores(a, b)))
        count += int(not model.is_two_way(a[best : best + 1], b[best : best + 1])[0])
    return count


def _quality(reference: Reference, value: float, objective: float, offset: float) -> Quality:
    base = value + offset
    percent = 100.0 * (objective + offset) / base if base > 0 else None
    return Quality(reference, value, percent)
