"""`pairctl forget KEY... --history PATH`: remove people from every earlier round's sheet.

The work is `pairctl.erase.forget`; this says what changed (or would), one line per file, or
the same as JSON with `--json`. A key no file names is a warning, not an error: forgetting
someone already forgotten is done.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from pairctl.erase import ForgetReport
from pairctl.shell.environment import Environment
from pairctl.shell.errors import say


def forget(
    env: Environment, keys: list[str], history: list[Path], *, dry_run: bool, as_json: bool
) -> None:
    """Forget `keys` in the history files under `history`, holding each folder's lock while
    the files are read and rewritten; print what changed."""
    from pairctl.erase import forget as erase
    from pairctl.output.lock import folder_lock
    from pairctl.roster.history import history_files

    given = [str(path) for path in history]
    files = history_files(given)  # a missing path is a RosterError (exit 3) before any lock
    folders = dict.fromkeys(
        (path if path.is_dir() else path.parent).resolve() for path in map(Path, given)
    )
    folders.update(dict.fromkeys(file.parent.resolve() for file in files))
    with contextlib.ExitStack() as locks:
        if not dry_run:
            for folder in folders:
                locks.enter_context(folder_lock(folder))
        report = erase(keys, given, dry_run=dry_run)
    for key in report.not_found:
        say(env, f"warning: {key}: named in no history file; nothing to forget")
    if as_json:
        env.stdout.write(json.dumps(report_to_dict(report), ensure_ascii=False) + "\n")
        return
    _print_summary(env, report)


def report_to_dict(report: ForgetReport) -> dict[str, Any]:
    """`pairctl forget --json`: `{"dry_run", "files": [{file, keys, cells, rows}],
    "not_found": [...], "untouched": [...]}`."""
    return {
        "dry_run": report.dry_run,
        "files": [
            {"file": str(c.path), "keys": list(c.keys), "cells": c.cells, "rows": c.rows}
            for c in report.files
        ],
        "not_found": list(report.not_found),
        "untouched": [str(path) for path in report.untouched],
    }


def _print_summary(env: Environment, report: ForgetReport) -> None:
    from pairctl.output.printable import message_line

    verb = "would change" if report.dry_run else "changed"
    for change in report.files:
        line = (
            f"{change.path}: {verb} {_count(change.cells, 'cell')}, "
            f"deleted {_count(change.rows, 'row')} ({', '.join(change.keys)})"
        )
        if report.dry_run:
            line = line.replace("deleted", "would delete")
        env.stdout.write(message_line(line) + "\n")
    if not report.files:
        env.stdout.write("no history file names them; nothing changed\n")
    elif report.dry_run:
        env.stdout.write("dry run: nothing written\n")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
