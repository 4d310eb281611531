"""Workbooks: typed cells as a person reads them, title rows, sheet choice, broken files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairctl.errors import RosterError
from pairctl.roster import read_roster
from pairctl.roster.sources import cell_text

from .builders import HEADER, PEOPLE, write_xlsx

TWICE = " (someone who answered twice? keep one answer with --duplicates latest or first)"


def read_error(path: str, **kwargs) -> str:
    with pytest.raises(RosterError) as caught:
        read_roster(path, **kwargs)
    message = caught.value.message
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"), (1103024456.0, "1103024456"), (-0.0, "0"), (7.5, "7.5"), (0.1 + 0.2, "0.3"),
        (1e20, "1e+20"), (42, "42"), (True, "TRUE"), (False, "FALSE"), (None, ""),
        (dt.date(2024, 3, 1), "2024-03-01"), (dt.datetime(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 13, 5), "2024-03-01 13:05:00"), (dt.time(9, 30), "09:30:00"),
        ("007", "007"),
    ],
)  # fmt: skip
def test_cells_read_as_shown(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_title_row_blank_row_then_header_with_typed_cells() -> None:
    title = ["Mentoring roster - spring 2025"]
    header = ["ID", "Name", "Specialty", "Years of experience", "Department", "Joined", "Mentor?"]
    rows = [
        [7, "Ana", "Engineering", 7.5, 42, dt.date(2019, 5, 1), True],
        [1042.0, "Bo", "Sales", 12.0, "Revenue", dt.date(2020, 1, 2), False],
        [None, None, None, None, None, None, None],
        ["0099", "  Cy ", "Finance", "Less than 1 year", None, None, None],
        [None, " ", None, None, None, None, None],  # trailing blank-looking rows Excel keeps
    ]
    write_xlsx(Path("book.xlsx"), {"Roster": [title, [], header, *rows]})
    roster = read_roster("book.xlsx")
    assert roster.sheet == "Roster"
    assert roster.header_row == 3
    assert [(p.key, p.name, p.row) for p in roster.people] == [
        ("7", "Ana", 4),
        ("1042", "Bo", 5),
        ("0099", "Cy", 7),
    ]
    assert [p.experience for p in roster.people] == [7.5, 12.0, 0.5]
    assert roster.people[0].department == "42"
    assert roster.mapping.unused == ("Joined", "Mentor?")


def test_header_not_in_column_a() -> None:
    rows = [[], [None, "ID", "Specialty"], [None, "1", "Eng"], [None, "2", "Ops"]]
    write_xlsx(Path("book.xlsx"), {"S": rows})
    roster = read_roster("book.xlsx")
    assert roster.header_row == 2
    assert [(p.key, p.specialty, p.row) for p in roster.people] == [
        ("1", "Eng", 3),
        ("2", "Ops", 4),
    ]


def instructions_then_roster() -> Path:
    instructions = [["Mentoring programme 2025"], [], ["The roster is on the sheet 'Roster'."]]
    return write_xlsx(Path("book.xlsx"), {"Instructions": instructions,
                                          "Roster": [HEADER, *PEOPLE]})  # fmt: skip


def test_first_sheet_that_looks_like_a_roster_is_chosen() -> None:
    instructions_then_roster()
    roster = read_roster("book.xlsx")
    assert roster.sheet == "Roster"
    assert [p.key for p in roster.people] == ["007", "1042", "E3"]
    assert roster.people[2].skills == ("Excel", "Budgeting")


def test_named_sheet_and_forgiving_case() -> None:
    instructions_then_roster()
    assert read_roster("book.xlsx", sheet="Roster").sheet == "Roster"
    assert read_roster("book.xlsx", sheet=" roster").sheet == "Roster"


def test_unknown_sheet_lists_the_sheets() -> None:
    instructions_then_roster()
    message = read_error("book.xlsx", sheet="Staff")
    assert message == "book.xlsx: no sheet 'Staff'; the sheets are 'Instructions', 'Roster'"


def test_named_sheet_that_is_not_a_roster_says_what_is_missing() -> None:
    instructions_then_roster()
    message = read_error("book.xlsx", sheet="Instructions")
    assert message.startswith("book.xlsx, sheet 'Instructions': no person key column")
    assert "no specialty column" in message


def test_no_sheet_looks_like_a_roster() -> None:
    write_xlsx(Path("book.xlsx"), {"Notes": [["hello"]], "Staff": [["EmpID", "Position"]]})
    message = read_error("book.xlsx")
    assert message == (
        "book.xlsx: no sheet looks like a roster; tried 'Notes' (no person key column, "
        "no specialty column), 'Staff' (no specialty column); choose one with --sheet NAME "
        "and name its columns with --map FIELD=COLUMN"
    )


def test_mapping_decides_which_sheet_is_the_roster() -> None:
    staff = [["EmpID", "Position", "Sex"], ["1", "Analyst", "F"], ["2", "Engineer", "M"]]
    write_xlsx(Path("book.xlsx"), {"Notes": [["hello"]], "Staff": staff})
    roster = read_roster("book.xlsx", mapping={"specialty": "Position"})
    assert roster.sheet == "Staff"
    assert roster.mapping.fields == {"key": "EmpID", "specialty": "Position"}
    assert roster.mapping.blind == ("Sex",)


def test_visible_sheets_are_tried_before_hidden_ones() -> None:
    lookup = [["ID", "Specialty"], ["x", "lookup"], ["y", "lookup"]]
    write_xlsx(Path("book.xlsx"), {"Lookup": lookup, "Roster": [HEADER, *PEOPLE]},
               hidden=["Lookup"])  # fmt: skip
    assert read_roster("book.xlsx").sheet == "Roster"


def test_cell_errors_name_the_sheet_when_there_are_several() -> None:
    rows = [["ID", "Specialty", "Experience"], ["1", "E", 3], ["2", "O", "lots"]]
    write_xlsx(Path("book.xlsx"), {"Instructions": [["read me"]], "Roster": rows})
    message = read_error("book.xlsx")
    assert message == (
        "book.xlsx, sheet 'Roster', row 3, column 'Experience': 'lots' is not a number of years"
    )


def test_cell_errors_in_a_one_sheet_workbook() -> None:
    rows = [["ID", "Specialty"], [5, "E"], [5.0, "O"]]
    write_xlsx(Path("book.xlsx"), {"Roster": rows})
    assert (
        read_error("book.xlsx") == "book.xlsx, column 'ID': key '5' appears on rows 2 and 3" + TWICE
    )


def test_csv_text_with_a_workbook_name() -> None:
    Path("book.xls").write_text("ID,Specialty\n1,E\n2,O\n")
    assert read_error("book.xls") == (
        "book.xls: cannot read workbook (not an Excel or OpenDocument file: it looks like text; "
        "rename it to .csv)"
    )


def test_binary_junk_with_a_workbook_name() -> None:
    Path("book.xlsx").write_bytes(bytes(range(256)) * 8)
    assert read_error("book.xlsx") == (
        "book.xlsx: cannot read workbook (not an Excel or OpenDocument file)"
    )


def test_truncated_workbook() -> None:
    write_xlsx(Path("full.xlsx"), {"Roster": [HEADER, *PEOPLE]})
    data = Path("full.xlsx").read_bytes()
    Path("book.xlsx").write_bytes(data[: len(data) // 2])
    assert read_error("book.xlsx").startswith("book.xlsx: cannot read workbook (damaged")


def test_zip_that_is_not_a_workbook() -> None:
    with zipfile.ZipFile("book.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert read_error("book.xlsx").startswith("book.xlsx: cannot read workbook (")


def test_password_protected_workbook() -> None:
    # Excel saves an encrypted .xlsx as an OLE container with an EncryptionInfo stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
    Path("book.xlsx").write_bytes(ole + bytes(1024))
    assert read_error("book.xlsx") == (
        "book.xlsx: cannot read workbook (it is password-protected; save a copy without a password)"
    )


def test_empty_workbook_file() -> None:
    Path("book.xlsx").write_bytes(b"")
    assert read_error("book.xlsx") == "book.xlsx: cannot read workbook (the file is empty)"


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ""]))
def test_any_bytes_give_a_roster_or_a_roster_error(data: bytes, suffix: str) -> None:
    # tmp_path is function-scoped; one file name reused per example is enough here.
    path = Path(f"junk{suffix}")
    path.write_bytes(data)
    try:
        read_roster(str(path))
    except RosterError as error:
        assert error.message.startswith(f"{path}")
        assert "\n" not in error.message


def test_workbook_footer_row_is_skipped_with_a_warning() -> None:
    rows = [["ID", "Name", "Specialty"], ["a1", "Ana", "E"], ["b2", "Bo", "O"], [], [None, 2]]
    write_xlsx(Path("book.xlsx"), {"Roster": rows})
    roster = read_roster("book.xlsx")
    assert [p.key for p in roster.people] == ["a1", "b2"]
    assert roster.warnings == ("book.xlsx, row 5: skipped (only '2' is filled: a note or footer?)",)


def test_cells_right_of_the_header_are_an_unused_column() -> None:
    # A cell is a cell in a workbook: text right of the header cannot shift a row.
    rows = [["ID", "Name", "Specialty"], ["a1", "Ana", "E", "call back"], ["b2", "Bo", "O"]]
    write_xlsx(Path("book.xlsx"), {"Roster": rows})
    roster = read_roster("book.xlsx")
    assert [(p.key, p.name, p.specialty) for p in roster.people] == [
        ("a1", "Ana", "E"),
        ("b2", "Bo", "O"),
    ]
    assert roster.mapping.unused == ()
    assert roster.warnings == ()
