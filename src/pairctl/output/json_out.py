"""The pairing as JSON for scripts. The shape is an API: add keys, never rename or drop them.

```
{"people": n,
 "pairs": [{"members": [key, ...], "score": x,
            "lessons": [{"teacher": key, "learner": key, "skills": [...]}], "notes": [...],
            "gap_hours": x | null,
            "member_details": [{"key": key, "timezone": "..." | null, "site": "..." | null,
                                "languages": [...]}]}],
 "unmatched": [{"key": key, "reason": "..."}],
 "total_score": x, "metrics": {...}, "baseline": {...},
 "solver": "...", "seed": n,
 "quality": {"reference": "exact" | "bound" | "none", "value": x | null, "percent": x | null},
 "warnings": [...], "run_info": {label: value}, "round_date": "YYYY-MM-DD"}
```

A trio has three members. Keys are strings. Floats are rounded to 4 decimals; a float that is
not finite (NaN, infinity) becomes null, since JSON has no such number. `gap_hours` is there
when the roster has a time zone or location column, `member_details` when it has any of the
time zone, location and languages columns, each member holding the keys of the columns the
roster has (`meeting_columns`).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pairctl.core.explain import Option
from pairctl.core.model import Person, Roster
from pairctl.core.report import GroupView, Metrics, RunReport
from pairctl.core.validation import Finding
from pairctl.output.atomic import atomic_write
from pairctl.output.tables import MeetingColumns, explained_columns, meeting_columns

if TYPE_CHECKING:
    from pairctl.roster.header import ColumnSurvey

DECIMALS = 4


def report_to_dict(report: RunReport) -> dict[str, Any]:
    """The report as plain JSON-ready data, in the documented shape."""
    shown = meeting_columns(report)
    out: dict[str, Any] = {
        "people": report.metrics.people,
        "pairs": [_group(group, shown) for group in report.groups],
        "unmatched": [{"key": person.key, "reason": reason} for person, reason in report.unmatched],
        "total_score": _number(report.metrics.total_score),
        "metrics": _metrics(report.metrics, shown),
        "baseline": _metrics(report.baseline, shown),
        "solver": report.solver,
        "seed": report.seed,
        "quality": {
            "reference": report.quality.reference,
            "value": None if report.quality.value is None else _number(report.quality.value),
            "percent": None if report.quality.percent is None else _number(report.quality.percent),
        },
        "warnings": list(report.warnings),
        "run_info": dict(report.run_info),
    }
    if report.round_date:  # every run has one; a report built by hand may not
        out["round_date"] = report.round_date
    return out


def write_json(report: RunReport, path: Path) -> None:
    """Write the report as UTF-8 JSON (no BOM) to `path`, replacing it atomically."""
    atomic_write(Path(path), lambda tmp: save_json(report, tmp))


def save_json(report: RunReport, path: Path) -> None:
    """Save the JSON to `path` as it is (no atomic replace: `atomic_write` does that)."""
    text = json.dumps(report_to_dict(report), ensure_ascii=False, indent=2, allow_nan=False)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text + "\n")


def _group(group: GroupView, shown: MeetingColumns) -> dict[str, Any]:
    out: dict[str, Any] = {
        "members": [person.key for person in group.members],
        "score": _number(group.score),
        "lessons": [
            {"teacher": lesson.teacher, "learner": lesson.learner, "skills": list(lesson.skills)}
            for lesson in group.lessons
        ],
        "notes": list(group.notes),
    }
    if shown.zones:
        out["gap_hours"] = _hours(group.gap)
    if shown.fields():
        out["member_details"] = [_member(person, shown) for person in group.members]
    return out


def _member(person: Person, shown: MeetingColumns) -> dict[str, Any]:
    """What says whether this member can meet the others: only the roster's columns."""
    out: dict[str, Any] = {"key": person.key}
    if shown.zones:
        out["timezone"] = person.timezone or None
    if shown.sites:
        out["site"] = person.site or None
    if shown.languages:
        out["languages"] = list(person.languages)
    return out


def _metrics(metrics: Metrics, shown: MeetingColumns) -> dict[str, Any]:
    out = {
        field.name: _number(getattr(metrics, field.name)) for field in dataclasses.fields(metrics)
    }
    if not shown.zones:
        # Without a time zone or location column nobody's gap is known: not "0 groups".
        out["far_apart"] = None
    return out


def _hours(gap: float | None) -> float | int | None:
    return None if gap is None else _number(gap)


def explanation_to_dict(
    person: str,
    chosen: Sequence[Option],
    others: Sequence[Option],
    roster: Roster | None = None,
) -> dict[str, Any]:
    """`pairctl explain --json`: `{"person", "chosen": [...], "alternatives": [...]}`, each
    candidate with its score and parts rounded (a part that is zero is left out).

    When the roster has a time zone or location column, each candidate gets `gap_hours`
    and, given the `roster`, the person their `timezone`; with a languages column, the
    candidate's and the person's `languages`."""
    options = [*chosen, *others]
    zones, languages = explained_columns(options, roster)
    out: dict[str, Any] = {"person": person}
    who = _person(person, roster)
    if who is not None and zones:
        out["timezone"] = who.timezone or None
    if who is not None and languages:
        out["languages"] = list(who.languages)
    out["chosen"] = [_option(o, zones, languages) for o in chosen]
    out["alternatives"] = [_option(o, zones, languages) for o in others]
    return out


def _person(key: str, roster: Roster | None) -> Person | None:
    if roster is None:
        return None
    return next((p for p in roster.people if p.key == key), None)


def _option(option: Option, zones: bool, languages: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": option.key,
        "name": option.name,
        "score": _number(option.score),
        "parts": {k: _number(v) for k, v in option.parts.items() if _number(v)},
        "teaches": list(option.teaches),
        "learns": list(option.learns),
        "verdict": option.verdict,
    }
    if zones:
        out["gap_hours"] = _hours(option.gap)
    if languages:
        out["languages"] = list(option.languages)
    return out


def findings_to_dict(roster: str, findings: Sequence[Finding], can_pair: bool) -> dict[str, Any]:
    """`pairctl validate --json`: `{"roster", "can_pair", "findings": [{level, topic,
    message}]}`."""
    return {
        "roster": roster,
        "can_pair": can_pair,
        "findings": [{"level": f.level, "topic": f.topic, "message": f.message} for f in findings],
    }


def columns_to_dict(roster: str, sheet: str, survey: ColumnSurvey) -> dict[str, Any]:
    """`pairctl columns --json`: `{"roster", "sheet", "header_row", "columns": [{column,
    sample, field, why}]}`; `sheet` is null for CSV, `field` null for a column feeding none."""
    return {
        "roster": roster,
        "sheet": sheet or None,
        "header_row": survey.header_row,
        "columns": [
            {"column": c.column, "sample": c.sample, "field": c.field, "why": c.why}
            for c in survey.columns
        ],
    }


def _number(value: float) -> float | int | None:
    """A figure for JSON: rounded, never NaN or infinite (null), never -0.0."""
    if isinstance(value, float):
        # + 0.0 turns -0.0 into 0.0: a rule term that did not apply is no "minus zero".
        return round(value, DECIMALS) + 0.0 if math.isfinite(value) else None
    return value
