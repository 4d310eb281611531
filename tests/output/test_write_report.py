from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from pairctl.core.report import RunReport
from pairctl.errors import ExitCode, OutputError, UsageError
from pairctl.output import write_report


@pytest.mark.parametrize("name", ["pairs.xlsx", "pairs.csv", "pairs.json", "PAIRS.XLSX"])
def test_writes_each_format_and_leaves_no_temp_file(
    report: RunReport, tmp_path: Path, name: str
) -> None:
    write_report(report, tmp_path / name)
    assert os.listdir(tmp_path) == [name]


def test_format_follows_the_suffix(report: RunReport, tmp_path: Path) -> None:
    write_report(report, tmp_path / "a.xlsx")
    write_report(report, tmp_path / "a.csv")
    write_report(report, tmp_path / "a.json")
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames[0] == "Pairs"
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfPair,Size,")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["seed"] == 7


def test_replaces_an_existing_sheet(report: RunReport, tmp_path: Path) -> None:
    target = tmp_path / "pairs.csv"
    target.write_text("last quarter", encoding="utf-8")
    write_report(report, target)
    assert "last quarter" not in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name", ["pairs.txt", "pairs.xls", "pairs"])
def test_unsupported_suffix_is_a_usage_error(report: RunReport, tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError) as caught:
        write_report(report, tmp_path / name)
    assert caught.value.exit_code == ExitCode.USAGE
    assert ".xlsx, .csv, .json" in caught.value.message
    assert name in caught.value.message
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_missing_folder_is_an_output_error(report: RunReport, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "missing" / f"pairs{suffix}"
    with pytest.raises(OutputError, match="no such folder") as caught:
        write_report(report, target)
    assert caught.value.exit_code == ExitCode.CANNOT_WRITE
