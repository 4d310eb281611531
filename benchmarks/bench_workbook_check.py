"""Time the workbook check (pairctl.roster.workbook_guard) against calamine's own read.

Writes an N-row roster as xlsx (openpyxl, write-only), then times, best and median of R runs,
`check_workbook` on its bytes and calamine reading its first sheet as pairctl does.

    python benchmarks/bench_workbook_check.py --rows 100000 --runs 7
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_roster import make_rows


def _xlsx(rows: int, path: Path) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Roster")
    sheet.append(["ID", "Name", "Specialty", "Department", "Years", "Skills", "Wants to learn"])
    for row in make_rows(rows, seed=1):
        sheet.append(row)
    book.save(path)
    return path.read_bytes()


def _timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import python_calamine

    from pairctl.roster.workbook_guard import check_workbook

    with tempfile.TemporaryDirectory() as tmp:
        data = _xlsx(args.rows, Path(tmp) / "roster.xlsx")

    def read() -> object:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    checked = _timed(lambda: check_workbook(data, "roster.xlsx"), args.runs)
    calamine = _timed(read, args.runs)
    print(f"{args.rows:,} rows, {len(data) / 2**20:.1f} MB xlsx, {args.runs} runs")
    print("| step | best s | median s |")
    print("|---|---:|---:|")
    print(f"| check_workbook | {checked[0]:.2f} | {checked[1]:.2f} |")
    print(f"| calamine read | {calamine[0]:.2f} | {calamine[1]:.2f} |")


if __name__ == "__main__":
    main()
