"""The pairing as one CSV: the Pairs table, then everyone unmatched as extra rows.

The columns are the Pairs sheet's, `Keep` included (blank: the coordinator types `yes` to keep
a group for the next round, which `pairctl match --keep` reads by that header).

UTF-8 with a byte-order mark so Excel shows accents, CRLF line ends, and every text cell
neutralised against formula injection (Excel and LibreOffice run a CSV cell starting with `=`).

Quoting: below the header every text cell is quoted and the figures we computed (pair number,
size, score) are not (`csv.QUOTE_NONNUMERIC`). The quotes keep a `,`, `;`, tab or `|` in
roster text inside its cell when a spreadsheet splits on all of those; leaving figures bare
keeps them numbers even in an import set to read quoted fields as text. Roster text is also
neutralised piece by piece (`neutralise.safe_cell`), for an import that ignores the quotes.
The header is pairctl's own column names, none holding a separator, so it goes out bare.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pairctl.core.report import RunReport
from pairctl.output.atomic import atomic_write
from pairctl.output.neutralise import safe_cell
from pairctl.output.tables import Table, Value, meeting_columns, member_cells, pairs_table

UNMATCHED_LABEL = "unmatched"
"""The `Pair` value of an unmatched person's row."""


def write_csv(report: RunReport, path: Path) -> None:
    """Write the pairing CSV to `path`, replacing it atomically."""
    atomic_write(Path(path), lambda tmp: save_csv(report, tmp))


def everyone_table(report: RunReport) -> Table:
    """The Pairs table plus one row per unmatched person: `Pair` is 'unmatched', the person
    fills the A columns (its time zone, site and languages too, when the sheet has them) and
    the reason goes in Notes."""
    table = pairs_table(report)
    header = table.header
    first = header.index("A key")
    notes = header.index("Notes")
    shown = meeting_columns(report)
    rows = list(table.rows)
    for person, reason in report.unmatched:
        row: list[Value] = [None] * len(header)
        row[0] = UNMATCHED_LABEL
        cells = member_cells(person, shown)
        row[first : first + len(cells)] = cells
        row[notes] = reason
        rows.append(tuple(row))
    return Table(table.name, header, rows)


def save_csv(report: RunReport, path: Path) -> None:
    """Save the CSV to `path` as it is (no atomic replace: `atomic_write` does that)."""
    table = everyone_table(report)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(table.header)
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerows([_text(value) for value in row] for row in table.rows)


def _text(value: Value) -> Value:
    """The cell as the writer gets it: text neutralised; numbers stay numbers, so that
    QUOTE_NONNUMERIC leaves them unquoted."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return value
