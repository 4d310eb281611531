"""The shell as one: the same option behaves the same on every command, flags win over the
settings file everywhere, and the environment (a terminal or not, colour) is injected."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from cli_helpers import run, small_roster, write_csv
from rich.cells import cell_len
from typer.testing import CliRunner

from pairctl.cli import app
from pairctl.errors import ExitCode
from pairctl.shell.environment import Environment


@pytest.mark.parametrize("command", ["match", "explain"])
def test_a_seed_out_of_range_is_refused_by_every_command(tmp_path, command):
    roster = small_roster(tmp_path / "roster.csv")
    args = [command, str(roster), *(["E001"] if command == "explain" else []), "--dry-run"]
    args = [a for a in args if not (command == "explain" and a == "--dry-run")]
    result = run(*args, "--seed", "99999999999")
    assert result.exit_code == ExitCode.USAGE
    assert len(result.stderr.splitlines()) == 1 and "--seed" in result.stderr


def test_validate_lets_map_win_over_the_settings_files_columns(tmp_path):
    roster = write_csv(
        tmp_path / "roster.csv",
        [["E1", "Eng", "Sales"], ["E2", "Sales", "Eng"], ["E3", "Ops", "Eng"]],
        header=["ID", "Team A", "Team B"],
    )
    (tmp_path / "pairctl.toml").write_text('[columns]\nspecialty = "Team A"\n', encoding="utf-8")
    result = run("validate", str(roster), "--map", "specialty=Team B", "--json")
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert any("Team B" in f["message"] for f in findings), findings
    assert not any("'Team A'" in f["message"] and f["topic"] == "specialty" for f in findings)


def test_validate_takes_config(tmp_path):
    roster = write_csv(
        tmp_path / "roster.csv", [["E1", "Eng"], ["E2", "Sales"]], header=["ID", "Crew"]
    )
    settings = tmp_path / "elsewhere.toml"
    settings.write_text('[columns]\nspecialty = "Crew"\n', encoding="utf-8")
    result = run("validate", str(roster), "--config", str(settings), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["settings"] == str(settings)


def test_a_dry_run_refuses_an_output_it_could_never_write(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    result = run("match", str(roster), "--dry-run", "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == ExitCode.USAGE
    assert "'.txt' is not a supported output" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_init_creates_a_missing_folder(tmp_path):
    folder = tmp_path / "new" / "programme"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "announce-template.j2",
        "pairctl.toml",
        "roster-template.csv",
    ]
    assert (folder / "pairctl.toml").stat().st_mode & 0o022 == 0


def _env(stdout: io.StringIO, stderr: io.StringIO, *, terminal: bool, no_color=False):
    return Environment(
        stdout=stdout,
        stderr=stderr,
        stdin=None,
        stdout_is_terminal=terminal,
        stderr_is_terminal=terminal,
        no_color=no_color,
    )


COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")


def test_on_an_injected_terminal_the_summary_has_colour_and_without_one_none(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    for terminal, no_color, coloured in (
        (True, False, True),
        (True, True, False),
        (False, False, False),
    ):
        out, err = io.StringIO(), io.StringIO()
        env = _env(out, err, terminal=terminal, no_color=no_color)
        result = CliRunner().invoke(app, ["match", str(roster), "--dry-run"], obj=env)
        assert result.exit_code == 0, err.getvalue()
        assert bool(COLOUR.search(out.getvalue())) is coloured, (terminal, no_color)
        assert "Dry run: nothing written." in out.getvalue()


def test_the_spinner_runs_only_on_a_terminal(tmp_path, monkeypatch):
    import pairctl.output.terminal as terminal

    monkeypatch.setattr(terminal, "PROGRESS_FROM", 2)  # the spinner's threshold, lowered
    seen = []
    real_status = terminal.Console.status

    def status(self, *args, **kwargs):
        seen.append(args[0] if args else "")
        return real_status(self, *args, **kwargs)

    monkeypatch.setattr(terminal.Console, "status", status)
    roster = small_roster(tmp_path / "roster.csv")
    for on_terminal in (True, False):
        env = _env(io.StringIO(), io.StringIO(), terminal=on_terminal)
        result = CliRunner().invoke(app, ["match", str(roster), "--dry-run"], obj=env)
        assert result.exit_code == 0
    assert seen == ["pairing"]  # once: the terminal run, not the piped one


@pytest.mark.parametrize(
    "args",
    [["validate", "{roster}"], ["match", "{roster}", "--dry-run"], ["explain", "{roster}", "E001"]],
)
def test_a_closed_stdout_is_a_quiet_exit_for_every_command(tmp_path, args):
    roster = small_roster(tmp_path / "roster.csv")

    class Closed(io.StringIO):
        def write(self, _text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    env = _env(Closed(), io.StringIO(), terminal=False)
    argv = [a.format(roster=roster) for a in args]
    result = CliRunner().invoke(app, argv, obj=env)
    assert result.exit_code == 1  # Click's quiet exit for a closed pipe
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_no_option_is_declared_twice_in_the_shell():
    src = Path(__file__).resolve().parent.parent / "src" / "pairctl"
    files = [src / "cli.py", *sorted((src / "shell").glob("*.py"))]
    source = "\n".join(f.read_text(encoding="utf-8") for f in files)
    # One declaration per option; announce's `-o OUTBOX` (a folder) is another option than
    # the sheet's `-o FILE`, so options count by flag and metavar.
    declared = []
    for call in source.split("typer.Option(")[1:]:
        flag = re.match(r'\s*"(--[a-z-]+)"', call)
        if flag:
            metavar = re.search(r'metavar="([^"]+)"', call.split(")")[0])
            declared.append((flag.group(1), metavar.group(1) if metavar else ""))
    assert ("--seed", "N") in declared and ("--map", "FIELD=COLUMN") in declared
    assert len(declared) == len(set(declared)), declared
    assert "As for match" not in source


def _ansi_free(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_at_80_columns_each_pair_of_the_summary_takes_at_most_two_lines():
    roster = Path(__file__).resolve().parent.parent / "sample_data" / "roster.csv"
    out = io.StringIO()
    env = _env(out, io.StringIO(), terminal=True)
    result = CliRunner().invoke(app, ["match", str(roster), "--dry-run", "--json"], obj=None)
    groups = json.loads(result.stdout)["pairs"][:10]
    result = CliRunner().invoke(app, ["match", str(roster), "--dry-run"], obj=env)
    assert result.exit_code == 0
    lines = _ansi_free(out.getvalue()).splitlines()
    assert max(cell_len(line) for line in lines) <= 80  # screen cells: accents combine
    start = next(i for i, line in enumerate(lines) if line.startswith("First 10 of 20"))
    pair_lines = lines[start + 1 : start + 1 + 2 * len(groups)]
    for n, group in enumerate(groups, start=1):
        first, second = pair_lines[2 * n - 2], pair_lines[2 * n - 1]
        assert first.startswith(f"{n:>3}  ") and f"({group['members'][0]})" in first
        assert "teaches:" in second


def test_piped_tables_are_not_padded_to_the_widest_cell(tmp_path):
    roster = Path(__file__).resolve().parent.parent / "sample_data" / "roster.csv"
    out = io.StringIO()
    env = _env(out, io.StringIO(), terminal=False)
    result = CliRunner().invoke(app, ["validate", str(roster)], obj=env)
    assert result.exit_code == 0
    lines = out.getvalue().splitlines()
    assert all(line == line.rstrip() for line in lines)
    short = next(line for line in lines if "people read" in line)
    assert len(short) < 60  # the long 'columns' finding does not widen it


def test_explain_finds_a_person_by_email_or_name_and_suggests_near_misses(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    by_key = json.loads(run("explain", str(roster), "E002", "--json").stdout)
    by_email = run("explain", str(roster), "BO@example.org", "--json")
    assert by_email.exit_code == 0, by_email.stderr
    assert json.loads(by_email.stdout)["person"] == "E002"
    assert json.loads(by_email.stdout)["chosen"] == by_key["chosen"]
    by_name = run("explain", str(roster), "bo lindqvist", "--json")
    assert json.loads(by_name.stdout)["person"] == "E002"
    missed = run("explain", str(roster), "Bo Lindkvist")
    assert missed.exit_code == ExitCode.USAGE
    assert "did you mean" in missed.stderr and "Bo Lindqvist" in missed.stderr
    assert len(missed.stderr.splitlines()) == 1
