from __future__ import annotations

import re

import pytest

from pairctl.output.neutralise import PIECE_SEPARATORS, safe_cell, xlsx_text


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+SUM(A1)", "-2+3", "@SUM(1,2)", "\tindent", "\rreturn", "=", "-"],
)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


_LINK = 'HYPERLINK("http://example.invalid","click")'
_FETCH = 'WEBSERVICE("http://example.invalid")'


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Bob;=1+1", "Bob;'=1+1"),
        (f"x\t={_LINK}", f"x\t'={_LINK}"),
        (f"a,={_FETCH}", f"a,'={_FETCH}"),
        ("|=1", "|'=1"),
        ("line one\n=1+1", "line one\n'=1+1"),
        ("line one\r\n+1", "line one\r\n'+1"),
        ("-2+3; @SUM(1,2)", "'-2+3; '@SUM(1,2)"),
        # An import that trims spaces, or strips quotes, would otherwise bare the `=`.
        (" =1+1", " '=1+1"),
        ("a;  -b", "a;  '-b"),
        ('x;"=1+1"', 'x;"\'=1+1"'),
        ("=;=1,,@x", "'=;'=1,,'@x"),
        ("\t=1", "'\t'=1"),
    ],
)
def test_every_piece_a_separator_starts_gets_a_quote(text: str, safe: str) -> None:
    assert safe_cell(text) == safe


@pytest.mark.parametrize(
    "text",
    [
        "",
        "José Álvarez",
        "a=b",
        "E0042",
        "'already quoted",
        "מרים",
        "R&D; Finance, Legal | Ops",
        "Smith-Jones, Mia",
        "a = b + c",
        "#N/A; \tindent; \rreturn",
    ],
)
def test_other_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


# Where a spreadsheet or a script may cut a cell: its separators and any line break.
_SPLIT = re.escape(PIECE_SEPARATORS) + "\n\r\v\f\x85\u2028\u2029"
_TRIGGER_AFTER_SPLIT = re.compile(rf'(?:^|[{_SPLIT}])[\s"]*[=+\-@]')


@pytest.mark.parametrize(
    "text",
    ["=a;=b,+c\t-d|@e\n=f\r=g", ' ;\t , "=x', "@@@", ";;;===", "a\u2028=b", "x\u00a0,\u00a0-1"],
)
def test_no_split_leaves_a_piece_that_starts_a_formula(text: str) -> None:
    safe = safe_cell(text)
    assert _TRIGGER_AFTER_SPLIT.search(safe) is None, safe
    assert safe.replace("'", "") == text.replace("'", "")  # only quotes were added


def test_xlsx_text_drops_control_characters_xml_cannot_hold() -> None:
    assert xlsx_text("Bell\x07 and\x00 esc\x1b") == "Bell and esc"


def test_xlsx_text_keeps_tab_newline_and_carriage_return() -> None:
    assert xlsx_text("a\tb\nc\rd") == "a\tb\nc\rd"
