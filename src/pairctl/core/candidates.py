"""Who each person may be paired with: the candidate lists the matcher seeds and swaps over
(docs/scoring.md, "The matching", step 1).

Every list holds `CANDIDATES` partners by score, then a few at random, and for members of a
specialty holding more than half the roster, some from their own specialty.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

from pairctl.core.scoring import ScoreModel, places

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CANDIDATES = 30
"""Partners kept per person by score. More adds little quality and costs time
(docs/BENCHMARKS.md)."""
DENSE_CANDIDATES_LIMIT = 5000
"""Up to this many people every pair is scored to find the candidates (exact top lists);
above it the candidates are a scored sample of promising partners (linear in the roster)."""
# Random partners added to every list (see _with_random_partners).
_RANDOM_CANDIDATES = 6
# Slots given to same-specialty partners when one specialty is a majority.
_SAME_SPECIALTY_SLOTS = 8


def candidates(model: ScoreModel, seed: int) -> tuple[IntArray, FloatArray]:
    """Each person's candidate partners and their scores (people x slots), seeded.

    Up to `DENSE_CANDIDATES_LIMIT` people the first `CANDIDATES` slots are exact top lists,
    above it the best of a scored sample; then a few random partners, and for a
    majority specialty, same-specialty partners in the last slots of its members' lists.
    """
    if model.size <= DENSE_CANDIDATES_LIMIT:
        cand, cand_scores = best_candidates(model, CANDIDATES)
    else:
        cand, cand_scores = sampled_candidates(model, CANDIDATES, seed)
    cand, cand_scores = _with_random_partners(model, cand, cand_scores, seed)
    _add_same_specialty_partners(model, cand, cand_scores, seed)
    return cand, cand_scores


def best_candidates(model: ScoreModel, k: int) -> tuple[IntArray, FloatArray]:
    """Each person's k best partners and their scores, best first (ties: lower index).

    Computed in row blocks so memory stays at about `_BLOCK_CELLS` scores at a time.
    """
    n = model.size
    k = min(k, n - 1)
    idx = np.empty((n, k), dtype=np.int64)
    val = np.empty((n, k), dtype=np.float64)
    step = max(1, _BLOCK_CELLS // max(n, 1))
    for lo in range(0, n, step):
        rows = np.arange(lo, min(n, lo + step))
        block = model.block(rows)
        # Sort by score, then by index, so ties never depend on argpartition's whims.
        top = (
            np.argpartition(-block, k - 1, axis=1)[:, :k]
            if k < n - 1
            else np.argsort(-block, axis=1, kind="stable")[:, :k]
        )
        scores = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -scores), axis=1)
        idx[rows] = np.take_along_axis(top, order, axis=1)
        val[rows] = np.take_along_axis(scores, order, axis=1)
    return idx, val


def sampled_candidates(model: ScoreModel, k: int, seed: int) -> tuple[IntArray, FloatArray]:
    """Each person's k best partners among a seeded sample of promising ones.

    For rosters too large to score every pair. Per person, a bounded number of look-ups:
    people who hold something they want AND want something they hold (two-way), people
    who can teach them something, people who want what they can teach, and a few at
    random so nobody runs dry. Only those are scored, and the best k kept, best first.
    Time and memory grow linearly with the roster.
    """
    n = model.size
    rng = np.random.default_rng(seed)
    # Fewer draws per look-up on huge rosters, so the pairs scored stay within budget.
    full = _TWO_WAY_LOOKUPS * _PER_TWO_WAY + 2 * _ONE_WAY_LOOKUPS * _PER_ONE_WAY
    scale = min(1.0, _PAIR_BUDGET / (n * full))
    per_two_way = max(2, round(_PER_TWO_WAY * scale))
    per_one_way = max(1, round(_PER_ONE_WAY * scale))
    held = _limited_entries(model.can, _COMBO_SIDE, rng)
    wanted = (
        _some_unheld(model.can, _COMBO_SIDE, rng)
        if model.wants_rest
        else _limited_entries(model.want, _COMBO_SIDE, rng)
    )
    vocab = model.can.shape[1]
    # Buckets of people by (a thing they hold, a thing they want).
    owner, keys = _combos(held, wanted, vocab)
    order = np.lexsort((rng.random(len(keys)), keys))
    owner, keys = owner[order], keys[order]
    # Each person asks for (a thing they want, a thing they hold): a two-way partner.
    asker, ask = _combos(wanted, held, vocab)
    asker, ask = _sample_rows(asker, ask, _TWO_WAY_LOOKUPS, rng)
    parts = [_draw(asker, owner, keys, ask, per_two_way, rng)]
    # Teachers of what each wants; learners of what each teaches (without a wants column
    # nearly everyone is such a learner, and the random draws below cover them).
    lookups = [(_sample_rows(wanted[0], wanted[1], _ONE_WAY_LOOKUPS, rng), model.can)]
    if not model.wants_rest:
        lookups.append((_limited_entries(model.can, _ONE_WAY_LOOKUPS, rng), model.want))
    for (qa, qv), index in lookups:
        by_skill = index.tocsc()
        people = by_skill.indices.astype(np.int64)
        parts.append(
            _draw_ranges(qa, by_skill.indptr[qv], by_skill.indptr[qv + 1], people, per_one_way, rng)
        )
    everyone = np.arange(n, dtype=np.int64)
    # Random partners other than oneself: a + 1 + [0, n - 2], wrapped round.
    random_a = np.repeat(everyone, _RANDOM_PER_PERSON)
    parts.append((random_a, (random_a + 1 + rng.integers(0, n - 1, len(random_a))) % n))
    a = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    del parts
    pair = np.sort(a[a != c] * n + c[a != c])
    del a, c
    pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]
    idx = np.empty((n, k), dtype=np.int64)
    val = np.empty((n, k))
    # Some 14 million pairs at 100,000 people: scored and ranked a few thousand people at
    # a time, so their scores and sort keys are never all held at once.
    for first in range(0, n, _PEOPLE_PER_PIECE):
        last = min(n, first + _PEOPLE_PER_PIECE)
        lo, hi = np.searchsorted(pair, [first * n, last * n])
        a, c = pair[lo:hi] // n, pair[lo:hi] % n
        idx[first:last], val[first:last] = _top_k(a, c, model.pair_scores(a, c), n, k, first, last)
    unscored = np.isnan(val)
    if unscored.any():
        rows = np.nonzero(unscored)[0]
        val[unscored] = model.pair_scores(rows, idx[unscored])
    return idx, val


def _with_random_partners(
    model: ScoreModel, cand: IntArray, cand_scores: FloatArray, seed: int
) -> tuple[IntArray, FloatArray]:
    """The candidate lists plus a few seeded random partners each.

    When many scores tie (a roster without skills columns scores every cross-specialty
    pair almost alike), everyone's top list can name the same few people; the swaps can
    then only exchange within that crowd. Random partners keep every part of the roster
    within reach of a swap.
    """
    n = model.size
    extra = min(_RANDOM_CANDIDATES, n - 1)
    if extra <= 0:
        return cand, cand_scores
    rng = np.random.default_rng(seed + 1)
    a = np.repeat(np.arange(n, dtype=np.int64), extra)
    b = (a + 1 + rng.integers(0, n - 1, len(a))) % n  # anyone but oneself
    scores = model.pair_scores(a, b).reshape(n, extra)
    return (np.hstack([cand, b.reshape(n, extra)]), np.hstack([cand_scores, scores]))


def _add_same_specialty_partners(
    model: ScoreModel, cand: IntArray, cand_scores: FloatArray, seed: int
) -> None:
    """Give members of a specialty holding more than half the roster some partners from their
    own specialty (in place, in the last columns of their lists).

    Their best candidates all come from other specialties, yet some of them must pair among
    themselves; without same-specialty candidates the swaps could never improve those pairs.
    """
    major, count = model.largest_specialty()
    if 2 * count <= model.size:
        return
    members = np.flatnonzero(model.specialty == major)
    slots = min(_SAME_SPECIALTY_SLOTS, cand.shape[1], len(members) - 1)
    if slots <= 0:
        return
    rng = np.random.default_rng(seed)
    draws = 3 * slots
    a = np.repeat(members, draws)
    # Other members only: an offset of 1 .. len-1 round the member list.
    position = np.repeat(np.arange(len(members)), draws)
    b = members[(position + 1 + rng.integers(0, len(members) - 1, len(a))) % len(members)]
    score = model.pair_scores(a, b).reshape(len(members), draws)
    b = b.reshape(len(members), draws)
    best = np.argsort(-score, axis=1, kind="stable")[:, :slots]
    cand[members, -slots:] = np.take_along_axis(b, best, axis=1)
    cand_scores[members, -slots:] = np.take_along_axis(score, best, axis=1)


def _some_unheld(
    can: sparse.csr_matrix, per_row: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """(person, skill) for up to `per_row` random skills each person does not hold."""
    n, vocab = can.shape
    if vocab == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), per_row)
    cols = rng.integers(0, vocab, len(rows))
    held = np.asarray(can[rows, cols]).ravel() > 0
    rows, cols = rows[~held], cols[~held]
    key = np.unique(rows * vocab + cols)
    return key // vocab, key % vocab


def _draw(
    asker: IntArray,
    owner: IntArray,
    keys: IntArray,
    ask: IntArray,
    per: int,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """For each (asker, key asked), up to `per` random owners of that key."""
    start = np.searchsorted(keys, ask, side="left")
    stop = np.searchsorted(keys, ask, side="right")
    return _draw_ranges(asker, start, stop, owner, per, rng)


def _draw_ranges(
    who: IntArray,
    start: IntArray,
    stop: IntArray,
    pool: IntArray,
    per: int,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """For each i, `per` random picks from pool[start[i]:stop[i]] (none if it is empty)."""
    size = stop - start
    has = size > 0
    who, start, size = who[has], start[has], size[has]
    offsets = rng.integers(0, 2**62, size=(len(who), per)) % size[:, None]
    return np.repeat(who, per), pool[start[:, None] + offsets].ravel()


def _sample_rows(
    rows: IntArray, values: IntArray, per_row: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """A seeded random choice of at most `per_row` values for each row (rows sorted)."""
    order = np.lexsort((rng.random(len(rows)), rows))
    rows, values = rows[order], values[order]
    keep = places(rows) < per_row
    return rows[keep], values[keep]


def _top_k(
    a: IntArray,
    c: IntArray,
    score: FloatArray,
    n: int,
    k: int,
    first: int = 0,
    last: int | None = None,
) -> tuple[IntArray, FloatArray]:
    """Per person a (of `first` to `last` of the n), the k best (c, score), best first;
    short lists repeat their last entry so every row is k long (a repeated candidate
    changes nothing downstream).

    `a` must be sorted and, within each a, `c` ascending: one stable sort of a single key
    then orders by a, best score, lowest c (a lexsort of three keys is several times slower).
    """
    top = float(score.max(initial=0.0))
    span = top - float(score.min(initial=0.0)) + 1.0
    last = n if last is None else last
    a = a - first
    order = np.argsort(a * span + (top - score), kind="stable")
    a, c, score = a[order], c[order], score[order]
    rank = places(a)
    keep = rank < k
    idx = np.full((last - first, k), -1, dtype=np.int64)
    val = np.full((last - first, k), -np.inf)
    idx[a[keep], rank[keep]] = c[keep]
    val[a[keep], rank[keep]] = score[keep]
    # Nobody drawn at all (possible only on tiny rosters): the next person stands in.
    empty = np.flatnonzero(idx[:, 0] < 0)
    idx[empty, :] = ((first + empty + 1) % n)[:, None]
    val[empty, :] = np.nan  # scored by the caller
    for j in range(1, k):
        short = idx[:, j] < 0
        idx[short, j] = idx[short, j - 1]
        val[short, j] = val[short, j - 1]
    return idx, val


def _limited_entries(
    matrix: sparse.csr_matrix, per_row: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """(row, column) of a seeded random choice of at most `per_row` entries in each row."""
    coo = matrix.tocoo()
    return _sample_rows(coo.row.astype(np.int64), coo.col.astype(np.int64), per_row, rng)


def _combos(
    first: tuple[IntArray, IntArray], second: tuple[IntArray, IntArray], vocab: int
) -> tuple[IntArray, IntArray]:
    """For each person, every (x, y) with x from `first` and y from `second` (both as
    (rows, columns) sorted by row): returns (person, x * vocab + y)."""
    rows1, cols1 = first
    rows2, cols2 = second
    n = int(max(rows1.max(initial=-1), rows2.max(initial=-1))) + 1
    count2 = np.bincount(rows2, minlength=n)
    start2 = np.concatenate([[0], np.cumsum(count2)[:-1]])
    times = count2[rows1]
    person = np.repeat(rows1, times)
    x = np.repeat(cols1, times)
    base = np.repeat(np.cumsum(times) - times, times)
    j = np.arange(len(person)) - base
    y = cols2[start2[person] + j]
    return person, x * vocab + y


# How the sampled candidates are drawn (per person): up to _COMBO_SIDE held and wanted skills
# make the (want, hold) combinations, of which up to _TWO_WAY_LOOKUPS are looked up with
# _PER_TWO_WAY people drawn each; one-way look-ups take those wanted skills and up to
# _ONE_WAY_LOOKUPS held ones, _PER_ONE_WAY people each; plus a few people at random.
# Tuned on generated rosters of 10,000 (docs/BENCHMARKS.md).
_COMBO_SIDE = 6
_TWO_WAY_LOOKUPS = 12
_PER_TWO_WAY = 32
_ONE_WAY_LOOKUPS = 12
_PER_ONE_WAY = 8
_RANDOM_PER_PERSON = 4
# At most about this many candidate pairs are scored; above ~20,000 people the draws shrink.
_PAIR_BUDGET = 12_000_000
_PEOPLE_PER_PIECE = 10_000
# Scores held at once while finding candidates (8 MB of float64 per array: larger blocks
# were slower, not faster, and took 700 MB at 5,000 people).
_BLOCK_CELLS = 1_000_000
