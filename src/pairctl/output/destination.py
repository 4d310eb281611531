"""Where the pairing sheet goes, and the rules that keep user files safe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pairctl.errors import OutputError, UsageError

FORMATS = (".xlsx", ".csv", ".json")


def default_output(roster_path: str, today: dt.date) -> Path:
    """`pairs-YYYY-MM-DD.xlsx` beside the roster (in the working folder for stdin).

    A name already taken gets `-2`, `-3`, ... so a rerun on the same day never replaces
    a sheet someone may already have sent out.
    """
    folder = Path.cwd() if roster_path == "-" else Path(roster_path).resolve().parent
    stem = f"pairs-{today.isoformat()}"
    candidate = folder / f"{stem}.xlsx"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.xlsx"
        number += 1
    return candidate


def check_output(path: Path, roster_path: str, *, force: bool) -> Path:
    """Refuse to write over the roster, an unknown format, or an existing file without --force."""
    if path.suffix.lower() not in FORMATS:
        raise UsageError(
            f"{path}: cannot write {path.suffix or 'a file without extension'}; "
            f"use one of {', '.join(FORMATS)}"
        )
    if roster_path != "-" and path.exists() and path.resolve() == Path(roster_path).resolve():
        raise OutputError(f"{path}: that is the input roster; pairctl never writes over it")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'pairs.xlsx'}")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to replace it")
    return path
