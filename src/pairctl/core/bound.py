"""A certified upper bound on the best pairing of a roster of any size, without its n x n
score matrix.

Weak duality of the matching LP: if y_u + y_v >= w_uv for every pair, no pairing that seats
everyone totals more than sum(y), and none that leaves one person out more than
sum(y) - min(y). An auction over the candidate graph gives y feasible there; `Violations`
then finds, for each person, d_u = max(0, max_v w_uv - y_u - y_v) over the whole roster, and
y + d/2 is feasible for every pair (a pair's violation is at most the mean of its two
people's d). So each round's figure is certified on its own, whatever the auction did. The
worst violators join the candidate graph and the auction runs again (column generation).
docs/quality-at-scale.md has the derivation and what was measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from pairctl.core.auction import arcs_of, auction, duals_from_prices
from pairctl.core.scoring import (
    BoolArray,
    FloatArray,
    IntArray,
    ScoreModel,
    among,
    index_type,
    places,
    spans,
    strength,
)

BOUND_ROUNDS = 3
"""Auction-and-check rounds. One round after the first brings 10,000 people within 0.3% of
the dense assignment bound; three within 0.05% (docs/BENCHMARKS.md)."""
MORE_ROUNDS = 6
MORE_ROUNDS_UP_TO = 20_000
"""Up to this many people, rounds go on to `MORE_ROUNDS` while the bound still falls by
`_STILL_FALLING` a round: a round costs a second or two there, and on a roster of many alike
people three rounds can leave the bound 1% loose (a survey's 4,760 people: 5,415.29 after
three, 5,355.80 after five, against an optimum of 5,353.63). Above it a round costs 20 s."""
_STILL_FALLING = 3e-3
VIOLATORS_KEPT = 8
"""Per person, how many of the worst violating partners join the candidate graph."""
SCORED_PAIRS_FLOOR = 20_000_000
SCORED_PAIRS_PER_PERSON = 2_000
"""A check scores at most the larger of these (the floor, or this many pairs per person;
the most this allows at 100,000 people, 2 x 10^8 pairs, would take over a minute here).
Skills and wants prune well (at 100,000 people about 1,100 pairs per person in the first
round, fewer after); a roster whose scores are flat, with no wants column or no skills,
leaves about half of all pairs to score: up to `EVERY_PAIR_LIMIT` pairs they are all
scored instead, above it (some 10,000 people) it gets no bound rather than minutes of
checking."""

EVERY_PAIR_LIMIT = 50_000_000
"""The most pairs a check scores by going over every pair (10,000 people): a roster with flat
scores (no wants column, or no skills) reaches about half of them through the buckets, and
at 10,000 people three rounds over every pair take some 20 s here, against a figure of
"not measured"."""

_CHUNK = 1_000_000
_DENSE_FACTOR = 2.0
"""Every pair is scored instead when its count is at most this many times what the
buckets reach (`Violations.__call__`)."""
_DENSE_CELLS = 4_000_000
"""Scores held at a time when every pair is scored."""
_QUERY_CHUNK = 4_000_000
_LOW_FACTOR = 1.0
_LOW_SHARE = 0.01
_LOW_MOST = 2_000
"""Duals below `_LOW_FACTOR` times minus the best score are taken out of the buckets (and,
when the check is still over its budget, the lowest `_LOW_SHARE`), at most `_LOW_MOST`;
their pairs among themselves are scored outright."""
_CLASSES = 3  # subset sizes 0, 1, 2 on each side
_MAX_SUBSETS = 64
"""Per person on average, above which only subsets of one skill are used (coarser limits,
fewer lists): rosters where people list dozens of skills."""


@dataclass(frozen=True)
class _Lists:
    """Who sits in which bucket, and which buckets each person looks into."""

    bucket: IntArray
    """Per membership: its bucket (0..buckets-1)."""
    member: IntArray
    ask_bucket: IntArray
    """Per query: the bucket, the person asking and the limit class (row of `limits`)."""
    asker: IntArray
    ask_class: IntArray
    limits: FloatArray
    """Classes x people: the highest score a partner found through that class can bring."""
    level: int
    """The largest subsets used: 2, 1 for long skill lists, 0 without a wants column."""


@dataclass(frozen=True)
class Checked:
    """What a check found: each person's largest violation, and their worst violators."""

    excess: FloatArray
    """d: per person, max(0, max over partners of score - y_u - y_v)."""
    row: IntArray
    other: IntArray
    value: FloatArray
    """The `keep` worst violations of each person (all, without `keep`): by person, worst
    first; a person with fewer listed has no other."""
    keep: int

    @property
    def pairs(self) -> tuple[IntArray, IntArray]:
        """Those violating pairs, each once (lo < hi, sorted)."""
        n = len(self.excess)
        keys = _distinct(np.minimum(self.row, self.other) * n + np.maximum(self.row, self.other))
        return keys // n, keys % n

    def feasible(self, y: FloatArray) -> FloatArray:
        """Duals at least y that no pair violates, as cheap as the list allows.

        y + d/2 is feasible (a pair's violation is at most the mean of its two d), but one
        person with a far too low y (someone whose candidates were all forbidden) then
        raises everyone's d. So people below a threshold take their whole d ("apart"), and
        the others only half of their worst violation with someone not apart: for them that
        is their first listed partner not apart, or, when all `keep` listed are apart, the
        last listed (no unlisted violation is larger). Every pair is still covered: apart
        with anyone by the apart one's d, two others by the two halves. Thresholds at a few
        quantiles of y are tried and the cheapest kept (none apart among them)."""
        n = len(y)
        best = y + self.excess / 2
        if not len(self.row):
            return best
        listed = np.bincount(self.row, minlength=n)
        last = np.full(n, 0.0)
        ends = np.cumsum(listed)
        has = listed > 0
        last[has] = self.value[ends[has] - 1]
        beyond = np.where(listed >= self.keep, last, 0.0)
        for share in _APART_SHARES:
            apart = y < np.quantile(y, share)
            if not apart.any():
                continue
            outside = np.where(apart[self.other], -np.inf, self.value)
            rest = np.full(n, -np.inf)
            np.maximum.at(rest, self.row, outside)
            rest = np.where(np.isfinite(rest), rest, beyond)
            # + 1e-9: violations that small are not listed (`Violations` keeps those above).
            trial = y + np.where(apart, self.excess, np.maximum(rest, 0.0) / 2 + 1e-9)
            if trial.sum() < best.sum():
                best = trial
        return best


_ALONE = -20.0
"""What a self arc (staying alone) is worth to the auction: below every pair that is not
penalised, above forbidden (-1,000) and repeated (-100) ones. Below those, prices climb to
about 1,000 in a price war (at 10,000 people with a time-zone rule: the duals summed 20%
above the best pairing after three rounds); the few whose candidates are all forbidden get
low duals instead, which `Checked.feasible` repairs."""
_APART_SHARES = (0.0005, 0.002, 0.01, 0.03)
"""Shares of the people with the lowest duals tried as the ones apart."""


class Violations:
    """For duals y: each person's largest violation d_u over all pairs, exactly, scoring only
    the pairs that could violate.

    Let a = |can_u & want_v| (what u can teach v) and b = |can_v & want_u|. Every v sits in
    the buckets keyed by a subset S of what it wants and R of what it can teach, |S|, |R| <= 2.
    u looks into the buckets keyed by subsets of what it can teach and wants; through a
    bucket of sizes (i, j) only partners with a >= i and b >= j are found, and a partner with
    a = i (or b = j) below 2 is found through a bucket of exactly its sizes, where the score
    is bounded by a figure of u alone (`limits`). Buckets are sorted by y, so u reads each
    only up to the first partner who cannot violate. Without a wants column (everyone wants
    what they cannot do) partners are grouped by how much they can teach instead.
    """

    def __init__(self, model: ScoreModel, scale: float = 0.0) -> None:
        """`scale`: compare scores rounded to 1/scale, as the exact solver's integer weights
        are (0: as they are)."""
        self.model = model
        self.scale = scale
        lists = _open_lists(model) if model.wants_rest else _skill_lists(model)
        # 32-bit indices halve the lists (about 10 million entries at 100,000 people); the
        # skill lists come narrowed already, and are not copied again.
        small = index_type(max(model.size, _buckets(lists)))
        self.lists = _Lists(
            bucket=lists.bucket.astype(small, copy=False),
            member=lists.member.astype(small, copy=False),
            ask_bucket=lists.ask_bucket.astype(small, copy=False),
            asker=lists.asker.astype(small, copy=False),
            ask_class=lists.ask_class.astype(np.int8, copy=False),
            limits=lists.limits + (0.5 / scale if scale else 0.0),
            level=lists.level,
        )

    def __call__(self, y: FloatArray, keep: int | None = VIOLATORS_KEPT) -> Checked | None:
        """d, and each person's `keep` worst violators (every violating pair with `keep`
        None); None when more pairs would have to be scored than the budget allows
        (`SCORED_PAIRS_PER_PERSON`)."""
        n = self.model.size
        order = np.argsort(y, kind="stable")
        # A dual below any pair's worth (someone whose candidates are all forbidden, or
        # who stayed alone in the auction) would sit at the head of every bucket, read by
        # everyone: such people leave the buckets, their own queries find their pairs, and
        # pairs among them are scored outright. When the check is still too large, so do
        # the lowest 1% (a time-zone rule at 100,000 people needs it; without rules it
        # costs more than it saves, as their own pairs can no longer be halved).
        lowest = order[:_LOW_MOST]
        low = np.zeros(n, dtype=bool)
        low[lowest[y[lowest] < _LOW_FACTOR * -self.model.weights.max_positive()]] = True
        budget = max(SCORED_PAIRS_FLOOR, SCORED_PAIRS_PER_PERSON * n)
        # Every pair is scored instead where there are few enough and the buckets cannot do
        # better: over the budget, or reaching each pair more than twice over on average
        # (people who list many skills and want many reach each other through many buckets:
        # a survey's 4,760 people listing languages, 65 million reached, 11 million pairs).
        # A cell of the score matrix costs about half a scored pair.
        every_pair = n * (n - 1) // 2 <= EVERY_PAIR_LIMIT
        reached = self._reach_all(y, order, low)
        reach = int(reached[2].sum())
        if reach > budget and not (every_pair and n * (n - 1) <= _DENSE_FACTOR * reach):
            low[lowest[: int(_LOW_SHARE * n)]] = True
            reached = self._reach_all(y, order, low)
            reach = int(reached[2].sum())
        if every_pair and (reach > budget or n * (n - 1) <= _DENSE_FACTOR * reach):
            return self._everyone(y, keep)
        if reach > budget:
            return None
        asker, start, count, members = reached
        d = np.zeros(n)
        found: list[tuple[IntArray, IntArray, FloatArray]] = []
        held = 0
        # Per person, a violation no larger than this cannot join their worst `keep`: that
        # many at least as large are already held. Most violations of later chunks fall
        # below it and skip the sorts of `_worst`.
        floor = np.full(n, 1e-9)
        for a, b in _chunks(asker, start, count, members, low):
            # A violating pair of two others is found from both sides (each side's limit
            # bounds it), so one side is enough; one with a low dual, only from its side.
            one = (a < b) | low[a]
            keys = _distinct(np.minimum(a, b)[one] * np.int64(n) + np.maximum(a, b)[one])
            a, b = keys // n, keys % n
            excess = self._scores(a, b) - y[a] - y[b]
            if len(a):  # a is sorted: its maxima by segment, cheaper than maximum.at
                first = np.flatnonzero(np.concatenate(([True], a[1:] != a[:-1])))
                np.maximum.at(d, a[first], np.maximum.reduceat(excess, first))
            np.maximum.at(d, b, excess)
            over = excess > np.minimum(floor[a], floor[b])
            found.append(_worst(a[over], b[over], excess[over], keep or len(a), floor))
            held += len(found[-1][0])
            if keep is not None:
                if held > _CHUNK:  # only the worst `keep` per person stay
                    rows, others, values = (np.concatenate(p) for p in zip(*found, strict=True))
                    found = [_top(rows, others, values, keep)]
                    held = len(found[0][0])
                rows, _, values = found[-1]
                _raise_floor(floor, rows, values, keep)
        row, other, value = _merged(found, keep or n)
        return Checked(np.maximum(d, 0.0), row, other, value, keep or n)

    def _everyone(self, y: FloatArray, keep: int | None) -> Checked:
        """The check over every pair: the score matrix a block of rows at a time."""
        n = self.model.size
        d = np.zeros(n)
        found: list[tuple[IntArray, IntArray, FloatArray]] = []
        step = max(1, _DENSE_CELLS // max(n, 1))
        for first in range(0, n, step):
            rows = np.arange(first, min(n, first + step))
            scores = self.model.block(rows)
            if self.scale:
                scores = np.round(scores * self.scale) / self.scale
            excess = scores - y[rows, None] - y[None, :]
            del scores
            d[rows] = excess.max(axis=1, initial=0.0)
            if keep is not None and keep < n - 1:
                columns = np.argpartition(-excess, keep - 1, axis=1)[:, :keep]
            else:
                columns = np.broadcast_to(np.arange(n), excess.shape)
            values = np.take_along_axis(excess, columns, axis=1).ravel()
            row = np.repeat(rows, columns.shape[1])
            other = np.asarray(columns).ravel()
            over = values > 1e-9
            found.append(_top(row[over], other[over], values[over], keep or n))
        row, other, value = _merged(found, keep or n)
        return Checked(d, row, other, value, keep or n)

    def _reach_all(
        self, y: FloatArray, order: IntArray, low: BoolArray
    ) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Every query reaching someone: (asker, start, count), and the bucket members
        (people with low duals left out) that start and count index."""
        lists, n = self.lists, self.model.size
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        kept = ~low[lists.member]
        # Within each bucket, members by y: one sorted key array for every bucket.
        code = lists.bucket[kept] * np.int64(n) + rank[lists.member[kept]]
        by_code = np.argsort(code, kind="stable")
        code, members = code[by_code], lists.member[kept][by_code]
        starts = np.searchsorted(code, np.arange(_buckets(lists) + 1) * np.int64(n))
        del by_code, rank, kept
        ranked = y[order]
        parts = [
            self._reach(code, starts, ranked, y, slice(at, at + _QUERY_CHUNK))
            for at in range(0, len(lists.asker), _QUERY_CHUNK)
        ]
        asker, start, count = (np.concatenate(part) for part in zip(*parts, strict=True))
        return asker, start, count, members

    def _reach(
        self, code: IntArray, starts: IntArray, ranked: FloatArray, y: FloatArray, queries: slice
    ) -> tuple[IntArray, IntArray, IntArray]:
        """For some queries: the asker, where their bucket starts in `code`, and how many of
        its first members have y below the asker's limit (only queries reaching someone)."""
        lists, n = self.lists, self.model.size
        asker = lists.asker[queries]
        bucket = lists.ask_bucket[queries]
        limit = lists.limits[lists.ask_class[queries], asker] - y[asker]
        below = np.searchsorted(ranked, limit, "left")  # how many have y_v < limit
        start = starts[bucket]
        count = np.searchsorted(code, bucket * np.int64(n) + below, "left") - start
        useful = count > 0
        return asker[useful].astype(np.int64), start[useful], count[useful]

    def _scores(self, a: IntArray, b: IntArray) -> FloatArray:
        scores = self.model.pair_scores(a, b)
        if self.scale:
            scores = np.round(scores * self.scale) / self.scale
        return scores


def _distinct(keys: IntArray) -> IntArray:
    """Sorted distinct keys (a sort: numpy's hashed `unique` is several times slower here)."""
    keys = np.sort(keys)
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = keys[1:] != keys[:-1]
    kept: IntArray = keys[fresh]
    return kept


def _buckets(lists: _Lists) -> int:
    return int(lists.bucket.max(initial=-1)) + 1


def _chunks(
    asker: IntArray, start: IntArray, count: IntArray, members: IntArray, low: BoolArray
) -> Iterator[tuple[IntArray, IntArray]]:
    """The pairs the queries reach, about `_CHUNK` at a time, then every pair of two people
    with low duals. The queries come by asker, and a chunk ends only where an asker does:
    one asker reaches a partner through several buckets, and a chunk drops its repeats, so
    no pair is listed twice (which would crowd out a person's other violators)."""
    if len(count):
        firsts = np.flatnonzero(np.concatenate(([True], asker[1:] != asker[:-1])))
        bounds = np.append(firsts, len(count))  # each asker's queries: bounds[i]:bounds[i + 1]
        for one, past in spans(np.add.reduceat(count, firsts), _CHUNK):
            lo, hi = bounds[one], bounds[past]
            yield _expand(asker[lo:hi], start[lo:hi], count[lo:hi], members)
    few = np.flatnonzero(low)
    first, second = np.triu_indices(len(few), k=1)
    yield few[first], few[second]


def _expand(
    asker: IntArray, start: IntArray, count: IntArray, members: IntArray
) -> tuple[IntArray, IntArray]:
    """The pairs (asker, member) of each query's first `count` members from `start`."""
    total = int(count.sum())
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(asker, count), members[np.repeat(start, count) + offset]


def _worst(
    a: IntArray, b: IntArray, excess: FloatArray, keep: int, floor: FloatArray | None = None
) -> tuple[IntArray, IntArray, FloatArray]:
    """Of violating pairs, those among the `keep` worst of either person (above the person's
    `floor`, when given)."""
    row = np.concatenate([a, b])
    other = np.concatenate([b, a])
    value = np.concatenate([excess, excess])
    if floor is not None:
        above = value > floor[row]
        row, other, value = row[above], other[above], value[above]
    return _top(row, other, value, keep)


def _top(
    row: IntArray, other: IntArray, value: FloatArray, keep: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each row's `keep` largest values, by row, largest first."""
    # By person, then by excess downwards, exactly (`Checked.feasible` relies on nothing
    # unlisted exceeding the last listed): two stable sorts, cheaper than a lexsort.
    by_value = np.argsort(-value, kind="stable")
    order = by_value[np.argsort(row[by_value], kind="stable")]
    row, other, value = row[order], other[order], value[order]
    kept = places(row) < keep
    return row[kept], other[kept], value[kept]


def _raise_floor(floor: FloatArray, row: IntArray, value: FloatArray, keep: int) -> None:
    """Raise each person's floor to the `keep`-th of their listed violations (row sorted,
    values downwards within a row), where they have that many."""
    last = places(row) == keep - 1
    np.maximum.at(floor, row[last], value[last])


def _merged(
    found: list[tuple[IntArray, IntArray, FloatArray]], keep: int
) -> tuple[IntArray, IntArray, FloatArray]:
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    row, other, value = (np.concatenate(part) for part in zip(*found, strict=True))
    return _top(row, other, value, keep)


def _rows(matrix: sparse.csr_matrix) -> tuple[IntArray, IntArray]:
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64)


def _subsets(indptr: IntArray, indices: IntArray, base: int, level: int) -> tuple[IntArray, ...]:
    """Every subset of at most `level` (1 or 2) entries of each row: (person, code, size),
    with codes distinct across sizes (0: empty; k + 1; (k1 + 1) * base + k2 + 1)."""
    n = len(indptr) - 1
    lengths = np.diff(indptr)
    people = [np.arange(n), np.repeat(np.arange(n), lengths)]
    codes = [np.zeros(n, dtype=np.int64), indices + 1]
    sizes = [np.zeros(n, dtype=np.int64), np.ones(len(indices), dtype=np.int64)]
    if level >= 2:
        entry_row = people[1]
        after = indptr[entry_row + 1] - np.arange(len(indices)) - 1  # entries after each
        first = np.repeat(np.arange(len(indices)), after)
        second = first + 1 + (np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after))
        people.append(entry_row[first])
        codes.append((indices[first] + 1) * base + indices[second] + 1)
        sizes.append(np.full(len(first), 2, dtype=np.int64))
    person, code, size = (np.concatenate(part) for part in (people, codes, sizes))
    order = np.argsort(person, kind="stable")
    return person[order], code[order], size[order]


def _pairs_of(
    left: tuple[IntArray, ...], right: tuple[IntArray, ...], n: int, base: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Per person, every (left subset, right subset): (person, key, class), class being
    size_left * 3 + size_right; person and class narrowed. Built a few thousand people at a
    time: at 100,000 people there are some 5 million, and the whole at once took half a
    gigabyte of temporaries."""
    parts = []
    step = _PEOPLE_PER_PIECE
    for first in range(0, n, step):
        pieces = []
        for person, *rest in (left, right):
            lo, hi = np.searchsorted(person, [first, first + step])
            pieces.append((person[lo:hi] - first, *(part[lo:hi] for part in rest)))
        person, key, kind = _pairs_in(pieces[0], pieces[1], min(step, n - first), base)
        parts.append(((person + first).astype(index_type(n)), key, kind.astype(np.int8)))
    person, key, kind = (np.concatenate(part) for part in zip(*parts, strict=True))
    return person, key, kind


_PEOPLE_PER_PIECE = 5_000


def _pairs_in(
    left: tuple[IntArray, ...], right: tuple[IntArray, ...], n: int, base: int
) -> tuple[IntArray, IntArray, IntArray]:
    person_l, code_l, size_l = left
    person_r, code_r, size_r = right
    count_r = np.bincount(person_r, minlength=n)
    start_r = np.concatenate(([0], np.cumsum(count_r)))[:-1]
    times = count_r[person_l]
    at = np.repeat(start_r[person_l], times) + (
        np.arange(int(times.sum())) - np.repeat(np.cumsum(times) - times, times)
    )
    person = np.repeat(person_l, times)
    key = np.repeat(code_l, times) * (base * base) + code_r[at]
    kind = np.repeat(size_l, times) * _CLASSES + size_r[at]
    return person, key, kind


def _skill_lists(model: ScoreModel) -> _Lists:
    """Buckets by subsets of wants and teachable skills (related ones count as teachable)."""
    n = model.size
    w = model.weights
    teachable = model.can
    if model.near is not None and w.related:
        teachable = (model.can + model.near).astype(bool)  # related <= 1: at most 1 each
    can_p, can_i = _rows(teachable)
    want_p, want_i = _rows(model.want)
    vocabulary = int(teachable.shape[1])
    base = vocabulary + 1
    level = 2 if base**4 < 2**62 else 1
    if level == 2:
        combos = _subset_count(can_p, 2) * _subset_count(want_p, 2)
        level = 2 if combos.sum() <= _MAX_SUBSETS * 2 * n else 1
    member, key, _ = _pairs_of(
        _subsets(want_p, want_i, base, level), _subsets(can_p, can_i, base, level), n, base
    )
    buckets, bucket = np.unique(key, return_inverse=True)
    del key
    bucket = bucket.astype(index_type(len(buckets)))
    asker, ask_key, ask_class = _pairs_of(
        _subsets(can_p, can_i, base, level), _subsets(want_p, want_i, base, level), n, base
    )
    where = np.searchsorted(buckets, ask_key)
    exists = (where < len(buckets)) & (buckets[np.minimum(where, len(buckets) - 1)] == ask_key)
    teach_most = np.minimum(np.diff(can_p), np.diff(want_p).max(initial=0))
    learn_most = np.minimum(np.diff(want_p), np.diff(can_p).max(initial=0))
    return _Lists(
        bucket=bucket.ravel(),
        member=member,
        ask_bucket=where[exists].astype(index_type(len(buckets))),
        asker=asker[exists],
        ask_class=ask_class[exists],
        limits=_limits(model, teach_most, learn_most, level),
        level=level,
    )


def _subset_count(indptr: IntArray, level: int) -> IntArray:
    lengths = np.diff(indptr)
    count: IntArray = 1 + lengths + (lengths * (lengths - 1) // 2 if level >= 2 else 0)
    return count


def _limits(
    model: ScoreModel, teach_most: IntArray, learn_most: IntArray, level: int
) -> FloatArray:
    """Classes x people: the best score with someone u teaches i (0, 1, 2+) things and
    learns j (0, 1, 2+) things from; with one-skill subsets only, class 1 means 1 or more."""
    w = model.weights
    rest = w.cross_department + w.experience_gap + max(0.0, w.same_site)
    zero = np.zeros_like(teach_most)
    one = np.ones_like(teach_most) if level == 2 else teach_most
    out_counts = [zero, one, teach_most]
    in_counts = [zero, np.ones_like(learn_most) if level == 2 else learn_most, learn_most]
    limits = np.empty((_CLASSES * _CLASSES, model.size))
    for i, out_count in enumerate(out_counts):
        for j, in_count in enumerate(in_counts):
            out, back = strength(out_count.astype(float)), strength(in_count.astype(float))
            limits[i * _CLASSES + j] = w.teach * (out + back) + w.mutual * np.minimum(out, back)
    limits += rest + 1e-9  # rounding in the score's own sums
    return limits


def _open_lists(model: ScoreModel) -> _Lists:
    """Without a wants column: u teaches v what v cannot do, at most all u can teach. So
    partners are bucketed by how much they can teach; u asks every bucket."""
    n = model.size
    w = model.weights
    sizes = model.can_sizes.astype(np.int64)
    kinds, bucket = np.unique(sizes, return_inverse=True)
    asker = np.repeat(np.arange(n), len(kinds))
    ask_bucket = np.tile(np.arange(len(kinds)), n)
    rest = w.cross_department + w.experience_gap + max(0.0, w.same_site)
    out = strength(sizes.astype(float))[:, None]
    back = strength(kinds.astype(float))[None, :]
    table = w.teach * (out + back) + w.mutual * np.minimum(out, back) + rest + 1e-9
    return _Lists(
        bucket=bucket.ravel().astype(np.int64),
        member=np.arange(n),
        ask_bucket=ask_bucket,
        asker=asker,
        ask_class=ask_bucket,
        limits=np.ascontiguousarray(table.T),
        level=0,
    )


def candidate_edges(cand: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct pairs (lo < hi) of a candidate table (people x k partners)."""
    n, k = cand.shape
    a = np.repeat(np.arange(n, dtype=np.int64), k)
    b = cand.ravel().astype(np.int64)
    keys = _distinct(np.minimum(a, b)[a != b] * n + np.maximum(a, b)[a != b])
    return keys // n, keys % n


@dataclass(frozen=True)
class Bound:
    """What the rounds found: the bound, the candidate graph they grew, and the last
    auction's assignment (a seed for the matcher)."""

    value: float
    """A total no pairing can exceed; infinite (still a bound) when the check would be too
    large to run."""
    lo: IntArray
    hi: IntArray
    """The graph's pairs (lo < hi): the candidates and the violating pairs added."""
    assignment: IntArray
    """Per person: the partner the last auction gave them (-1: none, or alone)."""


def bound_rounds(
    model: ScoreModel,
    lo: IntArray,
    hi: IntArray,
    scores: FloatArray,
    *,
    rounds: int = BOUND_ROUNDS,
    keep: int = VIOLATORS_KEPT,
    most: int | None = None,
) -> Bound:
    """A total no pairing of `model`'s roster can exceed (`Bound.value`), starting from the
    candidate edges (lo, hi) with their scores, with the graph the rounds grew and the last
    auction's assignment. After `rounds`, more while the bound still falls, up to `most`
    (by default `MORE_ROUNDS` up to `MORE_ROUNDS_UP_TO` people, else none)."""
    n = model.size
    if most is None:
        most = MORE_ROUNDS if n <= MORE_ROUNDS_UP_TO else rounds
    most = max(most, rounds)
    order = np.argsort(lo * n + hi, kind="stable")  # sorted keys, which the rounds keep
    lo, hi, scores = lo[order], hi[order], scores[order]
    check = Violations(model)
    assignment = np.full(n, -1, dtype=np.int64)
    best = np.inf
    for round_number in range(most):
        arcs = arcs_of(n, lo, hi, scores, _ALONE)
        # Cold each round: started from the last prices, the auction came out worse (at
        # 10,000 people with a time-zone rule, 11,386 against 10,857 after three rounds).
        prices, assignment = auction(arcs)
        duals = duals_from_prices(arcs, prices)
        del arcs
        found = check(duals, keep)
        if found is None:  # too large to check: what earlier rounds certified stands
            return Bound(best, lo, hi, assignment)
        feasible = found.feasible(duals)
        value = float(feasible.sum() - (feasible.min() if n % 2 else 0.0))
        falling = best - value > _STILL_FALLING * abs(value)
        best = min(best, value)
        add_lo, add_hi = found.pairs
        last = round_number + 1 >= rounds and (not falling or round_number + 1 == most)
        if not len(add_lo):
            break
        # Only the new pairs are scored (the keys stay sorted); after the last round they
        # are still handed on, for the matcher's candidate lists.
        keys = lo * n + hi
        added = add_lo * n + add_hi
        added = added[~among(keys, added)]
        at = np.searchsorted(keys, added)
        keys = np.insert(keys, at, added)
        if not last:
            scores = np.insert(scores, at, model.pair_scores(added // n, added % n))
        lo, hi = keys // n, keys % n
        if last:
            break
    return Bound(best, lo, hi, assignment)
