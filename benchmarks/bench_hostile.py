"""Peak memory and time of `pairctl match` on each hostile input, as a child process.

Every case is generated into a temporary folder (the workbook bombs exactly as
tests/roster/test_workbook_bombs.py builds them), run as `pairctl match FILE -o OUT.xlsx`,
and measured with wait4: the child's own peak RSS. Each row also shows the exit code and how
many lines the run printed on stderr (one is right).

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(_TESTS), str(_TESTS / "roster")]

ROSTER = "Employee ID,Full name,Specialty\n" + "".join(
    f"E{i:02d},Person {i},S{i % 4}\n" for i in range(1, 25)
)


def _roster(folder: Path) -> list[str]:
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return ["roster.csv"]


def _fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "pipe.csv")
    return ["pipe.csv"]


def _sparse(folder: Path) -> list[str]:
    with (folder / "big.csv").open("wb") as handle:
        handle.write(ROSTER.encode())
        handle.truncate(2 * 2**30)
    return ["big.csv"]


def _stray_quote(folder: Path) -> list[str]:
    lines = ROSTER.splitlines(keepends=True)
    lines[4] = '"' + lines[4]
    (folder / "roster.csv").write_text("".join(lines), encoding="utf-8")
    return ["roster.csv"]


def _nested_toml(folder: Path) -> list[str]:
    _roster(folder)
    (folder / "pairctl.toml").write_text("a = " + "[" * 100_000, encoding="utf-8")
    return ["roster.csv"]


def _plain_cases() -> dict[str, Callable[[Path], list[str]]]:
    return {
        "a plain 24-person roster (reference)": _roster,
        "/dev/zero as the roster": lambda _folder: ["/dev/zero"],
        "/dev/zero as --avoid": lambda folder: [*_roster(folder), "--avoid", "/dev/zero"],
        "a FIFO as the roster": _fifo,
        "a 2 GiB sparse CSV": _sparse,
        "a stray quote": _stray_quote,
        "nested TOML (100,000 brackets)": _nested_toml,
    }


def _workbook_cases() -> dict[str, Callable[[Path], list[str]]]:
    """The workbook bombs of tests/roster/test_workbook_bombs.py, built the same way."""
    from test_workbook_bombs import BOMBS

    cases: dict[str, Callable[[Path], list[str]]] = {}
    for label, (file_name, build, _needle) in BOMBS.items():
        cases[label] = lambda folder, f=file_name, b=build: [b(folder / f).name]
    return cases


def run_case(make: Callable[[Path], list[str]], stdin_zero: bool = False) -> tuple:
    """Exit code, stderr lines, wall seconds and peak RSS (MiB) of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        args = make(folder)
        start = time.perf_counter()
        stdin = open("/dev/zero", "rb") if stdin_zero else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "pairctl", "match", *args, "-o", "out.xlsx"],
            cwd=folder,
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        err = process.stderr.read() if process.stderr else b""
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if stdin_zero:
            stdin.close()
        code = os.waitstatus_to_exitcode(status)
        return code, len(err.splitlines()), seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"RLIMIT_AS: {resource.getrlimit(resource.RLIMIT_AS)}")
    print()
    print("| input | exit | stderr lines | seconds | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    cases = {**_plain_cases(), **_workbook_cases()}
    for name, make in cases.items():
        code, lines, seconds, peak = run_case(make)
        print(f"| {name} | {code} | {lines} | {seconds:.2f} | {peak:,.0f} |")
    code, lines, seconds, peak = run_case(lambda _folder: ["-"], stdin_zero=True)
    print(f"| /dev/zero on stdin (`-`) | {code} | {lines} | {seconds:.2f} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
