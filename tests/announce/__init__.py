"""Tests of `pairctl announce`, and the rounds they announce."""

from __future__ import annotations

import csv
import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from cli_helpers import fake_env as fake_env  # re-exported for the tests here
from cli_helpers import run, small_roster, write_csv

from pairctl.shell.announce import announce
from pairctl.shell.environment import Environment

SAMPLE = Path(__file__).parents[2] / "sample_data" / "roster.csv"
SENDER = "HR Team <hr@example.org>"


def match(roster: Path, sheet: Path, *options: str) -> Path:
    """Pair `roster` with the CLI into `sheet` (.xlsx or .csv)."""
    result = run("match", str(roster), "-o", str(sheet), *options)
    assert result.exit_code == 0, result.stderr
    return sheet


def sample_round(folder: Path, suffix: str = ".xlsx") -> Path:
    return match(SAMPLE, folder / f"round{suffix}")


def hostile_round(folder: Path) -> Path:
    """Nine people (one left out): a name that tries to add a header, one with a script,
    one without an email (E008)."""
    rows = list(csv.reader(small_roster(folder / "small.csv").open(encoding="utf-8")))[1:]
    rows[1][1] = "Bob\r\nBcc: x@y"
    rows[2][1] = "<script>alert(1)</script>"
    rows[7][2] = ""
    rows.append(
        ["E009", "Ida Nilsson", "ida@example.org", "Recruiter", "People", "People", "5",
         "Interviewing", "Python"]
    )  # fmt: skip
    write_csv(folder / "hostile.csv", rows)
    return match(folder / "hostile.csv", folder / "hostile-round.xlsx", "--odd", "leave-out")


def call(env: Environment, sheet: Path, outbox: Path, **given: Any) -> None:
    """`announce` with every option at its default unless given."""
    options: dict[str, Any] = {
        "sender": SENDER,
        "template": None,
        "meeting": None,
        "duration": None,
        "tz": None,
        "unmatched": True,
        "send": False,
        "smtp": None,
        "smtp_ssl": False,
        "smtp_user": None,
        "force": False,
        "as_json": False,
    }
    options.update(given)
    announce(env, sheet, outbox, **options)


def messages(outbox: Path) -> dict[str, EmailMessage]:
    """Every .eml of the outbox, parsed as a mail client would, by file name."""
    parser = BytesParser(policy=email.policy.default)
    out = {}
    for path in sorted(outbox.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        out[path.name] = message
    return out


def manifest(outbox: Path) -> list[dict[str, str]]:
    with (outbox / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def sheet_rows(sheet: Path, name: str) -> list[dict[str, Any]]:
    """A sheet of pairctl's xlsx as dicts by header name (openpyxl: not the code under test)."""
    from openpyxl import load_workbook

    rows = list(load_workbook(sheet, read_only=True)[name].iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def recipients(message: EmailMessage) -> set[str]:
    return {address.addr_spec for address in message["To"].addresses}
