"""Reading a roster: a CSV or workbook file -> a validated `Roster`.

`sources` turns bytes into a grid of cells, `header` finds the header row and the columns,
`people` turns the rows below it into `Person` values. Only `pairctl.errors` exceptions leave.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from pairctl.core.model import Roster
from pairctl.errors import RosterError, UsageError, where
from pairctl.roster.form_keys import prefer_email_key
from pairctl.roster.header import Layout, Missing, find_header, normalise, parse_mapping
from pairctl.roster.people import build_people
from pairctl.roster.sources import MAX_INPUT_BYTES, Grid, csv_grid, is_workbook, read_source
from pairctl.roster.workbook import Workbook

__all__ = ["read_roster"]

MIN_PEOPLE = 2


def read_roster(
    path: str,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    blind: Iterable[str] = (),
    collect_problems: bool = False,
    stdin: BinaryIO | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    duplicates: str = "error",
) -> Roster:
    """Read and validate the roster at `path` ('-': CSV bytes from `stdin`).

    `sheet` picks a workbook sheet (default: the first that looks like a roster); `mapping`
    is field -> column header from `--map FIELD=COLUMN`, and wins over the built-in aliases.
    `max_bytes` caps what is read (and what a workbook may unpack to).
    Raises UsageError for bad arguments and RosterError for anything about the file.
    """
    path = os.fspath(path)
    wanted = parse_mapping(mapping)
    # Columns the settings file declares blind: never matched by alias, listed as blind.
    hidden = frozenset(normalise(c) for c in blind)
    shown, data = read_source(path, stdin, max_bytes)
    warnings: list[str] = []

    workbook, renamed = is_workbook(path, data)
    if renamed:
        # Someone renamed report.xlsx to report.csv; reading it as text would only fail.
        warnings.append(f"{shown}: this is a workbook, not CSV text; read it as a workbook")
    if workbook:
        book = Workbook(path, data, shown, budget=max_bytes)
        name, grid, layout = _choose_sheet(book, sheet, wanted, shown, hidden)
        place = book.where(name)
    else:
        if sheet is not None:
            raise UsageError(f"--sheet {sheet!r}: {shown} is a CSV file, which has no sheets")
        if not data:
            raise RosterError(f"{shown}: the file is empty")
        grid, decode_warnings = csv_grid(data, shown)
        warnings += decode_warnings
        name, place = "", shown
        found = find_header(grid, wanted, shown, hidden)
        if isinstance(found, Missing):
            raise RosterError(f"{shown}: {found.detail}")
        layout = found

    layout = prefer_email_key(grid, layout, wanted, place)

    def location(row: int | None, column: str | None) -> str:
        return where(place, row, column)

    problems: list[str] | None = [] if collect_problems else None
    splits: list[str] = []
    people, people_warnings = build_people(
        grid, layout, location, problems, split_notes=splits, duplicates=duplicates
    )
    if len(people) < MIN_PEOPLE:
        counted = "1 person" if len(people) == 1 else f"{len(people)} people"
        raise RosterError(f"{place}: the roster has {counted}; pairing needs at least 2")
    mapped = layout.mapping.fields
    return Roster(
        people=tuple(people),
        source=path,
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=name,
        header_row=layout.index + 1,
        mapping=layout.mapping,
        key_field=layout.key_field,
        has_skills="skills" in mapped,
        has_wants="wants" in mapped,
        problems=tuple(problems or ()),
        warnings=(*warnings, *layout.warnings, *people_warnings),
        list_splits=tuple(splits),
        mapped_blind=layout.mapped_blind,
    )


def _choose_sheet(
    book: Workbook,
    sheet: str | None,
    wanted: Mapping[str, str],
    shown: str,
    hidden: frozenset[str],
) -> tuple[str, Grid, Layout]:
    """The named sheet, or the first sheet with a usable header row."""
    if sheet is not None:
        chosen = [_sheet_named(book, sheet, shown)]
    elif not book.candidates:
        raise RosterError(f"{shown}: the workbook has no worksheets")
    else:
        chosen = book.candidates
    tried: list[str] = []
    for name in chosen:
        grid = book.grid(name)
        found = find_header(grid, wanted, book.where(name), hidden)
        if isinstance(found, Layout):
            return name, grid, found
        if len(chosen) == 1:
            raise RosterError(f"{book.where(name)}: {found.detail}")
        tried.append(f"{name!r} ({', '.join(found.problems)})")
    raise RosterError(
        f"{shown}: no sheet looks like a roster; tried {', '.join(tried)}; "
        "choose one with --sheet NAME and name its columns with --map FIELD=COLUMN"
    )


def _sheet_named(book: Workbook, sheet: str, shown: str) -> str:
    if sheet in book.names:
        return sheet
    # Forgive case and stray spaces, but only when that picks out one sheet.
    close = [n for n in book.names if n.strip().casefold() == sheet.strip().casefold()]
    if len(close) == 1:
        return close[0]
    names = ", ".join(repr(n) for n in book.names)
    raise RosterError(f"{shown}: no sheet {sheet!r}; the sheets are {names}")
