"""Look-alike spelling suggestions: which terms are grouped, with what counts and why."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from pairctl.core.spellings import LookAlike, Spelling, look_alikes, osa_distance
from pairctl.core.vocabulary import VocabularyTable, build_vocabulary

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from bench_vocabulary import CATALOGUE, recall_check


def found(
    written: Mapping[str, int], table: VocabularyTable | None = None, **kwargs: object
) -> list[LookAlike]:
    lookup = build_vocabulary(table, skills=written).skills
    return look_alikes("skills", written, lookup, **kwargs)  # type: ignore[arg-type]


def groups(written: Mapping[str, int], **kwargs: object) -> list[set[str]]:
    return [{s.text for s in g.spellings} for g in found(written, **kwargs)]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("pyhton", "python", 1),
        ("kubernets", "kubernetes", 1),
        ("comunication", "communication", 1),
        ("scala", "scale", 1),
        ("project", "product", 2),
        ("ca", "abc", 3),  # optimal string alignment edits no substring twice
        ("", "abc", 3),
        ("same", "same", 0),
    ],
)
def test_osa_distance(a: str, b: str, distance: int) -> None:
    assert osa_distance(a, b) == distance
    assert osa_distance(b, a) == distance


def test_one_letter_apart_groups_typos_with_counts_and_name() -> None:
    result = found(
        {
            "Kubernets": 2,
            "Kubernetes": 10,
            "Pyhton": 1,
            "Python": 20,
            "Comunication": 1,
            "Communication": 5,
            "Scalla": 1,
            "Scala": 3,
        }
    )
    assert [(g.name, g.spellings, g.why) for g in result] == [
        ("Python", (Spelling("Python", 20), Spelling("Pyhton", 1)), "one letter apart"),
        ("Kubernetes", (Spelling("Kubernetes", 10), Spelling("Kubernets", 2)), "one letter apart"),
        (
            "Communication",
            (Spelling("Communication", 5), Spelling("Comunication", 1)),
            "one letter apart",
        ),
        ("Scala", (Spelling("Scala", 3), Spelling("Scalla", 1)), "one letter apart"),
    ]
    assert [g.people for g in result] == [21, 12, 6, 4]


@pytest.mark.parametrize(
    "pair",
    [
        ("Project management", "Product management"),  # two letters apart
        ("Scala", "Scale"),  # a substitution in a five-letter word is another word too often
        ("Julia", "Julie"),
        ("Java", "JavaScript"),
        ("C", "C#"),
        ("C#", "C++"),
        ("R", "Rust"),
        ("Go", "Goes"),  # the singular is under three letters
        ("SQL", "NoSQL"),
        ("SAS", "Sass"),  # no plural 's' after an 's'
        ("Web2", "Web3"),  # a digit is a version, not a typo
        ("Python 2", "Python 3"),
        ("Brand management", "Band management"),  # 'band' is under five letters
        ("Lean", "Learn"),
        ("Design systems", "Systems design"),  # word order, but LOOK_ALIKE_BUT_DISTINCT
        ("Operations research", "Research operations"),
        ("Kotlin", "Jotlin"),  # first letters differ
    ],
)
def test_never_grouped(pair: tuple[str, str]) -> None:
    assert found(dict.fromkeys(pair, 3)) == []


def test_singular_plural_per_word() -> None:
    result = found({"Data science": 8, "Data sciences": 1, "Technology": 2, "Technologies": 4})
    assert [(g.name, [s.text for s in g.spellings], g.why) for g in result] == [
        ("Data science", ["Data science", "Data sciences"], "singular/plural"),
        ("Technologies", ["Technologies", "Technology"], "singular/plural"),
    ]


def test_role_and_field_on_the_last_word() -> None:
    result = found(
        {
            "Software Engineer": 3,
            "Software engineering": 12,
            "Data scientist": 2,
            "Data science": 2,
            "Engineering": 1,
        }
    )
    assert [(g.name, [s.text for s in g.spellings], g.why) for g in result] == [
        (
            "Software engineering",
            ["Software engineering", "Software Engineer"],
            "engineer/engineering",
        ),
        # A tie in people: the longer spelling is the name.
        ("Data scientist", ["Data scientist", "Data science"], "scientist/science"),
    ]


def test_word_order_and_an_alias_already_folded() -> None:
    result = found({"Machine learning": 6, "ML": 2, "Learning machine": 1})
    assert [(g.name, g.spellings, g.why) for g in result] == [
        (
            "Machine learning",
            (Spelling("Machine learning", 8), Spelling("Learning machine", 1)),
            "word order",
        )
    ]


def test_initials_only_in_capitals_and_only_when_one_term_fits() -> None:
    result = found(
        {
            "CRM": 3,
            "Customer relationship management": 2,
            "FPA": 1,
            "Financial planning and analysis": 4,
            "PM": 5,
            "Product management": 4,
            "Project management": 4,
            "Go": 9,
            "Growth operations": 2,
        }
    )
    # Five people each: by name.
    assert [(g.name, [s.text for s in g.spellings], g.why) for g in result] == [
        ("CRM", ["CRM", "Customer relationship management"], "initials"),
        ("Financial planning and analysis", ["Financial planning and analysis", "FPA"], "initials"),
    ]


def test_initials_count_a_term_and_its_typos_as_one() -> None:
    result = found(
        {"CRM": 3, "Customer relationship management": 5, "Customer relationship managment": 1}
    )
    assert [(g.name, g.why) for g in result] == [
        ("Customer relationship management", "one letter apart; initials")
    ]
    assert {s.text for s in result[0].spellings} == {
        "CRM",
        "Customer relationship management",
        "Customer relationship managment",
    }


def test_spellings_of_one_term_are_summed_and_shown_as_most_written() -> None:
    result = found({"ansibel": 1, " Ansibel ": 3, "ANSIBEL": 1, "Ansible": 2})
    assert result[0].name == "Ansibel"
    assert result[0].spellings == (Spelling("Ansibel", 5), Spelling("Ansible", 2))


def test_a_vocabulary_name_is_the_suggested_name() -> None:
    # Renaming the built-in "Kubernetes" to "K8s" in the settings would split it from its
    # own entry; the vocabulary's name wins even when another spelling is more written.
    result = found({"K8s": 10, "Kubernets": 12})
    assert result[0].name == "Kubernetes"
    assert result[0].spellings == (Spelling("K8s", 10), Spelling("Kubernets", 12))


def test_two_settings_names_are_never_grouped() -> None:
    table = VocabularyTable(skills={"Sales": [], "Sale": []})
    assert found({"Sales": 4, "Sale": 2}) != []
    assert found({"Sales": 4, "Sale": 2}, table) == []


def test_settings_distinct_groups_are_never_grouped() -> None:
    assert groups({"Pandas": 4, "Panda": 2}) == [{"Pandas", "Panda"}]
    assert groups({"Pandas": 4, "Panda": 2}, distinct=[["panda", "PANDAS"]]) == []


def test_a_group_never_holds_two_guarded_terms_through_a_third() -> None:
    result = groups({"Business analysis": 5, "Business analytics": 3, "Business analyst": 2})
    assert result == [{"Business analysis", "Business analyst"}]


def test_deterministic_whatever_the_order_written() -> None:
    written = {"Pyhton": 1, "Python": 20, "Data sciences": 1, "Data science": 8, "Sales": 3}
    assert found(written) == found(dict(reversed(written.items())))


def test_blank_spellings_and_an_empty_roster() -> None:
    assert found({}) == []
    assert found({"": 3, " - ": 2, "Python": 1}) == []


def test_recall_and_no_false_merges_on_the_benchmark_catalogue() -> None:
    check = recall_check(seed=7, per_kind=25)
    assert sum(check.injected.values()) >= 150
    assert check.recall >= 0.9, check.missed
    assert check.false_merges == []


def test_the_catalogue_alone_has_no_look_alikes() -> None:
    assert found(dict.fromkeys(CATALOGUE, 5)) == []


def test_an_initialism_is_written_in_capitals() -> None:
    spelled = {"Applied research techniques": 2}
    assert found({"Art": 3, **spelled}) == []
    assert groups({"ART": 3, **spelled}) == [{"ART", "Applied research techniques"}]


@pytest.mark.parametrize("js", [40, 50, 60])
def test_a_misspelling_between_two_real_names_does_not_chain_them(js: int) -> None:
    # AngularJ is one letter from Angular and the singular of AngularJS: it joins only the
    # more written of the two, whichever that is, and the two real names stay apart.
    written = {"Angular": 50, "AngularJS": js, "AngularJ": 2, "Angulr": 1}
    result = groups(written)
    assert not any({"Angular", "AngularJS"} <= g for g in result)
    assert any({"AngularJ"} <= g for g in result)
    assert {"Angular", "Angulr"} in result or {"Angular", "Angulr", "AngularJ"} in result
    assert found(written) == found(dict(reversed(written.items())))
