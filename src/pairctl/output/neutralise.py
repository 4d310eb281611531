"""Keep roster text from running as a formula in the spreadsheet that opens our output.

OWASP "CSV Injection": a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
read as a formula by Excel and LibreOffice when they open a CSV. Prefixing a single quote makes
them show the text as written.

The start of the cell is not enough. `csv_out.py` quotes every text cell, so a spreadsheet
that honours the quotes keeps `Bob;=1+1` in one cell; but an import set to split on several
separators and to ignore quotes (or a script that splits lines by hand) cuts the cell into
pieces, and each piece is a new cell start. So `safe_cell` applies the rule to every piece:

    At the start of the cell and after each `,` `;` `|` tab or line break, skip any other
    white space and double quotes; if the next character is `=`, `+`, `-` or `@`, put a `'`
    right before it. A cell that starts with a tab or carriage return also gets a `'` in
    front (OWASP).

White space is skipped because an import that trims spaces turns ` =1+1` into `=1+1`, which
then runs (LibreOffice does); double quotes because a splitter may strip them from a piece.
The `'` goes right before the trigger so the text still reads naturally: `=1+1; python`
becomes `'=1+1; python`, `Bob;=1+1` becomes `Bob;'=1+1`. Text elsewhere is left as it is.

XLSX needs no quote: `xlsx.py` stores roster strings as typed text cells, which no spreadsheet
evaluates. It does need `xlsx_text`, because the XML inside an .xlsx cannot hold most control
characters and openpyxl refuses them.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What a CSV cell must not start with (OWASP)."""

PIECE_SEPARATORS = ",;|\t"
"""Separators a spreadsheet may be told to split a CSV line on; line breaks split it too."""

# Every line break Python's str.splitlines knows: a generous superset of what a spreadsheet or
# a hand-written splitter treats as the end of a row.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BOUNDARY = re.escape(PIECE_SEPARATORS + _LINE_BREAKS)
_PIECE_START = re.compile(rf'(^|[{_BOUNDARY}])((?:[^\S{_BOUNDARY}]|")*)(?=[=+\-@])')

# The C0 control characters XML 1.0 forbids (tab, LF and CR are allowed); same set as openpyxl's
# ILLEGAL_CHARACTERS_RE, which raises on them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(text: str) -> str:
    """Return roster text safe for a CSV cell: a `'` before every piece that would start a
    formula, however the spreadsheet splits the cell (the rule is in the module docstring)."""
    text = _PIECE_START.sub(r"\1\2'", text)
    if text.startswith(("\t", "\r")):
        return "'" + text
    return text


def xlsx_text(text: str) -> str:
    """Return roster text an .xlsx cell can hold: control characters XML forbids removed."""
    return _XML_ILLEGAL.sub("", text)
