"""Every round sheet in a folder, read back with what `pairctl report` needs: the groups
(via `roster.history`), who taught whom what, the notes, the specialties, the unmatched and
why, when the round was run and its quality when the sheet records it.

Reads pairctl's own xlsx, csv and json sheets. A file that cannot be read does not stop the
others: it comes back as a warning naming it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pairctl.core.report import Lesson
from pairctl.errors import PairctlError, RosterError
from pairctl.roster.history import (
    RecordedSheet,
    history_files,
    read_pairing_file,
    recorded_groups,
)
from pairctl.roster.sources import MAX_INPUT_BYTES

SKILL_SEP = ";"
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LETTERS = "ABC"


@dataclass(frozen=True)
class Member:
    """One person in a recorded group."""

    key: str
    name: str = ""
    specialty: str = ""


@dataclass(frozen=True)
class Group:
    """One pair or trio of a round."""

    members: tuple[Member, ...]
    lessons: tuple[Lesson, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.members)


@dataclass(frozen=True)
class Left:
    """Someone a round lists as unmatched, and why."""

    key: str
    name: str = ""
    specialty: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Round:
    """One round sheet as read back."""

    file: str
    """The file's name (no folder)."""
    date: dt.date | None
    """The date in the file's name (pairs-YYYY-MM-DD), if it has a valid one."""
    run_at: str
    """The Run info sheet's (or JSON's) 'Run at', or ''."""
    groups: tuple[Group, ...]
    unmatched: tuple[Left, ...] = ()
    quality: float | None = None
    """The Summary's 'Quality: % of best possible' (JSON: quality.percent), when recorded."""


@dataclass(frozen=True)
class RoundsRead:
    """The rounds that could be read, oldest first, and one warning per file that could not."""

    rounds: list[Round]
    warnings: list[str] = field(default_factory=list)


def name_date(path: Path) -> dt.date | None:
    """The calendar date in a sheet's name, or None (none, or not a real date)."""
    found = _DATE_IN_NAME.search(path.stem)
    if found is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def read_rounds(folder: Path, max_bytes: int = MAX_INPUT_BYTES) -> RoundsRead:
    """Every round sheet under `folder` (or the one file `folder` names), in round order.

    The files are the ones `--history` would count (xlsx, csv, json, dated names in date
    order). Raises RosterError only when `folder` itself cannot be listed.
    """
    rounds: list[Round] = []
    warnings: list[str] = []
    for path in history_files([str(folder)]):
        try:
            rounds.append(read_round(path, max_bytes))
        except PairctlError as error:
            message = error.message
            if path.name not in message:
                message = f"{path}: {message}"
            warnings.append(f"{message}; that round is not reported")
    return RoundsRead(rounds, warnings)


def read_round(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> Round:
    """One round sheet: groups from `recorded_groups`, the rest from the file itself."""
    # Read once: the groups and the rest of the round come from the same tables.
    read = read_pairing_file(path, max_bytes, ("Pairs", "Unmatched", "Summary", "Run info"))
    sheet = recorded_groups(path, max_bytes, read=read)
    if sheet.plain:
        raise RosterError(f"{sheet.shown}: not a pairctl pairing sheet (no 'A key' column)")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return _json_round(path, sheet, read.data)
        return _table_round(path, sheet, read.tables)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise RosterError(f"{sheet.shown}: not a pairctl pairing sheet ({error})") from None


def _json_round(path: Path, sheet: RecordedSheet, data: bytes) -> Round:
    result: dict[str, Any] = json.loads(data.decode("utf-8"))
    groups = []
    for recorded, entry in zip(sheet.groups, result["pairs"], strict=True):
        members = tuple(Member(key) for key, _ in recorded.members)
        lessons = tuple(
            Lesson(str(x["teacher"]), str(x["learner"]), tuple(str(s) for s in x["skills"]))
            for x in entry.get("lessons", [])
        )
        notes = tuple(str(n) for n in entry.get("notes", []))
        groups.append(Group(members, lessons, notes))
    unmatched = tuple(
        Left(str(u["key"]), reason=str(u.get("reason", ""))) for u in result.get("unmatched", [])
    )
    quality = result.get("quality") or {}
    percent = quality.get("percent") if isinstance(quality, dict) else None
    run_info = result.get("run_info") or {}
    return Round(
        path.name,
        name_date(path),
        str(run_info.get("Run at", "")) if isinstance(run_info, dict) else "",
        tuple(groups),
        unmatched,
        float(percent) if isinstance(percent, (int, float)) else None,
    )


def _table_round(path: Path, sheet: RecordedSheet, extra: dict[str, list[list[str]]]) -> Round:
    rows = extra["Pairs"]
    header = rows[0]
    groups = tuple(_table_group(header, rows[g.row - 1], g.members) for g in sheet.groups)
    return Round(
        path.name,
        name_date(path),
        _field(extra.get("Run info", []), "Run at"),
        groups,
        _table_unmatched(header, rows, extra.get("Unmatched", [])),
        _quality(extra.get("Summary", [])),
    )


def _table_group(header: list[str], row: list[str], recorded: Sequence[tuple[str, str]]) -> Group:
    def cell(title: str) -> str:
        at = header.index(title) if title in header else None
        return row[at] if at is not None and at < len(row) else ""

    members = []
    letters: dict[str, str] = {}
    for letter in _LETTERS:
        key = cell(f"{letter} key")
        if key:
            letters[letter] = key
            members.append(Member(key, cell(f"{letter} name"), cell(f"{letter} specialty")))
    if not members:  # never: recorded_groups found them; keep its reading then
        members = [Member(key, name) for key, name in recorded]
    lessons = []
    for teacher, tkey in letters.items():
        for learner, lkey in letters.items():
            title = f"{teacher} teaches {learner}"
            if teacher != learner and title in header:
                lessons.append(Lesson(tkey, lkey, _skills(cell(title))))
    return Group(tuple(members), tuple(lessons), _skills(cell("Notes")))


def _skills(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(SKILL_SEP) if part.strip())


def _table_unmatched(
    header: list[str], rows: list[list[str]], unmatched_rows: list[list[str]]
) -> tuple[Left, ...]:
    out: list[Left] = []
    if unmatched_rows and "Key" in unmatched_rows[0]:
        top = unmatched_rows[0]

        def at(row: list[str], title: str) -> str:
            i = top.index(title) if title in top else None
            return row[i] if i is not None and i < len(row) else ""

        for row in unmatched_rows[1:]:
            if at(row, "Key"):
                out.append(
                    Left(at(row, "Key"), at(row, "Name"), at(row, "Specialty"), at(row, "Reason"))
                )
        return tuple(out)
    # pairctl's CSV: a row whose Pair is 'unmatched', the person in the A columns.
    if "Pair" not in header:
        return ()

    def cell(row: list[str], title: str) -> str:
        i = header.index(title) if title in header else None
        return row[i] if i is not None and i < len(row) else ""

    for row in rows[1:]:
        if cell(row, "Pair") == "unmatched" and cell(row, "A key"):
            out.append(
                Left(
                    cell(row, "A key"),
                    cell(row, "A name"),
                    cell(row, "A specialty"),
                    cell(row, "Notes"),
                )
            )
    return tuple(out)


def _field(rows: list[list[str]], label: str) -> str:
    for row in rows:
        if len(row) >= 2 and row[0] == label:
            return row[1]
    return ""


def _quality(rows: list[list[str]]) -> float | None:
    value = _field(rows, "Quality: % of best possible")
    try:
        return float(value) if value else None
    except ValueError:
        return None
