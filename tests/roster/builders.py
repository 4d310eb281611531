"""Small rosters written the way real programs write them, for the reader tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from pairctl.core.model import Roster
from pairctl.errors import RosterError
from pairctl.roster import read_roster

HEADER = [
    "ID", "Name", "Email", "Specialty", "Skills", "Wants to learn", "Years of experience",
    "Department", "Manager", "Job Title", "Age", "Notes",
]  # fmt: skip

PEOPLE = [
    ["007", "Ana Souza", "ana@example.org", "Engineering", "Python; SQL", "Negotiation",
     "2", "Product", "", "Engineer II", "29", "likes tea"],
    ["1042", "Bo Lindqvist", "bo@example.org", "Sales", "Negotiation, Public speaking", "Python",
     "19", "Revenue", "007", "Sales Director", "51", ""],
    ["E3", "Chen Wei", "chen@example.org", "Finance", "Excel\nBudgeting", "N/A",
     "Less than 1 year", "Finance", "1042", "Analyst", "24", ""],
]  # fmt: skip


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    """Rows as CSV text with CRLF endings, quoting like Excel does."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write `rows` (default: HEADER + PEOPLE) to `path` in the given encoding."""
    rows = [HEADER, *PEOPLE] if rows is None else rows
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    return path


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[Sequence[object]]], *, hidden: Sequence[str] = ()
) -> Path:
    """An openpyxl workbook, one sheet per entry in order; None cells stay empty."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def roster_of(header: list[str], rows: list[list[str]], **kwargs: Any) -> Roster:
    """Read `header` + `rows` written as roster.csv in the working folder."""
    write_csv(Path("roster.csv"), [header, *rows])
    return read_roster("roster.csv", **kwargs)


def error_of(header: list[str], rows: list[list[str]], **kwargs: Any) -> str:
    """The one-line message of the RosterError that reading that roster raises."""
    with pytest.raises(RosterError) as caught:
        roster_of(header, rows, **kwargs)
    message = caught.value.message
    assert "\n" not in message
    return message
