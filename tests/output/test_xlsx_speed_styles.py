"""The data sheets written as text keep openpyxl's cells: tall rows read from the top, long
text wraps, and every cell shares a handful of style entries however many rows there are."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import openpyxl

from pairctl.output.xlsx import MAX_WIDTH, write_xlsx

from .report_data import PAIR, TRIO, make_report

LONG_NOTE = "word " * (MAX_WIDTH // 2)


def _columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def test_a_tall_row_reads_from_the_top_and_its_long_text_wraps(tmp_path: Path) -> None:
    tall = dataclasses.replace(PAIR, notes=(LONG_NOTE.strip(),))
    short = dataclasses.replace(PAIR, number=2)
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=(tall, short)), path)
    sheet = openpyxl.load_workbook(path)["Pairs"]
    column = _columns(sheet)

    tall_cells = [cell for cell in sheet[2] if cell.value is not None]
    assert len(tall_cells) > 5
    assert all(cell.alignment.vertical == "top" for cell in tall_cells)
    notes = sheet.cell(2, column["Notes"])
    assert notes.value == LONG_NOTE.strip()
    assert notes.alignment.wrap_text
    assert sheet.row_dimensions[2].height == 45  # 149 characters, 60 wide: three lines
    # The other cells of the tall row are top-aligned, not wrapped, and keep their types.
    key = sheet.cell(2, column["A key"])
    assert key.value == "E001" and not key.alignment.wrap_text
    score = sheet.cell(2, column["Score"])
    assert isinstance(score.value, float) and score.number_format == "0.000"

    # A row of one line keeps the default alignment and height.
    assert all(cell.alignment.vertical is None for cell in sheet[3] if cell.value is not None)
    assert sheet.row_dimensions[3].height is None
    assert sheet.cell(3, column["Score"]).number_format == "0.000"


def test_the_header_is_bold_and_a_long_title_wraps(tmp_path: Path) -> None:
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(), path)
    sheet = openpyxl.load_workbook(path)["By person"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_many_rows_share_a_few_styles(tmp_path: Path) -> None:
    groups = tuple(
        dataclasses.replace(
            TRIO if number % 7 == 0 else PAIR,
            number=number,
            notes=(LONG_NOTE,) if number % 3 == 0 else (),
        )
        for number in range(1, 3001)
    )
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=groups), path)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    found = re.search(r'<cellXfs count="(\d+)"', styles)
    assert found is not None
    assert int(found.group(1)) < 15

    book = openpyxl.load_workbook(path)
    pairs = book["Pairs"]
    assert pairs.max_row == 3001
    column = _columns(pairs)
    assert pairs.cell(3001, column["Pair"]).value == 3000
    assert pairs.cell(4, column["Notes"]).alignment.wrap_text  # group 3 has the long note
    assert pairs.row_dimensions[3].height is None
    assert pairs.auto_filter.ref == f"A1:{pairs.cell(1, pairs.max_column).column_letter}3001"
    people = sum(len(group.members) for group in groups)
    assert book["By person"].max_row == 1 + people + 1  # and the one unmatched person
