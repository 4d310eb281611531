"""Fair rotation: with history, the odd one (left out, or in the trio) is someone new each
round while that is possible."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from cli_helpers import run

SPECIALTIES = ["A", "B", "C", "D", "E"]
SKILLS = [f"s{i}" for i in range(10)]


def random_roster(path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    lines = ["ID,Specialty,Skills,Wants to learn"]
    for i in range(n):
        skills, wants = rng.sample(SKILLS, 3), rng.sample(SKILLS, 3)
        lines.append(f"P{i:02d},{SPECIALTIES[i % 5]},{';'.join(skills)},{';'.join(wants)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def odd_ones(tmp_path: Path, n: int, seed: int, odd: str, rounds: int, *options: str) -> list:
    roster = random_roster(tmp_path / "roster.csv", n, seed)
    history = tmp_path / "rounds"
    history.mkdir()
    found = []
    for number in range(rounds):
        sheet = history / f"pairs-2027-{number + 1:02d}-01.csv"
        args = ["match", str(roster), "-o", str(sheet), "--json", "--odd", odd, *options]
        if number:
            args += ["--history", str(history)]
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        if odd == "leave-out":
            found.append([u["key"] for u in data["unmatched"]])
        else:
            found.append([m for p in data["pairs"] if len(p["members"]) == 3 for m in p["members"]])
    return found


@pytest.mark.parametrize("solver", ["greedy-swap", "exact"])
@pytest.mark.parametrize("seed", range(6))
def test_six_rounds_leave_out_six_different_people(tmp_path, seed, solver):
    n = [11, 13, 15][seed % 3]
    left_out = odd_ones(tmp_path, n, seed, "leave-out", 6, "--solver", solver)
    assert all(len(r) == 1 for r in left_out)
    assert len({r[0] for r in left_out}) == 6, left_out


@pytest.mark.parametrize("seed", range(6))
def test_nobody_is_in_the_trio_in_three_of_four_rounds(tmp_path, seed):
    n = [11, 13, 15][seed % 3]
    in_trio = odd_ones(tmp_path, n, seed, "trio", 4)
    counts = Counter(key for trio in in_trio for key in trio)
    assert all(len(t) == 3 for t in in_trio)
    assert max(counts.values()) <= 2, counts


def test_without_rotation_the_same_person_can_sit_out_again(tmp_path):
    # The cost is what rotates it: switched off, the best pairing may leave one person out
    # twice on the same roster (shown on a seed where it does).
    repeated = 0
    for seed in range(4):
        folder = tmp_path / f"s{seed}"
        folder.mkdir()
        (folder / "pairctl.toml").write_text("[weights]\nrotation = 0\n", encoding="utf-8")
        (folder / "pairctl.toml").chmod(0o644)
        left_out = odd_ones(folder, 11, seed, "leave-out", 6)
        repeated += len({r[0] for r in left_out}) < 6
    assert repeated >= 1
