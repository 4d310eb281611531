"""Looking a person up by the key another file gives: emails ignore case, other keys do not.

Mail systems ignore case, so a history file or an avoid list that writes `ana@x.org` means the
person the roster keys as `Ana@X.org`. The roster reader's duplicate check applies the same
rule (`people.key_problems`): when every key is an email address, keys compare case-folded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def key_lookup(keys: Sequence[str]) -> tuple[dict[str, int], Callable[[str], str]]:
    """An index from (folded) key to position in `keys`, and the fold to apply to a key read
    elsewhere before looking it up."""
    fold: Callable[[str], str] = str.casefold if keys and all("@" in k for k in keys) else str
    return {fold(k): i for i, k in enumerate(keys)}, fold
