"""What each command does once its options are parsed: read the settings, merge, run the
pipeline, hand the result to a writer and a renderer. `pairctl.cli` only declares them.

Heavy imports (numpy, openpyxl, calamine) happen inside, so `--help` stays fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pairctl import __version__
from pairctl.errors import ExitCode, OutputError, PairctlError, RosterError, UsageError
from pairctl.shell.environment import Environment
from pairctl.shell.errors import say
from pairctl.shell.options import Given, duplicates_policy, merge, merged_mapping

if TYPE_CHECKING:
    from pairctl.config import Settings
    from pairctl.core.model import Roster
    from pairctl.roster.sources import Grid


@dataclass(frozen=True)
class Delivery:
    """Where and how `match` hands over its result."""

    output: Path | None
    dry_run: bool
    force: bool
    quiet: bool
    strict: bool
    as_json: bool
    history_format: str | None = None
    """--history-format (None: `[history] format`, else full)."""


def match(given: Given, env: Environment, delivery: Delivery) -> None:
    """Pair a round, write its sheet (unless a dry run) and say what happened."""
    _round(given, env, delivery, checking=None)


def plan(
    given: Given, env: Environment, rounds: int, folder: Path, *, force: bool, as_json: bool
) -> None:
    """Plan `rounds` rounds together and write one dated sheet per round into `folder`."""
    import numpy as np

    from pairctl.config import find_settings
    from pairctl.core.planning import plan_rounds
    from pairctl.core.quality import NOT_MEASURED
    from pairctl.core.summary import build_report
    from pairctl.output import write_report
    from pairctl.output.lock import folder_lock
    from pairctl.pipeline import PlannedRound, prepare_round
    from pairctl.run_info import round_info

    settings = find_settings(given.roster, given.config)
    request = merge(given, settings)
    now = env.now()
    with _columns_hint(given):
        ready = prepare_round(request, settings, now.date(), stdin=_roster_stdin(given, env))
    made = plan_rounds(
        ready.model,
        ready.keys,
        rounds,
        seed=request.seed,
        odd=request.odd,
        solver=request.solver,
        pins=ready.pins,
        absent=ready.absent,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {folder}: {error.strerror or error}") from None
    written = []
    model = ready.model
    with folder_lock(folder):
        for number, pairing in enumerate(made.rounds):
            # Quarterly: each planned round 13 weeks after the one before (time zones are
            # taken on the first round's date for all of them).
            day = (request.round_date or now.date()) + dt.timedelta(weeks=13 * number)
            planned = PlannedRound(
                roster=ready.roster,
                model=model,
                pins=ready.pins if number == 0 else [],
                absent=ready.absent,
                earlier_pairs=ready.earlier_pairs,
                pairing=pairing,
                quality=NOT_MEASURED,
                managers=ready.managers,
            )
            info = round_info(
                planned,
                request,
                settings,
                version=__version__,
                run_at=now.isoformat("T", "seconds"),
            )
            info = [*info, ("Planned round", f"{number + 1} of {rounds}, for {day.isoformat()}")]
            report = build_report(
                ready.roster, model, pairing, odd=request.odd, run_info=info, quality=NOT_MEASURED
            )
            target = folder / f"pairs-{day.isoformat()}.xlsx"
            written.append(write_report(report, target, replace=force))
            links = [(a, b) for g in pairing.groups for a, b in combinations(g.members, 2)]
            if links:
                model = model.with_repeats(np.array(links, dtype=np.int64))
    summary = {
        "rounds": [str(path) for path in written],
        "same_specialty_links": made.same_specialty,
        "repeats": made.repeats,
        "total_score": round(made.total, 4),
    }
    if as_json:
        _print_json(env, summary)
        return
    out = env.out()
    out.print(
        _plain_line(
            f"Planned {rounds} rounds: {made.same_specialty} same-specialty links, "
            f"{made.repeats} repeats, total score {made.total:.2f}"
        )
    )
    for path in written:
        out.print(_plain_line(f"Wrote {path}"))


def check(given: Given, env: Environment, pairs: str, delivery: Delivery) -> None:
    """Check an edited pairing against the roster and the rules; with -o, write it as a fresh
    sheet. Exit 3 when it breaks a rule, after one line per problem and the summary."""
    _round(given, env, delivery, checking=pairs)


def _round(given: Given, env: Environment, delivery: Delivery, checking: str | None) -> None:
    """`match`, or with `checking` (a pairing file) `check`: the same reading, rules,
    report, writing and rendering; only where the pairs come from differs."""
    from pairctl.config import find_settings
    from pairctl.core.summary import build_report
    from pairctl.output import unsupported_format, write_report
    from pairctl.output.atomic import remove_stale_temps
    from pairctl.output.destination import check_output, default_output, next_dated_name
    from pairctl.output.json_out import report_to_dict
    from pairctl.output.lock import folder_lock
    from pairctl.output.terminal import progress_reporter, render_summary, render_warnings
    from pairctl.pipeline import check_round, plan_round
    from pairctl.run_info import round_info

    settings = find_settings(given.roster, given.config)
    request = merge(given, settings)
    now = env.now()
    target = None
    if delivery.dry_run:
        # A dry run writes nothing, but an output it could never write is still a mistake.
        bad_output = unsupported_format(delivery.output) if delivery.output else None
        if bad_output is not None:
            raise bad_output
    else:
        # Check the destination before the work, so a bad -o fails fast and writes nothing.
        target = check_output(
            delivery.output or default_output(given.roster, request.round_date or now.date()),
            given.roster,
            force=delivery.force,
        )
        if checking is not None and os.path.abspath(target) == os.path.abspath(checking):
            raise UsageError(f"-o {target}: that is the pairing being checked; name a new file")
    err = env.err()
    with contextlib.ExitStack() as hold:
        if target is not None:
            # One run at a time per output folder: a second one fails at once, cleanly.
            hold.enter_context(folder_lock(target.parent))
            remove_stale_temps(target)
        problems: tuple[str, ...] = ()
        with _columns_hint(given):
            if checking is None:
                planned = plan_round(
                    request,
                    settings,
                    now.date(),
                    lambda people: progress_reporter(err, people, quiet=delivery.as_json),
                    stdin=_roster_stdin(given, env),
                )
            else:
                checked = check_round(
                    request, settings, now.date(), checking, stdin=_roster_stdin(given, env)
                )
                planned, problems = checked.planned, checked.problems
        info = round_info(
            planned, request, settings, version=__version__, run_at=now.isoformat("T", "seconds")
        )
        if checking is not None:
            info = [*info, ("Checked pairing", checking)]
        report = build_report(
            planned.roster,
            planned.model,
            planned.pairing,
            odd=request.odd,
            run_info=info,
            quality=planned.quality,
        )
        if checking is not None:
            # Someone in no group is a problem line already; not a warning too.
            from pairctl.core.checking import NOT_IN_THE_SHEET

            kept = tuple(w for w in report.warnings if not w.endswith(NOT_IN_THE_SHEET))
            report = dataclasses.replace(report, warnings=kept)
        written = None
        if target is not None:
            # A dated default name moves on to -2, -3 if another run takes it meanwhile; a
            # name given with -o is replaced only with --force.
            written = write_report(
                report,
                target,
                replace=delivery.force,
                next_name=None if delivery.output else next_dated_name,
            )
            if (delivery.history_format or settings.history_format) == "keys":
                from pairctl.output.keys_sheet import write_keys_sheet

                write_keys_sheet(report, written)
    render_warnings(err, report.warnings)
    for line in problems:
        err.print(_plain_line(f"problem: {line}"))
    if delivery.as_json:
        data = {
            **report_to_dict(report),
            "output": str(written) if written else None,
            "settings": settings.path or None,
        }
        if checking is not None:
            data["problems"] = list(problems)
        _print_json(env, data)
    elif not delivery.quiet:
        render_summary(
            env.out(),
            report,
            source=given.roster,
            outcome=f"Wrote {written}"
            if written
            else "Checked: nothing written (-o FILE writes it as a fresh sheet)."
            if checking is not None
            else "Dry run: nothing written.",
            settings_path=settings.path,
        )
    if problems:
        raise typer.Exit(int(ExitCode.BAD_ROSTER))
    if delivery.strict and report.warnings:
        count = len(report.warnings)
        say(env, f"pairctl: finished with {count} warning{'s' if count != 1 else ''} (--strict)")
        raise typer.Exit(int(ExitCode.WARNINGS))


def explain(given: Given, env: Environment, key: str, *, as_json: bool) -> None:
    """Why one person got their partner: the chosen one and the next best, taken apart."""
    from pairctl.config import find_settings
    from pairctl.core.explain import explain as explain_person
    from pairctl.core.explain import find_person
    from pairctl.output.json_out import explanation_to_dict
    from pairctl.output.terminal import render_explanation, render_settings
    from pairctl.pipeline import plan_round

    settings = find_settings(given.roster, given.config)
    with _columns_hint(given):
        planned = plan_round(
            merge(given, settings),
            settings,
            env.now().date(),
            _no_progress,
            stdin=_roster_stdin(given, env),
        )
    try:
        index = find_person(planned.roster.people, key)
    except UsageError as error:
        raise UsageError(f"{given.roster}: {error.message}") from None
    chosen, others = explain_person(
        planned.roster, planned.model, planned.pairing, index, planned.absent
    )
    key = planned.roster.people[index].key
    if as_json:
        data = explanation_to_dict(key, chosen, others, planned.roster)
        _print_json(env, {**data, "settings": settings.path or None})
        return
    out = env.out()
    render_explanation(out, key, chosen, others, planned.roster)
    render_settings(out, settings.path)


def validate(given: Given, env: Environment, *, as_json: bool) -> None:
    """Read and check a roster without pairing; exit 3 when it cannot be paired.

    With `--json` exactly one JSON object is printed, also when the roster (or the settings
    file) cannot be read: then its one finding is that error, and the exit code is its own.
    """
    from pairctl.config import find_settings
    from pairctl.core.validation import Finding, can_pair, check_roster, verdict
    from pairctl.errors import ConfigError
    from pairctl.output.json_out import findings_to_dict
    from pairctl.output.terminal import render_findings, render_settings

    settings: Settings | None = None
    try:
        settings = find_settings(given.roster, given.config)
        read = _read_people(given, env, settings, collect_problems=True)
    except PairctlError as error:
        if as_json:
            # Scripts parse stdout: an unreadable roster is still one object saying why.
            topic = (
                "file"
                if isinstance(error, RosterError)
                else "settings"
                if isinstance(error, ConfigError)
                else "options"
            )
            failed = [Finding("problem", topic, error.message)]
            data = findings_to_dict(given.roster, failed, False)
            _print_json(env, {**data, "settings": (settings.path or None) if settings else None})
        raise  # `reported` prints the one line on stderr and exits with the error's code
    findings = check_roster(_managers_resolved(read).with_vocabulary(settings.vocabulary))
    if as_json:
        data = findings_to_dict(given.roster, findings, can_pair(findings))
        _print_json(env, {**data, "settings": settings.path or None})
    else:
        out = env.out()
        render_findings(out, given.roster, findings)
        render_settings(out, settings.path)
        out.print(_plain_line(verdict(findings, len(read.people))))
    if not can_pair(findings):
        raise typer.Exit(int(ExitCode.BAD_ROSTER))


def vocabulary(
    given: Given | None,
    env: Environment,
    write: Path | None,
    *,
    built_in: bool,
    as_json: bool,
    force: bool,
) -> None:
    """Look-alike spellings and the spellings counted as one; `--write` the suggestions."""
    from pairctl.config import find_settings
    from pairctl.core.spelling_check import counted_as_one, roster_look_alikes
    from pairctl.core.vocabulary import BUILT_IN
    from pairctl.output.atomic import atomic_write_all
    from pairctl.output.terminal import render_settings
    from pairctl.output.vocabulary_toml import vocabulary_block
    from pairctl.output.vocabulary_view import render_vocabulary, vocabulary_to_dict

    if given is None:
        if not built_in or write is not None:
            raise UsageError("give a ROSTER (or --built-in alone, for the built-in list)")
        if as_json:
            _print_json(env, vocabulary_to_dict(None, [], [], BUILT_IN))
        else:
            render_vocabulary(env.out(), "", [], [], BUILT_IN)
        return
    settings = find_settings(given.roster, given.config)
    roster = _read_people(given, env, settings).with_vocabulary(settings.vocabulary)
    found = roster_look_alikes(roster)
    same = counted_as_one(roster)
    shown_list = BUILT_IN if built_in else None
    if write is not None:
        block = vocabulary_block(found, given.roster)

        def suggestions(tmp: Path) -> None:
            tmp.write_text(block, encoding="utf-8")

        atomic_write_all([(write, suggestions)], replace=force)
    if as_json:
        data = vocabulary_to_dict(given.roster, found, same, shown_list)
        _print_json(
            env,
            {**data, "settings": settings.path or None, "written": str(write) if write else None},
        )
        return
    out = env.out()
    render_vocabulary(out, given.roster, found, same, shown_list)
    render_settings(out, settings.path)
    if write is not None:
        out.print(
            _plain_line(
                f"Wrote {write}: uncomment the entries to keep, then copy them into pairctl.toml"
            )
        )


def announce(env: Environment, pairs: Path, outbox: Path | None, **options: Any) -> None:
    """The introductions of a round: the sender from --from or `[announce] from` in the
    settings (--config, or pairctl.toml beside the sheet)."""
    from pairctl.config import find_settings
    from pairctl.shell.announce import announce as write_and_send

    config = options.pop("config")
    settings = find_settings(str(pairs), None if config is None else str(config))
    sender = options.pop("sender") or settings.announce_from
    write_and_send(env, pairs, outbox, sender=sender, **options)


def columns(given: Given, env: Environment, *, as_json: bool) -> None:
    """Every header of the roster's header row: a sample, the field it feeds or why none."""
    from pairctl.config import find_settings
    from pairctl.output.json_out import columns_to_dict
    from pairctl.output.terminal import render_columns, render_settings
    from pairctl.roster.header import normalise, parse_mapping, survey_columns

    settings = find_settings(given.roster, given.config)
    wanted = parse_mapping(merged_mapping(given, settings))
    hidden = frozenset(normalise(c) for c in settings.blind)
    sheet, grid = _roster_grid(given, env, settings, wanted, hidden)
    survey = survey_columns(grid, wanted, hidden)
    if as_json:
        data = columns_to_dict(given.roster, sheet, survey)
        _print_json(env, {**data, "settings": settings.path or None})
        return
    out = env.out()
    render_columns(out, given.roster, sheet, survey)
    render_settings(out, settings.path)


def _roster_grid(
    given: Given,
    env: Environment,
    settings: Settings,
    wanted: dict[str, str],
    hidden: frozenset[str],
) -> tuple[str, Grid]:
    """The sheet `read_roster` would read, as a grid: the named one, else the first whose
    header is usable, else the first. A header that cannot be used is still shown."""
    from pairctl.roster import _sheet_named
    from pairctl.roster.header import Missing, find_header
    from pairctl.roster.sources import csv_grid, is_workbook, read_source
    from pairctl.roster.workbook import Workbook

    limit = settings.max_input_bytes
    shown, data = read_source(given.roster, _roster_stdin(given, env), limit)
    workbook, _renamed = is_workbook(given.roster, data)
    if not workbook:
        if given.sheet is not None:
            raise UsageError(f"--sheet {given.sheet!r}: {shown} is a CSV file, which has no sheets")
        if not data:
            raise RosterError(f"{shown}: the file is empty")
        return "", csv_grid(data, shown)[0]
    book = Workbook(given.roster, data, shown, budget=limit)
    if given.sheet is not None:
        name = _sheet_named(book, given.sheet, shown)
        return name, book.grid(name)
    if not book.candidates:
        raise RosterError(f"{shown}: the workbook has no worksheets")
    for name in book.candidates:
        grid = book.grid(name)
        try:
            found = find_header(grid, wanted, book.where(name), hidden)
        except RosterError:
            return name, grid  # the header is there; a duplicate column is what is wrong
        if not isinstance(found, Missing):
            return name, grid
    first = book.candidates[0]
    return first, book.grid(first)


@contextlib.contextmanager
def _columns_hint(given: Given) -> Iterator[None]:
    """A "column not found" error also says how to see the columns with their samples."""
    from pairctl.roster.header import COLUMNS_ARE

    try:
        yield
    except RosterError as error:
        if COLUMNS_ARE not in error.message:
            raise
        command = f"pairctl columns {shlex.quote(given.roster)}"
        if given.sheet is not None:
            command += f" --sheet {shlex.quote(given.sheet)}"
        hint: PairctlError = type(error)(f"{error.message}; see each with a sample: {command}")
        raise hint from None


def init(env: Environment, folder: Path, *, force: bool) -> None:
    """Write a commented pairctl.toml and a roster template, both or neither."""
    from pairctl.config import FILE_NAME, ROSTER_HEADER, TEMPLATE
    from pairctl.errors import OutputError
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

    def announce_template(tmp: Path) -> None:
        from pairctl.announce.template import DEFAULT_TEMPLATE

        tmp.write_text(DEFAULT_TEMPLATE, encoding="utf-8")

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {folder}: {error.strerror or error}") from None
    # The folder lock: a `match` run cleaning stale temporary files there waits its turn.
    with folder_lock(folder):
        files = [
            (folder / FILE_NAME, settings_file),
            (folder / "roster-template.csv", roster_template),
            (folder / "announce-template.j2", announce_template),
        ]
        written = atomic_write_all(files, replace=force)
    for path in written:
        env.out().print(_plain_line(f"Wrote {path}"))


def _read_people(
    given: Given, env: Environment, settings: Settings, *, collect_problems: bool = False
) -> Roster:
    """The roster as `validate` and `vocabulary` read it: the options and settings merged, a
    missing column's error ending with the `pairctl columns` hint."""
    from pairctl.roster import read_roster

    with _columns_hint(given):
        return read_roster(
            given.roster,
            collect_problems=collect_problems,
            sheet=given.sheet,
            mapping=merged_mapping(given, settings),
            blind=settings.blind,
            stdin=_roster_stdin(given, env),
            max_bytes=settings.max_input_bytes,
            duplicates=duplicates_policy(given, settings),
        )


def _plain_line(text: str) -> Any:
    from rich.text import Text

    from pairctl.output.printable import message_line

    return Text(message_line(text))


def _managers_resolved(roster: Any) -> Any:
    """The roster as `match` sees its reporting lines: manager values resolved by key, email
    or name, and a line for a column that resolves nobody or a name that fits several people
    (values that name nobody are validate's own "unknown managers" finding)."""
    import dataclasses

    from pairctl.roster.managers import manager_warnings, resolve_managers

    column = roster.mapping.fields.get("manager")
    if column is None:
        return roster
    resolved, managers = resolve_managers(roster)
    lines = [
        line
        for line in manager_warnings(managers, column)
        if "rule is off" in line or "several people" in line
    ]
    return dataclasses.replace(resolved, warnings=(*resolved.warnings, *lines))


def _roster_stdin(given: Given, env: Environment) -> Any:
    """Standard input, only for the roster `-`: pairctl never reads it otherwise."""
    return env.stdin if given.roster == "-" else None


def _print_json(env: Environment, data: dict[str, Any]) -> None:
    env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def _no_progress(_people: int) -> Iterator[Any]:
    yield lambda _text: None
