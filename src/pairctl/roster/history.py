"""Earlier rounds' pairs (--history): pairctl's own sheets (xlsx, csv, json) or a plain
two-column CSV of person keys. A trio counts as three pairs. People no longer on the roster
are ignored."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

from pairctl.errors import RosterError
from pairctl.output.neutralise import safe_cell
from pairctl.roster.keys import sheet_key_lookup
from pairctl.roster.sources import (
    MAX_INPUT_BYTES,
    cell_text,
    decode_text,
    read_source,
    sniff_delimiter,
)
from pairctl.roster.workbook import Workbook

FORMATS = (".xlsx", ".csv", ".json")
KEYS_SUFFIX = ".keys.csv"
"""How a round's keys-only sheet is named beside its full one (`match --history-format keys`)."""
_MEMBER_COLUMNS = (("A key", "A name"), ("B key", "B name"), ("C key", "C name"))


def history_files(paths: Sequence[str]) -> list[Path]:
    """The files behind --history options: a file as given, a folder's sheets by name.

    Anything that is not a folder is passed on as a file: the reader then refuses what is
    not a regular file (a pipe, a device) in one line instead of waiting on it.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        try:
            folder = stat.S_ISDIR(path.stat().st_mode)
            names = sorted(path.iterdir(), key=round_order) if folder else [path]
        except FileNotFoundError:
            raise RosterError(f"{given}: no such file or folder (--history)") from None
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or error
            raise RosterError(f"{given}: cannot read (--history: {reason})") from None
        if folder:
            names = [p for p in names if p.suffix.lower() in FORMATS and not p.name.startswith(".")]
            # A round's keys-only copy (NAME.keys.csv) beside its full sheet is the same round:
            # read once, from the full sheet.
            full = {p.stem for p in names if not p.name.lower().endswith(KEYS_SUFFIX)}
            names = [
                p
                for p in names
                if not (
                    p.name.lower().endswith(KEYS_SUFFIX) and p.name[: -len(KEYS_SUFFIX)] in full
                )
            ]
        files += names
    return files


class EarlierRound(NamedTuple):
    """One history file: its pairs (indices into the roster) and what did not fit."""

    pairs: list[tuple[int, int]]
    name: str
    drift: list[tuple[str, str, str]]
    """(key, name in the history file, name on the roster) where the two differ."""
    strangers: tuple[str, ...] = ()
    """Keys the file names that are not on the roster."""
    matched: int = 0
    """How many of the file's keys are on the roster."""
    odd: tuple[int, ...] = ()
    """People who were the odd one that round: in a trio, or left out as the odd one."""


def round_order(path: Path) -> tuple[tuple[int, str], ...]:
    """Sort key for a folder's sheets: numbers by value and a name before its longer
    variants, so pairs-2026-04-01.xlsx comes before pairs-2026-04-01-2.xlsx, and -9 before
    -10 (plain name order puts both the other way round)."""
    return tuple(
        (0, f"{int(part):020d}") if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", path.stem.casefold())
        if part
    )


def read_history(
    paths: Sequence[str],
    keys: Sequence[str],
    max_bytes: int = MAX_INPUT_BYTES,
    names: Sequence[str] | None = None,
) -> list[EarlierRound]:
    """Each earlier round, oldest first: the pairs (indices into `keys`) of people still on
    the roster, and the file's name. A folder's files count in name order (dated names sort
    by date); several --history paths in the order given.

    With `names` (the roster's, by index), a key that a pairctl sheet shows with another
    person's name is reported as drift: the sign of a key column that is a form's response
    number rather than a person.
    """
    index, fold = sheet_key_lookup(keys)
    rounds = []
    for path in history_files(paths):
        pairs = []
        drift = []
        strangers: list[str] = []
        matched = 0
        sheet = recorded_groups(path, max_bytes)
        odd = {index[fold(k)] for k in sheet.odd_out if fold(k) in index}
        for recorded in sheet.groups:
            group = recorded.members
            if len(group) < 2:
                continue
            members = []
            for key, name in group:
                person = index.get(fold(key))
                if person is None:
                    strangers.append(key)
                    continue
                members.append(person)
                matched += 1
                if names is not None and name and not _same_name(name, names[person]):
                    drift.append((key, name, names[person]))
            pairs += [(a, b) for a, b in combinations(members, 2) if a != b]
            if len(members) == 3:
                odd.update(members)
        rounds.append(
            EarlierRound(pairs, path.name, drift, tuple(strangers), matched, tuple(sorted(odd)))
        )
    return rounds


def drift_warning(earlier: EarlierRound) -> str | None:
    """One line when a history file's keys name other people than the roster's do, or none
    of them is on the roster at all (a round that would count for nothing)."""
    if earlier.strangers and not earlier.matched:
        shown = ", ".join(repr(k) for k in earlier.strangers[:3])
        return (
            f"{earlier.name}: none of its {len(earlier.strangers)} keys is on the roster "
            f"(e.g. {shown}), so that round counts for nothing; was it saved by a spreadsheet "
            "that dropped leading zeros, or keyed by another column?"
        )
    if not earlier.drift:
        return None
    key, then, now = earlier.drift[0]
    count = len(earlier.drift)
    return (
        f"{earlier.name}: {count} {'key names' if count == 1 else 'keys name'} someone else than "
        f"on the roster (key {key!r} was {then!r}, is {now!r}): if the key column is a form's "
        "response number, that history matches the wrong people; key the roster by email "
        "(--map key=Email)"
    )


def _same_name(written: str, name: str) -> bool:
    def plain(text: str) -> str:
        return " ".join(text.split()).casefold()

    return plain(written) in (plain(name), plain(safe_cell(name)))


class RecordedGroup(NamedTuple):
    """One group a pairing file records, as written."""

    members: list[tuple[str, str]]
    """(key, name) of each member; the name is empty where the file gives none."""
    row: int
    """Its 1-based row in the file (its place in a JSON file's `pairs`)."""
    keep: bool = False
    """The coordinator typed yes (or y, x, true, 1) in the sheet's Keep column."""


_ODD_REASON = "odd number of people"
"""How pairctl words the reason of the person `--odd leave-out` left out."""
KEEP_YES = frozenset({"yes", "y", "x", "true", "1", "keep", "ja", "oui", "sí", "si"})
KEEP_NO = frozenset({"", "no", "n", "false", "0", "-"})


class RecordedSheet(NamedTuple):
    """What a pairing file records."""

    shown: str
    groups: list[RecordedGroup]
    plain: bool
    """A plain list of keys (no pairctl header): its first row may be a header."""
    unmatched: tuple[str, ...] = ()
    """Keys the file lists as unmatched (pairctl's Unmatched sheet, csv rows, json)."""
    keep_column: bool = False
    """The file has a Keep column (pairctl's xlsx and csv)."""
    odd_out: tuple[str, ...] = ()
    """Keys left out as the odd one (`--odd leave-out`), by the reason the file gives."""


class PairingFile(NamedTuple):
    """A pairing file read once: its bytes, and for a sheet its tables as text rows."""

    shown: str
    suffix: str
    data: bytes
    tables: dict[str, list[list[str]]]
    """xlsx: each sheet asked for that the workbook has (Pairs always); csv: {"Pairs": rows};
    json: empty."""


def read_pairing_file(
    path: Path, max_bytes: int, sheets: Sequence[str] = ("Pairs", "Unmatched")
) -> PairingFile:
    """Read a pairing file (pairctl's xlsx, csv or json, or a plain key CSV) once, for every
    reader of round sheets (history, check, keep, announce, report). Cells are trimmed text."""
    shown, data = read_source(str(path), None, max_bytes)
    suffix = path.suffix.lower()
    tables: dict[str, list[list[str]]] = {}
    if suffix == ".xlsx":
        book = Workbook(str(path), data, shown, budget=max_bytes)
        if "Pairs" not in book.names:
            raise RosterError(f"{shown}: no 'Pairs' sheet: not a pairctl pairing sheet")
        for name in sheets:
            if name in book.names:
                tables[name] = [[cell_text(c).strip() for c in row] for row in book.grid(name).rows]
    elif suffix != ".json":
        text, _ = decode_text(data, shown)
        tables["Pairs"] = [
            [c.strip() for c in row]
            for row in csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
        ]
    return PairingFile(shown, suffix, data, tables)


def recorded_groups(
    path: Path,
    max_bytes: int,
    plain_columns: int = 2,
    *,
    strict: bool = False,
    read: PairingFile | None = None,
) -> RecordedSheet:
    """The groups a pairing file records: pairctl's own sheets (xlsx, csv, json) or a plain
    CSV whose rows hold up to `plain_columns` keys (more are cut off, or with `strict` an
    error naming the row). A Keep cell that says neither yes nor no is an error naming the
    row. `read`: the file already read by `read_pairing_file`."""
    read = read or read_pairing_file(path, max_bytes)
    shown = read.shown
    if read.suffix == ".json":
        try:
            result = json.loads(read.data.decode("utf-8"))
            groups = [
                RecordedGroup([(str(k), "") for k in p["members"]], number)
                for number, p in enumerate(result["pairs"], start=1)
            ]
            unmatched = tuple(str(u["key"]) for u in result.get("unmatched", []))
            odd_out = tuple(
                str(u["key"])
                for u in result.get("unmatched", [])
                if str(u.get("reason", "")).startswith(_ODD_REASON)
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise RosterError(f"{shown}: not a pairctl JSON result ({error})") from None
        except RecursionError:
            raise RosterError(f"{shown}: not a pairctl JSON result (nested too deeply)") from None
        return RecordedSheet(shown, groups, False, unmatched, odd_out=odd_out)
    return _sheet_from_rows(
        shown, read.tables["Pairs"], plain_columns, read.tables.get("Unmatched", []), strict
    )


def _sheet_from_rows(
    shown: str,
    rows: list[list[str]],
    plain_columns: int,
    unmatched_rows: list[list[str]],
    strict: bool,
) -> RecordedSheet:
    if not rows:
        return RecordedSheet(shown, [], True)
    header = rows[0]
    if "A key" in header and "B key" in header:
        columns = [
            (header.index(key), header.index(name) if name in header else None)
            for key, name in _MEMBER_COLUMNS
            if key in header
        ]
        pair_column = header.index("Pair") if "Pair" in header else None
        keep_column = header.index("Keep") if "Keep" in header else None
        notes_column = header.index("Notes") if "Notes" in header else None
        groups = []
        unmatched = []
        odd_out = []
        for number, row in enumerate(rows[1:], start=2):
            members = [(row[k], _cell(row, n)) for k, n in columns if k < len(row) and row[k]]
            if pair_column is not None and _cell(row, pair_column) == "unmatched":
                unmatched += [key for key, _ in members]
                if _cell(row, notes_column).startswith(_ODD_REASON):
                    odd_out += [key for key, _ in members]
                continue
            if members:
                keep = _keep(shown, number, row, keep_column)
                groups.append(RecordedGroup(members, number, keep))
        if unmatched_rows and "Key" in unmatched_rows[0]:
            at = unmatched_rows[0].index("Key")
            why = unmatched_rows[0].index("Reason") if "Reason" in unmatched_rows[0] else None
            for row in unmatched_rows[1:]:
                if _cell(row, at):
                    unmatched.append(_cell(row, at))
                    if _cell(row, why).startswith(_ODD_REASON):
                        odd_out.append(_cell(row, at))
        return RecordedSheet(
            shown, groups, False, tuple(unmatched), keep_column is not None, tuple(odd_out)
        )
    groups = []
    for number, row in enumerate(rows, start=1):
        cells = [c for c in (row if strict else row[:plain_columns]) if c]
        if not cells:
            continue
        if len(cells) > plain_columns:
            raise RosterError(
                f"{shown} row {number}: expected at most {plain_columns} person keys, "
                f"found {len(cells)}"
            )
        groups.append(RecordedGroup([(c, "") for c in cells], number))
    return RecordedSheet(shown, groups, True)


def _keep(shown: str, number: int, row: list[str], column: int | None) -> bool:
    """A Keep cell: yes or no, never a guess."""
    value = _cell(row, column)
    if value.casefold() in KEEP_YES:
        return True
    if value.casefold() in KEEP_NO:
        return False
    raise RosterError(
        f"{shown} row {number}, column 'Keep': {value!r} is neither yes nor no (type yes to "
        "keep the group, or leave it blank)"
    )


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""
