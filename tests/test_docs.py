"""The README against the code: an option, a field or an exit code added without its line in
the README fails here, and so does a README line for something the code no longer has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from cli_helpers import run

from pairctl.cli import app
from pairctl.errors import ExitCode
from pairctl.roster.header import FIELDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "sample_data" / "roster.csv"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
GENERIC = {"--help", "--debug"}


def section(title: str) -> str:
    """The README text under `## title`, up to the next heading of that level."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def options_of(command: str) -> dict[str, str]:
    """Long option name -> how the README should write it (`-o, --output FILE`)."""
    shown = {}
    for param in COMMANDS[command].params:
        if param.param_type_name != "option":
            continue
        long = next(o for o in param.opts if o.startswith("--"))
        flags = ", ".join(sorted(param.opts, key=len))
        metavar = "" if param.is_flag else f" {param.metavar}"
        shown[long] = flags + metavar
    return shown


def usage_table_rows() -> dict[str, str]:
    """First-column text of the match options table, by long option name."""
    rows = {}
    for cell in re.findall(r"^\| `([^`]+)`", section("Usage"), flags=re.MULTILINE):
        for long in re.findall(r"--[a-z-]+", cell):
            rows[long] = cell.replace("\\|", "|")
    return rows


def test_every_match_option_is_in_the_readme_table_as_help_shows_it():
    table = usage_table_rows()
    for long, shown in options_of("match").items():
        assert long in table, f"README's options table has no row for {long}"
        assert table[long] == shown, (table[long], shown)


def test_the_readme_table_has_no_option_match_does_not_have():
    known = set(options_of("match")) | {"--version", "--help"}
    assert set(usage_table_rows()) <= known


@pytest.mark.parametrize("command", ["validate", "vocabulary"])
def test_the_usage_line_of_a_command_lists_exactly_its_options(command):
    line = re.search(rf"^    pairctl {command} .*$", README, flags=re.MULTILINE)
    assert line, f"README has no usage line for {command}"
    written = set(re.findall(r"--[a-z-]+", line.group()))
    assert written == set(options_of(command)) - GENERIC


def test_explain_takes_every_round_option_match_takes():
    # The README says explain takes "the same options as match".
    assert "same options as match" in section("Explaining a pair")
    own = {"--output", "--dry-run", "--quiet", "--strict", "--force", "--history-format"}
    assert set(options_of("match")) - own <= set(options_of("explain"))


def test_every_command_is_documented():
    for name in COMMANDS:
        assert f"pairctl {name}" in README, f"README never shows `pairctl {name}`"


def test_the_map_field_list_is_the_readers():
    row = next(r for r in section("Usage").splitlines() if r.startswith("| `--map"))
    listed = re.search(r"Fields: `([^`]+)`", row)
    assert listed and tuple(listed.group(1).split()) == FIELDS


def test_the_roster_columns_table_names_every_field():
    fields = re.findall(r"^\| ([a-z][a-z ]*?) \|", section("The roster"), flags=re.MULTILINE)
    assert {f.replace(" ", "_") for f in fields} - {"field"} == set(FIELDS)


def test_the_exit_code_table_is_exit_code():
    rows = re.findall(r"^\| ([0-9, ]+) \|", section("Usage"), flags=re.MULTILINE)
    documented = {int(code) for row in rows for code in row.split(",")}
    assert documented == {int(code) for code in ExitCode}


def test_the_json_example_has_the_keys_a_real_run_prints():
    example = re.search(r"```json\n(.*?)\n```", section("What it writes"), flags=re.DOTALL)
    assert example
    documented = set(json.loads(example.group(1)))
    result = run("match", str(SAMPLE), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert documented == set(json.loads(result.stdout))


def test_every_help_shows_metavars_not_raw_type_names():
    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0
        for raw in ("<str>", "<int", "<path>", "<list", "<float", "<bool"):
            assert raw not in result.stdout, f"pairctl {name} --help shows {raw}"
        assert "As for match" not in result.stdout
