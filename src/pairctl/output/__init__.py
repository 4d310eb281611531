"""Writing a pairing: XLSX, CSV and JSON files, each replaced atomically.

Terminal rendering lives elsewhere; these modules only write files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pairctl.core.report import RunReport
from pairctl.errors import UsageError
from pairctl.output.csv_out import write_csv
from pairctl.output.json_out import report_to_dict, write_json
from pairctl.output.xlsx import write_xlsx

WRITERS: dict[str, Callable[[RunReport, Path], None]] = {
    ".xlsx": write_xlsx,
    ".csv": write_csv,
    ".json": write_json,
}
"""Output file suffix (lower case) -> writer. Every writer replaces its file atomically."""

__all__ = ["WRITERS", "report_to_dict", "write_csv", "write_json", "write_report", "write_xlsx"]


def write_report(report: RunReport, path: Path) -> None:
    """Write `report` to `path` in the format its suffix names (.xlsx, .csv or .json)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        supported = ", ".join(WRITERS)
        found = f"'{path.suffix}'" if path.suffix else "no suffix"
        raise UsageError(f"cannot write {path}: {found} is not a supported output; use {supported}")
    writer(report, path)
