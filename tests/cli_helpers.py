"""Shared helpers for the CLI tests: write small rosters, run the app, read sheets back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from typer.testing import CliRunner

from pairctl.cli import app
from pairctl.shell.environment import Environment

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
"""The clock of `fake_env`."""

HEADER = [
    "Employee ID",
    "Full name",
    "Email",
    "Job title",
    "Specialty",
    "Department",
    "Years of experience",
    "Skills",
    "Wants to learn",
]


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def small_roster(path: Path) -> Path:
    """Eight people in four specialties, each with something another wants."""
    rows = [
        [
            "E001",
            "Ana Souza",
            "ana@example.org",
            "Engineer II",
            "Engineering",
            "Product",
            "2",
            "Python; SQL",
            "Negotiation; Budgeting",
        ],
        [
            "E002",
            "Bo Lindqvist",
            "bo@example.org",
            "Sales Director",
            "Sales",
            "Revenue",
            "19",
            "Negotiation; Public speaking",
            "Python; Figma",
        ],
        [
            "E003",
            "Chen Wei",
            "chen@example.org",
            "Analyst",
            "Finance",
            "Finance",
            "7",
            "Budgeting; Excel",
            "Python; Design thinking",
        ],
        [
            "E004",
            "Dana Okafor",
            "dana@example.org",
            "Designer",
            "Design",
            "Product",
            "4",
            "Design thinking; Figma",
            "Negotiation; SQL",
        ],
        [
            "E005",
            "Eli Cohen",
            "eli@example.org",
            "Staff Engineer",
            "Engineering",
            "Platform",
            "15",
            "Python; Kubernetes",
            "Public speaking; Figma",
        ],
        [
            "E006",
            "Fatima Zahra",
            "fatima@example.org",
            "Account Exec",
            "Sales",
            "Revenue",
            "3",
            "Public speaking; CRM",
            "Kubernetes; Budgeting",
        ],
        [
            "E007",
            "Gus Moreau",
            "gus@example.org",
            "Controller",
            "Finance",
            "Finance",
            "25",
            "Excel; Forecasting",
            "Figma; SQL",
        ],
        [
            "E008",
            "Hana Sato",
            "hana@example.org",
            "UX Lead",
            "Design",
            "Product",
            "11",
            "Figma; Research",
            "Forecasting; CRM",
        ],
    ]
    return write_csv(path, rows)


def run(*args: str, input: str | None = None):
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), input=input)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_rows(path: Path) -> list[list[str]]:
    """The data rows of a CSV written by `write_csv` (header dropped)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


def fake_env() -> Environment:
    """No terminal, no colour, a fixed clock; what the command prints is in `env.stdout` and
    `env.stderr` (StringIO)."""
    return Environment(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin=None,
        stdout_is_terminal=False,
        stderr_is_terminal=False,
        no_color=True,
        now=lambda: NOW,
    )
