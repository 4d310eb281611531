"""The keys-only history sheet (`--history-format keys`): who was paired with whom, nothing else.

`pairs-2026-12-02.keys.csv` beside `pairs-2026-12-02.xlsx`: the header `A key,B key,C key` and
one row per group (C key blank for a pair). No names, emails, specialties or lessons, so a
history folder kept for years holds the least personal data that still stops repeats.
`roster.history.read_history` reads it as a pairctl sheet (its header has "A key" and "B key").

Same dialect as `csv_out`: UTF-8 with a byte-order mark, CRLF, the header bare, every key
quoted and neutralised (`safe_cell`, which the history reader undoes when it compares keys).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pairctl.core.report import RunReport
from pairctl.output.atomic import atomic_write
from pairctl.output.neutralise import safe_cell

KEYS_HEADER = ("A key", "B key", "C key")
KEYS_SUFFIX = ".keys.csv"


def keys_sheet_path(sheet: Path) -> Path:
    """Where the keys-only sheet of the round saved as `sheet` goes: `<stem>.keys.csv` beside
    it; a path that already ends in `.keys.csv` is that file itself."""
    sheet = Path(sheet)
    if sheet.name.lower().endswith(KEYS_SUFFIX):
        return sheet
    return sheet.with_name(sheet.stem + KEYS_SUFFIX)


def write_keys_sheet(report: RunReport, path: Path) -> None:
    """Write the keys-only sheet of `report` beside the round's sheet `path` (see
    `keys_sheet_path`), replacing it atomically."""
    atomic_write(keys_sheet_path(path), lambda tmp: save_keys_sheet(report, tmp))


def save_keys_sheet(report: RunReport, path: Path) -> None:
    """Save the keys-only sheet to `path` as it is (no atomic replace)."""
    width = len(KEYS_HEADER)
    rows = []
    for group in report.groups:
        keys = [safe_cell(person.key) for person in group.members[:width]]
        rows.append(keys + [""] * (width - len(keys)))
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(KEYS_HEADER)
        csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
