"""A small report for rendering tests: a long skills list and hostile names."""

from __future__ import annotations

from pairctl.core.model import Person
from pairctl.core.report import GroupView, Lesson, Metrics, RunReport

LONG = tuple(f"skill number {i}" for i in range(12))


def sample_report() -> RunReport:
    a = Person(key="E1", name="Mallory\x1b[2J\x1b]0;pwned\x07", specialty="Eng", skills=LONG)
    b = Person(key="E2", name="[bold]Bo[/bold]", specialty="Sales", wants=LONG)
    group = GroupView(
        number=1,
        members=(a, b),
        lessons=(Lesson("E1", "E2", LONG), Lesson("E2", "E1", ())),
        score=1.5,
        notes=("one-way",),
    )
    metrics = Metrics(
        people=2,
        pairs=1,
        trios=0,
        unmatched=0,
        cross_specialty_pct=100.0,
        both_teach_pct=0.0,
        mean_score=1.5,
        total_score=1.5,
    )
    return RunReport(
        groups=(group,),
        unmatched=(),
        metrics=metrics,
        baseline=metrics,
        run_info=(),
        warnings=(),
        solver="greedy-swap",
        seed=0,
    )
