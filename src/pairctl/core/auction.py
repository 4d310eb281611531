"""Prices for the assignment relaxation over a sparse graph, by an epsilon-scaling auction.

The certified bound (`core/bound.py`) needs dual values for the candidate graph; the auction
gives them in a few vectorised passes where an LP solver takes seconds at 1,000 people. Only
the prices are used: any prices give a sound bound once the bound's pass has checked every
pair, so the auction may stop early (a small share of bidders still free) without harm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from pairctl.core.scoring import FloatArray, IntArray, index_type, spans


@dataclass(frozen=True)
class Arcs:
    """Both directions of every edge plus a self arc per person, row by row (CSR)."""

    indptr: IntArray
    cols: IntArray
    values: FloatArray

    @property
    def size(self) -> int:
        return len(self.indptr) - 1


def arcs_of(n: int, lo: IntArray, hi: IntArray, weights: FloatArray, alone: float) -> Arcs:
    """The bipartite arcs of the distinct undirected edges (lo, hi) with their weights; a
    self arc at `alone` keeps a full assignment possible whatever the graph."""
    # 32-bit people: some ten million arcs at 100,000 people, held through the auction.
    small = index_type(n)
    rows = np.concatenate([lo, hi, np.arange(n)]).astype(small)
    cols = np.concatenate([hi, lo, np.arange(n)]).astype(small)
    values = np.concatenate([weights, weights, np.full(n, alone)])
    table = sparse.csr_matrix((values, (rows, cols)), shape=(n, n))
    del rows, cols, values
    table.sum_duplicates()
    table.sort_indices()
    return Arcs(table.indptr.astype(np.int64), table.indices, table.data.astype(float))


_MAX_ROUNDS = 200_000


def auction(
    arcs: Arcs,
    prices: FloatArray | None = None,
    *,
    eps_start: float = 0.5,
    eps_end: float = 1e-3,
    factor: float = 4.0,
    tail: float = 0.005,
) -> tuple[FloatArray, IntArray]:
    """Prices p of a Jacobi forward auction (every free bidder bids at once), for the
    largest assignment of bidders to objects on `arcs`, and that assignment (each bidder's
    object, -1 for the few still free; a self arc means alone).

    Each phase lowers epsilon; between phases only the bidders that break the new
    epsilon's slackness bid again. A phase stops when `tail` of the bidders are still free:
    the last few take thousands of rounds and move the prices very little.
    """
    n = arcs.size
    indptr, cols, values = arcs.indptr, arcs.cols, arcs.values
    degree = np.diff(indptr)
    row_of_arc = np.repeat(np.arange(n, dtype=cols.dtype), degree)
    p = np.zeros(n) if prices is None else prices.copy()
    owner = np.full(n, -1, dtype=np.int64)
    got = np.full(n, -1, dtype=np.int64)
    eps = eps_start
    rounds = 0
    while True:
        gain = values - p[cols]
        best = np.maximum.reduceat(gain, indptr[:-1])
        held = np.full(n, -np.inf)
        on_own = (got[row_of_arc] >= 0) & (cols == got[row_of_arc])
        np.maximum.at(held, row_of_arc[on_own], gain[on_own])
        unhappy = (got >= 0) & (held < best - eps)
        owner[got[unhappy]] = -1
        got[unhappy] = -1
        free = np.flatnonzero(got < 0)
        stop = int(tail * n)
        while len(free) > stop and rounds < _MAX_ROUNDS:
            rounds += 1
            free = _bid(indptr, cols, values, p, owner, got, free, eps)
        if eps <= eps_end:
            return p, got
        eps = max(eps / factor, eps_end)


def _bid(
    indptr: IntArray,
    cols: IntArray,
    values: FloatArray,
    p: FloatArray,
    owner: IntArray,
    got: IntArray,
    free: IntArray,
    eps: float,
) -> IntArray:
    """One round: each free bidder bids for its best object; the highest bid on each object
    wins it (ties: the first). Updates p, owner and got; returns who is free next."""
    n = len(p)
    lengths = np.diff(indptr)[free]
    # The bids are made against the same prices, so they can be worked out a slice of the
    # bidders at a time: the first round (everyone free, ten million arcs at 100,000
    # people) would otherwise hold half a gigabyte of per-arc temporaries.
    pieces = [
        _bids(indptr, cols, values, p, free[lo:hi], eps) for lo, hi in spans(lengths, _BID_ARCS)
    ]
    target, bid = (np.concatenate(part) for part in zip(*pieces, strict=True))
    top = np.full(n, -np.inf)
    np.maximum.at(top, target, bid)
    winners = np.flatnonzero(bid >= top[target])
    winners = winners[np.argsort(target[winners], kind="stable")]
    winners = winners[np.concatenate(([True], target[winners][1:] != target[winners][:-1]))]
    objects, bidders = target[winners], free[winners]
    outbid = owner[objects]
    p[objects] = bid[winners]
    owner[objects] = bidders
    got[bidders] = objects
    lost = outbid[outbid >= 0]
    got[lost] = -1
    still = np.ones(len(free), dtype=bool)
    still[winners] = False
    return np.concatenate([free[still], lost])


_BID_ARCS = 1_000_000
"""Arcs looked at per slice of a round's bidders."""


def _bids(
    indptr: IntArray, cols: IntArray, values: FloatArray, p: FloatArray, free: IntArray, eps: float
) -> tuple[IntArray, FloatArray]:
    """Each bidder's best object and its bid: the object's price raised by the bidder's
    margin over its second best, plus eps."""
    starts, lengths = indptr[free], np.diff(indptr)[free]
    first = np.cumsum(lengths) - lengths
    who = np.repeat(np.arange(len(free)), lengths)
    arc = np.repeat(starts, lengths) + (np.arange(int(lengths.sum())) - np.repeat(first, lengths))
    gain = values[arc] - p[cols[arc]]
    best = np.maximum.reduceat(gain, first)
    at_best = np.flatnonzero(gain == best[who])
    at_best = at_best[np.concatenate(([True], who[at_best][1:] != who[at_best][:-1]))]
    target = cols[arc[at_best]]
    gain[at_best] = -np.inf
    second = np.maximum.reduceat(gain, first)
    second = np.where(lengths > 1, second, best - 1.0)
    bid: FloatArray = p[target] + (best - second) + eps
    return target, bid


def duals_from_prices(arcs: Arcs, prices: FloatArray) -> FloatArray:
    """y = (u + p) / 2 with u_i = max_j (w_ij - p_j): y_a + y_b >= w_ab on every edge."""
    gain = arcs.values - prices[arcs.cols]
    u = np.maximum.reduceat(gain, arcs.indptr[:-1])
    duals: FloatArray = (u + prices) / 2
    return duals
