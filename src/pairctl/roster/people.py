"""Rows under the header -> validated `Person` values.

Work is done column by column (a list comprehension per field, each distinct cell text parsed
once), so a 100,000-row roster costs a few passes over lists rather than per-cell logic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from operator import itemgetter
from typing import TypeVar

from pairctl.core.model import Person, fold
from pairctl.errors import RosterError
from pairctl.roster.header import Layout
from pairctl.roster.sources import Grid, cell_text, row_is_blank

T = TypeVar("T")

# Survey exports write a literal NA for "no answer"; alone in a cell it means empty.
_NOT_ANSWERED = frozenset({"na", "n/a"})
_LIST_SPLIT = re.compile(r"[;,\r\n]+")

_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_UNIT = r"(?:\s*(?:years?|yrs?|y)\.?)?"
_PLAIN_YEARS = re.compile(rf"{_NUMBER}\s*\+?{_UNIT}")
_LESS_THAN = re.compile(rf"(?:less than|under|<)\s*{_NUMBER}{_UNIT}")
_MORE_THAN = re.compile(rf"(?:more than|over|>)\s*{_NUMBER}{_UNIT}")
_NEGATIVE = re.compile(rf"-\s*{_NUMBER}{_UNIT}")
_MAX_YEARS = 100.0
"""More than this is a year or a typo ('1998'), not a career."""


def build_people(
    grid: Grid, layout: Layout, location: Callable[[int | None, str | None], str]
) -> tuple[list[Person], list[str]]:
    """The people under the header, in roster order, and warnings about them.

    `location(row, column)` formats the start of a message (file, sheet, row, column).
    """
    typed = grid.typed
    start = layout.index + 1
    below = grid.rows[start:]
    if typed:
        kept = [i for i, row in enumerate(below) if not row_is_blank(row, True)]
    else:
        kept = [i for i, row in enumerate(below) if "".join(row).strip()]
    body = [below[i] for i in kept]
    rows = [start + i + 1 for i in kept]
    # CSV rows can be ragged; pad once so every column is a plain itemgetter pass.
    width = max(layout.columns.values()) + 1
    if body and min(map(len, body)) < width:
        body = [r if len(r) >= width else [*r, *[""] * (width - len(r))] for r in body]
    header = layout.mapping.fields

    def column(name: str) -> list[str]:
        j = layout.columns.get(name)
        if j is None:
            return [""] * len(body)
        raw = list(map(itemgetter(j), body))
        if typed:
            raw = list(map(cell_text, raw))
        return list(map(str.strip, raw))

    key_name = layout.key_field
    keys = column(key_name)
    _check_keys(keys, rows, key_name, location(None, header[key_name]), location, header)

    names = column("name")
    specialties = _blank_not_answered(column("specialty"))
    skills = _parse_unique(column("skills"), _split_list)
    wants = _parse_unique(column("wants"), _split_list)
    experience = _experience(column("experience"), rows, location, header.get("experience"))
    departments = column("department")
    managers = _blank_not_answered(column("manager"))
    emails = column("email")

    people = [
        Person(
            key=key,
            name=name or key,
            specialty=specialty,
            skills=skill,
            wants=want,
            experience=years,
            department=department,
            manager=manager,
            email=email,
            row=row,
        )
        for key, name, specialty, skill, want, years, department, manager, email, row in zip(
            keys,
            names,
            specialties,
            skills,
            wants,
            experience,
            departments,
            managers,
            emails,
            rows,
            strict=True,
        )
    ]

    warnings: list[str] = []
    blank = [row for row, specialty in zip(rows, specialties, strict=True) if not specialty]
    if blank:
        shown = ", ".join(map(str, blank[:5])) + (", …" if len(blank) > 5 else "")
        people_word = "person has" if len(blank) == 1 else "people have"
        warnings.append(
            f"{location(None, header['specialty'])}: {len(blank)} {people_word} no specialty "
            f"(rows {shown}); they are matched on skills and experience only"
        )
    return people, warnings


def _check_keys(
    keys: list[str],
    rows: list[int],
    key_name: str,
    column_where: str,
    location: Callable[[int | None, str | None], str],
    header: dict[str, str],
) -> None:
    # Every row that reaches here holds some data (blank rows were dropped), so a blank key
    # is a person nobody can refer to.
    for key, row in zip(keys, rows, strict=True):
        if not key:
            raise RosterError(
                f"{location(row, header[key_name])}: the {key_name} is blank but the row has "
                "other data; fill it in or delete the row"
            )
    # Mail systems ignore case, so Ana@x.org and ana@x.org are one person; that holds for an
    # id column mapped onto email addresses too.
    emails = key_name == "email" or all("@" in k for k in keys)
    compare = [k.casefold() for k in keys] if emails else keys
    first_row: dict[str, int] = {}
    for key, shown, row in zip(compare, keys, rows, strict=True):
        seen = first_row.setdefault(key, row)
        if seen != row:
            raise RosterError(f"{column_where}: key {shown!r} appears on rows {seen} and {row}")


def _blank_not_answered(values: list[str]) -> list[str]:
    return ["" if v.casefold() in _NOT_ANSWERED else v for v in values]


def _parse_unique(values: list[str], parse: Callable[[str], T]) -> list[T]:
    # Cells repeat a lot (survey lists, years); parse each distinct text once.
    cache: dict[str, T] = {}
    out: list[T] = []
    for value in values:
        try:
            out.append(cache[value])
        except KeyError:
            cache[value] = parsed = parse(value)
            out.append(parsed)
    return out


def _split_list(cell: str) -> tuple[str, ...]:
    """'Python; SQL, python' -> ('Python', 'SQL'): trimmed, no empties, first spelling kept."""
    if not cell or cell.casefold() in _NOT_ANSWERED:
        return ()
    items: list[str] = []
    seen: set[str] = set()
    for item in _LIST_SPLIT.split(cell):
        item = item.strip()
        folded = fold(item)
        if folded and folded not in seen:
            seen.add(folded)
            items.append(item)
    return tuple(items)


def _experience(
    values: list[str],
    rows: list[int],
    location: Callable[[int | None, str | None], str],
    column: str | None,
) -> list[float | None]:
    if column is None:
        return [None] * len(values)
    cache: dict[str, float | None] = {}
    out: list[float | None] = []
    for value, row in zip(values, rows, strict=True):
        if value not in cache:
            try:
                cache[value] = parse_years(value)
            except ValueError as problem:
                raise RosterError(f"{location(row, column)}: {problem}") from None
        out.append(cache[value])
    return out


def parse_years(text: str) -> float | None:
    """Years of experience as people type them; None when not given.

    '7', '7.5', '7,5', '7 years', '10+' -> the number; 'Less than 1 year' -> half of it (0.5);
    'More than 50 years' -> 50; '', 'NA', 'N/A', '-' -> None. Raises ValueError otherwise.
    """
    plain = " ".join(text.split()).casefold()
    if plain in ("", "-", "na", "n/a"):
        return None
    if _NEGATIVE.fullmatch(plain):
        raise ValueError(f"{text!r} is not a number of years (it is negative)")
    for pattern, scale in ((_PLAIN_YEARS, 1.0), (_LESS_THAN, 0.5), (_MORE_THAN, 1.0)):
        match = pattern.fullmatch(plain)
        if match:
            years = float(match.group(1).replace(",", ".")) * scale
            break
    else:
        raise ValueError(f"{text!r} is not a number of years")
    if not math.isfinite(years) or years > _MAX_YEARS:
        raise ValueError(f"{text!r} is not a number of years (more than {_MAX_YEARS:g})")
    return years
