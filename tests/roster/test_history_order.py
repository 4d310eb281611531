"""A history folder's rounds count in the order they were run: dated names by date, and a
same-day rerun (-2, -3, ... -10) after the first run of that day."""

from __future__ import annotations

from pathlib import Path

from pairctl.roster.history import history_files


def test_rounds_count_in_the_order_they_were_run(tmp_path: Path) -> None:
    run_order = [
        "pairs-2025-10-01.csv",
        "pairs-2026-01-01.xlsx",
        "pairs-2026-04-01.xlsx",
        "pairs-2026-04-01-2.xlsx",
        "pairs-2026-04-01-9.xlsx",
        "pairs-2026-04-01-10.xlsx",
    ]
    for name in reversed(run_order):
        (tmp_path / name).write_text("A,B\n", encoding="utf-8")
    assert [p.name for p in history_files([str(tmp_path)])] == run_order
