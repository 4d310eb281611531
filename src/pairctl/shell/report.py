"""`pairctl report ROUNDS`: the mentoring programme over every round sheet in a folder.

Reads the rounds (`programme.rounds`), adds them up (`programme.figures`), prints one table
of rounds and the headline people figures (or, with `--json`, one object) and, with `-o`,
writes the programme workbook. Heavy imports (openpyxl, calamine, rich) happen inside.

JSON shape (an API: add keys, never rename or drop them):

```
{"folder": "...",
 "rounds": [{"file", "date" (YYYY-MM-DD | null), "run_at", "people", "groups", "pairs",
             "trios", "crossing_pct" (x | null), "both_teach_pct" (x | null), "repeats",
             "unmatched", "not_taking_part", "quality" (x | null)}],
 "people": [{"key", "name", "specialty", "on_roster" (bool | null), "rounds", "partners":
             [key, ...], "specialties_met": [...], "lessons_given", "lessons_received",
             "trios", "left_out", "sat_out", "never_two_way"}],
 "headline": {"people_taking_part", "never_two_way", "in_a_trio", "left_out_at_least_once",
              "sat_out_at_least_once", "never_took_part"},
 "specialty_links": [{"a", "b", "links"}],
 "met_at_least": {"1": n, "2": n, "3": n},
 "never_took_part": [key, ...],
 "warnings": [...], "output": "path" | null}
```
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pairctl.errors import RosterError, UsageError
from pairctl.shell.environment import Environment
from pairctl.shell.errors import say

if TYPE_CHECKING:
    from pairctl.programme.figures import Programme

PCT_DECIMALS = 1


def report(
    env: Environment,
    rounds: Path,
    *,
    roster: Path | None,
    output: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """Report the programme over the round sheets in `rounds` (a folder, or one sheet).

    A sheet that cannot be read is a `warning:` line naming it, and the rest is reported;
    no readable sheet at all is a RosterError. `--roster` supplies names and specialties by
    key and lists the roster's people who never took part.
    """
    from pairctl.programme.figures import RosterPerson, programme_figures
    from pairctl.programme.rounds import read_rounds

    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {output}: the programme report is an .xlsx workbook")
    people = None
    warnings: list[str] = []
    if roster is not None:
        from pairctl.roster import read_roster

        read = read_roster(str(roster))
        people = [RosterPerson(p.key, p.name, p.specialty) for p in read.people]
        warnings += read.warnings
    found = read_rounds(rounds)
    warnings += found.warnings
    for warning in warnings:
        say(env, f"warning: {warning}")
    if not found.rounds:
        raise RosterError(f"{rounds}: no readable round sheet (pairs-YYYY-MM-DD.xlsx, .csv, .json)")
    programme = programme_figures(found.rounds, people)
    written = None
    if output is not None:
        from pairctl.output.programme_xlsx import write_programme_xlsx

        written = write_programme_xlsx(programme, output, replace=force)
    if as_json:
        data = programme_to_dict(programme, folder=str(rounds), warnings=warnings)
        data["output"] = None if written is None else str(written)
        env.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    render_programme(env, programme)
    if written is not None:
        say(env, f"Programme report written to {written}")


def programme_to_dict(
    programme: Programme, *, folder: str = "", warnings: list[str] | None = None
) -> dict[str, Any]:
    """The programme as plain JSON-ready data, in the documented shape."""

    def pct(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "folder": folder,
        "rounds": [
            {
                "file": r.file,
                "date": r.date,
                "run_at": r.run_at,
                "people": r.people,
                "groups": r.groups,
                "pairs": r.pairs,
                "trios": r.trios,
                "crossing_pct": pct(r.crossing_pct),
                "both_teach_pct": pct(r.both_teach_pct),
                "repeats": r.repeats,
                "unmatched": r.unmatched,
                "not_taking_part": r.not_taking_part,
                "quality": pct(r.quality),
            }
            for r in programme.rounds
        ],
        "people": [
            {
                "key": p.key,
                "name": p.name,
                "specialty": p.specialty,
                "on_roster": p.on_roster,
                "rounds": p.rounds,
                "partners": list(p.partners),
                "specialties_met": list(p.specialties_met),
                "lessons_given": p.lessons_given,
                "lessons_received": p.lessons_received,
                "trios": p.trios,
                "left_out": p.left_out,
                "sat_out": p.sat_out,
                "never_two_way": p.never_two_way,
            }
            for p in programme.people
        ],
        "headline": programme.headline(),
        "specialty_links": [{"a": a, "b": b, "links": n} for a, b, n in programme.links],
        "met_at_least": {str(n): count for n, count in programme.met_at_least.items()},
        "never_took_part": list(programme.never_took_part),
        "warnings": list(warnings or ()),
        "output": None,
    }


def render_programme(env: Environment, programme: Programme) -> None:
    """One table of rounds, then the headline people figures, on `env.out()`."""
    from rich.table import Table
    from rich.text import Text

    from pairctl.output.printable import printable
    from pairctl.output.terminal import boxes, emit

    console = env.out()
    plain = not console.is_terminal

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.{PCT_DECIMALS}f}"

    # Short titles, no Date column (the file names carry the dates, shown without "pairs-"):
    # the table has to fit an 80-column terminal. "Out": those sitting the round out.
    table = Table(
        title="Rounds (% of groups)", **boxes(plain), title_justify="left", collapse_padding=True
    )
    table.add_column("Round", no_wrap=True)
    for name in (
        "People", "Groups", "Trios", "Cross", "2-way", "Repeats", "Unmatched", "Out",
        "Quality",
    ):  # fmt: skip
        table.add_column(name, justify="right")
    for r in programme.rounds:
        table.add_row(
            Text(printable(r.file.removeprefix("pairs-"))),
            str(r.people),
            str(r.groups),
            str(r.trios),
            pct(r.crossing_pct),
            pct(r.both_teach_pct),
            str(r.repeats),
            str(r.unmatched),
            str(r.not_taking_part),
            pct(r.quality),
        )
    headline = programme.headline()
    people = Table(title="People", **boxes(plain), title_justify="left")
    people.add_column("")
    people.add_column("People", justify="right")
    rows = [
        ("Took part at least once", headline["people_taking_part"]),
        ("Never in a two-way group", headline["never_two_way"]),
        ("In a trio at least once", headline["in_a_trio"]),
        ("Left out at least once", headline["left_out_at_least_once"]),
        ("Sat a round out (inactive or away)", headline["sat_out_at_least_once"]),
    ]
    rows += [
        (f"Met at least {n} other {'specialty' if n == 1 else 'specialties'}", count)
        for n, count in programme.met_at_least.items()
    ]
    if any(p.on_roster is not None for p in programme.people):
        rows.append(("On the roster, never took part", headline["never_took_part"]))
    for label, value in rows:
        people.add_row(label, str(value))
    emit(console, table, Text(""), people)
