"""`validate`'s findings read right for one and for many."""

from __future__ import annotations

from pairctl.core.model import ColumnMapping, Person, Roster
from pairctl.core.validation import check_roster
from pairctl.core.words import plural


def roster(*managers: str) -> Roster:
    people = tuple(
        Person(key=f"K{i}", name=f"P{i}", specialty=f"S{i}", manager=m)
        for i, m in enumerate(managers)
    )
    mapping = ColumnMapping(fields={"key": "ID", "manager": "Manager ID"})
    return Roster(people=people, mapping=mapping)


def messages(found, topic: str) -> list[str]:
    return [f.message for f in found if f.topic == topic]


def test_one_unknown_manager_key_is_singular():
    (line,) = messages(check_roster(roster("", "BOSS", "BOSS")), "unknown managers")
    assert line.startswith("1 manager key is not on the roster")


def test_several_unknown_manager_keys_are_plural():
    (line,) = messages(check_roster(roster("X1", "X2", "")), "unknown managers")
    assert line.startswith("2 manager keys are not on the roster")


def test_one_person_read_is_singular():
    assert messages(check_roster(roster("")), "people")[0] == "1 person read"


def test_a_majority_specialty_is_found_by_the_shared_largest_specialty_count():
    spellings = ["Eng", " eng ", "ENG", "Sales"]
    people = tuple(Person(key=f"K{i}", name=f"P{i}", specialty=s) for i, s in enumerate(spellings))
    (line,) = messages(check_roster(Roster(people=people)), "majority specialty")
    assert line == "'Eng' holds 3 of 4 people: 2 of them must pair within it"


def test_plural():
    assert plural(1, "pair") == "1 pair"
    assert plural(0, "pair") == "0 pairs"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1, "person", "people") == "1 person"
