"""The command line: parse options, read, pair, write, render; map errors to exit codes.

Heavy imports (numpy, openpyxl, calamine) happen inside the commands so `--help` and
`--version` stay fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from pairctl import __version__
from pairctl.errors import ExitCode, Interrupted, PairctlError, UsageError

if TYPE_CHECKING:
    from pairctl.config import Settings
    from pairctl.pipeline import RoundRequest


def _one_line(text: str) -> str:
    """Messages become one line, with nothing a terminal would obey: cron mails and log
    greps read errors line by line, and a file name may hold escape codes."""
    from pairctl.output.printable import message_line

    return message_line(text)


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
            if type(err).__name__ == "Abort":
                # Ctrl-C before a command's body started (Click turns it into Abort).
                typer.echo("pairctl: interrupted (SIGINT)", err=True)
                describe, code = None, int(ExitCode.INTERRUPTED)
            elif describe is None:
                raise
            elif type(err).__name__ == "NoArgsIsHelpError":
                err.show()  # type: ignore[attr-defined]  # plain `pairctl`: show the help
            else:
                typer.echo(
                    f"pairctl: error: {_one_line(describe())} (see pairctl --help)", err=True
                )
            if describe is not None:
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


@contextlib.contextmanager
def _reported(debug: bool) -> Iterator[None]:
    """Run a command's body: the one place errors and signals become exit codes."""
    from pairctl.process import signals_interrupt

    try:
        with signals_interrupt():
            yield
    except (typer.Exit, BrokenPipeError):
        raise  # Click turns a closed pipe (`pairctl ... | head`) into a quiet exit
    except Interrupted as stop:
        if debug:
            traceback.print_exception(stop, file=sys.stderr)
        typer.echo(
            f"pairctl: stopped by {stop.signal_name}; no half-written file was left", err=True
        )
        raise typer.Exit(int(stop.exit_code)) from None
    except KeyboardInterrupt:
        typer.echo("pairctl: interrupted (SIGINT); no half-written file was left", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except Exception as err:
        _fail(err, debug)


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
        int | None,
        typer.Option(
            min=0,
            max=2**32 - 1,
            help="Seed for tie-breaking and the random baseline (default 0).",
            show_default=False,
        ),
    ] = None,
    odd: Annotated[
        OddChoice | None,
        typer.Option(
            help="Odd head-count: the extra person joins a trio (default), or is left out.",
            show_default=False,
        ),
    ] = None,
    solver: Annotated[
        SolverChoice | None,
        typer.Option(
            help="greedy-swap (default: fast, near-optimal) or exact (the true optimum; at "
            "most 1,000 people, minutes at that size).",
            show_default=False,
        ),
    ] = None,
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
    history_rounds: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Count only the last N history rounds as repeats (default 0: all given).",
            show_default=False,
        ),
    ] = None,
    chain_depth: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Never pair people within this many levels of one reporting chain (needs a "
            "manager column holding the manager's key): 1 = direct manager, 2 = also "
            "skip-level (default); 0 = off.",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Settings file (default: pairctl.toml beside the roster, if there is one). "
            "Options given here win over it.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Do everything but write the sheet.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing on success (warnings still go to stderr)."
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit with code 6 when the run finished with warnings (for cron)."
        ),
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
    with _reported(debug):
        _match(
            MatchRun(
                **_round_options(
                    roster,
                    sheet,
                    map_,
                    seed,
                    odd,
                    solver,
                    avoid,
                    pin,
                    history,
                    history_rounds,
                    chain_depth,
                    config,
                ),
                output=output,
                dry_run=dry_run,
                quiet=quiet,
                strict=strict,
                as_json=as_json,
                force=force,
            )
        )


@dataclass(frozen=True)
class MatchRun:
    """What `pairctl match` was asked to do, once the options are parsed."""

    roster: str
    output: Path | None
    sheet: str | None
    mapping: list[tuple[str, str]]
    seed: int | None
    odd: str | None
    solver: str | None
    avoid: list[str]
    pin: list[str]
    history: list[str]
    chain_depth: int | None
    history_rounds: int | None
    config: str | None
    dry_run: bool
    quiet: bool
    strict: bool
    as_json: bool
    force: bool


def _with_settings(run: MatchRun) -> tuple[MatchRun, Settings]:
    """The run with every option not given on the command line taken from the settings file
    (or the built-in default): flags win, field by field and list by list."""
    from pairctl.config import find_settings

    settings = find_settings(run.roster, run.config)
    given = {field.strip().casefold() for field, _ in run.mapping}
    mapping = [(f, c) for f, c in settings.columns.items() if f.casefold() not in given]
    return (
        replace(
            run,
            mapping=mapping + run.mapping,
            seed=_first(run.seed, settings.seed, 0),
            odd=_first(run.odd, settings.odd, "trio"),
            solver=_first(run.solver, settings.solver, "greedy-swap"),
            chain_depth=_first(run.chain_depth, settings.chain_depth, 2),
            history_rounds=_first(run.history_rounds, settings.history_rounds, 0),
            avoid=run.avoid or settings.avoid,
            pin=run.pin or settings.pin,
            history=run.history or settings.history,
        ),
        settings,
    )


def _round_options(
    roster: str,
    sheet: str | None,
    map_: list[str] | None,
    seed: int | None,
    odd: OddChoice | None,
    solver: SolverChoice | None,
    avoid: list[Path] | None,
    pin: list[Path] | None,
    history: list[Path] | None,
    history_rounds: int | None,
    chain_depth: int | None,
    config: Path | None,
) -> dict[str, Any]:
    """The options `match` and `explain` share, as MatchRun fields (None: not given)."""
    return {
        "roster": roster,
        "sheet": sheet,
        "mapping": parse_mapping(map_ or []),
        "seed": seed,
        "odd": None if odd is None else odd.value,
        "solver": None if solver is None else solver.value,
        "avoid": [str(p) for p in avoid or []],
        "pin": [str(p) for p in pin or []],
        "history": [str(p) for p in history or []],
        "chain_depth": chain_depth,
        "history_rounds": history_rounds,
        "config": None if config is None else str(config),
    }


def _round_request(run: MatchRun) -> RoundRequest:
    """The merged options (`_with_settings`) as the pipeline's typed request."""
    from pairctl.pipeline import RoundRequest

    return RoundRequest(
        roster=run.roster,
        sheet=run.sheet,
        mapping=run.mapping,
        seed=run.seed or 0,
        odd="leave-out" if run.odd == "leave-out" else "trio",
        solver="exact" if run.solver == "exact" else "greedy-swap",
        avoid=run.avoid,
        pin=run.pin,
        history=run.history,
        chain_depth=run.chain_depth or 0,
        history_rounds=run.history_rounds or 0,
    )


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def _match(given: MatchRun) -> None:
    from pairctl.core.summary import build_report, run_info_rows
    from pairctl.output import write_report
    from pairctl.output.atomic import remove_stale_temps
    from pairctl.output.destination import check_output, default_output, next_dated_name
    from pairctl.output.json_out import report_to_dict
    from pairctl.output.lock import folder_lock
    from pairctl.output.terminal import (
        make_console,
        progress_reporter,
        render_summary,
        render_warnings,
    )
    from pairctl.pipeline import plan_round

    run, settings = _with_settings(given)
    request = _round_request(run)
    seed, odd, chain_depth = request.seed, request.odd, request.chain_depth
    history_rounds = request.history_rounds

    now = dt.datetime.now().astimezone()
    target = None
    if not run.dry_run:
        # Check the destination before the work, so a bad -o fails fast and writes nothing.
        target = check_output(
            run.output or default_output(run.roster, now.date()), run.roster, force=run.force
        )

    with contextlib.ExitStack() as hold:
        if target is not None:
            # One run at a time per output folder: a second one fails at once, cleanly.
            hold.enter_context(folder_lock(target.parent))
            remove_stale_temps(target)
        err = make_console(sys.stderr)
        planned = plan_round(
            request,
            settings,
            now.date(),
            lambda people: progress_reporter(err, people, quiet=run.as_json),
        )
        roster, pairing, weights = planned.roster, planned.pairing, settings.weights
        info = run_info_rows(
            roster,
            weights_text=weights.as_text(),
            seed=seed,
            solver=pairing.solver,
            odd=odd,
            version=__version__,
            run_at=now.isoformat(timespec="seconds"),
        )
        info += [
            (
                "Reporting-line rule",
                f"no pairs within {chain_depth} level(s) of one chain" if chain_depth else "off",
            ),
            ("Avoid lists", ", ".join(run.avoid) or "(none)"),
            ("Pairs forbidden by rules", str(len(planned.reasons))),
            (
                "Pinned pairs",
                f"{len(planned.pins)} ({', '.join(run.pin)})" if planned.pins else "(none)",
            ),
            ("History", ", ".join(run.history) or "(none)"),
            ("Settings file", settings.path or "(none)"),
            ("Earlier pairs not to repeat", str(planned.earlier_pairs)),
            ("History rounds counted", f"last {history_rounds}" if history_rounds else "all given"),
        ]
        report = build_report(
            roster, planned.model, pairing, odd=odd, run_info=info, quality=planned.quality
        )

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
            data = {
                **report_to_dict(report),
                "output": str(written) if written else None,
                "settings": settings.path or None,
            }
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif not run.quiet:
            render_summary(
                make_console(sys.stdout),
                report,
                source=run.roster,
                outcome=outcome,
                settings_path=settings.path,
            )
        if run.strict and report.warnings:
            typer.echo(
                f"pairctl: finished with {len(report.warnings)} warning(s) (--strict)", err=True
            )
            raise typer.Exit(int(ExitCode.WARNINGS))


@app.command()
def explain(
    roster: Annotated[str, typer.Argument(metavar="ROSTER", help="Roster file.")],
    key: Annotated[str, typer.Argument(metavar="KEY", help="The person key to explain.")],
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet to read.")] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="FIELD=COLUMN", help="Say which column holds a field."),
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="As for match.")] = None,
    odd: Annotated[OddChoice | None, typer.Option(help="As for match.")] = None,
    solver: Annotated[SolverChoice | None, typer.Option(help="As for match.")] = None,
    avoid: Annotated[list[Path] | None, typer.Option("--avoid", help="As for match.")] = None,
    pin: Annotated[list[Path] | None, typer.Option("--pin", help="As for match.")] = None,
    history: Annotated[list[Path] | None, typer.Option("--history", help="As for match.")] = None,
    history_rounds: Annotated[int | None, typer.Option(min=0, help="As for match.")] = None,
    chain_depth: Annotated[int | None, typer.Option(min=0, help="As for match.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="As for match.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Why KEY got their partner: the chosen one and the next best, each score taken apart.

    Give the same options as the `match` run it should agree with (seed, rules, history).
    """
    with _reported(debug):
        from pairctl.core.explain import explain as explain_person
        from pairctl.output.terminal import make_console, render_explanation, render_settings
        from pairctl.pipeline import plan_round

        run, settings = _with_settings(
            MatchRun(
                **_round_options(
                    roster,
                    sheet,
                    map_,
                    seed,
                    odd,
                    solver,
                    avoid,
                    pin,
                    history,
                    history_rounds,
                    chain_depth,
                    config,
                ),
                output=None,
                dry_run=True,
                quiet=False,
                strict=False,
                as_json=as_json,
                force=False,
            )
        )
        now = dt.datetime.now().astimezone()
        planned = plan_round(
            _round_request(run),
            settings,
            now.date(),
            lambda people: _no_progress(),
        )
        keys = [p.key for p in planned.roster.people]
        if key not in keys:
            raise UsageError(f"{roster}: no one on the roster has the key {key!r}")
        chosen, others = explain_person(
            planned.roster,
            planned.model,
            planned.pairing,
            keys.index(key),
            planned.reasons,
            planned.absent,
        )
        if as_json:
            data = {
                "person": key,
                "settings": settings.path or None,
                "chosen": [o.__dict__ for o in chosen],
                "alternatives": [o.__dict__ for o in others],
            }
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out = make_console(sys.stdout)
            render_explanation(out, key, chosen, others)
            render_settings(out, settings.path)


@contextlib.contextmanager
def _no_progress() -> Any:
    yield lambda _text: None


@app.command()
def validate(
    roster: Annotated[
        str, typer.Argument(metavar="ROSTER", help="Roster file, or - for CSV on stdin.")
    ],
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet to read.")] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="FIELD=COLUMN", help="Say which column holds a field."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Read and check a roster without pairing: columns, blind fields, gaps, problems.

    Exit 0 when it can be paired; a roster that cannot be read exits 3 with the reason.
    """
    with _reported(debug):
        from pairctl.config import find_settings
        from pairctl.core.validation import can_pair, check_roster
        from pairctl.output.terminal import make_console, render_findings, render_settings
        from pairctl.roster import read_roster

        settings = find_settings(roster, None)
        mapping = [(f, c) for f, c in settings.columns.items()] + parse_mapping(map_ or [])
        read = read_roster(
            roster,
            collect_problems=True,
            sheet=sheet,
            mapping=mapping,
            blind=settings.blind,
            stdin=sys.stdin.buffer if roster == "-" else None,
            max_bytes=settings.max_input_bytes,
        )
        findings = check_roster(read)
        if as_json:
            data = {
                "roster": roster,
                "can_pair": can_pair(findings),
                "settings": settings.path or None,
                "findings": [f.__dict__ for f in findings],
            }
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out = make_console(sys.stdout)
            render_findings(out, roster, findings)
            render_settings(out, settings.path)
        if not can_pair(findings):
            raise typer.Exit(int(ExitCode.BAD_ROSTER))


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Where to write (default: here).")
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Write a commented pairctl.toml and a roster template (header only) to start a programme."""
    with _reported(debug):
        from pairctl.config import FILE_NAME, ROSTER_HEADER, TEMPLATE
        from pairctl.output.atomic import atomic_write_all
        from pairctl.output.lock import folder_lock

        def settings_file(tmp: Path) -> None:
            tmp.write_text(TEMPLATE, encoding="utf-8")
            # Never writable by others, whatever the umask: pairctl refuses to trust such a
            # settings file when it finds one beside a roster.
            tmp.chmod(0o644)

        def roster_template(tmp: Path) -> None:
            # With a BOM, so Excel shows accented names typed into it correctly.
            tmp.write_text(ROSTER_HEADER, encoding="utf-8-sig")

        # The folder lock: a `match` run cleaning stale temporary files there waits its turn.
        with folder_lock(folder):
            written = atomic_write_all(
                [
                    (folder / FILE_NAME, settings_file),
                    (folder / "roster-template.csv", roster_template),
                ],
                replace=force,
            )
        for path in written:
            typer.echo(f"Wrote {_one_line(str(path))}")


def main() -> None:
    """Console-script entry point."""
    from pairctl.process import harden_streams

    harden_streams(debug="--debug" in sys.argv[1:])
    app()
