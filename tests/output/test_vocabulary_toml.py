"""The look-alike suggestions as TOML: commented out, and valid once uncommented."""

from __future__ import annotations

import tomllib

from pairctl.core.spellings import LookAlike, Spelling, look_alikes
from pairctl.core.vocabulary import VocabularyTable, build_vocabulary
from pairctl.output.vocabulary_toml import toml_string, vocabulary_block


def uncommented(text: str) -> str:
    """`text` with every suggested entry switched on, as the coordinator would."""
    return "\n".join(line[2:] if line.startswith('# "') else line for line in text.splitlines())


def group(kind: str, *spellings: tuple[str, int], why: str = "one letter apart") -> LookAlike:
    return LookAlike(
        kind=kind,
        name=spellings[0][0],
        spellings=tuple(Spelling(t, n) for t, n in spellings),
        why=why,
    )


SOFTWARE = group(
    "specialties",
    ("Software engineering", 12),
    ("Software Engineer", 3),
    why="engineer/engineering",
)
KUBERNETES = group("skills", ("Kubernetes", 10), ("Kubernets", 2), ("Kubernetess", 1))


def test_entries_are_commented_out_with_counts_and_why() -> None:
    text = vocabulary_block([KUBERNETES, SOFTWARE], "roster.xlsx")
    assert "Nothing is merged" in text.splitlines()[1]
    assert "roster.xlsx" in text.splitlines()[0]
    assert "pairctl.toml" in text
    assert (
        '# "Software engineering" = ["Software Engineer"]   # 12 people wrote '
        '"Software engineering", 3 "Software Engineer"; why: engineer/engineering'
    ) in text.splitlines()
    assert (
        '# "Kubernetes" = ["Kubernets", "Kubernetess"]   # 10 people wrote "Kubernetes", '
        '2 "Kubernets", 1 "Kubernetess"; why: one letter apart'
    ) in text.splitlines()
    # As written, nothing is on: both tables parse, empty.
    assert tomllib.loads(text) == {"vocabulary": {"skills": {}, "specialties": {}}}


def test_uncommented_it_is_the_settings_shape() -> None:
    text = uncommented(vocabulary_block([KUBERNETES, SOFTWARE], "roster.csv"))
    assert tomllib.loads(text) == {
        "vocabulary": {
            "skills": {"Kubernetes": ["Kubernets", "Kubernetess"]},
            "specialties": {"Software engineering": ["Software Engineer"]},
        }
    }


def test_one_person_and_no_suggestions() -> None:
    text = vocabulary_block([group("skills", ("Pyhton", 1), ("Python", 1))], "r.csv")
    assert '# 1 person wrote "Pyhton", 1 "Python"' in text
    assert "# (no look-alike specialties found)" in text
    empty = vocabulary_block([], "r.csv")
    assert tomllib.loads(uncommented(empty)) == {"vocabulary": {"skills": {}, "specialties": {}}}


HOSTILE = [
    'Say "hi"',
    "back\\slash",
    "new\nline",
    "tab\there",
    "nul\x00bell\x07",
    "del\x7f",
    "esc\x1b[31m",
    "# not a comment ] = [",
    "emoji \U0001f600 and \u00e9",
    "C1 \x85 control",
    "line\u2028separator",
    "bidi \u202eevil\u202c",
    '\'single\' and """triple"""',
]


def test_hostile_spellings_round_trip_through_tomllib() -> None:
    found = [
        group("skills", (text, 2), (text + " 2", 1), why="one letter apart") for text in HOSTILE
    ]
    text = vocabulary_block(found, 'evil"\nname\x7f.csv')
    # Every entry stays on one line, and the source name cannot end the header comment.
    lines = text.splitlines()
    assert all(line.startswith("#") for line in lines[:6])
    assert sum(line.startswith('# "') for line in lines) == len(HOSTILE)
    assert tomllib.loads(text)["vocabulary"]["skills"] == {}
    parsed = tomllib.loads(uncommented(text))["vocabulary"]["skills"]
    assert parsed == {t: [t + " 2"] for t in HOSTILE}


def test_a_lone_surrogate_is_replaced_not_written_broken() -> None:
    text = vocabulary_block([group("skills", ("bad \udc80", 1), ("good", 1))], "r.csv")
    text.encode("utf-8")  # would raise on a surrogate
    assert tomllib.loads(uncommented(text))["vocabulary"]["skills"] == {"bad \ufffd": ["good"]}


def test_toml_string_is_a_basic_string() -> None:
    assert toml_string('C# "sharp"') == '"C# \\"sharp\\""'
    assert tomllib.loads("k = " + toml_string("a\x7fb")) == {"k": "a\x7fb"}
    assert toml_string("\u2028\x85\u202e") == '"\\u2028\\u0085\\u202e"'


def test_suggestions_from_a_roster_fold_as_one_once_accepted() -> None:
    written = {
        "Kubernets": 2,
        "K8s": 10,
        "Software Engineer": 3,
        "Software engineering": 12,
        "Data sciences": 1,
        "Data science": 8,
        "ML": 4,
        "Learning machine": 1,
    }
    lookup = build_vocabulary(skills=written).skills
    found = look_alikes("skills", written, lookup)
    settings = tomllib.loads(uncommented(vocabulary_block(found, "roster.csv")))["vocabulary"]
    accepted = build_vocabulary(VocabularyTable(skills=settings["skills"]), skills=written).skills
    assert len({accepted.key(t) for t in written}) == 4
    assert accepted.key("Kubernets") == accepted.key("K8s") == accepted.key("Kubernetes")
    assert accepted.key("Learning machine") == accepted.key("ML")
    # Once accepted, nothing is suggested again.
    assert look_alikes("skills", written, accepted) == []
