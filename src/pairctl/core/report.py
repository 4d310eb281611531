"""What a run produced, in the shape the writers and the terminal summary render.

Built once by `build_report` (in `pairctl.core.summary`); every output format reads the same
object, so the sheet, the JSON and the terminal can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from pairctl.core.model import Person
from pairctl.core.quality import NOT_MEASURED, Quality


@dataclass(frozen=True)
class Lesson:
    """What one member of a group can teach another: skills as the roster spells them."""

    teacher: str
    learner: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class GroupView:
    """One pair or trio, ready to render. `number` counts from 1 in sheet order."""

    number: int
    members: tuple[Person, ...]
    lessons: tuple[Lesson, ...]
    """Every ordered (teacher, learner) within the group, even when nothing is taught."""
    score: float
    notes: tuple[str, ...] = ()
    """Plain-word flags, e.g. 'same specialty (unavoidable)', 'one-way', 'trio'."""
    gap: float | None = None
    """Hours between the members' clocks on the round's date (a trio: the largest of its
    links); None when a member's zone is unknown or the roster has no zones."""

    def teaches(self, teacher: str, learner: str) -> tuple[str, ...]:
        """What `teacher` teaches `learner` (both person keys) in this group."""
        for lesson in self.lessons:
            if lesson.teacher == teacher and lesson.learner == learner:
                return lesson.skills
        return ()


@dataclass(frozen=True)
class Metrics:
    """Headline figures of a pairing; the same fields for the random baseline."""

    people: int
    pairs: int
    trios: int
    unmatched: int
    cross_specialty_pct: float
    """Share of groups in which no two members share a specialty, in percent."""
    both_teach_pct: float
    """Share of groups in which every member both teaches and learns, in percent."""
    mean_score: float
    """Mean score of a link inside a group (a pair has one link, a trio three)."""
    total_score: float
    """Sum of all group scores: the quantity the matcher maximises."""
    not_taking_part: int = 0
    """Of `unmatched`, the people out this round (opted out, away): listed, not warned about."""
    cross_site: int | None = None
    """Groups whose members work at different sites (all known); None without a location
    column."""
    largest_gap: float | None = None
    """The largest time-zone gap in any group, in hours; None when no group's is known."""
    far_apart: int = 0
    """Groups more than `meeting.LONG_GAP` hours apart."""


@dataclass(frozen=True)
class RunReport:
    """Everything a run shows or writes."""

    groups: tuple[GroupView, ...]
    unmatched: tuple[tuple[Person, str], ...]
    """(person, reason) for everyone not in a group."""
    metrics: Metrics
    baseline: Metrics
    """The same figures for a random pairing of the same roster (same seed)."""
    run_info: tuple[tuple[str, str], ...]
    """Ordered (label, value) rows for the Run info sheet: input path, SHA-256, sheet,
    column mapping, blind fields, seed, solver, weights, version, time."""
    warnings: tuple[str, ...]
    solver: str
    seed: int
    quality: Quality = NOT_MEASURED
    """How close the pairing is to the best possible, and against what."""
    round_date: str = ""
    """The round's date (ISO), on which the time-zone gaps were measured."""
    zones: bool = False
    """Whether the roster says where people are (time zone or location column)."""
    mix: tuple[tuple[str, str, int], ...] = ()
    """(specialty, specialty, links between them) for every combination that occurs, the two
    names in sorted order: how the groups mix specialties."""
