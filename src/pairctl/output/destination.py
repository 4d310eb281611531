"""Where the pairing sheet goes, and the rules that keep the user's files safe."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from pairctl.errors import OutputError, OutputExistsError
from pairctl.output import unsupported_format

_NUMBERED = re.compile(r"^(?P<stem>.*)-(?P<n>\d+)$")


def default_output(roster_path: str, today: dt.date) -> Path:
    """`pairs-YYYY-MM-DD.xlsx` beside the roster (in the working folder for stdin).

    The first free name of `pairs-YYYY-MM-DD.xlsx`, `pairs-YYYY-MM-DD-2.xlsx`, ... so a rerun
    on the same day never replaces a sheet someone may already have sent out.
    """
    # The folder of the name given (not of a link's target): where the coordinator looks.
    folder = Path.cwd() if roster_path == "-" else Path(os.path.abspath(roster_path)).parent
    candidate = folder / f"pairs-{today.isoformat()}.xlsx"
    while candidate.exists():
        candidate = next_dated_name(candidate)
    return candidate


def next_dated_name(path: Path) -> Path:
    """`pairs-2026-11-28.xlsx` -> `pairs-2026-11-28-2.xlsx` -> `pairs-2026-11-28-3.xlsx`."""
    stem = path.stem
    match = _NUMBERED.match(stem)
    # The date's own "-28" is not a counter: only a suffix after the full date is.
    if match and re.search(r"\d{4}-\d{2}-\d{2}$", match["stem"]):
        return path.with_name(f"{match['stem']}-{int(match['n']) + 1}{path.suffix}")
    return path.with_name(f"{stem}-2{path.suffix}")


def check_output(path: Path, roster_path: str, *, force: bool) -> Path:
    """Refuse an unknown format, the input roster, a folder, or an existing file without
    --force, before any work is done (the write itself re-checks existence atomically)."""
    error = unsupported_format(path)
    if error is not None:
        raise error
    try:
        exists = path.exists()
        if exists and roster_path != "-" and path.resolve() == Path(roster_path).resolve():
            raise OutputError(f"{path}: that is the input roster; pairctl never writes over it")
        if path.is_dir():
            raise OutputError(
                f"{path}: is a folder; give a file name such as {path / 'pairs.xlsx'}"
            )
    except OSError as problem:  # a name too long for the filesystem, a loop of links, ...
        raise OutputError(f"cannot write {path}: {problem.strerror or problem}") from None
    if exists and not force:
        raise OutputExistsError(f"{path}: already exists; use --force to replace it")
    return path
