"""The best pairing of a large roster, found on its candidate graph and proven best over all
pairs (docs/quality-at-scale.md, "Exact to 5,000").

The blossom over every pair grows as n^3 (about a minute at 2,000 people). Over the
candidate graph it is fast, and LP duality says when that is enough. With y feasible for
every pair (y_u + y_v >= w_uv) and a perfect matching M of total LB, any perfect matching M'
totals sum(y) - (its edges' reduced costs y_u + y_v - w_uv). So a matching better than M
uses only pairs of reduced cost at most sum(y) - LB less one unit; the blossom over the
graph plus those pairs is optimal for the whole roster. Scores are the blossom's integers
(1/10,000ths), so "better" means by at least one unit and the test is exact.

The duals come from the assignment relaxation solved exactly (scipy's LAPJVsp, then the
prices as longest paths), made feasible for all pairs by adding the pairs the check finds
violating until none is left.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from pairctl.core.bound import Violations, candidate_edges
from pairctl.core.candidates import candidates
from pairctl.core.scoring import IntArray, ScoreModel

SCALE = 10_000
"""Score units per point, as the blossom's integer weights (`matching._COST_SCALE`)."""
GAP_PAIRS_LIMIT = 2_000_000
"""Above this many pairs to add for the proof, give up (the caller falls back)."""
_ROUNDS = 40
_KEEP = 8


def units(scores: np.ndarray) -> IntArray:
    """Scores in whole units of 1/SCALE."""
    rounded: IntArray = np.round(np.asarray(scores) * SCALE).astype(np.int64)
    return rounded


def proven_pairs(model: ScoreModel) -> list[tuple[int, int]] | None:
    """The pairs (lower index first; n is the stand-in of an odd roster) of a best perfect
    matching on the rounded scores, with an odd roster's stand-in weighing each person's
    rotation cost; None when the proof cannot be had cheaply (the caller then solves over
    every pair)."""
    from pairctl.core.matching import _blossom

    n = model.size
    nodes = n + n % 2
    lo, hi = candidate_edges(candidates(model, 0)[0])
    stand_in = _stand_in_edges(model)
    check = Violations(model, scale=SCALE)
    for _ in range(_ROUNDS):
        a, b, w = _graph(model, lo, hi, stand_in)
        twice = _duals_twice(nodes, a, b, w)
        if twice is None:
            return None
        found = check(twice[:n] / (2 * SCALE), _KEEP)
        if found is None:
            return None
        add_lo, add_hi = found.pairs
        if not len(add_lo):
            break
        keys = np.union1d(lo * n + hi, add_lo * n + add_hi)
        lo, hi = keys // n, keys % n
    else:
        return None
    pairs = _blossom(nodes, a, b, w - w.min() + 1)
    if len(pairs) < nodes // 2:
        return None  # the graph has no perfect matching: leave it to the full blossom
    gap = int(twice.sum()) - 2 * _total(pairs, a, b, w, nodes) - 2
    if gap < 0:
        return pairs  # no matching can be better by a whole unit
    # Every pair of reduced cost <= gap / 2: moved by the quarter unit, those read as
    # violations of the shifted duals, and no others do.
    shifted = (twice[:n] - gap / 2 - 0.5) / (2 * SCALE)
    found = check(shifted, None)
    if found is None:
        return None
    gap_lo, gap_hi = found.pairs
    if len(gap_lo) > GAP_PAIRS_LIMIT:
        return None
    keys = np.union1d(lo * n + hi, gap_lo * n + gap_hi)
    a, b, w = _graph(model, keys // n, keys % n, stand_in)
    return _blossom(nodes, a, b, w - w.min() + 1)


def _stand_in_edges(model: ScoreModel) -> IntArray | None:
    """On an odd roster: what pairing each person with the stand-in weighs (minus their
    rotation cost, or 0), in units; None on an even roster."""
    n = model.size
    if not n % 2:
        return None
    cost = model.odd_cost if model.odd_cost is not None else np.zeros(n)
    return units(-cost)


def _graph(
    model: ScoreModel, lo: IntArray, hi: IntArray, stand_in: IntArray | None
) -> tuple[IntArray, IntArray, IntArray]:
    """The edges with their weights in units, the stand-in's n edges added on an odd roster."""
    w = units(model.pair_scores(lo, hi))
    if stand_in is None:
        return lo, hi, w
    n = model.size
    people = np.arange(n, dtype=np.int64)
    return (
        np.concatenate([lo, people]),
        np.concatenate([hi, np.full(n, n, dtype=np.int64)]),
        np.concatenate([w, stand_in]),
    )


def _total(pairs: list[tuple[int, int]], a: IntArray, b: IntArray, w: IntArray, nodes: int) -> int:
    keys = a * nodes + b
    order = np.argsort(keys)
    wanted = np.array([x * nodes + y for x, y in pairs], dtype=np.int64)
    return int(w[order[np.searchsorted(keys[order], wanted)]].sum())


def _duals_twice(nodes: int, a: IntArray, b: IntArray, w: IntArray) -> IntArray | None:
    """2y for an optimal dual of the fractional perfect matching LP on the edges (a, b)
    (integers: y is half-integral), from the optimal assignment of the edges taken both
    ways (a self arc far below every edge keeps one possible)."""
    alone = int(w.min()) - 10 * (int(w.max()) - int(w.min()) + 1)
    rows = np.concatenate([a, b, np.arange(nodes)])
    cols = np.concatenate([b, a, np.arange(nodes)])
    weights = np.concatenate([w, w, np.full(nodes, alone, dtype=np.int64)])
    order = np.lexsort((cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    cost = sparse.csr_matrix(
        ((int(weights.max()) + 1 - weights).astype(np.float64), (rows, cols)),
        shape=(nodes, nodes),
    )
    _, assigned = min_weight_full_bipartite_matching(cost)
    assigned = assigned.astype(np.int64)
    keys = rows * nodes + cols
    own = weights[np.searchsorted(keys, np.arange(nodes) * nodes + assigned)]
    # Prices p with p_j >= p_assigned(i) + w_ij - w_i,assigned(i) on every arc: longest
    # paths from zero, which exist because the assignment is optimal (no positive cycle).
    source = assigned[rows]
    step = weights - own[rows]
    prices = np.zeros(nodes, dtype=np.int64)
    for _ in range(nodes + 1):
        reached = prices.copy()
        np.maximum.at(reached, cols, prices[source] + step)
        if np.array_equal(reached, prices):
            twice: IntArray = own - prices[assigned] + prices
            return twice
        prices = reached
    return None  # not reached for an optimal assignment; no proof rather than a wrong one
