"""Who each person's manager is, from whatever the manager column holds: a key, an email or
a name.

HRIS exports write the manager's name (`Brandon R. LeBlanc`), sometimes beside an id in
another numbering; the reporting-line rule needs the manager's person key. A value is
matched to a person by key, else by email (case ignored), else by name: case, spaces,
punctuation and accents ignored, and word order too, so `LeBlanc, Brandon R` is
`Brandon R. LeBlanc`. A name two people share is ambiguous and not guessed at. What cannot be
resolved is said in one line: a rule that silently does nothing is the worst outcome.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from pairctl.core.model import Person, Roster
from pairctl.core.words import some

_SHOWN = 5


@dataclass(frozen=True)
class Managers:
    """How the manager column was resolved."""

    values: int
    """People with a manager value."""
    by_key: int
    by_email: int
    by_name: int
    unresolved: tuple[str, ...]
    """Values that name nobody, each once."""
    ambiguous: tuple[str, ...]
    """Names that fit several people, each once."""
    ambiguous_people: int = 0
    """People whose manager value is ambiguous."""

    @property
    def resolved(self) -> int:
        return self.by_key + self.by_email + self.by_name

    def describe(self) -> str:
        """For Run info: how many manager values named someone, and how."""
        if not self.values:
            return "(no manager values)"
        how = [
            f"{n} by {what}"
            for n, what in ((self.by_key, "key"), (self.by_email, "email"), (self.by_name, "name"))
            if n
        ]
        return f"{self.resolved} of {self.values} resolved" + (
            f" ({', '.join(how)})" if how else ""
        )


def resolve_managers(roster: Roster) -> tuple[Roster, Managers]:
    """The roster with each manager value replaced by the manager's person key where it can
    be resolved (an unresolved value is kept: it ends the chain there), and how it went."""
    people = roster.people
    keys = {p.key for p in people}
    emails = {p.email.strip().casefold(): p.key for p in people if p.email.strip()}
    names: dict[str, set[str]] = defaultdict(set)
    for p in people:
        for name in {p.name, p.key}:
            if name.strip():
                names[name_signature(name)].add(p.key)
    counts = {"key": 0, "email": 0, "name": 0}
    unresolved: list[str] = []
    ambiguous: list[str] = []
    resolved_people: list[Person] = []
    for person in people:
        value = person.manager.strip()
        manager = value
        if not value:
            pass
        elif value in keys:
            counts["key"] += 1
        elif value.casefold() in emails:
            manager = emails[value.casefold()]
            counts["email"] += 1
        elif len(found := names.get(name_signature(value), set())) == 1:
            manager = next(iter(found))
            counts["name"] += 1
        elif found:
            ambiguous.append(value)
        else:
            unresolved.append(value)
        resolved_people.append(
            person if manager == person.manager else dataclasses.replace(person, manager=manager)
        )
    summary = Managers(
        values=sum(1 for p in people if p.manager.strip()),
        by_key=counts["key"],
        by_email=counts["email"],
        by_name=counts["name"],
        unresolved=tuple(dict.fromkeys(unresolved)),
        ambiguous=tuple(dict.fromkeys(ambiguous)),
        ambiguous_people=len(ambiguous),
    )
    return dataclasses.replace(roster, people=tuple(resolved_people)), summary


def manager_warnings(summary: Managers, column: str) -> list[str]:
    """One line for each way the reporting-line rule falls short: it is off because no value
    resolves, or some values name nobody, or a name fits several people."""
    if not summary.values:
        return []
    where = f"manager column {column!r}"
    if not summary.resolved:
        return [
            f"reporting-line rule is off: none of the {summary.values} values in the {where} "
            f"names anyone on the roster by key, email or name (e.g. "
            f"{_some(summary.unresolved or summary.ambiguous)}); map the column that does "
            "with --map manager=COLUMN"
        ]
    lines = []
    if summary.unresolved:
        count = summary.values - summary.resolved - summary.ambiguous_people
        lines.append(
            f"reporting-line rule: {count} of {summary.values} values in the {where} "
            f"{'matches' if count == 1 else 'match'} nobody on the roster by key, email or "
            f"name (those chains end there): {_some(summary.unresolved)}"
        )
    if summary.ambiguous:
        lines.append(
            f"reporting-line rule: {_some(summary.ambiguous)} in the {where} "
            f"{'fits' if len(summary.ambiguous) == 1 else 'fit'} several people and "
            f"{'is' if len(summary.ambiguous) == 1 else 'are'} not used; write the manager's "
            "key or email instead"
        )
    return lines


def name_signature(text: str) -> str:
    """A name reduced to what identifies it: accents, case, punctuation and word order gone."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(sorted(re.findall(r"\w+", plain)))


def _some(values: tuple[str, ...]) -> str:
    return some(values, _SHOWN, quoted=True)
