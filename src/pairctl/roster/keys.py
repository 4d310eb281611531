"""How person keys compare: emails ignore case, other keys do not.

Mail systems ignore case, so `Ana@X.org` and `ana@x.org` are one person: in the roster's
duplicate check, and in a history file or an avoid list that names them. The rule, in one
place: keys are emails when the key column is the email column or every key holds an `@`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def key_fold(keys: Sequence[str], key_field: str = "") -> Callable[[str], str]:
    """How to compare these keys: case-folded when they are emails, as written otherwise."""
    emails = key_field == "email" or (bool(keys) and all("@" in k for k in keys))
    return str.casefold if emails else str


def sheet_key_lookup(keys: Sequence[str]) -> tuple[dict[str, int], Callable[[str], str]]:
    """`key_lookup` for keys read back from pairctl's own sheets: pairctl's CSV puts a `'`
    before a key that could start a formula (`=E1`, `-E0024`), and that spelling is the same
    person."""
    from pairctl.output.neutralise import safe_cell

    index, fold = key_lookup(keys)
    for i, key in enumerate(keys):
        index.setdefault(fold(safe_cell(key)), i)
    return index, fold


def key_lookup(keys: Sequence[str]) -> tuple[dict[str, int], Callable[[str], str]]:
    """An index from (folded) key to position in `keys`, and the fold to apply to a key read
    elsewhere before looking it up."""
    fold = key_fold(keys)
    return {fold(k): i for i, k in enumerate(keys)}, fold
