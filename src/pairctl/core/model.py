"""Plain data the whole program passes around: people, the roster, and a pairing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from pairctl.core.vocabulary import (
    Vocabulary,
    VocabularyTable,
    build_vocabulary,
    default_vocabulary,
)

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The matching form of a skill or specialty: Unicode-normalised (NFKC, so a composed and
    a decomposed "é" are one letter), trimmed, inner spaces collapsed, case-folded.

    Shown text keeps the spelling the roster used; only comparisons use this form.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass(frozen=True)
class Person:
    """One row of the roster, after reading and validation.

    `skills` and `wants` keep the spelling the roster used, in roster order, without
    duplicates (compared by `fold`). `row` is the 1-based row number in the source sheet,
    for messages that point the coordinator at the cell.
    """

    key: str
    name: str
    specialty: str
    skills: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    experience: float | None = None
    department: str = ""
    manager: str = ""
    email: str = ""
    row: int = 0
    active: bool = True
    """False when the roster says the person does not take part (an Active column)."""
    away_until: str = ""
    """ISO date until which the person is away (an Away until column), or ''."""
    timezone: str = ""
    """The person's time zone as `core.zones` names it (`Europe/Berlin`, `UTC+05:30`), read
    from a time zone column or a location naming one city; '' when unknown."""
    site: str = ""
    """Where the person works, as written (a Location, Office or Site column), or ''."""
    languages: tuple[str, ...] = ()
    """Languages the person speaks, as written, in roster order (a Languages column)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which roster column fed which field, and which columns were left out and why."""

    fields: dict[str, str] = field(default_factory=dict)
    """field name (key, name, email, specialty, skills, wants, experience, department,
    manager, timezone, site, languages, ...) -> the column header as written in the roster."""
    blind: tuple[str, ...] = ()
    """Columns recognised as blind (title, level, age, gender, ...): never scored."""
    unused: tuple[str, ...] = ()
    """Other columns pairctl does not use."""


@dataclass(frozen=True)
class Roster:
    """Everyone to pair, in roster order, plus where they came from."""

    people: tuple[Person, ...]
    source: str = ""
    """The path as given (or '-' for standard input)."""
    sha256: str = ""
    """SHA-256 of the input bytes, so a sheet can be traced to the exact roster file."""
    sheet: str = ""
    """The sheet read ('' for CSV)."""
    header_row: int = 1
    """1-based row of the header in the source."""
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    key_field: str = "key"
    """Which field the person key came from: 'key' (an id column), 'email' or 'name'."""
    has_skills: bool = False
    """True when the roster has a skills column. Without one, a person can teach their
    specialty (docs/scoring.md)."""
    has_wants: bool = False
    """True when the roster has a wants-to-learn column. Without one, a person wants to learn
    whatever others can teach that they cannot."""
    warnings: tuple[str, ...] = ()
    """Things the reader noticed but could live with."""
    list_splits: tuple[str, ...] = ()
    """How each skills or wants column was split into items (for Run info)."""
    mapped_blind: tuple[tuple[str, str], ...] = ()
    """(field, column) for each normally blind column (job title, level) mapped on purpose."""
    problems: tuple[str, ...] = ()
    """Things that stop pairing (duplicate or blank keys), collected instead of raised when
    the reader was asked to (`pairctl validate`)."""
    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    """How skills and specialties are compared (folding and the built-in abbreviations until
    `with_vocabulary` applies the settings')."""

    @property
    def has_zones(self) -> bool:
        """Whether a time zone or location column was read (so zones may be known)."""
        return "timezone" in self.mapping.fields or "site" in self.mapping.fields

    @property
    def has_languages(self) -> bool:
        """Whether a languages column was read."""
        return "languages" in self.mapping.fields

    @property
    def has_sites(self) -> bool:
        """Whether a location column was read."""
        return "site" in self.mapping.fields

    def with_vocabulary(self, table: VocabularyTable | None) -> Roster:
        """The same roster compared through this settings vocabulary, plus the aliases its
        own people write in brackets. Raises `VocabularyProblem` for a contradictory table."""
        people = self.people
        skills = {s for p in people for s in (*p.skills, *p.wants)}
        if not self.has_skills:
            skills |= {p.specialty for p in people}
        vocabulary = build_vocabulary(table, skills, {p.specialty for p in people})
        return replace(self, vocabulary=vocabulary)


@dataclass(frozen=True)
class Group:
    """A pair, or a trio when the count is odd. `members` index into `Roster.people`."""

    members: tuple[int, ...]
    score: float
    pinned: bool = False
    """Fixed by the coordinator (--pin) before the rest was optimised."""


@dataclass(frozen=True)
class Unmatched:
    """A person who was not paired, and why, in words the coordinator can repeat."""

    index: int
    reason: str
    absent: bool = False
    """True for someone out this round (opted out, away): a normal event the report lists but
    does not warn about. False for someone who took part and was left without a partner."""


@dataclass(frozen=True)
class Pairing:
    """The result of matching: groups in a stable order, the unmatched, and how it was made."""

    groups: tuple[Group, ...]
    unmatched: tuple[Unmatched, ...]
    solver: str
    seed: int
    objective: float = 0.0
    """The sum of the pair scores before an odd person joined a trio: what the solver
    maximises, and so what compares with the exact optimum or an upper bound."""
    bound: float | None = None
    """A certified upper bound on the plain total (no two-way penalty) of the people the
    solver was free to pair, when the solver computed one on the way (large rosters); inf
    when it tried and the check over all pairs was too large."""
