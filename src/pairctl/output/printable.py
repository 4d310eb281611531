"""The one sanitiser for text pairctl prints: error lines, warnings, file names, keys, cells.

Anything printed may come from a hostile roster or file name. A terminal obeys escape
sequences (ESC moves the cursor, OSC 52 writes the clipboard, OSC 0 retitles the window),
a newline in a key forges a second `pairctl: error:` line in a cron mail, and bidi controls
(U+202E and the isolates) make a line read differently from what it holds. None of them
reaches the terminal raw.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, overrides, isolates
# and marks, and the Unicode line and paragraph separators some terminals break lines on.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """Text for a table cell: unsafe characters become U+FFFD; tab and newline stay, since
    a cell may wrap, and a table cell cannot start a line of its own."""
    return _UNSAFE.sub("\ufffd", text)


def message_line(text: str) -> str:
    """Text for a message line (error, warning, file name): unsafe characters shown as
    escapes (`\\x1b`, `\\u202e`), so the user can still find the file, and every run of
    whitespace, newlines included, folded to one space, so one message is one line."""
    escaped = _UNSAFE.sub(_escape, text)
    return " ".join(escaped.split())


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
