from __future__ import annotations

import pytest

from pairctl.output.neutralise import safe_cell, xlsx_text


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+SUM(A1)", "-2+3", "@SUM(1,2)", "\tindent", "\rreturn", "=", "-"],
)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["", "José Álvarez", "a=b", "E0042", " =not a formula start", "'already quoted", "מרים"],
)
def test_other_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_xlsx_text_drops_control_characters_xml_cannot_hold() -> None:
    assert xlsx_text("Bell\x07 and\x00 esc\x1b") == "Bell and esc"


def test_xlsx_text_keeps_tab_newline_and_carriage_return() -> None:
    assert xlsx_text("a\tb\nc\rd") == "a\tb\nc\rd"
