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
from pairctl.core.model import Pairing, Roster
from pairctl.core.quality import NOT_MEASURED, Quality, assess
from pairctl.core.rules import Reasons, avoid_pairs, reporting_line_pairs, taking_no_part
from pairctl.core.scoring import ScoreModel, score_roster
from pairctl.core.spelling_check import roster_look_alikes, spelling_warnings
from pairctl.errors import RosterError
from pairctl.roster import read_roster
from pairctl.roster.history import drift_warning, read_history
from pairctl.roster.managers import Managers, manager_warnings, resolve_managers
from pairctl.roster.pair_list import check_pins, read_pair_list


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


@dataclass(frozen=True)
class PlannedRound:
    """A paired round and everything that shaped it."""

    roster: Roster
    model: ScoreModel
    """Scores the whole roster, carrying the rules (with their reasons) and the history."""
    pins: list[tuple[int, int]]
    absent: dict[int, str]
    earlier_pairs: int
    pairing: Pairing
    quality: Quality
    managers: Managers | None = None
    """How the manager column resolved to people (None: no manager column, or the
    reporting-line rule is off)."""

    @property
    def reasons(self) -> Reasons:
        """The pairs the rules forbid (roster indices) and why, as the model holds them."""
        return self.model.rules()


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


def plan_round(
    request: RoundRequest,
    settings: Settings,
    today: dt.date,
    progress: Callable[[int], AbstractContextManager[Progress]],
    stdin: BinaryIO | None = None,
) -> PlannedRound:
    """Read the roster and every list, build the rules into the score model, pair, measure.

    `progress(people)` gives a context manager yielding a step callback (a spinner on a
    terminal, nothing otherwise). `stdin` holds the roster's bytes when the roster is `-`;
    nothing here reads the process's own standard input.
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
    keys = [p.key for p in roster.people]
    reasons = reporting_line_pairs(roster.people, request.chain_depth)
    for path in request.avoid:
        reasons.update(
            avoid_pairs(read_pair_list(path, keys, settings.max_input_bytes), roster.people)
        )
    if reasons:
        model = model.with_blocked(reasons)
    pins = check_pins(
        [
            pair
            for path in request.pin
            for pair in read_pair_list(path, keys, settings.max_input_bytes)
        ],
        reasons,
        keys,
    )
    absent = taking_no_part(roster.people, today)
    taking_part = len(keys) - len(absent)
    if taking_part < 2:
        counted = "nobody takes" if not taking_part else "only 1 person takes"
        raise RosterError(
            f"{request.roster}: {counted} part this round ({len(absent)} of {len(keys)} "
            "inactive or away); pairing needs at least 2"
        )
    for a, b in pins:
        for person in (a, b):
            if person in absent:
                raise RosterError(f"--pin: {keys[person]!r} is pinned but {absent[person]}")
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
    with progress(len(keys)) as step:
        pairing = match_with_pins(
            model,
            keys,
            pins,
            absent,
            seed=request.seed,
            odd=request.odd,
            solver=request.solver,
            progress=step,
        )
        step("measuring quality")
        # Judged on the people the matcher was free to pair (pinned pairs were given).
        pinned = {p for pair in pins for p in pair}
        free = np.array(
            [i for i in range(len(keys)) if i not in pinned and i not in absent], dtype=np.int64
        )
        quality = assess(model.permuted(free), pairing) if len(free) >= 2 else NOT_MEASURED
    return PlannedRound(
        roster=roster,
        model=model,
        pins=pins,
        absent=absent,
        earlier_pairs=len({(min(a, b), max(a, b)) for a, b in earlier}),
        pairing=pairing,
        quality=quality,
        managers=managers,
    )
