"""Find the header row and decide which column feeds which field, and which are blind.

Headers are compared in a normalised form (case-folded, letters and digits only), so
"Employee_Name", "employee name" and "EmployeeName" are the same column name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pairctl.core.model import ColumnMapping
from pairctl.errors import RosterError, UsageError
from pairctl.roster.sources import Grid, cell_text, row_is_blank

# fmt: off
FIELDS = (
    "key", "name", "email", "specialty", "skills", "wants", "experience", "department", "manager",
    "active", "away_until", "timezone", "site", "languages",
)
# fmt: on
KEY_FIELDS = ("key", "email", "name")
"""Where the person key comes from, in order of preference."""

# Earlier spellings win when two columns claim the same field ("Manager ID" over "Manager
# Name": an id is what the manager-pair rule can match against person keys).
# fmt: off
ALIASES: dict[str, tuple[str, ...]] = {
    "key": (
        "ID", "Employee ID", "EmployeeNumber", "Employee Number", "EmpID", "Staff ID",
        "Person ID", "Employee No", "Emp No", "Employee Code", "Staff Number", "Staff No",
        "Personnel Number", "Badge ID", "Worker ID", "Key", "Employee Key", "Person Key",
    ),
    "name": (
        "Preferred name", "Name", "Employee Name", "Full name", "Employee", "Person",
        "Staff Name", "Display Name", "Colleague", "Participant", "Legal name",
    ),
    "email": (
        "Email", "E-mail", "Email address", "Work email", "Work email address",
        "Business email", "Mail",
    ),
    "specialty": (
        "Specialty", "Speciality", "Discipline", "Job Role", "Function", "Specialism",
        "Practice", "Field", "Role", "Specialization", "Specialisation", "Profession",
        "Job Function", "Craft",
    ),
    "skills": (
        "Skills", "Can teach", "Expertise", "Strengths", "Skill set", "Could teach",
        "Can mentor", "Can help with", "Skills offered", "Skills to share", "Areas of expertise",
        "Competencies", "Key skills",
    ),
    "wants": (
        "Wants to learn", "Want to learn", "Learning goals", "Interests", "Learn", "Wants",
        "Would like to learn", "To learn", "Skills to learn", "Skills wanted",
        "Learning interests", "Development goals", "Growth areas",
    ),
    "experience": (
        "Years of experience", "Experience", "TotalWorkingYears", "Years experience",
        "Experience (years)", "Years of work experience", "Work experience",
        "Total experience", "Yrs experience", "Experience yrs", "YOE",
    ),
    "department": (
        "Department", "Dept", "Team", "Division", "Department name", "Business unit", "Unit",
        "Org unit",
    ),
    "manager": (
        "Manager key", "Manager ID", "Manager", "Reports to", "Line manager",
        "Line manager ID", "Reporting manager", "Supervisor", "Manager email", "Manager Name",
    ),
    "active": (
        "Active", "Taking part", "Participating", "Participates", "Opt in", "Opted in",
        "In programme", "In program",
    ),
    "away_until": (
        "Away until", "On leave until", "Back on", "Returns on", "Unavailable until",
        "Out until",
    ),
    "timezone": (
        "Time zone", "Timezone", "TZ", "UTC offset", "GMT offset", "Local time zone",
        "Time zone (IANA)", "Home time zone", "Working time zone",
    ),
    "site": (
        "Site", "Office", "Location", "Work location", "Office location", "Base", "City",
        "Work site", "Campus", "Workplace", "Office city",
    ),
    "languages": (
        "Languages", "Spoken languages", "Languages spoken", "Language", "Working languages",
        "Languages I speak",
    ),
}
# fmt: on

# Blind words that name a protected characteristic: such a column is never a pairing field,
# not even when mapped on purpose.
# fmt: off
PROTECTED: dict[str, str] = {
    **dict.fromkeys(("gender", "sex", "pronoun", "pronouns"), "gender"),
    "sexuality": "sexual orientation",
    **dict.fromkeys(("age", "dob", "birth", "birthday", "born"), "age"),
    **dict.fromkeys(
        ("race", "ethnicity", "ethnic", "hispanic", "latino", "latina", "latinx"),
        "race or ethnicity",
    ),
    **dict.fromkeys(("religion", "religious"), "religion"),
    **dict.fromkeys(("disability", "disabled"), "disability"),
    **dict.fromkeys(("marital", "married"), "marital status"),
    **dict.fromkeys(
        ("salary", "pay", "income", "wage", "wages", "compensation", "comp", "bonus"), "pay"
    ),
    **dict.fromkeys(("citizen", "citizenship", "nationality"), "nationality"),
    "veteran": "veteran status",
}
# fmt: on
SENIORITY_WORDS = frozenset({"title", "position", "level", "grade", "band", "seniority"})
"""Blind words that may be mapped on purpose (with a warning): seniority, not a person's
characteristics."""
BLIND_WORDS = SENIORITY_WORDS | frozenset(PROTECTED)
"""Whole words that mark a column as blind: pairing never sees them unless mapped on purpose
(and a protected one never)."""

# Long question headers (sign-up forms): a field recognised by the words it contains. Each
# rule is (field, rank, phrases); a phrase is a run of words that must appear together (a
# tuple) or words that must all appear anywhere ("years ... experience": a frozenset). Ranks
# come after every exact alias (1000+), except a preferred name, which beats any other name
# column for display.
_QUESTION_RULES: tuple[tuple[str, int, tuple[tuple[str, ...] | frozenset[str], ...]], ...] = (
    ("skills", 1000, (("teach",), ("help", "with"))),
    ("wants", 1000, (("learn",),)),
    ("experience", 1000, (frozenset({"years", "experience"}), frozenset({"yrs", "experience"}))),
    ("name", -1, (("preferred", "name"),)),
    ("name", 1000, (("full", "name"), ("your", "name"))),
    ("name", 1001, (("legal", "name"),)),
    ("email", 1000, (("email",), ("e", "mail"))),
    ("department", 1000, (("team",), ("department",), ("dept",))),
)
_QUESTION_WORDS = 3
"""A header needs this many words to be read as a question ("LearnCode" is a survey's own
column, not a question about learning)."""
_NOT_ONESELF = frozenset({"manager", "managers", "supervisor", "lead", "reports"})
"""Words that make a question about someone else ("your manager's email")."""

SCAN_ROWS = 30
"""How many non-blank rows from the top may hold the header (title rows sit above it)."""

COLUMNS_ARE = "the columns are "
"""How every "column not found" message lists the columns (the shell adds a pointer to
`pairctl columns` to the messages holding it)."""

_SHOWN_ALIASES = 5
_SHOWN_COLUMNS = 12


def normalise(text: str) -> str:
    """The comparison form of a header: case-folded, letters and digits only."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_ALIAS_INDEX: dict[str, tuple[str, int]] = {
    normalise(alias): (name, rank)
    for name, aliases in ALIASES.items()
    for rank, alias in enumerate(aliases)
}

_CAMEL = (
    re.compile(r"(?<=[a-z])(?=[A-Z])"),  # jobLevel -> job Level
    re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])"),  # DOBDate -> DOB Date
    re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])"),  # Over18 -> Over 18
)
_NON_WORD = re.compile(r"[\W_]+")


def header_words(text: str) -> list[str]:
    """A header split into case-folded words: 'MonthlyIncome' -> ['monthly', 'income']."""
    for pattern in _CAMEL:
        text = pattern.sub(" ", text)
    return [w for w in _NON_WORD.split(text.casefold()) if w]


def is_blind(header: str) -> bool:
    """Whether a header names something pairing must not see (whole words only: 'Manager'
    and 'LanguageHaveWorkedWith' hold the letters 'age' but not the word)."""
    return any(word in BLIND_WORDS for word in header_words(header))


def protected_characteristic(header: str) -> str | None:
    """The protected characteristic a header names ('Gender' -> 'gender'), or None."""
    return next((PROTECTED[w] for w in header_words(header) if w in PROTECTED), None)


def question_field(header: str) -> tuple[str, int] | None:
    """(field, rank) for a long question header, by its words: 'Which skills could you teach
    a colleague?' -> skills. None when it is short, blind, about someone else, or reads as
    two fields at once (teach and learn)."""
    words = header_words(header)
    if len(words) < _QUESTION_WORDS or is_blind(header) or _NOT_ONESELF & set(words):
        return None
    found = [
        (name, rank)
        for name, rank, phrases in _QUESTION_RULES
        if any(_has_phrase(words, phrase) for phrase in phrases)
    ]
    if not found or {"skills", "wants"} <= {name for name, _ in found}:
        return None
    return found[0]


def _has_phrase(words: list[str], phrase: tuple[str, ...] | frozenset[str]) -> bool:
    if isinstance(phrase, frozenset):
        return phrase <= set(words)
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _refuse_protected(name: str, column: str, header: str | None = None) -> None:
    shown = header if header is not None else column
    trait = protected_characteristic(shown) or protected_characteristic(column)
    if trait is not None:
        raise UsageError(
            f"column {shown!r} mapped to {name} is {trait}, a protected characteristic: "
            f"pairctl never pairs on it; remove {name} = {column!r} from --map or [columns]"
        )


def parse_mapping(
    mapping: Mapping[str, str] | Iterable[tuple[str, str]] | None,
) -> dict[str, str]:
    """Check `--map FIELD=COLUMN` pairs: known field names, non-empty column names, each field
    once. Pairs (not only a dict) so a field given twice on the command line is caught."""
    pairs = mapping.items() if isinstance(mapping, Mapping) else (mapping or ())
    wanted: dict[str, str] = {}
    for raw_field, raw_column in pairs:
        name = str(raw_field).strip().casefold()
        column = str(raw_column).strip()
        if name not in FIELDS:
            raise UsageError(
                f"--map {raw_field}={raw_column}: unknown field {str(raw_field)!r}; "
                f"fields are {', '.join(FIELDS)}"
            )
        if not column:
            raise UsageError(f"--map {raw_field}=: give the column name after '='")
        _refuse_protected(name, column)
        if name in wanted:
            raise UsageError(
                f"--map {raw_field}={raw_column}: field {name!r} is already mapped to "
                f"{wanted[name]!r}; map each field once"
            )
        wanted[name] = column
    return wanted


@dataclass(frozen=True)
class Layout:
    """The header row that was found and what each of its columns is for."""

    index: int
    """0-based index of the header in `Grid.rows` (spreadsheet row `index + 1`)."""
    columns: dict[str, int]
    """field -> 0-based column index."""
    mapping: ColumnMapping
    key_field: str
    warnings: tuple[str, ...] = ()
    mapped_blind: tuple[tuple[str, str], ...] = ()
    """(field, column) for each blind column (job title, level, ...) mapped on purpose: a
    line for Run info."""


@dataclass(frozen=True)
class Missing:
    """Why no header row was found: short problems (for a list of sheets) and a full line."""

    problems: tuple[str, ...]
    detail: str


@dataclass
class _Plan:
    """What one candidate row would give as a header."""

    cells: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    recognised: int = 0
    missing_columns: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, list[int]]] = field(default_factory=list)
    losers: list[tuple[str, int, int]] = field(default_factory=list)
    """(field, winning column, losing column) when two columns look like the same field."""
    blind: frozenset[str] = frozenset()
    """Normalised names of columns the settings file declares blind."""
    mapped: frozenset[str] = frozenset()
    """The fields named by --map or [columns]."""

    @property
    def key_field(self) -> str | None:
        return next((f for f in KEY_FIELDS if f in self.columns), None)

    @property
    def complete(self) -> bool:
        return not self.missing_columns and "specialty" in self.columns and bool(self.key_field)


def find_header(
    grid: Grid, wanted: Mapping[str, str], where: str, blind: frozenset[str] = frozenset()
) -> Layout | Missing:
    """The row among the first non-blank ones that names the most known columns.

    It must give a specialty and a person key (or hold every column named by `--map`).
    Returns `Missing` when no row does; raises RosterError when the header is found but a
    column it needs appears twice.
    """
    chosen = _header_row(grid, wanted, blind)
    if chosen is None:
        return Missing(("empty",), "the roster is empty")
    index, plan = chosen
    return _layout(index, plan, where) if plan.complete else _missing(plan)


def _header_row(
    grid: Grid, wanted: Mapping[str, str], blind: frozenset[str]
) -> tuple[int, _Plan] | None:
    """The best complete row, else the best guess at one (None: the grid is blank)."""
    rows: list[tuple[int, _Plan]] = []
    for index, row in enumerate(grid.rows):
        if row_is_blank(row, grid.typed):
            continue
        cells = [(cell_text(c) if grid.typed else c).strip() for c in row]
        rows.append((index, _plan(cells, wanted, blind)))
        if len(rows) == SCAN_ROWS:
            break
    if not rows:
        return None
    complete = [(index, plan) for index, plan in rows if plan.complete]
    if complete:
        # max() keeps the first of equals: the highest of two equally good rows is the header.
        return max(complete, key=lambda item: item[1].recognised)
    return max(rows, key=lambda item: (item[1].recognised, sum(map(bool, item[1].cells))))


SAMPLE_CHARS = 40
"""A sample value in `pairctl columns` is cut to this many characters."""


@dataclass(frozen=True)
class ColumnInfo:
    """One header cell as `pairctl columns` shows it."""

    column: str
    sample: str
    """The first non-blank value below the header, shortened ('' when there is none)."""
    field: str | None
    """The field it feeds, or None."""
    why: str
    """How it was recognised, or why it feeds nothing."""


@dataclass(frozen=True)
class ColumnSurvey:
    """The header row pairctl would read and what each column in it is for."""

    header_row: int | None
    """Spreadsheet row number of the header (1-based); None when the sheet is blank."""
    columns: tuple[ColumnInfo, ...]


def survey_columns(
    grid: Grid, wanted: Mapping[str, str], blind: frozenset[str] = frozenset()
) -> ColumnSurvey:
    """Every header of the row `find_header` would choose (or its best guess when no row is
    complete), each with a sample value and the field it feeds or why it feeds none. Never
    raises for a roster's columns: this is what a "column not found" message points to."""
    chosen = _header_row(grid, wanted, blind)
    if chosen is None:
        return ColumnSurvey(None, ())
    index, plan = chosen
    feeds = {j: name for name, j in plan.columns.items()}
    twice = {j: name for name, hits in plan.duplicates for j in hits[1:]}
    lost = {lose: (name, win) for name, win, lose in plan.losers}
    infos = []
    for j, cell in enumerate(plan.cells):
        if not cell:
            continue
        name = feeds.get(j)
        why = _why(cell, name, plan)
        if name is None and j in twice:
            why = f"appears more than once ({twice[j]}); rename or delete the extra ones"
        elif name is None and j in lost:
            other, win = lost[j]
            why = f"also looks like {other}; {plan.cells[win]!r} is used (choose with --map)"
        elif name is not None and name in twice.values():
            why += "; appears more than once"
        infos.append(ColumnInfo(cell, _sample(grid, index, j), name, why))
    return ColumnSurvey(index + 1, tuple(infos))


def _why(cell: str, name: str | None, plan: _Plan) -> str:
    trait = protected_characteristic(cell)
    if trait is not None:
        return f"protected ({trait}): never used for pairing"
    if name is not None:
        if name in plan.mapped:
            return "mapped (--map or [columns])" + (
                "; normally blind (seniority)" if is_blind(cell) else ""
            )
        return "known column name" if normalise(cell) in _ALIAS_INDEX else "words in the question"
    if normalise(cell) in plan.blind:
        return "blind (settings file)"
    if is_blind(cell):
        return "blind (seniority): map it on purpose to use it"
    words = set(header_words(cell))
    if len(words) >= _QUESTION_WORDS and {"teach", "learn"} <= words:
        return "ambiguous: reads as both skills and wants; choose with --map"
    return "unused"


def _sample(grid: Grid, index: int, j: int) -> str:
    for row in grid.rows[index + 1 :]:
        if j < len(row):
            text = (cell_text(row[j]) if grid.typed else row[j]).strip()
            if text:
                text = " ".join(text.split())
                return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"
    return ""


def _plan(cells: list[str], wanted: Mapping[str, str], blind: frozenset[str]) -> _Plan:
    plan = _Plan(cells, blind=blind, mapped=frozenset(wanted))
    norms = [normalise(c) for c in cells]
    taken: set[int] = set()
    for name, column in wanted.items():
        hits = [j for j, cell in enumerate(cells) if cell == column]
        if not hits and normalise(column):
            hits = [j for j, norm in enumerate(norms) if norm == normalise(column)]
        if not hits:
            plan.missing_columns.append((name, column))
            continue
        if len(hits) > 1:
            plan.duplicates.append((name, hits))
        plan.columns[name] = hits[0]
        taken.update(hits)
    offers: dict[str, list[tuple[int, int]]] = {}
    for j, norm in enumerate(norms):
        if norm in blind or j in taken:
            continue
        hit = _ALIAS_INDEX.get(norm) or question_field(cells[j])
        if hit is None or hit[0] in wanted:
            continue
        offers.setdefault(hit[0], []).append((hit[1], j))
    for name, found in offers.items():
        found.sort()
        best_rank, best = found[0]
        same = [j for rank, j in found if rank == best_rank]
        if len(same) > 1:
            plan.duplicates.append((name, same))
        plan.columns[name] = best
        plan.losers.extend((name, best, j) for rank, j in found[1:] if rank != best_rank)
    plan.recognised = len(taken) + sum(len(found) for found in offers.values())
    return plan


def _layout(index: int, plan: _Plan, where: str) -> Layout:
    cells = plan.cells
    for name, hits in plan.duplicates:
        letters = " and ".join(column_letter(j) for j in hits)
        raise RosterError(
            f"{where}, row {index + 1}: column {cells[hits[0]]!r} ({name}) appears more than "
            f"once (columns {letters}); rename or delete the extra ones"
        )
    mapped_blind: list[tuple[str, str]] = []
    for name in sorted(plan.mapped, key=FIELDS.index):
        if name not in plan.columns:
            continue
        header = cells[plan.columns[name]]
        _refuse_protected(name, header, header)
        if is_blind(header):
            mapped_blind.append((name, header))
    used = set(plan.columns.values())
    blind: list[str] = []
    unused: list[str] = []
    for j, cell in enumerate(cells):
        if cell and j not in used:
            (blind if is_blind(cell) or normalise(cell) in plan.blind else unused).append(cell)
    warnings = tuple(
        f"{where}: columns {cells[win]!r} and {cells[lose]!r} both look like {name}; "
        f"using {cells[win]!r} (choose with --map {name}=COLUMN)"
        for name, win, lose in plan.losers
    ) + tuple(
        f"{where}: column {header!r} is normally blind (seniority) but is mapped to {name}; "
        "pairing uses it"
        for name, header in mapped_blind
    )
    fields = {name: cells[plan.columns[name]] for name in FIELDS if name in plan.columns}
    key_field = plan.key_field
    assert key_field is not None  # a complete plan has one
    return Layout(
        index=index,
        columns={name: plan.columns[name] for name in fields},
        mapping=ColumnMapping(fields=fields, blind=tuple(blind), unused=tuple(unused)),
        key_field=key_field,
        warnings=warnings,
        mapped_blind=tuple(mapped_blind),
    )


def _missing(plan: _Plan) -> Missing:
    problems: list[str] = []
    details: list[str] = []
    for name, column in plan.missing_columns:
        problems.append(f"no column {column!r}")
        details.append(f"no column {column!r} (from --map {name}={column})")
    if details:
        details[-1] += f"; {COLUMNS_ARE}{_column_list(plan.cells)}"
    # A field named by --map was looked for by that name only: "use --map" would contradict.
    mapped = {name for name, _ in plan.missing_columns}
    if plan.key_field is None and "key" not in mapped:
        problems.append("no person key column")
        looked = (*ALIASES["key"][:3], "Email", "Name")
        details.append(
            f"no person key column (looked for {', '.join(looked)} …); use --map key=COLUMN"
        )
    if "specialty" not in plan.columns and "specialty" not in mapped:
        problems.append("no specialty column")
        looked = ALIASES["specialty"][:_SHOWN_ALIASES]
        details.append(
            f"no specialty column (looked for {', '.join(looked)} …); use --map specialty=COLUMN"
        )
    if not plan.missing_columns:
        details.append(f"{COLUMNS_ARE}{_column_list(plan.cells)}")
    return Missing(tuple(problems), "; ".join(details))


def _column_list(cells: list[str]) -> str:
    named = [c for c in cells if c]
    if not named:
        return "all blank"
    shown = ", ".join(repr(c) for c in named[:_SHOWN_COLUMNS])
    if len(named) > _SHOWN_COLUMNS:
        shown += f", … ({len(named)} in all)"
    return shown


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
