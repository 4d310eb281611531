"""The two-way score of every candidate pair (see docs/scoring.md for the model and an example).

Each direction is scored on its own: how much of what B wants to learn A can teach, and the
reverse. Job titles, levels, age and the like never reach this module: the reader keeps
them out of `Person` altogether.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt
from scipy import sparse

from pairctl.core.model import Person, Roster, fold

FloatMatrix = npt.NDArray[np.float64]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BitArray = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]

BLOCKED_PENALTY = 1000.0
"""What a forbidden pair costs: far beyond anything a pairing can gain elsewhere."""
REPEAT_PENALTY = 100.0
"""What repeating an earlier round's pair costs: more than any same-specialty pairs a
different partner could bring, less than breaking a rule."""


@dataclass(frozen=True)
class Weights:
    """How much each part of the score counts. Defaults are documented in docs/scoring.md."""

    teach: float = 1.0
    """Per direction, times that direction's strength (0 to 1)."""
    mutual: float = 1.0
    """Times the weaker direction's strength: rewards pairs in which both people teach."""
    cross_department: float = 0.25
    """Bonus when the two work in different departments (both known)."""
    experience_gap: float = 0.25
    """Bonus growing with the experience gap, full at `gap_years` apart."""
    gap_years: float = 10.0
    same_specialty: float = 10.0
    """Penalty for two people of one specialty. Kept above twice the best positive score so
    that no exchange of partners can ever prefer more same-specialty pairs (docs/scoring.md)."""

    def max_positive(self) -> float:
        """The highest score a pair can reach without penalty."""
        return 2 * self.teach + self.mutual + self.cross_department + self.experience_gap

    def as_text(self) -> str:
        """One line for the Run info sheet."""
        return ", ".join(f"{f.name}={getattr(self, f.name):g}" for f in fields(self))


def strength(count: FloatMatrix) -> FloatMatrix:
    """Strength of one teaching direction from the number of matched skills.

    1 - 2^-n: the first matched skill counts most (0.5), later ones add less (0.75,
    0.875, ...), so long skill lists cannot swamp everything else and the value stays below 1.
    """
    return 1.0 - np.power(0.5, count)


def _teach_set(person: Person, has_skills: bool) -> set[str]:
    """What a person can teach: their skills, or without a skills column their specialty."""
    if has_skills:
        return {fold(s) for s in person.skills}
    specialty = fold(person.specialty)
    return {specialty} if specialty else set()


def _indicator(sets: list[set[str]], column: dict[str, int]) -> sparse.csr_matrix:
    """People x vocabulary 0/1 matrix."""
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    cols = np.fromiter((column[x] for s in sets for x in s), dtype=np.int64, count=len(rows))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), len(column)))


def _bits(matrix: sparse.csr_matrix) -> BitArray | None:
    """Rows of a 0/1 matrix packed into 64-bit words, or None when the vocabulary is so large
    that the packed form would outweigh the sparse one."""
    words = (matrix.shape[1] + 63) // 64
    if words > _MAX_WORDS:
        return None
    coo = matrix.tocoo()
    packed = np.zeros((matrix.shape[0], max(words, 1)), dtype=np.uint64)
    np.bitwise_or.at(
        packed,
        (coo.row, coo.col // 64),
        np.left_shift(np.uint64(1), (coo.col % 64).astype(np.uint64)),
    )
    return packed


def _merge_keys(keys: IntArray, pairs: IntArray, n: int) -> IntArray:
    """Sorted unique pair keys lo * n + hi: `keys` plus the (m x 2) `pairs`."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    new = np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
    return np.unique(np.concatenate([keys, new]))


def _has_keys(keys: IntArray, a: IntArray, b: IntArray, n: int) -> BoolArray:
    """For each pair (a[i], b[i]): is it among `keys`?"""
    if len(keys) == 0:
        return np.zeros(len(a), dtype=bool)
    wanted = np.minimum(a, b) * n + np.maximum(a, b)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    result: BoolArray = keys[at] == wanted
    return result


def _keys_in(keys: IntArray, n: int, order: IntArray) -> IntArray:
    """Pair keys re-indexed for a model permuted by `order` (pairs leaving it are dropped)."""
    if len(keys) == 0:
        return keys
    position = np.full(n, -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    lo, hi = position[keys // n], position[keys % n]
    kept = (lo >= 0) & (hi >= 0)
    lo, hi = lo[kept], hi[kept]
    return np.unique(np.minimum(lo, hi) * len(order) + np.maximum(lo, hi))


def _codes(values: list[str]) -> IntArray:
    """Small integer codes for equal values (sorted, so independent of row order); -1 for blank."""
    table = {v: i for i, v in enumerate(sorted({v for v in values if v}))}
    return np.array([table.get(v, -1) for v in values], dtype=np.int64)


@dataclass(frozen=True)
class ScoreModel:
    """Everything needed to score any pair of a roster, without storing all n^2 scores.

    Rows index `Roster.people` (or a permutation of it, see `permuted`). `can` and `want` are
    people x skills 0/1 matrices: a teaches b `can[a] . want[b]` things.
    """

    can: sparse.csr_matrix
    want: sparse.csr_matrix
    specialty: IntArray
    department: IntArray
    experience: FloatArray
    weights: Weights
    can_bits: BitArray | None = None
    """`can` packed as bits (people x words), for fast pair scoring; None for huge vocabularies."""
    want_bits: BitArray | None = None
    wants_rest: bool = False
    """No wants column: everyone wants whatever others can teach that they cannot. `want` is
    then left empty rather than stored as a near-dense complement."""
    blocked: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs a rule forbids (reporting line, avoid list), as sorted keys lo * n + hi. They
    score `BLOCKED_PENALTY` less, so a pairing uses one only when nothing else is possible."""
    repeats: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs made in recent rounds (same key form). They score `REPEAT_PENALTY` less: a
    repeat happens only when no other partner is possible, and is then flagged."""
    faded: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs made in older rounds: they cost only `fade_penalty`, and may be repeated."""
    fade_penalty: float = 0.0

    @property
    def size(self) -> int:
        """How many people."""
        return int(self.can.shape[0])

    def permuted(self, order: IntArray) -> ScoreModel:
        """The same model with row i describing person order[i]."""
        return ScoreModel(
            can=self.can[order],
            want=self.want[order],
            specialty=self.specialty[order],
            department=self.department[order],
            experience=self.experience[order],
            weights=self.weights,
            can_bits=None if self.can_bits is None else self.can_bits[order],
            want_bits=None if self.want_bits is None else self.want_bits[order],
            wants_rest=self.wants_rest,
            blocked=_keys_in(self.blocked, self.size, order),
            repeats=_keys_in(self.repeats, self.size, order),
            faded=_keys_in(self.faded, self.size, order),
            fade_penalty=self.fade_penalty,
        )

    def with_blocked(self, pairs: IntArray) -> ScoreModel:
        """The same model with these (m x 2) pairs forbidden."""
        return replace(self, blocked=_merge_keys(self.blocked, pairs, self.size))

    def with_repeats(self, pairs: IntArray) -> ScoreModel:
        """The same model with these (m x 2) pairs marked as made in an earlier round."""
        return replace(self, repeats=_merge_keys(self.repeats, pairs, self.size))

    def with_faded(self, pairs: IntArray, penalty: float) -> ScoreModel:
        """The same model with these (m x 2) older pairs costing `penalty` to repeat."""
        return replace(self, faded=_merge_keys(self.faded, pairs, self.size), fade_penalty=penalty)

    def is_blocked(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: does a rule forbid it?"""
        return _has_keys(self.blocked, a, b, self.size)

    def is_repeat(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: was it made in an earlier round?"""
        return _has_keys(self.repeats, a, b, self.size)

    def largest_specialty(self) -> tuple[int, int]:
        """(code, head-count) of the biggest known specialty; (-1, 0) when none is known."""
        known = self.specialty[self.specialty >= 0]
        if len(known) == 0:
            return -1, 0
        counts = np.bincount(known)
        code = int(np.argmax(counts))
        return code, int(counts[code])

    @cached_property
    def can_sizes(self) -> FloatArray:
        """How many things each person can teach."""
        return np.asarray(self.can.sum(axis=1), dtype=np.float64).ravel()

    def teach_counts(self, teachers: IntArray, learners: IntArray) -> FloatArray:
        """For each (teacher, learner): how many things the teacher can teach the learner."""
        if self.wants_rest:
            shared = self._overlap(teachers, learners, self.can, self.can_bits)
            return self.can_sizes[teachers] - shared
        return self._overlap(teachers, learners, self.want, self.want_bits)

    def _overlap(
        self,
        teachers: IntArray,
        others: IntArray,
        right: sparse.csr_matrix,
        right_bits: BitArray | None,
    ) -> FloatArray:
        """|can[teacher] & right[other]| for each pair, bit-packed when possible."""
        result = np.empty(len(teachers), dtype=np.float64)
        for lo in range(0, len(teachers), _PAIR_CHUNK):
            hi = lo + _PAIR_CHUNK
            if self.can_bits is not None and right_bits is not None:
                both_bits = self.can_bits[teachers[lo:hi]] & right_bits[others[lo:hi]]
                result[lo:hi] = np.bitwise_count(both_bits).sum(axis=1)
            else:
                both = self.can[teachers[lo:hi]].multiply(right[others[lo:hi]])
                result[lo:hi] = np.asarray(both.sum(axis=1)).ravel()
        return result

    def parts(self, a: int, b: int) -> dict[str, float]:
        """One pair's score taken apart, term by term (docs/scoring.md); they sum to the score."""
        x, y = np.array([a]), np.array([b])
        d_ab = float(strength(self.teach_counts(x, y))[0])
        d_ba = float(strength(self.teach_counts(y, x))[0])
        w = self.weights
        dep_a, dep_b = self.department[a], self.department[b]
        spec_a, spec_b = self.specialty[a], self.specialty[b]
        gap = abs(self.experience[a] - self.experience[b])
        parts = {
            "a teaches b": w.teach * d_ab,
            "b teaches a": w.teach * d_ba,
            "both teach": w.mutual * min(d_ab, d_ba),
            "different departments": w.cross_department
            * float(dep_a != dep_b and dep_a >= 0 and dep_b >= 0),
            "experience gap": 0.0
            if np.isnan(gap)
            else w.experience_gap * min(gap / w.gap_years, 1),
            "same specialty": -w.same_specialty * float(spec_a == spec_b and spec_a >= 0),
            "forbidden by a rule": -BLOCKED_PENALTY * float(self.is_blocked(x, y)[0]),
            "repeat of an earlier round": -REPEAT_PENALTY * float(self.is_repeat(x, y)[0]),
        }
        if self.fade_penalty:
            parts["repeat of an older round"] = -self.fade_penalty * float(
                _has_keys(self.faded, x, y, self.size)[0]
            )
        return parts

    def pair_scores(self, a: IntArray, b: IntArray) -> FloatArray:
        """The score of each pair (a[i], b[i]), vectorised. A person with themself: -inf."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        d_ab = strength(self.teach_counts(a, b))
        d_ba = strength(self.teach_counts(b, a))
        total = self._combine(d_ab, d_ba, a, b)
        total[self.is_blocked(a, b)] -= BLOCKED_PENALTY
        total[self.is_repeat(a, b)] -= REPEAT_PENALTY
        if self.fade_penalty:
            total[_has_keys(self.faded, a, b, self.size)] -= self.fade_penalty
        total[a == b] = -np.inf
        return total

    def block(self, rows: IntArray) -> FloatMatrix:
        """Scores of `rows` against everyone: a dense len(rows) x n block (self: -inf)."""
        everyone = np.arange(self.size)
        if self.wants_rest:
            shared = (self.can[rows] @ self.can.T).toarray().astype(np.float64)
            d_out = strength(self.can_sizes[rows][:, None] - shared)
            d_in = strength(self.can_sizes[None, :] - shared)
        else:
            d_out = strength((self.can[rows] @ self.want.T).toarray().astype(np.float64))
            d_in = strength((self.want[rows] @ self.can.T).toarray().astype(np.float64))
        total = self._combine(d_out, d_in, rows[:, None], everyone[None, :])
        row_of = np.full(self.size, -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        tiers = (
            (self.blocked, BLOCKED_PENALTY),
            (self.repeats, REPEAT_PENALTY),
            (self.faded, self.fade_penalty),
        )
        for keys, penalty in tiers:
            lo, hi = keys // self.size, keys % self.size
            for mine, other in ((lo, hi), (hi, lo)):
                inside = row_of[mine] >= 0
                total[row_of[mine[inside]], other[inside]] -= penalty
        total[np.arange(len(rows)), rows] = -np.inf
        return total

    def dense(self) -> FloatMatrix:
        """The full n x n score matrix. Only for small rosters (tests, the exact solver)."""
        return self.block(np.arange(self.size))

    def _combine(
        self, d_ab: npt.NDArray[np.float64], d_ba: npt.NDArray[np.float64], a: IntArray, b: IntArray
    ) -> npt.NDArray[np.float64]:
        """The documented formula, given both directions' strengths; broadcasts a and b."""
        w = self.weights
        total = w.teach * (d_ab + d_ba) + w.mutual * np.minimum(d_ab, d_ba)
        dep_a, dep_b = self.department[a], self.department[b]
        total += w.cross_department * ((dep_a != dep_b) & (dep_a >= 0) & (dep_b >= 0))
        gap = np.abs(self.experience[a] - self.experience[b])
        total += w.experience_gap * np.nan_to_num(np.minimum(gap / w.gap_years, 1.0), nan=0.0)
        spec_a, spec_b = self.specialty[a], self.specialty[b]
        total -= w.same_specialty * ((spec_a == spec_b) & (spec_a >= 0))
        result: npt.NDArray[np.float64] = np.asarray(total, dtype=np.float64)
        return result

    def best_candidates(self, k: int) -> tuple[IntArray, FloatArray]:
        """Each person's k best partners and their scores, best first (ties: lower index).

        Computed in row blocks so memory stays at about `_BLOCK_CELLS` scores at a time.
        """
        n = self.size
        k = min(k, n - 1)
        idx = np.empty((n, k), dtype=np.int64)
        val = np.empty((n, k), dtype=np.float64)
        step = max(1, _BLOCK_CELLS // max(n, 1))
        for lo in range(0, n, step):
            rows = np.arange(lo, min(n, lo + step))
            block = self.block(rows)
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

    def _some_unheld(self, per_row: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
        """(person, skill) for up to `per_row` random skills each person does not hold."""
        n, vocab = self.can.shape
        if vocab == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), per_row)
        cols = rng.integers(0, vocab, len(rows))
        held = np.asarray(self.can[rows, cols]).ravel() > 0
        rows, cols = rows[~held], cols[~held]
        key = np.unique(rows * vocab + cols)
        return key // vocab, key % vocab

    def sampled_candidates(self, k: int, seed: int) -> tuple[IntArray, FloatArray]:
        """Each person's k best partners among a seeded sample of promising ones.

        For rosters too large to score every pair. Per person, a bounded number of look-ups:
        people who hold something they want AND want something they hold (two-way), people
        who can teach them something, people who want what they can teach, and a few at
        random so nobody runs dry. Only those are scored, and the best k kept, best first.
        Time and memory grow linearly with the roster.
        """
        n = self.size
        rng = np.random.default_rng(seed)
        # Fewer draws per look-up on huge rosters, so the pairs scored stay within budget.
        full = _TWO_WAY_LOOKUPS * _PER_TWO_WAY + 2 * _ONE_WAY_LOOKUPS * _PER_ONE_WAY
        scale = min(1.0, _PAIR_BUDGET / (n * full))
        per_two_way = max(2, round(_PER_TWO_WAY * scale))
        per_one_way = max(1, round(_PER_ONE_WAY * scale))
        held = _limited_entries(self.can, _COMBO_SIDE, rng)
        wanted = (
            self._some_unheld(_COMBO_SIDE, rng)
            if self.wants_rest
            else _limited_entries(self.want, _COMBO_SIDE, rng)
        )
        vocab = self.can.shape[1]
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
        lookups = [(_sample_rows(wanted[0], wanted[1], _ONE_WAY_LOOKUPS, rng), self.can)]
        if not self.wants_rest:
            lookups.append((_limited_entries(self.can, _ONE_WAY_LOOKUPS, rng), self.want))
        for (qa, qv), index in lookups:
            by_skill = index.tocsc()
            people = by_skill.indices.astype(np.int64)
            parts.append(
                _draw_ranges(
                    qa, by_skill.indptr[qv], by_skill.indptr[qv + 1], people, per_one_way, rng
                )
            )
        everyone = np.arange(n, dtype=np.int64)
        # Random partners other than oneself: a + 1 + [0, n - 2], wrapped round.
        random_a = np.repeat(everyone, _RANDOM_PER_PERSON)
        parts.append((random_a, (random_a + 1 + rng.integers(0, n - 1, len(random_a))) % n))
        a = np.concatenate([p[0] for p in parts])
        c = np.concatenate([p[1] for p in parts])
        pair = np.sort(a[a != c] * n + c[a != c])
        pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]
        a, c = pair // n, pair % n
        idx, val = _top_k(a, c, self.pair_scores(a, c), n, k)
        unscored = np.isnan(val)
        if unscored.any():
            rows = np.nonzero(unscored)[0]
            val[unscored] = self.pair_scores(rows, idx[unscored])
        return idx, val


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
    first = np.searchsorted(rows, rows, side="left")
    keep = np.arange(len(rows)) - first < per_row
    return rows[keep], values[keep]


def _top_k(
    a: IntArray, c: IntArray, score: FloatArray, n: int, k: int
) -> tuple[IntArray, FloatArray]:
    """Per person a, the k best (c, score), best first; short lists repeat their last entry
    so every row is k long (a repeated candidate changes nothing downstream).

    `a` must be sorted and, within each a, `c` ascending: one stable sort of a single key
    then orders by a, best score, lowest c (a lexsort of three keys is several times slower).
    """
    top = float(score.max(initial=0.0))
    span = top - float(score.min(initial=0.0)) + 1.0
    order = np.argsort(a * span + (top - score), kind="stable")
    a, c, score = a[order], c[order], score[order]
    rank = np.arange(len(a)) - np.searchsorted(a, a, side="left")
    keep = rank < k
    idx = np.full((n, k), -1, dtype=np.int64)
    val = np.full((n, k), -np.inf)
    idx[a[keep], rank[keep]] = c[keep]
    val[a[keep], rank[keep]] = score[keep]
    # Nobody drawn at all (possible only on tiny rosters): the next person stands in.
    empty = np.flatnonzero(idx[:, 0] < 0)
    idx[empty, :] = ((empty + 1) % n)[:, None]
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
# Vocabularies up to 64 * this many skills are packed as bits (at most 256 bytes a person).
_MAX_WORDS = 32
# Pairs scored per sparse product; bounds memory when scoring millions of pairs.
_PAIR_CHUNK = 250_000
# Scores held at once while finding candidates (about 64 MB of float64 per array).
_BLOCK_CELLS = 8_000_000


def score_roster(roster: Roster, weights: Weights | None = None) -> ScoreModel:
    """Build the score model of a roster (docs/scoring.md)."""
    teach_sets = [_teach_set(p, roster.has_skills) for p in roster.people]
    # Without a wants column nobody's wants are stored: see ScoreModel.wants_rest.
    want_sets = (
        [{fold(s) for s in p.wants} for p in roster.people]
        if roster.has_wants
        else [set() for _ in roster.people]
    )
    # Sorted so the model, and therefore every tie, is the same whatever the row order.
    vocabulary = sorted(set().union(*teach_sets, *want_sets))
    column = {skill: i for i, skill in enumerate(vocabulary)}
    people = roster.people
    can = _indicator(teach_sets, column)
    want = _indicator(want_sets, column)
    return ScoreModel(
        can=can,
        want=want,
        wants_rest=not roster.has_wants,
        can_bits=_bits(can),
        want_bits=_bits(want),
        specialty=_codes([fold(p.specialty) for p in people]),
        department=_codes([fold(p.department) for p in people]),
        experience=np.array(
            [np.nan if p.experience is None else p.experience for p in people], dtype=np.float64
        ),
        weights=weights or Weights(),
    )


def lesson(teacher: Person, learner: Person, roster: Roster) -> tuple[str, ...]:
    """What `teacher` can teach `learner`, spelled as the teacher's roster row spells it."""
    own = _teach_set(learner, roster.has_skills)
    if roster.has_wants:
        wanted = {fold(s) for s in learner.wants}
    else:
        wanted = {t for t in _teach_set(teacher, roster.has_skills) if t not in own}
    offered = teacher.skills if roster.has_skills else (teacher.specialty.strip(),)
    return tuple(s for s in offered if fold(s) and fold(s) in wanted)
