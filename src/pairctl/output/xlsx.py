"""The pairing workbook: Pairs, Unmatched, Summary and Run info sheets.

Written in openpyxl's write-only (streaming) mode so 50,000 pairs stay quick and small in
memory. Write-only means column widths, frozen panes and the header style must be set before
the first row goes out; widths are therefore measured from the tables first.

openpyxl is imported inside the functions: it costs ~0.15 s, which `pairctl --help` and the
CSV/JSON outputs should not pay.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pairctl.core.report import RunReport
from pairctl.output.atomic import atomic_write
from pairctl.output.neutralise import xlsx_text
from pairctl.output.tables import Block, Table, Value, workbook_tables

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_WIDTH = 60
"""Widest a column gets, in characters; longer text wraps."""
MIN_WIDTH = 6
_NOT_PLAIN = ("=", "#")


def write_xlsx(report: RunReport, path: Path) -> None:
    """Write the pairing workbook to `path`, replacing it atomically."""
    atomic_write(Path(path), lambda tmp: save_xlsx(report, tmp))


def save_xlsx(report: RunReport, path: Path) -> None:
    """Save the workbook to `path` as it is (no atomic replace: `atomic_write` does that)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in workbook_tables(report):
        _write_sheet(workbook.create_sheet(table.name), table)
    workbook.save(path)


def _write_sheet(sheet: WriteOnlyWorksheet, table: Table) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(title: str) -> Any:
        cell = WriteOnlyCell(sheet, title)
        cell.font = bold
        return cell

    def cell(value: Value, width: float) -> Any:
        if not isinstance(value, str):
            return value
        if not value:
            return None
        text = xlsx_text(value)
        long = len(text) > width
        # openpyxl stores a str starting with '=' as a formula and '#N/A' & co. as an error:
        # those get an explicit text cell. Other strings go in plain, which openpyxl types as
        # text itself; a cell object for every string would cost a third more time.
        if not long and not text.startswith(_NOT_PLAIN):
            return text
        out = WriteOnlyCell(sheet, text)
        out.data_type = "s"
        if long:
            out.alignment = wrap
        return out

    widths = _widths(table)
    for index, width in enumerate(widths, start=1):
        # types-openpyxl lacks these on write-only sheets, which have them at run time.
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    last_cell = f"{get_column_letter(len(table.header))}{1 + len(table.rows)}"
    sheet.auto_filter.ref = f"A1:{last_cell}"  # type: ignore[attr-defined]

    sheet.append([header(title) for title in table.header])
    for row in table.rows:
        sheet.append([cell(value, widths[i]) for i, value in enumerate(row)])
    if table.footer:
        # Footer lines (warnings) run on into the empty cells to their right: no wrapping.
        sheet.append([])
        (title, *rest), *lines = table.footer
        sheet.append([header(str(title)), *(cell(value, math.inf) for value in rest)])
        for line in lines:
            sheet.append([cell(value, math.inf) for value in line])
    row_number = 1 + len(table.rows) + (len(table.footer) + 1 if table.footer else 0)
    for block in table.blocks:
        sheet.append([])
        sheet.append([header(block.title)])
        top = row_number + 3
        sheet.append([header(title) for title in block.header])
        for line in block.rows:
            sheet.append([cell(value, math.inf) for value in line])
        if block.rows:
            _add_chart(sheet, block, top, f"E{top - 1}")
        row_number = top + len(block.rows)
        # Leave room so the chart does not cover the next block.
        for _ in range(max(0, 16 - len(block.rows))):
            sheet.append([])
        row_number += max(0, 16 - len(block.rows))


def _add_chart(sheet: WriteOnlyWorksheet, block: Block, header_row: int, anchor: str) -> None:
    """A native chart of a block: categories in its first column, series in the others."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar" if block.chart == "bar" else "col"
    chart.title = block.title
    chart.height = 7.5
    chart.width = 16
    last = header_row + len(block.rows)
    data = Reference(sheet, min_col=2, max_col=len(block.header), min_row=header_row, max_row=last)
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    if block.chart == "bar":
        chart.grouping = "stacked"
        chart.overlap = 100
    sheet.add_chart(chart, anchor)  # type: ignore[misc]  # the stubs type it for Worksheet only


def _widths(table: Table) -> list[float]:
    """Column widths that fit the longest cell, header included, within MIN..MAX_WIDTH."""
    # The header also carries the filter drop-down button, about three characters wide.
    longest = [len(title) + 3 for title in table.header]
    for row in table.rows:
        for index, value in enumerate(row):
            if value is not None:
                size = len(value) if isinstance(value, str) else len(str(value))
                if size > longest[index]:
                    longest[index] = size
    return [min(MAX_WIDTH, max(MIN_WIDTH, size + 2)) for size in longest]
