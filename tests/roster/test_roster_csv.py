"""CSV rosters: what Excel, LibreOffice and survey tools write, read as the coordinator sees it."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairctl.errors import RosterError, UsageError
from pairctl.roster import read_roster
from pairctl.roster.sources import csv_grid

from .builders import HEADER, PEOPLE, csv_text, write_csv, write_xlsx


def keys(roster) -> list[str]:
    return [p.key for p in roster.people]


def test_reads_every_field_of_a_plain_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv")
    roster = read_roster(str(path))

    assert keys(roster) == ["007", "1042", "E3"]  # leading zeros kept
    ana, bo, chen = roster.people
    assert (ana.name, ana.email, ana.specialty) == ("Ana Souza", "ana@example.org", "Engineering")
    assert ana.skills == ("Python", "SQL")
    assert bo.skills == ("Negotiation", "Public speaking")
    assert chen.skills == ("Excel", "Budgeting")  # a newline inside the cell separates too
    assert (ana.wants, chen.wants) == (("Negotiation",), ())  # N/A alone means nothing
    assert [p.experience for p in roster.people] == [2.0, 19.0, 0.5]
    assert [p.department for p in roster.people] == ["Product", "Revenue", "Finance"]
    assert [p.manager for p in roster.people] == ["", "007", "1042"]
    # Chen's skills cell spans two lines of the file but is one spreadsheet row.
    assert [p.row for p in roster.people] == [2, 3, 4]

    assert roster.source == str(path)
    assert roster.sheet == ""
    assert roster.header_row == 1
    assert roster.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert roster.key_field == "key"
    assert roster.has_skills
    assert roster.mapping.fields == {
        "key": "ID",
        "name": "Name",
        "email": "Email",
        "specialty": "Specialty",
        "skills": "Skills",
        "wants": "Wants to learn",
        "experience": "Years of experience",
        "department": "Department",
        "manager": "Manager",
    }
    assert roster.mapping.blind == ("Job Title", "Age")
    assert roster.mapping.unused == ("Notes",)
    assert roster.warnings == ()


NAMES = ["Zoë Müller", "François Dupré", "Søren Ærø"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),  # Excel "CSV UTF-8"
        ("utf-16-le", codecs.BOM_UTF16_LE),  # Excel "Unicode text"
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),  # Excel "CSV (Comma delimited)" on Windows
    ],
)
def test_decodes_the_encodings_spreadsheets_write(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    rows = [
        ["ID", "Name", "Specialty"],
        *[[str(i), n, "R&D \u2013 \u20ac"] for i, n in enumerate(NAMES)],
    ]
    path = tmp_path / "roster.csv"
    path.write_bytes(prefix + csv_text(rows).encode(encoding))
    roster = read_roster(str(path))
    assert [p.name for p in roster.people] == NAMES
    assert roster.people[0].specialty == "R&D \u2013 \u20ac"
    assert roster.mapping.fields["key"] == "ID"  # no BOM glued to the first header


def test_cp1252_bytes_it_leaves_undefined_read_as_latin1(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"ID,Name,Specialty\r\n1,Ana\x81,Caf\xe9\r\n2,Bo\x9d,Ops\r\n")
    roster = read_roster(str(path))
    assert [p.name for p in roster.people] == ["Ana\x81", "Bo\x9d"]
    assert roster.people[0].specialty == "Café"


@pytest.mark.parametrize(
    ("delimiter", "name"),
    [(",", "roster.csv"), (";", "roster.csv"), ("\t", "roster.tsv"), ("|", "roster.txt")],
)
def test_sniffs_the_delimiter(tmp_path: Path, delimiter: str, name: str) -> None:
    path = write_csv(tmp_path / name, delimiter=delimiter)
    roster = read_roster(str(path))
    assert keys(roster) == ["007", "1042", "E3"]
    assert roster.people[0].skills == ("Python", "SQL")
    assert roster.mapping.fields["wants"] == "Wants to learn"


def test_semicolon_file_with_commas_in_names(tmp_path: Path) -> None:
    # European Excel: ';' between fields, and "Last, First" names full of commas.
    rows = [["EmpID", "Employee_Name", "Specialty"]]
    rows += [[str(i), f"Brown, Mia{i}", "Ops"] for i in range(5)]
    path = write_csv(tmp_path / "roster.csv", rows, delimiter=";")
    roster = read_roster(str(path))
    assert [p.name for p in roster.people][:2] == ["Brown, Mia0", "Brown, Mia1"]


def test_title_line_and_blank_line_above_the_header(tmp_path: Path) -> None:
    text = "Mentoring roster, spring 2025\r\n\r\n" + csv_text([HEADER, *PEOPLE], ";")
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    roster = read_roster(str(path))
    assert roster.header_row == 3
    assert keys(roster) == ["007", "1042", "E3"]
    assert [p.row for p in roster.people] == [4, 5, 6]


def test_blank_rows_are_skipped_and_numbering_follows_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"ID,Name,Specialty\r\n\r\n1,Ana,Eng\r\n,,\r\n , ,\r\n2,Bo,Ops\r\n\r\n\r\n")
    roster = read_roster(str(path))
    assert [(p.key, p.row) for p in roster.people] == [("1", 3), ("2", 6)]


def test_short_rows_are_padded_and_empty_extra_cells_ignored(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(
        b"ID,Name,Specialty,Skills\n1,Ana,Eng\n2,Bo,Ops,Go;Rust,,, \n3\xc2\xa0,Cy\n4,Di,Ops,,,\n"
    )
    roster = read_roster(str(path))
    assert [(p.key, p.specialty, p.skills) for p in roster.people] == [
        ("1", "Eng", ()),
        ("2", "Ops", ("Go", "Rust")),  # Excel pads rows with empty cells: a,b,c,,,
        ("3", "", ()),  # the no-break space around the key is trimmed too
        ("4", "Ops", ()),
    ]


def test_text_beyond_the_header_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An unquoted comma in "Brown, Mia" pushes Finance under Name, Excel under Specialty...
    monkeypatch.chdir(tmp_path)
    rows = [["ID", "Name", "Department", "Specialty", "Skills"]]
    rows += [[str(i), f"Person {i}", "Ops", "Eng", "Go"] for i in range(1, 6)]
    text = csv_text(rows) + "6,Brown, Mia,Finance,Excel,Figma\r\n7,Cy,Ops,Eng,Go\r\n"
    Path("roster.csv").write_text(text, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster("roster.csv")
    assert caught.value.message == (
        "roster.csv, row 7: 6 cells but the header has 5 columns "
        "(an unquoted comma or delimiter in a cell?)"
    )


def test_text_beyond_the_header_counts_up_to_the_last_filled_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_bytes(b"ID;Specialty\n1;Eng\n2;Ops;;x;;\n")
    with pytest.raises(RosterError) as caught:
        read_roster("roster.csv")
    assert caught.value.message == (
        "roster.csv, row 3: 4 cells but the header has 2 columns "
        "(an unquoted comma or delimiter in a cell?)"
    )


def test_footer_row_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = csv_text([["ID", "Name", "Specialty"], ["1", "Ana", "Eng"], ["2", "Bo", "Ops"]])
    Path("roster.csv").write_text(text + "\r\nGenerated by Workday 2025-01-01,,\r\n")
    roster = read_roster("roster.csv")
    assert keys(roster) == ["1", "2"]
    assert roster.warnings == (
        "roster.csv, row 5: skipped (only 'Generated by Workday 2025-01-01' is filled: "
        "a note or footer?)",
    )


def test_one_filled_cell_anywhere_is_a_note_and_long_notes_are_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    note = "Confidential: do not forward this roster outside the People team, please"
    rows = [
        ["ID", "Name", "Specialty", "Notes"],
        ["Engineering"],  # a section title
        ["1", "Ana", "Eng", ""],
        ["", "", "", note],  # no key: a note, not "a blank key on a row with data"
        ["2", "", "", ""],  # a key alone is no person either
        ["3", "Cy", "", ""],  # a key and anything else is
        ["4", "", "Ops", ""],
    ]
    write_csv(Path("roster.csv"), rows)
    roster = read_roster("roster.csv")
    assert [(p.key, p.row) for p in roster.people] == [("1", 3), ("3", 6), ("4", 7)]
    assert roster.warnings[:3] == (
        "roster.csv, row 2: skipped (only 'Engineering' is filled: a note or footer?)",
        "roster.csv, row 4: skipped (only 'Confidential: do not forward this roste…' is "
        "filled: a note or footer?)",
        "roster.csv, row 5: skipped (only '2' is filled: a note or footer?)",
    )


def test_many_note_rows_share_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [["ID", "Name", "Specialty"], ["1", "Ana", "Eng"], ["2", "Bo", "Ops"]]
    write_csv(Path("roster.csv"), [*rows, *[[f"n{i}"] for i in range(12)]])
    warnings = read_roster("roster.csv").warnings
    assert len(warnings) == 6
    assert warnings[4] == "roster.csv, row 8: skipped (only 'n4' is filled: a note or footer?)"
    assert warnings[5] == (
        "roster.csv: 7 more rows with only one cell filled skipped (rows 9, 10, 11, 12, 13, …)"
    )


def test_standard_input(tmp_path: Path) -> None:
    data = csv_text([HEADER, *PEOPLE]).encode("utf-8-sig")
    roster = read_roster("-", stdin=io.BytesIO(data))
    assert keys(roster) == ["007", "1042", "E3"]
    assert roster.source == "-"
    assert roster.sha256 == hashlib.sha256(data).hexdigest()


def test_standard_input_errors_name_stdin() -> None:
    data = b"ID,Specialty,Experience\n1,Eng,3\n2,Ops,lots\n"
    with pytest.raises(RosterError) as caught:
        read_roster("-", stdin=io.BytesIO(data))
    assert caught.value.message == (
        "<stdin>, row 3, column 'Experience': 'lots' is not a number of years"
    )


def test_dash_without_stdin_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="standard input"):
        read_roster("-")


def test_stdin_is_only_read_for_dash(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv")
    roster = read_roster(str(path), stdin=io.BytesIO(b"not,a,roster\n"))
    assert keys(roster) == ["007", "1042", "E3"]


def test_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RosterError) as caught:
        read_roster("nobody.csv")
    assert caught.value.message == "nobody.csv: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match=r"is a folder, not a file") as caught:
        read_roster(str(tmp_path))
    assert caught.value.message.startswith(f"{tmp_path}: ")


def test_unreadable_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read any file")
        with pytest.raises(RosterError, match=r"permission denied"):
            read_roster(str(path))
    finally:
        path.chmod(0o644)


def test_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_bytes(b"")
    with pytest.raises(RosterError) as caught:
        read_roster("roster.csv")
    assert caught.value.message == "roster.csv: the file is empty"


def test_binary_junk_with_csv_name(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RosterError, match=r"cannot read as CSV text"):
        read_roster(str(path))


@pytest.mark.parametrize(("count", "words"), [(0, "0 people"), (1, "1 person")])
def test_fewer_than_two_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(Path("roster.csv"), [HEADER, *PEOPLE[:count]])
    with pytest.raises(RosterError) as caught:
        read_roster("roster.csv")
    assert caught.value.message == f"roster.csv: the roster has {words}; pairing needs at least 2"


def test_sheet_option_with_csv_is_a_usage_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv")
    with pytest.raises(UsageError, match=r"--sheet 'Roster'.*CSV"):
        read_roster(str(path), sheet="Roster")


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    as_text = write_csv(tmp_path / "export.dat")
    assert keys(read_roster(str(as_text))) == ["007", "1042", "E3"]
    as_book = write_xlsx(tmp_path / "export", {"People": [HEADER, *PEOPLE]})
    roster = read_roster(str(as_book))
    assert keys(roster) == ["007", "1042", "E3"]
    assert roster.sheet == "People"


def test_workbook_saved_under_a_csv_name_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "roster.csv", {"People": [HEADER, *PEOPLE]})
    roster = read_roster(str(path))
    assert keys(roster) == ["007", "1042", "E3"]
    assert roster.warnings == (f"{path}: this is a workbook, not CSV text; read it as a workbook",)


# Cells a person could type: no NUL, no lone surrogates.
_cell = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(st.tuples(_cell, _cell), min_size=2, max_size=8).filter(
        lambda rows: (
            all(k.strip() for k, _ in rows) and len({k.strip() for k, _ in rows}) == len(rows)
        )
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_any_cell_text_survives_the_round_trip(
    tmp_path: Path, people: list[tuple[str, str]], delimiter: str, encoding: str
) -> None:
    path = tmp_path / "roster.csv"
    # A filled Team cell keeps a blank specialty from making the row a one-cell note.
    rows = [["ID", "Specialty", "Team"], *[[k, s, "T"] for k, s in people]]
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    roster = read_roster(str(path))
    assert keys(roster) == [k.strip() for k, _ in people]
    expected = ["" if s.strip().casefold() in ("na", "n/a") else s.strip() for _, s in people]
    assert [p.specialty for p in roster.people] == expected


def test_quoted_cells_ending_in_a_lone_cr_are_not_taken_for_a_stray_quote() -> None:
    # The CSV reader ends a line at a lone CR too; the stray-quote check must count the same
    # lines, or a last row with a quoted "1\r" looks like a quote that never closes.
    text = 'ID,Specialty\r\n"1\r",Eng\r\n"0\n",Sales\r\n'
    grid, _ = csv_grid(text.encode(), "r.csv")
    assert grid.rows[1:] == [["1\r", "Eng"], ["0\n", "Sales"]]
