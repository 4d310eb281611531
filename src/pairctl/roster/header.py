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
    "active", "away_until",
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
        "Name", "Employee Name", "Full name", "Employee", "Person", "Staff Name",
        "Display Name", "Colleague", "Participant",
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
}
# fmt: on

# Whole words that mark a column as blind: seniority, pay and protected characteristics.
# Pairing must never see them (unless the coordinator maps one on purpose).
# fmt: off
BLIND_WORDS = frozenset({
    "title", "position", "level", "grade", "band", "seniority",
    "age", "dob", "birth", "birthday", "born",
    "gender", "sex", "sexuality", "pronoun", "pronouns",
    "race", "ethnicity", "ethnic", "hispanic", "latino", "latina", "latinx",
    "marital", "married", "religion", "religious", "disability", "disabled", "veteran",
    "salary", "pay", "income", "wage", "wages", "compensation", "comp", "bonus",
    "citizen", "citizenship", "nationality",
})
# fmt: on

SCAN_ROWS = 30
"""How many non-blank rows from the top may hold the header (title rows sit above it)."""

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
    rows: list[tuple[int, _Plan]] = []
    for index, row in enumerate(grid.rows):
        if row_is_blank(row, grid.typed):
            continue
        cells = [(cell_text(c) if grid.typed else c).strip() for c in row]
        rows.append((index, _plan(cells, wanted, blind)))
        if len(rows) == SCAN_ROWS:
            break
    if not rows:
        return Missing(("empty",), "the roster is empty")
    complete = [(index, plan) for index, plan in rows if plan.complete]
    if complete:
        # max() keeps the first of equals: the highest of two equally good rows is the header.
        index, plan = max(complete, key=lambda item: item[1].recognised)
        return _layout(index, plan, where)
    _, guess = max(rows, key=lambda item: (item[1].recognised, sum(map(bool, item[1].cells))))
    return _missing(guess)


def _plan(cells: list[str], wanted: Mapping[str, str], blind: frozenset[str]) -> _Plan:
    plan = _Plan(cells, blind=blind)
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
        hit = None if norm in blind else _ALIAS_INDEX.get(norm)
        if hit is None or j in taken or hit[0] in wanted:
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
    )


def _missing(plan: _Plan) -> Missing:
    problems: list[str] = []
    details: list[str] = []
    for name, column in plan.missing_columns:
        problems.append(f"no column {column!r}")
        details.append(f"no column {column!r} (from --map {name}={column})")
    if details:
        details[-1] += f"; the columns are {_column_list(plan.cells)}"
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
