"""A RunReport as plain tables (header + rows) that the XLSX and CSV writers share.

Cell values are `str` for text (roster text, notes, labels), `int`/`float` for figures we
computed, and `None` for an empty cell. Writers treat every `str` as text, never as a formula.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field

from pairctl.core.model import Person
from pairctl.core.report import GroupView, Metrics, RunReport
from pairctl.core.summary import mix_by_specialty

Value = str | int | float | None

SKILL_SEP = "; "
MEMBER_FIELDS = ("key", "name", "email", "specialty", "department")
SCORE_DECIMALS = 3
PCT_DECIMALS = 1


@dataclass(frozen=True)
class Table:
    """One sheet's worth of data."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    footer: list[tuple[Value, ...]] = field(default_factory=list)
    """Rows shown after a blank line below the data, outside the filter (e.g. warnings)."""
    blocks: list[Block] = field(default_factory=list)
    """Further small tables below the footer, each with a chart (Summary sheet)."""


@dataclass(frozen=True)
class Block:
    """A titled table drawn as a native chart beside it."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    chart: str
    """'bar' (one bar per row, one series per value column) or 'column'."""


def letters(report: RunReport) -> str:
    """Column-group letters for members: 'AB', or 'ABC' when any group is a trio."""
    largest = max((len(group.members) for group in report.groups), default=2)
    return string.ascii_uppercase[: max(2, largest)]


def _links(labels: str) -> list[tuple[int, int]]:
    """Ordered member index pairs for the teach columns: (A,B), (B,A), (A,C), (C,A), (B,C), ..."""
    out: list[tuple[int, int]] = []
    for j in range(1, len(labels)):
        for i in range(j):
            out += [(i, j), (j, i)]
    return out


def pairs_table(report: RunReport) -> Table:
    """The Pairs sheet: one row per pair or trio, members side by side, who teaches what."""
    labels = letters(report)
    links = _links(labels)
    header: list[str] = ["Pair", "Size"]
    for label in labels:
        header += [f"{label} {name}" for name in MEMBER_FIELDS]
    header += [f"{labels[i]} teaches {labels[j]}" for i, j in links]
    header += ["Score", "Notes"]

    blank_member: tuple[Value, ...] = (None,) * len(MEMBER_FIELDS)
    rows: list[tuple[Value, ...]] = []
    for group in report.groups:
        members = group.members
        row: list[Value] = [group.number, len(members)]
        for slot in range(len(labels)):
            row += _person_cells(members[slot]) if slot < len(members) else blank_member
        row += [_teach_cell(group, i, j) for i, j in links]
        row += [rounded(group.score, SCORE_DECIMALS), SKILL_SEP.join(group.notes)]
        rows.append(tuple(row))
    return Table("Pairs", tuple(header), rows)


def _person_cells(person: Person) -> tuple[Value, ...]:
    return tuple(getattr(person, name) for name in MEMBER_FIELDS)


def _teach_cell(group: GroupView, i: int, j: int) -> Value:
    if i >= len(group.members) or j >= len(group.members):
        return None
    return SKILL_SEP.join(group.teaches(group.members[i].key, group.members[j].key))


def by_person_table(report: RunReport) -> Table:
    """The By person sheet, for mail merge: one row per person with their partner(s), what
    they will teach and what they will learn; the unmatched too, with the reason."""
    header = (
        "Key", "Name", "Email", "Specialty", "Department", "Pair", "Partner", "Partner email",
        "Will teach", "Will learn", "Note",
    )  # fmt: skip
    rows: list[tuple[Value, ...]] = []
    for group in report.groups:
        for person in group.members:
            others = [p for p in group.members if p.key != person.key]
            gives = [_lesson_text(group, person, o, o, len(others)) for o in others]
            gets = [_lesson_text(group, o, person, o, len(others)) for o in others]
            rows.append(
                (
                    *_person_cells(person),
                    group.number,
                    " & ".join(p.name for p in others),
                    "; ".join(p.email for p in others if p.email) or None,
                    " | ".join(filter(None, gives)) or None,
                    " | ".join(filter(None, gets)) or None,
                    SKILL_SEP.join(group.notes) or None,
                )
            )
    for person, reason in report.unmatched:
        rows.append((*_person_cells(person), "unmatched", None, None, None, None, reason))
    return Table("By person", header, rows)


def _lesson_text(
    group: GroupView, teacher: Person, learner: Person, other: Person, partners: int
) -> str:
    """What `teacher` teaches `learner`; in a trio, prefixed with the other person's name."""
    skills = SKILL_SEP.join(group.teaches(teacher.key, learner.key))
    return f"{other.name}: {skills}" if partners > 1 and skills else skills


def unmatched_table(report: RunReport) -> Table:
    """The Unmatched sheet: everyone not in a group, and why."""
    header = ("Key", "Name", "Email", "Specialty", "Department", "Reason")
    rows = [(*_person_cells(person), reason) for person, reason in report.unmatched]
    return Table("Unmatched", header, rows)


def summary_table(report: RunReport) -> Table:
    """The Summary sheet: headline figures against the random baseline, then the warnings."""
    rows = [
        (label, _figure(report.metrics, name, digits), _figure(report.baseline, name, digits))
        for label, name, digits in _METRIC_ROWS
    ]
    quality = report.quality
    if quality.value is not None:
        rows.append(
            (
                f"Best possible total ({quality.reference})",
                rounded(quality.value, SCORE_DECIMALS),
                None,
            )
        )
        rows.append(
            (
                "Quality: % of best possible",
                None if quality.percent is None else rounded(quality.percent, PCT_DECIMALS),
                None,
            )
        )
    footer: list[tuple[Value, ...]] = [("Warnings",)]
    blocks = [_mix_block(report), _score_block(report)]
    matrix = _matrix_rows(report)
    footer += [(warning,) for warning in report.warnings] or [("none",)]
    footer += matrix
    return Table(
        "Summary", ("Metric", "This pairing", "Random baseline"), list(rows), footer, blocks
    )


def _matrix_rows(report: RunReport) -> list[tuple[Value, ...]]:
    """The specialty x specialty table: links between each two specialties (symmetric)."""
    names = sorted({a for a, _, _ in report.mix} | {b for _, b, _ in report.mix})
    if not names:
        return []
    count = {(a, b): n for a, b, n in report.mix}
    lines: list[tuple[Value, ...]] = [(), ("Links between specialties", *names)]
    for a in names:
        lines.append((a, *(count.get((min(a, b), max(a, b)), 0) for b in names)))
    return lines


def _mix_block(report: RunReport) -> Block:
    """Per specialty: links to other specialties and links within it."""
    rows: list[tuple[Value, ...]] = list(mix_by_specialty(report.mix))
    return Block(
        "How groups cross specialties (links per specialty)",
        ("Specialty", "Across specialties", "Within specialty"),
        rows,
        "bar",
    )


def _score_block(report: RunReport) -> Block:
    """How many groups fall in each score band of width 0.5."""
    bands: dict[float, int] = {}
    for group in report.groups:
        score = group.score / max(1, len(group.members) * (len(group.members) - 1) // 2)
        if not math.isfinite(score):
            continue  # nothing to plot for a group without a score
        low = math.floor(score * 2) / 2
        bands[low] = bands.get(low, 0) + 1
    rows: list[tuple[Value, ...]] = [
        (f"{low:g} to {low + 0.5:g}", bands[low]) for low in sorted(bands)
    ]
    return Block(
        "Score distribution (mean score per link in each group)",
        ("Score band", "Groups"),
        rows,
        "column",
    )


_METRIC_ROWS = (
    ("People", "people", None),
    ("Pairs", "pairs", None),
    ("Trios", "trios", None),
    ("Unmatched", "unmatched", None),
    ("Not taking part", "not_taking_part", None),
    ("Cross-specialty groups (%)", "cross_specialty_pct", PCT_DECIMALS),
    ("Both teach and learn (%)", "both_teach_pct", PCT_DECIMALS),
    ("Mean score per link", "mean_score", SCORE_DECIMALS),
    ("Total score", "total_score", SCORE_DECIMALS),
)


def _figure(metrics: Metrics, name: str, digits: int | None) -> Value:
    value: int | float = getattr(metrics, name)
    return value if digits is None else rounded(value, digits)


def rounded(value: float, digits: int) -> float | None:
    """`value` rounded for display; None (an empty cell) when it is NaN or infinite, which a
    spreadsheet cannot hold as a number."""
    return round(value, digits) if math.isfinite(value) else None


def run_info_table(report: RunReport) -> Table:
    """The Run info sheet: where the pairing came from, so it can be traced and re-run."""
    return Table("Run info", ("Field", "Value"), [tuple(row) for row in report.run_info])


def workbook_tables(report: RunReport) -> list[Table]:
    """Every sheet of the workbook, in order."""
    return [
        pairs_table(report),
        by_person_table(report),
        unmatched_table(report),
        summary_table(report),
        run_info_table(report),
    ]
