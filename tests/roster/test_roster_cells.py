"""Cell rules: keys, lists, years of experience, blanks, and the messages that point at a cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairctl.core.model import fold
from pairctl.roster.people import parse_years, split_column

from .builders import error_of, roster_of

TWICE = " (someone who answered twice? keep one answer with --duplicates latest or first)"


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("Python; SQL", ("Python", "SQL")),
        ("Python,SQL ,  Go", ("Python", "SQL", "Go")),
        ("Python\nSQL\r\nGo", ("Python", "SQL", "Go")),
        ("Python; python ;PYTHON; SQL", ("Python", "SQL")),
        ("Machine  learning; machine learning", ("Machine  learning",)),
        (";; ,Python,,", ("Python",)),
        ("NA", ()),
        ("n/a", ()),
        (" N/A ", ()),
        ("", ()),
        ("HTML/CSS;Bash/Shell (all shells);C#", ("HTML/CSS", "Bash/Shell (all shells)", "C#")),
    ],
)
def test_list_cells(cell: str, items: tuple[str, ...]) -> None:
    roster = roster_of(["ID", "Specialty", "Skills"], [["1", "E", cell], ["2", "O", ""]])
    assert roster.people[0].skills == items


@given(st.lists(st.text(max_size=40), max_size=6))
def test_list_items_are_trimmed_unique_and_non_empty(cells: list[str]) -> None:
    split = split_column(cells)
    assert len(split.items) == len(cells)
    for items in split.items:
        folded = [fold(i) for i in items]
        assert all(i == i.strip() and i for i in items)
        assert len(set(folded)) == len(folded)


@pytest.mark.parametrize(
    ("cell", "years"),
    [
        ("7", 7.0), ("7.5", 7.5), ("7,5", 7.5), (" 12 ", 12.0), ("0", 0.0), (".5", 0.5),
        ("7 years", 7.0), ("1 year", 1.0), ("3 yrs", 3.0), ("10+", 10.0), ("10+ years", 10.0),
        ("Less than 1 year", 0.5), ("less than 1 year", 0.5),
        ("More than 50 years", 50.0), ("", None), ("NA", None), ("N/A", None), ("-", None),
    ],
)  # fmt: skip
def test_years_of_experience(cell: str, years: float | None) -> None:
    assert parse_years(cell) == years


@pytest.mark.parametrize("cell", ["lots", "7/10", "seven", "1e3", "2015-03-01", "3 months"])
def test_text_that_is_not_years_points_at_the_cell(cell: str) -> None:
    message = error_of(["ID", "Specialty", "Experience"], [["1", "E", "3"], ["2", "O", cell]])
    assert message == f"roster.csv, row 3, column 'Experience': {cell!r} is not a number of years"


@pytest.mark.parametrize("cell", ["-2", "-0.5 years"])
def test_negative_years(cell: str) -> None:
    message = error_of(["ID", "Specialty", "Experience"], [["1", "E", cell], ["2", "O", "1"]])
    assert message.startswith("roster.csv, row 2, column 'Experience': ")
    assert "negative" in message


def test_a_year_is_not_a_number_of_years() -> None:
    message = error_of(["ID", "Specialty", "Experience"], [["1", "E", "1998"], ["2", "O", "1"]])
    assert message.startswith("roster.csv, row 2, column 'Experience': '1998'")


def test_blank_key_on_a_row_with_data() -> None:
    rows = [["1", "Ana", "E"], ["", "Bo", "O"], ["3", "Cy", "O"]]
    message = error_of(["ID", "Name", "Specialty"], rows)
    assert message.startswith("roster.csv, row 3, column 'ID': the key is blank")


def test_duplicate_keys_name_both_rows() -> None:
    rows = [["1042", "Ana", "E"], ["7", "Bo", "O"], ["8", "Cy", "O"], [" 1042 ", "Di", "E"]]
    message = error_of(["ID", "Name", "Specialty"], rows)
    assert message == "roster.csv, column 'ID': key '1042' appears on rows 2 and 5" + TWICE


def test_email_keys_compare_without_case() -> None:
    rows = [["Ana@Example.org", "E"], ["bo@example.org", "O"], ["ana@example.ORG", "E"]]
    message = error_of(["Email", "Specialty"], rows)
    assert (
        message
        == "roster.csv, column 'Email': key 'ana@example.ORG' appears on rows 2 and 4" + TWICE
    )


def test_mapped_key_of_email_addresses_compares_without_case() -> None:
    rows = [["Ana@Example.org", "E"], ["ana@example.org", "O"]]
    message = error_of(["Login", "Specialty"], rows, mapping={"key": "Login"})
    assert (
        message
        == "roster.csv, column 'Login': key 'ana@example.org' appears on rows 2 and 3" + TWICE
    )


def test_id_keys_keep_their_case() -> None:
    roster = roster_of(["ID", "Specialty"], [["ab1", "E"], ["AB1", "O"]])
    assert [p.key for p in roster.people] == ["ab1", "AB1"]


def test_text_is_trimmed_but_inner_spaces_stay() -> None:
    rows = [["  1 ", "  Mia   Brown ", " Data Analyst ", " Production       ", " 7 "],
            ["2", "", "Ops", "", ""]]  # fmt: skip
    roster = roster_of(["ID", "Name", "Specialty", "Department", "Manager"], rows)
    mia, second = roster.people
    assert (mia.key, mia.name, mia.specialty) == ("1", "Mia   Brown", "Data Analyst")
    assert (mia.department, mia.manager) == ("Production", "7")
    assert second.name == "2"  # a blank name falls back to the key


def test_blank_specialties_are_counted_in_a_warning() -> None:
    rows = [["1", "Ana", "E"], ["2", "Bo", ""], ["3", "Cy", "NA"], ["4", "Di", "O"]]
    roster = roster_of(["ID", "Name", "Specialty"], rows)
    assert [p.specialty for p in roster.people] == ["E", "", "", "O"]
    # No skills column here: the warning must not promise matching on skills.
    assert roster.warnings == (
        "roster.csv, column 'Specialty': 2 people have no specialty (rows 3, 4): "
        "they are never counted as sharing one",
    )


def test_one_blank_specialty_is_counted_in_the_singular() -> None:
    rows = [["1", "Ana", "E"], ["2", "Bo", " "], ["3", "Cy", "O"]]
    assert roster_of(["ID", "Name", "Specialty"], rows).warnings == (
        "roster.csv, column 'Specialty': 1 person has no specialty (row 3): "
        "they are never counted as sharing one",
    )
