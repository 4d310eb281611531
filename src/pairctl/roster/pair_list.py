"""Read a list of person-key pairs (the --avoid file): two columns of keys, header optional."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from pairctl.errors import RosterError, where
from pairctl.roster.keys import key_lookup
from pairctl.roster.sources import MAX_INPUT_BYTES, decode_text, read_source, sniff_delimiter


def read_pair_list(
    path: str, keys: Sequence[str], max_bytes: int = MAX_INPUT_BYTES
) -> list[tuple[int, int, str]]:
    """(index, index, "file row N") for each pair listed (the --avoid file); the indices are
    into `keys`. See `read_key_groups` for the format and the errors."""
    return [(group[0], group[1], place) for group, place in read_key_groups(path, keys, max_bytes)]


def read_key_groups(
    path: str, keys: Sequence[str], max_bytes: int = MAX_INPUT_BYTES, most: int = 2
) -> list[tuple[tuple[int, ...], str]]:
    """(indices, "file row N") for each row of two (up to `most`) person keys.

    A first row with no roster key in its first two cells is taken as a header when more rows
    follow (a file of one row is always a pair). An unknown key, a person listed twice in one
    row, or a row with one key is an error naming file and row.
    """
    shown, data = read_source(path, None, max_bytes)
    text, _ = decode_text(data, shown)
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))
    index, fold = key_lookup(keys)
    groups = []
    for number, row in enumerate(rows, start=1):
        raw = [c.strip() for c in row if c.strip()]
        if len(raw) > most:
            raise RosterError(
                f"{where(shown, number)}: expected {'two or three' if most == 3 else 'two'} "
                f"person keys, found {len(raw)}"
            )
        cells = [fold(c) for c in raw]
        if not cells:
            continue
        if number == 1 and not any(c in index for c in cells[:2]) and _more_rows(rows):
            # A header such as "Key A,Key B". A file of one row is a pair, never a header:
            # skipping a mistyped single pair would drop a safety rule without a word.
            continue
        if len(cells) < 2:
            raise RosterError(f"{where(shown, number)}: expected two person keys, found one")
        for cell, typed in zip(cells, raw, strict=True):
            if cell not in index:
                raise RosterError(
                    f"{where(shown, number)}: no one on the roster has the key {typed!r}"
                )
        members = tuple(index[c] for c in cells)
        if len(set(members)) < len(members):
            twice = next(typed for typed, c in zip(raw, cells, strict=True) if cells.count(c) > 1)
            raise RosterError(f"{where(shown, number)}: {twice!r} is paired with themself")
        groups.append((members, f"{shown} row {number}"))
    return groups


def _more_rows(rows: list[list[str]]) -> bool:
    return any(c.strip() for row in rows[1:] for c in row)


def check_pins(
    pins: Sequence[tuple[tuple[int, ...], str]],
    forbidden: Callable[[int, int], str],
    keys: Sequence[str],
) -> list[tuple[int, ...]]:
    """The pinned groups (pairs or trios) as indices, or a RosterError for a contradiction: a
    person pinned twice, or a pin that a rule forbids (`forbidden(a, b)`: why, or '')."""
    seen: dict[int, str] = {}
    groups = []
    for members, place in pins:
        for person in members:
            if person in seen:
                raise RosterError(
                    f"{place}: {keys[person]!r} is pinned twice (also at {seen[person]})"
                )
            seen[person] = place
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                why = forbidden(a, b)
                if why:
                    raise RosterError(
                        f"{place}: the pin {keys[a]!r} + {keys[b]!r} contradicts a rule: {why}"
                    )
        groups.append(tuple(members))
    return groups
