"""Run the installed `pairctl` as a child process: its wall time, its peak memory and the
JSON it printed (shared by the benchmark scripts)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def run_pairctl(*args: str) -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, peak MiB, parsed stdout) of `pairctl ARGS` (which must print JSON)."""
    exe = shutil.which("pairctl") or str(Path(sys.executable).with_name("pairctl"))
    start = time.perf_counter()
    proc = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"pairctl {' '.join(args)} failed: {error[:500]}")
    return wall, usage.ru_maxrss / 1024, json.loads(stdout)


def quality_cells(result: dict[str, Any]) -> str:
    """A run's total, reference, reference value and ratio as table cells."""
    quality = result["quality"]
    value = "-" if quality["value"] is None else f"{quality['value']:,.2f}"
    ratio = "-" if quality["percent"] is None else f"{quality['percent']:.2f}%"
    return f"{result['total_score']:,.2f} | {quality['reference']} | {value} | {ratio}"


def make_roster(n: int, path: Path, seed: int, *extra: str) -> Path:
    """A generated roster of n people (benchmarks/make_roster.py) at `path`."""
    here = Path(__file__).resolve().parent
    command = [sys.executable, str(here / "make_roster.py"), str(n), "-o", str(path)]
    subprocess.run([*command, "--seed", str(seed), *extra], check=True)
    return path
