"""The round's workbook as a coordinator prints it: landscape, one page wide, the header on
every page, fixed decimals, rows tall enough for their wrapped text, a Summary that opens with
the round's title and the figures a leader reads first; then printed for real by LibreOffice.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import read_csv_rows, run
from libreoffice import convert, needs_libreoffice
from openpyxl.utils import get_column_letter

from pairctl.output.xlsx import LINE_HEIGHT, MATRIX_WIDTH, wrapped_lines
from pairctl.roster.history import read_history

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SHEETS = ["Pairs", "By person", "Unmatched", "Summary", "Run info"]
EMU_PER_CM = 360_000

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; apt-get install poppler-utils",
)


def _match(roster: Path, out: Path) -> Path:
    result = run("match", str(roster), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def round_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _match(SAMPLE / "roster.csv", tmp_path_factory.mktemp("round") / "round.xlsx")


@pytest.fixture(scope="module")
def book(round_xlsx: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(round_xlsx)


def _header(sheet) -> list[object]:
    return [cell.value for cell in sheet[1]]


def _records(sheet) -> list[dict[str, object]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _specialties() -> list[str]:
    return sorted({row["Specialty"] for row in read_csv_rows(SAMPLE / "roster.csv")})


@pytest.mark.parametrize("name", SHEETS)
def test_every_sheet_prints_landscape_one_page_wide_with_row_1_on_every_page(
    book: openpyxl.Workbook, name: str
) -> None:
    sheet = book[name]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"


def test_keep_column_comes_after_size_and_is_blank_for_the_coordinator(
    book: openpyxl.Workbook,
) -> None:
    header = _header(book["Pairs"])
    assert header[:4] == ["Pair", "Size", "Keep", "A key"]
    rows = _records(book["Pairs"])
    assert len(rows) == 20
    assert all(row["Keep"] is None for row in rows)


def test_the_csv_has_the_keep_column_too(tmp_path: Path) -> None:
    out = _match(SAMPLE / "roster.csv", tmp_path / "round.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header[:4] == ["Pair", "Size", "Keep", "A key"]
    assert len(rows) == 20 and all(row[2] == "" for row in rows)


def test_history_still_reads_the_workbook_with_its_keep_column(
    book: openpyxl.Workbook, round_xlsx: Path
) -> None:
    keys = [row["Employee ID"] for row in read_csv_rows(SAMPLE / "roster.csv")]
    [earlier] = read_history([str(round_xlsx)], keys)
    expected = {
        frozenset((keys.index(row["A key"]), keys.index(row["B key"])))
        for row in _records(book["Pairs"])
    }
    assert {frozenset(pair) for pair in earlier.pairs} == expected
    assert len(expected) == 20


def test_scores_and_percentages_show_a_fixed_number_of_decimals(
    book: openpyxl.Workbook,
) -> None:
    pairs = book["Pairs"]
    score = _header(pairs).index("Score") + 1
    cells = [pairs.cell(row, score) for row in range(2, pairs.max_row + 1)]
    assert cells and all(cell.number_format == "0.000" for cell in cells)
    summary = {row[0].value: row for row in book["Summary"].iter_rows() if row[0].value}
    assert summary["Cross-specialty groups (%)"][1].number_format == "0.0"
    assert summary["Cross-specialty groups (%)"][2].number_format == "0.0"
    assert summary["Mean score per link"][1].number_format == "0.000"
    assert summary["People"][1].number_format == "General"  # a count has no decimals


def test_summary_opens_with_the_round_title_and_the_figures_a_leader_reads(
    book: openpyxl.Workbook,
) -> None:
    info = dict(book["Run info"].iter_rows(min_row=2, values_only=True))
    day = str(info["Run at"])[:10]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows[0][0] == f"Mentoring round: roster.csv — {day}"
    lead = {row[0]: row[1] for row in rows[2:12] if row[0]}
    assert lead["People"] == 40 and lead["Pairs"] == 20 and lead["Trios"] == 0
    assert lead["Groups crossing specialty (%)"] == 100
    assert 0 <= lead["Groups where both teach (%)"] <= 100
    assert str(lead["Quality"]).endswith(("of the exact optimum", "of an upper bound"))
    assert lead["Unmatched"] == "none"


def test_summary_names_the_three_weakest_pairs_with_their_scores(
    book: openpyxl.Workbook,
) -> None:
    groups = sorted(_records(book["Pairs"]), key=lambda row: (row["Score"], row["Pair"]))
    expected = [
        (f"Pair {row['Pair']}: {row['A name']} & {row['B name']}", row["Score"])
        for row in groups[:3]
    ]
    rows = list(book["Summary"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Weakest pairs (score)")
    assert [(row[1], row[2]) for row in rows[start : start + 3]] == expected


def test_every_wrapped_cell_has_a_row_tall_enough_for_its_lines(
    book: openpyxl.Workbook,
) -> None:
    wrapped = 0
    for sheet in book:
        widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
        merged = {r.min_row: r for r in sheet.merged_cells.ranges}
        for row in sheet.iter_rows():
            for cell in row:
                if not (cell.alignment.wrap_text and isinstance(cell.value, str)):
                    continue
                wrapped += 1
                if cell.row in merged:
                    span = merged[cell.row]
                    width = sum(
                        widths[get_column_letter(c)] for c in range(span.min_col, span.max_col + 1)
                    )
                else:
                    width = widths[cell.column_letter]
                lines = max(
                    wrapped_lines(cell.value, width),
                    math.ceil(len(cell.value) / width) + cell.value.count("\n"),
                )
                height = sheet.row_dimensions[cell.row].height
                assert height is not None and height >= LINE_HEIGHT * lines, (
                    sheet.title,
                    cell.coordinate,
                )
    # The sample has long notes, a long warning and long Run info values.
    assert wrapped >= 5


def test_matrix_names_are_not_cut(book: openpyxl.Workbook) -> None:
    sheet = book["Summary"]
    [top] = [row for row in sheet.iter_rows() if row[0].value == "Links between specialties"]
    names = [cell for cell in top[1:] if cell.value]
    assert sorted(cell.value for cell in names) == _specialties()
    for cell in names:
        width = sheet.column_dimensions[cell.column_letter].width
        if len(cell.value) + 1 > width:
            assert cell.alignment.wrap_text and width >= MATRIX_WIDTH, cell.value
            lines = wrapped_lines(cell.value, width)
            assert sheet.row_dimensions[cell.row].height >= LINE_HEIGHT * lines


def test_charts_show_every_category_and_grow_with_them(book: openpyxl.Workbook) -> None:
    sheet = book["Summary"]
    bar, column = sheet._charts
    for chart in (bar, column):
        assert chart.x_axis.tickLblSkip == 1
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
    # Nine specialties, one bar each, stacked down the chart: at least 0.8 cm a bar.
    assert bar.anchor.ext.height >= 0.8 * len(_specialties()) * EMU_PER_CM
    # The next block starts below the chart, not under it.
    rows = list(sheet.iter_rows(values_only=True))
    band_title = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Score d"))
    chart_rows = math.ceil(bar.anchor.ext.height / EMU_PER_CM / 0.45)
    assert band_title >= bar.anchor._from.row + chart_rows


def test_only_the_data_tables_have_filter_buttons(book: openpyxl.Workbook) -> None:
    filtered = [sheet.title for sheet in book if sheet.auto_filter.ref]
    assert filtered == ["Pairs", "By person", "Unmatched"]


# --- printed by LibreOffice -------------------------------------------------------------


def _pdf(xlsx: Path, workdir: Path) -> Path:
    out = convert(xlsx, "pdf", workdir)
    pdf = out / f"{xlsx.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {xlsx}"
    return pdf


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    )
    found = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M)
    return [(float(w), float(h)) for w, h in found]


def _pairs_pages(pages: list[str]) -> list[int]:
    """The Pairs sheet prints first, up to the first page with the By person header."""
    end = next(i for i, text in enumerate(pages) if "Partner email" in text)
    return list(range(end))


@pytest.fixture(scope="module")
def printed(round_xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample round printed to PDF (the tests using it skip first without LibreOffice)."""
    return _pdf(round_xlsx, tmp_path_factory.mktemp("pdf"))


@needs_libreoffice
@needs_poppler
def test_libreoffice_prints_every_page_landscape(printed: Path) -> None:
    sizes = _page_sizes(printed)
    assert len(sizes) == len(_pages(printed)) >= len(SHEETS)
    assert all(width > height for width, height in sizes), sizes


@needs_libreoffice
@needs_poppler
def test_libreoffice_prints_the_summary_with_every_specialty_on_the_chart(
    printed: Path,
) -> None:
    pages = _pages(printed)
    summary = [text for text in pages if "Mentoring round: roster.csv" in text]
    # The title is the Summary's print title: on each of its pages, the charts' page too.
    assert len(summary) >= 2, "the Summary title is not repeated on its pages"
    [chart_page] = [text for text in summary if "How groups cross specialties" in text]
    words = chart_page.split()
    for specialty in _specialties():
        assert specialty.split()[0] in chart_page, specialty
        # Once in the block's table and once as the chart's axis label (a long label may
        # wrap onto two lines, so count word by word).
        for word in specialty.split():
            assert words.count(word) >= 2, (specialty, word)


@needs_libreoffice
@needs_poppler
def test_libreoffice_repeats_the_pairs_header_on_every_printed_page(tmp_path: Path) -> None:
    """A roster four times the sample's: 80 pairs, more than one printed page of Pairs."""
    with (SAMPLE / "roster.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *people = list(csv.reader(handle))
    key, name, email = (header.index(c) for c in ("Employee ID", "Full name", "Email"))
    rows = []
    for copy in range(4):
        for person in people:
            row = list(person)
            row[key] = f"{row[key]}-{copy}"
            row[name] = f"{row[name]} {copy}"
            row[email] = f"{copy}.{row[email]}"
            rows.append(row)
    roster = tmp_path / "big.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    pdf = _pdf(_match(roster, tmp_path / "big.xlsx"), tmp_path)
    pages = _pages(pdf)
    sizes = _page_sizes(pdf)
    pairs = _pairs_pages(pages)
    assert len(pairs) >= 2, "the Pairs sheet fits one page: the test proves nothing"
    for index in pairs:
        assert "A key" in pages[index] and "A name" in pages[index], index
        width, height = sizes[index]
        assert width > height
