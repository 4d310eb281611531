"""The two-way score of every candidate pair (see docs/scoring.md for the model and an example).

Each direction is scored on its own: how much of what B wants to learn A can teach, and the
reverse. Job titles, levels, age and the like never reach this module: the reader keeps
them out of `Person` altogether.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from pairctl.core.model import Person, Roster, fold

FloatMatrix = npt.NDArray[np.float64]


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


@dataclass(frozen=True)
class Scores:
    """Scores of every ordered pair of a roster, indexed like `Roster.people`."""

    total: FloatMatrix
    """Symmetric pair score; the diagonal is meaningless (set to -inf)."""
    teaches: FloatMatrix
    """teaches[a, b]: how many things a can teach b (what a has that b wants)."""


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


def _want_sets(roster: Roster, teach: list[set[str]]) -> list[set[str]]:
    """What each person wants to learn: their wants, or without a wants column anything
    someone on the roster can teach that they cannot teach themselves."""
    if roster.has_wants:
        return [{fold(s) for s in p.wants} for p in roster.people]
    teachable = set().union(*teach)
    return [teachable - own for own in teach]


def teach_counts(roster: Roster) -> FloatMatrix:
    """counts[a, b] = how many things a can teach that b wants, compared by `fold`.

    Without a skills column a person can teach their specialty; without a wants column they
    want whatever they cannot already teach. With neither, counts[a, b] is 1 exactly when
    the two specialties differ.
    """
    teach_sets = [_teach_set(p, roster.has_skills) for p in roster.people]
    want_sets = _want_sets(roster, teach_sets)
    # Sorted so the matrix, and therefore every tie, is the same whatever the row order.
    vocabulary = sorted(set().union(*teach_sets, *want_sets))
    column = {skill: i for i, skill in enumerate(vocabulary)}
    n = len(roster.people)
    can = np.zeros((n, len(vocabulary)), dtype=np.float64)
    want = np.zeros((n, len(vocabulary)), dtype=np.float64)
    for i, (t, w) in enumerate(zip(teach_sets, want_sets, strict=True)):
        can[i, [column[s] for s in t]] = 1.0
        want[i, [column[s] for s in w]] = 1.0
    counts: FloatMatrix = can @ want.T
    return counts


def _same(values: list[str]) -> npt.NDArray[np.bool_]:
    """same[a, b]: both values known and equal (blank never matches anything)."""
    codes = {v: i for i, v in enumerate(sorted(set(values)))}
    arr = np.array([codes[v] for v in values])
    known = np.array([v != "" for v in values])
    result: npt.NDArray[np.bool_] = (arr[:, None] == arr[None, :]) & known[:, None] & known[None, :]
    return result


def score_roster(roster: Roster, weights: Weights | None = None) -> Scores:
    """Score every candidate pair of the roster, both directions, vectorised."""
    w = weights or Weights()
    people = roster.people
    counts = teach_counts(roster)
    d = strength(counts)
    total = w.teach * (d + d.T) + w.mutual * np.minimum(d, d.T)

    departments = [fold(p.department) for p in people]
    known_dept = np.array([dep != "" for dep in departments])
    cross_dept = ~_same(departments) & known_dept[:, None] & known_dept[None, :]
    total += w.cross_department * cross_dept

    exp = np.array([np.nan if p.experience is None else p.experience for p in people])
    gap = np.abs(exp[:, None] - exp[None, :])
    total += w.experience_gap * np.nan_to_num(np.minimum(gap / w.gap_years, 1.0), nan=0.0)

    total -= w.same_specialty * _same([fold(p.specialty) for p in people])
    np.fill_diagonal(total, -np.inf)
    return Scores(total=total, teaches=counts)


def lesson(teacher: Person, learner: Person, roster: Roster) -> tuple[str, ...]:
    """What `teacher` can teach `learner`, spelled as the teacher's roster row spells it."""
    own = _teach_set(learner, roster.has_skills)
    if roster.has_wants:
        wanted = {fold(s) for s in learner.wants}
    else:
        wanted = {t for t in _teach_set(teacher, roster.has_skills) if t not in own}
    offered = teacher.skills if roster.has_skills else (teacher.specialty.strip(),)
    return tuple(s for s in offered if fold(s) and fold(s) in wanted)
