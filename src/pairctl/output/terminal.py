"""The rich terminal summary. Every roster string goes through `Text`, never markup."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pairctl.core.explain import Option
from pairctl.core.matching import Progress
from pairctl.core.meeting import LONG_GAP
from pairctl.core.model import Roster
from pairctl.core.report import GroupView, RunReport
from pairctl.core.summary import mix_by_specialty
from pairctl.core.validation import Finding
from pairctl.core.words import plural
from pairctl.output.printable import message_line, printable
from pairctl.output.tables import explained_columns

if TYPE_CHECKING:
    from pairctl.roster.header import ColumnSurvey

FIRST_PAIRS = 10
# Without a terminal rich would assume 80 columns and cut tables; log files and cron mails
# want every cell whole, so plain output gets a width no table reaches.
_PLAIN_WIDTH = 10_000


def make_console(
    stream: IO[str], *, is_terminal: bool | None = None, no_color: bool | None = None
) -> Console:
    """A console for `stream`: colour on a terminal (unless NO_COLOR), plain and wide otherwise.

    `is_terminal` and `no_color` default to what the stream and the environment say."""
    tty = stream.isatty() if is_terminal is None else is_terminal
    if no_color is None:
        # no-color.org: set and not empty; NO_COLOR= (empty) leaves colour on.
        no_color = bool(os.environ.get("NO_COLOR"))
    if tty:
        return Console(
            file=stream,
            force_terminal=True,
            highlight=False,
            emoji=False,
            no_color=no_color,
        )
    return Console(
        file=stream,
        width=_PLAIN_WIDTH,
        force_terminal=False,
        color_system=None,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )


COMPACT_BELOW = 120
"""Terminals narrower than this get the pairs as two lines each instead of a table, whose
wrapped cells would spread one pair over three to five lines."""


def boxes(plain: bool) -> dict[str, Any]:
    # Plain output has no outer edge, so no line ends in padding up to the widest cell.
    if plain:
        return {"box": box.ASCII, "show_edge": False}
    return {"box": box.SIMPLE_HEAD}


def emit(console: Console, *renderables: Any) -> None:
    """Print; off a terminal, each line without the padding rich adds after its text."""
    if console.is_terminal:
        console.print(*renderables)
        return
    with console.capture() as captured:
        console.print(*renderables)
    console.file.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def _hours(gap: float | None) -> str:
    return "unknown" if gap is None else f"{gap:.1f} h"


def _figures(report: RunReport, plain: bool) -> Table:
    metrics, baseline = report.metrics, report.baseline
    table = Table(title="Pairing quality", **boxes(plain), title_justify="left")
    table.add_column("")
    table.add_column("This pairing", justify="right")
    table.add_column("Random pairing", justify="right")
    rows = [
        (
            "Groups crossing specialty",
            _pct(metrics.cross_specialty_pct),
            _pct(baseline.cross_specialty_pct),
        ),
        ("Groups where both teach", _pct(metrics.both_teach_pct), _pct(baseline.both_teach_pct)),
        ("Mean score per link", f"{metrics.mean_score:.3f}", f"{baseline.mean_score:.3f}"),
        ("Total score", f"{metrics.total_score:.2f}", f"{baseline.total_score:.2f}"),
    ]
    if report.zones:
        rows += [
            (
                "Largest time-zone gap",
                _hours(metrics.largest_gap),
                _hours(baseline.largest_gap),
            ),
            (
                f"Groups more than {LONG_GAP:g} hours apart",
                str(metrics.far_apart),
                str(baseline.far_apart),
            ),
        ]
    if metrics.cross_site is not None:
        groups = metrics.pairs + metrics.trios
        rows.append(
            (
                "Groups crossing sites",
                f"{metrics.cross_site} of {groups}",
                f"{baseline.cross_site} of {baseline.pairs + baseline.trios}",
            )
        )
    for row in rows:
        table.add_row(*row)
    return table


def _mix_table(report: RunReport, plain: bool) -> Table:
    """Per specialty, how many of its links cross to other specialties and how many stay."""
    table = Table(
        title="Specialty mix (links)",
        **boxes(plain),
        title_justify="left",
    )
    table.add_column("Specialty")
    table.add_column("Across", justify="right")
    table.add_column("Within", justify="right")
    for name, across, within in mix_by_specialty(report.mix):
        table.add_row(Text(printable(name)), str(across), str(within))
    return table


def _member(group: GroupView, i: int, before_specialty: str = "\n") -> Text:
    """Name (key) and specialty: on two lines in a table cell, after `, ` on one line."""
    p = group.members[i]
    label = Text(printable(p.name))
    if p.name != p.key:
        label.append(f" ({printable(p.key)})", style="dim")
    if p.specialty:
        label.append(f"{before_specialty}{printable(p.specialty)}", style="cyan")
    return label


def _skills(skills: tuple[str, ...]) -> Text:
    return Text(printable("; ".join(skills))) if skills else Text("-", style="dim")


def _pairs_compact(report: RunReport, width: int) -> list[Text]:
    """Each group in two lines cut to the terminal's width: the score and who (with their
    specialty), then what each teaches the other."""
    shown = report.groups[:FIRST_PAIRS]
    lines = [Text(f"First {len(shown)} of {len(report.groups)} groups", style="italic")]
    for g in shown:
        a, b = g.members[0], g.members[1]
        # The score before the names: a line cut at the terminal's edge keeps it.
        who = Text(f"{g.number:>3}  {g.score:5.2f}  ")
        if report.zones:
            who.append_text(_gap_text(g.gap)).append(" h  " if g.gap is not None else "  ")
        for i in range(len(g.members)):
            if i:
                who.append("  +  ")
            who.append_text(_member(g, i, ", "))
        lessons = Text("           ")
        lessons.append(f"{printable(a.name)} teaches: ", style="dim")
        lessons.append_text(_skills(g.teaches(a.key, b.key)))
        lessons.append(f"  {printable(b.name)} teaches: ", style="dim")
        lessons.append_text(_skills(g.teaches(b.key, a.key)))
        for line in (who, lessons):
            line.no_wrap = True
            line.overflow = "ellipsis"
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
    return lines


def _pairs_table(report: RunReport, plain: bool) -> Table:
    shown = report.groups[:FIRST_PAIRS]
    title = f"First {len(shown)} of {len(report.groups)} groups"
    table = Table(title=title, **boxes(plain), title_justify="left")
    names = ["#", "A", "B", "A teaches B", "B teaches A", "Score"]
    if report.zones:
        names.insert(-1, "Gap (h)")
    for name in names:
        table.add_column(name, justify="right" if name in ("#", "Gap (h)", "Score") else "left")
    for g in shown:
        a, b = g.members[0], g.members[1]
        b_cell = _member(g, 1)
        if len(g.members) == 3:
            b_cell.append("\n+ ").append_text(_member(g, 2))
        cells: list[Text | str] = [
            str(g.number),
            _member(g, 0),
            b_cell,
            _skills(g.teaches(a.key, b.key)),
            _skills(g.teaches(b.key, a.key)),
        ]
        if report.zones:
            cells.append(_gap_text(g.gap))
        cells.append(f"{g.score:.2f}")
        table.add_row(*cells)
    return table


def _gap_text(gap: float | None) -> Text:
    if gap is None:
        return Text("-", style="dim")
    # The same line the Pairs sheet's highlight draws: too far apart to meet easily.
    return Text(f"{gap:.1f}", style="bold red" if gap > LONG_GAP else "")


PROGRESS_FROM = 5000
"""Rosters this large take more than a couple of seconds: show what is going on."""


@contextmanager
def progress_reporter(console: Console, people: int, *, quiet: bool) -> Iterator[Progress]:
    """A `step(text)` callback: a transient spinner on a terminal for large rosters, and
    nothing at all otherwise (no progress lines in cron mails or logs)."""
    if quiet or people < PROGRESS_FROM or not console.is_terminal:
        yield lambda _text: None
        return
    with console.status("pairing", spinner="dots") as status:
        yield lambda text: status.update(f"pairing {people:,} people: {text}")


def render_warnings(console: Console, warnings: tuple[str, ...]) -> None:
    """One `warning:` line each, on the console given (stderr)."""
    for warning in warnings:
        console.print(Text(f"warning: {message_line(warning)}"))


def render_settings(console: Console, settings_path: str) -> None:
    """Name the settings file a run read, so a file nobody expected is seen (nothing when
    none was read)."""
    if settings_path:
        console.print(Text(f"Settings: {message_line(settings_path)}"))


def render_summary(
    console: Console, report: RunReport, *, source: str, outcome: str, settings_path: str = ""
) -> None:
    """Print the run's headline figures, the first pairs, the settings file and what was
    written."""
    m = report.metrics
    plain = console.color_system is None
    head = Text()
    head.append(message_line(source), style="bold")
    away = f" ({m.not_taking_part} not taking part)" if m.not_taking_part else ""
    head.append(
        f": {plural(m.people, 'person', 'people')} -> {plural(m.pairs, 'pair')}, "
        f"{plural(m.trios, 'trio')}, {m.unmatched} unmatched{away}"
    )
    console.print(head)
    emit(console, _figures(report, plain))
    console.print(Text(f"Quality: {report.quality.describe()}"))
    emit(console, _mix_table(report, plain))
    if console.is_terminal and console.width < COMPACT_BELOW:
        for line in _pairs_compact(report, console.width):
            console.print(line)
    else:
        emit(console, _pairs_table(report, plain))
    render_settings(console, settings_path)
    console.print(Text(message_line(outcome)))


def render_findings(console: Console, source: str, findings: list[Finding]) -> None:
    """`pairctl validate`'s report: one row per finding, problems first."""
    plain = console.color_system is None
    table = Table(
        title=Text(message_line(source)),
        **boxes(plain),
        title_justify="left",
    )
    table.add_column("")
    table.add_column("About")
    table.add_column("Finding")
    style = {"problem": "bold red", "warning": "yellow", "info": ""}
    for finding in sorted(findings, key=lambda f: ("problem", "warning", "info").index(f.level)):
        table.add_row(
            Text(finding.level, style=style[finding.level]),
            Text(finding.topic),
            Text(printable(finding.message)),
        )
    emit(console, table)


def render_explanation(
    console: Console,
    key: str,
    chosen: list[Option],
    others: list[Option],
    roster: Roster | None = None,
) -> None:
    """`pairctl explain`: the chosen partner(s), then the next best, each taken apart.

    When the roster has a time zone or location column, each candidate's gap in hours; with
    a languages column, their languages. Given the `roster`, a line first says the person's
    own time zone and languages, which the gaps and the verdicts are measured against."""
    plain = console.color_system is None
    zones, languages = explained_columns([*chosen, *others], roster)
    person = next((p for p in roster.people if p.key == key), None) if roster else None
    table = Table(
        title=Text(f"Why {message_line(key)}"),
        **boxes(plain),
        title_justify="left",
    )
    names = ["Candidate", "Score", "Teaches them", "Learns from them"]
    if zones:
        names.append("Gap (h)")
    if languages:
        names.append("Their languages")
    names += ["Score parts", "Verdict"]
    for name in names:
        table.add_column(name, justify="right" if name in ("Score", "Gap (h)") else "left")
    for option in [*chosen, *others]:
        parts = "; ".join(f"{k} {v:+.2f}" for k, v in option.parts.items() if v)
        cells: list[Text | str] = [
            Text(
                printable(
                    option.name if option.name == option.key else f"{option.name} ({option.key})"
                )
            ),
            f"{option.score:.2f}",
            Text(printable("; ".join(option.teaches)) or "-"),
            Text(printable("; ".join(option.learns)) or "-"),
        ]
        if zones:
            cells.append(_gap_text(option.gap))
        if languages:
            cells.append(Text(printable("; ".join(option.languages)) or "-"))
        cells += [Text(parts), Text(printable(option.verdict))]
        table.add_row(*cells)
    if person is not None and (zones or languages):
        console.print(_whereabouts(person.key, person.timezone, person.languages, zones, languages))
    if not chosen:
        console.print(Text(f"{message_line(key)} is not in any group."))
    emit(console, table)


def _whereabouts(
    key: str, zone: str, spoken: tuple[str, ...], zones: bool, languages: bool
) -> Text:
    """'E001: time zone Europe/London, languages English; German'."""
    parts = []
    if zones:
        parts.append(f"time zone {zone or 'unknown'}")
    if languages:
        parts.append(f"languages {'; '.join(spoken) or 'none listed'}")
    return Text(printable(f"{message_line(key)}: {', '.join(parts)}"))


def render_columns(console: Console, source: str, sheet: str, survey: ColumnSurvey) -> None:
    """`pairctl columns`: each header with a sample value and the field it feeds or why not."""
    plain = console.color_system is None
    title = Text(message_line(source))
    if sheet:
        title.append(f", sheet {message_line(sheet)!r}")
    if survey.header_row is None:
        console.print(title.append(": no header row (the sheet is blank)"))
        return
    title.append(f", header row {survey.header_row}")
    table = Table(title=title, **boxes(plain), title_justify="left")
    for name in ("Column", "Sample", "Field", "Why"):
        table.add_column(name)
    for info in survey.columns:
        table.add_row(
            Text(printable(info.column)),
            Text(printable(info.sample)) if info.sample else Text("-", style="dim"),
            Text(info.field or "-", style="cyan" if info.field else "dim"),
            Text(printable(info.why)),
        )
    emit(console, table)
