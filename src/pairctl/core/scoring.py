"""The two-way score of every candidate pair (see docs/scoring.md for the model and an example).

Each direction is scored on its own: how much of what B wants to learn A can teach, and the
reverse. Job titles, levels, age and the like never reach this module: the reader keeps
them out of `Person` altogether.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from pairctl.core.model import Person, Roster, fold
from pairctl.core.vocabulary import Lookup, Vocabulary, default_vocabulary, term_key
from pairctl.core.zones import gap_hours

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
ONE_WAY_PENALTY = 300.0
"""What a pair in which someone teaches nothing costs when two-way pairs are required
(`--two-way require`): less than breaking a rule, more than repeating a pair."""


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
    related: float = 0.5
    """What a wanted skill counts when the teacher has only a related one
    (`[vocabulary.related]`), against 1 for the skill itself."""
    same_site: float = 0.0
    """Added when the two work at one site (a location column, both known): positive to
    prefer colleagues who can meet in person, negative to send people to other offices."""
    no_shared_language: float = 1.0
    """With `--language prefer`: what a pair loses whose languages are both known and share
    none (as much as a first lesson in both directions; far less than a same-specialty
    pair)."""
    rotation: float = 3.0
    """With history and an odd head-count: what being the odd one again costs (joining the
    trio, or being left out), so it rotates: `rotation` after one such round, growing towards
    twice that after many (docs/scoring.md)."""

    def max_positive(self) -> float:
        """The highest score a pair can reach without penalty."""
        return (
            2 * self.teach
            + self.mutual
            + self.cross_department
            + self.experience_gap
            + max(0.0, self.same_site)
        )

    def as_text(self) -> str:
        """One line for the Run info sheet."""
        return ", ".join(f"{f.name}={getattr(self, f.name):g}" for f in fields(self))


def strength(count: FloatMatrix) -> FloatMatrix:
    """Strength of one teaching direction from the number of matched skills.

    1 - 2^-n: the first matched skill counts most (0.5), later ones add less (0.75,
    0.875, ...), so long skill lists cannot swamp everything else and the value stays below 1.
    """
    return 1.0 - np.power(0.5, count)


def _teach_set(person: Person, roster: Roster) -> set[str]:
    """What a person can teach, in canonical forms: their skills, or without a skills column
    their specialty."""
    skills = roster.vocabulary.skills
    if roster.has_skills:
        return {k for k in map(skills.key, person.skills) if k}
    specialty = skills.key(person.specialty)
    return {specialty} if specialty else set()


def _want_set(person: Person, roster: Roster) -> set[str]:
    """What a person wants to learn, in canonical forms."""
    return {k for k in map(roster.vocabulary.skills.key, person.wants) if k}


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
    return among(keys, np.minimum(a, b) * n + np.maximum(a, b))


def among(sorted_keys: IntArray, wanted: IntArray) -> BoolArray:
    """For each of `wanted`: is it in `sorted_keys` (sorted ascending)?"""
    if len(sorted_keys) == 0:
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    result: BoolArray = sorted_keys[at] == wanted
    return result


def places(sorted_keys: IntArray) -> IntArray:
    """For each entry of `sorted_keys`: how many equal keys come before it (its place in its
    run), as in "keep each person's first k"."""
    place: IntArray = np.arange(len(sorted_keys)) - np.searchsorted(
        sorted_keys, sorted_keys, "left"
    )
    return place


def spans(counts: IntArray, most: int) -> Iterator[tuple[int, int]]:
    """Consecutive slices [lo, hi) of `counts` whose counts add up to about `most` (at least
    one entry each): for working through many rows' entries a bounded amount at a time."""
    ends = np.cumsum(counts)
    lo = 0
    while lo < len(counts):
        hi = max(lo + 1, int(np.searchsorted(ends, ends[lo] - counts[lo] + most, "right")))
        yield lo, hi
        lo = hi


def index_type(count: int) -> type[np.signedinteger[Any]]:
    """The narrowest of int32 and int64 that indexes `count` things: long index arrays in
    32 bits take half the memory."""
    return np.int32 if count < 2**31 else np.int64


def _keys_in(keys: IntArray, n: int, order: IntArray) -> tuple[IntArray, IntArray]:
    """Pair keys re-indexed for a model permuted by `order` (distinct indices; pairs leaving
    it are dropped), sorted, and where each came from in `keys`."""
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    position = np.full(n, -1, dtype=np.int64)
    position[order] = np.arange(len(order))
    lo, hi = position[keys // n], position[keys % n]
    kept = np.flatnonzero((lo >= 0) & (hi >= 0))
    lo, hi = lo[kept], hi[kept]
    moved = np.minimum(lo, hi) * len(order) + np.maximum(lo, hi)
    by_key = np.argsort(moved, kind="stable")
    return moved[by_key], kept[by_key]


def largest_specialty(codes: IntArray) -> tuple[int, int]:
    """(code, head-count) of the most common specialty code (>= 0; ties: the lower code), or
    (-1, 0) when no specialty is known. The one count of "the largest specialty" in pairctl."""
    known = codes[codes >= 0]
    if len(known) == 0:
        return -1, 0
    counts = np.bincount(known)
    code = int(np.argmax(counts))
    return code, int(counts[code])


def specialty_codes(people: Sequence[Person], specialties: Lookup | None = None) -> IntArray:
    """Each person's specialty as a small code, equal for specialties the vocabulary counts as
    one (the built-in one when none is given); -1 for a blank one."""
    lookup = specialties or default_vocabulary().specialties
    return _codes([lookup.key(p.specialty) for p in people])


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
    blocked_why: tuple[str, ...] = ()
    """Why each pair in `blocked` is forbidden (same order), in the coordinator's words."""
    repeats: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs made in recent rounds (same key form). They score `REPEAT_PENALTY` less: a
    repeat happens only when no other partner is possible, and is then flagged."""
    faded: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs made in older rounds: they cost only `fade_penalty`, and may be repeated."""
    fade_penalty: float = 0.0
    near: sparse.csr_matrix | None = None
    """People x skills: skills related to one a person can teach that they cannot teach
    themselves (`[vocabulary.related]`); each wanted one counts `weights.related`."""
    near_bits: BitArray | None = None
    one_way_penalty: float = 0.0
    """What a pair costs in which someone teaches nothing: `ONE_WAY_PENALTY` when two-way
    pairs are required, else 0."""
    odd_cost: FloatArray | None = None
    """Per person: what making them the odd one costs (`weights.rotation` per earlier round
    in which they were); None without history."""
    site: IntArray | None = None
    """Per person: a code for their site (equal for one site; -1 unknown); None without a
    location column."""
    speaks: sparse.csr_matrix | None = None
    """People x languages 0/1; a row of zeros is someone whose languages are unknown. None
    without a languages column."""
    speaks_bits: BitArray | None = None
    language_rule: str = "ignore"
    """ignore, prefer (`weights.no_shared_language` off a pair sharing none) or require (such
    a pair is forbidden like an avoid pair). Unknown languages never count against a pair."""
    offset: FloatArray | None = None
    """Per person: minutes east of UTC on the round's date; NaN where unknown. None without
    a time zone or location column."""
    max_gap: float | None = None
    """Pairs more than this many hours apart (the short way round the clock) are forbidden
    like an avoid pair; None: no limit. Unknown zones are never forbidden."""
    places: tuple[str, ...] = ()
    """Per person: their zone's name (or '') and languages, for the reasons a rule gives."""
    tongues: tuple[str, ...] = ()
    round_date: str = ""
    """The round's date (ISO), at which the offsets were taken."""

    @property
    def size(self) -> int:
        """How many people."""
        return int(self.can.shape[0])

    def permuted(self, order: IntArray) -> ScoreModel:
        """The same model with row i describing person order[i] (distinct indices; people left
        out take their rules and history with them)."""
        blocked, came_from = _keys_in(self.blocked, self.size, order)
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
            blocked=blocked,
            blocked_why=tuple(self.blocked_why[i] for i in came_from.tolist()),
            repeats=_keys_in(self.repeats, self.size, order)[0],
            faded=_keys_in(self.faded, self.size, order)[0],
            fade_penalty=self.fade_penalty,
            near=None if self.near is None else self.near[order],
            near_bits=None if self.near_bits is None else self.near_bits[order],
            one_way_penalty=self.one_way_penalty,
            odd_cost=None if self.odd_cost is None else self.odd_cost[order],
            site=None if self.site is None else self.site[order],
            speaks=None if self.speaks is None else self.speaks[order],
            speaks_bits=None if self.speaks_bits is None else self.speaks_bits[order],
            language_rule=self.language_rule,
            offset=None if self.offset is None else self.offset[order],
            max_gap=self.max_gap,
            places=tuple(self.places[i] for i in order.tolist()) if self.places else (),
            tongues=tuple(self.tongues[i] for i in order.tolist()) if self.tongues else (),
            round_date=self.round_date,
        )

    def with_blocked(self, reasons: Mapping[tuple[int, int], str]) -> ScoreModel:
        """The same model with these pairs forbidden, each with the reason a rule gives (for
        a pair already forbidden, the reason given here replaces the earlier one)."""
        merged = self.rules()
        merged.update({(min(a, b), max(a, b)): why for (a, b), why in reasons.items()})
        pairs = sorted(merged)
        keys = np.array([lo * self.size + hi for lo, hi in pairs], dtype=np.int64)
        return replace(self, blocked=keys, blocked_why=tuple(merged[p] for p in pairs))

    def rules(self) -> dict[tuple[int, int], str]:
        """Every forbidden pair (lower index, higher index) in this model's rows, and why."""
        n = self.size
        return {
            (int(key // n), int(key % n)): why
            for key, why in zip(self.blocked.tolist(), self.blocked_why, strict=True)
        }

    def rule_reason(self, a: int, b: int) -> str:
        """Why a rule forbids pairing a and b, or '' when none does."""
        lo, hi = min(a, b), max(a, b)
        at = int(np.searchsorted(self.blocked, lo * self.size + hi))
        if at < len(self.blocked) and self.blocked[at] == lo * self.size + hi:
            return self.blocked_why[at]
        x, y = np.array([a]), np.array([b])
        if self._too_far(x, y)[0]:
            gap = float(self.gap(x, y)[0])
            return (
                f"{self.places[a]} and {self.places[b]} are {gap:g} hours apart on "
                f"{self.round_date} (the time-zone rule allows {self.max_gap:g})"
            )
        if self.language_rule == "require" and self.no_shared_language(x, y)[0]:
            return (
                f"no language in common ({self.tongues[a]} and {self.tongues[b]}; a shared "
                "language is required)"
            )
        return ""

    @property
    def has_meeting_rules(self) -> bool:
        """Whether the time-zone gap or the shared language forbids pairs."""
        return self.max_gap is not None or (
            self.language_rule == "require" and self.speaks is not None
        )

    def gap(self, a: IntArray, b: IntArray) -> FloatArray:
        """Hours between the two people's clocks on the round's date (NaN where a zone is
        unknown, or without zones); broadcasts a and b."""
        if self.offset is None:
            return np.full(np.broadcast_shapes(np.shape(a), np.shape(b)), np.nan)
        return gap_hours(self.offset[a], self.offset[b])

    def no_shared_language(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: are both people's languages known, and do they share none?
        Broadcasts a (rows x 1) against b (1 x n) as `block` does."""
        shape = np.broadcast_shapes(np.shape(a), np.shape(b))
        if self.speaks is None:
            return np.zeros(shape, dtype=bool)
        known = self.speaking_known
        if len(shape) == 2 and np.shape(a) == (shape[0], 1) and np.shape(b) == (1, shape[1]):
            # `block`'s layout: rows against everyone.
            rows, cols = np.ravel(a), np.ravel(b)
            if self.speaks_bits is not None:
                # A few languages: one or two words a person, compared word by word.
                shared = np.zeros(shape, dtype=bool)
                for word in range(self.speaks_bits.shape[1]):
                    left = self.speaks_bits[rows, word][:, None]
                    shared |= (left & self.speaks_bits[cols, word][None, :]) != 0
            else:
                shared = (self.speaks[rows] @ self.speaks[cols].T).toarray() > 0
            both: BoolArray = known[rows][:, None] & known[cols][None, :] & ~shared
            return both
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
        x, y = a.ravel(), b.ravel()
        common = _overlap(x, y, self.speaks, self.speaks_bits, self.speaks, self.speaks_bits)
        result: BoolArray = (known[x] & known[y] & (common == 0)).reshape(shape)
        return result

    @cached_property
    def speaking_known(self) -> BoolArray:
        """Per person: are their languages known?"""
        if self.speaks is None:
            return np.zeros(self.size, dtype=bool)
        result: BoolArray = np.diff(self.speaks.indptr) > 0
        return result

    def _too_far(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: does the time-zone rule forbid it?"""
        if self.max_gap is None or self.offset is None:
            return np.zeros(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)
        with np.errstate(invalid="ignore"):
            result: BoolArray = self.gap(a, b) > self.max_gap + _GAP_SLACK
        return result

    def _meeting_forbids(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: does the time-zone or the language rule forbid it? Broadcasts."""
        forbids = self._too_far(a, b)
        if self.language_rule == "require":
            forbids = forbids | self.no_shared_language(a, b)
        return forbids

    def with_meeting(
        self,
        offsets: FloatArray | None,
        max_gap: float | None,
        language_rule: str,
        places: tuple[str, ...],
        tongues: tuple[str, ...],
        round_date: str,
    ) -> ScoreModel:
        """The same model with each person's clock on the round's date and the rules on time
        zones and languages (`language_rule`: ignore, prefer, require)."""
        return replace(
            self,
            offset=offsets,
            max_gap=max_gap,
            language_rule=language_rule if self.speaks is not None else "ignore",
            places=places,
            tongues=tongues,
            round_date=round_date,
        )

    def plain(self) -> ScoreModel:
        """The same model without rules or history: what the people alone would score. (With
        `--language prefer` the weight is part of the score and stays; `require` is a rule and
        goes, weight and all.)"""
        empty = np.zeros(0, dtype=np.int64)
        return replace(
            self,
            blocked=empty,
            blocked_why=(),
            repeats=empty,
            faded=empty,
            one_way_penalty=0.0,
            max_gap=None,
            language_rule="ignore" if self.language_rule == "require" else self.language_rule,
        )

    def requiring_two_way(self, required: bool = True) -> ScoreModel:
        """The same model in which a pair where someone teaches nothing costs
        `ONE_WAY_PENALTY` (or, with `required=False`, nothing extra)."""
        return replace(self, one_way_penalty=ONE_WAY_PENALTY if required else 0.0)

    def group_is_two_way(self, members: Sequence[int]) -> bool:
        """Whether everyone in the group teaches someone in it and learns from someone in it:
        what "two-way" means for a group everywhere (flags, warnings, `--two-way require`).
        For a pair it is `is_two_way`; a trio may be two-way around a circle."""
        links = [(x, y) for x in members for y in members if x != y]
        teacher = np.array([x for x, _ in links], dtype=np.int64)
        learner = np.array([y for _, y in links], dtype=np.int64)
        teaches = self.teach_counts(teacher, learner) > 0
        return all(teaches[teacher == m].any() and teaches[learner == m].any() for m in members)

    def is_two_way(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: does each of the two teach the other something?"""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        result: BoolArray = (self.teach_counts(a, b) > 0) & (self.teach_counts(b, a) > 0)
        return result

    def with_repeats(self, pairs: IntArray) -> ScoreModel:
        """The same model with these (m x 2) pairs marked as made in an earlier round."""
        return replace(self, repeats=_merge_keys(self.repeats, pairs, self.size))

    def with_odd_rounds(self, counts: FloatArray) -> ScoreModel:
        """The same model in which making person i the odd one again costs
        `2 * rotation * (1 - 2^-counts[i])` (counts: the earlier rounds in which they were):
        `rotation` after one round, more after each, and never twice `rotation` or more, so
        that with the default (3) it stays below a same-specialty pair (10)."""
        counts = np.asarray(counts, dtype=np.float64)
        cost = 2 * self.weights.rotation * (1 - np.power(0.5, counts))
        return replace(self, odd_cost=cost if cost.any() else None)

    def with_faded(self, pairs: IntArray, penalty: float) -> ScoreModel:
        """The same model with these (m x 2) older pairs costing `penalty` to repeat."""
        return replace(self, faded=_merge_keys(self.faded, pairs, self.size), fade_penalty=penalty)

    def is_blocked(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: does a rule forbid it (a listed pair, the time-zone gap or the
        shared language)?"""
        listed = _has_keys(self.blocked, a, b, self.size)
        if not self.has_meeting_rules:
            return listed
        result: BoolArray = listed | self._meeting_forbids(a, b)
        return result

    def is_repeat(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: was it made in an earlier round?"""
        return _has_keys(self.repeats, a, b, self.size)

    def largest_specialty(self) -> tuple[int, int]:
        """(code, head-count) of the biggest known specialty; (-1, 0) when none is known."""
        return largest_specialty(self.specialty)

    def specialty_surplus(self) -> int:
        """How many more people the largest specialty holds than everyone else together (0
        when it holds no more than half): that many of its members must pair among themselves,
        in every pairing."""
        _, largest = self.largest_specialty()
        return max(0, 2 * largest - self.size)

    def has_history(self) -> bool:
        """Whether earlier rounds' pairs cost anything here (--history)."""
        return len(self.repeats) > 0 or (self.fade_penalty > 0 and len(self.faded) > 0)

    @cached_property
    def can_sizes(self) -> FloatArray:
        """How many things each person can teach."""
        return np.asarray(self.can.sum(axis=1), dtype=np.float64).ravel()

    def teach_counts(self, teachers: IntArray, learners: IntArray) -> FloatArray:
        """For each (teacher, learner): how many things the teacher can teach the learner (a
        related skill counting `weights.related`)."""
        if self.wants_rest:
            shared = _overlap(teachers, learners, self.can, self.can_bits, self.can, self.can_bits)
            return self.can_sizes[teachers] - shared
        counts = _overlap(teachers, learners, self.can, self.can_bits, self.want, self.want_bits)
        if self.near is not None and self.weights.related:
            near = _overlap(
                teachers, learners, self.near, self.near_bits, self.want, self.want_bits
            )
            counts += self.weights.related * near
        return counts

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
            "same site": w.same_site * float(self._same_site(x, y)[0]),
            "no shared language": -w.no_shared_language
            * float(self.language_rule == "prefer" and self.no_shared_language(x, y)[0]),
            "forbidden by a rule": -BLOCKED_PENALTY * float(self.is_blocked(x, y)[0]),
            "repeat of an earlier round": -REPEAT_PENALTY * float(self.is_repeat(x, y)[0]),
        }
        if self.one_way_penalty:
            parts["one-way, two-way required"] = -self.one_way_penalty * float(min(d_ab, d_ba) <= 0)
        if self.fade_penalty:
            parts["repeat of an older round"] = -self.fade_penalty * float(
                _has_keys(self.faded, x, y, self.size)[0]
            )
        return parts

    def pair_scores(self, a: IntArray, b: IntArray) -> FloatArray:
        """The score of each pair (a[i], b[i]), vectorised. A person with themself: -inf."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if len(a) <= _SCORE_CHUNK:
            return self._pair_scores(a, b)
        # A dozen temporaries of the pairs' length: in pieces, so scoring the 14 million
        # sampled candidates of 100,000 people does not take a gigabyte.
        total = np.empty(len(a))
        for lo in range(0, len(a), _SCORE_CHUNK):
            total[lo : lo + _SCORE_CHUNK] = self._pair_scores(
                a[lo : lo + _SCORE_CHUNK], b[lo : lo + _SCORE_CHUNK]
            )
        return total

    def _pair_scores(self, a: IntArray, b: IntArray) -> FloatArray:
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
            n_out = (self.can[rows] @ self.want.T).toarray().astype(np.float64)
            n_in = (self.want[rows] @ self.can.T).toarray().astype(np.float64)
            if self.near is not None and self.weights.related:
                related = self.weights.related
                n_out += related * (self.near[rows] @ self.want.T).toarray()
                n_in += related * (self.want[rows] @ self.near.T).toarray()
            d_out, d_in = strength(n_out), strength(n_in)
        total = self._combine(d_out, d_in, rows[:, None], everyone[None, :])
        tiers = [(self.repeats, REPEAT_PENALTY), (self.faded, self.fade_penalty)]
        if self.has_meeting_rules:
            # A pair two rules forbid costs the penalty once, as in `pair_scores`.
            total[self.forbidden_block(rows)] -= BLOCKED_PENALTY
        else:
            # Listed pairs only: subtracted where they are, no rows x n mask on the hot path.
            tiers.append((self.blocked, BLOCKED_PENALTY))
        row_of = np.full(self.size, -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        for keys, penalty in tiers:
            lo, hi = keys // self.size, keys % self.size
            for mine, other in ((lo, hi), (hi, lo)):
                inside = row_of[mine] >= 0
                total[row_of[mine[inside]], other[inside]] -= penalty
        total[np.arange(len(rows)), rows] = -np.inf
        return total

    def allowed_partners(self) -> IntArray:
        """Per person: how many others no rule forbids them to pair with.

        The time-zone and language rules depend only on a person's clock and languages, so
        people are grouped by those (a few dozen groups on a real roster) and the groups
        compared with each other; listed pairs the two rules allow are then taken off. Linear
        in the roster, where comparing everyone with everyone would be quadratic."""
        n = self.size
        lo, hi = self.blocked // n, self.blocked % n
        if not self.has_meeting_rules:
            listed: IntArray = np.bincount(np.concatenate([lo, hi]), minlength=n)
            return (n - 1) - listed
        kind, firsts = self._meeting_kinds()
        forbids = self._meeting_forbids(firsts[:, None], firsts[None, :])
        counts = np.bincount(kind, minlength=len(firsts))
        compatible = (~forbids).astype(np.int64) @ counts
        allowed: IntArray = compatible[kind] - (~forbids[kind, kind]).astype(np.int64)
        also = ~forbids[kind[lo], kind[hi]]
        allowed -= np.bincount(lo[also], minlength=n) + np.bincount(hi[also], minlength=n)
        return allowed

    def _meeting_kinds(self) -> tuple[IntArray, IntArray]:
        """People grouped by what the time-zone and language rules look at: each person's
        group, and one member of each group."""
        columns = [np.zeros((self.size, 1), dtype=np.int64)]
        if self.max_gap is not None and self.offset is not None:
            clock = np.where(np.isnan(self.offset), 10**6, self.offset).astype(np.int64)
            columns.append(clock[:, None])
        if self.language_rule == "require" and self.speaks is not None:
            if self.speaks_bits is not None:
                columns.append(self.speaks_bits.view(np.int64))
            else:
                # More languages than bits hold: every person their own group (exact, slow).
                columns.append(np.arange(self.size, dtype=np.int64)[:, None])
        table = np.hstack(columns)
        _, firsts, kind = np.unique(table, axis=0, return_index=True, return_inverse=True)
        return kind.ravel().astype(np.int64), firsts.astype(np.int64)

    def forbidden_block(self, rows: IntArray) -> BoolArray:
        """Which pairs of `rows` against everyone a rule forbids (listed pairs, the time-zone
        gap, the shared language): a len(rows) x n block."""
        everyone = np.arange(self.size)
        forbidden: BoolArray = (
            self._meeting_forbids(rows[:, None], everyone[None, :])
            if self.has_meeting_rules
            else np.zeros((len(rows), self.size), dtype=bool)
        )
        row_of = np.full(self.size, -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        lo, hi = self.blocked // self.size, self.blocked % self.size
        for mine, other in ((lo, hi), (hi, lo)):
            inside = row_of[mine] >= 0
            forbidden[row_of[mine[inside]], other[inside]] = True
        return forbidden

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
        if self.one_way_penalty:
            total -= self.one_way_penalty * (np.minimum(d_ab, d_ba) <= 0)
        if w.same_site and self.site is not None:
            total += w.same_site * self._same_site(a, b)
        if w.no_shared_language and self.language_rule == "prefer":
            total -= w.no_shared_language * self.no_shared_language(a, b)
        result: npt.NDArray[np.float64] = np.asarray(total, dtype=np.float64)
        return result

    def _same_site(self, a: IntArray, b: IntArray) -> BoolArray:
        """For each pair: do both work at one known site? Broadcasts."""
        if self.site is None:
            return np.zeros(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)
        site_a, site_b = self.site[a], self.site[b]
        result: BoolArray = (site_a == site_b) & (site_a >= 0)
        return result


def _overlap(
    teachers: IntArray,
    others: IntArray,
    left: sparse.csr_matrix,
    left_bits: BitArray | None,
    right: sparse.csr_matrix,
    right_bits: BitArray | None,
) -> FloatArray:
    """|left[teacher] & right[other]| for each pair, bit-packed when possible."""
    result = np.empty(len(teachers), dtype=np.float64)
    for lo in range(0, len(teachers), _PAIR_CHUNK):
        hi = lo + _PAIR_CHUNK
        if left_bits is not None and right_bits is not None:
            both_bits = left_bits[teachers[lo:hi]] & right_bits[others[lo:hi]]
            # Word by word: numpy's sum along the short axis took most of the time (a third
            # of the certified bound's check at 100,000 people), adding columns is 3x faster.
            count = np.bitwise_count(both_bits[:, 0]).astype(np.uint16)
            for word in range(1, both_bits.shape[1]):
                count += np.bitwise_count(both_bits[:, word])
            result[lo:hi] = count
        else:
            both = left[teachers[lo:hi]].multiply(right[others[lo:hi]])
            result[lo:hi] = np.asarray(both.sum(axis=1)).ravel()
    return result


# Offsets are whole minutes, so gaps are exact multiples of 1/60 hour; this absorbs rounding.
_GAP_SLACK = 1e-9
# Vocabularies up to 64 * this many skills are packed as bits (at most 256 bytes a person).
_MAX_WORDS = 32
# Pairs scored per sparse product; bounds memory when scoring millions of pairs.
_PAIR_CHUNK = 250_000
_SCORE_CHUNK = 1_000_000
"""Pairs scored at once by `ScoreModel.pair_scores`."""


def score_roster(
    roster: Roster, weights: Weights | None = None, *, two_way: bool = False
) -> ScoreModel:
    """Build the score model of a roster (docs/scoring.md); `two_way`: require two-way pairs."""
    teach_sets = [_teach_set(p, roster) for p in roster.people]
    # Without a wants column nobody's wants are stored: see ScoreModel.wants_rest.
    want_sets = (
        [_want_set(p, roster) for p in roster.people]
        if roster.has_wants
        else [set() for _ in roster.people]
    )
    # Sorted so the model, and therefore every tie, is the same whatever the row order.
    vocabulary = sorted(set().union(*teach_sets, *want_sets))
    column = {skill: i for i, skill in enumerate(vocabulary)}
    people = roster.people
    can = _indicator(teach_sets, column)
    want = _indicator(want_sets, column)
    near = _near(can, roster.vocabulary, column) if roster.has_wants else None
    speaks = _languages(people) if roster.has_languages else None
    return ScoreModel(
        can=can,
        want=want,
        wants_rest=not roster.has_wants,
        can_bits=_bits(can),
        want_bits=_bits(want),
        near=near,
        near_bits=None if near is None else _bits(near),
        one_way_penalty=ONE_WAY_PENALTY if two_way else 0.0,
        specialty=specialty_codes(people, roster.vocabulary.specialties),
        department=_codes([fold(p.department) for p in people]),
        experience=np.array(
            [np.nan if p.experience is None else p.experience for p in people], dtype=np.float64
        ),
        weights=weights or Weights(),
        site=_codes([fold(p.site) for p in people]) if roster.has_sites else None,
        speaks=speaks,
        speaks_bits=None if speaks is None else _bits(speaks),
    )


def _languages(people: Sequence[Person]) -> sparse.csr_matrix:
    """People x languages, each language folded as skills are (`English`, `english `)."""
    spoken = [{k for k in map(term_key, p.languages) if k} for p in people]
    column = {name: i for i, name in enumerate(sorted(set().union(*spoken)))}
    return _indicator(spoken, column)


def _near(
    can: sparse.csr_matrix, vocabulary: Vocabulary, column: Mapping[str, int]
) -> sparse.csr_matrix | None:
    """People x skills: the skills related to one each person can teach, less those they
    can teach themselves; None when no related group touches the roster's skills."""
    links = [
        (column[x], column[y])
        for group in vocabulary.related
        for x in group
        for y in group
        if x != y and x in column and y in column
    ]
    if not links:
        return None
    rows, cols = zip(*links, strict=True)
    size = len(column)
    relation = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(size, size)
    )
    reached = (can @ relation).astype(bool).astype(np.float32)
    near = (reached - reached.multiply(can)).tocsr()
    near.eliminate_zeros()
    return near if near.nnz else None


def lesson(teacher: Person, learner: Person, roster: Roster) -> tuple[str, ...]:
    """What `teacher` can teach `learner`, spelled as the teacher's roster row spells it, with
    the canonical name in brackets where the vocabulary maps it to another, and a related
    skill marked as such: `ML (Machine learning)`, `Storytelling (related to Public speaking)`."""
    skills = roster.vocabulary.skills
    own = _teach_set(learner, roster)
    offered = teacher.skills if roster.has_skills else (teacher.specialty.strip(),)
    if not roster.has_wants:
        mine = _teach_set(teacher, roster)
        return tuple(
            skills.shown(s) for s in offered if skills.key(s) in mine and skills.key(s) not in own
        )
    wanted = _want_set(learner, roster)
    # One line per skill, however many ways the teacher spelled it ("ML; Machine learning").
    firsts = {skills.key(s): s for s in reversed(offered)}
    taught = [s for s in offered if skills.key(s) in wanted and firsts[skills.key(s)] is s]
    mine = _teach_set(teacher, roster)
    related = []
    seen: set[str] = set()
    for item in learner.wants:
        key = skills.key(item)
        if key in mine or key in seen:
            continue
        seen.add(key)
        near = [
            s for s in offered if any({key, skills.key(s)} <= g for g in roster.vocabulary.related)
        ]
        if near:
            related.append(f"{near[0].strip()} (related to {item.strip()})")
    return (*(skills.shown(s) for s in taught), *related)
