"""The two-way score: each direction on its own, penalties and bonuses as documented."""

from __future__ import annotations

import numpy as np
import pytest

from pairctl.core.candidates import best_candidates
from pairctl.core.matching import match
from pairctl.core.model import Person, Roster
from pairctl.core.scoring import Weights, lesson, score_roster, strength


def taught(model, teacher: int, learner: int) -> float:
    """How many things `teacher` can teach `learner`."""
    return float(model.teach_counts(np.array([teacher]), np.array([learner]))[0])


def test_pair_scores_blocks_and_candidates_agree():
    rng = np.random.default_rng(4)
    skills = [f"s{i}" for i in range(9)]
    people = tuple(
        person(
            f"k{i}",
            f"spec{i % 4}",
            list(rng.choice(skills, 3, replace=False)),
            list(rng.choice(skills, 2, replace=False)),
            float(rng.integers(0, 30)),
            f"d{i % 3}",
        )
        for i in range(25)
    )
    model = score_roster(Roster(people=people, has_skills=True, has_wants=True))
    dense = model.dense()
    a, b = np.triu_indices(25, k=1)
    np.testing.assert_allclose(model.pair_scores(a, b), dense[a, b])
    np.testing.assert_allclose(dense, dense.T)
    idx, val = best_candidates(model, 5)
    for i in range(25):
        assert list(val[i]) == sorted(val[i], reverse=True)
        np.testing.assert_allclose(val[i], dense[i, idx[i]])
        assert val[i, -1] >= np.sort(np.delete(dense[i], i))[-5]


def person(key: str, specialty: str, skills=(), wants=(), experience=None, department="") -> Person:
    return Person(
        key=key,
        name=key,
        specialty=specialty,
        skills=tuple(skills),
        wants=tuple(wants),
        experience=experience,
        department=department,
    )


def test_each_direction_counts_what_one_can_teach_that_the_other_wants():
    ana = person("ana", "Engineering", skills=["Python", "SQL"], wants=["Negotiation"])
    bo = person(
        "bo", "Sales", skills=["negotiation ", "Budgeting"], wants=["python", "sql", "Excel"]
    )
    roster = Roster(people=(ana, bo), has_skills=True, has_wants=True)
    scores = score_roster(roster)
    assert taught(scores, 0, 1) == 2  # ana -> bo: Python, SQL (case and spaces ignored)
    assert taught(scores, 1, 0) == 1  # bo -> ana: Negotiation
    assert lesson(ana, bo, roster) == ("Python", "SQL")
    assert lesson(bo, ana, roster) == ("negotiation",)


def test_score_matches_the_documented_formula():
    w = Weights()
    ana = person("ana", "Eng", ["a", "b"], ["c"], experience=2, department="R&D")
    bo = person("bo", "Sales", ["c"], ["a", "b"], experience=22, department="Sales")
    s = score_roster(Roster(people=(ana, bo), has_skills=True, has_wants=True), w).dense()[0, 1]
    ab, ba = 0.75, 0.5  # 1 - 2^-2, 1 - 2^-1
    expected = w.teach * (ab + ba) + w.mutual * min(ab, ba) + w.cross_department + w.experience_gap
    assert s == pytest.approx(expected)


def test_same_specialty_costs_more_than_any_two_pairs_can_gain():
    w = Weights()
    assert w.same_specialty > 2 * w.max_positive()
    a = person("a", "Data", ["x"], ["y"])
    b = person("b", "data ", ["y"], ["x"])  # same specialty, spelled differently
    c = person("c", "Legal", [], [])
    total = score_roster(Roster(people=(a, b, c), has_skills=True, has_wants=True), w).dense()
    assert total[0, 1] < 0 < total[0, 1] + w.same_specialty
    assert total[0, 2] == 0.0


def test_blank_specialty_and_department_never_count_as_shared():
    a = person("a", "", ["x"], ["y"])
    b = person("b", "", ["y"], ["x"])
    total = score_roster(Roster(people=(a, b), has_skills=True, has_wants=True)).dense()
    assert total[0, 1] > 0  # no penalty, no department bonus
    assert total[0, 1] == pytest.approx(2 * 0.5 + 0.5)


def test_without_skill_columns_people_teach_their_specialty_to_other_specialties():
    people = (person("a", "Eng"), person("b", "Sales"), person("c", "Eng"))
    roster = Roster(people=people)
    scores = score_roster(roster)
    assert taught(scores, 0, 1) == 1 and taught(scores, 1, 0) == 1
    assert taught(scores, 0, 2) == 0
    assert lesson(people[0], people[1], roster) == ("Eng",)
    assert lesson(people[0], people[2], roster) == ()


def test_strength_saturates_below_one():
    s = strength(np.array([0.0, 1.0, 2.0, 10.0]))
    assert list(s[:3]) == [0.0, 0.5, 0.75]
    assert s[3] < 1.0


def test_scores_do_not_depend_on_row_order():
    people = (
        person("a", "Eng", ["x", "y"], ["z"], 3, "R"),
        person("b", "Ops", ["z"], ["y"], 9, "S"),
        person("c", "Law", ["y", "q"], ["x"], 30, "R"),
    )
    s1 = score_roster(Roster(people=people, has_skills=True, has_wants=True)).dense()
    s2 = score_roster(Roster(people=people[::-1], has_skills=True, has_wants=True)).dense()
    np.testing.assert_array_equal(s1, s2[::-1, ::-1])


def test_the_worked_example_in_docs_scoring():
    ana = Person(
        key="E001",
        name="Ana",
        specialty="Software Engineering",
        skills=("Python", "SQL", "Git"),
        wants=("Negotiation", "Public speaking"),
        experience=2,
        department="Product",
    )
    bo = Person(
        key="E002",
        name="Bo",
        specialty="Sales",
        skills=("Negotiation", "Public speaking", "Budgeting"),
        wants=("Python", "Excel"),
        experience=19,
        department="Revenue",
    )
    cy = Person(
        key="E003",
        name="Cy",
        specialty="Software Engineering",
        skills=("Python", "Kubernetes"),
        wants=("SQL",),
        experience=6,
        department="Product",
    )
    roster = Roster(people=(ana, bo, cy), has_skills=True, has_wants=True)
    model = score_roster(roster)
    total = model.dense()
    assert total[0, 1] == pytest.approx(2.25)
    assert total[1, 2] == pytest.approx(1.00)
    assert total[0, 2] == pytest.approx(-9.40)

    trio = match(model, ["E001", "E002", "E003"]).groups
    assert [g.members for g in trio] == [(0, 1, 2)]
    left = match(model, ["E001", "E002", "E003"], odd="leave-out")
    assert [g.members for g in left.groups] == [(0, 1)]
    assert [u.index for u in left.unmatched] == [2]


def test_with_skills_but_no_wants_column_people_want_what_they_cannot_teach():
    ana = person("ana", "Eng", ["Python", "SQL"])
    bo = person("bo", "Sales", ["negotiation", "python"])
    roster = Roster(people=(ana, bo), has_skills=True)
    scores = score_roster(roster)
    assert taught(scores, 0, 1) == 1 and taught(scores, 1, 0) == 1
    assert lesson(ana, bo, roster) == ("SQL",)
    assert lesson(bo, ana, roster) == ("negotiation",)


def test_with_wants_but_no_skills_column_people_teach_their_specialty():
    ana = person("ana", "Engineering", wants=["sales"])
    bo = person("bo", "Sales", wants=["Engineering", "Legal"])
    roster = Roster(people=(ana, bo), has_wants=True)
    scores = score_roster(roster)
    assert taught(scores, 0, 1) == 1 and taught(scores, 1, 0) == 1
    assert lesson(ana, bo, roster) == ("Engineering",)


def test_composed_and_decomposed_accents_are_one_specialty():
    a = person("a", "D\u00e9veloppement", ["x"], ["y"])
    b = person("b", "De\u0301veloppement", ["y"], ["x"])
    total = score_roster(Roster(people=(a, b), has_skills=True, has_wants=True)).dense()
    assert total[0, 1] < 0  # the same specialty, so penalised
