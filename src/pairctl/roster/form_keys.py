"""A form's response number is not a person: key such rosters by email.

Microsoft Forms writes a counter in a column called `ID` (with `Start time` and `Completion
time` beside it); Google Forms writes a `Timestamp`; an export may number its rows 1..N in an
`ID` column. Taken as the person key, such a number names someone else next round, and the
history then silently matches the wrong people. When the roster also has an email column,
the email is the key, and a warning says why. A key given with `--map key=...` or
`[columns] key` is always kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from pairctl.roster.header import Layout, normalise
from pairctl.roster.sources import Grid, cell_text, row_is_blank


def prefer_email_key(grid: Grid, layout: Layout, wanted: Mapping[str, str], where: str) -> Layout:
    """`layout` keyed by email instead of a response number, when that is what the key is."""
    if layout.key_field != "key" or "email" not in layout.columns or "key" in wanted:
        return layout
    header = {normalise(cell_text(c)) for c in grid.rows[layout.index]}
    id_column = layout.mapping.fields["key"]
    if {"starttime", "completiontime"} <= header:
        why = "a Microsoft Forms export numbers its responses there"
    elif "timestamp" in header:
        why = "a Google Forms export (it has a Timestamp column)"
    elif _counts_rows(grid, layout):
        why = "it numbers the rows 1, 2, 3 ..."
    else:
        return layout
    fields = {f: c for f, c in layout.mapping.fields.items() if f != "key"}
    mapping = dataclasses.replace(
        layout.mapping, fields=fields, unused=(*layout.mapping.unused, id_column)
    )
    note = (
        f"{where}: people are keyed by {fields['email']!r}, not {id_column!r}: {why}, which names "
        "someone else in the next round (choose with --map key=COLUMN)"
    )
    return dataclasses.replace(
        layout,
        columns={f: j for f, j in layout.columns.items() if f != "key"},
        mapping=mapping,
        key_field="email",
        warnings=(*layout.warnings, note),
    )


def _counts_rows(grid: Grid, layout: Layout) -> bool:
    """Whether the key column holds exactly 1, 2, 3, ... down the filled rows."""
    j = layout.columns["key"]
    values = [
        cell_text(row[j]).strip() if j < len(row) else ""
        for row in grid.rows[layout.index + 1 :]
        if not row_is_blank(row, grid.typed)
    ]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]
