"""Sign-up form exports: checkbox answers joined into one cell, and experience as a range.

Google Forms joins the ticked options of a checkbox question with ", " (so an option that
holds a comma cannot be told apart from two options by that cell alone); Microsoft Forms
ends every option with ";". Form options for experience are ranges ("2-5 years").
"""

from __future__ import annotations

import pytest

from pairctl.errors import where
from pairctl.roster.header import Layout, find_header
from pairctl.roster.people import build_people, parse_years
from pairctl.roster.sources import Grid

from .builders import error_of, roster_of

NEGOTIATION = "Negotiation, influencing and persuasion"


@pytest.mark.parametrize(
    ("cell", "years"),
    [
        ("2-5 years", 3.5), ("5\u201310", 7.5), ("5\u201410 years", 7.5), ("2 to 5 years", 3.5),
        ("2 - 5 yrs", 3.5), ("0-1 year", 0.5), ("1 \u2013 2", 1.5), ("2 years - 5 years", 3.5),
        ("Between 2 and 5 years", 3.5), ("3-3", 3.0), ("2,5-5", 3.75),
        ("10+", 10.0), ("10+ years", 10.0), ("Over 20", 20.0), ("over 20 years", 20.0),
        ("More than 10 years", 10.0), ("Less than 2 years", 1.0), ("Less than 1 year", 0.5),
    ],
)  # fmt: skip
def test_experience_as_a_form_option(cell: str, years: float) -> None:
    assert parse_years(cell) == years


def test_a_range_of_years_reads_through_the_roster() -> None:
    rows = [["1", "E", "2-5 years"], ["2", "O", "5\u201310"], ["3", "E", "Over 20"]]
    roster = roster_of(["ID", "Specialty", "Years of experience"], rows)
    assert [p.experience for p in roster.people] == [3.5, 7.5, 20.0]


def test_a_reversed_range_names_row_and_column() -> None:
    rows = [["1", "E", "2-5"], ["2", "O", "5-2 years"]]
    message = error_of(["ID", "Specialty", "Experience"], rows)
    assert message == (
        "roster.csv, row 3, column 'Experience': '5-2 years' is not a range of years "
        "(the first number is larger)"
    )


@pytest.mark.parametrize("cell", ["2-500", "1990-2010"])
def test_a_range_beyond_a_career_names_row_and_column(cell: str) -> None:
    message = error_of(["ID", "Specialty", "Experience"], [["1", "E", cell], ["2", "O", "1"]])
    assert message == (
        f"roster.csv, row 2, column 'Experience': {cell!r} is not a number of years (more than 100)"
    )


@pytest.mark.parametrize("cell", ["2-5-7", "2015-03-01", "5-", "-5-2", "2 to", "2-5 months"])
def test_text_that_only_looks_like_a_range_is_refused(cell: str) -> None:
    message = error_of(["ID", "Specialty", "Experience"], [["1", "E", "3"], ["2", "O", cell]])
    assert message.startswith(f"roster.csv, row 3, column 'Experience': {cell!r} is not")


GOOGLE_SKILLS = [
    f"Python, {NEGOTIATION}",
    f"{NEGOTIATION}, Public speaking",
    NEGOTIATION,
    "Public speaking, Python",
    "python, sql, excel",
]


def test_a_checkbox_option_with_a_comma_stays_one_skill() -> None:
    rows = [[str(i), "E" if i % 2 else "O", cell] for i, cell in enumerate(GOOGLE_SKILLS)]
    people = roster_of(["ID", "Specialty", "Skills"], rows).people
    assert [p.skills for p in people] == [
        ("Python", NEGOTIATION),
        (NEGOTIATION, "Public speaking"),
        (NEGOTIATION,),
        ("Public speaking", "Python"),
        ("python", "sql", "excel"),  # typed by hand: still a list
    ]


def test_a_comma_pair_seen_once_is_still_two_items() -> None:
    rows = [["1", "E", "Budgeting, forecasting"], ["2", "O", "Python, SQL"], ["3", "E", "SQL"]]
    people = roster_of(["ID", "Specialty", "Skills"], rows).people
    assert [p.skills for p in people] == [("Budgeting", "forecasting"), ("Python", "SQL"), ("SQL",)]


def test_a_fragment_that_also_stands_alone_is_not_glued() -> None:
    # "Python" is once followed by "SQL" and once not: they are two options.
    cells = ["Python, SQL", "Python, SQL", "Python", "Go, SQL"]
    rows = [[str(i), "E" if i % 2 else "O", c] for i, c in enumerate(cells)]
    people = roster_of(["ID", "Specialty", "Skills"], rows).people
    assert [p.skills for p in people][:2] == [("Python", "SQL"), ("Python", "SQL")]


def test_microsoft_forms_answers_split_on_semicolons_only() -> None:
    cells = ["Python;SQL;", f"{NEGOTIATION};Python;", f"{NEGOTIATION};"]
    rows = [[str(i), "E" if i % 2 else "O", c] for i, c in enumerate(cells)]
    people = roster_of(["ID", "Specialty", "Wants to learn"], rows).people
    assert [p.wants for p in people] == [("Python", "SQL"), (NEGOTIATION, "Python"), (NEGOTIATION,)]


def test_lines_in_a_cell_split_and_commas_on_a_line_stay() -> None:
    cells = [f"{NEGOTIATION}\nPython", "Excel\r\nBudgeting, forecasting", "Go"]
    rows = [[str(i), "E" if i % 2 else "O", c] for i, c in enumerate(cells)]
    people = roster_of(["ID", "Specialty", "Skills"], rows).people
    assert [p.skills for p in people] == [
        (NEGOTIATION, "Python"),
        ("Excel", "Budgeting, forecasting"),
        ("Go",),
    ]


def test_each_list_column_decides_on_its_own() -> None:
    rows = [["1", "E", "Python;SQL;", "Go, Rust"], ["2", "O", "Excel;", "Rust, Go"]]
    people = roster_of(["ID", "Specialty", "Skills", "Wants to learn"], rows).people
    assert [(p.skills, p.wants) for p in people] == [
        (("Python", "SQL"), ("Go", "Rust")),
        (("Excel",), ("Rust", "Go")),
    ]


def _split_notes(rows: list[list[str]]) -> list[str]:
    grid = Grid(rows=rows, typed=False)
    layout = find_header(grid, {}, "roster.csv")
    assert isinstance(layout, Layout)
    notes: list[str] = []
    build_people(grid, layout, lambda r, c: where("roster.csv", r, c), split_notes=notes)
    return notes


def test_split_notes_say_how_each_list_column_was_split() -> None:
    rows = [["ID", "Specialty", "Skills", "Wants to learn"]]
    rows += [[str(i), "E" if i % 2 else "O", c, f"{c};"] for i, c in enumerate(GOOGLE_SKILLS)]
    assert _split_notes(rows) == [
        f"skills: split on ',' (kept 1 option that contains a comma: {NEGOTIATION!r})",
        "wants: split on ';'",
    ]


def test_split_notes_name_new_lines_and_skip_missing_columns() -> None:
    rows = [["ID", "Specialty", "Skills"], ["1", "E", "Python\nSQL"], ["2", "O", "Go"]]
    assert _split_notes(rows) == ["skills: split on new lines"]


def test_a_comma_cell_in_a_semicolon_column_splits_unless_it_is_a_known_option() -> None:
    rows = [["ID", "Specialty", "Skills"], ["1", "E", f"Python; {NEGOTIATION}"]]
    rows += [["2", "O", "Negotiation, Public speaking"], ["3", "E", NEGOTIATION]]
    grid_rows = [list(r) for r in rows]
    people = roster_of(rows[0], rows[1:]).people
    assert [p.skills for p in people] == [
        ("Python", NEGOTIATION),
        ("Negotiation", "Public speaking"),  # typed by hand with commas
        (NEGOTIATION,),  # the whole cell is an option seen elsewhere in the column
    ]
    assert _split_notes(grid_rows) == ["skills: split on ';' (1 cell without them split on ',')"]
