"""What a coordinator must act on after a round: the report's warnings, which `--strict` turns
into exit code 6 and cron into a mail.

A warning is something to look at: someone who wanted to take part and has no partner, a pair
repeated from history, a same-specialty pair and what forced it, a one-way pair although
two-way pairs are required. People out this round (opted
out, away) are a normal event: the report lists and counts them, but never warns about them.
Pinned pairs were the coordinator's own choice, so they are not warned about either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from pairctl.core.matching import OddRule, fewest_one_way_pairs
from pairctl.core.model import Pairing, Roster
from pairctl.core.scoring import ScoreModel
from pairctl.core.words import plural


def same_specialty_links(model: ScoreModel, groups: Sequence[Sequence[int]]) -> int:
    """How many two-person links inside groups join people of one (known) specialty."""
    spec = model.specialty
    return sum(
        1 for g in groups for x, y in combinations(g, 2) if spec[x] >= 0 and spec[x] == spec[y]
    )


def fewest_same_specialty_links(model: ScoreModel, odd: OddRule = "trio") -> int:
    """The fewest same-specialty links any pairing of the people `model` scores allows, rules
    and history aside.

    Only a specialty holding more than half the people forces them: its surplus over
    everyone else must pair among itself. An odd surplus (an odd head-count) under the trio
    rule leaves one of them to join a pair, adding one more link (two if nobody else exists).
    """
    surplus = model.specialty_surplus()
    if surplus % 2 and odd == "trio":
        _, largest = model.largest_specialty()
        return surplus // 2 + (2 if largest == model.size else 1)
    return surplus // 2


@dataclass(frozen=True)
class SameSpecialty:
    """The same-specialty links the matcher made, and what forced them."""

    links: int
    """In the groups the matcher made (pinned pairs aside)."""
    fewest: int
    """The fewest the people it paired allow, rules and history aside."""
    forced_by: str
    """'the rules', 'the history', 'the rules or the history', or '' when neither applied to
    those people. The matcher makes more than `fewest` only when they leave nothing else."""

    @property
    def unavoidable(self) -> bool:
        """No pairing of these people under these rules and history has fewer."""
        return self.links <= self.fewest or bool(self.forced_by)

    def warning(self) -> str:
        """The warning line, or '' when there is nothing to warn about."""
        if not self.links:
            return ""
        head = f"{plural(self.links, 'same-specialty link')} in the groups"
        majority = min(self.links, self.fewest)
        extra = self.links - majority
        crowd = "one specialty holds more than half the people taking part"
        forced = f"{self.forced_by} left no partner from another specialty"
        if extra and self.forced_by and majority:
            return (
                f"{head}: {majority} because {crowd} (the fewest this roster allows is "
                f"{self.fewest}); {extra} because {forced}"
            )
        if extra and self.forced_by:
            return f"{head}: {forced}"
        return f"{head}; the fewest this roster allows is {self.fewest}" + (
            f" ({crowd})" if self.fewest else ""
        )


def count_same_specialty(model: ScoreModel, pairing: Pairing, odd: OddRule) -> SameSpecialty:
    """Count the matcher's same-specialty links against the fewest the people it was given
    (everyone neither out this round nor pinned) allow, and name what forced any more."""
    absent = {u.index for u in pairing.unmatched if u.absent}
    pinned = {m for g in pairing.groups if g.pinned for m in g.members}
    free = [i for i in range(model.size) if i not in absent and i not in pinned]
    given = model if len(free) == model.size else model.permuted(np.array(free, dtype=np.int64))
    causes = [
        name
        for name, applies in (
            ("the rules", len(given.blocked) > 0),
            ("the history", given.has_history()),
        )
        if applies
    ]
    return SameSpecialty(
        links=same_specialty_links(model, [g.members for g in pairing.groups if not g.pinned]),
        fewest=fewest_same_specialty_links(given, odd),
        forced_by=" or ".join(causes),
    )


@dataclass(frozen=True)
class OneWay:
    """The one-way groups the matcher made although two-way pairs were required."""

    groups: int
    """Groups (pinned ones aside) in which someone teaches or learns nothing."""
    trios: int
    """How many of them are trios."""
    fewest: int | None
    """The fewest one-way pairs a pairing of the people taking part allows (placing as many
    as possible), or None when not computed (a large roster)."""

    def warning(self) -> str:
        """The warning line, or '' when there is nothing to warn about."""
        if not self.groups:
            return ""
        noun = "group" if self.trios else "pair"
        head = (
            f"{plural(self.groups, noun)} {'is' if self.groups == 1 else 'are'} one-way "
            "although two-way pairs are required"
        )
        them = "it" if self.groups == 1 else "them"
        if self.fewest is None:
            return f"{head}: no pairing found avoids {them}"
        if self.groups <= self.fewest:
            return (
                f"{head}: no pairing of the people taking part avoids {them} "
                f"(fewest possible: {self.fewest})"
            )
        if self.trios:
            return (
                f"{head}: the fewest one-way pairs possible is {self.fewest}; a trio's third "
                "member may only teach or only learn"
            )
        return f"{head}: no pairing found avoids {them} (fewest possible: {self.fewest})"


def count_one_way(
    model: ScoreModel, pairing: Pairing, one_way: Sequence[bool] | None = None
) -> OneWay | None:
    """The one-way groups of `pairing` (roster indices, as `model` scores them) against the
    fewest the people the matcher was given allow; None unless two-way pairs are required.
    `one_way` says per group whether it is one-way (someone teaches or learns nothing, as
    the summary flags it); by default the same test, made here."""
    if not model.one_way_penalty:
        return None
    if one_way is None:
        one_way = [not model.group_is_two_way(g.members) for g in pairing.groups]
    flagged = [g for g, bad in zip(pairing.groups, one_way, strict=True) if bad and not g.pinned]
    absent = {u.index for u in pairing.unmatched if u.absent}
    pinned = {m for g in pairing.groups if g.pinned for m in g.members}
    free = [i for i in range(model.size) if i not in absent and i not in pinned]
    given = model if len(free) == model.size else model.permuted(np.array(free, dtype=np.int64))
    return OneWay(
        groups=len(flagged),
        trios=sum(1 for g in flagged if len(g.members) == 3),
        fewest=fewest_one_way_pairs(given),
    )


def round_warnings(
    roster: Roster,
    pairing: Pairing,
    same: SameSpecialty,
    repeats: Sequence[bool],
    one_way: OneWay | None = None,
) -> list[str]:
    """Everything about this round a coordinator must act on, one line each. `repeats` says
    per group of `pairing` whether it holds an earlier round's pair (`GroupFacts.repeats`);
    a pinned one was the coordinator's choice. `one_way` (`count_one_way`): the one-way
    groups when two-way pairs are required."""
    warnings = list(roster.warnings)
    if line := same.warning():
        warnings.append(line)
    if one_way is not None and (line := one_way.warning()):
        warnings.append(line)
    repeated = sum(
        1 for g, repeat in zip(pairing.groups, repeats, strict=True) if repeat and not g.pinned
    )
    if repeated:
        # With two-way pairs required, a repeat may be what avoided a one-way pair.
        other = "no two-way partner" if one_way is not None else "no other partner"
        warnings.append(
            f"{plural(repeated, 'group')} had to repeat an earlier round's pair: {other} "
            "was possible for them"
        )
    people = roster.people
    warnings += [
        f"{people[u.index].key} is not paired: {u.reason}"
        for u in pairing.unmatched
        if not u.absent
    ]
    return warnings
