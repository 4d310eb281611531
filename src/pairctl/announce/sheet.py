"""Read a round's pairing sheet (pairctl's xlsx or csv) back into groups and unmatched people.

Columns are found by their header names, never by position, so a sheet with columns added
(or moved) by a later release still reads. JSON results hold keys only, no names or emails,
so they cannot be announced from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pairctl.core.report import Lesson
from pairctl.errors import RosterError
from pairctl.output.csv_out import UNMATCHED_LABEL
from pairctl.output.neutralise import PIECE_SEPARATORS
from pairctl.roster.history import read_pairing_file
from pairctl.roster.sources import MAX_INPUT_BYTES

SKILL_SEP = ";"

_MEMBER_KEY = re.compile(r"([A-Z]) key")
_TEACHES = re.compile(r"([A-Z]) teaches ([A-Z])")
# The inverse of `neutralise.safe_cell`: the `'` pairctl's CSV put before a formula trigger.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BOUNDARY = re.escape(PIECE_SEPARATORS + _BREAKS)
_QUOTED_TRIGGER = re.compile(rf'(^|[{_BOUNDARY}])((?:[^\S{_BOUNDARY}]|")*)\'(?=[=+\-@])')


@dataclass(frozen=True)
class Member:
    """A person as the sheet names them; `email` is empty where the sheet has none."""

    key: str
    name: str
    email: str
    timezone: str = ""
    """The time zone the sheet gives (a roster with zones), or ''."""


@dataclass(frozen=True)
class Group:
    """A pair or trio of the round."""

    number: str
    members: tuple[Member, ...]
    lessons: tuple[Lesson, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """Someone the round left out, and why."""

    person: Member
    reason: str


@dataclass(frozen=True)
class Round:
    """Everything `announce` needs from a pairing sheet."""

    source: str
    groups: tuple[Group, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def fingerprint(self) -> str:
        """A stable id of the round: a hash of who is in which group and who is left out.

        The xlsx and the csv of one round give the same fingerprint; so does re-reading the
        sheet, which is what lets a re-run recognise the messages it already sent.
        """
        text = "\n".join(
            [" ".join(m.key for m in g.members) for g in self.groups]
            + [f"unmatched {u.person.key}" for u in self.unmatched]
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_round(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> Round:
    """The groups and unmatched people of the pairing sheet at `path` (.xlsx or .csv). A sheet
    with no group, or with someone in two places, is refused: an introduction would go to
    nobody, or twice to one person."""
    found = _read_round(path, max_bytes)
    if not found.groups:
        raise RosterError(f"{found.source}: no groups found: not a pairing to announce")
    seen: dict[str, str] = {}
    for number, group in enumerate(found.groups, start=1):
        for member in group.members:
            if member.key in seen:
                raise RosterError(
                    f"{found.source}: {member.key!r} is in group {seen[member.key]} and in "
                    f"group {number}: check the sheet (pairctl check PAIRS ROSTER -o FILE) "
                    "and announce the checked one"
                )
            seen[member.key] = str(number)
    return found


def _read_round(path: Path, max_bytes: int) -> Round:
    if Path(path).suffix.lower() not in (".xlsx", ".csv"):
        shown = str(path)
        if Path(path).suffix.lower() == ".json":
            raise RosterError(
                f"{shown}: a JSON result holds member keys but no names or emails; announce "
                "from the round's .xlsx or .csv sheet instead"
            )
        raise RosterError(f"{shown}: not a pairing sheet (expected .xlsx or .csv)")
    read = read_pairing_file(Path(path), max_bytes)
    shown = read.shown
    if read.suffix == ".xlsx":
        groups = _groups(shown, read.tables["Pairs"])
        unmatched = _unmatched_sheet(shown, read.tables.get("Unmatched", []))
        return Round(shown, tuple(groups), tuple(unmatched))
    # pairctl's CSV neutralised roster text; the messages want it as written.
    rows = [[_unquote(c) for c in row] for row in read.tables["Pairs"]]
    return Round(shown, tuple(_groups(shown, rows)), tuple(_unmatched_rows(shown, rows)))


def _unquote(text: str) -> str:
    """Roster text as it was before pairctl's CSV writer neutralised it."""
    if text.startswith(("'\t", "'\r")):
        text = text[1:]
    return _QUOTED_TRIGGER.sub(r"\1\2", text)


def _header(shown: str, rows: list[list[str]], needed: Sequence[str], sheet: str) -> int:
    """The index of the header row: the first row holding every `needed` name."""
    for i, row in enumerate(rows[:20]):
        if all(name in row for name in needed):
            return i
    wanted = ", ".join(repr(n) for n in needed)
    raise RosterError(f"{shown}: no header row with {wanted} in {sheet}: not a pairctl sheet")


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(SKILL_SEP) if part.strip())


def _groups(shown: str, rows: list[list[str]]) -> list[Group]:
    at = _header(shown, rows, ("A key", "B key"), "the Pairs table")
    header = rows[at]
    column = {name: i for i, name in reversed(list(enumerate(header)))}
    letters = [m.group(1) for name in header if (m := _MEMBER_KEY.fullmatch(name))]
    teaches = [
        (m.group(1), m.group(2), column[name]) for name in header if (m := _TEACHES.fullmatch(name))
    ]
    groups = []
    for row in rows[at + 1 :]:
        number = _cell(row, column.get("Pair"))
        if number.casefold() == UNMATCHED_LABEL:
            continue
        slots = {
            letter: Member(
                _cell(row, column[f"{letter} key"]),
                _cell(row, column.get(f"{letter} name")),
                _cell(row, column.get(f"{letter} email")),
                _cell(row, column.get(f"{letter} time zone")),
            )
            for letter in letters
        }
        slots = {letter: member for letter, member in slots.items() if member.key}
        if len(slots) < 2:
            continue  # a blank or stray row, not a group
        lessons = tuple(
            Lesson(slots[a].key, slots[b].key, skills)
            for a, b, i in teaches
            if a in slots and b in slots and (skills := _split(_cell(row, i)))
        )
        notes = _split(_cell(row, column.get("Notes")))
        groups.append(Group(number, tuple(slots.values()), lessons, notes))
    return groups


def _unmatched_sheet(shown: str, rows: list[list[str]]) -> list[Unmatched]:
    if not any(any(row) for row in rows):
        return []
    at = _header(shown, rows, ("Key",), "the Unmatched sheet")
    column = {name: i for i, name in reversed(list(enumerate(rows[at])))}
    return [
        Unmatched(
            Member(
                _cell(row, column["Key"]),
                _cell(row, column.get("Name")),
                _cell(row, column.get("Email")),
            ),
            _cell(row, column.get("Reason")),
        )
        for row in rows[at + 1 :]
        if _cell(row, column["Key"])
    ]


def _unmatched_rows(shown: str, rows: list[list[str]]) -> list[Unmatched]:
    at = _header(shown, rows, ("A key", "B key"), "the Pairs table")
    column = {name: i for i, name in reversed(list(enumerate(rows[at])))}
    return [
        Unmatched(
            Member(
                _cell(row, column["A key"]),
                _cell(row, column.get("A name")),
                _cell(row, column.get("A email")),
            ),
            _cell(row, column.get("Notes")),
        )
        for row in rows[at + 1 :]
        if _cell(row, column.get("Pair")).casefold() == UNMATCHED_LABEL
        and _cell(row, column["A key"])
    ]
