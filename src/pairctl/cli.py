"""The command line: each command declared with the options it takes, and nothing else.

The options are declared once (`shell.options`), errors become exit codes in one place
(`shell.errors`), and what each command does lives in `shell.commands`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pairctl import __version__
from pairctl.shell import commands
from pairctl.shell.environment import Environment
from pairctl.shell.errors import Command, OneLineErrors
from pairctl.shell.options import (
    MAYBE_READING,
    PEOPLE,
    READING,
    ROUND,
    Config,
    DryRun,
    Force,
    Given,
    History,
    HistoryFormat,
    Json,
    Output,
    Quiet,
    Strict,
    takes,
)

app = typer.Typer(
    cls=OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    help="Pair colleagues for two-way mentoring across specialties, from a roster spreadsheet.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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


@app.command(cls=Command)
@takes(*READING, *PEOPLE, *ROUND)
def match(
    given: Given,
    env: Environment,
    output: Output = None,
    dry_run: DryRun = False,
    quiet: Quiet = False,
    strict: Strict = False,
    as_json: Json = False,
    force: Force = False,
    history_format: HistoryFormat = None,
) -> None:
    """Read a roster, pair everyone two-way across specialties, write the pairing sheets."""
    keys_only = None if history_format is None else history_format.value
    delivery = commands.Delivery(output, dry_run, force, quiet, strict, as_json, keys_only)
    commands.match(given, env, delivery)


@app.command(cls=Command)
@takes(*READING, *PEOPLE, *ROUND)
def plan(
    given: Given,
    env: Environment,
    rounds: Annotated[
        int,
        typer.Option(
            "--rounds", min=1, max=12, metavar="N", help="How many rounds to plan together."
        ),
    ] = 4,
    folder: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FOLDER",
            help="Folder for the planned rounds' sheets (one dated sheet per round).",
            show_default=False,
        ),
    ] = None,
    as_json: Json = False,
    force: Force = False,
) -> None:
    """Plan the next N rounds together: no pair repeats within the plan, same-specialty pairs
    as few as the whole plan allows, then the best total."""
    from pairctl.errors import UsageError

    if folder is None:
        raise UsageError("plan needs -o FOLDER: where the planned rounds' sheets go")
    commands.plan(given, env, rounds, folder, force=force, as_json=as_json)


@app.command(cls=Command)
@takes(*READING, *PEOPLE, *ROUND, roster_last=True)
def check(
    given: Given,
    env: Environment,
    pairs: Annotated[
        Path,
        typer.Argument(
            metavar="PAIRS",
            help="The pairing to check: a pairctl sheet (.xlsx .csv .json) as edited, or a CSV "
            "of two or three person keys per row.",
            show_default=False,
        ),
    ],
    output: Output = None,
    quiet: Quiet = False,
    as_json: Json = False,
    force: Force = False,
) -> None:
    """Check an edited pairing against the roster, the rules and the history.

    Exit 0 when it breaks no rule, 3 when it does (one line per problem, then the summary).
    """
    delivery = commands.Delivery(output, output is None, force, quiet, False, as_json)
    commands.check(given, env, str(pairs), delivery)


@app.command(cls=Command)
@takes(*READING, *PEOPLE, *ROUND)
def explain(
    given: Given,
    env: Environment,
    key: Annotated[
        str,
        typer.Argument(
            metavar="PERSON", help="The person: key, email or name.", show_default=False
        ),
    ],
    as_json: Json = False,
) -> None:
    """Why PERSON got their partner: the chosen one and the next best, each score taken apart.

    Give the same options as the `match` run it should agree with (seed, rules, history).
    """
    commands.explain(given, env, key, as_json=as_json)


@app.command(cls=Command)
@takes(*READING, *PEOPLE)
def validate(given: Given, env: Environment, as_json: Json = False) -> None:
    """Read and check a roster without pairing: columns, blind fields, gaps, problems.

    Exit 0 when it can be paired; a roster that cannot be read exits 3 with the reason.
    """
    commands.validate(given, env, as_json=as_json)


@app.command(cls=Command)
@takes(*READING)
def columns(given: Given, env: Environment, as_json: Json = False) -> None:
    """List the roster's columns: a sample value of each and the field it feeds, or why not.

    Shows the header row pairctl would read (its best guess when a column is missing), so a
    "column not found" error can be fixed with --map FIELD=COLUMN.
    """
    commands.columns(given, env, as_json=as_json)


@app.command(cls=Command)
@takes(*MAYBE_READING, *PEOPLE)
def vocabulary(
    given: Given | None,
    env: Environment,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="FILE",
            help="Also write the look-alikes as a commented [vocabulary] block to FILE, "
            "ready to edit into pairctl.toml (nothing is merged until you keep an entry).",
            show_default=False,
        ),
    ] = None,
    built_in: Annotated[
        bool, typer.Option("--built-in", help="List the built-in abbreviations too.")
    ] = False,
    as_json: Json = False,
    force: Force = False,
) -> None:
    """Spellings of one skill or specialty: those that look alike but count apart, and those
    already counted as one (and why). ROSTER may be left out with --built-in."""
    commands.vocabulary(given, env, write, built_in=built_in, as_json=as_json, force=force)


@app.command(cls=Command)
@takes()
def announce(
    given: None,
    env: Environment,
    pairs: Annotated[
        Path,
        typer.Argument(
            metavar="PAIRS",
            help="The round's pairing sheet (.xlsx or .csv, as match or check wrote it).",
            show_default=False,
        ),
    ],
    outbox: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="OUTBOX", help="Folder for the .eml files (required)."
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", metavar="ADDRESS", help="Sender (default: [announce] from)."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", metavar="FILE", help="Jinja2 template (pairctl init writes one)."
        ),
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            metavar="YYYY-MM-DDTHH:MM",
            help="Suggest a first meeting and attach an .ics invitation.",
        ),
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", metavar="LENGTH", help="Meeting length: 30m, 1h.")
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", metavar="ZONE", help="Time zone of --meeting: Europe/Berlin."),
    ] = None,
    no_unmatched: Annotated[
        bool, typer.Option("--no-unmatched", help="No message for the people left unmatched.")
    ] = False,
    send: Annotated[
        bool,
        typer.Option("--send", help="Send the outbox through --smtp (nothing is sent otherwise)."),
    ] = False,
    smtp: Annotated[
        str | None,
        typer.Option("--smtp", metavar="HOST[:PORT]", help="The mail server (STARTTLS)."),
    ] = None,
    smtp_ssl: Annotated[
        bool, typer.Option("--smtp-ssl", help="Implicit TLS (port 465) instead of STARTTLS.")
    ] = False,
    smtp_user: Annotated[
        str | None,
        typer.Option(
            "--smtp-user",
            metavar="USER",
            help="Log in as USER; the password comes from PAIRCTL_SMTP_PASSWORD or a prompt.",
        ),
    ] = None,
    smtp_insecure: Annotated[
        bool,
        typer.Option(
            "--smtp-insecure",
            help="Plain SMTP without TLS, only to this machine (localhost, 127.0.0.1, ::1).",
        ),
    ] = False,
    config: Config = None,
    as_json: Json = False,
    force: Force = False,
) -> None:
    """Write one introduction email per group (and per unmatched person) to an outbox; with
    --send, send it through your mail server, each message once."""
    commands.announce(
        env,
        pairs,
        outbox,
        sender=sender,
        template=template,
        meeting=meeting,
        duration=duration,
        tz=tz,
        unmatched=not no_unmatched,
        send=send,
        smtp=smtp,
        smtp_ssl=smtp_ssl,
        smtp_user=smtp_user,
        smtp_insecure=smtp_insecure,
        config=config,
        force=force,
        as_json=as_json,
    )


@app.command(cls=Command)
@takes()
def report(
    given: None,
    env: Environment,
    rounds: Annotated[
        Path,
        typer.Argument(
            metavar="ROUNDS",
            help="The folder of the programme's round sheets (what --history reads).",
            show_default=False,
        ),
    ],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            metavar="ROSTER",
            help="Names and specialties by key, and who on it never took part.",
            show_default=False,
        ),
    ] = None,
    output: Output = None,
    as_json: Json = False,
    force: Force = False,
) -> None:
    """The programme over its rounds: per round, per person and the specialties that met."""
    from pairctl.shell.report import report as programme_report

    programme_report(env, rounds, roster=roster, output=output, force=force, as_json=as_json)


@app.command(cls=Command)
@takes()
def forget(
    given: None,
    env: Environment,
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY...", help="The people to erase, by person key.", show_default=False
        ),
    ],
    history: History = None,
    dry_run: DryRun = False,
    as_json: Json = False,
) -> None:
    """Erase people from every round sheet of --history: their cells blanked, their rows in
    By person and Unmatched removed, nothing else touched. --dry-run shows what would change."""
    from pairctl.errors import UsageError
    from pairctl.shell.forget import forget as erase

    if not history:
        raise UsageError("forget needs --history PATH: the round sheets to erase them from")
    erase(env, list(keys), list(history), dry_run=dry_run, as_json=as_json)


@app.command(cls=Command)
@takes()
def init(
    given: None,
    env: Environment,
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="Where to write (created if missing; default: here)."
        ),
    ] = Path("."),
    force: Force = False,
) -> None:
    """Write a commented pairctl.toml, a roster template (header only) and the introduction
    email template (for announce --template) to start a programme."""
    commands.init(env, folder, force=force)


def main() -> None:
    """Console-script entry point."""
    from pairctl.process import harden_streams, signals_interrupt

    harden_streams(debug="--debug" in sys.argv[1:])
    # From the first moment: a cron job stopped while pairctl is still starting up gets its
    # one line too (the command's own wrapper takes over once it runs).
    with signals_interrupt():
        app()
