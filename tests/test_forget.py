"""`pairctl forget`: people leave every history file, everything else stays as it was."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cli_helpers import fake_env, run
from output.report_data import make_report

from pairctl.erase import REMOVED, forget
from pairctl.errors import RosterError
from pairctl.output.keys_sheet import keys_sheet_path, write_keys_sheet
from pairctl.roster.history import read_history
from pairctl.shell.forget import forget as forget_command

SAMPLE = Path(__file__).parents[1] / "sample_data" / "roster.csv"
XLSX = "pairs-2027-01-05.xlsx"
CSV = "pairs-2027-04-05.csv"
JSON = "pairs-2027-07-05.json"
PLAIN = "pairs-2027-10-05.csv"
OTHERS = "pairs-2026-10-05.csv"
"""A plain key CSV that names nobody forgotten."""


def _people() -> dict[str, tuple[str, str]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["Employee ID"]: (row["Full name"], row["Email"]) for row in csv.DictReader(handle)
        }


def _match(roster: Path, sheet: Path, *options: str) -> None:
    result = run("match", str(roster), "-o", str(sheet), "--seed", "1", *options)
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def rounds(tmp_path: Path) -> dict[str, Any]:
    """Four rounds: xlsx (39 people, one left out), csv (39 people: a trio), json (40), a
    plain key CSV; plus a plain CSV without the forgotten people. The forgotten: the one the
    xlsx round left out, and a trio member of the csv round."""
    folder = tmp_path / "history"
    folder.mkdir()
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    odd = tmp_path / "roster39.csv"
    odd.write_text("".join(lines[:-1]), encoding="utf-8")
    _match(odd, folder / XLSX, "--odd", "leave-out")
    _match(odd, folder / CSV)
    _match(SAMPLE, folder / JSON)
    left_out = str(openpyxl.load_workbook(folder / XLSX)["Unmatched"]["A2"].value)
    trio = _csv_rows(folder / CSV)
    header = trio[0]
    trio_row = next(r for r in trio[1:] if r[header.index("C key")])
    in_trio = next(
        k for k in (trio_row[header.index(c)] for c in ("A key", "B key")) if k != left_out
    )
    a, b, c, d = [k for k in _people() if k not in (left_out, in_trio)][:4]
    (folder / PLAIN).write_bytes(f"{left_out},{a}\r\n{b},{in_trio}\r\n{c},{d}\r\n".encode())
    (folder / OTHERS).write_bytes(b"E0044,E0047\nE0050,E0055\n")
    return {
        "folder": folder,
        "gone": [left_out, in_trio],
        "keys": list(_people()),
        "plain": (a, b, c, d),
    }


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _workbook(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {s.title: [tuple(c.value for c in row) for row in s.iter_rows()] for s in book}


def _terms(gone: list[str]) -> list[str]:
    people = _people()
    return [t for key in gone for t in (key, *people[key])]


def _mentions(value: Any, terms: list[str]) -> bool:
    return isinstance(value, str) and any(
        re.search(rf"(?<![\w@.]){re.escape(t)}(?![\w@])", value, re.IGNORECASE) for t in terms
    )


def _forgotten_columns(header: tuple[Any, ...] | list[str], row: Any, gone: list[str]) -> set[int]:
    """The Pairs columns of each forgotten member of `row`: their cells and their lessons."""
    out: set[int] = set()
    for letter in "ABC":
        title = f"{letter} key"
        if title in header and row[header.index(title)] in gone:
            for i, name in enumerate(header):
                if isinstance(name, str) and (
                    (name.startswith(f"{letter} ") and "teaches" not in name)
                    or re.fullmatch(rf"({letter} teaches .|. teaches {letter})", name)
                ):
                    out.add(i)
    return out


def test_forget_removes_the_people_from_every_file(rounds: dict[str, Any]) -> None:
    folder, gone = rounds["folder"], rounds["gone"]
    before = _snapshot(folder)
    book_before = _workbook(folder / XLSX)
    csv_before = _csv_rows(folder / CSV)
    json_before = json.loads((folder / JSON).read_text(encoding="utf-8"))

    report = forget(gone, [str(folder)], dry_run=False)

    changed = {c.path.name: c for c in report.files}
    assert set(changed) == {XLSX, CSV, JSON, PLAIN}
    assert report.not_found == ()
    assert [p.name for p in report.untouched] == [OTHERS]
    assert changed[XLSX].rows >= 2  # By person and Unmatched rows of the one left out
    after = _snapshot(folder)
    assert after[OTHERS] == before[OTHERS]  # not rewritten: same bytes, same mtime
    terms = _terms(gone)
    for name in (XLSX, CSV, JSON, PLAIN):
        text = (folder / name).read_bytes()
        if name != XLSX:
            decoded = text.decode("utf-8-sig")
            assert not any(_mentions(decoded, [t]) for t in terms), name
    book_after = _workbook(folder / XLSX)
    for sheet, rows in book_after.items():
        for row in rows:
            assert not any(_mentions(v, terms) for v in row), (sheet, row)

    # xlsx, Pairs: only the forgotten members' cells and lessons went blank.
    header = book_before["Pairs"][0]
    assert len(book_after["Pairs"]) == len(book_before["Pairs"])
    for old, new in zip(book_before["Pairs"], book_after["Pairs"], strict=True):
        blank = _forgotten_columns(header, old, gone)
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            assert b == (None if i in blank else a), (old, i)
    # By person: their rows went; partners lost only Partner, Partner email and the lessons.
    by_before, by_after = book_before["By person"], book_after["By person"]
    kept = [r for r in by_before if r[0] not in gone]
    assert len(by_after) == len(kept)
    pairs_of_gone = {r[5] for r in by_before if r[0] in gone and r[5] != "unmatched"}
    for old, new in zip(kept, by_after, strict=True):
        if old[5] in pairs_of_gone:
            assert new[:6] == old[:6] and new[10] == old[10]
            assert not any(_mentions(v, terms) for v in new)
        else:
            assert new == old
    assert [r for r in book_before["Unmatched"] if r[0] not in gone] == book_after["Unmatched"]
    for sheet in ("Summary", "Run info"):
        for old, new in zip(book_before[sheet], book_after[sheet], strict=True):
            for a, b in zip(old, new, strict=True):
                assert b == a or (_mentions(a, terms) and REMOVED in b)
    assert len(openpyxl.load_workbook(folder / XLSX)["Summary"]._charts) == 2

    # csv: field by field, and byte for byte outside the changed rows.
    csv_after = _csv_rows(folder / CSV)
    assert csv_after[0] == csv_before[0]
    for old, new in zip(csv_before, csv_after, strict=True):
        blank = _forgotten_columns(csv_before[0], old, gone)
        assert new == ["" if i in blank else v for i, v in enumerate(old)]
    old_lines = before[CSV][0].split(b"\r\n")
    new_lines = after[CSV][0].split(b"\r\n")
    assert after[CSV][0].startswith(b"\xef\xbb\xbf")
    assert len(old_lines) == len(new_lines)
    assert [a for a in old_lines if not any(k.encode() in a for k in gone)] == [
        b
        for a, b in zip(old_lines, new_lines, strict=True)
        if not any(k.encode() in a for k in gone)
    ]

    # json: members, lessons and unmatched entries without them; every other value the same.
    json_after = json.loads((folder / JSON).read_text(encoding="utf-8"))
    expected = json_before
    for group in expected["pairs"]:
        group["members"] = [k for k in group["members"] if k not in gone]
        group["lessons"] = [
            x for x in group["lessons"] if x["teacher"] not in gone and x["learner"] not in gone
        ]
    expected["unmatched"] = [u for u in expected["unmatched"] if u["key"] not in gone]
    assert json_after == expected

    a, b, c, d = rounds["plain"]
    assert (folder / PLAIN).read_bytes() == f",{a}\r\n{b},\r\n{c},{d}\r\n".encode()


def test_history_afterwards_has_no_pair_with_them(rounds: dict[str, Any]) -> None:
    folder, gone, keys = rounds["folder"], rounds["gone"], rounds["keys"]
    index = {k: i for i, k in enumerate(keys)}
    lost = {index[k] for k in gone}

    def pairs() -> dict[str, set[frozenset[int]]]:
        return {r.name: {frozenset(p) for p in r.pairs} for r in read_history([str(folder)], keys)}

    before = pairs()
    assert any(lost & p for round_ in before.values() for p in round_)
    forget(gone, [str(folder)], dry_run=False)
    after = pairs()
    assert after == {name: {p for p in ps if not lost & p} for name, ps in before.items()}


def test_dry_run_writes_nothing(rounds: dict[str, Any]) -> None:
    folder = rounds["folder"]
    before = _snapshot(folder)
    dry = forget(rounds["gone"], [str(folder)], dry_run=True)
    assert dry.dry_run and len(dry.files) == 4
    assert _snapshot(folder) == before
    real = forget(rounds["gone"], [str(folder)], dry_run=False)
    assert [(c.path, c.cells, c.rows) for c in real.files] == [
        (c.path, c.cells, c.rows) for c in dry.files
    ]
    again = forget(rounds["gone"], [str(folder)], dry_run=False)
    assert again.files == () and sorted(again.not_found) == sorted(rounds["gone"])


def test_formula_spelling_and_email_case_are_the_same_person(tmp_path: Path) -> None:
    sheet = tmp_path / "pairs.csv"
    sheet.write_bytes(b'\xef\xbb\xbfA key,B key,C key\r\n"\'-E1","x",""\r\n"Ana@X.org","y",""\r\n')
    report = forget(["-E1", "ana@x.org"], [str(sheet)], dry_run=False)
    assert report.files[0].cells == 2 and report.not_found == ()
    assert sheet.read_bytes() == b'\xef\xbb\xbfA key,B key,C key\r\n"","x",""\r\n"","y",""\r\n'


def test_command_prints_json_and_warns_about_unknown_keys(rounds: dict[str, Any]) -> None:
    env = fake_env()
    folder = rounds["folder"]
    forget_command(env, [rounds["gone"][0], "NOBODY"], [folder], dry_run=False, as_json=True)
    out = json.loads(env.stdout.getvalue())  # type: ignore[attr-defined]
    assert {Path(f["file"]).name for f in out["files"]} == {XLSX, CSV, JSON, PLAIN}
    assert out["not_found"] == ["NOBODY"]
    assert env.stderr.getvalue() == (  # type: ignore[attr-defined]
        "warning: NOBODY: named in no history file; nothing to forget\n"
    )


def test_command_summary_and_dry_run(rounds: dict[str, Any]) -> None:
    env = fake_env()
    folder = rounds["folder"]
    before = _snapshot(folder)
    forget_command(env, rounds["gone"], [folder], dry_run=True, as_json=False)
    text = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert f"{folder / XLSX}: would change" in text and "dry run: nothing written" in text
    assert _snapshot(folder) == before


def test_missing_history_path_is_a_roster_error(tmp_path: Path) -> None:
    with pytest.raises(RosterError) as caught:
        forget_command(fake_env(), ["E1"], [tmp_path / "nowhere"], dry_run=False, as_json=False)
    assert caught.value.exit_code == 3


def test_keys_sheet_reads_back_as_history(tmp_path: Path) -> None:
    report = make_report()
    write_keys_sheet(report, tmp_path / "pairs-2026-12-02.xlsx")
    path = tmp_path / "pairs-2026-12-02.keys.csv"
    assert keys_sheet_path(tmp_path / "pairs-2026-12-02.xlsx") == path
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    rows = _csv_rows(path)
    assert rows[0] == ["A key", "B key", "C key"]
    assert rows[1:] == [
        [g.members[i].key if i < len(g.members) else "" for i in range(3)] for g in report.groups
    ]
    keys = [p.key for g in report.groups for p in g.members]
    (earlier,) = read_history([str(path)], keys)
    expected = {
        frozenset((keys.index(a.key), keys.index(b.key)))
        for g in report.groups
        for i, a in enumerate(g.members)
        for b in g.members[i + 1 :]
    }
    assert {frozenset(p) for p in earlier.pairs} == expected
    text = path.read_text(encoding="utf-8-sig")
    assert not any(p.name in text or p.email in text for g in report.groups for p in g.members)


def test_a_keys_sheet_beside_its_round_counts_once_and_alone_as_the_round(tmp_path: Path) -> None:
    from cli_helpers import run

    rounds = tmp_path / "rounds"
    rounds.mkdir()
    sheet = rounds / "pairs-2027-01-05.xlsx"
    made = run("match", "sample_data/roster.csv", "-o", str(sheet), "--history-format", "keys")
    assert made.exit_code == 0, made.stderr
    keys_only = rounds / "pairs-2027-01-05.keys.csv"
    assert keys_only.exists()
    text = keys_only.read_text(encoding="utf-8-sig")
    assert "@" not in text and "Data Science" not in text  # no emails, no specialties
    from pairctl.roster.history import history_files

    assert history_files([str(rounds)]) == [sheet]
    sheet.unlink()
    assert history_files([str(rounds)]) == [keys_only]
    again = run("match", "sample_data/roster.csv", "--history", str(rounds), "--dry-run", "--json")
    assert json.loads(again.stdout)["run_info"]["Earlier pairs not to repeat"] == "20"
