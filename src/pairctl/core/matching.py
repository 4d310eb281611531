"""Pairing everyone: the greedy-plus-swap engine (default) and the exact reference solver.

Everything runs in a canonical order (people sorted by a seeded shuffle of their keys), so
the same roster and seed give the same pairs whatever order the rows came in: ties are
broken by that order, never by row position.

The default engine (docs/scoring.md, "The matching"):

1. candidates: each person's best partners by score, a few random ones and, in a majority
   specialty, some from their own (`pairctl.core.candidates`);
2. seed: the assignment relaxation over those candidates (every person picks a partner,
   partners may not be shared, but "picks" need not be mutual), whose cycles are split into
   pairs, or above `RELAXATION_LIMIT` the same relaxation solved by the certified bound's
   auction, whose rounds also add to the candidates the pairs they missed
   (`pairctl.core.bound`); whoever is left is seated greedily;
3. swaps: partners are exchanged between two pairs while that raises the total, looking
   at every candidate of every person, until no exchange does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, islice
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from pairctl.core.bound import BOUND_ROUNDS, bound_rounds, candidate_edges
from pairctl.core.candidates import candidates
from pairctl.core.model import Group, Pairing, Unmatched
from pairctl.core.scoring import ScoreModel, among, places
from pairctl.core.words import plural
from pairctl.errors import UsageError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
OddRule = Literal["trio", "leave-out"]
Solver = Literal["greedy-swap", "exact"]
Progress = Callable[[str], None]

EXACT_LIMIT = 5000
"""Largest roster the exact solver takes (on generated rosters here, about 25 s at 5,000
people, docs/BENCHMARKS.md)."""
DENSE_EXACT_LIMIT = 500
"""Up to this many people the blossom runs over every pair (0.7 s at 500); above it over
the candidate graph, proven best for all pairs (`core/exact_graph.py`)."""
EXACT_LIMIT_ALL_PAIRS = 2000
"""Where that proof cannot be had, the blossom over every pair still runs up to this many
people (it grows with the cube: 9 s at 1,000, a minute at 2,000)."""
RELAXATION_LIMIT = 3000
"""Above this many people the relaxation is solved by the certified bound's auction rather
than LAPJVsp, which grows faster (30 s at 20,000 people here against 2 s): faster, closer
to the bound, and the bound the quality figure needs comes with it (docs/BENCHMARKS.md)."""
ODD_LEFT_OUT = "odd number of people: left out (--odd leave-out)"
# Gains smaller than this are rounding noise; taking them could loop forever.
_EPS = 1e-9
_MAX_ROUNDS = 200
# Moves of the odd one out tried after the swaps when who it is carries a rotation cost.
_ODD_MOVES = 5
_COST_SCALE = 10_000.0
# Reasons spelled out for someone nobody may pair with; the rest are counted.
_REASONS_SHOWN = 3
# Up to this many people, re-pairing after a forced pair takes in the whole roster (an exact
# matching over allowed pairs); above it, the pairs of each loose person's best partners.
_REPAIR_ALL = 80
_REPAIR_REACH = 12
# Loose people re-paired at once on a large roster (see _pair_again).
_REPAIR_BATCH = 8
# Up to this many people, the pairs are rearranged if that is what makes room for a trio.
_TRIO_SEARCH = 16
_TAKEN = "no allowed partner left (everyone they may pair with is in another group)"


class TooLargeForExact(UsageError):
    """The exact solver was asked for a roster above `EXACT_LIMIT`."""


@dataclass(frozen=True)
class _Scorer:
    """Pair scores in canonical order, with an optional stand-in partner (index n) who
    scores 0 with everyone (less the rotation cost of whoever was the odd one before):
    whoever ends beside it is the person whose absence costs least."""

    model: ScoreModel

    @property
    def n(self) -> int:
        return self.model.size

    def __call__(self, a: IntArray, b: IntArray) -> FloatArray:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        result = np.zeros(len(a), dtype=np.float64)
        real = (a < self.n) & (b < self.n)
        result[real] = self.model.pair_scores(a[real], b[real])
        cost = self.model.odd_cost
        if cost is not None:
            beside = (b >= self.n) & (a < self.n)
            result[beside] = -cost[a[beside]]
            beside = (a >= self.n) & (b < self.n)
            result[beside] = -cost[b[beside]]
        return result


def canonical_order(keys: Sequence[str], seed: int) -> IntArray:
    """Roster indices in a seeded order that depends on the keys only, not on row order."""
    by_key = np.array(sorted(range(len(keys)), key=lambda i: keys[i]), dtype=np.int64)
    shuffle = np.random.default_rng(seed).permutation(len(keys))
    return by_key[shuffle]


def _greedy_edges(
    a: IntArray, c: IntArray, score: FloatArray, free: npt.NDArray[np.bool_]
) -> list[tuple[int, int]]:
    """Take the best edge whose two people are both free, until none is left; ties go to
    the lower indices. Marks the people it pairs as no longer free."""
    pairs: list[tuple[int, int]] = []
    order = np.lexsort((c, a, -score))
    for x, y in zip(a[order].tolist(), c[order].tolist(), strict=True):
        if x != y and free[x] and free[y]:
            free[x] = free[y] = False
            pairs.append((x, y))
    return pairs


def relaxation_pairs(
    cand: IntArray, cand_scores: FloatArray
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pairs from the assignment relaxation over candidate edges, and who is left over.

    Every person is assigned one partner (or themself, at a prohibitive cost) so that no
    partner is used twice and the total score is highest. Mutual picks are pairs; a longer
    cycle a1 -> a2 -> ... is split into the better half of its alternating edges (an odd one
    leaving out the member whose absence keeps the most).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n, k = cand.shape
    rows = np.repeat(np.arange(n), k)
    cols = cand.ravel()
    vals = cand_scores.ravel()
    # Both directions of every candidate edge; the score is symmetric, so duplicates agree.
    rows, cols, vals = (
        np.concatenate([rows, cols]),
        np.concatenate([cols, rows]),
        np.concatenate([vals, vals]),
    )
    keep = np.unique(rows * n + cols, return_index=True)[1]
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    top = float(vals.max()) if len(vals) else 0.0
    bottom = float(vals.min()) if len(vals) else 0.0
    # Costs must be positive (zero means "no edge"), and whole numbers: scipy's LAPJVsp can
    # loop forever on float costs with near-ties (seen here on a 39-person roster). Scores
    # are kept to 1e-4. Staying alone costs more than any set of edges could save.
    cost = np.round((top + 1.0 - vals) * _COST_SCALE)
    alone = np.round((top - bottom + 2.0) * _COST_SCALE) * n
    graph = sparse.csr_matrix(
        (
            np.concatenate([cost, np.full(n, alone)]),
            (np.concatenate([rows, np.arange(n)]), np.concatenate([cols, np.arange(n)])),
        ),
        shape=(n, n),
    )
    _, partner = min_weight_full_bipartite_matching(graph)
    # The score of each person's assigned edge, looked up among the candidate edges.
    at = np.searchsorted(rows * n + cols, np.arange(n) * n + partner)
    picked = vals[np.minimum(at, len(vals) - 1)]
    return _split_cycles(partner, np.where(partner == np.arange(n), 0.0, picked))


def _split_cycles(partner: IntArray, picked: FloatArray) -> tuple[list[tuple[int, int]], list[int]]:
    """Pairs from the cycles of an assignment; picked[i] scores the edge i -> partner[i]."""
    n = len(partner)
    seen = np.zeros(n, dtype=bool)
    pairs: list[tuple[int, int]] = []
    left: list[int] = []
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        nxt = int(partner[start])
        while nxt != start:
            cycle.append(nxt)
            seen[nxt] = True
            nxt = int(partner[nxt])
        size = len(cycle)
        if size == 1:
            left.append(start)
            continue
        weights = picked[cycle]
        if size % 2 == 0:
            first = int(weights[0::2].sum() < weights[1::2].sum())
            pairs += [(cycle[i], cycle[(i + 1) % size]) for i in range(first, size, 2)]
        else:
            # Leaving out member j keeps edges j+1, j+3, ..., j-2 (all indices mod size).
            steps = np.arange(0, size - 1, 2)
            kept = [weights[(j + 1 + steps) % size].sum() for j in range(size)]
            out = int(np.argmax(kept))
            left.append(cycle[out])
            pairs += [(cycle[(out + 1 + s) % size], cycle[(out + 2 + s) % size]) for s in steps]
    return pairs, left


def _seat_leftovers(
    left: list[int], cand: IntArray, cand_scores: FloatArray
) -> list[tuple[int, int]]:
    """Pair the people the seed left over: best candidate edge between two of them first,
    then whoever remains in canonical order (the swaps repair what that costs)."""
    if len(left) < 2:
        return []
    n, k = cand.shape
    free = np.zeros(n + 1, dtype=bool)  # + the stand-in, who has no candidate list
    free[left] = True
    real = np.array([p for p in left if p < n], dtype=np.int64)
    a = np.repeat(real, k)
    c = cand[real].ravel()
    s = cand_scores[real].ravel()
    inside = free[c]
    pairs = _greedy_edges(a[inside], c[inside], s[inside], free)
    rest = [p for p in left if free[p]]
    return pairs + list(zip(rest[0::2], rest[1::2], strict=False))


def improve_by_swaps(
    score: _Scorer,
    mate: IntArray,
    cand: IntArray,
    cand_scores: FloatArray,
    progress: Progress | None = None,
) -> IntArray:
    """Exchange partners between two pairs while that raises the total; stop when none does.

    For every person a (partner b) and every candidate c of a (partner d), the exchange
    (a, c) + (b, d) replaces (a, b) + (c, d). Each round scores the exchanges at once and
    applies the best ones that touch disjoint pairs. After the first round only exchanges
    with someone whose partner changed are scored again: the others' gains are as they were,
    and none of them was worth taking (one that lost to a conflict touched a changed pair).
    """
    mate = mate.copy()
    n, k = cand.shape
    a = np.repeat(np.arange(n, dtype=np.int64), k)
    c = cand.ravel()
    ac = cand_scores.ravel()
    changed: BoolArray | None = None
    for round_number in range(_MAX_ROUNDS):
        current = score(np.arange(len(mate)), mate)
        rows = np.arange(len(a)) if changed is None else np.flatnonzero(changed[a] | changed[c])
        b, d = mate[a[rows]], mate[c[rows]]
        differ = b != c[rows]
        ia = rows[differ]
        gain = ac[ia] + score(b[differ], d[differ]) - current[a[ia]] - current[c[ia]]
        good = gain > _EPS
        if not good.any():
            break
        ia, gain = ia[good], gain[good]
        order = np.lexsort((ia, -gain))
        touched = np.zeros(len(mate), dtype=bool)
        applied = 0
        for i in ia[order].tolist():
            p, q, r, s = int(a[i]), int(mate[a[i]]), int(c[i]), int(mate[c[i]])
            if touched[p] or touched[q] or touched[r] or touched[s]:
                continue
            touched[[p, q, r, s]] = True
            mate[p], mate[r] = r, p
            mate[q], mate[s] = s, q
            applied += 1
        changed = touched
        if progress is not None:
            progress(f"swaps: round {round_number + 1}, {plural(applied, 'exchange')}")
    return mate


def _mates_from_pairs(pairs: list[tuple[int, int]], size: int) -> IntArray:
    mate = np.full(size, -1, dtype=np.int64)
    for x, y in pairs:
        mate[x], mate[y] = y, x
    return mate


def greedy_swap(
    model: ScoreModel, seed: int = 0, progress: Progress | None = None
) -> tuple[IntArray, float | None]:
    """Partners for everyone in canonical order (index n = the stand-in when n is odd), and
    above `RELAXATION_LIMIT` the certified bound computed on the way (else None)."""
    n = model.size
    score = _Scorer(model)
    if progress is not None:
        progress("scoring candidates")
    cand, cand_scores = candidates(model, seed)
    bound = None
    if n <= RELAXATION_LIMIT:
        if progress is not None:
            progress("assignment relaxation")
        pairs, left = relaxation_pairs(cand, cand_scores)
    else:
        if progress is not None:
            progress("auction over the candidates, checked against every pair")
        pairs, left, cand, cand_scores, bound = _seed_from_the_bound(model, cand, cand_scores)
    if n % 2:
        left.append(n)  # the stand-in
    pairs += _seat_leftovers(left, cand, cand_scores)
    mate = _mates_from_pairs(pairs, n + n % 2)
    mate = improve_by_swaps(score, mate, cand, cand_scores, progress)
    if n % 2 and model.odd_cost is not None:
        for _ in range(_ODD_MOVES):
            moved = _move_the_odd_one(score, mate)
            if moved is None:
                break
            mate = improve_by_swaps(score, moved, cand, cand_scores, progress)
    return mate, bound


def _seed_from_the_bound(
    model: ScoreModel, cand: IntArray, cand_scores: FloatArray
) -> tuple[list[tuple[int, int]], list[int], IntArray, FloatArray, float]:
    """For a large roster: the certified bound's rounds (on the plain score, as the quality
    figure wants it) give the relaxation's assignment, whose pairs seed the swaps best first,
    and the pairs the sampled candidates missed, which join the candidate lists.

    The relaxation the smaller rosters use (LAPJVsp) grows too fast above
    `RELAXATION_LIMIT`; the auction is the same relaxation, and the rounds are needed anyway
    for the quality figure."""
    plain = model.requiring_two_way(False)
    lo, hi = candidate_edges(cand)
    found = bound_rounds(plain, lo, hi, plain.pair_scores(lo, hi), rounds=BOUND_ROUNDS)
    cand, cand_scores = _widened(model, cand, cand_scores, found.lo, found.hi)
    n = model.size
    bidder = np.flatnonzero((found.assignment >= 0) & (found.assignment != np.arange(n)))
    partner = found.assignment[bidder]
    free = np.ones(n, dtype=bool)
    pairs = _greedy_edges(bidder, partner, model.pair_scores(bidder, partner), free)
    return pairs, np.flatnonzero(free).tolist(), cand, cand_scores, found.value


_WIDEN = 12
"""At most this many partners the bound's rounds found are added to each candidate list."""


def _widened(
    model: ScoreModel, cand: IntArray, cand_scores: FloatArray, lo: IntArray, hi: IntArray
) -> tuple[IntArray, FloatArray]:
    """The candidate lists with the graph's pairs they lack (each row's best `_WIDEN`),
    padded with the person themself at -inf, which no swap takes."""
    n, k = cand.shape
    have = np.sort(np.repeat(np.arange(n, dtype=np.int64), k) * n + cand.ravel())
    rows = np.concatenate([lo, hi])
    others = np.concatenate([hi, lo])
    new = ~among(have, rows * n + others)
    rows, others = rows[new], others[new]
    if not len(rows):
        return cand, cand_scores
    scores = model.pair_scores(rows, others)
    order = np.lexsort((others, -scores, rows))
    rows, others, scores = rows[order], others[order], scores[order]
    place = places(rows)
    kept = place < _WIDEN
    rows, others, scores, place = rows[kept], others[kept], scores[kept], place[kept]
    width = int(place.max()) + 1
    extra = np.repeat(np.arange(n, dtype=np.int64)[:, None], width, axis=1)
    extra_scores = np.full((n, width), -np.inf)
    extra[rows, place] = others
    extra_scores[rows, place] = scores
    return np.hstack([cand, extra]), np.hstack([cand_scores, extra_scores])


def _move_the_odd_one(score: _Scorer, mate: IntArray) -> IntArray | None:
    """With a rotation cost: the best single move of the stand-in, in which the odd one o
    takes x's place beside x's partner y and x becomes the odd one, when it raises the
    total; None when none does. The swaps only see such a move through a candidate list."""
    n = score.n
    odd = int(mate[n])
    x = np.array([p for p in range(n) if p != odd and mate[p] < n], dtype=np.int64)
    if len(x) == 0:
        return None
    y = mate[x]
    stand_in = np.full(len(x), n, dtype=np.int64)
    them = np.full(len(x), odd, dtype=np.int64)
    gain = score(them, y) + score(x, stand_in) - score(x, y) - score(them, stand_in)
    best = int(np.argmax(gain))
    if gain[best] <= _EPS:
        return None
    moved = mate.copy()
    x_best, y_best = int(x[best]), int(y[best])
    moved[odd], moved[y_best] = y_best, odd
    moved[x_best], moved[n] = n, x_best
    return moved


def exact(model: ScoreModel) -> IntArray:
    """The best possible pairing of the same score (Edmonds' blossom, as many pairs as possible)."""
    n = model.size
    if n > EXACT_LIMIT:
        raise TooLargeForExact(
            f"--solver exact takes at most {plural(EXACT_LIMIT, 'person', 'people')} (about "
            f"25 s there); this roster has {n}"
        )
    if n > DENSE_EXACT_LIMIT:
        from pairctl.core.exact_graph import proven_pairs

        proven = proven_pairs(model)
        if proven is not None:
            return _mates_from_pairs(proven, n + n % 2)
        if n > EXACT_LIMIT_ALL_PAIRS:
            raise TooLargeForExact(
                f"--solver exact could not prove a pairing of these {n} people best from "
                f"their candidate partners, and over every pair it takes at most "
                f"{plural(EXACT_LIMIT_ALL_PAIRS, 'person', 'people')}"
            )
    scores = model.dense()
    i, j = np.triu_indices(n, k=1)
    s = scores[i, j]
    cost = model.odd_cost if n % 2 else None
    rotating = cost is not None
    if cost is not None:
        # The stand-in takes part, so who is the odd one weighs their rotation cost too.
        people = np.arange(n, dtype=np.int64)
        i = np.concatenate([i, people])
        j = np.concatenate([j, np.full(n, n, dtype=np.int64)])
        s = np.concatenate([s, -cost])
    pairs = _blossom(n + int(rotating), i, j, _blossom_weights(s))
    if n % 2 and not rotating:
        single = next(iter(set(range(n)) - {p for pair in pairs for p in pair}))
        pairs.append((single, n))
    return _mates_from_pairs(pairs, n + n % 2)


def match(
    model: ScoreModel,
    keys: Sequence[str],
    *,
    seed: int = 0,
    odd: OddRule = "trio",
    solver: Solver = "greedy-swap",
    progress: Progress | None = None,
) -> Pairing:
    """Pair everyone; an odd person joins the trio they fit best, or is left out.

    `model` scores people indexed like `keys` (the unique person keys). Someone a rule keeps
    from everyone else takes no part and is listed as unmatched, with the rules' reasons.
    The solvers use a pair the model blocks only when nothing else is possible; such pairs
    are undone and the people around them paired again, so that only those who truly have
    no allowed partner left are listed as unmatched.

    With two-way pairs required (`model.one_way_penalty`), the pairs in which someone teaches
    nothing are undone and re-paired the same way (`_repair_one_way`): up to `_REPAIR_ALL`
    people exactly as few of them remain as the roster forces, above it as few as the repair
    finds (best effort). The objective is then the total of the final pairs.
    """
    n = len(keys)
    if n < 2:
        raise ValueError("pairing needs at least 2 people")
    lonely = _without_any_allowed_partner(model)
    if not lonely:
        return _match(model, keys, seed=seed, odd=odd, solver=solver, progress=progress)
    # Nobody may pair with them: matching them would only force a forbidden pair that takes
    # a second person down with it. Everyone else has an allowed partner among the rest (a
    # lonely one is forbidden with them), so this happens once.
    unmatched = [Unmatched(index=i, reason=_lonely_reason(model, i)) for i in lonely]
    out = set(lonely)
    rest = np.array([i for i in range(n) if i not in out], dtype=np.int64)
    groups: list[Group] = []
    objective = 0.0
    bound = None
    if len(rest) >= 2:
        sub = _match(
            model.permuted(rest),
            [keys[i] for i in rest],
            seed=seed,
            odd=odd,
            solver=solver,
            progress=progress,
        )
        groups, lifted = _lift(sub, rest)
        unmatched += lifted
        objective, bound = sub.objective, sub.bound
    return _pairing(groups, unmatched, solver, seed, objective, bound)


def _lift(sub: Pairing, rest: IntArray) -> tuple[list[Group], list[Unmatched]]:
    """A pairing of the people `rest` (indexed 0..len-1) in the indices of the whole model."""
    local = rest.tolist()
    groups = [replace(g, members=tuple(sorted(local[m] for m in g.members))) for g in sub.groups]
    return groups, [replace(u, index=local[u.index]) for u in sub.unmatched]


def _pairing(
    groups: list[Group],
    unmatched: list[Unmatched],
    solver: Solver,
    seed: int,
    objective: float,
    bound: float | None = None,
) -> Pairing:
    """The result, groups in the order of their first member (stable for a seed)."""
    return Pairing(
        groups=tuple(sorted(groups, key=lambda grp: grp.members[0])),
        unmatched=tuple(unmatched),
        solver=solver,
        seed=seed,
        objective=objective,
        bound=bound,
    )


def _without_any_allowed_partner(model: ScoreModel) -> list[int]:
    """People a rule forbids with every other person of the model, in index order."""
    result: list[int] = np.flatnonzero(model.allowed_partners() <= 0).tolist()
    return result


def _blossom_weights(scores: FloatArray) -> IntArray:
    """Integer blossom weights: blossom on floats can stop short by rounding. Shifted
    positive, so a maximum-weight matching is also one with as many pairs as possible."""
    weights: IntArray = np.round((scores - scores.min() + 1.0) * _COST_SCALE).astype(np.int64)
    return weights


def _blossom(nodes: int, a: IntArray, b: IntArray, weights: IntArray) -> list[tuple[int, int]]:
    """The pairs (lower index first) of a maximum-weight matching with as many pairs as
    possible, over the edges (a, b) of the people 0..nodes-1: rustworkx's compiled blossom,
    on the integer weights it requires. The same graph gives the same pairs every run."""
    import rustworkx as rx

    # The edges are distinct pairs, so none is parallel (the blossom expects none); a simple
    # graph would look for an existing edge on every add: 13 s of 70 at 2,000 people here.
    graph = rx.PyGraph(multigraph=True)
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(list(zip(a.tolist(), b.tolist(), weights.tolist(), strict=True)))
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return [(min(x, y), max(x, y)) for x, y in found]


def _lonely_reason(model: ScoreModel, person: int) -> str:
    """Why nobody may pair with `person`: the rules, the first few spelled out. A rule
    forbids them with every other person, so only the few shown are looked up."""
    others = (other for other in range(model.size) if other != person)
    whys = list(
        dict.fromkeys(model.rule_reason(person, other) for other in islice(others, _REASONS_SHOWN))
    )
    shown = "; ".join(whys)
    more = model.size - 1 - _REASONS_SHOWN
    return f"no allowed partner left ({shown}{f'; and {more} more' if more > 0 else ''})"


def _match(
    model: ScoreModel,
    keys: Sequence[str],
    *,
    seed: int,
    odd: OddRule,
    solver: Solver,
    progress: Progress | None,
) -> Pairing:
    """`match` for a roster in which everyone has at least one allowed partner."""
    n = len(keys)
    order = canonical_order(keys, seed)
    canonical = model.permuted(order)
    bound = None
    if solver == "exact":
        mate = exact(canonical)
    else:
        mate, bound = greedy_swap(canonical, seed, progress)

    firsts = np.flatnonzero(np.arange(len(mate)) < mate)
    pairs = [[int(x), int(mate[x])] for x in firsts]
    objective = pairs_total(canonical, mate)
    extra = None
    if n % 2:
        with_stand_in = next(i for i, p in enumerate(pairs) if p[1] == n)
        extra = pairs.pop(with_stand_in)[0]

    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    two_way = _two_way_allowed(canonical) if canonical.one_way_penalty else None
    # Forced pairs are undone; so, when two-way pairs are required, are one-way ones.
    undone = canonical.is_blocked(a, b) if two_way is None else ~two_way(a, b)
    hits = undone.tolist()
    loose = sorted(x for p, hit in zip(pairs, hits, strict=True) if hit for x in p)
    pairs = [p for p, hit in zip(pairs, hits, strict=True) if not hit]
    if extra is not None:
        loose.insert(0, extra)
    if two_way is not None:
        pairs, loose = _repair_one_way(canonical, pairs, loose, two_way)
        loose.sort(key=lambda p: (p != extra, p))
    elif len(loose) >= 2:
        pairs, loose = _pair_again(canonical, pairs, loose)
        # The solver's odd one out stays the first to join a trio or to leave, as before.
        loose.sort(key=lambda p: (p != extra, p))
    if any(hits):
        # Forced pairs were undone (and maybe re-paired): the solver's total counted them.
        objective = matching_total(canonical, pairs)

    unmatched: list[Unmatched] = []
    if odd == "trio" and loose:
        pairs, loose = _with_a_trio(canonical, pairs, loose, prefer=two_way)
        if two_way is not None and n % 2:
            pairs = _fewest_one_way_groups(canonical, pairs, two_way)
    elif loose and n % 2:
        unmatched.append(Unmatched(index=int(order[loose.pop(0)]), reason=ODD_LEFT_OUT))
    unmatched += [Unmatched(index=int(order[p]), reason=_TAKEN) for p in loose]
    if two_way is not None:
        # The repair may have changed the pairs: the quality figure compares this total.
        objective = matching_total(canonical, pairs)

    members = [tuple(sorted(int(order[x]) for x in g)) for g in pairs]
    scores = _group_scores(model.requiring_two_way(False), members)
    groups = [Group(members=m, score=float(s)) for m, s in zip(members, scores, strict=True)]
    return _pairing(groups, unmatched, solver, seed, objective, bound)


Allowed = Callable[[IntArray, IntArray], BoolArray]
"""For each pair (a[i], b[i]): may the repair use it?"""


def _rule_allowed(model: ScoreModel) -> Allowed:
    """Pairs no rule forbids."""

    def allowed(a: IntArray, b: IntArray) -> BoolArray:
        result: BoolArray = ~model.is_blocked(a, b)
        return result

    return allowed


def _two_way_allowed(model: ScoreModel) -> Allowed:
    """Pairs no rule forbids in which each of the two teaches the other something."""

    def allowed(a: IntArray, b: IntArray) -> BoolArray:
        result: BoolArray = ~model.is_blocked(a, b) & model.is_two_way(a, b)
        return result

    return allowed


def _allowed_matching(
    model: ScoreModel,
    people: Sequence[int],
    allowed: Allowed | None = None,
    prefer: Allowed | None = None,
) -> list[list[int]]:
    """As many pairs of allowed partners among `people` as possible, the best-scoring such
    set (Edmonds' blossom on integer weights, as in `exact`). `allowed` defaults to the pairs
    no rule forbids; among the largest sets, one with the most `prefer` pairs is taken
    before the score is looked at."""
    nodes = np.array(sorted(people), dtype=np.int64)
    i, j = np.triu_indices(len(nodes), k=1)
    a, b = nodes[i], nodes[j]
    ok = (allowed or _rule_allowed(model))(a, b)
    i, j, a, b = i[ok], j[ok], a[ok], b[ok]
    weights = np.zeros(0, dtype=np.int64)
    if len(a):
        s = model.pair_scores(a, b)
        weights = _blossom_weights(s)
        if prefer is not None:
            # More than the weights of any whole matching: a preferred pair outweighs them.
            tier = int(weights.max()) * (len(nodes) // 2) + 1
            weights = weights + tier * prefer(a, b).astype(np.int64)
    found = _blossom(len(nodes), i, j, weights)
    return sorted([int(nodes[x]), int(nodes[y])] for x, y in found)


def _pair_again(
    model: ScoreModel,
    pairs: list[list[int]],
    loose: list[int],
    allowed: Allowed | None = None,
    prefer: Allowed | None = None,
) -> tuple[list[list[int]], list[int]]:
    """Re-pair the people left loose (their forced pairs undone) among themselves and with
    the pairs around them, over allowed partners only (`allowed`, by default those no rule
    forbids), when that places more people; `prefer` as in `_allowed_matching`.

    On a small roster every pair takes part, so nobody who could be placed stays loose; on a
    large one, the pairs of each loose person's best allowed partners do, `_REPAIR_BATCH`
    loose people at a time.
    """
    ok = allowed or _rule_allowed(model)
    if len(pairs) * 2 + len(loose) <= _REPAIR_ALL:
        return _placed_more(model, pairs, loose, set(range(len(pairs))), ok, prefer)
    # Few loose people at a time, each blossom over the pairs around them: linear in how many
    # are loose (many are, when a time-zone or language rule forbids half of all pairs).
    still: list[int] = []
    for start in range(0, len(loose), _REPAIR_BATCH):
        batch = loose[start : start + _REPAIR_BATCH]
        involved = _pairs_nearby(model, pairs, batch, ok)
        pairs, left = _placed_more(model, pairs, batch, involved, ok, prefer)
        still += left
    return pairs, sorted(still)


def _pairs_nearby(
    model: ScoreModel, pairs: list[list[int]], loose: list[int], ok: Allowed
) -> set[int]:
    """The pairs of each loose person's best allowed partners (their indices in `pairs`)."""
    where = {x: g for g, p in enumerate(pairs) for x in p}
    scores = model.block(np.array(loose, dtype=np.int64))
    # Blossom grows with the cube of what it is given: many loose people, fewer each.
    reach = min(_REPAIR_REACH, max(2, _REPAIR_ALL // (2 * len(loose))))
    everyone = np.arange(model.size, dtype=np.int64)
    paired = np.zeros(model.size, dtype=bool)
    paired[list(where)] = True
    involved: set[int] = set()
    for row, person in enumerate(loose):
        fits = ok(np.full(model.size, person, dtype=np.int64), everyone)
        usable = np.flatnonzero(fits & paired & (everyone != person))
        # Best first, ties by index: the same partners whatever the row order.
        ranked = usable[np.lexsort((usable, -scores[row, usable]))][:reach]
        involved |= {where[int(x)] for x in ranked}
    return involved


def _placed_more(
    model: ScoreModel,
    pairs: list[list[int]],
    loose: list[int],
    involved: set[int],
    ok: Allowed,
    prefer: Allowed | None,
) -> tuple[list[list[int]], list[int]]:
    """Re-match the loose people with the `involved` pairs over allowed partners; kept only
    when that places more people."""
    people = list(loose) + [x for g in sorted(involved) for x in pairs[g]]
    found = _allowed_matching(model, people, ok, prefer)
    if len(found) <= len(involved):
        return pairs, loose
    placed = {x for p in found for x in p}
    kept = [p for g, p in enumerate(pairs) if g not in involved]
    return kept + found, sorted(p for p in people if p not in placed)


def _repair_one_way(
    model: ScoreModel, pairs: list[list[int]], loose: list[int], two_way: Allowed
) -> tuple[list[list[int]], list[int]]:
    """With two-way pairs required: the solver's pairs `pairs` are all two-way and allowed,
    `loose` are the people of its other pairs (and its odd one out). Re-pair them over
    two-way allowed partners, then pair whoever is still loose among themselves over any
    allowed partners (one-way pairs again, as few as that leaves), then, if that leaves
    people a rearrangement could still place, rearrange over allowed partners, two-way ones
    first.

    Up to `_REPAIR_ALL` people every pair takes part in each step, and the result has the
    fewest one-way pairs any pairing placing the most people allows: the first step leaves
    a largest two-way matching, so no two loose people are two-way partners, and a largest
    matching of the loose adds one-way pairs only; the last step, when it runs, weighs the
    whole roster with two-way pairs first. Above that, each step reaches only the pairs of
    the loose people's best partners: as few as that finds, best effort.
    """
    if len(loose) >= 2:
        pairs, loose = _pair_again(model, pairs, loose, two_way)
    if len(loose) >= 2:
        found = _allowed_matching(model, loose, prefer=two_way)
        placed = {x for p in found for x in p}
        pairs, loose = pairs + found, [p for p in loose if p not in placed]
    if len(loose) >= 2:
        pairs, loose = _pair_again(model, pairs, loose, prefer=two_way)
    return pairs, loose


def fewest_one_way_pairs(model: ScoreModel) -> int | None:
    """The fewest pairs in which someone teaches nothing that a pairing of everyone `model`
    scores must have, among those placing the most people over pairs no rule forbids; None
    above `_REPAIR_ALL` people (the matcher is only best effort there)."""
    if model.size > _REPAIR_ALL:
        return None
    everyone = list(range(model.size))
    found = _allowed_matching(model, everyone, prefer=_two_way_allowed(model))
    if not found:
        return 0
    a = np.array([p[0] for p in found], dtype=np.int64)
    b = np.array([p[1] for p in found], dtype=np.int64)
    return int((~model.is_two_way(a, b)).sum())


def matching_total(model: ScoreModel, groups: Sequence[Sequence[int]]) -> float:
    """The total of the pairs of `groups` as a matching: a pair's score, a trio's best link
    (its third member is the one the matching leaves out, as the stand-in's partner)."""
    owner, a, b = _links(groups)
    if not len(owner):
        return 0.0
    best = np.full(len(groups), -np.inf)
    np.maximum.at(best, owner, model.pair_scores(a, b))
    return float(best.sum())


def _with_a_trio(
    model: ScoreModel, pairs: list[list[int]], loose: list[int], prefer: Allowed | None = None
) -> tuple[list[list[int]], list[int]]:
    """Seat one loose person as the third of the pair they fit best among those allowed with
    them both; on a small roster, rearrange the pairs if that is what makes room for a trio
    (`prefer` as in `_allowed_matching`)."""
    score = _Scorer(model)
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    for person in loose:
        them = np.full(len(pairs), person, dtype=np.int64)
        ok = ~(model.is_blocked(them, a) | model.is_blocked(them, b))
        if prefer is not None and (ok & _trio_two_way(model, them, a, b)).any():
            # Two-way pairs required: a seat where the trio stays two-way comes first.
            ok &= _trio_two_way(model, them, a, b)
        if ok.any():
            fit = np.where(ok, score(them, a) + score(them, b), -np.inf)
            if model.odd_cost is not None:
                # Those of the pair were in a trio before too: the trio rotates.
                fit -= model.odd_cost[a] + model.odd_cost[b]
            best = int(np.argmax(fit))
            grown = [*pairs[:best], [*pairs[best], person], *pairs[best + 1 :]]
            return grown, [p for p in loose if p != person]
    everyone = sorted([x for p in pairs for x in p] + loose)
    if len(everyone) > _TRIO_SEARCH:
        return pairs, loose
    for trio in combinations(everyone, 3):
        x, y, z = (np.array([v], dtype=np.int64) for v in trio)
        if (model.is_blocked(x, y) | model.is_blocked(y, z) | model.is_blocked(x, z))[0]:
            continue
        found = _allowed_matching(model, [p for p in everyone if p not in trio], prefer=prefer)
        if 2 * len(found) + 3 > 2 * len(pairs):
            placed = set(trio) | {x for p in found for x in p}
            left = [p for p in loose if p not in placed]
            return [*found, list(trio)], left + [
                p for p in everyone if p not in placed and p not in left
            ]
    return pairs, loose


def _trio_two_way(model: ScoreModel, person: IntArray, a: IntArray, b: IntArray) -> BoolArray:
    """For each pair (a, b): would the trio with `person` be two-way (`group_is_two_way`)?"""

    def teaches(x: IntArray, y: IntArray) -> BoolArray:
        result: BoolArray = model.teach_counts(x, y) > 0
        return result

    pa, ap, pb, bp = teaches(person, a), teaches(a, person), teaches(person, b), teaches(b, person)
    ab, ba = teaches(a, b), teaches(b, a)
    result: BoolArray = (pa | pb) & (ap | bp) & (ab | ap) & (ba | pa) & (ba | bp) & (ab | pb)
    return result


def _fewest_one_way_groups(
    model: ScoreModel, groups: list[list[int]], two_way: Allowed
) -> list[list[int]]:
    """With two-way pairs required and a trio: up to `_TRIO_SEARCH` people, the groups of
    the same people with the fewest one-way groups (every allowed trio tried, the rest paired
    two-way first); above that, or when none is one-way, `groups` as they are."""
    everyone = sorted(x for g in groups for x in g)

    def one_way(group: Sequence[int]) -> int:
        return int(not model.group_is_two_way(group))

    fewest = sum(map(one_way, groups))
    if fewest == 0 or len(everyone) > _TRIO_SEARCH:
        return groups
    best = groups
    for trio in combinations(everyone, 3):
        x, y, z = (np.array([v], dtype=np.int64) for v in trio)
        if (model.is_blocked(x, y) | model.is_blocked(y, z) | model.is_blocked(x, z))[0]:
            continue
        rest = [p for p in everyone if p not in trio]
        found = _allowed_matching(model, rest, prefer=two_way)
        if 2 * len(found) < len(rest):
            continue
        count = one_way(trio) + sum(map(one_way, found))
        if count < fewest:
            best, fewest = [*found, list(trio)], count
    return best


def match_with_pins(
    model: ScoreModel,
    keys: Sequence[str],
    pins: Sequence[Sequence[int]],
    absent: Mapping[int, str] | None = None,
    **options: Any,
) -> Pairing:
    """Fix the pinned pairs first, then pair everyone else with `match` (same options).

    Pins are indices into `keys`; each person at most once (the reader checks). People in
    `absent` (index -> reason: opted out, away) take no part and are listed as unmatched.
    """
    absent = absent or {}
    if not pins and not absent:
        return match(model, keys, **options)
    pinned = {p for pair in pins for p in pair}
    rest = np.array(
        [i for i in range(len(keys)) if i not in pinned and i not in absent], dtype=np.int64
    )
    fixed = [tuple(sorted(pair)) for pair in pins]
    fixed_scores = _group_scores(model.requiring_two_way(False), fixed)
    groups = [
        Group(members=m, score=float(s), pinned=True)
        for m, s in zip(fixed, fixed_scores, strict=True)
    ]
    unmatched = [Unmatched(index=i, reason=why, absent=True) for i, why in sorted(absent.items())]
    objective = 0.0
    bound = None
    if len(rest) >= 2:
        sub = match(model.permuted(rest), [keys[i] for i in rest], **options)
        lifted_groups, lifted = _lift(sub, rest)
        groups += lifted_groups
        unmatched += lifted
        objective, bound = sub.objective, sub.bound
    elif len(rest) == 1:
        unmatched.append(Unmatched(index=int(rest[0]), reason="no one else is free to pair"))
    solver = options.get("solver", "greedy-swap")
    return _pairing(groups, unmatched, solver, options.get("seed", 0), objective, bound)


def pairs_total(model: ScoreModel, mate: IntArray) -> float:
    """The total score of the pairs in `mate` (partner of each; index n is the stand-in, who
    adds nothing): the quantity both solvers maximise."""
    firsts = np.flatnonzero((np.arange(len(mate)) < mate) & (mate < model.size))
    return float(model.pair_scores(firsts, mate[firsts]).sum())


def _group_scores(model: ScoreModel, groups: Sequence[Sequence[int]]) -> FloatArray:
    # Callers pass the model without the two-way penalty: it steers the solver, and a group's
    # score on the sheet is what its members bring each other.
    """Sum of the scores of every link inside each group (a pair has one, a trio three)."""
    owner, a, b = _links(groups)
    totals = np.zeros(len(groups))
    np.add.at(totals, owner, model.pair_scores(a, b))
    return totals


def _links(groups: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray, IntArray]:
    """Every link inside each group (a pair has one, a trio three): (group, a, b)."""
    owner, a, b = [], [], []
    for g, members in enumerate(groups):
        for x, y in combinations(members, 2):
            owner.append(g)
            a.append(x)
            b.append(y)
    return (
        np.array(owner, dtype=np.int64),
        np.array(a, dtype=np.int64),
        np.array(b, dtype=np.int64),
    )


def random_pairing(n: int, *, seed: int, odd: OddRule = "trio") -> list[list[int]]:
    """A seeded random pairing of n people: the baseline every summary compares against."""
    order = np.random.default_rng(seed).permutation(n).tolist()
    groups = [order[i : i + 2] for i in range(0, n - n % 2, 2)]
    if n % 2 and odd == "trio":
        groups[-1].append(order[-1])
    return groups
