"""The pairing CSV opened in LibreOffice set up the way many European offices have it: comma,
semicolon, tab and `|` all as separators. Hostile roster text must stay text however the
cells are split: with the quotes honoured, and with them ignored (every separator splits)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert, csv_import, needs_libreoffice
from openpyxl.worksheet.worksheet import Worksheet

from pairctl.core.model import Person
from pairctl.core.report import GroupView, Lesson
from pairctl.output.csv_out import write_csv

from .report_data import make_report

PAYLOADS = (
    "Bob;=1+1",
    'x\t=HYPERLINK("http://example.invalid","click")',
    'a,=WEBSERVICE("http://example.invalid")',
    "@SUM(1)",
    "-2+3",
    "+1",
    "|=1",
    "line one\n=1+1",
    " =1+1",
    'x;"=1+1"',
)


def _hostile_report():
    people = [
        Person(key=f"K{i}", name=text, specialty=f"S{i % 2}", department=text, email=text)
        for i, text in enumerate(PAYLOADS)
    ]
    groups = []
    for number, (a, b) in enumerate(zip(people[::2], people[1::2], strict=True), start=1):
        lessons = (
            Lesson(a.key, b.key, (a.name, "python")),
            Lesson(b.key, a.key, ("negotiation", b.name)),
        )
        groups.append(GroupView(number=number, members=(a, b), lessons=lessons, score=-0.5))
    return make_report(groups=tuple(groups))


def _open_in_libreoffice(path: Path, workdir: Path, **import_options: bool) -> Worksheet:
    workdir.mkdir()
    infilter = csv_import(",;\t|", trim_spaces=True, **import_options)
    out = convert(path, "xlsx", workdir, infilter=infilter)
    return openpyxl.load_workbook(out / f"{path.stem}.xlsx").active


def _formulas(sheet: Worksheet) -> list[tuple[str, object]]:
    return [
        (cell.coordinate, cell.value)
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]


@pytest.fixture
def hostile_csv(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.csv"
    write_csv(_hostile_report(), path)
    return path


@needs_libreoffice
def test_the_import_splits_on_every_separator_and_runs_formulas(tmp_path: Path) -> None:
    # The control: without pairctl's quoting and quotes the same import runs the payloads,
    # so the tests below would see a formula if the CSV let one through.
    bare = tmp_path / "bare.csv"
    bare.write_text("a;b,c\td|e\r\nBob;=1+1\r\n", encoding="utf-8")
    sheet = _open_in_libreoffice(bare, tmp_path / "lo")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["a", "b", "c", "d", "e"]
    assert rows[1][0] == "Bob"
    assert _formulas(sheet) == [("B2", "=1+1")]


@needs_libreoffice
def test_no_roster_text_becomes_a_formula_when_quotes_are_honoured(
    hostile_csv: Path, tmp_path: Path
) -> None:
    sheet = _open_in_libreoffice(hostile_csv, tmp_path / "lo")
    assert _formulas(sheet) == []
    with hostile_csv.open(encoding="utf-8-sig", newline="") as handle:
        ours = list(csv.reader(handle))
    seen = [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]
    # Cell for cell what pairctl wrote: each roster text whole in its own cell, as text.
    assert len(seen) == len(ours)
    for theirs, mine in zip(seen, ours, strict=True):
        assert len(theirs) == len(mine)
        for shown, written in zip(theirs, mine, strict=True):
            if isinstance(shown, str):
                assert shown == written
            else:
                assert float(shown) == float(written)
    header = ours[0]
    bob = seen[1][header.index("A name")]
    assert bob == "Bob;'=1+1"  # not "Bob" and 2 in the next column


@needs_libreoffice
def test_no_piece_becomes_a_formula_when_quotes_are_ignored(
    hostile_csv: Path, tmp_path: Path
) -> None:
    sheet = _open_in_libreoffice(hostile_csv, tmp_path / "lo", honour_quotes=False)
    assert _formulas(sheet) == []
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    texts = [value for value in cells if isinstance(value, str)]
    # The quotes are plain characters now, doubled ones too; each piece after a split is text.
    assert '"Bob' in texts and "'=1+1\"" in texts
    assert '\'=HYPERLINK(""http://example.invalid""' in texts
    assert '\'=WEBSERVICE(""http://example.invalid"")"' in texts
    # Only the figures pairctl computed are numbers: pair numbers, sizes and scores.
    numbers = sorted(value for value in cells if isinstance(value, int | float))
    assert numbers == sorted([1, 2, 3, 4, 5] + [2] * 5 + [-0.5] * 5)


@needs_libreoffice
def test_figures_stay_numbers_when_quoted_fields_are_read_as_text(
    hostile_csv: Path, tmp_path: Path
) -> None:
    sheet = _open_in_libreoffice(hostile_csv, tmp_path / "lo", quoted_as_text=True)
    header = [cell.value for cell in next(sheet.iter_rows())]
    first = [cell.value for cell in list(sheet.iter_rows())[1]]
    row = dict(zip(header, first, strict=False))
    assert (row["Pair"], row["Size"], row["Score"]) == (1, 2, -0.5)
    assert _formulas(sheet) == []
