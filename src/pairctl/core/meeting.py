"""Whether two people can meet: their clocks on the round's date, the languages they share,
their sites. Builds the time-zone and language rules into the score model, and says in one
line each what a rule could not apply to. Pure: people and a date in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pairctl.core.model import Person, Roster
from pairctl.core.scoring import ScoreModel
from pairctl.core.zones import read_zone

LONG_GAP = 6.0
"""Pairs further apart than this many hours are flagged on the Pairs sheet: they share at
most a sliver of the working day."""
_SHOWN = 8


@dataclass(frozen=True)
class MeetingRules:
    """The time-zone and language rules of a round, as merged from flags and settings."""

    day: dt.date
    """The round's date: offsets are taken on it (daylight saving included)."""
    max_gap: float | None = None
    """Hours; None: no limit."""
    language: str | None = None
    """require, prefer or ignore; None: prefer when the roster has a languages column."""


def offsets_on(people: Sequence[Person], day: dt.date) -> np.ndarray:
    """Each person's clock on `day`, in minutes east of UTC; NaN where the zone is unknown."""
    cache: dict[str, float] = {}
    out = np.full(len(people), np.nan)
    for i, person in enumerate(people):
        name = person.timezone
        if not name:
            continue
        if name not in cache:
            zone = read_zone(name).zone
            cache[name] = np.nan if zone is None else float(zone.offset(day))
        out[i] = cache[name]
    return out


def with_meeting_rules(model: ScoreModel, roster: Roster, rules: MeetingRules) -> ScoreModel:
    """The model with everyone's clock on the round's date and the two rules."""
    people = roster.people
    language = rules.language or ("prefer" if roster.has_languages else "ignore")
    return model.with_meeting(
        offsets_on(people, rules.day) if roster.has_zones else None,
        rules.max_gap if roster.has_zones else None,
        language,
        tuple(p.timezone or "an unknown zone" for p in people),
        tuple(", ".join(p.languages) or "unknown" for p in people),
        rules.day.isoformat(),
    )


def meeting_warnings(roster: Roster, rules: MeetingRules, same_site: float) -> list[str]:
    """One line for each rule that cannot apply, or applies to fewer than everyone."""
    people = roster.people
    lines = []
    if rules.max_gap is not None:
        if not roster.has_zones:
            lines.append(
                f"the time-zone rule (at most {rules.max_gap:g} hours apart) does not apply: "
                "the roster has no time zone or location column (name one with --map "
                "timezone=COLUMN)"
            )
        else:
            unknown = [p.key for p in people if not p.timezone]
            if len(unknown) == len(people):
                lines.append(
                    f"the time-zone rule (at most {rules.max_gap:g} hours apart) does not "
                    "apply: no one's time zone is known"
                )
            elif unknown:
                lines.append(
                    f"the time-zone rule: {_counted(unknown)} no known time zone, so may be "
                    f"paired across any gap: {_keys(unknown)}"
                )
    if rules.language == "require" and not roster.has_languages:
        lines.append(
            "--language require does not apply: the roster has no languages column (name one "
            "with --map languages=COLUMN)"
        )
    elif roster.has_languages and (rules.language or "prefer") != "ignore":
        unknown = [p.key for p in people if not p.languages]
        if unknown:
            lines.append(
                f"the language rule: {_counted(unknown)} no languages listed, so may be "
                f"paired with anyone: {_keys(unknown)}"
            )
    if same_site and not roster.has_sites:
        lines.append(
            f"weights.same_site = {same_site:g} does not apply: the roster has no location "
            "column (name one with --map site=COLUMN)"
        )
    return lines


def _counted(keys: list[str]) -> str:
    return "1 person has" if len(keys) == 1 else f"{len(keys)} people have"


def _keys(keys: list[str]) -> str:
    shown = ", ".join(keys[:_SHOWN])
    return shown + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")
