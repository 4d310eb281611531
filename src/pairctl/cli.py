"""The command line: parse options, read, pair, write, render; map errors to exit codes.

Heavy imports (numpy, openpyxl, calamine) happen inside the commands so `--help` and
`--version` stay fast.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from pairctl import __version__
from pairctl.errors import ExitCode, PairctlError, RosterError, UsageError

if TYPE_CHECKING:
    from pairctl.core.matching import OddRule, Solver


def _one_line(text: str) -> str:
    """Messages become one line: cron mails and log greps read errors line by line."""
    return " ".join(text.split())


class _OneLineErrors(TyperGroup):
    """Option and argument mistakes as one `pairctl: error:` line with exit code 2, instead of
    the usual usage block, so every failure reads the same in a cron mail."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except Exception as err:
            # Click's errors (bad option, missing argument) carry their own text and code;
            # everything else was already turned into an exit code inside the command.
            describe = getattr(err, "format_message", None)
            if describe is None:
                raise
            if type(err).__name__ == "NoArgsIsHelpError":
                err.show()  # type: ignore[attr-defined]  # plain `pairctl`: show the help
            else:
                typer.echo(
                    f"pairctl: error: {_one_line(describe())} (see pairctl --help)", err=True
                )
            code = int(ExitCode.USAGE)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    help="Pair colleagues for two-way mentoring across specialties, from a roster spreadsheet.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OddChoice(enum.StrEnum):
    trio = "trio"
    leave_out = "leave-out"


class SolverChoice(enum.StrEnum):
    greedy_swap = "greedy-swap"
    exact = "exact"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pairctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Pair colleagues for two-way mentoring across specialties."""


def parse_mapping(items: list[str]) -> list[tuple[str, str]]:
    """`FIELD=COLUMN` options into pairs; the reader checks the fields and finds the columns."""
    pairs = []
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise UsageError(
                f"--map {item!r}: expected FIELD=COLUMN, e.g. --map specialty='Job Role'"
            )
        pairs.append((field, column))
    return pairs


def _fail(err: BaseException, debug: bool) -> None:
    """Print one line to stderr (the traceback too with --debug) and exit with its code."""
    if debug:
        traceback.print_exception(err, file=sys.stderr)
    if isinstance(err, PairctlError):
        typer.echo(f"pairctl: error: {_one_line(err.message)}", err=True)
        raise typer.Exit(int(err.exit_code))
    typer.echo(
        f"pairctl: internal error: {type(err).__name__}: {_one_line(str(err))} "
        "(rerun with --debug for the traceback)",
        err=True,
    )
    raise typer.Exit(int(ExitCode.INTERNAL))


@app.command()
def match(
    roster: Annotated[
        str,
        typer.Argument(
            metavar="ROSTER", help="Roster file (.csv .xlsx .xls .ods), or - for CSV on stdin."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write (.xlsx .csv .json). "
            "Default: pairs-YYYY-MM-DD.xlsx beside the roster.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(help="Workbook sheet to read (default: the first that looks like a roster)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=COLUMN",
            help="Say which column holds a field (repeatable): key, name, "
            "email, specialty, skills, wants, experience, department, manager.",
        ),
    ] = None,
    seed: Annotated[
        int,
        typer.Option(min=0, max=2**32 - 1, help="Seed for tie-breaking and the random baseline."),
    ] = 0,
    odd: Annotated[
        OddChoice,
        typer.Option(help="Odd head-count: the extra person joins a trio, or is left out."),
    ] = OddChoice.trio,
    solver: Annotated[
        SolverChoice,
        typer.Option(
            help="greedy-swap (fast, near-optimal) or exact (the true optimum; at most "
            "1,000 people, minutes at that size)."
        ),
    ] = SolverChoice.greedy_swap,
    avoid: Annotated[
        list[Path] | None,
        typer.Option(
            "--avoid",
            metavar="FILE",
            help="CSV of person-key pairs never to pair (repeatable; two columns, header "
            "optional).",
        ),
    ] = None,
    pin: Annotated[
        list[Path] | None,
        typer.Option(
            "--pin",
            metavar="FILE",
            help="CSV of person-key pairs that must be paired (repeatable; two columns, header "
            "optional). They are fixed before the rest is optimised.",
        ),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            metavar="PATH",
            help="Earlier rounds: pairctl sheets (xlsx, csv, json) or two-column CSVs of keys, "
            "or a folder of them (repeatable). Their pairs are not repeated unless nothing "
            "else is possible, and then they are flagged.",
        ),
    ] = None,
    chain_depth: Annotated[
        int,
        typer.Option(
            min=0,
            help="Never pair people within this many levels of one reporting chain (needs a "
            "manager column holding the manager's key): 1 = direct manager, 2 = also "
            "skip-level; 0 = off.",
        ),
    ] = 2,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Do everything but write the sheet.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object to stdout instead of the summary.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Read a roster, pair everyone two-way across specialties, write the pairing sheets."""
    try:
        _match(
            MatchRun(
                roster=roster,
                output=output,
                sheet=sheet,
                mapping=parse_mapping(map_ or []),
                seed=seed,
                odd="trio" if odd is OddChoice.trio else "leave-out",
                solver="exact" if solver is SolverChoice.exact else "greedy-swap",
                avoid=[str(p) for p in avoid or []],
                pin=[str(p) for p in pin or []],
                history=[str(p) for p in history or []],
                chain_depth=chain_depth,
                dry_run=dry_run,
                as_json=as_json,
                force=force,
            )
        )
    except (typer.Exit, BrokenPipeError):
        raise  # Click turns a closed pipe (`pairctl ... | head`) into a quiet exit
    except Exception as err:  # the one place errors become exit codes
        _fail(err, debug)


@dataclass(frozen=True)
class MatchRun:
    """What `pairctl match` was asked to do, once the options are parsed."""

    roster: str
    output: Path | None
    sheet: str | None
    mapping: list[tuple[str, str]]
    seed: int
    odd: OddRule
    solver: Solver
    avoid: list[str]
    pin: list[str]
    history: list[str]
    chain_depth: int
    dry_run: bool
    as_json: bool
    force: bool


def _match(run: MatchRun) -> None:
    import numpy as np

    from pairctl.core.matching import match_with_pins
    from pairctl.core.quality import NOT_MEASURED, assess
    from pairctl.core.rules import avoid_pairs, reporting_line_pairs, taking_no_part
    from pairctl.core.scoring import Weights, score_roster
    from pairctl.core.summary import build_report, run_info_rows
    from pairctl.output import write_report
    from pairctl.output.destination import check_output, default_output, next_dated_name
    from pairctl.output.json_out import report_to_dict
    from pairctl.output.terminal import (
        make_console,
        progress_reporter,
        render_summary,
        render_warnings,
    )
    from pairctl.roster import read_roster
    from pairctl.roster.history import read_history
    from pairctl.roster.pair_list import check_pins, read_pair_list

    now = dt.datetime.now().astimezone()
    target = None
    if not run.dry_run:
        # Check the destination before the work, so a bad -o fails fast and writes nothing.
        target = check_output(
            run.output or default_output(run.roster, now.date()), run.roster, force=run.force
        )

    roster = read_roster(
        run.roster,
        sheet=run.sheet,
        mapping=run.mapping,
        stdin=sys.stdin.buffer if run.roster == "-" else None,
    )
    weights = Weights()
    model = score_roster(roster, weights)
    keys = [p.key for p in roster.people]
    reasons = reporting_line_pairs(roster.people, run.chain_depth)
    for path in run.avoid:
        reasons.update(avoid_pairs(read_pair_list(path, keys), roster.people))
    if reasons:
        model = model.with_blocked(np.array(sorted(reasons), dtype=np.int64))
    pins = check_pins(
        [pair for path in run.pin for pair in read_pair_list(path, keys)], reasons, keys
    )
    absent = taking_no_part(roster.people, now.date())
    for a, b in pins:
        for person in (a, b):
            if person in absent:
                raise RosterError(f"--pin: {keys[person]!r} is pinned but {absent[person]}")
    earlier = read_history(run.history, keys) if run.history else []
    if earlier:
        model = model.with_repeats(np.array([(a, b) for a, b, _ in earlier], dtype=np.int64))
    err = make_console(sys.stderr)
    with progress_reporter(err, len(keys), quiet=run.as_json) as step:
        pairing = match_with_pins(
            model,
            keys,
            pins,
            absent,
            seed=run.seed,
            odd=run.odd,
            solver=run.solver,
            progress=step,
            rule_reasons=reasons,
        )
        step("measuring quality")
        # Judged on the people the matcher was free to pair (pinned pairs were given).
        pinned = {p for pair in pins for p in pair}
        free = np.array(
            [i for i in range(len(keys)) if i not in pinned and i not in absent], dtype=np.int64
        )
        quality = assess(model.permuted(free), pairing) if len(free) >= 2 else NOT_MEASURED
    info = run_info_rows(
        roster,
        weights_text=weights.as_text(),
        seed=run.seed,
        solver=pairing.solver,
        odd=run.odd,
        version=__version__,
        run_at=now.isoformat(timespec="seconds"),
    )
    info += [
        (
            "Reporting-line rule",
            f"no pairs within {run.chain_depth} level(s) of one chain"
            if run.chain_depth
            else "off",
        ),
        ("Avoid lists", ", ".join(run.avoid) or "(none)"),
        ("Pairs forbidden by rules", str(len(reasons))),
        ("Pinned pairs", f"{len(pins)} ({', '.join(run.pin)})" if pins else "(none)"),
        ("History", ", ".join(run.history) or "(none)"),
        ("Earlier pairs not to repeat", str(len({(min(a, b), max(a, b)) for a, b, _ in earlier}))),
    ]
    report = build_report(roster, model, pairing, odd=run.odd, run_info=info, quality=quality)

    written = None
    if target is not None:
        # A dated default name moves on to -2, -3 if another run takes it meanwhile; a name
        # given with -o is replaced only with --force.
        written = write_report(
            report, target, replace=run.force, next_name=None if run.output else next_dated_name
        )
    outcome = f"Wrote {written}" if written else "Dry run: nothing written."

    render_warnings(err, report.warnings)
    if run.as_json:
        data = {**report_to_dict(report), "output": str(written) if written else None}
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        render_summary(make_console(sys.stdout), report, source=run.roster, outcome=outcome)


def main() -> None:
    """Console-script entry point."""
    app()
