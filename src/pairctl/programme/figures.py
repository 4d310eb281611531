"""The programme's figures over its rounds: pure aggregation, no files, no printing.

Definitions (the report's README/JSON keys follow them):

- A group *crosses specialty* when its Notes say "crosses specialty" (pairctl's own flag: no
  two members share one); without that note, when every member's specialty is known and no
  two are the same (case-insensitive). Otherwise it is not counted in the percentage.
- A group is *two-way* (both teach) when every member teaches at least one skill to someone
  in it and learns at least one from someone in it, as its lesson columns say; a sheet
  without lesson columns falls back to its Notes (neither "one-way" nor "nobody teaches").
- A *repeat* is a group whose Notes say "repeat from history".
- A *lesson* is one skill one member teaches another: "lessons given" counts the skills a
  person taught over all rounds, "received" the skills taught to them.
- *Specialties met*: the specialties of a person's partners other than their own.
- *Left out*: listed as unmatched for any reason but sitting the round out; *sat out*:
  listed as not taking part (Active = no) or away (pairctl's reasons "not taking part..." and
  "away until ..."). A round's `unmatched` counts both, as its Summary does.
- *Never two-way*: none of the person's groups was two-way (also True for someone in no
  group at all).
- A *link* is two members of one group (a trio has three); links between specialties count
  both ways once, by the pair of specialties (a within-specialty link pairs one with itself).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from pairctl.core.report import Lesson
from pairctl.programme.rounds import Group, Left, Member, Round

MET_LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class RosterPerson:
    """What `--roster` tells about a person."""

    key: str
    name: str
    specialty: str


@dataclass(frozen=True)
class RoundFigures:
    file: str
    date: str | None
    run_at: str
    people: int
    """Everyone the sheet lists: in a group or unmatched."""
    groups: int
    pairs: int
    trios: int
    crossing_pct: float | None
    both_teach_pct: float | None
    repeats: int
    unmatched: int
    """Everyone the sheet lists as unmatched (those sitting the round out included)."""
    not_taking_part: int
    """Of the unmatched, those sitting the round out (inactive or away)."""
    quality: float | None


@dataclass
class PersonFigures:
    key: str
    name: str = ""
    specialty: str = ""
    rounds: int = 0
    partners: list[str] = field(default_factory=list)
    specialties_met: list[str] = field(default_factory=list)
    lessons_given: int = 0
    lessons_received: int = 0
    trios: int = 0
    left_out: int = 0
    sat_out: int = 0
    never_two_way: bool = True
    on_roster: bool | None = None
    """With --roster: whether the key is on it; None without one."""


@dataclass(frozen=True)
class Programme:
    rounds: list[RoundFigures]
    people: list[PersonFigures]
    links: list[tuple[str, str, int]]
    """(specialty, specialty, links) over the year, names in order, each pair once."""
    met_at_least: dict[int, int]
    """N -> how many people met at least N other specialties."""
    never_took_part: list[str]
    """Roster keys in no group of any round (empty without --roster)."""

    def headline(self) -> dict[str, int]:
        """The people figures a reader looks at first."""
        took_part = [p for p in self.people if p.rounds]
        return {
            "people_taking_part": len(took_part),
            "never_two_way": sum(1 for p in took_part if p.never_two_way),
            "in_a_trio": sum(1 for p in self.people if p.trios),
            "left_out_at_least_once": sum(1 for p in self.people if p.left_out),
            "sat_out_at_least_once": sum(1 for p in self.people if p.sat_out),
            "never_took_part": len(self.never_took_part),
        }


def crosses_specialty(group: Group, specialty: dict[str, str]) -> bool | None:
    """Whether the group crosses specialty (see the module docstring); None when unknown."""
    if "crosses specialty" in group.notes:
        return True
    if any(note.startswith("same specialty") for note in group.notes):
        return False
    known = [specialty.get(key, "").strip().casefold() for key in group.keys]
    if not known or not all(known):
        return None
    return len(set(known)) == len(known)


def two_way(group: Group) -> bool:
    """Whether everyone in the group teaches and learns something (module docstring)."""
    if not group.lessons:
        return not any(n == "one-way" or n.startswith("nobody teaches") for n in group.notes)
    gives = {lesson.teacher for lesson in group.lessons if lesson.skills}
    gets = {lesson.learner for lesson in group.lessons if lesson.skills}
    return all(k in gives and k in gets for k in group.keys)


def sits_out(reason: str) -> bool:
    """Whether an Unmatched reason says the person was out by choice or away."""
    return reason.startswith(("not taking part", "away until"))


def is_repeat(group: Group) -> bool:
    return any(note.startswith("repeat from history") for note in group.notes)


def programme_figures(
    rounds: Sequence[Round], roster: Sequence[RosterPerson] | None = None
) -> Programme:
    """Per round, per person and over the year, from the rounds as read (oldest first)."""
    canon = _Canon(roster)
    if roster is None:
        # A JSON sheet records no specialties: take a person's from their other sheets.
        for one in rounds:
            for group in one.groups:
                for member in group.members:
                    canon.seen(member.key, member.specialty)
            for left in one.unmatched:
                canon.seen(left.key, left.specialty)
    people: dict[str, PersonFigures] = {}
    if roster is not None:
        for entry in roster:
            people.setdefault(
                entry.key, PersonFigures(entry.key, entry.name, entry.specialty, on_roster=True)
            )

    def person(key: str, name: str, specialty: str) -> PersonFigures:
        found = people.get(key)
        if found is None:
            found = people[key] = PersonFigures(
                key, on_roster=False if roster is not None else None
            )
        if not found.on_roster:
            # Off the roster the sheets are all we know: the latest spelling wins.
            found.name = name or found.name
            found.specialty = specialty or found.specialty
        return found

    per_round: list[RoundFigures] = []
    links: dict[tuple[str, str], int] = {}
    met: dict[str, dict[str, str]] = {}
    partners: dict[str, dict[str, None]] = {}
    for one in rounds:
        groups = [canon.group(g) for g in one.groups]
        specialty = {m.key: canon.specialty(m.key, m.specialty) for g in groups for m in g.members}
        crossing = [crosses_specialty(g, specialty) for g in groups]
        known = [c for c in crossing if c is not None]
        flags = [two_way(g) for g in groups]
        for group, both in zip(groups, flags, strict=True):
            for member in group.members:
                figures = person(member.key, member.name, member.specialty)
                figures.rounds += 1
                figures.trios += len(group.members) == 3
                figures.never_two_way = figures.never_two_way and not both
                own = specialty[member.key].strip().casefold()
                for other in group.members:
                    if other.key == member.key:
                        continue
                    partners.setdefault(member.key, {})[other.key] = None
                    theirs = specialty[other.key].strip()
                    if theirs and theirs.casefold() != own:
                        met.setdefault(member.key, {}).setdefault(theirs.casefold(), theirs)
            for lesson in group.lessons:
                person(lesson.teacher, "", "").lessons_given += len(lesson.skills)
                person(lesson.learner, "", "").lessons_received += len(lesson.skills)
            for a, b in combinations(group.members, 2):
                sa, sb = specialty[a.key].strip(), specialty[b.key].strip()
                if sa and sb:
                    pair = (min(sa, sb), max(sa, sb))
                    links[pair] = links.get(pair, 0) + 1
        unmatched = [canon.left(left) for left in one.unmatched]
        for left in unmatched:
            figures = person(left.key, left.name, canon.specialty(left.key, left.specialty))
            if sits_out(left.reason):
                figures.sat_out += 1
            else:
                figures.left_out += 1
        per_round.append(
            RoundFigures(
                file=one.file,
                date=one.date.isoformat() if one.date else None,
                run_at=one.run_at,
                people=sum(len(g.members) for g in groups) + len(unmatched),
                groups=len(groups),
                pairs=sum(1 for g in groups if len(g.members) == 2),
                trios=sum(1 for g in groups if len(g.members) == 3),
                crossing_pct=_pct(sum(known), len(known)),
                both_teach_pct=_pct(sum(flags), len(flags)),
                repeats=sum(1 for g in groups if is_repeat(g)),
                unmatched=len(unmatched),
                not_taking_part=sum(1 for left in unmatched if sits_out(left.reason)),
                quality=one.quality,
            )
        )
    for key, figures in people.items():
        figures.partners = list(partners.get(key, {}))
        figures.specialties_met = sorted(met.get(key, {}).values(), key=str.casefold)
    ordered = list(people.values())
    if roster is None:
        ordered.sort(key=lambda p: p.key)
    else:
        ordered.sort(key=lambda p: not p.on_roster)  # roster order first, then the others
    never = [p.key for p in ordered if p.on_roster and not p.rounds]
    return Programme(
        per_round,
        ordered,
        sorted((a, b, n) for (a, b), n in links.items()),
        {n: sum(1 for p in ordered if len(p.specialties_met) >= n) for n in MET_LEVELS},
        never,
    )


def _pct(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


class _Canon:
    """Keys as the roster spells them (a sheet's key is matched as `--history` matches it),
    and the roster's specialty over a sheet's."""

    def __init__(self, roster: Sequence[RosterPerson] | None) -> None:
        self.people = list(roster or ())
        self.known: dict[str, str] = {}
        if roster is None:
            self.index: dict[str, int] = {}
            self.fold: Callable[[str], str] = str
            return
        from pairctl.roster.keys import sheet_key_lookup

        self.index, self.fold = sheet_key_lookup([p.key for p in self.people])

    def key(self, key: str) -> str:
        at = self.index.get(self.fold(key))
        return self.people[at].key if at is not None else key

    def seen(self, key: str, specialty: str) -> None:
        """A specialty a sheet gives `key`: the latest one counts where another is blank."""
        if specialty.strip():
            self.known[key] = specialty

    def specialty(self, key: str, written: str) -> str:
        at = self.index.get(self.fold(key))
        if at is not None:
            return self.people[at].specialty
        return written or self.known.get(key, "")

    def group(self, group: Group) -> Group:
        members = tuple(
            Member(self.key(m.key), m.name, self.specialty(m.key, m.specialty))
            for m in group.members
        )
        lessons = tuple(
            Lesson(self.key(x.teacher), self.key(x.learner), x.skills) for x in group.lessons
        )
        return Group(members, lessons, group.notes)

    def left(self, left: Left) -> Left:
        return Left(self.key(left.key), left.name, left.specialty, left.reason)
