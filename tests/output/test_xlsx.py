"""The workbook as a coordinator opens it: read back with openpyxl, and once with LibreOffice."""

from __future__ import annotations

import dataclasses
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
from libreoffice import needs_libreoffice, sheets_as_seen_by_libreoffice

from pairctl.core.report import RunReport
from pairctl.output.xlsx import MAX_WIDTH, write_xlsx

from .report_data import MEMBER, PAIR, TRIO_HEADER, UNMATCHED_REASON, make_report


@pytest.fixture
def book(report: RunReport, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "pairs.xlsx"
    write_xlsx(report, path)
    return openpyxl.load_workbook(path)


def _row(sheet, number: int) -> dict[str, object]:
    header = [cell.value for cell in sheet[1]]
    return dict(zip(header, (cell.value for cell in sheet[number]), strict=True))


def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Pairs", "By person", "Unmatched", "Summary", "Run info"]


def test_pairs_header_has_c_columns_when_there_is_a_trio(book: openpyxl.Workbook) -> None:
    assert [cell.value for cell in book["Pairs"][1]] == TRIO_HEADER


def test_pairs_header_without_trio_has_no_c_columns(tmp_path: Path) -> None:
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=(PAIR,)), path)
    header = [cell.value for cell in openpyxl.load_workbook(path)["Pairs"][1]]
    assert header == [
        "Pair",
        "Size",
        "Keep",
        *(f"{who} {what}" for who in "AB" for what in MEMBER),
        "A teaches B",
        "B teaches A",
        "Score",
        "Notes",
    ]


def test_the_pair_row_says_who_is_with_whom(book: openpyxl.Workbook) -> None:
    sheet = book["Pairs"]
    assert sheet.max_row == 3
    row = _row(sheet, 2)
    assert row["Pair"] == 1
    assert row["Size"] == 2
    assert row["Keep"] is None
    assert (row["A key"], row["A name"], row["A email"]) == (
        "E001",
        "José Álvarez",
        "jose@example.com",
    )
    assert (row["A specialty"], row["A department"]) == ("Software Engineering", "R&D")
    assert (row["B key"], row["B name"]) == ("E002", "Zoë 🚀 Okafor")
    assert row["B department"] == "+Revenue"
    assert row["C key"] is None and row["C name"] is None
    assert row["A teaches B"] == "=1+1; python"
    assert row["B teaches A"] == "negotiation"
    assert row["A teaches C"] is None
    assert row["Score"] == 0.877
    assert row["Notes"] is None


def test_the_trio_row(book: openpyxl.Workbook) -> None:
    row = _row(book["Pairs"], 3)
    assert (row["Pair"], row["Size"]) == (2, 3)
    assert [row["A name"], row["B name"], row["C name"]] == [
        "מרים כהן",
        "Łukasz Wiśniewski",
        "Nguyễn Văn An",
    ]
    assert row["A teaches B"] == "contract law"
    assert row["B teaches A"] == "+SUM(A1:A9)"
    assert row["A teaches C"] is None
    assert row["C teaches A"] == "-2+3; @SUM(1,2)"
    assert row["B teaches C"] == "budgeting"
    # XML reads a bare carriage return back as a line feed: a line break either way.
    assert row["C teaches B"] == "#N/A; \tindent; \nreturn"
    assert row["Score"] == 1.235
    assert row["Notes"] == "trio; one-way: E003 teaches nothing to E005"


def test_numbers_are_numbers_and_roster_text_is_text(book: openpyxl.Workbook) -> None:
    sheet = book["Pairs"]
    assert [sheet.cell(1, column).value for column in (1, 2, 4, 25)] == [
        "Pair",
        "Size",
        "A key",
        "Score",
    ]
    assert [sheet.cell(2, column).data_type for column in (1, 2, 25)] == ["n", "n", "n"]
    assert sheet.cell(2, 4).data_type == "s"


def test_no_cell_anywhere_is_a_formula_or_error(book: openpyxl.Workbook) -> None:
    kinds = {cell.data_type for sheet in book for row in sheet.iter_rows() for cell in row}
    assert kinds <= {"s", "n"}, kinds


def test_no_formula_element_in_the_file(report: RunReport, tmp_path: Path) -> None:
    path = tmp_path / "pairs.xlsx"
    write_xlsx(report, path)
    with zipfile.ZipFile(path) as archive:
        sheets = [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml")
        ]
        assert len(sheets) == 5
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_unmatched_sheet(book: openpyxl.Workbook) -> None:
    sheet = book["Unmatched"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("Key", "Name", "Email", "Specialty", "Department", "Reason"),
        (
            "0042",
            '=HYPERLINK("http://evil.example","click")',
            "-loner@example.com",
            "Legal",
            "@Ops",
            UNMATCHED_REASON,
        ),
    ]
    assert sheet["B2"].data_type == "s"


def test_summary_sheet(book: openpyxl.Workbook) -> None:
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows[0][0] == "Mentoring round: roster.xlsx"  # the report has no "Run at" row
    # The figures a leader reads first, then the table against the baseline.
    lead = [row[:3] for row in rows[2:13]]
    assert lead == [
        ("People", 6, None),
        ("Pairs", 1, None),
        ("Trios", 1, None),
        ("Groups crossing specialty (%)", 100.0, None),
        ("Groups where both teach (%)", 50.0, None),
        ("Quality", "not measured", None),
        ("Unmatched", '=HYPERLINK("http://evil.example","click")', None),
        # Per link, the trio (1.235 over three links) is weaker than the pair.
        ("Weakest pairs (score)", "Trio 2: מרים כהן & Łukasz Wiśniewski & Nguyễn Văn An", 1.235),
        (None, "Pair 1: José Álvarez & Zoë 🚀 Okafor", 0.877),
        (None, None, None),
        ("Metric", "This pairing", "Random baseline"),
    ]
    start = 12
    assert rows[start : start + 10] == [
        ("Metric", "This pairing", "Random baseline"),
        ("People", 6, 6),
        ("Pairs", 1, 1),
        ("Trios", 1, 1),
        ("Unmatched", 1, 1),
        ("Not taking part", 0, 0),
        ("Cross-specialty groups (%)", 100.0, 66.7),
        ("Both teach and learn (%)", 50.0, 0.0),
        ("Mean score per link", 0.528, 0.123),
        ("Total score", 2.111, 0.494),
    ]
    column_a = [row[0] for row in rows[start + 10 : start + 14]]
    assert column_a == [None, "Warnings", "1 person has no skills listed", "=cmd|' /C calc'!A0"]
    titles = [row[0] for row in rows if row[0] and str(row[0]).startswith(("How", "Score d"))]
    assert titles == [
        "How groups cross specialties (links per specialty)",
        "Score distribution (mean score per link in each group)",
    ]


def test_summary_title_is_large_and_bold_and_warnings_span_the_table(
    book: openpyxl.Workbook,
) -> None:
    ws = book["Summary"]
    assert ws["A1"].font.bold and ws["A1"].font.size > 11
    warning = next(row for row in ws.iter_rows() if row[0].value == "=cmd|' /C calc'!A0")[0]
    assert warning.data_type == "s" and warning.alignment.wrap_text
    assert f"{warning.coordinate}:C{warning.row}" in {str(r) for r in ws.merged_cells.ranges}


def test_run_info_sheet(book: openpyxl.Workbook) -> None:
    rows = list(book["Run info"].iter_rows(values_only=True))
    assert rows[0] == ("Field", "Value")
    assert rows[1:] == [
        ("Input", "roster.xlsx"),
        ("Input SHA-256", "ab" * 32),
        ("Column for skills", "Skills"),
        ("Seed", "7"),
    ]


@pytest.mark.parametrize(
    ("sheet", "ref"),
    [("Pairs", "A1:Z3"), ("By person", "A1:K7"), ("Unmatched", "A1:F2"), ("Run info", None)],
)
def test_header_frozen_filtered_and_bold(book: openpyxl.Workbook, sheet: str, ref: str) -> None:
    ws = book[sheet]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == ref
    assert all(cell.font.bold for cell in ws[1])
    assert not any(cell.font.bold for cell in ws[2])


def test_the_summary_is_a_report_not_a_table(book: openpyxl.Workbook) -> None:
    """No filter buttons on its blocks and no frozen title: it is read and printed whole."""
    ws = book["Summary"]
    assert ws.auto_filter.ref is None
    assert ws.freeze_panes is None


def test_column_widths_fit_content_within_the_cap(book: openpyxl.Workbook) -> None:
    ws = book["Pairs"]
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
    assert ws["J1"].value == "B name"
    # "Łukasz Wiśniewski" is the longest B name, 17 characters.
    assert 17 <= widths["J"] <= 22
    assert ws["Z1"].value == "Notes"
    # "trio; one-way: E003 teaches nothing to E005" is 44 characters.
    assert 44 <= widths["Z"] <= 50
    assert len(widths) == len(TRIO_HEADER)
    assert all(width <= MAX_WIDTH for width in widths.values())


def test_long_text_wraps_at_the_cap(tmp_path: Path) -> None:
    long_note = "x" * (MAX_WIDTH + 20)
    group = dataclasses.replace(PAIR, notes=(long_note,))
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=(group,)), path)
    ws = openpyxl.load_workbook(path)["Pairs"]
    assert ws["Q1"].value == "Notes"
    assert ws.column_dimensions["Q"].width == MAX_WIDTH
    assert ws["Q2"].value == long_note
    assert ws["Q2"].alignment.wrap_text
    assert not ws["D2"].alignment.wrap_text
    # 80 characters in a 60-wide column: two lines, and the row is tall enough for both.
    assert ws.row_dimensions[2].height == 30


def test_control_characters_are_dropped_not_fatal(tmp_path: Path) -> None:
    group = dataclasses.replace(PAIR, notes=("bell\x07 rang",))
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=(group,)), path)
    ws = openpyxl.load_workbook(path)["Pairs"]
    assert ws["Q1"].value == "Notes"
    assert ws["Q2"].value == "bell rang"


def test_empty_pairing_still_writes_every_sheet(tmp_path: Path) -> None:
    path = tmp_path / "pairs.xlsx"
    write_xlsx(make_report(groups=()), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Pairs", "By person", "Unmatched", "Summary", "Run info"]
    assert book["Pairs"].max_row == 1
    assert book["Pairs"]["D1"].value == "A key"


@needs_libreoffice
def test_libreoffice_shows_formula_looking_text_as_written(
    report: RunReport, tmp_path: Path
) -> None:
    """LibreOffice recalculates on load: a formula cell would show its result, not its text."""
    path = tmp_path / "pairs.xlsx"
    write_xlsx(report, path)
    rows = sheets_as_seen_by_libreoffice(path, tmp_path)["Pairs"]
    assert rows[0] == TRIO_HEADER
    pair = dict(zip(rows[0], rows[1], strict=True))
    trio = dict(zip(rows[0], rows[2], strict=True))
    assert pair["A teaches B"] == "=1+1; python"
    assert pair["A name"] == "José Álvarez"
    assert trio["B teaches A"] == "+SUM(A1:A9)"
    assert trio["C teaches A"] == "-2+3; @SUM(1,2)"
    assert trio["A name"] == "מרים כהן"


def test_not_finite_figures_leave_the_cell_empty(tmp_path: Path) -> None:
    base = make_report()
    group = dataclasses.replace(PAIR, score=math.nan)
    metrics = dataclasses.replace(base.metrics, mean_score=math.inf)
    path = tmp_path / "pairs.xlsx"
    write_xlsx(dataclasses.replace(base, groups=(group,), metrics=metrics), path)
    book = openpyxl.load_workbook(path)
    assert _row(book["Pairs"], 2)["Score"] is None
    [mean] = [row for row in book["Summary"].iter_rows() if row[0].value == "Mean score per link"]
    assert mean[1].value is None
    assert mean[2].value == 0.123
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<v />" not in archive.read(name) and b"<v/>" not in archive.read(name)
