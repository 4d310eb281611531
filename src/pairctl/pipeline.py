"""One round, from roster file to pairing: read, score, apply the rules and the history, pair,
measure. Shared by `pairctl match` (which then writes and renders) and anything that must
reproduce the same round. Reads input files; writes and prints nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import BinaryIO

import numpy as np

from pairctl.config import Settings
from pairctl.core.matching import OddRule, Progress, Solver, match_with_pins
from pairctl.core.meeting import MeetingRules, meeting_warnings, with_meeting_rules
from pairctl.core.model import Pairing, Roster
from pairctl.core.quality import NOT_MEASURED, Quality, assess
from pairctl.core.rules import avoid_pairs, reporting_line_pairs, taking_no_part
from pairctl.core.scoring import ScoreModel, score_roster
from pairctl.core.spelling_check import roster_look_alikes, spelling_warnings
from pairctl.errors import RosterError
from pairctl.roster import read_roster
from pairctl.roster.history import drift_warning, read_history, recorded_groups
from pairctl.roster.managers import Managers, manager_warnings, resolve_managers
from pairctl.roster.pair_list import check_pins, read_key_groups, read_pair_list


@dataclass(frozen=True)
class RoundRequest:
    """What to pair and by which rules, once flags and settings are merged."""

    roster: str
    sheet: str | None
    mapping: list[tuple[str, str]]
    seed: int
    odd: OddRule
    solver: Solver
    avoid: list[str]
    pin: list[str]
    history: list[str]
    chain_depth: int
    history_rounds: int
    duplicates: str = "error"
    two_way: str = "prefer"
    """prefer, or require: a pair in which someone teaches nothing only when forced."""
    keep: tuple[str, ...] = ()
    """Pairing sheets whose groups marked Keep = yes are fixed (--keep)."""
    round_date: dt.date | None = None
    """The round's date (--round-date): zones' offsets and who is away are taken on it;
    None: today."""
    max_gap: float | None = None
    """Pairs more than this many hours apart are forbidden (--max-timezone-gap)."""
    language: str | None = None
    """require, prefer or ignore (--language); None: prefer with a languages column."""


@dataclass(frozen=True)
class PlannedRound:
    """A paired round and everything that shaped it."""

    roster: Roster
    model: ScoreModel
    """Scores the whole roster, carrying the rules (with their reasons) and the history."""
    pins: list[tuple[int, ...]]
    """Groups fixed before the rest was paired (--pin, --keep): pairs or trios."""
    absent: dict[int, str]
    earlier_pairs: int
    pairing: Pairing
    quality: Quality
    managers: Managers | None = None
    """How the manager column resolved to people (None: no manager column, or the
    reporting-line rule is off)."""


def _best_manager_column(
    request: RoundRequest, settings: Settings, roster: Roster, stdin: BinaryIO | None
) -> tuple[Roster, Managers, str]:
    """The roster with managers resolved, from the manager column that resolves the most.

    HRIS exports often have two (`ManagerID` in another numbering, `ManagerName`); the reader
    picks one by its name alone. When it resolves fewer than all, each other manager-like
    column the roster left unused is tried (the roster read again with it), and the better
    one kept, with a line saying so. Not for a roster on standard input, read only once, nor
    when the coordinator chose the column.
    """
    column = roster.mapping.fields["manager"]
    resolved, managers = resolve_managers(roster)
    chosen = any(f.strip().casefold() == "manager" for f, _ in request.mapping)
    if managers.resolved == managers.values or request.roster == "-" or chosen:
        return resolved, managers, column
    best = (resolved, managers, column)
    for other in [c for c in roster.mapping.unused if _MANAGERISH.search(c.casefold())]:
        again = read_roster(
            request.roster,
            sheet=request.sheet,
            mapping=[*request.mapping, ("manager", other)],
            blind=settings.blind,
            stdin=stdin,
            max_bytes=settings.max_input_bytes,
            duplicates=request.duplicates,
        )
        candidate, found = resolve_managers(again)
        if found.resolved > best[1].resolved:
            best = (candidate, found, other)
    if best[2] == column:
        return best
    line = (
        f"managers are read from {best[2]!r}: it names {best[1].resolved} of {best[1].values} "
        f"people's managers, {column!r} only {managers.resolved} (choose with --map manager=COLUMN)"
    )
    return replace(best[0], warnings=(*best[0].warnings, line)), best[1], best[2]


_MANAGERISH = re.compile(r"manager|supervisor|reports\W*to|line\W*manager|boss")


@dataclass(frozen=True)
class PreparedRound:
    """A round ready to pair: the roster, its score model with the rules and history, the
    fixed groups and who is out."""

    roster: Roster
    model: ScoreModel
    pins: list[tuple[int, ...]]
    absent: dict[int, str]
    earlier_pairs: int
    managers: Managers | None

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.roster.people]


def prepare_round(
    request: RoundRequest, settings: Settings, today: dt.date, stdin: BinaryIO | None = None
) -> PreparedRound:
    """Read the roster and every list and build the rules and history into the score model.

    `stdin` holds the roster's bytes when the roster is `-`; nothing here reads the
    process's own standard input.
    """
    roster = read_roster(
        request.roster,
        sheet=request.sheet,
        mapping=request.mapping,
        blind=settings.blind,
        stdin=stdin,
        max_bytes=settings.max_input_bytes,
        duplicates=request.duplicates,
    )
    managers = None
    column = roster.mapping.fields.get("manager")
    if column is not None and request.chain_depth:
        roster, managers, column = _best_manager_column(request, settings, roster, stdin)
        found = manager_warnings(managers, column)
        roster = replace(roster, warnings=(*roster.warnings, *found))
    roster = roster.with_vocabulary(settings.vocabulary)
    spellings = spelling_warnings(roster_look_alikes(roster), request.roster)
    if spellings:
        roster = replace(roster, warnings=(*roster.warnings, *spellings))
    model = score_roster(roster, settings.weights, two_way=request.two_way == "require")
    day = request.round_date or today
    meeting = MeetingRules(day, request.max_gap, request.language)
    model = with_meeting_rules(model, roster, meeting)
    cannot = meeting_warnings(roster, meeting, settings.weights.same_site)
    if cannot:
        roster = replace(roster, warnings=(*roster.warnings, *cannot))
    keys = [p.key for p in roster.people]
    reasons = reporting_line_pairs(roster.people, request.chain_depth)
    for path in request.avoid:
        reasons.update(
            avoid_pairs(read_pair_list(path, keys, settings.max_input_bytes), roster.people)
        )
    if reasons:
        model = model.with_blocked(reasons)
    fixed = [
        *(
            group
            for path in request.pin
            for group in read_key_groups(path, keys, settings.max_input_bytes, most=3)
        ),
        *(group for path in request.keep for group in kept_groups(path, keys, settings)),
    ]
    pins = check_pins(fixed, model.rule_reason, keys)
    absent = taking_no_part(roster.people, day)
    for members, place in fixed:
        for person in members:
            if person in absent:
                raise RosterError(f"{place}: {keys[person]!r} is pinned but {absent[person]}")
    names = [p.name for p in roster.people]
    rounds = read_history(request.history, keys, settings.max_input_bytes, names)
    drift = [line for line in map(drift_warning, rounds) if line]
    if drift:
        roster = replace(roster, warnings=(*roster.warnings, *drift))
    # The last `history_rounds` rounds (0 = all) are not repeated; older ones may fade.
    recent_from = len(rounds) - request.history_rounds if request.history_rounds else 0
    earlier = [pair for past in rounds[recent_from:] for pair in past.pairs]
    older = [pair for past in rounds[:recent_from] for pair in past.pairs]
    if earlier:
        model = model.with_repeats(np.array(earlier, dtype=np.int64))
    if older and settings.older_penalty:
        model = model.with_faded(np.array(older, dtype=np.int64), settings.older_penalty)
    # Who was the odd one (in a trio, or left out) in the rounds given: it rotates.
    odd_rounds = np.zeros(len(keys), dtype=np.float64)
    for past in rounds:
        odd_rounds[list(past.odd)] += 1
    if settings.weights.rotation and odd_rounds.any():
        model = model.with_odd_rounds(odd_rounds)
    return PreparedRound(
        roster=roster,
        model=model,
        pins=pins,
        absent=absent,
        earlier_pairs=len({(min(a, b), max(a, b)) for a, b in earlier}),
        managers=managers,
    )


def kept_groups(
    path: str, keys: list[str], settings: Settings
) -> list[tuple[tuple[int, ...], str]]:
    """The groups a pairing sheet marks Keep = yes (--keep), as pins: indices and place. A
    kept group naming someone no longer on the roster is an error naming the row."""
    from pathlib import Path

    from pairctl.roster.keys import sheet_key_lookup

    index, fold = sheet_key_lookup(keys)
    sheet = recorded_groups(Path(path), settings.max_input_bytes, 3, strict=True)
    if not sheet.keep_column:
        raise RosterError(
            f"{sheet.shown}: no Keep column (--keep reads a pairing sheet pairctl wrote as "
            ".xlsx or .csv, with yes typed in the Keep column of each group to keep)"
        )
    kept = []
    for group in sheet.groups:
        if not group.keep:
            continue
        place = f"{sheet.shown} row {group.row} (--keep)"
        members = []
        for key, _ in group.members:
            if fold(key) not in index:
                raise RosterError(f"{place}: no one on the roster has the key {key!r}")
            members.append(index[fold(key)])
        if not 2 <= len(members) <= 3:
            raise RosterError(f"{place}: a kept group is a pair or a trio")
        kept.append((tuple(members), place))
    if not kept:
        raise RosterError(
            f"{sheet.shown}: no group is marked Keep = yes (--keep): type yes in the Keep column "
            "of the groups to keep"
        )
    return kept


def plan_round(
    request: RoundRequest,
    settings: Settings,
    today: dt.date,
    progress: Callable[[int], AbstractContextManager[Progress]],
    stdin: BinaryIO | None = None,
) -> PlannedRound:
    """Prepare the round, pair it, measure.

    `progress(people)` gives a context manager yielding a step callback (a spinner on a
    terminal, nothing otherwise).
    """
    ready = prepare_round(request, settings, today, stdin)
    taking_part = len(ready.keys) - len(ready.absent)
    if taking_part < 2:
        counted = "nobody takes" if not taking_part else "only 1 person takes"
        raise RosterError(
            f"{request.roster}: {counted} part this round ({len(ready.absent)} of "
            f"{len(ready.keys)} inactive or away); pairing needs at least 2"
        )
    model, pins, absent = ready.model, ready.pins, ready.absent
    with progress(len(ready.keys)) as step:
        pairing = match_with_pins(
            model,
            ready.keys,
            pins,
            absent,
            seed=request.seed,
            odd=request.odd,
            solver=request.solver,
            progress=step,
        )
        step("measuring quality")
        # Judged on the people the matcher was free to pair (pinned groups were given).
        pinned = {p for group in pins for p in group}
        free = np.array(
            [i for i in range(len(ready.keys)) if i not in pinned and i not in absent],
            dtype=np.int64,
        )
        quality = assess(model.permuted(free), pairing) if len(free) >= 2 else NOT_MEASURED
    return PlannedRound(
        roster=ready.roster,
        model=model,
        pins=pins,
        absent=absent,
        earlier_pairs=ready.earlier_pairs,
        pairing=pairing,
        quality=quality,
        managers=ready.managers,
    )


@dataclass(frozen=True)
class CheckedRound:
    """A pairing read from a file and checked: the round as `match` would report it, and
    every rule the pairing breaks."""

    planned: PlannedRound
    problems: tuple[str, ...]


def check_round(
    request: RoundRequest,
    settings: Settings,
    today: dt.date,
    pairs_path: str,
    stdin: BinaryIO | None = None,
) -> CheckedRound:
    """Prepare the round as `match` does, read the pairing `pairs_path` and check it."""
    from pathlib import Path

    from pairctl.core.checking import WrittenGroup, check_pairing
    from pairctl.roster.keys import sheet_key_lookup

    ready = prepare_round(request, settings, today, stdin)
    index, fold = sheet_key_lookup(ready.keys)
    sheet = recorded_groups(Path(pairs_path), settings.max_input_bytes, 3, strict=True)
    written = []
    for number, group in enumerate(sheet.groups):
        found = [index.get(fold(key)) for key, _ in group.members]
        unknown = tuple(
            key for (key, _), at in zip(group.members, found, strict=True) if at is None
        )
        if number == 0 and sheet.plain and len(unknown) == len(found):
            continue  # a plain CSV's header row: no key in it is anyone's
        written.append(
            WrittenGroup(
                members=tuple(at for at in found if at is not None),
                place=f"{sheet.shown} row {group.row}",
                unknown=unknown,
            )
        )
    if not written:
        raise RosterError(f"{sheet.shown}: no groups found: not a pairing to check")
    listed = {index[fold(k)] for k in sheet.unmatched if fold(k) in index}
    checked = check_pairing(
        ready.roster,
        ready.model,
        written,
        ready.absent,
        odd=request.odd,
        listed_unmatched=listed,
        pins=ready.pins,
    )
    free = np.array([i for i in range(len(ready.keys)) if i not in ready.absent], dtype=np.int64)
    quality = (
        assess(ready.model.permuted(free), checked.pairing) if len(free) >= 2 else NOT_MEASURED
    )
    planned = PlannedRound(
        roster=ready.roster,
        model=ready.model,
        pins=[],
        absent=ready.absent,
        earlier_pairs=ready.earlier_pairs,
        pairing=checked.pairing,
        quality=quality,
        managers=ready.managers,
    )
    return CheckedRound(planned=planned, problems=checked.problems)
