"""Writing a pairing: XLSX, CSV and JSON files, each put in place atomically.

Terminal rendering lives in `pairctl.output.terminal`; these modules only write files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pairctl.core.report import RunReport
from pairctl.errors import UsageError
from pairctl.output.atomic import atomic_write
from pairctl.output.csv_out import save_csv, write_csv
from pairctl.output.json_out import report_to_dict, save_json, write_json
from pairctl.output.xlsx import save_xlsx, write_xlsx

SAVERS: dict[str, Callable[[RunReport, Path], None]] = {
    ".xlsx": save_xlsx,
    ".csv": save_csv,
    ".json": save_json,
}
"""Output file suffix (lower case) -> the function that saves that format to a path."""
FORMATS = tuple(SAVERS)

__all__ = [
    "FORMATS",
    "report_to_dict",
    "unsupported_format",
    "write_csv",
    "write_json",
    "write_report",
    "write_xlsx",
]


def unsupported_format(path: Path) -> UsageError | None:
    """The error for an output name pairctl cannot write, or None when it can."""
    if path.suffix.lower() in SAVERS:
        return None
    found = f"'{path.suffix}'" if path.suffix else "no suffix"
    return UsageError(
        f"cannot write {path}: {found} is not a supported output; use {', '.join(FORMATS)}"
    )


def write_report(
    report: RunReport,
    path: Path,
    *,
    replace: bool = True,
    next_name: Callable[[Path], Path] | None = None,
) -> Path:
    """Write `report` in the format its suffix names; return where it landed.

    With `replace` False an existing file is never replaced, even one that appears while
    the sheet is being written: `next_name` then gives the next name to try, or, without it,
    `OutputExistsError` is raised.
    """
    path = Path(path)
    error = unsupported_format(path)
    if error is not None:
        raise error
    save = SAVERS[path.suffix.lower()]
    return atomic_write(path, lambda tmp: save(report, tmp), replace=replace, next_name=next_name)
