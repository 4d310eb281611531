"""Every option a round takes, declared once, and the one merge of options with settings.

A command names the options it takes (`@takes(*READING, *ROUND)`); they are added to its
signature from the declarations below, so `match`, `explain` and `validate` show the same
help, metavar and range for `--seed` or `--map`, and a new command gets them for free. The
values arrive as one `Given` record (None or empty: not given) and become the pipeline's
`RoundRequest` through `merge`, the only place where flags win over the settings file.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pairctl.errors import UsageError
from pairctl.roster.header import FIELDS
from pairctl.shell.environment import Environment
from pairctl.shell.errors import reported

if TYPE_CHECKING:
    from pairctl.config import Settings
    from pairctl.pipeline import RoundRequest


class OddChoice(enum.StrEnum):
    trio = "trio"
    leave_out = "leave-out"


class SolverChoice(enum.StrEnum):
    greedy_swap = "greedy-swap"
    exact = "exact"


class TwoWayChoice(enum.StrEnum):
    prefer = "prefer"
    require = "require"


class LanguageChoice(enum.StrEnum):
    require = "require"
    prefer = "prefer"
    ignore = "ignore"


MAP_FIELDS = ", ".join(FIELDS)

RosterArg = Annotated[
    str,
    typer.Argument(
        metavar="ROSTER",
        help="Roster file (.csv .xlsx .xls .ods), or - for CSV on standard input.",
        show_default=False,
    ),
]
OptionalRosterArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[ROSTER]",
        help="Roster file (.csv .xlsx .xls .ods), or - for CSV on standard input.",
        show_default=False,
    ),
]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="Workbook sheet to read (default: the first that looks like a roster).",
    ),
]
Mapping = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="FIELD=COLUMN",
        help=f"Say which column holds a field (repeatable; wins over [columns] in the "
        f"settings file). Fields: {MAP_FIELDS}.",
    ),
]
Config = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (default: pairctl.toml beside the roster, if there is one). "
        "Options given here win over it.",
    ),
]


class DuplicatesChoice(enum.StrEnum):
    error = "error"
    latest = "latest"
    first = "first"


Duplicates = Annotated[
    DuplicatesChoice | None,
    typer.Option(
        "--duplicates",
        metavar="error|latest|first",
        help="Someone who answered the form twice: stop with an error (default), or keep "
        "their latest or first answer (by a Timestamp or Completion time column, else row "
        "order).",
        show_default=False,
    ),
]
Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        min=0,
        max=2**32 - 1,
        metavar="N",
        help="Seed for tie-breaking and the random baseline (default 0).",
        show_default=False,
    ),
]
Odd = Annotated[
    OddChoice | None,
    typer.Option(
        "--odd",
        metavar="trio|leave-out",
        help="Odd head-count: the extra person joins a trio (default), or is left out.",
        show_default=False,
    ),
]
Solver = Annotated[
    SolverChoice | None,
    typer.Option(
        "--solver",
        metavar="greedy-swap|exact",
        help="greedy-swap (default: fast, near-optimal) or exact (the true optimum; at most "
        "1,000 people, minutes at that size).",
        show_default=False,
    ),
]
TwoWay = Annotated[
    TwoWayChoice | None,
    typer.Option(
        "--two-way",
        metavar="prefer|require",
        help="prefer (default): a pair in which both teach scores higher; require: a pair in "
        "which someone teaches nothing is made only when no pairing avoids it, as few as "
        "possible, each flagged.",
        show_default=False,
    ),
]
RoundDate = Annotated[
    str | None,
    typer.Option(
        "--round-date",
        metavar="YYYY-MM-DD",
        help="The round's date (default today): time zones' offsets, daylight saving "
        "included, and who is away are taken on it.",
        show_default=False,
    ),
]
MaxTimezoneGap = Annotated[
    float | None,
    typer.Option(
        "--max-timezone-gap",
        min=0,
        max=12,
        metavar="HOURS",
        help="Never pair people whose clocks are more than HOURS apart on the round's date "
        "(needs a time zone or location column; unknown zones are never held to it).",
        show_default=False,
    ),
]
Language = Annotated[
    LanguageChoice | None,
    typer.Option(
        "--language",
        metavar="require|prefer|ignore",
        help="With a languages column: require forbids a pair with no language in common, "
        "prefer (default) scores it lower, ignore does neither.",
        show_default=False,
    ),
]
Avoid = Annotated[
    list[Path] | None,
    typer.Option(
        "--avoid",
        metavar="FILE",
        help="CSV of person-key pairs never to pair (repeatable; two columns, header optional).",
    ),
]
Pin = Annotated[
    list[Path] | None,
    typer.Option(
        "--pin",
        metavar="FILE",
        help="CSV of person-key pairs (or trios: three keys a row) that must be grouped "
        "(repeatable; header optional). They are fixed before the rest is optimised.",
    ),
]
Keep = Annotated[
    list[Path] | None,
    typer.Option(
        "--keep",
        metavar="PAIRS",
        help="A pairing sheet whose groups marked yes in its Keep column stay as they are, "
        "trios too; everyone else is paired around them (repeatable).",
    ),
]
History = Annotated[
    list[Path] | None,
    typer.Option(
        "--history",
        metavar="PATH",
        help="Earlier rounds: pairctl sheets (xlsx, csv, json) or two-column CSVs of keys, or "
        "a folder of them (repeatable). Their pairs are not repeated unless nothing else is "
        "possible, and then they are flagged.",
    ),
]
HistoryRounds = Annotated[
    int | None,
    typer.Option(
        "--history-rounds",
        min=0,
        metavar="N",
        help="Count only the last N history rounds as repeats (default 0: all given).",
        show_default=False,
    ),
]
ChainDepth = Annotated[
    int | None,
    typer.Option(
        "--chain-depth",
        min=0,
        metavar="N",
        help="Never pair people within N levels of one reporting chain (needs a manager column "
        "holding the manager's key): 1 = direct manager, 2 = also skip-level (default); "
        "0 = off.",
        show_default=False,
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Where to write the sheet (.xlsx .csv .json). match: by default pairs-YYYY-MM-DD.xlsx "
        "beside the roster; check and report: only when given.",
        show_default=False,
    ),
]


class HistoryFormatChoice(enum.StrEnum):
    full = "full"
    keys = "keys"


HistoryFormat = Annotated[
    HistoryFormatChoice | None,
    typer.Option(
        "--history-format",
        metavar="full|keys",
        help="keys: also write a keys-only sheet (NAME.keys.csv: who was grouped with whom, "
        "nothing else) beside the sheet, for history kept longer than the round.",
        show_default=False,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Do everything but write the sheet.")]
Quiet = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print nothing on success (warnings still go to stderr)."),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict", help="Exit with code 6 when the run finished with warnings (for cron)."
    ),
]
Json = Annotated[
    bool, typer.Option("--json", help="Print one JSON object to stdout instead of the summary.")
]
Force = Annotated[bool, typer.Option("--force", help="Replace existing output files.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]


@dataclass(frozen=True)
class Given:
    """The round's options as typed: None or empty means "not given"."""

    roster: str
    sheet: str | None = None
    mapping: tuple[str, ...] = ()
    config: str | None = None
    duplicates: str | None = None
    seed: int | None = None
    odd: str | None = None
    solver: str | None = None
    two_way: str | None = None
    avoid: tuple[str, ...] = ()
    pin: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    history_rounds: int | None = None
    chain_depth: int | None = None
    round_date: str | None = None
    max_timezone_gap: float | None = None
    language: str | None = None


READING = ("roster", "sheet", "mapping", "config")
"""The options every command that reads a roster takes: where its columns are."""
MAYBE_READING = ("roster?", *READING[1:])
"""READING for a command that can also run without a roster (`given` is then None)."""
PEOPLE = ("duplicates",)
"""The options that say how rows become people (every command that reads people takes them)."""
ROUND = (
    "seed",
    "odd",
    "solver",
    "two_way",
    "avoid",
    "pin",
    "keep",
    "history",
    "history_rounds",
    "chain_depth",
    "round_date",
    "max_timezone_gap",
    "language",
)
"""The options that shape a round's pairing."""

_DECLARED: dict[str, tuple[Any, Any]] = {
    "roster": (RosterArg, inspect.Parameter.empty),
    "roster?": (OptionalRosterArg, None),
    "sheet": (Sheet, None),
    "mapping": (Mapping, None),
    "config": (Config, None),
    "duplicates": (Duplicates, None),
    "seed": (Seed, None),
    "odd": (Odd, None),
    "solver": (Solver, None),
    "two_way": (TwoWay, None),
    "avoid": (Avoid, None),
    "pin": (Pin, None),
    "keep": (Keep, None),
    "history": (History, None),
    "history_rounds": (HistoryRounds, None),
    "chain_depth": (ChainDepth, None),
    "round_date": (RoundDate, None),
    "max_timezone_gap": (MaxTimezoneGap, None),
    "language": (Language, None),
}


def takes(
    *names: str, roster_last: bool = False
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the round options `names` (from READING and ROUND), plus --debug;
    the roster argument first, or with `roster_last` after the command's own arguments.

    The command is called as `command(given, env, **its_own_options)`, inside the one error
    wrapper (`shell.errors.reported`), with `env` the injected Environment (`ctx.obj` when a
    test passes one) and `given` the options as a `Given` (None for a command that reads no
    roster).
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = [
            p
            for p in inspect.signature(command, eval_str=True).parameters.values()
            if p.name not in ("given", "env")
        ]
        first = [_parameter(n) for n in names if n.startswith("roster")]
        rest = [_parameter(n) for n in names if not n.startswith("roster")]
        context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
        debug = inspect.Parameter(
            "debug", inspect.Parameter.KEYWORD_ONLY, annotation=Debug, default=False
        )
        mine = [_keyword(p) for p in own]
        # `check PAIRS ROSTER`: the command's own argument comes before the roster.
        ordered = [*mine, *first] if roster_last else [*first, *mine]
        parameters = [context, *ordered, *rest, debug]

        @functools.wraps(command)
        def run(ctx: typer.Context, debug: bool = False, **values: Any) -> None:
            env = ctx.obj if isinstance(ctx.obj, Environment) else Environment.current()
            with reported(debug, env):
                plain = {n: _plain(n, values.pop(n)) for n in map(_name, names)}
                given = Given(**plain) if plain.get("roster") is not None else None
                command(given, env, **values)

        run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        del run.__wrapped__  # Typer must read the signature above, not the command's
        return run

    return decorate


def _name(declared: str) -> str:
    """The parameter name of a declared option ('roster?' is the optional 'roster')."""
    return declared.rstrip("?")


def _parameter(name: str) -> inspect.Parameter:
    annotation, default = _DECLARED[name]
    return inspect.Parameter(
        _name(name), inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _keyword(parameter: inspect.Parameter) -> inspect.Parameter:
    return parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)


_LISTS = frozenset({"mapping", "avoid", "pin", "keep", "history"})


def _plain(name: str, value: Any) -> Any:
    """Option values as plain data: paths as text, lists as tuples, choices as their value."""
    if value is None and name in _LISTS:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def parse_mapping(items: Sequence[str]) -> list[tuple[str, str]]:
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


def merged_mapping(given: Given, settings: Settings) -> list[tuple[str, str]]:
    """The column mapping: `[columns]` from the settings file, each field a `--map` names
    replaced by the flag."""
    flags = parse_mapping(given.mapping)
    named = {field.strip().casefold() for field, _ in flags}
    kept = [(f, c) for f, c in settings.columns.items() if f.strip().casefold() not in named]
    return kept + flags


def merge(given: Given, settings: Settings) -> RoundRequest:
    """The round to run: each option from the command line, else the settings file, else the
    built-in default. The only place where flags win."""
    from pairctl.pipeline import RoundRequest

    return RoundRequest(
        roster=given.roster,
        sheet=given.sheet,
        mapping=merged_mapping(given, settings),
        seed=_first(given.seed, settings.seed, 0),
        odd=_first(given.odd, settings.odd, "trio"),
        solver=_first(given.solver, settings.solver, "greedy-swap"),
        two_way=_first(given.two_way, settings.two_way, "prefer"),
        avoid=list(given.avoid) or settings.avoid,
        pin=list(given.pin) or settings.pin,
        history=list(given.history) or settings.history,
        chain_depth=_first(given.chain_depth, settings.chain_depth, 2),
        history_rounds=_first(given.history_rounds, settings.history_rounds, 0),
        duplicates=duplicates_policy(given, settings),
        keep=given.keep,
        round_date=round_date(given.round_date),
        # None is a value here: no limit, and the language rule's own default.
        max_gap=_first(given.max_timezone_gap, settings.max_timezone_gap, None),
        language=_first(given.language, settings.language, None),
    )


def round_date(text: str | None) -> dt.date | None:
    """--round-date as a date (None when not given); a usage error for anything else."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--round-date {text!r}: not a date; write it as YYYY-MM-DD (e.g. 2027-01-15)"
        ) from None


def duplicates_policy(given: Given, settings: Settings) -> str:
    """--duplicates, else `[columns] duplicates`, else error."""
    return str(_first(given.duplicates, settings.duplicates, "error"))


def _first(*values: Any) -> Any:
    """The first value given; the last one (the default, which may be None) otherwise."""
    return next((v for v in values[:-1] if v is not None), values[-1])
