"""The one-file CSV, read back as Excel or a script would."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import math
import re
from pathlib import Path

import pytest

from pairctl.core.report import RunReport
from pairctl.output.csv_out import write_csv
from pairctl.output.neutralise import FORMULA_TRIGGERS

from .report_data import PAIR, TRIO_HEADER, UNMATCHED_REASON, make_report


@pytest.fixture
def csv_path(report: RunReport, tmp_path: Path) -> Path:
    path = tmp_path / "pairs.csv"
    write_csv(report, path)
    return path


@pytest.fixture
def rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == TRIO_HEADER
        return [dict(zip(header, row, strict=True)) for row in reader]


def test_utf8_with_bom_and_crlf_line_ends(csv_path: Path) -> None:
    raw = csv_path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert not raw.startswith(codecs.BOM_UTF8 * 2)
    assert raw.endswith(b"\r\n")
    assert re.search(rb"(?<!\r)\n", raw) is None
    assert "José Álvarez".encode() in raw
    assert raw.count(b"\r\n") == 4  # header, pair, trio, unmatched


def test_everyone_appears_once_pairs_then_unmatched(rows: list[dict[str, str]]) -> None:
    assert [row["Pair"] for row in rows] == ["1", "2", "unmatched"]
    keys = [row[f"{who} key"] for row in rows for who in "ABC" if row[f"{who} key"]]
    assert keys == ["E001", "E002", "E003", "E004", "E005", "0042"]


def test_pair_row(rows: list[dict[str, str]]) -> None:
    pair = rows[0]
    assert (pair["Size"], pair["A name"], pair["B name"]) == ("2", "José Álvarez", "Zoë 🚀 Okafor")
    assert pair["C name"] == ""
    assert pair["A teaches B"] == "'=1+1; python"
    assert pair["B teaches A"] == "negotiation"
    assert pair["B department"] == "'+Revenue"
    assert pair["Score"] == "0.877"
    assert pair["Keep"] == ""


def test_trio_row(rows: list[dict[str, str]]) -> None:
    trio = rows[1]
    assert (trio["Size"], trio["A name"], trio["C name"]) == ("3", "מרים כהן", "Nguyễn Văn An")
    assert trio["B teaches A"] == "'+SUM(A1:A9)"
    assert trio["C teaches A"] == "'-2+3; '@SUM(1,2)"
    assert trio["C teaches B"] == "#N/A; \tindent; \rreturn"
    assert trio["Score"] == "1.235"
    assert trio["Notes"] == "trio; one-way: E003 teaches nothing to E005"


def test_unmatched_row_carries_the_reason_in_notes(rows: list[dict[str, str]]) -> None:
    loner = rows[2]
    assert loner["A key"] == "0042"
    assert loner["A name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert loner["A email"] == "'-loner@example.com"
    assert loner["A department"] == "'@Ops"
    assert loner["Notes"] == UNMATCHED_REASON
    assert loner["Size"] == loner["Keep"] == loner["Score"] == loner["B key"] == ""


def test_no_cell_starts_a_formula(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, value in row.items():
            if column != "Score":
                assert not value.startswith(FORMULA_TRIGGERS), (column, value)


def test_every_text_cell_is_quoted_and_figures_are_not(csv_path: Path) -> None:
    lines = csv_path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Pair,Size,Keep,A key,")  # our own column names, bare
    # Keep is blank for the coordinator to fill in: an empty text cell, quoted.
    assert lines[1].startswith('1,2,"","E001","José Álvarez",')
    assert lines[1].endswith(',0.877,""')  # the score a number, the empty Notes quoted
    assert lines[3].startswith('"unmatched","","","0042",')  # a key stays text, zeros and all


def test_no_separator_in_a_cell_starts_a_formula(tmp_path: Path) -> None:
    hostile = dataclasses.replace(PAIR.members[0], name="Bob;=1+1", department="R&D|@x")
    group = dataclasses.replace(PAIR, members=(hostile, PAIR.members[1]))
    path = tmp_path / "pairs.csv"
    write_csv(make_report(groups=(group,)), path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert (first["A name"], first["A department"]) == ("Bob;'=1+1", "R&D|'@x")
    raw = path.read_bytes().decode("utf-8-sig")
    # However a spreadsheet cuts the lines (quotes ignored), no piece starts a formula.
    for piece in re.split(r"[,;\t|\r\n]", raw):
        assert not piece.lstrip(' "').startswith(("=", "+", "-", "@")), piece


def test_pairctl_reads_its_own_csv_back_as_history(csv_path: Path) -> None:
    from pairctl.roster.history import read_history

    keys = ["E001", "E002", "E003", "E004", "E005", "0042"]
    [earlier] = read_history([str(csv_path)], keys)
    pairs, name = earlier.pairs, earlier.name
    assert name == "pairs.csv"
    assert sorted(pairs) == [(0, 1), (2, 3), (2, 4), (3, 4)]  # the pair and the trio


def test_not_finite_score_is_an_empty_cell(tmp_path: Path) -> None:
    group = dataclasses.replace(PAIR, score=math.nan)
    path = tmp_path / "pairs.csv"
    write_csv(make_report(groups=(group,)), path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert first["Pair"] == "1"
    assert first["Score"] == ""
