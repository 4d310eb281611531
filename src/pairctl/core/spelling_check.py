"""What a roster's spellings look like to the vocabulary: which ones already count as one, and
which look alike but do not (yet). Pure; `pairctl vocabulary`, `validate` and `match` show it."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pairctl.core.model import Person, Roster
from pairctl.core.spellings import LookAlike, look_alikes
from pairctl.core.vocabulary import Lookup, term_key
from pairctl.core.words import plural

KINDS = ("specialties", "skills")
_ONE = {"specialties": "specialty", "skills": "skill"}


@dataclass(frozen=True)
class Written:
    """One spelling as the roster wrote it, how many people wrote it, and why it counts as
    its term: 'folding' (case, spaces, punctuation), 'settings', 'built-in' or 'roster'."""

    text: str
    people: int
    origin: str


@dataclass(frozen=True)
class CountedAsOne:
    """Several spellings in the roster that already count as one term."""

    kind: str
    name: str
    spellings: tuple[Written, ...]


def written(roster: Roster, kind: str) -> Counter[str]:
    """How many people wrote each spelling (trimmed) of skills (skills and wants, or their
    specialty when the roster has no skills column) or of specialties."""
    raw: Counter[str] = Counter()
    for person in roster.people:
        raw.update(set(_terms(person, roster, kind)))
    # Trimmed once per distinct spelling, not once per person; a person who wrote two
    # spellings that trim alike counts once more here, which no count shown depends on.
    counts: Counter[str] = Counter()
    for text, people in raw.items():
        trimmed = " ".join(text.split())
        if trimmed:
            counts[trimmed] += people
    return counts


def _terms(person: Person, roster: Roster, kind: str) -> Iterable[str]:
    if kind == "specialties":
        return (person.specialty,)
    return (
        (*person.skills, *person.wants) if roster.has_skills else (person.specialty, *person.wants)
    )


def _lookup(roster: Roster, kind: str) -> Lookup:
    vocabulary = roster.vocabulary
    return vocabulary.specialties if kind == "specialties" else vocabulary.skills


def roster_look_alikes(roster: Roster) -> list[LookAlike]:
    """Spellings that look like one specialty or skill but do not count as one, specialties
    first; groups the settings declare distinct (`[vocabulary] distinct`) left out."""
    distinct = roster.vocabulary.distinct
    return [
        group
        for kind in KINDS
        for group in look_alikes(
            kind, written(roster, kind), _lookup(roster, kind), distinct=distinct
        )
    ]


def counted_as_one(roster: Roster) -> list[CountedAsOne]:
    """Terms the roster spells in more than one way, with what made each spelling count."""
    result = []
    for kind in KINDS:
        lookup = _lookup(roster, kind)
        terms: dict[str, list[tuple[str, int]]] = {}
        for text, people in written(roster, kind).items():
            terms.setdefault(lookup.key(text), []).append((text, people))
        for key, spellings in sorted(terms.items()):
            # Blank once folded ("()", a lone bullet): no term at all.
            if len(spellings) < 2 or not key:
                continue
            ordered = sorted(spellings, key=lambda s: (-s[1], s[0]))
            name = lookup.names.get(key, ordered[0][0])
            shown = tuple(
                Written(text, people, _origin(lookup, text, key)) for text, people in ordered
            )
            result.append(CountedAsOne(kind, name, shown))
    return result


def _origin(lookup: Lookup, text: str, target: str) -> str:
    """Why `text` counts as the term `target`: folding alone when its own form is the term's."""
    own = term_key(text)
    return "folding" if own == target else lookup.origin.get(own, "folding")


def look_alike_line(group: LookAlike) -> str:
    """One look-alike group in words: "'Software Engineer' (3) and 'Software Engineering' (12)
    look like one specialty (engineer/engineering)"."""
    spelled = [f"{s.text!r} ({s.people})" for s in group.spellings]
    joined = ", ".join(spelled[:-1]) + f" and {spelled[-1]}"
    return f"{joined} look like one {_ONE.get(group.kind, group.kind)} ({group.why})"


def spelling_warnings(found: Sequence[LookAlike], source: str) -> list[str]:
    """What `match` says about look-alike spellings: one line per specialty group (each
    silently weakens the same-specialty rule), one line for all skill groups together."""
    hint = f"pairctl vocabulary {shlex.quote(source)} --write FILE"
    lines = [
        f"{look_alike_line(g)}: pairs of them count as crossing specialties; "
        f"list them in [vocabulary.specialties] ({hint})"
        for g in found
        if g.kind == "specialties"
    ]
    skills = [g for g in found if g.kind == "skills"]
    if skills:
        first = look_alike_line(skills[0])
        more = f" and {plural(len(skills) - 1, 'more group')}" if len(skills) > 1 else ""
        lines.append(
            f"skill spellings that look alike are counted apart: {first}{more}; see {hint}"
        )
    return lines
