"""LibreOffice as a real spreadsheet client for tests: open a file, save it as something else.

Tests that need it skip with a reason when `soffice` is not installed (.ci/run installs it).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)

# CSV export filter options: comma, double quote, UTF-8 (76), start at row 1, ..., and the
# last field -1: one file per sheet (LibreOffice 7.2+), named <stem>-<Sheet>.csv.
_CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert(path: Path, target: str, workdir: Path, infilter: str | None = None) -> Path:
    """Have LibreOffice open `path` and save it with the `target` filter; return the folder.

    `infilter` sets how the file is read, e.g. CSV import options (see `csv_import`).
    """
    out = workdir / f"converted-{path.stem}"
    how = [f"--infilter={infilter}"] if infilter else []
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            *how,
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(workdir)},
    )
    # soffice exits 0 even when a conversion fails: the file is the only proof.
    if not out.is_dir() or not any(out.iterdir()):
        raise AssertionError(f"LibreOffice did not convert {path}")
    return out


def csv_import(
    separators: str = ",;\t|",
    *,
    honour_quotes: bool = True,
    quoted_as_text: bool = False,
    trim_spaces: bool = False,
) -> str:
    """CSV import filter options for `convert(infilter=...)`, as the Text Import dialog sets them.

    The tokens (LibreOffice "Filter Options for the CSV Filter"): field separators as
    character codes joined by `/`; the text delimiter's code (0: none, so quotes are plain
    characters and every separator splits); character set (76 = UTF-8); first row to read;
    column formats (empty: standard); language (0: from the system); "quoted field as text";
    "detect special numbers"; two export-only flags; "trim spaces".
    """
    codes = "/".join(str(ord(c)) for c in separators)
    quote = 34 if honour_quotes else 0
    flags = [quoted_as_text, False, False, False, trim_spaces]
    options = [codes, str(quote), "76", "1", "", "0", *(str(f).lower() for f in flags)]
    return "Text - txt - csv (StarCalc):" + ",".join(options)


def sheets_as_seen_by_libreoffice(path: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook, as LibreOffice shows the cells (after recalculation)."""
    out = convert(path, _CSV_ALL_SHEETS, workdir)
    sheets = {}
    for file in sorted(out.glob(f"{path.stem}-*.csv")):
        with file.open(encoding="utf-8", newline="") as fh:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(fh))
    return sheets
