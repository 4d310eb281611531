"""Folding and the vocabulary: which spellings count as one skill or specialty, and which never."""

from __future__ import annotations

import numpy as np
import pytest

from pairctl.core.model import Person, Roster
from pairctl.core.scoring import Weights, lesson, score_roster
from pairctl.core.vocabulary import (
    BUILT_IN,
    VocabularyProblem,
    VocabularyTable,
    build_vocabulary,
    term_key,
)

# The table: what A can teach, what B wants. Each must count once.
COUNTED = [
    ("Machine Learning", "machine-learning"),
    ("Machine Learning", "ML"),
    ("Machine Learning", "Machine learning (ML)"),
    ("Public speaking", "public-speaking"),
    ("JavaScript", "JS"),
    ("Kubernetes", "K8s"),
    ("Excel", "MS Excel"),
    ("GDPR", "• GDPR"),
    ("GDPR", "- GDPR"),
    ("GDPR", "1. GDPR"),
    ("Research & Development", "research and development"),
    ("Node.js", "NodeJS"),
    ("data_visualisation", "Data visualisation"),
    ("C#", "c #"),
    ("Excel (advanced)", "Excel"),
]
NEVER = [
    ("C", "C#"),
    ("C", "C++"),
    ("C#", "C++"),
    ("R", "Rust"),
    ("Java", "JavaScript"),
    ("Go", "Google Cloud"),
    ("SQL", "NoSQL"),
    ("skill 1", "skill 2"),
]


def two_people(teaches: str, wants: str, **roster: object) -> Roster:
    people = (
        Person(key="a", name="A", specialty="S1", skills=(teaches,), wants=("Other",)),
        Person(key="b", name="B", specialty="S2", skills=("Other",), wants=(wants,)),
    )
    base = Roster(people=people, has_skills=True, has_wants=True)
    return base.with_vocabulary(VocabularyTable(**roster))  # type: ignore[arg-type]


def a_teaches_b(roster: Roster) -> float:
    model = score_roster(roster)
    return float(model.teach_counts(np.array([0]), np.array([1]))[0])


@pytest.mark.parametrize(("teaches", "wants"), COUNTED)
def test_spellings_of_one_skill_count_once(teaches, wants):
    roster = two_people(teaches, wants)
    assert a_teaches_b(roster) == 1
    # The sheet shows the teacher's own spelling.
    assert lesson(roster.people[0], roster.people[1], roster) == (teaches,)


@pytest.mark.parametrize(("teaches", "wants"), NEVER)
def test_distinct_skills_are_never_merged(teaches, wants):
    assert a_teaches_b(two_people(teaches, wants)) == 0
    assert a_teaches_b(two_people(wants, teaches)) == 0


def test_python_3_counts_as_python_only_where_someone_writes_python_bare():
    # "Skill 1" / "Skill 2" must stay apart, so a version is read as one only beside its bare
    # name somewhere in the roster.
    assert a_teaches_b(two_people("Python 3", "Python")) == 1
    assert a_teaches_b(two_people("Python", "Python 3.11")) == 1
    people = (
        Person(key="a", name="A", specialty="S1", skills=("Python 2",), wants=("x",)),
        Person(key="b", name="B", specialty="S2", skills=("x",), wants=("Python 3",)),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True).with_vocabulary(None)
    assert a_teaches_b(roster) == 0


def test_a_settings_entry_merges_what_folding_cannot():
    roster = two_people("Python", "Py", skills={"Python": ["Py"]})
    assert a_teaches_b(roster) == 1
    assert a_teaches_b(two_people("Python", "Py")) == 0


def test_the_built_in_list_can_be_turned_off():
    assert a_teaches_b(two_people("JavaScript", "JS")) == 1
    assert a_teaches_b(two_people("JavaScript", "JS", built_in=False)) == 0
    # Folding alone still applies.
    assert a_teaches_b(two_people("Java-Script", "javascript", built_in=False)) == 1


def test_settings_win_over_the_built_in_list():
    roster = two_people("Machine learning", "ML", skills={"Markup languages": ["ML"]})
    assert a_teaches_b(roster) == 0
    roster = two_people("XML", "ML", skills={"Markup languages": ["ML", "XML"]})
    assert a_teaches_b(roster) == 1


def test_a_bracketed_alias_is_learned_for_the_roster_when_it_abbreviates():
    people = (
        Person(key="a", name="A", specialty="S1", skills=("Site reliability engineering (SRE)",)),
        Person(key="b", name="B", specialty="S2", skills=("y",), wants=("SRE",)),
        Person(key="c", name="C", specialty="S3", skills=("Excel (advanced)",), wants=("z",)),
        Person(key="d", name="D", specialty="S4", skills=("z",), wants=("advanced",)),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True).with_vocabulary(None)
    model = score_roster(roster)
    assert model.teach_counts(np.array([0]), np.array([1]))[0] == 1
    # "advanced" only qualifies Excel: it is not a skill anyone can teach.
    assert model.teach_counts(np.array([2]), np.array([3]))[0] == 0
    assert ("skills", "SRE", "Site reliability engineering") in (roster.vocabulary.learned)
    assert lesson(people[0], people[1], roster) == ("Site reliability engineering (SRE)",)


def test_an_alias_claimed_for_two_names_is_learned_for_neither():
    vocabulary = build_vocabulary(
        VocabularyTable(built_in=False),
        ["Machine learning (ML)", "Markup language (ML)", "ML"],
    )
    assert vocabulary.skills.key("ML") == "ml"


def test_the_sheet_shows_what_was_written_and_the_canonical_name_where_it_differs():
    roster = two_people("ML", "Machine learning")
    assert lesson(roster.people[0], roster.people[1], roster) == ("ML (Machine learning)",)
    roster = two_people("machine-learning", "Machine learning")
    assert lesson(roster.people[0], roster.people[1], roster) == ("machine-learning",)


def test_one_spelling_under_two_names_is_refused_naming_both():
    with pytest.raises(
        VocabularyProblem, match="'ml' is listed under both 'Machine learning' and 'Markup'"
    ):
        build_vocabulary(VocabularyTable(skills={"Machine learning": ["ML"], "Markup": ["ml"]}))


def test_related_skills_earn_the_related_weight_and_are_shown_as_related():
    related = {"communication": ["Public speaking", "Presenting", "Storytelling"]}
    roster = two_people("Storytelling", "Public speaking", related=related)
    assert a_teaches_b(roster) == Weights().related == 0.5
    assert lesson(roster.people[0], roster.people[1], roster) == (
        "Storytelling (related to Public speaking)",
    )
    exact = two_people("Public speaking", "Public speaking", related=related)
    assert a_teaches_b(exact) == 1  # the skill itself counts in full, once
    model = score_roster(roster, Weights(related=0.0))
    assert model.teach_counts(np.array([0]), np.array([1]))[0] == 0
    # The dense block and the pair scores agree with related credit.
    model = score_roster(roster)
    np.testing.assert_allclose(model.dense()[0, 1], model.pair_scores(np.array([0]), np.array([1])))


def test_specialties_use_their_own_table():
    people = (
        Person(key="a", name="A", specialty="Software Engineer", skills=("x",), wants=("y",)),
        Person(key="b", name="B", specialty="Software Engineering", skills=("y",), wants=("x",)),
    )
    base = Roster(people=people, has_skills=True, has_wants=True)
    apart = score_roster(base.with_vocabulary(None))
    assert apart.specialty[0] != apart.specialty[1]
    table = VocabularyTable(specialties={"Software engineering": ["Software Engineer"]})
    one = score_roster(base.with_vocabulary(table))
    assert one.specialty[0] == one.specialty[1]


def test_every_built_in_spelling_folds_to_its_own_entry():
    keys: dict[str, str] = {}
    for name, spellings in BUILT_IN.items():
        for spelling in (name, *spellings):
            assert keys.setdefault(term_key(spelling), name) == name, spelling


def three_people(*cells: tuple[str, str]) -> Roster:
    people = tuple(
        Person(key=f"p{i}", name=f"P{i}", specialty=f"S{i}", skills=(skills,), wants=(wants,))
        for i, (skills, wants) in enumerate(cells)
    )
    return Roster(people=people, has_skills=True, has_wants=True).with_vocabulary(None)


@pytest.mark.parametrize(
    ("qualified", "other", "wanted"),
    [
        ("Java (JavaScript)", "JavaScript", "Java"),
        ("GitHub (Git)", "GitHub", "Git"),
        ("SwiftUI (Swift)", "SwiftUI", "Swift"),
        ("Azure DevOps (Azure)", "Azure DevOps", "Azure"),
    ],
)
def test_a_bracket_that_only_qualifies_never_merges_two_skills_roster_wide(
    qualified, other, wanted
):
    # Someone writes "Java (JavaScript)": a JavaScript teacher still cannot teach Java.
    roster = three_people((qualified, "x"), (other, "y"), ("y", wanted))
    model = score_roster(roster)
    assert model.teach_counts(np.array([1]), np.array([2]))[0] == 0
    assert roster.vocabulary.learned == ()


def test_numbered_standards_stay_apart_beside_their_bare_name():
    roster = three_people(("ISO 9001", "x"), ("ISO", "ISO 27001"), ("IFRS 16", "IFRS 9"))
    keys = {roster.vocabulary.skills.key(s) for s in ("ISO 9001", "ISO 27001", "ISO")}
    assert len(keys) == 3
    assert roster.vocabulary.skills.key("IFRS 16") != roster.vocabulary.skills.key("IFRS 9")


def test_the_music_sharp_sign_is_csharp_and_a_letter_and_dot_is_not_a_list_marker():
    assert term_key("C\u266f") == term_key("C#") != term_key("C")
    assert term_key("a) SQL") == "sql"
    assert term_key("C. elegans") == "celegans"


def test_one_skill_spelled_three_ways_is_one_lesson():
    people = (
        Person(
            key="a",
            name="A",
            specialty="S1",
            skills=("Machine learning (ML)", "ML", "machine-learning"),
            wants=("x",),
        ),
        Person(key="b", name="B", specialty="S2", skills=("x",), wants=("ML", "Machine learning")),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True).with_vocabulary(None)
    assert lesson(people[0], people[1], roster) == ("Machine learning (ML)",)
    assert score_roster(roster).teach_counts(np.array([0]), np.array([1]))[0] == 1


def test_a_name_already_in_brackets_is_not_shown_twice():
    vocabulary = build_vocabulary()
    assert vocabulary.specialties.shown("UX (User experience)") == "UX (User experience)"
    assert vocabulary.specialties.shown("UX") == "UX (User experience)"
