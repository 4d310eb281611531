"""`pairctl check`: a pairing as the coordinator edited it, against the roster and the rules.

Pure: the groups arrive as roster indices (with the keys nobody on the roster has, and the row
each came from); what comes back is the pairing to report and one line per problem.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pairctl.core.attention import count_same_specialty
from pairctl.core.matching import ODD_LEFT_OUT, OddRule, fewest_one_way_pairs, matching_total
from pairctl.core.model import Group, Pairing, Roster, Unmatched
from pairctl.core.scoring import IntArray, ScoreModel

NOT_IN_THE_SHEET = "in no group of the checked pairing"


@dataclass(frozen=True)
class WrittenGroup:
    """One row of the checked file: the members found on the roster, the keys not found."""

    members: tuple[int, ...]
    place: str
    """Where it was written, for messages: 'pairs.xlsx row 7'."""
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    """The pairing the file describes (people listed twice kept once, in their first group)
    and every rule it breaks."""

    pairing: Pairing
    problems: tuple[str, ...]


def check_pairing(
    roster: Roster,
    model: ScoreModel,
    written: Sequence[WrittenGroup],
    absent: Mapping[int, str],
    *,
    odd: OddRule,
    listed_unmatched: Collection[int] = (),
    pins: Sequence[Sequence[int]] = (),
) -> Checked:
    """Every problem of `written` against the roster, the rules and history in `model`, and
    who is out this round, one line each, in the file's order.

    `listed_unmatched` are people the file itself lists as unmatched: with an odd count and
    `--odd leave-out` one of them may be (the odd one out), as `match` leaves one. `pins`
    (--pin, --keep) must each be a group of the file."""
    people = roster.people
    problems: list[str] = []

    def who(i: int) -> str:
        return repr(people[i].key)

    first: dict[int, str] = {}
    groups: list[tuple[tuple[int, ...], str]] = []
    for group in written:
        problems += [f"{group.place}: {key!r} is not on the roster" for key in group.unknown]
        members = []
        for person in group.members:
            if person in first:
                problems.append(
                    f"{group.place}: {who(person)} is listed twice (also at {first[person]})"
                )
                continue
            first[person] = group.place
            members.append(person)
            if person in absent:
                problems.append(f"{group.place}: {who(person)} is in a group but {absent[person]}")
        if len(members) == 1:
            problems.append(f"{group.place}: {who(members[0])} has nobody to pair with")
        if len(members) > 3:
            problems.append(
                f"{group.place}: a group of {len(members)}: groups are pairs, and one trio when "
                "the count is odd"
            )
        if len(members) >= 2:
            groups.append((tuple(sorted(members)), group.place))
    taking_part = len(people) - len(absent)
    odd_out = taking_part % 2 == 1
    trios = [place for members, place in groups if len(members) == 3]
    allowed = 1 if odd_out and odd == "trio" else 0
    for place in trios[allowed:]:
        why = (
            "--odd leave-out makes no trio"
            if odd == "leave-out"
            else f"with {taking_part} people taking part, "
            + ("one trio at most" if odd_out else "an even count, every group is a pair")
        )
        problems.append(f"{place}: a trio, but {why}")
    left_out = [i for i in range(len(people)) if i not in first and i not in absent]
    may_leave = 1 if odd_out and odd == "leave-out" else 0
    excused = {i for i in left_out if i in listed_unmatched}
    excused = set(sorted(excused)[:may_leave])
    for i in left_out:
        if i not in excused:
            problems.append(f"{who(i)} ({people[i].name}) takes part but is {NOT_IN_THE_SHEET}")
    written_groups = {frozenset(members) for members, _ in groups}
    for pin in pins:
        if frozenset(pin) not in written_groups:
            shown = " + ".join(who(p) for p in pin)
            problems.append(f"the pinned or kept group {shown} is not a group of the pairing")

    for found, place in groups:
        for x_at, x in enumerate(found):
            for y in found[x_at + 1 :]:
                why = model.rule_reason(x, y)
                if why:
                    problems.append(f"{place}: {who(x)} and {who(y)} may not be paired: {why}")
                pair = (np.array([x]), np.array([y]))
                if model.is_repeat(*pair)[0]:
                    problems.append(
                        f"{place}: {who(x)} and {who(y)} were paired in an earlier round"
                    )

    plain = model.requiring_two_way(False)
    made = [members for members, _ in groups]
    scores = [float(plain.pair_scores(*_links(m)).sum()) for m in made]
    unmatched = [
        Unmatched(index=i, reason=absent[i], absent=True) for i in sorted(absent) if i not in first
    ] + [
        Unmatched(index=i, reason=ODD_LEFT_OUT if i in excused else NOT_IN_THE_SHEET)
        for i in left_out
    ]
    pairing = Pairing(
        groups=tuple(
            Group(members=m, score=s)
            for m, s in sorted(zip(made, scores, strict=True), key=lambda g: g[0][0])
        ),
        unmatched=tuple(unmatched),
        solver="given",
        seed=0,
        objective=matching_total(model, made) if made else 0.0,
    )
    problems += _echo_chamber(model, pairing, groups, odd)
    problems += _one_way(model, groups)
    return Checked(pairing=pairing, problems=tuple(problems))


def _links(members: Sequence[int]) -> tuple[IntArray, IntArray]:
    a = [x for i, x in enumerate(members) for _ in members[i + 1 :]]
    b = [y for i, _ in enumerate(members) for y in members[i + 1 :]]
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


def _echo_chamber(
    model: ScoreModel,
    pairing: Pairing,
    groups: Sequence[tuple[tuple[int, ...], str]],
    odd: OddRule,
) -> list[str]:
    """Same-specialty links beyond the fewest these people allow: each such group, once."""
    same = count_same_specialty(model, pairing, odd)
    if same.links <= same.fewest:
        return []
    lines = []
    for members, place in groups:
        specialties = [int(model.specialty[m]) for m in members]
        shared = [s for s in set(specialties) if s >= 0 and specialties.count(s) > 1]
        if shared:
            lines.append(
                f"{place}: a same-specialty group, although a pairing of these people needs only "
                f"{same.fewest} same-specialty link{'s' if same.fewest != 1 else ''} "
                f"(this one has {same.links})"
            )
    return lines


def _one_way(model: ScoreModel, groups: Sequence[tuple[tuple[int, ...], str]]) -> list[str]:
    """With two-way pairs required: one-way groups beyond the fewest possible, each once."""
    if not model.one_way_penalty:
        return []
    one_way = [(m, place) for m, place in groups if not model.group_is_two_way(m)]
    fewest = fewest_one_way_pairs(model)
    if fewest is not None and any(len(m) == 3 for m, _ in groups):
        fewest += 1  # a trio's third member may only teach or only learn (as `match` warns)
    if not one_way or (fewest is not None and len(one_way) <= fewest):
        return []
    bound = f"the fewest possible is {fewest}" if fewest is not None else "two-way is required"
    return [
        f"{place}: a one-way group (someone teaches or learns nothing) although two-way pairs "
        f"are required; {bound}"
        for _, place in one_way
    ]
