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


def convert(path: Path, target: str, workdir: Path) -> Path:
    """Have LibreOffice open `path` and save it with the `target` filter; return the folder."""
    out = workdir / f"converted-{path.stem}"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
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


def sheets_as_seen_by_libreoffice(path: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook, as LibreOffice shows the cells (after recalculation)."""
    out = convert(path, _CSV_ALL_SHEETS, workdir)
    sheets = {}
    for file in sorted(out.glob(f"{path.stem}-*.csv")):
        with file.open(encoding="utf-8", newline="") as fh:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(fh))
    return sheets
