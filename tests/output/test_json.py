from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from pairctl.core.report import RunReport
from pairctl.output.json_out import report_to_dict, write_json

from .report_data import METRICS, UNMATCHED_REASON, make_report


def test_shape(report: RunReport) -> None:
    data = report_to_dict(report)
    assert list(data) == [
        "people",
        "pairs",
        "unmatched",
        "total_score",
        "metrics",
        "baseline",
        "solver",
        "seed",
        "quality",
        "warnings",
        "run_info",
    ]
    assert data["people"] == 6
    assert data["total_score"] == 2.1111
    assert data["solver"] == "greedy-swap"
    assert data["seed"] == 7
    assert data["warnings"] == ["1 person has no skills listed", "=cmd|' /C calc'!A0"]
    assert data["unmatched"] == [{"key": "0042", "reason": UNMATCHED_REASON}]
    assert data["run_info"]["Input SHA-256"] == "ab" * 32
    assert list(data["run_info"]) == ["Input", "Input SHA-256", "Column for skills", "Seed"]


def test_pairs_and_trios(report: RunReport) -> None:
    pair, trio = report_to_dict(report)["pairs"]
    assert pair == {
        "members": ["E001", "E002"],
        "score": 0.8765,
        "lessons": [
            {"teacher": "E001", "learner": "E002", "skills": ["=1+1", "python"]},
            {"teacher": "E002", "learner": "E001", "skills": ["negotiation"]},
        ],
        "notes": [],
    }
    assert trio["members"] == ["E003", "E004", "E005"]
    assert trio["score"] == 1.2346
    assert len(trio["lessons"]) == 6
    assert {"teacher": "E003", "learner": "E005", "skills": []} in trio["lessons"]
    assert trio["notes"] == ["trio", "one-way: E003 teaches nothing to E005"]


def test_metrics_have_every_field_rounded(report: RunReport) -> None:
    data = report_to_dict(report)
    names = [field.name for field in dataclasses.fields(METRICS)]
    assert list(data["metrics"]) == names
    assert list(data["baseline"]) == names
    assert data["metrics"]["mean_score"] == 0.5278
    assert data["baseline"]["cross_specialty_pct"] == 66.6667
    assert data["baseline"]["pairs"] == 1 and isinstance(data["baseline"]["pairs"], int)


def test_file_is_the_dict_as_utf8_json(report: RunReport, tmp_path: Path) -> None:
    path = tmp_path / "pairs.json"
    write_json(report, path)
    raw = path.read_bytes()
    assert "Zoë".encode() not in raw  # people appear by key only
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert json.loads(raw.decode("utf-8")) == report_to_dict(report)


def test_not_finite_numbers_become_null(tmp_path: Path) -> None:
    report = make_report()
    nan_metrics = dataclasses.replace(report.metrics, mean_score=math.nan)
    report = dataclasses.replace(report, metrics=nan_metrics)
    path = tmp_path / "pairs.json"
    write_json(report, path)
    assert json.loads(path.read_text(encoding="utf-8"))["metrics"]["mean_score"] is None
