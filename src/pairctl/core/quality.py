"""How close a pairing is to the best possible: against the exact optimum where that is quick,
otherwise against an upper bound (the assignment relaxation), and say which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pairctl.core.matching import exact, pairs_total
from pairctl.core.model import Pairing
from pairctl.core.scoring import ScoreModel

Reference = Literal["exact", "bound", "none"]

EXACT_QUALITY_LIMIT = 120
"""Up to this many people the exact optimum is computed for the quality figure (under a
second here); above it, an upper bound."""
BOUND_LIMIT = 3000
"""Up to this many people the assignment bound is computed (a dense n x n matrix; about 1 s
at 2,000 and 7 s at 5,000 here); above it no quality figure is given."""


@dataclass(frozen=True)
class Quality:
    """The pairing's objective against a reference total."""

    reference: Reference
    """'exact': the best possible pairing's total; 'bound': a total no pairing can exceed;
    'none': not computed (roster too large)."""
    value: float | None
    percent: float | None
    """100 * objective / value, when value is positive."""

    def describe(self) -> str:
        """One phrase for the summary."""
        if self.value is None:
            return "not measured (roster too large for a reference)"
        if self.percent is None:
            return "no share to give (the best possible total is not positive)"
        against = "the exact optimum" if self.reference == "exact" else "an upper bound"
        return f"{self.percent:.2f}% of {against}"


NOT_MEASURED = Quality("none", None, None)


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
    """
    n = model.size
    offset = unavoidable_penalty(model)
    if pairing.solver == "exact":
        return _quality("exact", pairing.objective, pairing.objective, offset)
    if n <= EXACT_QUALITY_LIMIT:
        best = pairs_total(model, exact(model))
        return _quality("exact", best, pairing.objective, offset)
    if n <= BOUND_LIMIT:
        return _quality("bound", assignment_bound(model), pairing.objective, offset)
    return NOT_MEASURED


def _quality(reference: Reference, value: float, objective: float, offset: float) -> Quality:
    base = value + offset
    percent = 100.0 * (objective + offset) / base if base > 0 else None
    return Quality(reference, value, percent)
