"""Checks on a workbook's bytes before calamine parses them, so a small file cannot make it
allocate gigabytes.

calamine (through python-calamine) turns a sheet into one dense block of cells from A1 to the
farthest cell holding a value, copies a shared string into every cell that uses it, and aborts
the whole process when an allocation fails. So a few kilobytes can ask for hundreds of
gigabytes: one value at XFD1048576, a deflated part that unpacks to gigabytes of whitespace,
sixty million empty shared strings, one long shared string used by many cells.

Checked here, in this process, without calamine:

* every zip workbook (xlsx, xlsm, ods, xlsb): at most `MAX_PARTS` parts; each part's declared
  size, and their sum, within the budget; then the parts inflated `_STEP` bytes at a time
  (never whole), counting the bytes they really unpack to, since declared sizes can lie;
* xlsx and xlsm worksheets: the block calamine allocates, highest row x highest column over
  the cells that can hold a value, at most `MAX_CELLS`; cell records (an address can repeat)
  and merged ranges at most `MAX_CELLS` too;
* xlsx shared strings: at most `MAX_STRINGS`, and so the `uniqueCount` calamine reserves room
  for; the text each sheet's cells take from them, every use counted, within the budget;
* the workbook, styles and relationship parts: at most `MAX_TAGS` elements each.

The worksheet and shared-string checks scan the raw XML with numpy instead of an XML parser,
which keeps them a small fraction of calamine's own read time. They accept the shape the
common writers produce (Excel, LibreOffice, gnumeric, openpyxl): each cell tag opens with
`<c r="A1"`, attribute values are double-quoted, shared strings come without comments, CDATA
or nesting. A worksheet is first counted quickly: every cell tag, self-closing or not, and
every `t="s"` times the longest shared string, which needs no tag ends, only that each `r` and
`t` attribute sits where a plain cell or row tag puts it. Only a sheet over a limit by that
count is counted again exactly (tag ends found, empty cells skipped, each string use summed).
A sheet or string table in any other shape (cells placed by order with no `r`, namespace
prefixes, single quotes, pretty-printed values...) is not guessed at: `check_workbook`
answers that the workbook must first be read once in the isolated, memory-limited child
process (`workbook.py`), where a bomb kills only the child.

ODS and xlsb go to the child as well, after the size checks. calamine's ODS reader expands
`table:number-columns-repeated`, `table:number-rows-repeated` and `text:s` counts, copying the
cell each time. LibreOffice writes huge repeats of empty cells, which calamine handles, so only
a replay of that reader could tell them from a repeated value far out; the child does the
replay with calamine itself. Old .xls files always go to the child.

Not counted, on purpose: the `<dimension ref>` (calamine only uses it to reserve room below
100,000 cells, so a stale one costs nothing), empty rows, and self-closing cells such as
`<c r="Z9" s="1"/>` (formatting only; calamine skips them).
"""

from __future__ import annotations

import functools
import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from pairctl.errors import RosterError
from pairctl.roster.sources import MAX_INPUT_BYTES, OLE_MAGIC

MAX_CELLS = 10_000_000
"""The largest sheet block pairctl lets calamine allocate, e.g. 200,000 rows x 50 columns:
a sheet that size takes under 0.5 GB through a whole `pairctl match`, a 100,000-row roster
with 100 columns still fits, and one value at XFD8000 (131 million cells) does not."""

MAX_STRINGS = 10_000_000
"""The most shared strings a workbook may hold; calamine keeps them all for the whole read."""

MAX_PARTS = 10_000
"""The most parts a zip workbook may hold; a real one has a few dozen."""

MAX_TAGS = 2_000_000
"""The most elements in a workbook, styles or relationship part, which calamine keeps in
memory whole; Excel itself stops at 64,000 cell formats."""

_STEP = 4 * 1024 * 1024  # inflated bytes handed to the scanners at a time
_FEED = 256 * 1024  # compressed bytes given to zlib at a time
_LOOKAHEAD = 64  # bytes past a piece's cut a cell's scan may read (its <v> value)
_LONGEST_TAG = 1024 * 1024  # a tag still open after this many bytes is scanned as it is
_NAME_SAMPLE = 8 * 1024 * 1024  # the most read of the workbook part to name a sheet

_LT, _GT, _QUOTE, _APOSTROPHE, _SLASH, _EQUALS = b"<>\"'/="

# quick-xml ends a tag name at whitespace, '/' or '>'; attribute keys are split on the
# whitespace Rust's is_ascii_whitespace knows.
_NAME_END = np.zeros(256, dtype=bool)
_NAME_END[list(b" \t\r\n/>")] = True
_SPACE = np.zeros(256, dtype=bool)
_SPACE[list(b" \t\r\n\x0c")] = True
_KEY_END = _SPACE.copy()
_KEY_END[_EQUALS] = True
_ADDRESS = np.frombuffer(b' r="', dtype=np.uint8)
_ROW = np.frombuffer(b"row", dtype=np.uint8)
_MERGE_CELL = np.frombuffer(b"mergeCell", dtype=np.uint8)


class _Unchecked(Exception):
    """The part is not in a shape the checks here understand; the child must read it."""


class _Recount(Exception):
    """A worksheet's quick upper bounds are over a limit: count it again, exactly."""


def check_workbook(data: bytes, where: str, *, budget: int = MAX_INPUT_BYTES) -> bool:
    """Refuse, with a one-line RosterError, a workbook whose reading would blow up memory.

    `budget` is the most, in bytes, the workbook may unpack to, and the most text one sheet's
    cells may hold. Returns True when the workbook must still be read once in the isolated
    child process (old .xls, ods, xlsb, or an xlsx in a shape not checked here), False when
    the checks here cover it or it is no workbook at all (calamine then says what it is).
    """
    if data.startswith(OLE_MAGIC):
        return True
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        _refuse(where, f"it holds more than {MAX_PARTS:,} parts; save the roster as CSV")
    archive = _open_archive(data)
    if archive is None:
        # Python's zip reader gave up; calamine's may not, so a look-alike goes to the child.
        return b"PK\x05\x06" in data or b"PK\x06\x06" in data
    with archive:
        members = archive.infolist()
        _check_declared_sizes(members, where, budget)
        book = _Book(data, archive, members, _Counter(where, budget))
        if book.is_ods_or_xlsb():
            book.inflate_all()
            return True
        try:
            book.check_xlsx()
        except _Unchecked:
            return True
    return False


def _refuse(where: str, reason: str) -> None:
    raise RosterError(f"{where}: cannot read workbook ({reason})")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _refuse_unpacked(where: str, budget: int, name: str | None, size: int, *, lied: bool) -> None:
    if lied:
        part = f"part {name!r}" if name else "a part"
        detail = f"{part} unpacks to more than the archive says"
    elif size > budget:
        detail = f"part {name!r} alone is {_mb(size)}"
    else:
        detail = "its parts add up to more"
    _refuse(
        where,
        f"it unpacks to more than the {_mb(budget)} pairctl reads: {detail}; save the roster "
        "as CSV, or raise [input] max_mb in pairctl.toml if it really is a roster",
    )


# --- the archive -----------------------------------------------------------------------------


def _open_archive(data: bytes) -> zipfile.ZipFile | None:
    """The zip archive in `data`, or None if it is not one Python reads unambiguously."""
    if data.count(b"PK\x05\x06") > 1:
        # Two end records: Python's zip reader and calamine's could each pick another one.
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        # A damaged archive makes zipfile raise nearly anything (BadZipFile, struct.error,
        # ValueError, OverflowError...); it means the same every time.
        return None


def _normal_name(name: str) -> str:
    """A part name spelt the way calamine looks it up: '/' separators, ASCII case folded."""
    return "".join(c.lower() if c.isascii() else c for c in name.replace("\\", "/"))


def _check_declared_sizes(members: list[zipfile.ZipInfo], where: str, budget: int) -> None:
    total = 0
    for member in members:
        total += member.file_size
        if total > budget:
            _refuse_unpacked(where, budget, member.filename, member.file_size, lied=False)


@dataclass
class _Counter:
    """Bytes inflated so far, across all parts, against the budget."""

    where: str
    budget: int
    total: int = 0

    def count(self, member: zipfile.ZipInfo, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Pass `chunks` through, refusing as soon as the archive unpacks past the budget."""
        size = 0
        for chunk in chunks:
            size += len(chunk)
            self.total += len(chunk)
            if self.total > self.budget:
                # The declared sizes fit the budget, so some part holds more than it says.
                name = member.filename if size > member.file_size else None
                _refuse_unpacked(self.where, self.budget, name, size, lied=True)
            yield chunk


def _inflated(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The bytes of `member`, at most `_STEP` at a time, whatever size it states."""
    if member.flag_bits & 0x1:
        raise _Unchecked  # an encrypted part
    start = _data_offset(data, member)
    raw = memoryview(data)[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(raw), _STEP):
            yield bytes(raw[at : at + _STEP])
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        try:
            yield from _inflate(raw)
        except zlib.error:
            raise _Unchecked from None
    else:
        raise _Unchecked  # calamine's zip reader knows only stored and deflated parts


def _inflate(raw: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    fed = 0
    while not inflater.eof:
        feed: bytes | memoryview = inflater.unconsumed_tail
        if not feed and fed < len(raw):
            feed = raw[fed : fed + _FEED]
            fed += len(feed)
        # max_length bounds each call's output, so no bomb ever sits in memory whole.
        out = inflater.decompress(feed, _STEP)
        if out:
            yield out
        elif not feed:
            return  # a truncated stream: calamine reports it when it reads the part


def _data_offset(data: bytes, member: zipfile.ZipInfo) -> int:
    header = data[member.header_offset : member.header_offset + 30]
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        raise _Unchecked
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    return member.header_offset + 30 + name_length + extra_length


@dataclass
class _Book:
    """One zip workbook being checked part by part."""

    data: bytes
    archive: zipfile.ZipFile
    members: list[zipfile.ZipInfo]
    counter: _Counter
    names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = [_normal_name(m.filename) for m in self.members]

    def is_ods_or_xlsb(self) -> bool:
        """Whether calamine could read this archive as ODS or xlsb (checked in the child)."""
        return any(
            n == "mimetype" or n.endswith(("workbook.bin", "workbook.bin.rels")) for n in self.names
        )

    def inflate_all(self) -> None:
        """Inflate every part, only counting its bytes."""
        for member in self.members:
            try:
                for _ in self.inflated(member):
                    pass
            except _Unchecked:
                continue  # calamine cannot inflate it either, and says so if it tries

    def inflated(self, member: zipfile.ZipInfo) -> Iterator[bytes]:
        """The inflated bytes of `member`, counted against the budget."""
        return self.counter.count(member, _inflated(self.data, member))

    def check_xlsx(self) -> None:
        """Check every part as the xlsx reader would read it; _Unchecked for the child."""
        pairs = list(zip(self.members, self.names, strict=True))
        tables = [m for m, n in pairs if n.endswith("sharedstrings.xml")]
        # Which table calamine uses depends on the workbook's own path: with two, ask the child.
        table = tables[0] if len(tables) == 1 else None
        unchecked = len(tables) > 1
        lengths = np.zeros(0, dtype=np.int64)
        try:
            if table is not None:
                lengths = self.string_lengths(table)
        except _Unchecked:
            unchecked = True
        for member, name in pairs:
            if member is table:
                continue
            try:
                # Any part may be a worksheet: the relationships decide, and they can lie.
                tags = self.check_sheet(member, lengths)
            except _Unchecked:
                # Check the other parts anyway: refusing here says more than the child can.
                unchecked = True
                continue
            if tags > MAX_TAGS and name.endswith(("workbook.xml", "styles.xml", ".rels")):
                _refuse(
                    self.counter.where,
                    f"part {member.filename!r} holds more than {MAX_TAGS:,} elements; "
                    "save the roster as CSV",
                )
        if unchecked:
            raise _Unchecked

    def string_lengths(self, member: zipfile.ZipInfo) -> np.ndarray:
        """For each shared string, in calamine's order, an upper bound of its UTF-8 length."""
        table = _StringTable(self.counter.where)
        for piece in _pieces(self.inflated(member)):
            if b"sheetData" in piece.raw:
                raise _Unchecked  # a string table that is a worksheet too
            table.scan(piece)
        return table.finish()

    def check_sheet(self, member: zipfile.ZipInfo, lengths: np.ndarray) -> int:
        """Refuse a worksheet part whose cells would blow up; returns how many tags it has.
        Parts that are no worksheet pass unharmed."""
        counted = self.counter.total
        try:
            return self.scan_sheet(member, lengths, exact=False)
        except _Recount:
            # The quick bounds are over a limit; only an exact count can tell. It inflates
            # the part again, so its bytes must not count twice against the budget.
            self.counter.total = counted
            return self.scan_sheet(member, lengths, exact=True)

    def scan_sheet(self, member: zipfile.ZipInfo, lengths: np.ndarray, *, exact: bool) -> int:
        sheet = _Sheet(self.counter, lengths, lambda: self.sheet_name(member), exact=exact)
        shape_error: _Unchecked | None = None
        for piece in _pieces(self.inflated(member)):
            sheet.tags += int(piece.tags().size)
            sheet.is_sheet = sheet.is_sheet or b"sheetData" in piece.raw
            if shape_error is None:
                try:
                    sheet.scan(piece)
                except _Unchecked as error:
                    shape_error = error  # keep inflating: the budget still counts
        # calamine reads cells only after a <sheetData>; without one, stray bytes are harmless.
        if shape_error is not None and sheet.is_sheet:
            raise shape_error
        return sheet.tags

    def sheet_name(self, member: zipfile.ZipInfo) -> str:
        """How messages name the worksheet in `member`: its sheet name, else its part name."""
        try:
            name = _sheet_names(self.archive, self.members).get(_normal_name(member.filename))
        except Exception:
            # Naming is for the message only; a workbook too broken to name is named by path.
            name = None
        return f"sheet {name!r}" if name else f"part {member.filename!r}"


# --- pieces of XML ---------------------------------------------------------------------------


@dataclass
class _Piece:
    """Inflated XML and numpy's view of it. The tags opening before `cut` belong to this
    piece; the bytes after it are only look-ahead. `base` is where `raw` starts in the part."""

    raw: bytes
    cut: int
    base: int
    array: np.ndarray
    lt: np.ndarray

    @functools.cached_property
    def gt(self) -> np.ndarray:
        """Positions of every '>'."""
        return np.flatnonzero(self.array[: len(self.raw)] == _GT)

    def tags(self) -> np.ndarray:
        """Positions of the '<' opening tags that belong to this piece."""
        return self.lt[: int(self.lt.searchsorted(self.cut))]

    @functools.cached_property
    def alternating(self) -> bool:
        """Whether '<' and '>' take turns through this piece's tags, so that tag i ends at
        the i-th '>' (what every writer produces; text may hold a bare '>', tags may not)."""
        k = int(self.lt.searchsorted(self.cut))
        lt, gt = self.lt, self.gt
        if gt.size < k:
            return False
        return bool(
            (lt[:k] < gt[:k]).all()
            and (gt[: k - 1] < lt[1:k]).all()
            and (k == lt.size or k == 0 or gt[k - 1] < lt[k])
        )

    def tag_ends(self, index: np.ndarray) -> np.ndarray:
        """The '>' closing the tags `self.lt[index]`, where quick-xml (calamine's parser)
        closes them too; _Unchecked if a tag holds anything that could move its end."""
        starts = self.lt[index]
        ends = self.gt[index] if self.alternating else self.first_ends(starts)
        # With no '<' inside, an even number of double quotes and no single quote before it,
        # the first '>' is outside any quoted value, so quick-xml ends the tag there too.
        quotes = self.inside(_QUOTE, starts, ends)
        if (np.bincount(quotes, minlength=starts.size) % 2).any():
            raise _Unchecked
        if b"'" in self.raw and self.inside(_APOSTROPHE, starts, ends).size:
            raise _Unchecked
        return ends

    def first_ends(self, starts: np.ndarray) -> np.ndarray:
        """The first '>' after each start; _Unchecked if another '<' comes before it."""
        found = self.gt.searchsorted(starts)
        if (found >= self.gt.size).any():
            raise _Unchecked
        ends = self.gt[found]
        following = self.lt.searchsorted(starts, side="right")
        last = self.lt.size - 1
        next_lt = np.where(following <= last, self.lt[np.minimum(following, last)], len(self.raw))
        if (ends > next_lt).any():
            raise _Unchecked
        return ends

    def inside(self, byte: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """For each `byte` inside one of the tags from `starts` to `ends`, which tag."""
        at = np.flatnonzero(self.array[: len(self.raw)] == byte)
        tag = starts.searchsorted(at, side="right") - 1
        held = (tag >= 0) & (at < ends[np.maximum(tag, 0)])
        return tag[held]

    def keys(self, letter: int) -> np.ndarray:
        """Positions of what may be a one-letter attribute key (`r`, `t`): the letter between
        whitespace and '=' or more whitespace."""
        if self.spaced_equals:
            at = np.flatnonzero(self.array[: len(self.raw)] == letter)
        else:
            # Every '=' follows its key at once here, so only the bytes before one can be keys.
            at = self.equals - 1
            at = at[self.array[at] == letter]
        at = at[at > 0]
        found: np.ndarray = at[_SPACE[self.array[at - 1]] & _KEY_END[self.array[at + 1]]]
        return found

    @functools.cached_property
    def equals(self) -> np.ndarray:
        """Positions of every '='."""
        return np.flatnonzero(self.array[: len(self.raw)] == _EQUALS)

    @functools.cached_property
    def spaced_equals(self) -> bool:
        """Whether some '=' has whitespace before it (`r ="A1"`, or just text)."""
        return bool(self.equals.size and _SPACE[self.array[self.equals - 1]].any())

    def byte_at(self, starts: np.ndarray, offset: int) -> np.ndarray:
        """The byte at `offset` from each start."""
        found: np.ndarray = self.array[starts + offset]
        return found

    def bytes_at(self, starts: np.ndarray, offset: int, width: int) -> np.ndarray:
        """The `width` bytes at `offset` from each start, one row per start."""
        # A sliding view gathers whole rows, with no index matrix to build.
        found: np.ndarray = np.lib.stride_tricks.sliding_window_view(self.array, width)[
            starts + offset
        ]
        return found


def _pieces(chunks: Iterable[bytes]) -> Iterator[_Piece]:
    """Cut inflated XML into pieces that split no tag, each with `_LOOKAHEAD` bytes beyond."""
    carry = b""
    base = 0
    for chunk in chunks:
        raw = carry + chunk if carry else chunk
        cut = _cut(raw)
        if cut:
            yield _piece(raw, cut, base)
            carry, base = raw[cut:], base + cut
        else:
            carry = raw
    if carry:
        yield _piece(carry, len(carry), base)


def _cut(raw: bytes) -> int:
    """Where to end a piece of `raw`: at its last '<' that leaves enough look-ahead, or inside
    text when there is none; 0 to wait for more bytes."""
    limit = len(raw) - _LOOKAHEAD
    if limit <= 0:
        return 0
    last = raw.rfind(b"<", 1, limit + 1)
    if last != -1:
        return last
    if not raw.startswith(b"<"):
        return limit
    end = raw.find(b">")
    if (end != -1 and end < limit) or len(raw) > _LONGEST_TAG:
        return limit
    return 0


def _piece(raw: bytes, cut: int, base: int) -> _Piece:
    # Zero padding keeps every look-ahead gather inside the array.
    array = np.frombuffer(raw + bytes(_LOOKAHEAD), dtype=np.uint8)
    return _Piece(raw, cut, base, array, np.flatnonzero(array[: len(raw)] == _LT))


def _prefixed(raw: bytes, names: bytes) -> bool:
    """Whether `raw` has a tag named `prefix:name` for one of `names` ('|'-separated)."""
    # The first search has a literal start, so it is fast; the second confirms a tag.
    local = rb":(?:" + names + rb")[\s/>]"
    return bool(re.search(local, raw) and re.search(rb"<[^\s<>/!?]*" + local, raw))


def _numbers(digits: np.ndarray, longest: int) -> tuple[np.ndarray, np.ndarray]:
    """The decimal numbers each row of `digits` starts with, and how many digits each has
    (up to `longest + 1`, so a longer number shows)."""
    is_digit = (digits >= ord("0")) & (digits <= ord("9"))
    count = is_digit[:, : longest + 1].cumprod(axis=1).sum(axis=1)
    value = np.zeros(len(digits), dtype=np.int64)
    for k in range(longest):
        value = np.where(k < count, value * 10 + digits[:, k].astype(np.int64) - ord("0"), value)
    return value, count


# --- worksheets ------------------------------------------------------------------------------


@dataclass
class _Far:
    """The farthest value cell in one direction so far, and its address as written."""

    at: int = 0
    ref: str = ""

    def update(self, values: np.ndarray, refs: Callable[[int], str]) -> None:
        if values.size and int(values.max()) > self.at:
            i = int(values.argmax())
            self.at, self.ref = int(values[i]), refs(i)


@dataclass
class _Sheet:
    """What calamine will allocate for one worksheet part, summed piece by piece.

    The quick count (`exact=False`) counts every cell, self-closing or not, and bounds the
    shared text by the longest string; it needs no tag ends, only that every `r` and `t`
    attribute in the part is where a plain cell or row tag puts it. The exact count finds
    each tag's end, skips cells without a value and sums each shared string used.
    """

    counter: _Counter
    lengths: np.ndarray
    name: Callable[[], str]
    exact: bool
    is_sheet: bool = False
    tags: int = 0
    cells: int = 0
    merges: int = 0
    text: int = 0
    row: _Far = field(default_factory=_Far)
    column: _Far = field(default_factory=_Far)

    def scan(self, piece: _Piece) -> None:
        """Add one piece's cells; refuse as soon as the sheet is past a limit."""
        if _prefixed(piece.raw, rb"c|mergeCell"):
            raise _Unchecked  # a namespace-prefixed cell, which calamine reads too
        tags = piece.tags()
        first = piece.byte_at(tags, 1)
        merges = tags[first == ord("m")]
        merges = piece.bytes_at(merges, 1, 10)
        self.merges += int(
            ((merges[:, :9] == _MERGE_CELL).all(axis=1) & _NAME_END[merges[:, 9]]).sum()
        )
        cells = np.flatnonzero(first == ord("c"))
        cells = cells[_NAME_END[piece.byte_at(tags[cells], 2)]]
        if self.exact:
            self.scan_exactly(piece, cells)
        else:
            # Also for a piece with no cell: a cell's second `r` can sit in the next piece.
            self.scan_quickly(piece, tags[first == ord("r")], tags[cells])
        self.check()

    def scan_quickly(self, piece: _Piece, r_tags: np.ndarray, cells: np.ndarray) -> None:
        # Every `r` key must be a cell's or a row's own: then no cell has a second one.
        names = piece.bytes_at(r_tags, 1, 7)
        addressed_rows = (names[:, :3] == _ROW).all(axis=1) & _NAME_END[names[:, 3]]
        addressed_rows &= (names[:, 3:] == _ADDRESS).all(axis=1)
        keys = piece.keys(ord("r"))
        if keys[keys < piece.cut].size != cells.size + int(addressed_rows.sum()):
            raise _Unchecked
        # Every `t` key written `t="`: then each `t="s"` is in sight, and none is hidden.
        keys = piece.keys(ord("t"))
        types = piece.bytes_at(keys[keys < piece.cut], 1, 4)
        if not ((types[:, 0] == _EQUALS) & (types[:, 1] == _QUOTE)).all():
            raise _Unchecked
        shared = int(((types[:, 2] == ord("s")) & (types[:, 3] == _QUOTE)).sum())
        self.text += shared * (int(self.lengths.max()) if self.lengths.size else 0)
        if cells.size:
            self.cells += int(cells.size)
            self.note_far(piece, cells, *_cell_addresses(piece, cells))

    def scan_exactly(self, piece: _Piece, index: np.ndarray) -> None:
        if not index.size:
            return
        cells = piece.tags()[index]
        columns, rows, address_end = _cell_addresses(piece, cells)
        ends = piece.tag_ends(index)
        _refuse_second_address(piece, address_end, ends)
        shared = _shared_string_cells(piece, address_end, ends)
        # A self-closing cell holds no value: calamine skips it, and so does its block.
        value = piece.array[ends - 1] != _SLASH
        self.cells += int(value.sum())
        self.note_far(piece, cells[value], columns[value], rows[value], address_end[value])
        self.text += _shared_text(piece, ends[value & shared], self.lengths)

    def note_far(
        self,
        piece: _Piece,
        cells: np.ndarray,
        columns: np.ndarray,
        rows: np.ndarray,
        address_end: np.ndarray,
    ) -> None:
        def address(i: int) -> str:
            return piece.raw[cells[i] + len(b'<c r="') : address_end[i]].decode("ascii")

        self.row.update(rows, address)
        self.column.update(columns, address)

    def check(self) -> None:
        over = (
            self.row.at * self.column.at > MAX_CELLS
            or self.cells > MAX_CELLS
            or self.text > self.counter.budget
        )
        if over and not self.exact:
            raise _Recount
        self.refuse_block()
        where = self.counter.where
        if self.cells > MAX_CELLS or self.merges > MAX_CELLS:
            what = "cells" if self.cells > MAX_CELLS else "merged ranges"
            _refuse(
                where,
                f"{self.name()} holds more than {MAX_CELLS:,} {what}; save the roster as CSV",
            )
        if self.text > self.counter.budget:
            _refuse(
                where,
                f"the cells of {self.name()} repeat shared text adding up to more than the "
                f"{_mb(self.counter.budget)} pairctl reads; save the roster as CSV",
            )

    def refuse_block(self) -> None:
        if self.row.at * self.column.at <= MAX_CELLS:
            return
        if self.row.ref == self.column.ref:
            far = f"a cell at {self.row.ref} stretches"
        else:
            far = f"cells at {self.column.ref} and {self.row.ref} stretch"
        _refuse(
            self.counter.where,
            f"{far} {self.name()} to {self.column.at:,} columns x {self.row.at:,} rows, more "
            f"than the {MAX_CELLS:,} cells pairctl reads; delete what is beyond the roster or "
            "save it as CSV",
        )


def _cell_addresses(piece: _Piece, cells: np.ndarray) -> tuple[np.ndarray, ...]:
    """Column and row (1-based) of each cell tag in `cells`, and where its address ends;
    _Unchecked unless each opens `<c r="`, then 1-3 capitals, 1-7 digits and a quote."""
    window = piece.bytes_at(cells, len(b"<c"), len(b' r="') + 3 + 7 + 1)
    if not (window[:, :4].view(np.uint32) == _ADDRESS.view(np.uint32)).all():
        raise _Unchecked  # a cell placed by order, or with its address not first
    window = window[:, 4:]
    capital = (window[:, :4] - ord("A")) < 26  # uint8 arithmetic wraps below 'A'
    run = capital[:, 0].copy()
    letters = run.astype(np.int64)
    for k in range(1, 4):
        run &= capital[:, k]
        letters += run
    quote = (window == _QUOTE).argmax(axis=1)
    shape = letters * 16 + quote
    columns = np.zeros(cells.size, dtype=np.int64)
    rows = np.zeros(cells.size, dtype=np.int64)
    # Writers use a handful of address shapes (A1, AB123...): decode each shape at once.
    for kind in np.flatnonzero(np.bincount(shape)):
        count, end = divmod(int(kind), 16)
        chosen = shape == kind
        part = window if chosen.all() else window[chosen]
        digits = part[:, count:end] - ord("0")
        if not (1 <= count <= 3 and 1 <= end - count <= 7) or (digits >= 10).any():
            raise _Unchecked
        if (part[:, end] != _QUOTE).any():
            raise _Unchecked
        columns[chosen] = _horner(part[:, :count] - (ord("A") - 1), 26)
        rows[chosen] = _horner(digits, 10)
    if (rows == 0).any():
        raise _Unchecked  # calamine rejects row 0
    return columns, rows, cells + len(b'<c r="') + quote


def _horner(digits: np.ndarray, base: int) -> np.ndarray:
    value = np.zeros(len(digits), dtype=np.int64)
    for k in range(digits.shape[1]):
        value *= base
        value += digits[:, k]
    return value


def _refuse_second_address(piece: _Piece, address_end: np.ndarray, ends: np.ndarray) -> None:
    """_Unchecked for a cell with a second `r` attribute: calamine would keep the last."""
    keys = piece.keys(ord("r"))
    if (keys.searchsorted(ends) - keys.searchsorted(address_end)).any():
        raise _Unchecked


def _shared_string_cells(piece: _Piece, address_end: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which cells are shared-string cells (`t="s"`); _Unchecked for a second `t` attribute
    (calamine would keep the last) or a `t` not written `t="..."`."""
    keys = piece.keys(ord("t"))
    first = keys.searchsorted(address_end)
    count = keys.searchsorted(ends) - first
    if (count > 1).any():
        raise _Unchecked
    typed: np.ndarray = count == 1
    if not typed.any():
        return typed
    form = piece.bytes_at(keys[first[typed]], 1, 4)
    if not ((form[:, 0] == _EQUALS) & (form[:, 1] == _QUOTE)).all():
        raise _Unchecked
    shared: np.ndarray = typed.copy()
    shared[typed] = (form[:, 2] == ord("s")) & (form[:, 3] == _QUOTE)
    return shared


def _shared_text(piece: _Piece, ends: np.ndarray, lengths: np.ndarray) -> int:
    """The bytes of shared text the shared-string cells ending at `ends` copy."""
    if not ends.size:
        return 0
    after = piece.bytes_at(ends, 1, 3 + 11 + 8)
    if not (after[:, :3] == np.frombuffer(b"<v>", dtype=np.uint8)).all():
        raise _Unchecked  # the value is not the cell's one and only child
    index, count = _numbers(after[:, 3:], 10)
    tail = np.take_along_axis(after, (3 + count)[:, None] + np.arange(8), axis=1)
    closed = (tail == np.frombuffer(b"</v></c>", dtype=np.uint8)).all(axis=1)
    if ((count == 0) | (count > 10) | ~closed).any():
        raise _Unchecked
    # An index past the table gives calamine an empty cell.
    return int(lengths[index[index < lengths.size]].sum())


# --- shared strings --------------------------------------------------------------------------


@dataclass
class _StringTable:
    """The shared strings as calamine lists them: one per `<si>` inside `<sst>`, running to
    the first `</si>`; each kept as an upper bound of its length, `<si>` to `</si>`."""

    where: str
    found: list[np.ndarray] = field(default_factory=list)
    count: int = 0
    table_at: int | None = None
    open_at: int | None = None

    def scan(self, piece: _Piece) -> None:
        """Add one piece's strings; refuse as soon as there are too many."""
        if _prefixed(piece.raw, rb"si|sst"):
            raise _Unchecked  # prefixed names, which calamine reads by their local name
        tags = piece.tags()
        if not tags.size:
            return
        names = [piece.byte_at(tags, k) for k in range(1, 5)]
        markup = (names[0] == ord("!")) | (names[0] == ord("?"))
        # Comments, CDATA and the like can hide or shift strings; only the declaration may be.
        declaration = piece.base == 0 and piece.raw.startswith(b"<?xml")
        if markup[int(declaration) :].any() or (markup[0] and not declaration):
            raise _Unchecked
        ends = piece.tag_ends(np.arange(tags.size))
        if self.table_at is None:
            self.start(piece, tags, ends, names)
        opening = (names[0] == ord("s")) & (names[1] == ord("i")) & _NAME_END[names[2]]
        closing = (
            (names[0] == _SLASH)
            & (names[1] == ord("s"))
            & (names[2] == ord("i"))
            & (_SPACE[names[3]] | (names[3] == _GT))
        )
        empty = opening & (piece.array[ends - 1] == _SLASH)
        events = opening | closing
        self.add(np.where(closing, -1, np.where(empty, 0, 1))[events], tags[events] + piece.base)

    def start(
        self, piece: _Piece, tags: np.ndarray, ends: np.ndarray, names: list[np.ndarray]
    ) -> None:
        """Note where `<sst>` opens, and refuse the room its `uniqueCount` would reserve."""
        table = np.flatnonzero(
            (names[0] == ord("s"))
            & (names[1] == ord("s"))
            & (names[2] == ord("t"))
            & _NAME_END[names[3]]
        )
        if not table.size:
            return
        first = int(table[0])
        self.table_at = piece.base + int(tags[first])
        tag = piece.raw[tags[first] : ends[first] + 1]
        for value in re.findall(rb'\suniqueCount\s*=\s*"\+?(\d+)"', tag):
            if int(value) > MAX_STRINGS:
                self.refuse(f"it declares {int(value):,} shared strings, more")

    def add(self, kind: np.ndarray, at: np.ndarray) -> None:
        """Pair `<si>` (1), `</si>` (-1) and `<si/>` (0) into string lengths."""
        if not kind.size:
            return
        if self.table_at is None or at[0] < self.table_at:
            raise _Unchecked  # strings before <sst>: calamine skips them, shifting the rest
        depth = np.cumsum(kind) - kind + (self.open_at is not None)
        # <si> and <si/> only outside a string, </si> only inside one: anything else nests,
        # and nested strings are where calamine's count and ours could part.
        if ((depth != 0) & (kind >= 0)).any() or ((depth != 1) & (kind < 0)).any():
            raise _Unchecked
        opened = np.concatenate(([-1 if self.open_at is None else self.open_at], at[:-1]))
        done = kind <= 0
        lengths = np.where(kind < 0, at - opened + len(b"</si>"), 0)[done]
        self.open_at = int(at[-1]) if kind[-1] == 1 else None
        self.found.append(lengths)
        self.count += int(lengths.size)
        if self.count > MAX_STRINGS:
            self.refuse("it holds more shared strings")

    def refuse(self, what: str) -> None:
        _refuse(
            self.where,
            f"{what} than the {MAX_STRINGS:,} pairctl reads; save the roster as CSV",
        )

    def finish(self) -> np.ndarray:
        """The lengths, once the whole part is scanned."""
        if self.open_at is not None:
            raise _Unchecked  # an unclosed string: calamine fails on it, in the child
        return np.concatenate(self.found) if self.found else np.zeros(0, dtype=np.int64)


# --- naming sheets for messages --------------------------------------------------------------

_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _attributes(tag: bytes) -> dict[str, str]:
    found = {}
    for key, double, single in _ATTRIBUTE.findall(tag):
        name = key.decode("utf-8", "replace").rpartition(":")[2]
        found[name] = html.unescape((double or single).decode("utf-8", "replace"))
    return found


def _sheet_names(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Normalised worksheet part name -> sheet name, from the workbook and its relations."""
    names: dict[str, str] = {}
    by_name = {_normal_name(m.filename): m for m in members}
    for normal, member in by_name.items():
        if not normal.endswith("workbook.xml"):
            continue
        folder = posixpath.dirname(normal)
        rels = by_name.get(posixpath.join(folder, "_rels", "workbook.xml.rels"))
        if rels is None:
            continue
        targets = {}
        for tag in re.findall(rb"<[\w:]*Relationship\s[^>]*>", _sample(archive, rels)):
            found = _attributes(tag)
            targets[found.get("Id", "")] = found.get("Target", "")
        for tag in re.findall(rb"<[\w:]*sheet\s[^>]*>", _sample(archive, member)):
            found = _attributes(tag)
            target = targets.get(found.get("id", ""), "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            names[_normal_name(posixpath.normpath(path))] = found.get("name", "")
    return names


def _sample(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as part:
        return part.read(_NAME_SAMPLE)
