"""Fixtures shared by every test package."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

# The shared real data sits beside the checkout: <parent>/shared/data/real.
_DEFAULT_REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real public roster files (see its README.md), or skip the test.

    Set PAIRCTL_REAL_DATA to use a copy somewhere else.
    """
    folder = Path(os.environ.get("PAIRCTL_REAL_DATA") or _DEFAULT_REAL_DATA)
    if not (folder / "README.md").is_file():
        pytest.skip(f"real roster data not found at {folder} (set PAIRCTL_REAL_DATA)")
    return folder


@dataclass
class MidWrite:
    """A `pairctl match` child process stopped (SIGSTOP) in the middle of writing its sheet."""

    child: subprocess.Popen[str]
    roster: Path
    output: Path
    temp: Path
    """The child's temporary sheet, `.{output name}.pairctl-XXXXXXXX.tmp`, half written."""
    keys: list[str]
    """The roster's person keys, in row order."""

    def resume(self) -> int:
        """Let the child finish; its exit code."""
        self.child.send_signal(signal.SIGCONT)
        return self.child.wait(timeout=300)

    def sheet_keys(self) -> list[str]:
        """Every person key in the output's Pairs sheet, in sheet order."""
        rows = CalamineWorkbook.from_path(str(self.output)).get_sheet_by_name("Pairs").to_python()
        columns = [i for i, name in enumerate(rows[0]) if name in ("A key", "B key", "C key")]
        return [row[i] for row in rows[1:] for i in columns if row[i]]


@pytest.fixture
def stopped_mid_write(tmp_path: Path) -> Iterator[MidWrite]:
    """`pairctl match -o tmp_path/pairs.xlsx --quiet` on 6,000 people, stopped while it
    writes: its temporary sheet exists and it holds the folder lock.

    6,000 people make the xlsx write take seconds, so the stop lands well inside it; the
    state is checked after the stop, and a child that finished first fails the test (it never
    passes one that did not reach the write). The child is killed at teardown if still there.
    """
    if not hasattr(signal, "SIGSTOP"):
        pytest.skip("stopping a process needs POSIX signals")
    roster = tmp_path / "big.csv"
    keys = [f"P{i:05d}" for i in range(6_000)]
    lines = ["ID,Specialty,Skills,Wants to learn"]
    lines += [f"{key},S{i % 7},s{i % 13};s{i % 5},s{i % 11}" for i, key in enumerate(keys)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "pairs.xlsx"
    child = subprocess.Popen(
        [sys.executable, "-m", "pairctl", "match", str(roster), "-o", str(output), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not (temps := list(tmp_path.glob(".pairs.xlsx.pairctl-*.tmp"))):
            if child.poll() is not None:
                pytest.fail(f"the run exited ({child.returncode}) before it began writing")
            if time.monotonic() > deadline:
                pytest.fail("the run never began writing")
            time.sleep(0.002)
        child.send_signal(signal.SIGSTOP)
        _, status = os.waitpid(child.pid, os.WUNTRACED)  # returns once it is really stopped
        if not os.WIFSTOPPED(status) or not temps[0].exists():
            pytest.fail("the run finished its write before it could be stopped in the middle")
        yield MidWrite(child, roster, output, temps[0], keys)
    finally:
        if child.poll() is None:
            child.kill()  # a stopped process dies of SIGKILL too
        child.wait()
        if child.stderr is not None:
            child.stderr.close()
