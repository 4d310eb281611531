"""Read a list of person-key pairs (the --avoid file): two columns of keys, header optional."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pairctl.errors import RosterError, where
from pairctl.roster.sources import decode_text, read_source, sniff_delimiter


def read_pair_list(path: str, keys: Sequence[str]) -> list[tuple[int, int, str]]:
    """(index, index, "file row N") for each pair listed; the indices are into `keys`.

    A first row whose cells are not both roster keys is taken as a header. An unknown key,
    a person paired with themself, or a row with one key is an error naming file and row.
    """
    shown, data = read_source(path, None)
    text, _ = decode_text(data, shown)
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))
    index = {k: i for i, k in enumerate(keys)}
    pairs = []
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if number == 1 and not all(c in index for c in cells[:2]):
            continue  # a header such as "Key A,Key B"
        if len(cells) < 2:
            raise RosterError(f"{where(shown, number)}: expected two person keys, found one")
        for cell in cells[:2]:
            if cell not in index:
                raise RosterError(
                    f"{where(shown, number)}: no one on the roster has the key {cell!r}"
                )
        a, b = index[cells[0]], index[cells[1]]
        if a == b:
            raise RosterError(f"{where(shown, number)}: {cells[0]!r} is paired with themself")
        pairs.append((a, b, f"{shown} row {number}"))
    return pairs
