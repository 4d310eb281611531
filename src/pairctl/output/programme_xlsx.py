"""The programme workbook of `pairctl report -o`: Rounds (with native charts of the per-round
trends), People and Specialties sheets.

Roster text goes in as typed text cells (never a formula), control characters removed
(`xlsx_text`). openpyxl is imported inside the functions, so `pairctl --help` does not pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pairctl.output.atomic import atomic_write
from pairctl.output.neutralise import xlsx_text
from pairctl.programme.figures import MET_LEVELS, Programme

ROUNDS_HEADER = (
    "Round", "Date", "Run at", "People", "Groups", "Pairs", "Trios",
    "Crossing specialty (%)", "Both teach (%)", "Repeats", "Unmatched",
    "Not taking part", "Quality (%)",
)  # fmt: skip
PEOPLE_HEADER = (
    "Key", "Name", "Specialty", "On roster", "Rounds", "Partners", "Partner keys",
    "Specialties met", "Specialties met (names)", "Lessons given", "Lessons received",
    "Times in a trio", "Times left out", "Times sat out", "Never two-way",
)  # fmt: skip


def write_programme_xlsx(programme: Programme, path: Path, *, replace: bool = True) -> Path:
    """Write the programme workbook to `path` atomically; never replace a file unless
    `replace`. Returns the path written."""
    return atomic_write(
        Path(path), lambda tmp: save_programme_xlsx(programme, tmp), replace=replace
    )


def save_programme_xlsx(programme: Programme, path: Path) -> None:
    """Save the workbook to `path` as it is (`atomic_write` does the replacing)."""
    from openpyxl import Workbook

    book = Workbook()
    rounds = book.active
    assert rounds is not None
    rounds.title = "Rounds"
    _rounds_sheet(rounds, programme)
    _people_sheet(book.create_sheet("People"), programme)
    _specialties_sheet(book.create_sheet("Specialties"), programme)
    book.save(path)


def _text(value: str) -> Any:
    return xlsx_text(value) if value else None


def _put_row(sheet: Any, values: list[Any]) -> None:
    """Append a row; every str is stored as text, even one starting with '=' or '#'."""
    sheet.append([None] * len(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"


def _header(sheet: Any, titles: tuple[str, ...]) -> None:
    from openpyxl.styles import Font

    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _rounds_sheet(sheet: Any, programme: Programme) -> None:
    from openpyxl.chart import LineChart, Reference

    _header(sheet, ROUNDS_HEADER)
    for r in programme.rounds:
        _put_row(
            sheet,
            [
                _text(r.file), r.date, _text(r.run_at), r.people, r.groups, r.pairs, r.trios,
                _pct(r.crossing_pct), _pct(r.both_teach_pct), r.repeats, r.unmatched,
                r.not_taking_part, _pct(r.quality),
            ],
        )  # fmt: skip
    _widths(sheet, [28, 12, 26] + [12] * (len(ROUNDS_HEADER) - 3))
    if not programme.rounds:
        return
    last = 1 + len(programme.rounds)
    chart = LineChart()
    chart.title = "Crossing specialty and both teach, by round (%)"
    chart.y_axis.title = "% of groups"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    crossing = ROUNDS_HEADER.index("Crossing specialty (%)") + 1
    both = ROUNDS_HEADER.index("Both teach (%)") + 1
    for column in (crossing, both):
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    # openpyxl 3.1 writes axes as deleted unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = max(16, 4 + 3 * len(programme.rounds))
    chart.height = 8
    sheet.add_chart(chart, f"A{last + 3}")


def _people_sheet(sheet: Any, programme: Programme) -> None:
    _header(sheet, PEOPLE_HEADER)
    for p in programme.people:
        _put_row(
            sheet,
            [
                _text(p.key), _text(p.name), _text(p.specialty),
                None if p.on_roster is None else ("yes" if p.on_roster else "no"),
                p.rounds, len(p.partners), _text("; ".join(p.partners)),
                len(p.specialties_met), _text("; ".join(p.specialties_met)),
                p.lessons_given, p.lessons_received, p.trios, p.left_out, p.sat_out,
                "yes" if p.never_two_way else "no",
            ],
        )  # fmt: skip
    _widths(sheet, [12, 24, 18, 10, 8, 9, 30, 10, 36, 10, 10, 10, 10, 10, 10])
    if programme.people:
        sheet.auto_filter.ref = f"A1:O{1 + len(programme.people)}"


def _specialties_sheet(sheet: Any, programme: Programme) -> None:
    from openpyxl.styles import Font

    names = sorted({a for a, _, _ in programme.links} | {b for _, b, _ in programme.links})
    count = {(a, b): n for a, b, n in programme.links}
    bold = Font(bold=True)
    _put_row(sheet, ["Links between specialties (all rounds)", *map(xlsx_text, names)])
    for cell in sheet[1]:
        cell.font = bold
    for a in names:
        _put_row(sheet, [xlsx_text(a), *(count.get((min(a, b), max(a, b)), 0) for b in names)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    _put_row(sheet, ["Met at least N other specialties", "People"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for level in MET_LEVELS:
        _put_row(sheet, [f"N = {level}", programme.met_at_least[level]])
    _widths(sheet, [38] + [14] * len(names))


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
