"""Hostile workbooks, tiny on disk and huge once unpacked or read, built in a test's folder.

Nothing here is committed as a file. The parts are raw XML in a zip written by `write_zip`,
so a part can state a smaller size than it has, and a gigabyte of repeated bytes costs
milliseconds: the repeated block is deflated once, ending in a full flush (which makes the
compressor start afresh), and that compressed block is copied.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

GIB = 1024**3

HEADER = ["Employee ID", "Full name", "Specialty", "Years of experience"]
PEOPLE = [
    ["E001", "Ana Souza", "Engineering", 2],
    ["E002", "Bo Lindqvist", "Sales", 19],
    ["E003", "Chen Wei", "Finance", 4],
    ["E004", "Dara Okafor", "Design", 11],
    ["E005", "Eli Novak", "Engineering", 7],
    ["E006", "Fatima Zahra", "Sales", 1],
]
ROSTER = [HEADER, *PEOPLE]


@dataclass(frozen=True)
class Part:
    """One archive member: its name, the bytes stored for it, and what they unpack to."""

    name: str
    payload: bytes
    size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def part(name: str, data: bytes | str, *, stored: bool = False) -> Part:
    """A member holding `data`, deflated unless `stored`."""
    raw = data.encode() if isinstance(data, str) else data
    if stored:
        return Part(name, raw, len(raw), zlib.crc32(raw), zipfile.ZIP_STORED)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Part(name, deflater.compress(raw) + deflater.flush(), len(raw), zlib.crc32(raw))


def repeated(name: str, head: str, block: bytes, count: int, tail: str) -> Part:
    """A member holding `head`, then `block` `count` times, then `tail`."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflater.compress(head.encode()) + deflater.flush(zlib.Z_FULL_FLUSH)
    # After a full flush every copy of `block` deflates to the same bytes.
    unit = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
    last = deflater.compress(tail.encode()) + deflater.flush()
    crc = zlib.crc32(head.encode())
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail.encode(), crc)
    size = len(head.encode()) + len(block) * count + len(tail.encode())
    return Part(name, first + unit * count + last, size, crc)


def write_zip(path: Path, parts: list[Part], *, stated: dict[str, int] | None = None) -> Path:
    """Write `parts` as a zip archive; `stated` gives sizes to claim instead of the real ones."""
    stated = stated or {}
    body = bytearray()
    directory = bytearray()
    for member in parts:
        name = member.name.encode()
        size = stated.get(member.name, member.size)
        fields = (member.method, 0, 0x21, member.crc, len(member.payload), size, len(name))
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, *fields, 0) + name
        body += member.payload
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, *fields, 0, 0, 0, 0, 0, offset
        )
        directory += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


# --- xlsx ------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letters(number: int) -> str:
    """Spreadsheet column letters for a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(ref: str, value: object) -> str:
    """One xlsx cell: a number, or an inline string."""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_rows(rows: list[list[object]]) -> str:
    """`rows` as xlsx <row> elements from A1."""
    return "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{column_letters(c)}{r}", v) for c, v in enumerate(row, start=1))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )


SHEET_END = "</sheetData></worksheet>"


def sheet_start(rows: list[list[object]] = ROSTER) -> str:
    """A worksheet part up to and including `rows`, to be ended with `SHEET_END`."""
    return f'<worksheet xmlns="{_MAIN}"><sheetData>' + sheet_rows(rows)


def sheet(rows: str) -> str:
    """A whole worksheet part around some <row> elements."""
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}{SHEET_END}'


def strings_start(attributes: str = "") -> str:
    """The opening of a shared-string part (`attributes` such as ' uniqueCount="3"')."""
    return f'<sst xmlns="{_MAIN}"{attributes}>'


def xlsx(
    path: Path,
    worksheet: Part | str,
    *,
    shared_strings: Part | str | None = None,
    name: str = "Roster",
    stated: dict[str, int] | None = None,
) -> Path:
    """A one-sheet xlsx around a worksheet part (and a shared-string part)."""
    if isinstance(worksheet, str):
        worksheet = part("xl/worksheets/sheet1.xml", worksheet)
    relations = [
        f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    ]
    parts = [worksheet]
    if shared_strings is not None:
        if isinstance(shared_strings, str):
            shared_strings = part("xl/sharedStrings.xml", shared_strings)
        parts.append(shared_strings)
        relations.append(
            f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    package = [
        part(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        ),
        part(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        part(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
            f'<sheet name="{escape(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        part(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}">{"".join(relations)}</Relationships>',
        ),
    ]
    return write_zip(path, package + parts, stated=stated)


def roster_xlsx(path: Path, extra: str = "") -> Path:
    """A plain six-person roster, with `extra` XML (more rows) after it."""
    return xlsx(path, sheet(sheet_rows(ROSTER) + extra))


def far_cell_xlsx(path: Path, ref: str) -> Path:
    """The roster plus one value far out at `ref` (XFD1048576: one cell, 512 GiB dense)."""
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return roster_xlsx(path, f'<row r="{row}">{cell(ref, 1)}</row>')


def string_bomb_xlsx(path: Path, size: int) -> Path:
    """The roster with one inline string cell of `size` bytes."""
    head = sheet_start() + '<row r="8"><c r="A8" t="inlineStr"><is><t>'
    tail = "</t></is></c></row>" + SHEET_END
    bomb = repeated("xl/worksheets/sheet1.xml", head, b"x" * (4 << 20), size >> 22, tail)
    return xlsx(path, bomb)


def whitespace_xlsx(path: Path, size: int, *, stated: int | None = None) -> Path:
    """The roster with `size` bytes of spaces between its rows; `stated` fakes the size."""
    spaces = b" " * (4 << 20)
    bomb = repeated("xl/worksheets/sheet1.xml", sheet_start(), spaces, size >> 22, SHEET_END)
    sizes = None if stated is None else {bomb.name: stated}
    return xlsx(path, bomb, stated=sizes)


def shared_strings_bomb_xlsx(path: Path, count: int) -> Path:
    """The roster plus a shared-string table of `count` empty strings (5 bytes each)."""
    per_block = 200_000
    table = repeated(
        "xl/sharedStrings.xml",
        strings_start(),
        b"<si/>" * per_block,
        count // per_block,
        "</sst>",
    )
    return xlsx(path, sheet(sheet_rows(ROSTER)), shared_strings=table)


def shared_text_bomb_xlsx(path: Path, length: int, uses: int) -> Path:
    """The roster plus one shared string of `length` bytes that `uses` cells all show."""
    table = repeated(
        "xl/sharedStrings.xml",
        strings_start() + "<si><t>",
        b"y" * (1 << 20),
        length >> 20,
        "</t></si></sst>",
    )
    notes = "".join(f'<c r="E{r}" t="s"><v>0</v></c>' for r in range(2, 2 + uses))
    return xlsx(path, sheet(sheet_rows(ROSTER) + f'<row r="9">{notes}</row>'), shared_strings=table)


def unique_count_xlsx(path: Path, count: int) -> Path:
    """The roster plus a shared-string table claiming `count` strings (calamine reserves them)."""
    table = strings_start(f' uniqueCount="{count}"') + "<si><t>a</t></si></sst>"
    return xlsx(path, sheet(sheet_rows(ROSTER)), shared_strings=table)


# --- ods -------------------------------------------------------------------------------------

_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)
_ODS_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES}>'
    '<office:body><office:spreadsheet><table:table table:name="Roster">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_cell(value: object) -> str:
    """One ODS cell holding a number or a string."""
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    text = escape(str(value))
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def ods_rows(rows: list[list[object]], *, width: int = 16384) -> str:
    """`rows` as ODS table rows, each padded to `width` columns with one repeated empty cell
    the way LibreOffice pads them."""
    return "".join(
        "<table:table-row>"
        + "".join(ods_cell(v) for v in row)
        + f'<table:table-cell table:number-columns-repeated="{width - len(row)}"/>'
        + "</table:table-row>"
        for row in rows
    )


def ods(path: Path, content: Part | str) -> Path:
    """An ODS file around a content.xml part."""
    if isinstance(content, str):
        content = part("content.xml", content)
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return write_zip(
        path,
        [
            part("mimetype", _ODS_MIME, stored=True),
            part("META-INF/manifest.xml", manifest),
            content,
        ],
    )


def libreoffice_style_ods(path: Path) -> Path:
    """The roster as LibreOffice saves it: every row padded to 16,384 columns with a repeated
    empty cell, then the rest of the 1,048,576 rows as one repeated empty row."""
    rest = 1_048_576 - len(ROSTER)
    empty = (
        f'<table:table-row table:number-rows-repeated="{rest}">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    return ods(path, _ODS_HEAD + ods_rows(ROSTER) + empty + _ODS_TAIL)


def whitespace_ods(path: Path, size: int) -> Path:
    """The roster with `size` bytes of spaces after its rows."""
    head = _ODS_HEAD + ods_rows(ROSTER)
    return ods(path, repeated("content.xml", head, b" " * (4 << 20), size >> 22, _ODS_TAIL))


def repeated_value_ods(path: Path, rows: int) -> Path:
    """The roster, then a number repeated across all 16,384 columns of `rows` rows."""
    value = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    return ods(path, _ODS_HEAD + ods_rows(ROSTER) + value + _ODS_TAIL)
