"""The settings file (pairctl.toml) and `pairctl init`: flags win, bad keys are exit 4."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cli_helpers import HEADER, read_rows, run, small_roster, write_csv

from pairctl.config import TEMPLATE, load_settings
from pairctl.errors import ConfigError, ExitCode
from pairctl.roster import read_roster
from pairctl.roster.header import FIELDS as HEADER_FIELDS
from pairctl.roster.sources import MAX_INPUT_BYTES


@pytest.fixture(autouse=True)
def _owner_only_umask():
    """Settings files written here get mode 0644 whatever the CI's umask, so a found file is
    trusted unless a test makes it writable by others on purpose."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def renamed_roster(tmp_path):
    """The small roster with its Specialty column called 'Craft Guild' (no alias knows it)."""
    rows = read_rows(small_roster(tmp_path / "base.csv"))
    header = [("Craft Guild" if h == "Specialty" else h) for h in HEADER]
    (tmp_path / "base.csv").unlink()
    return write_csv(tmp_path / "roster.csv", rows, header=header)


def test_settings_beside_the_roster_are_used_and_flags_win(tmp_path):
    roster = renamed_roster(tmp_path)
    assert run("match", str(roster), "--dry-run").exit_code == ExitCode.BAD_ROSTER
    (tmp_path / "pairctl.toml").write_text(
        '[columns]\nspecialty = "Craft Guild"\n[match]\nseed = 9\nodd = "leave-out"\n'
        "[weights]\ncross_department = 0.5\n",
        encoding="utf-8",
    )
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert data["seed"] == 9
    assert data["run_info"]["Column for specialty"] == "Craft Guild"
    assert "cross_department=0.5" in data["run_info"]["Weights"]
    assert data["run_info"]["Settings file"].endswith("pairctl.toml")
    flagged = json.loads(run("match", str(roster), "--dry-run", "--json", "--seed", "3").stdout)
    assert flagged["seed"] == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[match]\nsed = 3\n", "unknown key match.sed"),
        ("[colour]\nx = 1\n", "unknown key colour"),
        ('[match]\nodd = "pairs"\n', "match.odd must be one of"),
        ("[weights]\nsame_specialty = 1\n", "weights.same_specialty must exceed"),
        ("[rules]\nchain_depth = -1\n", "rules.chain_depth"),
        ("not = [valid toml", "not valid TOML"),
    ],
)
def test_bad_settings_are_exit_4_naming_the_key(tmp_path, text, needle):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text(text, encoding="utf-8")
    result = run("match", str(roster))
    assert result.exit_code == ExitCode.BAD_CONFIG, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pairctl.toml" in lines[0] and needle in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairctl.toml", "roster.csv"]


def test_init_writes_a_template_that_reads_cleanly_and_a_roster_header(tmp_path):
    result = run("init", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    settings = load_settings(tmp_path / "pairctl.toml")
    assert settings.columns == {} and settings.seed is None
    assert (tmp_path / "pairctl.toml").read_text(encoding="utf-8") == TEMPLATE
    template = tmp_path / "roster-template.csv"
    with template.open("a", encoding="utf-8") as fh:
        fh.write("E1,Ana,,Eng,R&D,,3,Python,SQL,yes,\nE2,Bo,,Sales,Rev,E1,9,SQL,Python,,\n")
    roster = read_roster(str(template))
    assert [p.key for p in roster.people] == ["E1", "E2"]
    assert set(roster.mapping.fields) >= {
        "specialty",
        "skills",
        "wants",
        "manager",
        "active",
        "away_until",
    }
    # The introduction template, ready to edit and to pass to announce --template.
    from pairctl.announce.template import DEFAULT_TEMPLATE

    assert (tmp_path / "announce-template.j2").read_text(encoding="utf-8") == DEFAULT_TEMPLATE
    again = run("init", str(tmp_path))
    assert again.exit_code == ExitCode.CANNOT_WRITE
    assert run("init", str(tmp_path), "--force").exit_code == 0


def four_people_and_two_rounds(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\nA,S1,x,y\nB,S2,y,x\nC,S3,z,w\nD,S4,w,z\n",
        encoding="utf-8",
    )
    rounds = tmp_path / "rounds"
    rounds.mkdir()
    (rounds / "pairs-2026-01-01.csv").write_text("A,B\nC,D\n", encoding="utf-8")
    (rounds / "pairs-2026-04-01.csv").write_text("A,C\nB,D\n", encoding="utf-8")
    return roster, rounds


def pairs_of_run(*args):
    result = run(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


def test_only_the_last_n_rounds_count_as_repeats(tmp_path):
    roster, rounds = four_people_and_two_rounds(tmp_path)
    everything = pairs_of_run("match", str(roster), "--history", str(rounds))
    assert everything == {frozenset("AD"), frozenset("BC")}
    last_one = pairs_of_run("match", str(roster), "--history", str(rounds), "--history-rounds", "1")
    assert last_one == {frozenset("AB"), frozenset("CD")}  # the best pairs, from two rounds ago


def test_older_rounds_can_carry_a_fading_penalty(tmp_path):
    roster, _rounds = four_people_and_two_rounds(tmp_path)
    (tmp_path / "pairctl.toml").write_text(
        '[history]\npaths = ["rounds"]\nrounds = 1\nolder_penalty = 50\n', encoding="utf-8"
    )
    assert pairs_of_run("match", str(roster)) == {frozenset("AD"), frozenset("BC")}
    (tmp_path / "pairctl.toml").write_text(
        '[history]\npaths = ["rounds"]\nrounds = 1\nolder_penalty = 0.5\n', encoding="utf-8"
    )
    assert pairs_of_run("match", str(roster)) == {frozenset("AB"), frozenset("CD")}


def test_columns_declared_blind_are_never_used(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text('[columns]\nblind = ["Department"]\n', encoding="utf-8")
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert "Department" in data["run_info"]["Blind columns (never scored)"]
    assert "Column for department" not in data["run_info"]
    assert "cross_department" in data["run_info"]["Weights"]  # the weight stays, unused


# --- Settings files that someone else could have planted, or that are not files at all ------


def one_error_line(result, *needles):
    """The run failed with exit 4 and said so in exactly one stderr line holding `needles`."""
    assert result.exit_code == ExitCode.BAD_CONFIG, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def seeded_roster(tmp_path):
    """The small roster and a pairctl.toml beside it that sets seed 9 and a column name."""
    roster = renamed_roster(tmp_path)
    settings = tmp_path / "pairctl.toml"
    settings.write_text('[columns]\nspecialty = "Craft Guild"\n[match]\nseed = 9\n')
    return roster, settings


def seed_used(*args):
    result = run(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["seed"]


@pytest.mark.parametrize(
    ("mode", "who"),
    [(0o664, "its group"), (0o646, "others"), (0o666, "its group and others")],
    ids=["group-writable", "other-writable", "world-writable"],
)
def test_a_found_settings_file_others_can_write_is_refused_unless_named(tmp_path, mode, who):
    roster, settings = seeded_roster(tmp_path)
    settings.chmod(mode)
    _shared_group(settings)
    line = one_error_line(
        run("match", str(roster)),
        str(settings),
        f"{who} can write it",
        f"mode {mode:04o}",
        "chmod go-w",
        f"--config {settings}",
    )
    assert "Traceback" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairctl.toml", "roster.csv"]
    assert seed_used("match", str(roster), "--config", str(settings)) == 9


def _shared_group(path):
    """Give `path` a group that is not its owner's private group (one with no entry, so no
    way to tell who is in it), so group-write means someone else can write."""
    if os.name == "posix" and os.geteuid() == 0:
        os.chown(path, -1, 54321)
    elif os.name == "posix" and _is_private(path):
        pytest.skip("the only group available here is the user's private group")


def _is_private(path):
    import grp
    import pwd

    info = path.stat()
    owner = pwd.getpwuid(info.st_uid)
    return owner.pw_gid == info.st_gid and set(grp.getgrgid(info.st_gid).gr_mem) <= {owner.pw_name}


def test_a_group_writable_settings_file_in_a_private_group_is_used(tmp_path):
    # On umask-002 systems every new file is group-writable; when the group is the owner's
    # alone, nobody else can write it (the rule Debian's ssh applies to its config).
    roster, settings = seeded_roster(tmp_path)
    settings.chmod(0o664)
    if os.name != "posix" or not _is_private(settings):
        pytest.skip("the file's group here is not its owner's private group")
    assert seed_used("match", str(roster)) == 9


def test_a_found_settings_file_of_another_user_is_refused_unless_named(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root (CI runs the tests as root)")
    roster, settings = seeded_roster(tmp_path)
    os.chown(settings, 12345, -1)
    one_error_line(
        run("match", str(roster)),
        str(settings),
        "belongs to another user (uid 12345",
        "chown",
        f"--config {settings}",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairctl.toml", "roster.csv"]
    assert seed_used("match", str(roster), "--config", str(settings)) == 9
    one_error_line(run("validate", str(roster)), "belongs to another user")


def test_an_owner_only_found_settings_file_is_still_used(tmp_path):
    roster, settings = seeded_roster(tmp_path)
    settings.chmod(0o600)
    assert seed_used("match", str(roster)) == 9


def pairctl_process(*args, cwd):
    """pairctl in its own process, as cron runs it; a hang fails the test instead of CI."""
    return subprocess.run(
        [sys.executable, "-m", "pairctl", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("kind", ["fifo given", "fifo found", "/dev/zero given"])
def test_a_settings_file_that_is_a_pipe_or_a_device_is_refused_at_once(tmp_path, kind):
    roster = small_roster(tmp_path / "roster.csv")
    if kind == "/dev/zero given":
        target = "/dev/zero"
        if not os.path.exists(target):
            pytest.skip("no /dev/zero here")
    else:
        target = str(tmp_path / ("pairctl.toml" if kind == "fifo found" else "settings.toml"))
        os.mkfifo(target)
    given = [] if kind == "fifo found" else ["--config", target]
    done = pairctl_process("match", str(roster), *given, cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_CONFIG, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert target in lines[0] and "not a regular file" in lines[0]
    assert "no such settings file" not in lines[0]
    assert not list(tmp_path.glob("pairs-*"))


def test_a_huge_settings_file_is_refused_without_reading_it(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    settings = tmp_path / "big.toml"
    with settings.open("wb") as fh:
        fh.truncate(2**20 + 1)
    one_error_line(
        run("match", str(roster), "--config", str(settings)),
        str(settings),
        "larger than the 1 MB",
        "a settings file is at most 1 MB",
    )


def test_a_folder_given_as_settings_file_is_refused(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    one_error_line(
        run("match", str(roster), "--config", str(tmp_path)),
        str(tmp_path),
        "is a folder, not a file",
    )


def test_a_missing_settings_file_is_named(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    missing = tmp_path / "nope.toml"
    one_error_line(
        run("match", str(roster), "--config", str(missing)),
        f"{missing}: no such settings file (--config)",
    )


def test_a_300_character_settings_file_name_is_a_settings_error(tmp_path):
    roster = small_roster(tmp_path / "roster.csv")
    long_name = str(tmp_path / ("s" * 300 + ".toml"))
    one_error_line(
        run("match", str(roster), "--config", long_name), long_name, "File name too long"
    )


def test_a_300_character_roster_folder_name_is_not_an_internal_error(tmp_path):
    roster = tmp_path / ("f" * 300) / "roster.csv"
    one_error_line(run("match", str(roster)), "pairctl.toml", "found beside the roster", "too long")


# --- What the file says -----------------------------------------------------------------------


def settings_error(tmp_path, text):
    """Run match over the small roster with `text` as the settings file beside it."""
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text(text, encoding="utf-8")
    result = run("match", str(roster))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairctl.toml", "roster.csv"]
    return result


@pytest.mark.parametrize("opening", ["[", "{ b = "])
def test_deeply_nested_toml_is_a_settings_error(tmp_path, opening):
    result = settings_error(tmp_path, "a = " + opening * 100_000)
    one_error_line(result, "pairctl.toml", "not valid TOML", "nested too deeply")


def test_an_unknown_column_field_is_a_settings_error_listing_the_fields(tmp_path):
    result = settings_error(tmp_path, '[columns]\nnmae = "Full name"\n')
    line = one_error_line(result, "pairctl.toml", "unknown key columns.nmae", "columns.name?")
    assert "--map" not in line
    known = line.partition("known: ")[2].split(", ")
    assert known == [f"columns.{f}" for f in HEADER_FIELDS] + [
        "columns.blind",
        "columns.duplicates",
    ]


@pytest.mark.parametrize("spelled", ["Specialty", "SPECIALTY", '" specialty "'])
def test_column_fields_are_matched_as_map_matches_them(tmp_path, spelled):
    roster = renamed_roster(tmp_path)
    (tmp_path / "pairctl.toml").write_text(f'[columns]\n{spelled} = "Craft Guild"\n')
    data = json.loads(run("match", str(roster), "--dry-run", "--json").stdout)
    assert data["run_info"]["Column for specialty"] == "Craft Guild"


def test_a_column_field_set_twice_is_a_settings_error(tmp_path):
    result = settings_error(tmp_path, '[columns]\nSpecialty = "A"\nspecialty = "B"\n')
    one_error_line(result, "columns.Specialty", "columns.specialty", "keep one")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[weights]\ngap_years = 5e-324\n", "weights.gap_years must be a number of years from 1"),
        ("[weights]\ngap_years = 0.5\n", "weights.gap_years"),
        ("[weights]\ngap_years = 101\n", "weights.gap_years"),
        ("[weights]\ngap_years = nan\n", "weights.gap_years"),
        ("[weights]\nteach = 5e-324\n", "weights.teach must be 0 or from 0.001 to 100"),
        ("[weights]\nmutual = 1e-9\n", "weights.mutual must be 0 or from 0.001"),
        ("[weights]\ncross_department = inf\n", "weights.cross_department"),
        ("[weights]\nexperience_gap = -0.5\n", "weights.experience_gap"),
        ("[weights]\nteach = true\n", "weights.teach must be a number"),
        ("[history]\nolder_penalty = 1e-300\n", "history.older_penalty must be 0 or from 0.001"),
        ("[input]\nmax_mb = 0\n", "input.max_mb must be a whole number from 1 to 65,536"),
        ("[input]\nmax_mb = 65537\n", "input.max_mb"),
        ("[input]\nmax_mb = 1.5\n", "input.max_mb"),
        ('[input]\nmax_mb = "512"\n', "input.max_mb"),
        ("[input]\nmax_gb = 1\n", "unknown key input.max_gb"),
    ],
)
def test_absurd_numbers_are_settings_errors(tmp_path, text, needle):
    one_error_line(settings_error(tmp_path, text), "pairctl.toml", needle)


@pytest.mark.parametrize(
    "weights",
    [
        "teach = 0.001\nmutual = 0.001\ncross_department = 0.001\nexperience_gap = 0.001\n"
        "gap_years = 1\nsame_specialty = 0.011\nrelated = 0.001\nrotation = 0.001\n",
        "teach = 24\nmutual = 0.5\ncross_department = 0.5\nexperience_gap = 0.5\n"
        "gap_years = 100\nsame_specialty = 100\nrelated = 1\nrotation = 49\n",
    ],
    ids=["smallest", "largest"],
)
def test_the_extreme_accepted_weights_score_without_numpy_warnings(tmp_path, weights):
    roster = small_roster(tmp_path / "roster.csv")
    (tmp_path / "pairctl.toml").write_text(
        f"[weights]\n{weights}[history]\nolder_penalty = 0.001\n", encoding="utf-8"
    )
    for solver in ("greedy-swap", "exact"):
        done = pairctl_process("match", str(roster), "--dry-run", "--solver", solver, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""


def test_max_mb_sets_the_input_budget_in_bytes(tmp_path):
    settings = tmp_path / "pairctl.toml"
    settings.write_text("[input]\nmax_mb = 3\n", encoding="utf-8")
    assert load_settings(settings).max_input_bytes == 3 * 2**20
    settings.write_text("", encoding="utf-8")
    assert load_settings(settings).max_input_bytes == MAX_INPUT_BYTES
    assert f"# max_mb = {MAX_INPUT_BYTES // 2**20} " in TEMPLATE


def test_a_roster_that_is_a_link_uses_the_settings_and_folder_beside_the_link(tmp_path):
    export = tmp_path / "hris"
    programme = tmp_path / "programme"
    export.mkdir()
    programme.mkdir()
    roster, _settings = seeded_roster(export)
    columns = '[columns]\nspecialty = "Craft Guild"\n'
    (export / "pairctl.toml").write_text(columns + "[match]\nseed = 3\n", encoding="utf-8")
    (programme / "pairctl.toml").write_text(columns + "[match]\nseed = 5\n", encoding="utf-8")
    link = programme / "roster.csv"
    link.symlink_to(roster)
    assert seed_used("match", str(link)) == 5
    result = run("match", str(link), "-q")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in programme.glob("pairs-*.xlsx")] and not list(export.glob("pairs-*"))


def test_the_trust_check_is_made_again_on_the_file_actually_opened(tmp_path, monkeypatch):
    # A name swapped between the look and the read: the look saw a trusted file, the file
    # opened is writable by everyone. The second check, on what was opened, refuses it.
    import pairctl.config as config

    roster, settings = seeded_roster(tmp_path)
    settings.chmod(0o666)
    trusted_look = os.stat(roster)  # a file of ours, mode 0644
    monkeypatch.setattr(config, "_stat", lambda path, note="": trusted_look)
    with pytest.raises(ConfigError, match="others can write it"):
        config.find_settings(str(roster), None)
