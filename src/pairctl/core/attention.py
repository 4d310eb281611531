"""What a coordinator must act on after a round: the report's warnings, which `--strict` turns
into exit code 6 and cron into a mail.

A warning is something to look at: someone who wanted to take part and has no partner, a pair
repeated from history, a same-specialty pair and what forced it. People out this round (opted
out, away) are a normal event: the report lists and counts them, but never warns about them.
Pinned pairs were the coordinator's own choice, so they are not warned about either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from pairctl.core.matching import OddRule
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


def round_warnings(
    roster: Roster, pairing: Pairing, same: SameSpecialty, repeats: Sequence[bool]
) -> list[str]:
    """Everything about this round a coordinator must act on, one line each. `repeats` says
    per group of `pairing` whether it holds an earlier round's pair (`GroupFacts.repeats`);
    a pinned one was the coordinator's choice."""
    warnings = list(roster.warnings)
    if line := same.warning():
        warnings.append(line)
    repeated = sum(
        1 for g, repeat in zip(pairing.groups, repeats, strict=True) if repeat and not g.pinned
    )
    if repeated:
        warnings.append(
            f"{plural(repeated, 'group')} had to repeat an earlier round's pair: no other "
            "partner was possible for them"
        )
    people = roster.people
    warnings += [
        f"{people[u.index].key} is not paired: {u.reason}"
        for u in pairing.unmatched
        if not u.absent
    ]
    return warnings
