"""The programme's settings file, `pairctl.toml`: column mapping, weights, rules, history.

Found beside the roster (or given with --config). Command-line flags win over it. Every key is
checked: an unknown key or a value of the wrong kind is a `ConfigError` naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pairctl.core.scoring import Weights
from pairctl.errors import ConfigError

FILE_NAME = "pairctl.toml"
_ODD = ("trio", "leave-out")
_SOLVERS = ("greedy-swap", "exact")
_WEIGHT_LIMIT = 100.0
"""Weights stay below this so that a forbidden pair (1,000) always costs more than any gain."""


@dataclass(frozen=True)
class Settings:
    """What a settings file may say; None / empty means "not said" (the built-in default)."""

    path: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    blind: list[str] = field(default_factory=list)
    """Extra columns never to use for pairing (listed as blind in Run info)."""
    weights: Weights = field(default_factory=Weights)
    seed: int | None = None
    odd: str | None = None
    solver: str | None = None
    chain_depth: int | None = None
    avoid: list[str] = field(default_factory=list)
    pin: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    history_rounds: int | None = None
    older_penalty: float = 0.0
    """What repeating a pair from before the last `history_rounds` rounds costs (0: free)."""


def find_settings(roster_path: str, given: str | None) -> Settings:
    """The settings from --config, else `pairctl.toml` beside the roster, else defaults."""
    if given is not None:
        path = Path(given)
        if not path.is_file():
            raise ConfigError(f"{given}: no such settings file (--config)")
        return load_settings(path)
    if roster_path != "-":
        beside = Path(roster_path).resolve().parent / FILE_NAME
        if beside.is_file():
            return load_settings(beside)
    return Settings()


def load_settings(path: Path) -> Settings:
    """Read and check one settings file. Relative file names in it are relative to it."""
    shown = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown}: not valid TOML ({error})") from None
    except (OSError, UnicodeError) as error:
        raise ConfigError(f"{shown}: cannot read ({error})") from None
    _only(shown, "", data, {"columns", "weights", "match", "rules", "history"})
    here = path.resolve().parent

    def files(section: dict[str, Any], key: str) -> list[str]:
        value = section.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{shown}: {key} must be a file name or a list of them")
        return [str(here / v) for v in value]

    columns = dict(_table(shown, data, "columns"))
    blind = columns.pop("blind", [])
    if not isinstance(blind, list) or not all(isinstance(b, str) for b in blind):
        raise ConfigError(f"{shown}: columns.blind must be a list of column names")
    for name, column in columns.items():
        if not isinstance(column, str) or not column.strip():
            raise ConfigError(f"{shown}: columns.{name} must be a column name (text)")
    match = _table(shown, data, "match")
    _only(shown, "match.", match, {"seed", "odd", "solver"})
    rules = _table(shown, data, "rules")
    _only(shown, "rules.", rules, {"chain_depth", "avoid", "pin"})
    history = _table(shown, data, "history")
    _only(shown, "history.", history, {"paths", "rounds", "older_penalty"})
    older = history.get("older_penalty", 0.0)
    if isinstance(older, bool) or not isinstance(older, int | float) or not 0 <= older <= 50:
        raise ConfigError(f"{shown}: history.older_penalty must be a number from 0 to 50")
    return Settings(
        path=shown,
        columns={str(k): str(v) for k, v in columns.items()},
        blind=list(blind),
        weights=_weights(shown, _table(shown, data, "weights")),
        seed=_int(shown, "match.seed", match.get("seed"), 0),
        odd=_choice(shown, "match.odd", match.get("odd"), _ODD),
        solver=_choice(shown, "match.solver", match.get("solver"), _SOLVERS),
        chain_depth=_int(shown, "rules.chain_depth", rules.get("chain_depth"), 0),
        avoid=files(rules, "avoid"),
        pin=files(rules, "pin"),
        history=files(history, "paths"),
        history_rounds=_int(shown, "history.rounds", history.get("rounds"), 0),
        older_penalty=float(older),
    )


def _table(shown: str, data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{shown}: [{name}] must be a table")
    return value


def _only(shown: str, prefix: str, table: dict[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                f"{shown}: unknown key {prefix}{key}; known: "
                + ", ".join(f"{prefix}{k}" for k in sorted(allowed))
            )


def _int(shown: str, key: str, value: Any, lowest: int) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < lowest:
        raise ConfigError(f"{shown}: {key} must be a whole number >= {lowest}, not {value!r}")
    return value


def _choice(shown: str, key: str, value: Any, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ConfigError(f"{shown}: {key} must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _weights(shown: str, table: dict[str, Any]) -> Weights:
    known = {f.name for f in fields(Weights)}
    _only(shown, "weights.", table, known)
    for key, value in table.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{shown}: weights.{key} must be a number, not {value!r}")
        if not 0 <= value <= _WEIGHT_LIMIT:
            raise ConfigError(f"{shown}: weights.{key} must be between 0 and {_WEIGHT_LIMIT:g}")
    weights = Weights(**{k: float(v) for k, v in table.items()})
    if weights.gap_years <= 0:
        raise ConfigError(f"{shown}: weights.gap_years must be above 0")
    if weights.same_specialty <= 2 * weights.max_positive():
        raise ConfigError(
            f"{shown}: weights.same_specialty must exceed twice the best positive score "
            f"({2 * weights.max_positive():g}), or same-specialty pairs could be preferred"
        )
    return weights


TEMPLATE = """\
# pairctl settings for this mentoring programme. pairctl reads this file when it sits beside
# the roster (or with --config FILE); options given on the command line win over it.
# Every key is optional: delete what you do not need. Docs: README.md and docs/scoring.md.

[columns]
# Which roster column holds each field, when pairctl does not recognise the header itself.
# Fields: key, name, email, specialty, skills, wants, experience, department, manager,
# active, away_until.
# specialty = "Job Role"
# skills = "Can teach"
# blind = ["Tenure band", "Team"]   # never used for pairing, even if the name looks useful

[weights]
# How a pair is scored (defaults shown). same_specialty must stay above twice the best
# positive score (2 * teach + mutual + cross_department + experience_gap).
# teach = 1.0
# mutual = 1.0
# cross_department = 0.25
# experience_gap = 0.25
# gap_years = 10.0
# same_specialty = 10.0

[match]
# seed = 0               # the same seed gives the same pairs
# odd = "trio"           # or "leave-out"
# solver = "greedy-swap" # or "exact" (at most 1,000 people)

[rules]
# chain_depth = 2        # never pair within this many levels of one reporting chain; 0 = off
# avoid = ["avoid.csv"]  # CSVs of key pairs never to pair
# pin = ["pin.csv"]      # CSVs of key pairs that must be paired

[history]
# paths = ["rounds"]     # earlier rounds' sheets (files or folders) not to repeat
# rounds = 0             # count only the last N rounds as repeats; 0 = all given
# older_penalty = 0.0    # what repeating an older round's pair costs (0: free; at most 50)
"""

ROSTER_HEADER = (
    "Employee ID,Full name,Email,Specialty,Department,Manager ID,Years of experience,"
    "Skills,Wants to learn,Active,Away until\n"
)
