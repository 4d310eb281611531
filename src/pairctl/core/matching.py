"""Greedy-plus-swap matching over a symmetric score matrix.

Everything runs in a canonical order (people sorted by a seeded shuffle of their keys), so
the same roster and seed give the same pairs whatever order the rows came in: ties are
broken by that order, never by row position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from pairctl.core.model import Group, Pairing, Unmatched

FloatMatrix = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
OddRule = Literal["trio", "leave-out"]

SOLVER = "greedy-swap"
# Gains smaller than this are rounding noise; taking them could loop forever.
_EPS = 1e-9
ODD_LEFT_OUT = "odd number of people: left out (--odd leave-out)"


@dataclass(frozen=True)
class _Canonical:
    """The score matrix in canonical order, with a zero-score stand-in partner when odd."""

    scores: FloatMatrix
    order: IntArray
    """order[c] = the roster index of canonical person c."""
    n: int
    """Real people; a stand-in partner, if any, is canonical index n."""


def canonical_order(keys: Sequence[str], seed: int) -> IntArray:
    """Roster indices in a seeded order that depends on the keys only, not on row order."""
    by_key = np.array(sorted(range(len(keys)), key=lambda i: keys[i]), dtype=np.int64)
    shuffle = np.random.default_rng(seed).permutation(len(keys))
    return by_key[shuffle]


def _canonical(scores: FloatMatrix, keys: Sequence[str], seed: int) -> _Canonical:
    n = len(keys)
    order = canonical_order(keys, seed)
    size = n + (n % 2)
    s = np.zeros((size, size), dtype=np.float64)
    s[:n, :n] = scores[np.ix_(order, order)]
    # The stand-in scores 0 with everyone: whoever ends up beside it is the person whose
    # absence costs the pairing least; they join a trio afterwards (or are left out).
    np.fill_diagonal(s, -np.inf)
    return _Canonical(scores=s, order=order, n=n)


def greedy(scores: FloatMatrix) -> tuple[IntArray, IntArray]:
    """Take the best remaining pair until everyone is paired. Ties go to the lower index."""
    size = scores.shape[0]
    i, j = np.triu_indices(size, k=1)
    s = scores[i, j]
    by_score = np.lexsort((j, i, -s))
    free = np.ones(size, dtype=bool)
    left: list[int] = []
    right: list[int] = []
    remaining = size // 2
    for a, b in zip(i[by_score].tolist(), j[by_score].tolist(), strict=True):
        if free[a] and free[b]:
            free[a] = free[b] = False
            left.append(a)
            right.append(b)
            remaining -= 1
            if remaining == 0:
                break
    return np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)


def improve_by_swaps(
    scores: FloatMatrix, left: IntArray, right: IntArray
) -> tuple[IntArray, IntArray]:
    """Exchange partners between two pairs while that raises the total; stop when none does.

    For pair p = (a, b) every other pair q = (c, d) is tried at once, both ways:
    (a, c) + (b, d) and (a, d) + (b, c). The best strictly positive exchange is taken.
    """
    a, b = left.copy(), right.copy()
    m = len(a)
    if m < 2:
        return a, b
    improved = True
    while improved:
        improved = False
        for p in range(m):
            current = scores[a, b]
            here = current[p] + current
            cross = scores[a[p], a] + scores[b[p], b] - here
            straight = scores[a[p], b] + scores[b[p], a] - here
            cross[p] = straight[p] = -np.inf
            q_cross, q_straight = int(np.argmax(cross)), int(np.argmax(straight))
            if max(cross[q_cross], straight[q_straight]) <= _EPS:
                continue
            improved = True
            if cross[q_cross] >= straight[q_straight]:
                q = q_cross
                b[p], a[q] = a[q], b[p]
            else:
                q = q_straight
                b[p], b[q] = b[q], b[p]
    return a, b


def _trio_home(scores: FloatMatrix, extra: int, a: IntArray, b: IntArray) -> int:
    """The pair an extra person fits best with: the highest sum of their two new links."""
    fit = scores[extra, a] + scores[extra, b]
    return int(np.argmax(fit))


def match(
    scores: FloatMatrix, keys: Sequence[str], *, seed: int = 0, odd: OddRule = "trio"
) -> Pairing:
    """Pair everyone by greedy-plus-swap; an odd person joins a trio or is left out.

    `scores` is the symmetric pair score (indexed like `keys`); `keys` are the unique person
    keys, used only to make the result independent of row order.
    """
    n = len(keys)
    if n < 2:
        raise ValueError("pairing needs at least 2 people")
    c = _canonical(scores, keys, seed)
    a, b = improve_by_swaps(c.scores, *greedy(c.scores))

    stand_in = c.n if c.scores.shape[0] > n else None
    extra: int | None = None
    if stand_in is not None:
        p = int(np.flatnonzero((a == stand_in) | (b == stand_in))[0])
        extra = int(b[p] if a[p] == stand_in else a[p])
        a, b = np.delete(a, p), np.delete(b, p)

    groups: list[list[int]] = [[int(x), int(y)] for x, y in zip(a, b, strict=True)]
    unmatched: list[Unmatched] = []
    if extra is not None:
        if odd == "trio":
            groups[_trio_home(c.scores, extra, a, b)].append(extra)
        else:
            unmatched.append(Unmatched(index=int(c.order[extra]), reason=ODD_LEFT_OUT))

    return Pairing(
        groups=_in_roster_terms(groups, c, scores),
        unmatched=tuple(unmatched),
        solver=SOLVER,
        seed=seed,
    )


def group_score(scores: FloatMatrix, members: Sequence[int]) -> float:
    """Sum of the scores of every link inside a group (a pair has one, a trio three)."""
    return float(sum(scores[x, y] for i, x in enumerate(members) for y in members[i + 1 :]))


def _in_roster_terms(
    groups: list[list[int]], c: _Canonical, scores: FloatMatrix
) -> tuple[Group, ...]:
    """Translate canonical groups to roster indices, ordered as the roster lists people."""
    result = []
    for g in groups:
        members = tuple(sorted(int(c.order[x]) for x in g))
        result.append(Group(members=members, score=group_score(scores, members)))
    return tuple(sorted(result, key=lambda grp: grp.members[0]))


def random_pairing(n: int, *, seed: int, odd: OddRule = "trio") -> list[list[int]]:
    """A seeded random pairing of n people: the baseline every summary compares against."""
    order = np.random.default_rng(seed).permutation(n).tolist()
    groups = [order[i : i + 2] for i in range(0, n - n % 2, 2)]
    if n % 2 and odd == "trio":
        groups[-1].append(order[-1])
    return groups
