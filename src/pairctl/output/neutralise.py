"""Keep roster text from running as a formula in the spreadsheet that opens our output.

OWASP "CSV Injection": a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
read as a formula by Excel and LibreOffice when they open a CSV. Prefixing a single quote makes
them show the text as written.

XLSX needs no quote: `xlsx.py` stores roster strings as typed text cells, which no spreadsheet
evaluates. It does need `xlsx_text`, because the XML inside an .xlsx cannot hold most control
characters and openpyxl refuses them.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The C0 control characters XML 1.0 forbids (tab, LF and CR are allowed); same set as openpyxl's
# ILLEGAL_CHARACTERS_RE, which raises on them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(text: str) -> str:
    """Return roster text safe for a CSV cell: quote-prefixed if it would start a formula."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def xlsx_text(text: str) -> str:
    """Return roster text an .xlsx cell can hold: control characters XML forbids removed."""
    return _XML_ILLEGAL.sub("", text)
