"""Look-alike spellings as a ready-to-edit piece of pairctl.toml.

Every suggestion is a commented-out line: nothing counts as one until the coordinator removes
the leading `# ` and saves the file. Keys and strings are TOML basic strings, written the way
JSON writes them (`"`, `\\` and control characters escaped), which TOML reads the same, plus
the two things JSON leaves alone and TOML does not: DEL (U+007F) and lone surrogates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pairctl.core.spellings import LookAlike

_KINDS = ("skills", "specialties")


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: `"C# \\"sharp\\""`."""
    # A lone surrogate cannot be written as UTF-8 nor as a TOML escape: show it replaced.
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def vocabulary_block(found: Sequence[LookAlike], source: str) -> str:
    """The suggestions in `found` as TOML text: a header saying how to use them, then a
    `[vocabulary.skills]` and a `[vocabulary.specialties]` table of commented-out entries
    `# "Name" = ["other spelling", ...]   # who wrote what; why: the rule`."""
    lines = [
        f"# Look-alike spellings in {toml_string(source)[1:-1]}, suggested by pairctl.",
        "# Nothing is merged yet: pairctl counts two spellings as one only once you remove the",
        '# leading "# " from an entry below and save this as pairctl.toml, or copy the entries',
        "# into the same tables of your pairctl.toml (TOML allows each table only once).",
        "# Check each one: spellings that look alike can still be different skills; list those",
        '# under [vocabulary] distinct = [["Scala", "Scale"]] and they are not suggested again.',
    ]
    for kind in _KINDS:
        entries = [_entry(group) for group in found if group.kind == kind]
        lines += ["", f"[vocabulary.{kind}]", *(entries or [f"# (no look-alike {kind} found)"])]
    return "\n".join(lines) + "\n"


def _entry(group: LookAlike) -> str:
    others = ", ".join(toml_string(s.text) for s in group.spellings[1:])
    first, *rest = group.spellings
    wrote = "person wrote" if first.people == 1 else "people wrote"
    counts = ", ".join(
        [
            f"{first.people} {wrote} {toml_string(first.text)}",
            *(f"{s.people} {toml_string(s.text)}" for s in rest),
        ]
    )
    return f"# {toml_string(group.name)} = [{others}]   # {counts}; why: {group.why}"
