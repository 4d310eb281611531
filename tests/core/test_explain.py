"""`explain`: verdicts that say what happened, score parts that name people, and finding the
person asked about."""

from __future__ import annotations

import pytest

from pairctl.core.explain import explain, find_person
from pairctl.core.matching import match
from pairctl.core.model import Person, Roster
from pairctl.core.scoring import score_roster
from pairctl.errors import ExitCode, UsageError


def person(key: str, name: str, specialty: str, skills: str, wants: str, **more: object) -> Person:
    return Person(
        key=key,
        name=name,
        specialty=specialty,
        skills=tuple(skills.split(",")),
        wants=tuple(wants.split(",")),
        **more,  # type: ignore[arg-type]
    )


def twins_roster() -> Roster:
    """Ana fits Bo and Cy exactly alike (same skills, wants, specialty, department)."""
    people = (
        person("E1", "Ana Souza", "Eng", "python", "selling", email="ana@example.org"),
        person("E2", "Bo Lind", "Sales", "selling", "python", email="bo@example.org"),
        person("E3", "Cy Marsh", "Sales", "selling", "python", email="cy@example.org"),
        person("E4", "Dee Ray", "HR", "hiring", "hiring", email="dee@example.org"),
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def explained(roster: Roster, key: str) -> tuple[list, list]:
    model = score_roster(roster)
    keys = [p.key for p in roster.people]
    pairing = match(model, keys, seed=0)
    return explain(roster, model, pairing, keys.index(key), {})


def test_a_candidate_scoring_the_same_as_the_chosen_partner_is_called_a_tie():
    chosen, others = explained(twins_roster(), "E1")
    (partner,) = chosen
    assert partner.key in {"E2", "E3"}
    twin = next(o for o in others if o.key in {"E2", "E3"})
    assert twin.score == partner.score
    assert "tie" in twin.verdict
    assert "lower score" not in twin.verdict


def test_a_candidate_scoring_less_is_still_a_lower_score():
    _, others = explained(twins_roster(), "E1")
    dee = next(o for o in others if o.key == "E4")
    assert dee.verdict == "lower score than the chosen partner"


def test_each_part_of_the_score_names_both_people():
    chosen, _ = explained(twins_roster(), "E1")
    (partner,) = chosen
    labels = list(partner.parts)
    other = partner.name
    assert f"Ana Souza teaches {other}" in labels
    assert f"{other} teaches Ana Souza" in labels
    assert f"Ana Souza and {other} both teach" in labels
    assert not any("a teaches b" in label or "b teaches a" in label for label in labels)
    assert sum(partner.parts.values()) == pytest.approx(partner.score)


def test_two_people_of_one_name_are_told_apart_by_key_in_the_parts():
    people = (
        person("K1", "Sam Lee", "Eng", "python", "selling"),
        person("K2", "Sam Lee", "Sales", "selling", "python"),
    )
    roster = Roster(people=people, has_skills=True, has_wants=True)
    (partner,), _ = explained(roster, "K1")
    assert "Sam Lee (K1) teaches Sam Lee (K2)" in partner.parts
    assert "Sam Lee (K2) teaches Sam Lee (K1)" in partner.parts
    assert sum(partner.parts.values()) == pytest.approx(partner.score)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("E2", 1),
        ("  e2 ", 1),
        ("CY@Example.org", 2),
        ("dee ray", 3),
        ("  Ana   SOUZA ", 0),
    ],
)
def test_find_person_by_key_email_or_name_ignoring_case_and_spaces(text, index):
    assert find_person(twins_roster().people, text) == index


def test_find_person_suggests_near_misses_in_one_line():
    with pytest.raises(UsageError) as caught:
        find_person(twins_roster().people, "Ana Sousa")
    message = caught.value.message
    assert "'Ana Sousa'" in message
    assert "did you mean" in message and "Ana Souza (E1)" in message
    assert "\n" not in message
    assert caught.value.exit_code == ExitCode.USAGE


def test_find_person_without_anything_close_suggests_nothing():
    with pytest.raises(UsageError) as caught:
        find_person(twins_roster().people, "NOPE")
    assert "'NOPE'" in caught.value.message
    assert "did you mean" not in caught.value.message


def test_find_person_refuses_a_name_two_people_share_and_names_their_keys():
    people = (*twins_roster().people, person("E5", "Bo Lind", "HR", "hiring", "python"))
    with pytest.raises(UsageError) as caught:
        find_person(people, "bo lind")
    message = caught.value.message
    assert "E2" in message and "E5" in message
    assert "\n" not in message
    # The key still finds either of them.
    assert find_person(people, "E5") == 4
