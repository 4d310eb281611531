"""Forget people: remove them from every history file (`pairctl forget KEY... --history PATH`).

What removing a member from a recorded group means: every cell of that member is blanked
(key, name, email, specialty, department, time zone, site, languages) and so are the lessons
they give or receive (`A teaches B` and `B teaches A` when A goes; in a trio the lessons
between the other two stay). The other members' cells stay as they were, so their own
history is kept: a pair left with one member no longer counts as a pair, a trio becomes a
pair. Pair, Size, Keep, Score
and Notes stay as recorded (figures of the round, nothing personal).

Per format:

- pairctl's xlsx (loaded and saved with openpyxl): Pairs as above; By person: the person's
  row is deleted, and in their partners' rows they leave Partner and Partner email, and the
  lessons with them (Will teach / Will learn: blanked for a pair, their `Name: ...` part for a
  trio); Unmatched: their row is deleted; Summary and Run info: their key, name or email in a
  text cell (the weakest pairs, the unmatched names, a warning) becomes `(removed)`.
  openpyxl keeps the values, styles, widths, row heights (moved with deleted rows), frozen
  panes, filters (shrunk by the deleted rows), print set-up, merged cells and the Summary's
  two charts (re-serialised by openpyxl: same type, data and titles).
- pairctl's csv and the keys-only csv (`A key`, `B key`, ... header): the member's fields
  blanked, an `unmatched` row deleted. Edited in place as text: every other byte (BOM, line
  ends, quoting, the other fields) stays as it was; a blanked quoted field becomes `""`.
- pairctl's json: the key leaves `pairs[].members`, `lessons` with them as teacher or learner
  go, their `unmatched` entry goes; a warning or Run info value naming them says
  `(removed)`. Written again as pairctl writes it (indent 2, UTF-8, newline at the end).
- a plain two/three-column key CSV: the person's field blanked (the row then holds one key,
  which history ignores).

Keys compare as pairctl compares them (`roster.keys`): emails ignore case, and pairctl's CSV
spelling of a key that could start a formula (`'-E0024`) is the same person. A file that does
not name anyone given is never opened for writing.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pairctl.errors import RosterError
from pairctl.output.atomic import atomic_write_all
from pairctl.output.neutralise import safe_cell
from pairctl.output.tables import MEMBER_FIELDS
from pairctl.roster.history import history_files
from pairctl.roster.keys import key_fold
from pairctl.roster.sources import sniff_delimiter

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

REMOVED = "(removed)"
"""What a person's key, name or email becomes inside a free-text cell."""
MIN_TEXT_TERM = 3
"""Shorter keys or names are not searched for inside free text: too many false hits."""
_LETTERS = "ABC"
_UNMATCHED = "unmatched"


@dataclass(frozen=True)
class FileChange:
    """What forgetting changed (or, in a dry run, would change) in one history file."""

    path: Path
    cells: int
    """Cells (or JSON values) blanked or edited."""
    rows: int
    """Rows (or JSON entries) deleted."""
    keys: tuple[str, ...]
    """The given keys this file named."""


@dataclass(frozen=True)
class ForgetReport:
    """The outcome of `forget`: the files that name someone, and the keys no file names."""

    files: tuple[FileChange, ...]
    not_found: tuple[str, ...]
    dry_run: bool
    untouched: tuple[Path, ...] = field(default=())
    """History files that name nobody given (left as they were)."""


class _Matcher:
    """Which given key a cell names, as pairctl compares keys."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._index: dict[str, str] = {}
        self._folds: list[Callable[[str], str]] = []
        for key in keys:
            fold = key_fold([key])
            if fold not in self._folds:
                self._folds.append(fold)
            for spelling in (key, safe_cell(key)):
                self._index.setdefault(fold(spelling.strip()), key)

    def __call__(self, value: object) -> str | None:
        if value is None or isinstance(value, bool):
            return None
        text = str(value).strip()
        if not text:
            return None
        for fold in self._folds:
            found = self._index.get(fold(text))
            if found is not None:
                return found
        return None


@dataclass
class _Edit:
    """Changes found in one file, ready to write."""

    cells: int = 0
    rows: int = 0
    keys: set[str] = field(default_factory=set)
    write: Callable[[Path], None] | None = None


def forget(keys: Sequence[str], folder_or_files: Sequence[str], *, dry_run: bool) -> ForgetReport:
    """Remove each person in `keys` from every history file in `folder_or_files` (folders as
    `--history` reads them). Changed files are rewritten together, atomically; with
    `dry_run` nothing is written. A missing path is a `RosterError`."""
    matcher = _Matcher(keys)
    files = history_files(folder_or_files)
    changes: list[FileChange] = []
    untouched: list[Path] = []
    writes: list[tuple[Path, Callable[[Path], None]]] = []
    seen: set[str] = set()
    for path in files:
        edit = _plan(path, matcher)
        if edit.write is None:
            untouched.append(path)
            continue
        changes.append(FileChange(path, edit.cells, edit.rows, tuple(sorted(edit.keys))))
        writes.append((path, edit.write))
        seen |= edit.keys
    if writes and not dry_run:
        atomic_write_all(writes)
    missing = tuple(key for key in dict.fromkeys(keys) if key not in seen)
    return ForgetReport(tuple(changes), missing, dry_run, tuple(untouched))


def _plan(path: Path, matcher: _Matcher) -> _Edit:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(f"{path}: cannot read (--history: {error.strerror or error})") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _plan_json(path, data, matcher)
    if suffix == ".xlsx":
        return _plan_xlsx(path, data, matcher)
    return _plan_csv(path, data, matcher)


# --- free text -----------------------------------------------------------------------------


def _scrub(text: str, terms: Iterable[str]) -> str:
    """`text` with every whole-word occurrence of a term (case ignored) made `(removed)`."""
    for term in sorted({t for t in terms if len(t) >= MIN_TEXT_TERM}, key=len, reverse=True):
        pattern = rf"(?<![\w@.]){re.escape(term)}(?![\w@])"
        text = re.sub(pattern, REMOVED, text, flags=re.IGNORECASE)
    return text


# --- the Pairs table (xlsx and csv) --------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    """Where a pairctl Pairs header keeps each member's cells and the lessons."""

    member: dict[str, int]
    """letter -> the column of its key."""
    cells: dict[str, list[int]]
    """letter -> every column of that member (key, name, email, specialty, department)."""
    lessons: dict[str, list[int]]
    """letter -> the lesson columns that member gives or receives."""
    name: dict[str, int]
    email: dict[str, int]
    pair: int | None


def _pairs_columns(header: Sequence[str]) -> _Columns | None:
    if "A key" not in header or "B key" not in header:
        return None
    at = {title: i for i, title in reversed(list(enumerate(header)))}
    member: dict[str, int] = {}
    cells: dict[str, list[int]] = {}
    lessons: dict[str, list[int]] = {}
    names: dict[str, int] = {}
    emails: dict[str, int] = {}
    for letter in _LETTERS:
        if f"{letter} key" not in at:
            continue
        member[letter] = at[f"{letter} key"]
        cells[letter] = [at[f"{letter} {f}"] for f in MEMBER_FIELDS if f"{letter} {f}" in at]
        lessons[letter] = [
            i
            for i, title in enumerate(header)
            if re.fullmatch(rf"({letter} teaches [A-Z]|[A-Z] teaches {letter})", title)
        ]
        if f"{letter} name" in at:
            names[letter] = at[f"{letter} name"]
        if f"{letter} email" in at:
            emails[letter] = at[f"{letter} email"]
    return _Columns(member, cells, lessons, names, emails, at.get("Pair"))


@dataclass
class _RowPlan:
    blank: set[int] = field(default_factory=set)
    delete: bool = False
    found: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(key, name, email, pair) of each member removed."""


def _plan_pairs_row(row: Sequence[str], columns: _Columns, matcher: _Matcher) -> _RowPlan:
    """Which cells of one Pairs row to blank (or whether to delete it: an unmatched row)."""
    plan = _RowPlan()

    def cell(index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    pair = cell(columns.pair)
    for letter, at in columns.member.items():
        key = matcher(cell(at))
        if key is None:
            continue
        name, email = cell(columns.name.get(letter)), cell(columns.email.get(letter))
        plan.found.append((key, name, email, pair))
        if pair == _UNMATCHED:
            plan.delete = True
        targets = [*columns.cells[letter], *columns.lessons[letter]]
        plan.blank |= {i for i in targets if i < len(row) and row[i] != ""}
    return plan


# --- csv -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    start: int
    end: int
    quoted: bool
    value: str


@dataclass(frozen=True)
class _Record:
    fields: list[_Field]
    start: int
    end: int
    """Just past its line end."""


def _csv_records(text: str, delimiter: str) -> list[_Record]:
    """Split CSV text into records and fields, keeping where each sits in the text, so an
    edit can replace one field and leave every other byte alone."""
    records: list[_Record] = []
    i, n = 0, len(text)
    stops = (delimiter, "\r", "\n")
    while i < n:
        begin = i
        fields: list[_Field] = []
        while True:
            start = i
            if i < n and text[i] == '"':
                j, parts = i + 1, []
                while j < n:
                    if text[j] == '"':
                        if j + 1 < n and text[j + 1] == '"':
                            parts.append('"')
                            j += 2
                            continue
                        j += 1
                        break
                    parts.append(text[j])
                    j += 1
                while j < n and text[j] not in stops:
                    parts.append(text[j])
                    j += 1
                fields.append(_Field(start, j, True, "".join(parts)))
            else:
                j = i
                while j < n and text[j] not in stops:
                    j += 1
                fields.append(_Field(start, j, False, text[i:j]))
            i = j
            if i < n and text[i] == delimiter:
                i += 1
                continue
            if i < n and text[i] == "\r":
                i += 1
            if i < n and text[i] == "\n":
                i += 1
            break
        records.append(_Record(fields, begin, i))
    return records


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _plan_csv(path: Path, data: bytes, matcher: _Matcher) -> _Edit:
    text, encoding = _decode(data)
    delimiter = sniff_delimiter(text)
    records = _csv_records(text, delimiter)
    edit = _Edit()
    replacements: list[tuple[int, int, str]] = []
    header = [f.value.strip() for f in records[0].fields] if records else []
    columns = _pairs_columns(header)
    for record in records[1:] if columns is not None else records:
        values = [f.value for f in record.fields]
        if columns is not None:
            plan = _plan_pairs_row(values, columns, matcher)
            edit.keys |= {key for key, *_ in plan.found}
            if plan.delete:
                replacements.append((record.start, record.end, ""))
                edit.rows += 1
                continue
            blank = plan.blank
        else:
            found = {i: matcher(v) for i, v in enumerate(values)}
            blank = {i for i, key in found.items() if key is not None}
            edit.keys |= {key for key in found.values() if key is not None}
        for i in sorted(blank):
            cell = record.fields[i]
            replacements.append((cell.start, cell.end, '""' if cell.quoted else ""))
            edit.cells += 1
    if not replacements:
        return edit
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    out = text.encode(encoding)
    if encoding in ("utf-16", "utf-32"):
        out = data[: 2 if encoding == "utf-16" else 4] + text.encode(_bomless(data, encoding))
    edit.write = _bytes_writer(out)
    return edit


def _bomless(data: bytes, encoding: str) -> str:
    little = data.startswith(b"\xff\xfe")
    return f"{encoding}-{'le' if little else 'be'}"


def _bytes_writer(out: bytes) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_bytes(out)

    return write


# --- json ----------------------------------------------------------------------------------


def _plan_json(path: Path, data: bytes, matcher: _Matcher) -> _Edit:
    try:
        result = json.loads(data.decode("utf-8-sig"))
        pairs = result["pairs"]
        unmatched = result.get("unmatched", [])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RosterError(f"{path}: not a pairctl JSON result ({error})") from None
    edit = _Edit()
    for group in pairs:
        members = group.get("members", [])
        gone = [k for k in members if matcher(k) is not None]
        if not gone:
            continue
        edit.keys |= {k for k in (matcher(m) for m in gone) if k is not None}
        group["members"] = [k for k in members if matcher(k) is None]
        edit.cells += len(gone)
        lessons = group.get("lessons", [])
        kept = [
            lesson
            for lesson in lessons
            if matcher(lesson.get("teacher")) is None and matcher(lesson.get("learner")) is None
        ]
        edit.rows += len(lessons) - len(kept)
        group["lessons"] = kept
        if "member_details" in group:
            # Their zone, site and languages go with them.
            details = group["member_details"]
            group["member_details"] = [d for d in details if matcher(d.get("key")) is None]
    kept_unmatched = [u for u in unmatched if matcher(u.get("key")) is None]
    for entry in unmatched:
        key = matcher(entry.get("key"))
        if key is not None:
            edit.keys.add(key)
    if "unmatched" in result:
        edit.rows += len(unmatched) - len(kept_unmatched)
        result["unmatched"] = kept_unmatched
    if not edit.keys:
        return edit
    terms = list(edit.keys)
    if isinstance(result.get("warnings"), list):
        for i, warning in enumerate(result["warnings"]):
            if isinstance(warning, str) and _scrub(warning, terms) != warning:
                result["warnings"][i] = _scrub(warning, terms)
                edit.cells += 1
    if isinstance(result.get("run_info"), dict):
        for label, value in result["run_info"].items():
            if isinstance(value, str) and _scrub(value, terms) != value:
                result["run_info"][label] = _scrub(value, terms)
                edit.cells += 1
    text = json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    edit.write = _bytes_writer(text.encode("utf-8"))
    return edit


# --- xlsx ----------------------------------------------------------------------------------


def _plan_xlsx(path: Path, data: bytes, matcher: _Matcher) -> _Edit:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data))
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise RosterError(f"{path}: not a readable xlsx workbook ({error})") from None
    if "Pairs" not in book.sheetnames:
        raise RosterError(f"{path}: no 'Pairs' sheet: not a pairctl pairing sheet")
    edit = _Edit()
    people: list[tuple[str, str, str, str]] = []
    sheet = book["Pairs"]
    header = [_text(c.value) for c in sheet[1]]
    columns = _pairs_columns(header)
    if columns is not None:
        doomed = []
        for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
            values = [_text(c.value) for c in row]
            plan = _plan_pairs_row(values, columns, matcher)
            people += plan.found
            if plan.delete:
                doomed.append(number)
                continue
            for i in plan.blank:
                row[i].value = None
                edit.cells += 1
        edit.rows += _delete_rows(sheet, doomed)
    for name in book.sheetnames:
        if name == "By person":
            _forget_by_person(book[name], matcher, people, edit)
        elif name == "Unmatched":
            _forget_unmatched(book[name], matcher, people, edit)
    edit.keys |= {key for key, *_ in people}
    if not edit.keys:
        return edit
    terms = {term for person in people for term in person[:3] if term}
    for name in ("Summary", "Run info"):
        if name in book.sheetnames:
            _scrub_sheet(book[name], terms, edit)
    edit.write = _workbook_writer(book)
    return edit


def _workbook_writer(book: Workbook) -> Callable[[Path], None]:
    return lambda tmp: book.save(tmp)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _headed(sheet: Worksheet) -> dict[str, int]:
    return {_text(c.value).strip(): i for i, c in reversed(list(enumerate(sheet[1])))}


def _forget_by_person(
    sheet: Worksheet, matcher: _Matcher, people: list[tuple[str, str, str, str]], edit: _Edit
) -> None:
    at = _headed(sheet)
    if "Key" not in at:
        return
    rows = list(sheet.iter_rows(min_row=2))

    def get(row: tuple[Any, ...], title: str) -> str:
        i = at.get(title)
        return _text(row[i].value).strip() if i is not None and i < len(row) else ""

    doomed = []
    for number, row in enumerate(rows, start=2):
        key = matcher(get(row, "Key"))
        if key is not None:
            doomed.append(number)
            people.append((key, get(row, "Name"), get(row, "Email"), get(row, "Pair")))
    gone: dict[str, list[tuple[str, str]]] = {
        pair: [] for *_, pair in people if pair and pair != _UNMATCHED
    }
    for _, name, email, pair in people:
        if pair in gone and (name, email) not in gone[pair]:
            gone[pair].append((name, email))
    for number, row in enumerate(rows, start=2):
        if number in doomed or get(row, "Pair") not in gone:
            continue
        for name, email in gone[get(row, "Pair")]:
            edit.cells += _leave_partner_row(row, at, name, email)
    edit.rows += _delete_rows(sheet, doomed)


def _leave_partner_row(row: tuple[Any, ...], at: dict[str, int], name: str, email: str) -> int:
    """Take the person `name` <`email`> out of a partner's By person row; the cells changed."""
    changed = 0

    def put(title: str, value: str | None) -> None:
        nonlocal changed
        i = at.get(title)
        if i is None or i >= len(row) or row[i].value == value:
            return
        row[i].value = value
        changed += 1

    def cell(title: str) -> str:
        i = at.get(title)
        return _text(row[i].value) if i is not None and i < len(row) else ""

    partners = cell("Partner").split(" & ") if cell("Partner") else []
    alone = partners == [name] or not partners
    if name in partners:
        partners.remove(name)
        put("Partner", " & ".join(partners) or None)
    emails = [e for e in cell("Partner email").split("; ") if e]
    if email and email in emails:
        emails.remove(email)
        put("Partner email", "; ".join(emails) or None)
    for title in ("Will teach", "Will learn"):
        if alone:
            put(title, None)
            continue
        parts = [p for p in cell(title).split(" | ") if p]
        kept = [p for p in parts if not p.startswith(f"{name}: ")]
        if kept != parts:
            put(title, " | ".join(kept) or None)
    return changed


def _forget_unmatched(
    sheet: Worksheet, matcher: _Matcher, people: list[tuple[str, str, str, str]], edit: _Edit
) -> None:
    at = _headed(sheet)
    if "Key" not in at:
        return
    doomed = []
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        values = [_text(c.value).strip() for c in row]
        key = matcher(values[at["Key"]] if at["Key"] < len(values) else "")
        if key is not None:
            doomed.append(number)
            name = values[at["Name"]] if "Name" in at and at["Name"] < len(values) else ""
            email = values[at["Email"]] if "Email" in at and at["Email"] < len(values) else ""
            people.append((key, name, email, _UNMATCHED))
    edit.rows += _delete_rows(sheet, doomed)


def _scrub_sheet(sheet: Worksheet, terms: set[str], edit: _Edit) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                new = _scrub(cell.value, terms)
                if new != cell.value:
                    cell.value = new
                    edit.cells += 1


def _delete_rows(sheet: Worksheet, numbers: list[int]) -> int:
    """Delete rows (1-based) and move the row heights and the filter range with the rows
    below, which openpyxl's `delete_rows` leaves where they were."""
    if not numbers:
        return 0
    doomed = sorted(set(numbers))
    heights = {i: d.height for i, d in sheet.row_dimensions.items() if d.height is not None}
    for number in reversed(doomed):
        sheet.delete_rows(number)

    def moved(i: int) -> int:
        return i - sum(1 for d in doomed if d < i)

    for i in heights:
        sheet.row_dimensions[i].height = None
    for i, height in heights.items():
        if i not in doomed:
            sheet.row_dimensions[moved(i)].height = height
    ref = sheet.auto_filter.ref
    found = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref or "")
    if found:
        first, top, last, bottom = found.groups()
        new_bottom = max(int(top), moved(int(bottom) + 1) - 1)
        sheet.auto_filter.ref = f"{first}{top}:{last}{new_bottom}"
    return len(doomed)


__all__ = ["REMOVED", "FileChange", "ForgetReport", "forget"]
