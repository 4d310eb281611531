"""Look-alike spellings as a ready-to-edit piece of pairctl.toml.

Every suggestion is a commented-out line: nothing counts as one until the coordinator removes
the leading `# ` and saves the file. Keys and strings are TOML basic strings, written the way
JSON writes them (`"`, `\\` and control characters escaped), which TOML reads the same, plus
what JSON leaves alone and TOML or an editor would not: DEL and the C1 controls, line and
paragraph separators, bidirectional controls (all escaped), and lone surrogates (replaced).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pairctl.core.spellings import LookAlike

_KINDS = ("skills", "specialties")
# JSON leaves these as they are. TOML forbids DEL; the C1 controls, the Unicode line and
# paragraph separators and the bidirectional controls are legal but some editors break a line
# at them or reorder the text around them, so the coordinator would not see what is saved.
_ALSO_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: `"C# \\"sharp\\""`."""
    # A lone surrogate cannot be written as UTF-8 nor as a TOML escape: show it replaced.
    text = _SURROGATE.sub("\ufffd", text)
    quoted = json.dumps(text, ensure_ascii=False)
    return _ALSO_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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
