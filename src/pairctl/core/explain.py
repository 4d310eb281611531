"""Why a person got their partner, and why not someone else; and which person a coordinator
means. Pure: roster, model and pairing in."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pairctl.core.model import Pairing, Person, Roster, fold
from pairctl.core.scoring import ScoreModel, lesson
from pairctl.errors import UsageError

_SUGGESTIONS = 3
# Scores closer than this are one score: both come from the same float arithmetic.
_TIE = 1e-9
# With two-way pairs required (--two-way require), a pair in which someone teaches nothing.
_ONE_WAY_CHOSEN = (
    "chosen, although one-way (someone teaches nothing): two-way pairs are required, and the "
    "matcher found no pairing of the people taking part that avoids it"
)
_ONE_WAY_PASSED = (
    "one-way (someone would teach nothing): two-way pairs are required, so such a pair is made "
    "only when no pairing avoids it"
)


@dataclass(frozen=True)
class Option:
    """One candidate partner, scored and taken apart, with the verdict."""

    key: str
    name: str
    score: float
    parts: dict[str, float]
    """The score's parts (docs/scoring.md), labelled with the two people's names."""
    teaches: tuple[str, ...]
    """What the person explained teaches this candidate."""
    learns: tuple[str, ...]
    """What the candidate teaches the person explained."""
    verdict: str
    gap: float | None = None
    """Hours between the two people's clocks on the round's date (None: a zone unknown)."""
    languages: tuple[str, ...] = ()
    """The candidate's languages, as written."""


def explain(
    roster: Roster,
    model: ScoreModel,
    pairing: Pairing,
    index: int,
    absent: Mapping[int, str],
    alternatives: int = 5,
) -> tuple[list[Option], list[Option]]:
    """(the chosen partners, the best other candidates), each with the reason."""
    people = roster.people
    # Candidates are ranked and shown on the plain score, so one a rule or the history rules
    # out still appears, with that as the verdict, instead of sinking out of sight.
    plain = model.plain()
    group_of = {m: g for g in pairing.groups for m in g.members}
    left_out = {u.index: u.reason for u in pairing.unmatched}
    mine = group_of.get(index)
    partners = [m for m in mine.members if m != index] if mine else []

    def option(other: int, verdict: str) -> Option:
        return Option(
            key=people[other].key,
            name=people[other].name,
            score=float(plain.pair_scores(np.array([index]), np.array([other]))[0]),
            parts=_labelled(plain.parts(index, other), people[index], people[other]),
            teaches=lesson(people[index], people[other], roster),
            learns=lesson(people[other], people[index], roster),
            verdict=verdict,
            gap=_gap(model, index, other),
            languages=people[other].languages,
        )

    two_way_required = bool(model.one_way_penalty)

    def one_way(other: int) -> bool:
        return two_way_required and not model.is_two_way(np.array([index]), np.array([other]))[0]

    chosen = [
        option(p, _ONE_WAY_CHOSEN if one_way(p) and mine and not mine.pinned else "chosen")
        for p in partners
    ]
    mine_score = max((o.score for o in chosen), default=-np.inf)
    others = np.array([i for i in range(len(people)) if i != index and i not in partners])
    if len(others) == 0:
        return chosen, []
    scores = plain.pair_scores(np.full(len(others), index), others)
    order = np.lexsort((others, -scores))[:alternatives]
    rest = []
    for other, score in zip(others[order].tolist(), scores[order].tolist(), strict=True):
        why = model.rule_reason(index, other)
        if why:
            verdict = f"blocked by a rule: {why}"
        elif other in absent:
            verdict = f"not available: {absent[other]}"
        elif model.is_repeat(np.array([index]), np.array([other]))[0]:
            verdict = "paired with them in an earlier round"
        elif score > mine_score + _TIE and one_way(other):
            verdict = _ONE_WAY_PASSED
        elif other in left_out:
            verdict = f"not paired this round: {left_out[other]}"
        elif score > mine_score + _TIE:
            taken = ", ".join(people[m].key for m in group_of[other].members if m != other)
            verdict = (
                f"taken by someone else: paired with {taken}, which gives a higher total "
                "for everyone"
            )
        elif abs(score - mine_score) <= _TIE:
            verdict = "tie: the same score as the chosen partner"
        else:
            verdict = "lower score than the chosen partner"
        rest.append(option(other, verdict))
    return chosen, rest


def _gap(model: ScoreModel, a: int, b: int) -> float | None:
    gap = float(model.gap(np.array([a]), np.array([b]))[0])
    return None if np.isnan(gap) else gap


def _labelled(parts: dict[str, float], a: Person, b: Person) -> dict[str, float]:
    """The model's parts ('a teaches b', ...) with the two people named in place of a and b."""
    who_a, who_b = _names(a, b)
    names = {
        "a teaches b": f"{who_a} teaches {who_b}",
        "b teaches a": f"{who_b} teaches {who_a}",
        "both teach": f"{who_a} and {who_b} both teach",
    }
    return {names.get(label, label): value for label, value in parts.items()}


def _names(a: Person, b: Person) -> tuple[str, str]:
    """How to call two people in one line: their names, with keys when the names alone would
    not tell them apart (or are blank)."""
    name_a, name_b = a.name.strip(), b.name.strip()
    if name_a and name_b and fold(name_a) != fold(name_b):
        return name_a, name_b
    return (f"{name_a} ({a.key})" if name_a else a.key), (
        f"{name_b} ({b.key})" if name_b else b.key
    )


def find_person(people: Sequence[Person], text: str) -> int:
    """The index of the person `text` names: their key, email or name, compared trimmed,
    with inner spaces collapsed and case folded. A key wins over an email, an email over a
    name. Raises `UsageError` (one line) when nobody matches, suggesting near misses, or when
    the text names more than one person.
    """
    wanted = fold(text)
    for field in ("key", "email", "name"):
        found = [i for i, p in enumerate(people) if wanted and fold(getattr(p, field)) == wanted]
        if len(found) == 1:
            return found[0]
        if found:
            keys = ", ".join(people[i].key for i in found)
            raise UsageError(
                f"{text.strip()!r} is the {field} of {len(found)} people ({keys}): give the key"
            )
    message = f"no one on the roster has the key, email or name {text.strip()!r}"
    near = _near_misses(people, wanted)
    if near:
        message += f"; did you mean {' or '.join(near)}?"
    raise UsageError(message)


def _near_misses(people: Sequence[Person], wanted: str) -> list[str]:
    """Up to `_SUGGESTIONS` people whose key, email or name is close to `wanted`, closest
    first, each shown as 'Name (KEY)'."""
    owner: dict[str, int] = {}
    for i, p in enumerate(people):
        for value in (p.key, p.email, p.name):
            owner.setdefault(fold(value), i)
    owner.pop("", None)
    close = difflib.get_close_matches(wanted, list(owner), n=4 * _SUGGESTIONS)
    shown: list[str] = []
    for match in close:
        p = people[owner[match]]
        label = f"{p.name.strip()} ({p.key})" if p.name.strip() else p.key
        if label not in shown:
            shown.append(label)
    return shown[:_SUGGESTIONS]
