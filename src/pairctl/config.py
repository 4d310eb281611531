"""The programme's settings file, `pairctl.toml`: column mapping, weights, rules, history.

Found beside the roster (or given with --config). Command-line flags win over it. Every key is
checked: an unknown key or a value of the wrong kind is a `ConfigError` naming the key.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import reprlib
import shlex
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NoReturn

from pairctl.core.scoring import Weights
from pairctl.core.vocabulary import VocabularyProblem, VocabularyTable, build_vocabulary
from pairctl.errors import ConfigError, RosterError
from pairctl.roster.header import FIELDS
from pairctl.roster.sources import MAX_INPUT_BYTES, read_source

FILE_NAME = "pairctl.toml"
_ODD = ("trio", "leave-out")
_TWO_WAY = ("prefer", "require")
_SOLVERS = ("greedy-swap", "exact")
_LANGUAGE = ("require", "prefer", "ignore")
_SITE_LIMIT = 5.0
"""`same_site` runs from -5 to 5, `no_shared_language` from 0 to 5: preferences, not rules.
Set high, they can keep a same-specialty pair where the other choice is a pair that shares
no language or a site (docs/scoring.md); the rules (--language require) forbid instead."""
_WEIGHT_LIMIT = 100.0
"""Weights stay below this so that a forbidden pair (1,000) always costs more than any gain."""
_WEIGHT_FLOOR = 0.001
"""A weight is 0 (off) or at least this. The exact solver compares scores in steps of
1/10,000, so a smaller weight would count for greedy-swap and vanish for exact."""
_GAP_YEARS = (1.0, 100.0)
"""`gap_years` divides the experience gap: below a year the bonus is all-or-nothing, above a
working life it never fills."""
_MAX_MB = (1, 65_536)
"""`[input] max_mb`: from one megabyte up to 64 GB, far beyond any roster that fits in memory."""
_MAX_SETTINGS_BYTES = 2**20
"""A settings file is a few hundred bytes; anything larger is not one."""
_COLUMN_KEYS = (*FIELDS, "blind", "duplicates")
_DUPLICATES = ("error", "latest", "first")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_shown_value = reprlib.Repr()
_shown_value.maxstring = 60
_shown_value.maxother = 60


@dataclass(frozen=True)
class Settings:
    """What a settings file may say; None / empty means "not said" (the built-in default)."""

    path: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    blind: list[str] = field(default_factory=list)
    """Extra columns never to use for pairing (listed as blind in Run info)."""
    duplicates: str | None = None
    """`[columns] duplicates`: error, latest or first (None: not said)."""
    weights: Weights = field(default_factory=Weights)
    seed: int | None = None
    odd: str | None = None
    solver: str | None = None
    two_way: str | None = None
    """`[rules] two_way`: prefer or require (None: not said)."""
    chain_depth: int | None = None
    max_timezone_gap: float | None = None
    """`[rules] max_timezone_gap`: hours (None: no limit)."""
    language: str | None = None
    """`[rules] language`: require, prefer or ignore (None: not said)."""
    avoid: list[str] = field(default_factory=list)
    pin: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    history_rounds: int | None = None
    history_format: str | None = None
    """`[history] format`: full (the default) or keys (also a keys-only sheet)."""
    older_penalty: float = 0.0
    """What repeating a pair from before the last `history_rounds` rounds costs (0: free)."""
    max_input_bytes: int = MAX_INPUT_BYTES
    """The most pairctl reads from one input (`[input] max_mb`, in bytes)."""
    announce_from: str | None = None
    """`[announce] from`: the sender of the introduction emails."""
    vocabulary: VocabularyTable = field(default_factory=VocabularyTable)
    """`[vocabulary]`: canonical spellings, related skills, the built-in list on or off."""


def find_settings(roster_path: str, given: str | None) -> Settings:
    """The settings from --config, else `pairctl.toml` beside the roster, else defaults.

    A file named with --config is trusted. A file merely found beside the roster is used only
    when the user running pairctl owns it and nobody else can write it (as ssh treats its
    config): in a shared folder anyone may have put it there.
    """
    if given is not None:
        path = Path(given)
        if _stat(path, " (--config)") is None:
            raise ConfigError(f"{given}: no such settings file (--config)")
        return load_settings(path)
    if roster_path == "-":
        return Settings()
    try:
        # Beside the name the coordinator gave: a roster that is a link to an export
        # elsewhere still uses its own folder's settings, never the export folder's.
        beside = Path(os.path.abspath(roster_path)).parent / FILE_NAME
    except (OSError, RuntimeError, ValueError) as error:  # RuntimeError: a symlink loop
        raise ConfigError(
            f"{roster_path}: cannot look for {FILE_NAME} beside the roster ({error})"
        ) from None
    info = _stat(beside, " found beside the roster")
    if info is None:
        return Settings()
    _check_trusted(str(beside), info)
    # Checked again on the file actually opened: in a shared folder the name could be
    # swapped for another user's file between the look and the read.
    return load_settings(beside, trusted=lambda opened: _check_trusted(str(beside), opened))


def _stat(path: Path, note: str = "") -> os.stat_result | None:
    """The file's status, or None when there is no such file."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:  # ENAMETOOLONG, ELOOP, EACCES on the folder
        raise ConfigError(
            f"{path}: cannot read the settings file{note} ({error.strerror or error})"
        ) from None
    except ValueError as error:  # a NUL in the name
        raise ConfigError(f"{str(path)!r}: not a usable settings file name ({error})") from None


def _check_trusted(shown: str, info: os.stat_result) -> None:
    """Refuse a found settings file that another user could have written."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:
        # No POSIX owners (Windows): st_mode there says only "read-only or not", so neither
        # check would mean anything.
        return
    me = geteuid()
    quoted = shlex.quote(shown)
    refusing = f"{shown}: refusing the settings file found beside the roster:"
    trust = f"or name it with --config {quoted} if you trust it"
    # Root may own it, as ssh allows: root can replace any file anyway.
    if info.st_uid not in (me, 0):
        raise ConfigError(
            f"{refusing} it belongs to another user (uid {info.st_uid}; pairctl runs as uid "
            f"{me}), who could change what pairctl writes; chown it to yourself, {trust}"
        )
    writable = info.st_mode & 0o022
    if writable == 0o020 and _private_group(info):
        writable = 0  # umask 002 systems: the group is the owner's alone (as Debian's ssh)
    if writable:
        who = {0o020: "its group", 0o002: "others"}.get(writable, "its group and others")
        raise ConfigError(
            f"{refusing} {who} can write it (mode {stat.S_IMODE(info.st_mode):04o}) and so "
            f"change what pairctl writes; run chmod go-w {quoted}, {trust}"
        )


def _private_group(info: os.stat_result) -> bool:
    """True when the file's group is its owner's own group with nobody else in it (a user
    private group, where umask 002 makes every new file group-writable)."""
    try:
        import grp
        import pwd

        owner = pwd.getpwuid(info.st_uid)
        group = grp.getgrgid(info.st_gid)
    except (ImportError, KeyError):
        return False
    return owner.pw_gid == info.st_gid and set(group.gr_mem) <= {owner.pw_name}


def _read_text(path: Path, trusted: Callable[[os.stat_result], None] | None = None) -> str:
    """The settings file's text, read as every input is: regular files only, size capped."""
    shown = str(path)
    try:
        # "./-": read_source would take a bare "-" as standard input.
        _, data = read_source(
            shown if shown != "-" else "./-",
            None,
            _MAX_SETTINGS_BYTES,
            too_big="a settings file is at most 1 MB",
            check=trusted,
        )
    except RosterError as error:
        # A settings file that cannot be read is a settings problem: exit 4, not 3.
        raise ConfigError(error.message) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{shown}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    # Universal newlines, as text files are read elsewhere: a stray CR is not a TOML error.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_settings(path: Path, trusted: Callable[[os.stat_result], None] | None = None) -> Settings:
    """Read and check one settings file. Relative file names in it are relative to it."""
    shown = str(path)
    text = _read_text(path, trusted)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown}: not valid TOML ({error})") from None
    except RecursionError:
        raise ConfigError(f"{shown}: not valid TOML (arrays or tables nested too deeply)") from None
    _only(
        shown,
        "",
        data,
        {"columns", "weights", "match", "rules", "history", "input", "vocabulary", "announce"},
    )
    announce = _table(shown, data, "announce")
    _only(shown, "announce.", announce, {"from"})
    sender = announce.get("from")
    if sender is not None and not isinstance(sender, str):
        raise ConfigError(f"{shown}: announce.from must be an email address (text)")
    here = Path(os.path.abspath(path)).parent

    def files(section: dict[str, Any], key: str) -> list[str]:
        value = section.get(key.partition(".")[2], [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{shown}: {key} must be a file name or a list of them")
        return [str(here / v) for v in value]

    columns, blind, duplicates = _columns(shown, _table(shown, data, "columns"))
    match = _table(shown, data, "match")
    _only(shown, "match.", match, {"seed", "odd", "solver"})
    rules = _table(shown, data, "rules")
    _only(
        shown,
        "rules.",
        rules,
        {"chain_depth", "avoid", "pin", "two_way", "max_timezone_gap", "language"},
    )
    history = _table(shown, data, "history")
    _only(shown, "history.", history, {"paths", "rounds", "older_penalty", "format"})
    older = _number(shown, "history.older_penalty", history.get("older_penalty", 0.0), 50.0)
    inputs = _table(shown, data, "input")
    _only(shown, "input.", inputs, {"max_mb"})
    max_mb = _int(shown, "input.max_mb", inputs.get("max_mb"), *_MAX_MB)
    return Settings(
        path=shown,
        columns=columns,
        blind=blind,
        duplicates=duplicates,
        weights=_weights(shown, _table(shown, data, "weights")),
        seed=_int(shown, "match.seed", match.get("seed"), 0),
        odd=_choice(shown, "match.odd", match.get("odd"), _ODD),
        solver=_choice(shown, "match.solver", match.get("solver"), _SOLVERS),
        two_way=_choice(shown, "rules.two_way", rules.get("two_way"), _TWO_WAY),
        chain_depth=_int(shown, "rules.chain_depth", rules.get("chain_depth"), 0),
        max_timezone_gap=_hours(shown, "rules.max_timezone_gap", rules.get("max_timezone_gap")),
        language=_choice(shown, "rules.language", rules.get("language"), _LANGUAGE),
        avoid=files(rules, "rules.avoid"),
        pin=files(rules, "rules.pin"),
        history=files(history, "history.paths"),
        history_rounds=_int(shown, "history.rounds", history.get("rounds"), 0),
        older_penalty=older,
        history_format=_choice(shown, "history.format", history.get("format"), ("full", "keys")),
        max_input_bytes=MAX_INPUT_BYTES if max_mb is None else max_mb * 2**20,
        vocabulary=_vocabulary(shown, _table(shown, data, "vocabulary")),
        announce_from=sender,
    )


def _vocabulary(shown: str, table: dict[str, Any]) -> VocabularyTable:
    """`[vocabulary]`: `builtin`, `distinct`, and the `skills`, `specialties` and `related`
    tables of name -> list of spellings; checked by building it once."""
    _only(shown, "vocabulary.", table, {"builtin", "skills", "specialties", "related", "distinct"})
    built_in = table.get("builtin", True)
    if not isinstance(built_in, bool):
        raise ConfigError(
            f"{shown}: vocabulary.builtin must be true or false, not {_shown_value.repr(built_in)}"
        )
    lists = {}
    for name in ("skills", "specialties", "related"):
        part = table.get(name, {})
        if not isinstance(part, dict):
            raise ConfigError(f"{shown}: [vocabulary.{name}] must be a table")
        lists[name] = _spelling_lists(shown, f"vocabulary.{name}", part)
    distinct = table.get("distinct", [])
    if not isinstance(distinct, list) or not all(
        isinstance(group, list) and len(group) >= 2 and all(isinstance(s, str) for s in group)
        for group in distinct
    ):
        raise ConfigError(
            f"{shown}: vocabulary.distinct must be a list of lists of two or more spellings, "
            'e.g. [["Scala", "Scale"]]'
        )
    result = VocabularyTable(
        skills=lists["skills"],
        specialties=lists["specialties"],
        related=lists["related"],
        built_in=built_in,
        distinct=tuple(tuple(group) for group in distinct),
    )
    try:
        build_vocabulary(result)
    except VocabularyProblem as problem:
        raise ConfigError(f"{shown}: {problem}") from None
    return result


def _spelling_lists(shown: str, where: str, table: dict[str, Any]) -> dict[str, list[str]]:
    """Name -> its spellings (one spelling may be given as a plain string)."""
    lists = {}
    for name, spellings in table.items():
        given = [spellings] if isinstance(spellings, str) else spellings
        if not isinstance(given, list) or not all(isinstance(s, str) for s in given):
            raise ConfigError(
                f"{shown}: {_key(where + '.', name)} must be a list of spellings, e.g. "
                '["ML", "machine-learning"]'
            )
        lists[name] = list(given)
    return lists


def _columns(shown: str, table: dict[str, Any]) -> tuple[dict[str, str], list[str], str | None]:
    """`[columns]` as field -> column, the blind list and the duplicates policy. Field names
    are matched the way `--map` matches them (trimmed, case-folded), so `Specialty = ...`
    works too."""
    columns: dict[str, str] = {}
    spelled: dict[str, str] = {}
    blind: list[str] = []
    duplicates: str | None = None
    for raw, column in table.items():
        name = raw.strip().casefold()
        key = _key("columns.", raw)
        if name not in _COLUMN_KEYS:
            _unknown(shown, "columns.", raw, _COLUMN_KEYS)
        if name in spelled:
            raise ConfigError(
                f"{shown}: {key} and {_key('columns.', spelled[name])} both set {name}; keep one"
            )
        spelled[name] = raw
        if name == "blind":
            if not isinstance(column, list) or not all(isinstance(b, str) for b in column):
                raise ConfigError(f"{shown}: {key} must be a list of column names")
            blind = list(column)
        elif name == "duplicates":
            duplicates = _choice(shown, key, column, _DUPLICATES)
        elif not isinstance(column, str) or not column.strip():
            raise ConfigError(f"{shown}: {key} must be a column name (text)")
        else:
            columns[name] = column
    return columns, blind, duplicates


def _table(shown: str, data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{shown}: [{name}] must be a table")
    return value


def _only(shown: str, prefix: str, table: dict[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            _unknown(shown, prefix, key, sorted(allowed))


def _unknown(shown: str, prefix: str, key: str, known: list[str] | tuple[str, ...]) -> NoReturn:
    guess = difflib.get_close_matches(key.strip().casefold(), known, n=1)
    hint = f" (did you mean {prefix}{guess[0]}?)" if guess else ""
    raise ConfigError(
        f"{shown}: unknown key {_key(prefix, key)}{hint}; known: "
        + ", ".join(f"{prefix}{k}" for k in known)
    )


def _key(prefix: str, key: str) -> str:
    """A key as TOML writes it: quoted (JSON escapes are TOML's) unless it is a bare key,
    so one with dots, spaces or a newline reads as one key; cut when very long."""
    if _BARE_KEY.fullmatch(key):
        return prefix + key
    return prefix + json.dumps(key[:60]) + ("…" if len(key) > 60 else "")


def _int(shown: str, key: str, value: Any, lowest: int, highest: int | None = None) -> int | None:
    if value is None:
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < lowest
        or (highest is not None and value > highest)
    ):
        wanted = f">= {lowest}" if highest is None else f"from {lowest:,} to {highest:,}"
        raise ConfigError(
            f"{shown}: {key} must be a whole number {wanted}, not {_shown_value.repr(value)}"
        )
    return value


def _choice(shown: str, key: str, value: Any, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ConfigError(
            f"{shown}: {key} must be one of {', '.join(allowed)}, not {_shown_value.repr(value)}"
        )
    return str(value)


def _site_weight(shown: str, value: Any) -> float:
    """`same_site`: like a weight, but may be negative (some programmes want people to meet
    other offices)."""
    magnitude = abs(value) if isinstance(value, int | float) and not isinstance(value, bool) else -1
    if not (magnitude == 0 or _WEIGHT_FLOOR <= magnitude <= _SITE_LIMIT):
        raise ConfigError(
            f"{shown}: weights.same_site must be 0 or from {_WEIGHT_FLOOR:g} to {_SITE_LIMIT:g} "
            f"either way (negative: prefer other sites), not {_shown_value.repr(value)}"
        )
    return float(value) + 0.0


def _hours(shown: str, key: str, value: Any) -> float | None:
    """A number of hours from 0 to 12 (no two clocks are further apart), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 12:
        raise ConfigError(
            f"{shown}: {key} must be a number of hours from 0 to 12, not {_shown_value.repr(value)}"
        )
    return float(value)


def _number(shown: str, key: str, value: Any, highest: float) -> float:
    """A weight-like number: 0 (off), or from `_WEIGHT_FLOOR` to `highest`."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ConfigError(f"{shown}: {key} must be a number, not {_shown_value.repr(value)}")
    if not (value == 0 or _WEIGHT_FLOOR <= value <= highest):
        raise ConfigError(
            f"{shown}: {key} must be 0 or from {_WEIGHT_FLOOR:g} to {highest:g}, not {value!r}"
        )
    return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0, which Run info shows as "0"


def _weights(shown: str, table: dict[str, Any]) -> Weights:
    known = {f.name for f in fields(Weights)}
    _only(shown, "weights.", table, known)
    values: dict[str, float] = {}
    for key, value in table.items():
        if key == "gap_years":
            low, high = _GAP_YEARS
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not low <= value <= high
            ):
                raise ConfigError(
                    f"{shown}: weights.gap_years must be a number of years from {low:g} to "
                    f"{high:g}, not {_shown_value.repr(value)}"
                )
            values[key] = float(value)
        elif key == "related":
            values[key] = _number(shown, "weights.related", value, 1.0)
        elif key == "same_site":
            values[key] = _site_weight(shown, value)
        elif key == "no_shared_language":
            values[key] = _number(shown, "weights.no_shared_language", value, _SITE_LIMIT)
        else:
            values[key] = _number(shown, f"weights.{key}", value, _WEIGHT_LIMIT)
    weights = Weights(**values)
    if weights.same_specialty <= 2 * weights.max_positive():
        raise ConfigError(
            f"{shown}: weights.same_specialty must exceed twice the best positive score "
            f"({2 * weights.max_positive():g}), or same-specialty pairs could be preferred"
        )
    if 2 * weights.rotation >= weights.same_specialty:
        raise ConfigError(
            f"{shown}: weights.rotation must stay below half of weights.same_specialty "
            f"({weights.same_specialty / 2:g}), or rotating the odd one could force a "
            "same-specialty pair"
        )
    return weights


TEMPLATE = """\
# pairctl settings for this mentoring programme. pairctl reads this file when it sits beside
# the roster (or with --config FILE); options given on the command line win over it.
# Every key is optional: delete what you do not need. Docs: README.md and docs/scoring.md.

[columns]
# Which roster column holds each field, when pairctl does not recognise the header itself.
# Fields: key, name, email, specialty, skills, wants, experience, department, manager,
# active, away_until, timezone, site, languages.
# specialty = "Job Role"
# skills = "Can teach"
# blind = ["Tenure band", "Team"]   # never used for pairing, even if the name looks useful
# duplicates = "latest"   # someone who answered the form twice: "error", "latest" or "first"

[weights]
# How a pair is scored (defaults shown). Each weight is 0 (off) or from 0.001 to 100;
# gap_years is from 1 to 100. same_specialty must stay above twice the best
# positive score (2 * teach + mutual + cross_department + experience_gap + same_site if
# positive).
# teach = 1.0
# mutual = 1.0
# cross_department = 0.25
# experience_gap = 0.25
# gap_years = 10.0
# same_specialty = 10.0
# same_site = 0.0       # with a location column: + prefers one site, - other sites (-5 to 5)
# no_shared_language = 1.0   # with --language prefer: off a pair sharing no language (0-5)
# related = 0.5         # what a related skill ([vocabulary.related]) counts, 0 to 1
# rotation = 3.0        # with history: being the odd one (trio, left out) again costs this

[match]
# seed = 0               # the same seed gives the same pairs
# odd = "trio"           # or "leave-out"
# solver = "greedy-swap" # or "exact" (at most 1,000 people)

[rules]
# chain_depth = 2        # never pair within this many levels of one reporting chain; 0 = off
# avoid = ["avoid.csv"]  # CSVs of key pairs never to pair
# pin = ["pin.csv"]      # CSVs of key pairs that must be paired
# two_way = "prefer"     # or "require": a pair where someone teaches nothing only when forced
# max_timezone_gap = 6   # never pair people more than 6 hours apart on the round's date
# language = "prefer"    # or "require" (no pair without a shared language) or "ignore"

[history]
# paths = ["rounds"]     # earlier rounds' sheets (files or folders) not to repeat
# rounds = 0             # count only the last N rounds as repeats; 0 = all given
# older_penalty = 0.0    # what repeating an older round's pair costs (0: free; at most 50)
# format = "full"        # or "keys": also write NAME.keys.csv, the pairs by key and nothing else

[vocabulary]
# Spellings that mean the same skill or specialty. Case, spaces, hyphens, punctuation and
# bullets never matter (docs/scoring.md); `pairctl vocabulary ROSTER --write FILE` suggests
# entries. Listed by `pairctl vocabulary --built-in`: JS, K8s, ML, UX, ... (builtin = false: off).
# builtin = true
# distinct = [["Scala", "Scale"]]   # look alike, but are not the same: never suggested
#
# [vocabulary.skills]
# "Machine learning" = ["ML", "Machine-learning (ML)"]
#
# [vocabulary.specialties]
# "Software engineering" = ["Software Engineer", "SWE"]
#
# [vocabulary.related]   # skills that earn partial credit for each other ([weights] related)
# communication = ["Public speaking", "Presenting", "Storytelling"]

[announce]
# from = "Mentoring programme <mentoring@example.org>"   # sender of the introductions

[input]
# max_mb = 512           # the most pairctl reads from one roster, list or sheet (1 to 65536)
"""

ROSTER_HEADER = (
    "Employee ID,Full name,Email,Specialty,Department,Manager ID,Years of experience,"
    "Skills,Wants to learn,Active,Away until\n"
)
