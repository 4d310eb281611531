"""`pairctl vocabulary`: the roster's spellings as the terminal and `--json` show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pairctl.core.spelling_check import CountedAsOne
from pairctl.core.spellings import LookAlike
from pairctl.core.words import plural
from pairctl.output.printable import message_line, printable
from pairctl.output.terminal import boxes, emit

_KIND = {"specialties": "specialty", "skills": "skill"}
_SHOWN = 8
"""Spellings shown per group on the terminal; `--json` and `--write` give them all."""


def render_vocabulary(
    console: Console,
    source: str,
    found: Sequence[LookAlike],
    same: Sequence[CountedAsOne],
    built_in: Mapping[str, Sequence[str]] | None,
) -> None:
    """Look-alikes first (what the coordinator may want to merge), then the spellings that
    already count as one and why, then the built-in list when asked for."""
    plain = console.color_system is None
    if source:
        head = f"{source}: {len(found)} group{'s' if len(found) != 1 else ''} of spellings"
        console.print(Text(message_line(f"{head} look alike but count apart (nothing merged)")))
        if found:
            table = Table(**boxes(plain))
            for column in ("Kind", "Spellings (people)", "Why"):
                table.add_column(column)
            for group in found:
                spelled = "; ".join(f"{s.text} ({s.people})" for s in group.spellings[:_SHOWN])
                if len(group.spellings) > _SHOWN:
                    spelled += f"; and {len(group.spellings) - _SHOWN} more (--json lists all)"
                table.add_row(_KIND[group.kind], Text(printable(spelled)), Text(group.why))
            emit(console, table)
        console.print(
            Text(f"{plural(len(same), 'term')} spelled more than one way, counted as one:")
        )
        if same:
            table = Table(**boxes(plain))
            for column in ("Kind", "Counted as", "Spellings (people, why)"):
                table.add_column(column)
            for term in same:
                spelled = "; ".join(
                    f"{s.text} ({s.people}, {s.origin})" for s in term.spellings[:_SHOWN]
                )
                if len(term.spellings) > _SHOWN:
                    spelled += f"; and {len(term.spellings) - _SHOWN} more (--json lists all)"
                table.add_row(
                    _KIND[term.kind], Text(printable(term.name)), Text(printable(spelled))
                )
            emit(console, table)
    if built_in is not None:
        table = Table(
            title="Built-in abbreviations ([vocabulary] builtin = false: off)", **boxes(plain)
        )
        table.add_column("Counted as")
        table.add_column("Also written")
        for name, spellings in built_in.items():
            table.add_row(name, ", ".join(spellings))
        emit(console, table)


def vocabulary_to_dict(
    source: str | None,
    found: Sequence[LookAlike],
    same: Sequence[CountedAsOne],
    built_in: Mapping[str, Sequence[str]] | None,
) -> dict[str, Any]:
    """`pairctl vocabulary --json`: `{"roster", "look_alikes": [{kind, name, why, spellings:
    [{text, people}]}], "counted_as_one": [{kind, name, spellings: [{text, people, origin}]}],
    "built_in"}`; `built_in` (name -> other spellings) only with --built-in."""
    data: dict[str, Any] = {
        "roster": source,
        "look_alikes": [
            {
                "kind": g.kind,
                "name": g.name,
                "why": g.why,
                "spellings": [{"text": s.text, "people": s.people} for s in g.spellings],
            }
            for g in found
        ],
        "counted_as_one": [
            {
                "kind": t.kind,
                "name": t.name,
                "spellings": [
                    {"text": s.text, "people": s.people, "origin": s.origin} for s in t.spellings
                ],
            }
            for t in same
        ],
    }
    if built_in is not None:
        data["built_in"] = {name: list(spellings) for name, spellings in built_in.items()}
    return data
