"""The pairing workbook: Pairs, By person, Unmatched, Summary and Run info sheets.

Written in openpyxl's write-only (streaming) mode so 50,000 pairs stay quick and small in
memory. Write-only means column widths, frozen panes, page setup and each row's height must
be set before that row goes out; widths are therefore measured from the tables first.

Every sheet prints: landscape, one page wide, the header row on every page. A wrapped cell
gets an explicit row height, since LibreOffice keeps the default height for a row it did not
measure and prints the next row over the wrapped text.

The data tables (Pairs, By person, Unmatched: a header row and rows, nothing else) are by far
the most cells. openpyxl writes them at about 10 µs a cell before any style, so they are written
here as SpreadsheetML text instead: openpyxl saves the workbook with those sheets' set-up and
an empty `sheetData`, and their rows are put in when the file is copied to `path`. The cells
are those openpyxl would write (inline text, numbers, the same style entries, looked up once).

openpyxl is imported inside the functions: it costs ~0.15 s, which `pairctl --help` and the
CSV/JSON outputs should not pay.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pairctl.core.report import RunReport
from pairctl.output.atomic import atomic_write
from pairctl.output.neutralise import xlsx_text
from pairctl.output.tables import Block, Fixed, Table, Value, workbook_tables

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_WIDTH = 60
"""Widest a column gets, in characters; longer text wraps."""
MIN_WIDTH = 6
MATRIX_WIDTH = 14
"""Widest a specialty column of the matrix gets for its name; a longer name wraps."""
LINE_HEIGHT = 15
"""Points per line of wrapped text (11-point type)."""
TITLE_SIZE = 14
TITLE_HEIGHT = 24
ROW_CM = 0.45
"""Height of a default row in LibreOffice, in cm: how many rows a chart covers."""
CHART_GAP_ROWS = 2
HIGHLIGHT = "FFF4C7C3"
"""A light red behind a figure to look at (a pair too many hours apart): the black text on
it stays readable, on screen and printed in grey."""
_NOT_PLAIN = ("=", "#")


def write_xlsx(report: RunReport, path: Path) -> None:
    """Write the pairing workbook to `path`, replacing it atomically."""
    atomic_write(Path(path), lambda tmp: save_xlsx(report, tmp))


def save_xlsx(report: RunReport, path: Path) -> None:
    """Save the workbook to `path` as it is (no atomic replace: `atomic_write` does that)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    streamed = []
    for table in workbook_tables(report):
        writer = _SheetWriter(workbook.create_sheet(table.name), table)
        if writer.streams:
            writer.set_up_streamed()
            streamed.append(writer)
        else:
            writer.write()
    if not streamed:
        workbook.save(path)
        return
    saved = io.BytesIO()
    workbook.save(saved)
    # The sheets' parts are named when the workbook is saved.
    _copy_with_rows(saved, path, {writer.sheet.path.lstrip("/"): writer for writer in streamed})


_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_ROWS_PER_CHUNK = 1000
_CELL_CHARS = 32767
"""The most characters a cell holds; openpyxl cuts longer text there, so does `_text_xml`."""


def _copy_with_rows(saved: io.BytesIO, path: Path, writers: dict[str, _SheetWriter]) -> None:
    """Copy the saved workbook to `path`, each part in `writers` with its rows put in."""
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            writer = writers.get(info.filename)
            if writer is None:
                target.writestr(info, data)
                continue
            found = _EMPTY_SHEET_DATA.search(data)
            if found is None:
                raise RuntimeError(f"no empty sheetData in {info.filename}")
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            with target.open(part, "w") as out:
                out.write(data[: found.start()])
                out.write(b"<sheetData>")
                for chunk in writer.rows_xml():
                    out.write(chunk.encode("utf-8"))
                out.write(b"</sheetData>")
                out.write(data[found.end() :])


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapping cell `width` characters wide: its own line
    breaks, and each paragraph broken at words as a spreadsheet does."""
    if "\n" not in text and len(text) <= width:
        return 1
    chars = max(1, int(width) - 1)
    return sum(max(1, len(textwrap.wrap(part, chars))) for part in text.split("\n"))


def number_format(decimals: int) -> str:
    """The spreadsheet number format showing exactly `decimals` places."""
    return "0." + "0" * decimals if decimals > 0 else "0"


class _SheetWriter:
    """Streams one table into a write-only sheet, keeping count of the rows written."""

    def __init__(self, sheet: WriteOnlyWorksheet, table: Table) -> None:
        from openpyxl.styles import Alignment, Font

        self.sheet = sheet
        self.table = table
        self.widths = _widths(table)
        self.row = 0
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.title_font = Font(bold=True, size=TITLE_SIZE)

    @property
    def streams(self) -> bool:
        """Whether this is a data table (a header row and rows), written as text."""
        table = self.table
        return table.title is None and not (table.lead or table.footer or table.blocks)

    def set_up_streamed(self) -> None:
        """The set-up of a data table, and its cells' style entries in the workbook's style
        table (which openpyxl writes when it saves), for `rows_xml` to write."""
        self._set_up()
        self.bold_id = self._style_id(font=self.bold)
        self.bold_wrap_id = self._style_id(font=self.bold, alignment=self.wrap)
        self.top_id = self._style_id(alignment=self.top)
        self.wrap_id = self._style_id(alignment=self.wrap)
        decimals = {v.decimals for row in self.table.rows for v in row if isinstance(v, Fixed)}
        # A figure in a tall row is top-aligned too: (decimals, tall) -> style entry.
        self.fixed_ids = {
            (places, tall): self._style_id(
                alignment=self.top if tall else None, number_format=number_format(places)
            )
            for places in decimals
            for tall in (False, True)
        }

    def _style_id(
        self, font: Any = None, alignment: Any = None, number_format: str | None = None
    ) -> int:
        """The index of a style in the workbook's style table, added there if new."""
        from openpyxl.cell import WriteOnlyCell

        probe = WriteOnlyCell(self.sheet)
        if font is not None:
            probe.font = font
        if alignment is not None:
            probe.alignment = alignment
        if number_format is not None:
            probe.number_format = number_format
        return int(probe.style_id)

    def rows_xml(self) -> Iterator[str]:
        """The rows of a data table as SpreadsheetML, in chunks: the cells, types, styles
        and row heights `write` gives the same table."""
        from openpyxl.utils import get_column_letter

        table = self.table
        count = max([len(table.header), *(len(row) for row in table.rows)], default=0)
        letters = [get_column_letter(index) for index in range(1, count + 1)]
        widths = [self._width(column) for column in range(count)]
        header = []
        lines = 1
        for column, title in enumerate(table.header):
            height = wrapped_lines(title, widths[column])
            style = self.bold_wrap_id if height > 1 else self.bold_id
            lines = max(lines, height)
            header.append(_text_xml(f"{letters[column]}1", xlsx_text(title), style))
        chunk = [_row_xml(1, lines, header)]
        for number, row in enumerate(table.rows, start=2):
            chunk.append(self._row_xml(number, row, letters, widths))
            if len(chunk) == _ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    def _row_xml(
        self, number: int, values: tuple[Value, ...], letters: list[str], widths: list[float]
    ) -> str:
        """One row as `_line` writes it: a value in a tall row reads from the top."""
        # (column, kind, text, style): kind "s" text, "n" number, "b" true/false; style None
        # means plain, "wrap" wrapped text, or the decimals of a figure.
        cells: list[tuple[int, str, str, int | str | None]] = []
        lines = 1
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                text = xlsx_text(value)
                height = wrapped_lines(text, widths[column])
                if height > 1:
                    lines = max(lines, height)
                    cells.append((column, "s", text, "wrap"))
                else:
                    cells.append((column, "s", text, None))
            elif isinstance(value, Fixed):
                cells.append((column, "n", _number(value), value.decimals))
            elif isinstance(value, bool):
                cells.append((column, "b", _number(value), None))
            else:
                cells.append((column, "n", _number(value), None))
        tall = lines > 1
        out = []
        for column, kind, text, style in cells:
            reference = f"{letters[column]}{number}"
            style_id: int | None
            if style == "wrap":
                style_id = self.wrap_id
            elif isinstance(style, int):
                style_id = self.fixed_ids[style, tall]
            else:
                style_id = self.top_id if tall else None
            if kind == "s":
                out.append(_text_xml(reference, text, style_id))
            else:
                styled = "" if style_id is None else f' s="{style_id}"'
                out.append(f'<c r="{reference}"{styled} t="{kind}"><v>{text}</v></c>')
        return _row_xml(number, lines, out)

    def write(self) -> None:
        """The whole sheet: set-up, title and lead, table, footer sections, blocks."""
        from openpyxl.worksheet.pagebreak import Break

        table = self.table
        self._set_up()
        if table.title is not None:
            self._append([self._styled(table.title, self.title_font)], height=TITLE_HEIGHT)
        if table.lead:
            self._append([])
            for line in table.lead:
                self._line(line)
            self._append([])
        self._header(table.header)
        for row in table.rows:
            self._line(row)
        for section in table.footer:
            self._append([])
            self._header((section.title, *section.header), wrap_from=1)
            for line in section.lines:
                if section.sentences:
                    self._sentence(line)
                else:
                    self._line(line)
        if table.blocks:
            # The charts start a page of their own rather than break across two.
            self.sheet.row_breaks.append(Break(id=self.row))  # type: ignore[attr-defined]
        for block in table.blocks:
            self._block(block)

    def _set_up(self) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        table = self.table
        for index, width in enumerate(self.widths, start=1):
            # types-openpyxl lacks these on write-only sheets, which have them at run time.
            sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
        if table.title is None:
            sheet.freeze_panes = "A2"
        if table.filter:
            last_cell = f"{get_column_letter(len(table.header))}{1 + len(table.rows)}"
            sheet.auto_filter.ref = f"A1:{last_cell}"  # type: ignore[attr-defined]
        self._highlight_above()
        setup = sheet.page_setup  # type: ignore[attr-defined]
        setup.orientation = "landscape"
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as it takes
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)  # type: ignore[attr-defined]
        # Row 1 is the header of a table, or the title of a report sheet.
        sheet.print_title_rows = "1:1"

    def _highlight_above(self) -> None:
        """A fill on each figure above its column's limit (`Table.above`). A rule, not a
        style on the cell: it stays right when the coordinator sorts or edits the sheet, and
        the streaming writer sets it before the first row like the widths."""
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill
        from openpyxl.utils import get_column_letter

        table = self.table
        if not table.rows or table.title is not None:
            return  # only a data table, whose rows start right below the header on row 1
        fill = PatternFill(start_color=HIGHLIGHT, end_color=HIGHLIGHT, fill_type="solid")
        for title, limit in table.above:
            if title not in table.header:
                continue
            letter = get_column_letter(table.header.index(title) + 1)
            cells = f"{letter}2:{letter}{1 + len(table.rows)}"
            rule = CellIsRule(  # type: ignore[no-untyped-call]  # untyped in the stubs
                operator="greaterThan", formula=[f"{limit:g}"], fill=fill
            )
            self.sheet.conditional_formatting.add(cells, rule)  # type: ignore[attr-defined]

    def _append(self, cells: list[Any], lines: int = 1, height: float | None = None) -> None:
        self.row += 1
        if height is None and lines > 1:
            height = LINE_HEIGHT * lines
        if height is not None:
            self.sheet.row_dimensions[self.row].height = height  # type: ignore[attr-defined]
        self.sheet.append(cells)

    def _styled(self, value: str, font: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, xlsx_text(value))
        cell.data_type = "s"
        cell.font = font
        return cell

    def _width(self, column: int) -> float:
        return self.widths[column] if column < len(self.widths) else MAX_WIDTH

    def _header(self, titles: tuple[str, ...], wrap_from: int = 0) -> None:
        """A bold row; titles from column `wrap_from` on wrap within their column."""
        cells = []
        lines = 1
        for column, title in enumerate(titles):
            cell = self._styled(title, self.bold)
            if column >= wrap_from:
                height = wrapped_lines(title, self._width(column))
                if height > 1:
                    cell.alignment = self.wrap
                    lines = max(lines, height)
            cells.append(cell)
        self._append(cells, lines)

    def _line(self, values: tuple[Value, ...]) -> None:
        cells = []
        lines = 1
        for column, value in enumerate(values):
            cell, height = self._cell(value, self._width(column))
            cells.append(cell)
            lines = max(lines, height)
        if lines > 1:
            # A tall row reads from the top: the label beside a wrapped value stays level.
            cells = [self._top(cell) for cell in cells]
        self._append(cells, lines)

    def _top(self, cell: Any) -> Any:
        from openpyxl.cell import Cell, WriteOnlyCell

        if cell is None:
            return None
        if not isinstance(cell, Cell):
            value = cell
            cell = WriteOnlyCell(self.sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"
        if not cell.alignment.wrap_text:
            cell.alignment = self.top
        return cell

    def _sentence(self, values: tuple[Value, ...]) -> None:
        """A line of text (a warning) merged across the table's columns and wrapped there."""
        from openpyxl.utils import get_column_letter

        span = max(1, len(self.table.header))
        width = sum(self.widths[:span])
        cell, lines = self._cell(values[0] if values else None, width, wrap=True)
        if span > 1:
            self.sheet.merged_cells.add(f"A{self.row + 1}:{get_column_letter(span)}{self.row + 1}")  # type: ignore[attr-defined]
        self._append([cell], lines)

    def _cell(self, value: Value, width: float, wrap: bool = False) -> tuple[Any, int]:
        """The cell to write and the lines it takes."""
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, Fixed):
            figure = WriteOnlyCell(self.sheet, float(value))
            figure.number_format = number_format(value.decimals)
            return figure, 1
        if not isinstance(value, str):
            return value, 1
        if not value:
            return None, 1
        text = xlsx_text(value)
        lines = wrapped_lines(text, width)
        # openpyxl stores a str starting with '=' as a formula and '#N/A' & co. as an error:
        # those get an explicit text cell. Other strings go in plain, which openpyxl types as
        # text itself; a cell object for every string would cost a third more time.
        if lines == 1 and not wrap and not text.startswith(_NOT_PLAIN):
            return text, 1
        out = WriteOnlyCell(self.sheet, text)
        out.data_type = "s"
        if lines > 1 or wrap:
            out.alignment = self.wrap
        return out, lines

    def _block(self, block: Block) -> None:
        self._append([])
        self._append([self._styled(block.title, self.bold)])
        title_row = self.row
        self._header(block.header)
        for line in block.rows:
            self._line(line)
        if not block.rows:
            return
        covered = _add_chart(self.sheet, block, title_row + 1, f"E{title_row}")
        # Leave room so the chart does not cover the next block.
        for _ in range(max(0, title_row + covered + CHART_GAP_ROWS - self.row)):
            self._append([])


def _row_xml(number: int, lines: int, cells: list[str]) -> str:
    """A row; a tall one gets its height, as `_append` gives it."""
    if lines > 1:
        height = f' ht="{LINE_HEIGHT * lines:.16g}" customHeight="1"'
        return f'<row r="{number}"{height}>{"".join(cells)}</row>'
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text_xml(reference: str, text: str, style_id: int | None) -> str:
    """An inline text cell, as openpyxl writes one (`xml:space` where the ends are blank)."""
    styled = "" if style_id is None else f' s="{style_id}"'
    text = text[:_CELL_CHARS]
    if not text:
        return f'<c r="{reference}"{styled} t="inlineStr" />'
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _number(value: float) -> str:
    """A number as openpyxl writes it: 16 significant digits; nothing for NaN or infinity."""
    return f"{value:.16g}" if math.isfinite(value) else ""


def _add_chart(sheet: WriteOnlyWorksheet, block: Block, header_row: int, anchor: str) -> int:
    """A native chart of a block: categories in its first column, series in the others.

    Sized to its categories, each label shown. Returns how many rows the chart covers.
    """
    from openpyxl.chart import BarChart, Reference

    categories_count = len(block.rows)
    chart = BarChart()
    chart.type = "bar" if block.chart == "bar" else "col"
    chart.title = block.title
    if block.chart == "bar":
        # One bar per category, one above the other: the chart grows down.
        chart.height = max(7.5, 3.0 + 0.8 * categories_count)
        chart.width = 18
    else:
        # One column per category, side by side: the chart grows across.
        chart.height = 7.5
        chart.width = max(16, 4 + 2 * categories_count)
    last = header_row + categories_count
    data = Reference(sheet, min_col=2, max_col=len(block.header), min_row=header_row, max_row=last)
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    # openpyxl 3.1 writes axes as deleted unless told otherwise; and a crowded axis skips
    # labels unless every one is asked for.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1
    if block.chart == "bar":
        chart.grouping = "stacked"
        chart.overlap = 100
    sheet.add_chart(chart, anchor)  # type: ignore[misc]  # the stubs type it for Worksheet only
    return math.ceil(chart.height / ROW_CM)


def _widths(table: Table) -> list[float]:
    """Column widths that fit the longest cell, header included, within MIN..MAX_WIDTH.

    The lead rows, the footer sections (not their sentences, which span the table) and the
    blocks count too; matrix names count up to MATRIX_WIDTH and wrap beyond.
    """
    # The header also carries the filter drop-down button, about three characters wide.
    button = 3 if table.filter else 0
    longest: list[float] = [len(title) + button for title in table.header]

    def measure(values: tuple[Value, ...], cap: float = math.inf) -> None:
        for index, value in enumerate(values):
            if value is None:
                continue
            size = min(cap, _shown_length(value))
            if index >= len(longest):
                longest.extend([0] * (index + 1 - len(longest)))
            if size > longest[index]:
                longest[index] = size

    for row in table.rows:
        measure(row)
    for row in table.lead:
        measure(row)
    for section in table.footer:
        measure((section.title,))
        measure((None, *section.header), MATRIX_WIDTH)
        if not section.sentences:
            for line in section.lines:
                measure(line)
    for block in table.blocks:
        measure(block.header)
        for line in block.rows:
            measure(line)
    return [min(MAX_WIDTH, max(MIN_WIDTH, size + 2)) for size in longest]


def _shown_length(value: str | int | float) -> int:
    if isinstance(value, Fixed):
        return len(f"{value:.{value.decimals}f}")
    return len(value) if isinstance(value, str) else len(str(value))
