"""The process's edges, run as a coordinator's cron job meets them: signals mid-write, a full
disk, a terminal that cannot print every character. Real processes, real signals."""

from __future__ import annotations

import csv
import errno
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pairctl.errors import ExitCode

PAIRCTL = [sys.executable, "-m", "pairctl"]
POSIX = pytest.mark.skipif(os.name != "posix", reason="signals and rlimits are POSIX")


def _roster(path: Path, people: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Employee ID", "Full name", "Email", "Specialty", "Department"])
        for i in range(people):
            writer.writerow(
                [f"E{i:05d}", f"Person {i}", f"p{i}@example.org", f"S{i % 10}", f"D{i % 7}"]
            )
    return path


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50,000 people: large enough that writing the xlsx takes seconds, so a signal lands
    in the middle of it."""
    return _roster(tmp_path_factory.mktemp("big") / "roster.csv", 50_000)


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
@POSIX
def test_sigterm_sighup_sigint_during_the_xlsx_write_leave_the_old_sheet_and_no_temp(
    big_roster: Path, tmp_path: Path
) -> None:
    # The three runs go side by side (two cores): each waits for its own temporary sheet
    # to appear, then gets its signal while openpyxl is writing it.
    cases = {
        signal.SIGTERM: ExitCode.TERMINATED,
        signal.SIGHUP: ExitCode.HANGUP,
        signal.SIGINT: ExitCode.INTERRUPTED,
    }
    runs = {}
    for sig in cases:
        folder = tmp_path / sig.name
        folder.mkdir()
        old = folder / "pairs.xlsx"
        old.write_bytes(b"the sheet sent out last quarter")
        process = subprocess.Popen(
            [*PAIRCTL, "match", str(big_roster), "-o", str(old), "--force", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs[sig] = (folder, old, process)
    pending = dict(runs)
    deadline = time.monotonic() + 600
    while pending and time.monotonic() < deadline:
        for sig, (folder, _old, process) in list(pending.items()):
            if _temps(folder):
                time.sleep(0.3)  # well inside the write, which takes seconds
                process.send_signal(sig)
                del pending[sig]
            elif process.poll() is not None:
                pytest.fail(f"{sig.name} run ended before writing: {process.stderr.read()}")
        time.sleep(0.05)
    assert not pending, "a run never started writing its sheet"
    for sig, (folder, old, process) in runs.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == cases[sig], (sig.name, err)
        assert err.splitlines() == [
            f"pairctl: stopped by {sig.name}; no half-written file was left"
        ], sig.name
        assert "Traceback" not in err and "Exception ignored" not in err
        assert out == ""
        assert old.read_bytes() == b"the sheet sent out last quarter"
        assert sorted(p.name for p in folder.iterdir()) == ["pairs.xlsx"]


def _file_size_limit(limit: int) -> None:
    # Past RLIMIT_FSIZE a write fails with EFBIG, exactly as on a full disk, once the
    # default SIGXFSZ (which kills the process) is ignored.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.slow
@POSIX
@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_a_full_disk_is_one_line_exit_5_and_nothing_left(tmp_path: Path, suffix: str) -> None:
    roster = _roster(tmp_path / "roster.csv", 3_000)
    out = tmp_path / "out" / f"pairs{suffix}"
    out.parent.mkdir()
    done = subprocess.run(
        [*PAIRCTL, "match", str(roster), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _file_size_limit(100_000),
        timeout=300,
    )
    assert done.returncode == ExitCode.CANNOT_WRITE
    assert done.stderr.splitlines() == [f"pairctl: error: cannot write {out}: File too large"]
    assert list(out.parent.iterdir()) == []


def test_init_on_a_nearly_full_disk_writes_neither_file(tmp_path: Path, monkeypatch) -> None:
    # The settings file fits, the roster template does not: all or nothing.
    from typer.testing import CliRunner

    from pairctl.cli import app

    real_write_text = Path.write_text

    def disk_full_on_the_csv(self: Path, *args: object, **kwargs: object) -> int:
        if ".roster-template.csv." in self.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", disk_full_on_the_csv)
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == ExitCode.CANNOT_WRITE
    assert result.stderr.splitlines() == [
        f"pairctl: error: cannot write {tmp_path / 'roster-template.csv'}: No space left on device"
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_stdout_that_cannot_encode_a_name_still_prints_and_exits_0(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Employee ID,Full name,Specialty\nE1,Zoë Ångström,Sales\nE2,Łukasz Żółw,Finance\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.xlsx"
    done = subprocess.run(
        [*PAIRCTL, "match", str(roster), "-o", str(out)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert done.returncode == ExitCode.OK, done.stderr
    assert b"Z?" in done.stdout or b"Zo?" in done.stdout  # replaced, not a crash
    assert out.exists()


@POSIX
@pytest.mark.parametrize("command", ["match", "validate"])
def test_a_full_disk_behind_stdout_is_one_line_exit_5(tmp_path: Path, command: str) -> None:
    roster = _roster(tmp_path / "roster.csv", 20)
    args = [command, str(roster)] + (
        ["-o", str(tmp_path / "pairs.xlsx")] if command == "match" else []
    )
    with open("/dev/full", "w") as full:
        done = subprocess.run([*PAIRCTL, *args], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == ExitCode.CANNOT_WRITE, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("pairctl:")]
    assert errors == [
        "pairctl: error: cannot write to standard output (No space left on device); "
        "any sheet already written stays"
    ]
    assert "Traceback" not in done.stderr


@POSIX
def test_json_to_a_closed_stdout_is_one_line_exit_5(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "roster.csv", 20)
    done = subprocess.run(
        ["sh", "-c", '"$0" -m pairctl match "$1" --dry-run --json >&-', sys.executable, roster],
        capture_output=True,
        text=True,
    )
    assert done.returncode == ExitCode.CANNOT_WRITE, done.stderr
    assert (
        done.stderr.splitlines()[-1]
        == "pairctl: error: cannot write to standard output: it is closed"
    )
