"""Bytes in, a grid of cells out: file reading, CSV decoding and sniffing, workbooks via calamine.

Nothing here knows about people or columns; `header` and `people` work on the grid.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, BinaryIO, TypeAlias

from pairctl.errors import RosterError, UsageError

CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})

# Magic numbers: xlsx/xlsm/ods are zip archives, xls (and password-protected xlsx) are OLE files.
_ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_ROWS = 100
_SNIFF_CHARS = 256 * 1024

Cell: TypeAlias = Any
"""A cell as the source gives it: always `str` for CSV; str/int/float/bool/date... for workbooks."""


@dataclass
class Grid:
    """A sheet as rows of cells. Row `i` of `rows` is spreadsheet row `i + 1`."""

    rows: list[list[Cell]]
    typed: bool
    """True when cells may be numbers or dates (workbooks); False when all are str (CSV)."""


def _cp1252_gaps(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; Windows maps them to the same code
    # points as latin-1, so a file Excel wrote decodes the way Excel shows it.
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("pairctl-cp1252-gaps", _cp1252_gaps)


MAX_INPUT_BYTES = 512 * 1024 * 1024
"""The most pairctl reads from one input (roster, list, history sheet), and the most a
workbook may unpack to; `[input] max_mb` in the settings file raises or lowers it."""

_CHUNK = 1024 * 1024


def read_source(
    path: str,
    stdin: BinaryIO | None,
    limit: int = MAX_INPUT_BYTES,
    *,
    too_big: str = "raise [input] max_mb in pairctl.toml if it really is a roster",
    check: Callable[[os.stat_result], None] | None = None,
) -> tuple[str, bytes]:
    """The name to show in messages and the raw bytes of an input file ('-': `stdin`).

    Only regular files are read (a FIFO would block forever, a device never ends, and
    opening some devices acts), and at most `limit` bytes: anything else is a one-line
    RosterError before memory is spent. `too_big` is the advice for a file over `limit`;
    `check`, when given, is called with the status of the file actually opened (and may
    raise), so no swap of the name between a look and the read gets through.
    """
    if path == "-":
        if stdin is None:
            raise UsageError("roster '-' means standard input, but no standard input was given")
        try:
            return "<stdin>", _read_capped(stdin, "<stdin>", limit, too_big)
        except OSError as error:
            raise RosterError(f"<stdin>: cannot read ({error.strerror or error})") from None
    try:
        # Checked before opening, and again on what was opened (the name may be swapped
        # meanwhile); O_NONBLOCK so that even then a FIFO cannot make the open wait.
        _refuse_unless_regular(path, os.stat(path), limit, too_big)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise RosterError(f"{path}: no such file") from None
    except PermissionError:
        raise RosterError(f"{path}: cannot read the file (permission denied)") from None
    except OSError as error:
        raise RosterError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except ValueError as error:  # a NUL or an unencodable character in the path
        raise RosterError(f"{path!r}: not a usable file name ({error})") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        _refuse_unless_regular(path, opened, limit, too_big)
        if check is not None:
            check(opened)
        try:
            return path, _read_capped(handle, path, limit, too_big)
        except OSError as error:
            raise RosterError(f"{path}: cannot read the file ({error.strerror or error})") from None


def _refuse_unless_regular(path: str, info: os.stat_result, limit: int, too_big: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise RosterError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise RosterError(
            f"{path}: not a regular file ({file_kind(info.st_mode)}); "
            "pairctl reads only ordinary files"
        )
    if info.st_size > limit:
        raise RosterError(f"{path}: {_too_big(info.st_size, limit, too_big)}")


def _read_capped(stream: BinaryIO, shown: str, limit: int, too_big: str) -> bytes:
    """At most `limit` bytes of `stream`; a RosterError as soon as there are more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise RosterError(f"{shown}: {_too_big(None, limit, too_big)}")


def _too_big(size: int | None, limit: int, advice: str) -> str:
    found = "larger" if size is None else f"{_amount(size)}, larger"
    return f"the file is {found} than the {_amount(limit)} pairctl reads ({advice})"


def _amount(size: int) -> str:
    # Whole megabytes as such; anything else exactly, so "1 MB, larger than 1 MB" never shows.
    if size % 2**20 == 0 or size >= 100 * 2**20:
        return f"{size / 2**20:,.0f} MB"
    return f"{size:,} bytes"


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in a user's words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def looks_like_workbook(data: bytes) -> bool:
    return data.startswith((_ZIP_MAGIC, OLE_MAGIC))


def is_workbook(path: str, data: bytes) -> tuple[bool, bool]:
    """Whether to read `data` as a workbook, and whether it is one saved under a CSV name.

    A workbook extension decides (so a fake .xls gets an error saying what it really is);
    otherwise the content does, which also catches report.xlsx renamed to report.csv.
    """
    ext = os.path.splitext(path)[1].casefold() if path != "-" else ""
    if ext in WORKBOOK_EXTENSIONS:
        return True, False
    workbook = looks_like_workbook(data)
    return workbook, workbook and ext in CSV_EXTENSIONS


# ---------------------------------------------------------------------------------------------
# CSV


def decode_text(data: bytes, where: str) -> tuple[str, list[str]]:
    """Decode CSV bytes the way the program that wrote them meant; returns text and warnings."""
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = _bomless_utf16(data) or ""
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            # The file announced its encoding, so guessing another would only garble more.
            text = data.decode(encoding, errors="replace")
            warnings.append(
                f"{where}: some bytes are not valid {encoding.upper().removesuffix('-SIG')}; "
                "they were replaced by \ufffd"
            )
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, mixed = _utf8_or_cp1252_by_line(data)
            if mixed:
                warnings.append(
                    f"{where}: mixed text encodings; lines {mixed} were read as Windows-1252 "
                    "(Excel's ANSI CSV) and the rest as UTF-8"
                )
    if "\x00" in text:
        raise RosterError(f"{where}: cannot read as CSV text (it holds NUL bytes: a binary file?)")
    return text, warnings


def _utf8_or_cp1252_by_line(data: bytes) -> tuple[str, str]:
    """Decode line by line: UTF-8 where a line is valid UTF-8, else Windows-1252 (Excel's
    plain "CSV" on Windows). A file pasted together from two sources keeps every name right.
    Returns the text and, when both encodings occur, the Windows-1252 line numbers."""
    lines = data.split(b"\n")
    out: list[str] = []
    ansi: list[int] = []
    utf8 = 0
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            utf8 += any(b > 0x7F for b in line)
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="pairctl-cp1252-gaps"))
            ansi.append(number)
    mixed = ""
    if utf8 and ansi:
        mixed = ", ".join(map(str, ansi[:5])) + (", ..." if len(ansi) > 5 else "")
    return "\n".join(out), mixed


def _bomless_utf16(data: bytes) -> str | None:
    # Some exporters write UTF-16 without a BOM; ASCII-heavy text then has a NUL in every
    # other byte. Only claim it when the pattern is overwhelming.
    sample = data[:4000]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently into more than one field.

    Counting the most common field count (rather than requiring every row to agree) keeps a
    title line above the header, or a name like "Brown, Mia" in a ;-file, from misleading it.
    """
    best = (0, 0, -len(_DELIMITERS))
    choice = ","
    sample = _sniff_sample(text)
    for rank, delimiter in enumerate(_DELIMITERS):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            counts = Counter(len(row) for row in islice(reader, _SNIFF_ROWS) if len(row) > 1)
        except csv.Error:
            continue
        if not counts:
            continue
        width, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (frequency, width, -rank)
        if score > best:
            best, choice = score, delimiter
    return choice


def _last_record(text: str, lines_before: int) -> str:
    """The raw text after the first `lines_before` lines, counted as the CSV reader counts
    them (a lone CR ends a line too)."""
    lines = io.StringIO(text, newline="")
    for _ in islice(lines, lines_before):
        pass
    return lines.read()


def _sniff_sample(text: str) -> str:
    """The start of `text` the sniffer reads: whole lines up to 256 KiB, so a huge file is not
    copied once per candidate delimiter."""
    if len(text) <= _SNIFF_CHARS:
        return text
    cut = text.rfind("\n", 0, _SNIFF_CHARS)
    return text[: cut + 1] if cut > 0 else text[:_SNIFF_CHARS]


# The csv module refuses cells over 128 KiB; a pasted CV in a skills cell is legitimate.
csv.field_size_limit(64 * 1024 * 1024)


def csv_grid(data: bytes, where: str) -> tuple[Grid, list[str]]:
    """Parse CSV bytes into rows of text. Blank lines stay as empty rows so numbering holds.

    A stray quote mark makes a CSV reader take everything up to the next quote (or the end of
    the file) as one cell, and the rows inside it silently vanish; that is refused here.
    """
    text, warnings = decode_text(data, where)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as error:
        # The failing record is the next one; its number is what the user sees in Excel.
        raise RosterError(f"{where}, row {len(rows) + 1}: cannot parse CSV ({error})") from None
    _refuse_swallowed_rows(rows, lines, text, delimiter, where)
    return Grid(rows, typed=False), warnings


def _refuse_swallowed_rows(
    rows: list[list[Cell]], lines: list[int], text: str, delimiter: str, where: str
) -> None:
    """A RosterError when a quote mark opened a cell that swallowed whole rows.

    Two signs, both cheap: a last record spanning several lines with an odd number of quote
    marks (a cell that never closed: CSV doubles quotes inside a cell), or a cell spanning lines
    of which one holds about a whole row's worth of delimiters. A real multi-line cell (an
    address, a bulleted skills list) has line breaks but not a row's worth of separators.
    """
    before = lines[-2] if len(lines) >= 2 else 0
    if lines and lines[-1] - before > 1 and _last_record(text, before).count('"') % 2:
        raise RosterError(
            f'{where}, row {len(rows)}: a quote mark (") opens a cell that never closes, so '
            "every line after it is read as one cell; remove the stray quote or close it"
        )
    widths = Counter(len(row) for row in rows if len(row) > 1)
    if not widths:
        return
    width = widths.most_common(1)[0][0]
    enough = max(2, width - 1)
    previous = 0
    for index, (row, last_line) in enumerate(zip(rows, lines, strict=True)):
        spanned = last_line - previous
        previous = last_line
        if spanned <= 1:
            continue
        for cell in row:
            inner = cell.split("\n")
            if len(inner) > 1 and any(part.count(delimiter) >= enough for part in inner):
                raise RosterError(
                    f'{where}, row {index + 1}: a quote mark (") opens a cell that runs over '
                    f"{len(inner)} lines holding whole rows; remove the stray quote or close it"
                )


def shorten(text: str, limit: int = 120) -> str:
    """`text` on one line (runs of whitespace become one space), cut to `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def cell_text(value: Cell) -> str:
    """A workbook cell as a person reads it on screen: 1.0 -> '1', dates in ISO, TRUE/FALSE."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # 15 significant digits is what Excel shows; it hides binary noise like 0.1+0.2.
        return format(value, ".15g") if math.isfinite(value) else ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def row_is_blank(row: Sequence[Cell], typed: bool) -> bool:
    """True when every cell is empty or whitespace (Excel leaves such rows at the end)."""
    if not typed:
        return not "".join(row).strip()
    return not any(c.strip() if type(c) is str else c is not None for c in row)


def lone_cell(row: Sequence[Cell]) -> int | None:
    """The index of the only non-blank cell of a row that is not blank, or None when it has
    more than one (the scan stops at the second, so a full row costs two cells)."""
    found = None
    for j, c in enumerate(row):
        if c.strip() if type(c) is str else c is not None:
            if found is not None:
                return None
            found = j
    return found
