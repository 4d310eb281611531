"""The vocabulary as a coordinator meets it: warnings, `pairctl vocabulary`, its `--write`
block read back as settings, and the pairs that change."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from cli_helpers import read_csv_rows, run

ROSTER = (
    "ID,Name,Specialty,Skills,Wants to learn\n"
    "E1,Ana,Software Engineer,Python; SQL,Negotiation; Budgeting\n"
    "E2,Bo,Software Engineering,Negotiation; Budgeting,Python; SQL\n"
    "E3,Cy,Marketing,Branding,Python\n"
    "E4,Di,Sales,Python,Branding\n"
)


def pairs(result) -> set[frozenset[str]]:
    assert result.exit_code == 0, result.stderr
    return {frozenset(p["members"]) for p in json.loads(result.stdout)["pairs"]}


def test_a_spelling_difference_no_longer_defeats_the_same_specialty_rule(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    # Without a vocabulary the two engineers pair as if they crossed specialties, and both
    # validate and match say why that may be wrong.
    checked = run("validate", str(roster), "--json")
    findings = json.loads(checked.stdout)["findings"]
    spelling = [f for f in findings if f["topic"] == "specialty spellings"]
    assert len(spelling) == 1 and spelling[0]["level"] == "warning"
    assert "'Software Engineering' (1)" in spelling[0]["message"]
    assert "'Software Engineer' (1)" in spelling[0]["message"]
    before = run("match", str(roster), "--dry-run", "--json")
    assert frozenset({"E1", "E2"}) in pairs(before)
    assert "look like one specialty" in before.stderr

    # The suggestion, written, uncommented and kept as settings: they count as one specialty
    # and are no longer paired with each other.
    block = tmp_path / "vocabulary.toml"
    written = run("vocabulary", str(roster), "--write", str(block))
    assert written.exit_code == 0, written.stderr
    text = block.read_text(encoding="utf-8")
    # Nothing is merged until the coordinator keeps an entry.
    assert tomllib.loads(text)["vocabulary"] == {"skills": {}, "specialties": {}}
    kept = re.sub(r'^# ("Software Engineering")', r"\1", text, flags=re.MULTILINE)
    assert tomllib.loads(kept)["vocabulary"]["specialties"] == {
        "Software Engineering": ["Software Engineer"]
    }
    (tmp_path / "pairctl.toml").write_text(kept, encoding="utf-8")
    (tmp_path / "pairctl.toml").chmod(0o644)
    after = run("match", str(roster), "--dry-run", "--json")
    assert frozenset({"E1", "E2"}) not in pairs(after)
    assert "look like one specialty" not in after.stderr
    assert all(
        "same specialty" not in n for p in json.loads(after.stdout)["pairs"] for n in p["notes"]
    )

    # The sheet shows what each person wrote and the canonical name where it differs.
    sheet = tmp_path / "pairs.csv"
    assert run("match", str(roster), "-o", str(sheet)).exit_code == 0
    rows = read_csv_rows(sheet)
    shown = {r[f"{s} key"]: r[f"{s} specialty"] for r in rows for s in "AB"}
    assert shown["E1"] == "Software Engineer (Software Engineering)"
    assert shown["E2"] == "Software Engineering"


def test_vocabulary_lists_what_already_counts_as_one_and_why(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Specialty,Skills,Wants to learn\n"
        "A,Data,Machine Learning; JS,Negotiation\n"
        "B,Sales,Negotiation,machine-learning; JavaScript\n"
        "C,Legal,Kubernets,ML\n"
        "D,Ops,Kubernetes,Negotiation\n",
        encoding="utf-8",
    )
    result = run("vocabulary", str(roster), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    same = {
        t["name"]: {s["text"]: s["origin"] for s in t["spellings"]} for t in data["counted_as_one"]
    }
    assert same["Machine learning"] == {
        "Machine Learning": "folding",
        "machine-learning": "folding",
        "ML": "built-in",
    }
    assert same["JavaScript"] == {"JS": "built-in", "JavaScript": "folding"}
    looks = [{s["text"] for s in g["spellings"]} for g in data["look_alikes"]]
    assert {"Kubernets", "Kubernetes"} in looks


def test_the_built_in_list_is_listed_without_a_roster():
    result = run("vocabulary", "--built-in", "--json")
    assert result.exit_code == 0, result.stderr
    assert "K8s" in json.loads(result.stdout)["built_in"]["Kubernetes"]
    assert run("vocabulary").exit_code == 2


def test_a_contradictory_vocabulary_is_exit_4_naming_the_spelling(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[vocabulary.skills]\n"Machine learning" = ["ML"]\n"Markup" = ["ml"]\n', encoding="utf-8"
    )
    result = run("match", str(roster), "--config", str(settings), "--dry-run")
    assert result.exit_code == 4
    assert "'ml' is listed under both 'Machine learning' and 'Markup'" in result.stderr


MESSY = (
    "ID,Specialty,Skills,Wants to learn\n"
    "A,Data,Machine Learning; Python,public-speaking; MS Excel\n"
    "B,Sales,Public speaking; Excel,ML; Python 3\n"
    "C,Engineering,JavaScript; Kubernetes,• GDPR; Negotiation\n"
    "D,Legal,GDPR; Negotiation,JS; K8s\n"
    "E,Design,Figma; Machine learning (ML),Budgeting\n"
    "F,Finance,Budgeting,machine-learning\n"
    "G,Marketing,Branding,Figma\n"
    "H,Operations,Figma,Branding\n"
)


def test_a_messy_roster_pairs_as_its_hand_cleaned_copy_does(tmp_path):
    # The spellings, each written two ways across the roster: once they count as
    # one, the pairs and the share of two-way pairs are those of the roster cleaned by hand.
    clean = MESSY
    for messy, tidy in [
        ("public-speaking", "Public speaking"),
        ("MS Excel", "Excel"),
        ("ML;", "Machine learning;"),
        ("Python 3", "Python"),
        ("• GDPR", "GDPR"),
        ("JS; K8s", "JavaScript; Kubernetes"),
        ("Machine learning (ML)", "Machine learning"),
        ("machine-learning", "Machine learning"),
        ("Machine Learning", "Machine learning"),
    ]:
        assert messy in clean
        clean = clean.replace(messy, tidy)
    runs = {}
    for name, text in (("messy", MESSY), ("clean", clean)):
        roster = tmp_path / f"{name}.csv"
        roster.write_text(text, encoding="utf-8")
        result = run("match", str(roster), "--dry-run", "--json")
        assert result.exit_code == 0, result.stderr
        runs[name] = json.loads(result.stdout)
    assert pairs_of(runs["messy"]) == pairs_of(runs["clean"])
    # Run info says what the roster itself taught the vocabulary.
    assert (
        "1 learned from the roster ('Python 3' = 'Python')"
        in (runs["messy"]["run_info"]["Spellings counted as one"])
    )
    both = runs["messy"]["metrics"]["both_teach_pct"]
    assert both == runs["clean"]["metrics"]["both_teach_pct"] == 100.0
    # Counted apart (no built-in list, as before this release) far fewer pairs teach both ways.
    apart = tmp_path / "apart.toml"
    apart.write_text("[vocabulary]\nbuiltin = false\n", encoding="utf-8")
    result = run(
        "match", str(tmp_path / "messy.csv"), "--config", str(apart), "--dry-run", "--json"
    )
    assert json.loads(result.stdout)["metrics"]["both_teach_pct"] < both


def pairs_of(report) -> set[frozenset[str]]:
    return {frozenset(p["members"]) for p in report["pairs"]}


def test_the_written_block_kept_whole_merges_a_generated_rosters_misspellings(tmp_path):
    # Real skill names, a third of them misspelled: the suggestions, all kept, leave nothing
    # to suggest, and the same people then teach each other at least as much.
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from bench_vocabulary import write_roster

    roster = tmp_path / "roster.csv"
    write_roster(roster, 60, seed=3, rate=0.33)
    before = run("match", str(roster), "--solver", "exact", "--dry-run", "--json")
    assert before.exit_code == 0, before.stderr
    block = tmp_path / "suggested.toml"
    found = run("vocabulary", str(roster), "--write", str(block), "--json")
    groups = json.loads(found.stdout)["look_alikes"]
    assert len(groups) >= 5
    kept = re.sub(r"^# (\")", r"\1", block.read_text(encoding="utf-8"), flags=re.MULTILINE)
    settings = tmp_path / "kept.toml"
    settings.write_text(kept, encoding="utf-8")
    again = run("vocabulary", str(roster), "--config", str(settings), "--json")
    assert json.loads(again.stdout)["look_alikes"] == []
    after = run(
        "match", str(roster), "--config", str(settings), "--solver", "exact", "--dry-run", "--json"
    )
    assert after.exit_code == 0, after.stderr
    total = json.loads(after.stdout)["total_score"]
    assert total > json.loads(before.stdout)["total_score"]
    # A lesson now names what a misspelling stands for.
    lessons = [
        s
        for p in json.loads(after.stdout)["pairs"]
        for taught in p["lessons"]
        for s in taught["skills"]
    ]
    spelled = {s["text"] for g in groups for s in g["spellings"][1:]}
    assert any(s.endswith(")") and s.rsplit(" (", 1)[0] in spelled for s in lessons)


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        ("[vocabulary]\nskills = 3\n", "[vocabulary.skills] must be a table"),
        ('[vocabulary]\nbuiltin = "yes"\n', "vocabulary.builtin must be true or false"),
        ('[vocabulary]\ndistinct = ["Scala"]\n', "vocabulary.distinct must be a list of lists"),
        ("[vocabulary.skills]\nPython = 3\n", "vocabulary.skills.Python must be a list"),
        ('[vocabulary.related]\ng = ["Python"]\n', "a group needs at least two different skills"),
        ("[weights]\nrelated = 2\n", "weights.related must be 0 or from 0.001 to 1"),
        ("[vocabulary]\nsynonyms = {}\n", "unknown key vocabulary.synonyms"),
        ('[rules]\ntwo_way = "always"\n', "rules.two_way must be one of prefer, require"),
    ],
)
def test_a_bad_vocabulary_setting_is_one_line_and_exit_4(tmp_path, settings, needle):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(settings, encoding="utf-8")
    result = run("match", str(roster), "--config", str(config), "--dry-run")
    assert result.exit_code == 4, result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_related_group_nobody_writes_is_a_validate_warning(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(
        '[vocabulary.related]\nmoney = ["Budgeting", "Forecastng", "Bookkeeping"]\n',
        encoding="utf-8",
    )
    result = run("validate", str(roster), "--config", str(config), "--json")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["topic"] == "related skills"]
    assert [f["message"] for f in findings] == [
        "[vocabulary.related] money: 2 of its 3 skills are written by nobody on this roster"
    ]
