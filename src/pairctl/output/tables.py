"""A RunReport as plain tables (header + rows) that the XLSX and CSV writers share.

Cell values are `str` for text (roster text, notes, labels), `int`/`float` for figures we
computed (a `Fixed` when it has a fixed number of decimals), and `None` for an empty cell.
Writers treat every `str` as text, never as a formula.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from pairctl.core.explain import Option
from pairctl.core.meeting import LONG_GAP
from pairctl.core.model import Person, Roster
from pairctl.core.report import GroupView, Metrics, RunReport
from pairctl.core.summary import mix_by_specialty


class Fixed(float):
    """A computed figure rounded to `decimals` places, which a spreadsheet shows with exactly
    that many (number format `0.000`), so a column of scores lines up. Still a float: CSV and
    arithmetic see the plain number."""

    decimals: int

    def __new__(cls, value: float, decimals: int) -> Fixed:
        out = super().__new__(cls, round(value, decimals))
        out.decimals = decimals
        return out


Value = str | int | float | None

SKILL_SEP = "; "
PERSON_FIELDS = ("key", "name", "email", "specialty", "department")
"""The person columns every sheet that lists people has (Pairs, By person, Unmatched)."""
MEETING_FIELDS = (("time zone", "timezone"), ("site", "site"), ("languages", "languages"))
"""(column title after the member's letter, Person attribute) of what says whether a group
can meet; each only when the roster has that column, so a sheet without them is unchanged."""
MEMBER_FIELDS = (*PERSON_FIELDS, *(title for title, _ in MEETING_FIELDS))
"""Every column one member can have on the Pairs sheet, after the member's letter (`A key`,
`A time zone`). `pairctl forget` blanks each of these that a sheet has for a forgotten
member: a time zone, site or languages cell is theirs as much as the name is."""
GAP_HEADER = "Gap (h)"
"""The Pairs column with the hours between the members' clocks on the round's date."""
SCORE_DECIMALS = 3
PCT_DECIMALS = 1
GAP_DECIMALS = 1
KEEP_HEADER = "Keep"
"""The Pairs column a coordinator fills with `yes` to keep a group for the next round
(`pairctl match --keep`, which finds the column by this header)."""
WEAKEST_SHOWN = 3
UNMATCHED_NAMES_SHOWN = 10


@dataclass(frozen=True)
class Table:
    """One sheet's worth of data."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    footer: list[Section] = field(default_factory=list)
    """Titled sections below the data, outside the filter (warnings, the specialty matrix)."""
    blocks: list[Block] = field(default_factory=list)
    """Further small tables below the footer, each with a chart (Summary sheet)."""
    title: str | None = None
    """A line above everything else, in large type (Summary); the header then comes below
    the `lead` rows instead of on row 1."""
    lead: list[tuple[Value, ...]] = field(default_factory=list)
    """Rows between the title and the header: the figures a reader looks at first."""
    filter: bool = True
    """Whether the header gets filter buttons: the data tables do, report sheets do not."""
    above: tuple[tuple[str, float], ...] = ()
    """(column title, limit): a figure in that column above the limit is one a coordinator
    should look at (a pair too far apart to meet easily); a spreadsheet highlights it."""


@dataclass(frozen=True)
class Section:
    """A titled run of lines below a sheet's table."""

    title: str
    lines: list[tuple[Value, ...]]
    header: tuple[str, ...] = ()
    """Column names on the title's row, to the right of the title (the matrix's names)."""
    sentences: bool = False
    """Each line is one sentence (a warning) spread over the table's width, not cells."""


@dataclass(frozen=True)
class Block:
    """A titled table drawn as a native chart beside it."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    chart: str
    """'bar' (one bar per row, one series per value column) or 'column'."""


@dataclass(frozen=True)
class MeetingColumns:
    """Which of the roster's meeting columns a report has, so that each sheet, the JSON and
    the terminal show the same ones and a roster without them looks as it always did."""

    zones: bool
    """A time zone or location column: each member's zone and each group's gap."""
    sites: bool
    """A location column: each member's site."""
    languages: bool
    """A languages column: each member's languages."""

    def fields(self) -> tuple[tuple[str, str], ...]:
        """The `MEETING_FIELDS` shown, in order."""
        shown = {"timezone": self.zones, "site": self.sites, "languages": self.languages}
        return tuple((title, name) for title, name in MEETING_FIELDS if shown[name])


def meeting_columns(report: RunReport) -> MeetingColumns:
    """The meeting columns of this report's roster.

    The report says whether zones are known; `Metrics.cross_site` is None exactly when there
    is no location column. Languages are shown when anyone has some listed: a languages
    column left blank by everyone has nothing to show."""
    people = [p for group in report.groups for p in group.members]
    people += [person for person, _ in report.unmatched]
    return MeetingColumns(
        zones=report.zones,
        sites=report.metrics.cross_site is not None,
        languages=any(p.languages for p in people),
    )


def explained_columns(options: Sequence[Option], roster: Roster | None) -> tuple[bool, bool]:
    """Whether an explanation shows time zones and languages: the roster's columns when it
    is given, else whether any candidate has a known gap or languages listed."""
    if roster is not None:
        return roster.has_zones, roster.has_languages
    return (
        any(o.gap is not None for o in options),
        any(o.languages for o in options),
    )


def member_cells(person: Person, shown: MeetingColumns) -> tuple[Value, ...]:
    """One member's cells on the Pairs sheet: the person columns, then the meeting ones."""
    return (*_person_cells(person), *(_meeting_cell(person, name) for _, name in shown.fields()))


def _meeting_cell(person: Person, name: str) -> Value:
    if name == "languages":
        return SKILL_SEP.join(person.languages) or None
    return getattr(person, name) or None


def gap_cell(gap: float | None) -> Value:
    """A group's gap in hours, one decimal (half-hour zones show as .5); blank when unknown."""
    return None if gap is None else rounded(gap, GAP_DECIMALS)


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
    shown = meeting_columns(report)
    titles = (*PERSON_FIELDS, *(title for title, _ in shown.fields()))
    header: list[str] = ["Pair", "Size", KEEP_HEADER]
    for label in labels:
        header += [f"{label} {title}" for title in titles]
    header += [f"{labels[i]} teaches {labels[j]}" for i, j in links]
    if shown.zones:
        header.append(GAP_HEADER)
    header += ["Score", "Notes"]

    blank_member: tuple[Value, ...] = (None,) * len(titles)
    rows: list[tuple[Value, ...]] = []
    for group in report.groups:
        members = group.members
        # Keep starts blank, pinned groups too: only the coordinator decides to keep one.
        row: list[Value] = [group.number, len(members), None]
        for slot in range(len(labels)):
            row += member_cells(members[slot], shown) if slot < len(members) else blank_member
        row += [_teach_cell(group, i, j) for i, j in links]
        if shown.zones:
            row.append(gap_cell(group.gap))
        row += [rounded(group.score, SCORE_DECIMALS), SKILL_SEP.join(group.notes)]
        rows.append(tuple(row))
    # The Notes say "N hours apart" too; the highlight makes such a pair stand out in a column.
    above = ((GAP_HEADER, LONG_GAP),) if shown.zones else ()
    return Table("Pairs", tuple(header), rows, above=above)


def _person_cells(person: Person) -> tuple[Value, ...]:
    return tuple(getattr(person, name) for name in PERSON_FIELDS)


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
    """The Summary sheet: a title and the figures a leader reads first, the headline figures
    against the random baseline, the warnings, the specialty matrix and two charts."""
    rows: list[tuple[Value, ...]] = [
        (label, _figure(report.metrics, name, digits), _figure(report.baseline, name, digits))
        for label, name, digits in _METRIC_ROWS
    ]
    rows += _meeting_metric_rows(report)
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
    warnings: list[tuple[Value, ...]] = [(warning,) for warning in report.warnings] or [("none",)]
    footer = [Section("Warnings", warnings, sentences=True)]
    matrix = _matrix(report)
    if matrix is not None:
        footer.append(matrix)
    return Table(
        "Summary",
        ("Metric", "This pairing", "Random baseline"),
        list(rows),
        footer,
        [_mix_block(report), _score_block(report)],
        title=round_title(report),
        lead=_lead_rows(report),
        filter=False,
    )


def round_title(report: RunReport) -> str:
    """'Mentoring round: <roster file name> — <the round's date>', from the report (a round
    dated ahead with --round-date is titled by that date), else the date of the run."""
    info = dict(report.run_info)
    source = info.get("Input", "")
    name = source.replace("\\", "/").rsplit("/", 1)[-1] or source
    date = report.round_date or info.get("Run at", "").split("T", 1)[0]
    parts = [part for part in (name, date) if part]
    return "Mentoring round: " + " — ".join(parts) if parts else "Mentoring round"


def _lead_rows(report: RunReport) -> list[tuple[Value, ...]]:
    """The figures a leader reads first: size, mix, quality, who is left out, weakest pairs."""
    metrics = report.metrics
    rows: list[tuple[Value, ...]] = [
        ("People", metrics.people),
        ("Pairs", metrics.pairs),
        ("Trios", metrics.trios),
        ("Groups crossing specialty (%)", rounded(metrics.cross_specialty_pct, PCT_DECIMALS)),
        ("Groups where both teach (%)", rounded(metrics.both_teach_pct, PCT_DECIMALS)),
        *_meeting_lead_rows(report),
        ("Quality", report.quality.describe()),
        ("Unmatched", _unmatched_names(report)),
    ]
    weakest = weakest_groups(report)
    for index, group in enumerate(weakest):
        label = "Weakest pairs (score)" if index == 0 else None
        names = " & ".join(person.name for person in group.members)
        kind = "Trio" if len(group.members) > 2 else "Pair"
        score = rounded(group.score, SCORE_DECIMALS)
        rows.append((label, f"{kind} {group.number}: {names}", score))
    if not weakest:
        rows.append(("Weakest pairs (score)", "none"))
    return rows


LARGEST_GAP_LABEL = "Largest time-zone gap (h)"
FAR_APART_LABEL = f"Groups more than {LONG_GAP:g} hours apart"
CROSS_SITE_LABEL = "Groups crossing sites"


def _meeting_lead_rows(report: RunReport) -> list[tuple[Value, ...]]:
    """Whether the groups can meet: only for a roster that says where people are."""
    metrics = report.metrics
    rows: list[tuple[Value, ...]] = []
    if report.zones:
        largest = metrics.largest_gap
        rows.append(
            (
                LARGEST_GAP_LABEL,
                "unknown (no group's time zones are known)"
                if largest is None
                else gap_cell(largest),
            )
        )
        rows.append((FAR_APART_LABEL, metrics.far_apart))
    if metrics.cross_site is not None:
        rows.append((CROSS_SITE_LABEL, f"{metrics.cross_site} of {_group_count(metrics)}"))
    return rows


def _meeting_metric_rows(report: RunReport) -> list[tuple[Value, ...]]:
    """The same figures beside the random pairing's: what pairing by fit did to them."""
    rows: list[tuple[Value, ...]] = []
    if report.zones:
        rows.append(
            (
                LARGEST_GAP_LABEL,
                gap_cell(report.metrics.largest_gap),
                gap_cell(report.baseline.largest_gap),
            )
        )
        rows.append((FAR_APART_LABEL, report.metrics.far_apart, report.baseline.far_apart))
    if report.metrics.cross_site is not None:
        rows.append((CROSS_SITE_LABEL, report.metrics.cross_site, report.baseline.cross_site))
    return rows


def _group_count(metrics: Metrics) -> int:
    return metrics.pairs + metrics.trios


def _unmatched_names(report: RunReport) -> str:
    names = [person.name for person, _ in report.unmatched]
    if not names:
        return "none"
    shown = ", ".join(names[:UNMATCHED_NAMES_SHOWN])
    more = len(names) - UNMATCHED_NAMES_SHOWN
    return f"{shown} and {more} more (Unmatched sheet)" if more > 0 else shown


def weakest_groups(report: RunReport) -> list[GroupView]:
    """The lowest-scoring groups, weakest first, by score per link so that a trio's three
    links do not hide a weak trio; groups without a finite score are left out."""
    scored = [group for group in report.groups if math.isfinite(group.score)]
    scored.sort(key=lambda group: (_per_link(group), group.number))
    return scored[:WEAKEST_SHOWN]


def _per_link(group: GroupView) -> float:
    size = len(group.members)
    return group.score / max(1, size * (size - 1) // 2)


def _matrix(report: RunReport) -> Section | None:
    """The specialty x specialty table: links between each two specialties (symmetric)."""
    names = sorted({a for a, _, _ in report.mix} | {b for _, b, _ in report.mix})
    if not names:
        return None
    count = {(a, b): n for a, b, n in report.mix}
    lines: list[tuple[Value, ...]] = [
        (a, *(count.get((min(a, b), max(a, b)), 0) for b in names)) for a in names
    ]
    return Section("Links between specialties", lines, header=tuple(names))


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
        score = _per_link(group)
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


def rounded(value: float, digits: int) -> Fixed | None:
    """`value` rounded for display; None (an empty cell) when it is NaN or infinite, which a
    spreadsheet cannot hold as a number."""
    return Fixed(value, digits) if math.isfinite(value) else None


def run_info_table(report: RunReport) -> Table:
    """The Run info sheet: where the pairing came from, so it can be traced and re-run."""
    return Table(
        "Run info", ("Field", "Value"), [tuple(row) for row in report.run_info], filter=False
    )


def workbook_tables(report: RunReport) -> list[Table]:
    """Every sheet of the workbook, in order."""
    return [
        pairs_table(report),
        by_person_table(report),
        unmatched_table(report),
        summary_table(report),
        run_info_table(report),
    ]
