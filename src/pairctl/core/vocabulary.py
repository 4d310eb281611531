"""One vocabulary for skills and specialties: spellings that mean the same thing count as one.

Two layers (docs/scoring.md, "Spellings"):

1. **Folding** (`term_key`): case, spaces, hyphens, underscores and most punctuation, bullets
   and list markers, `&` / `and`, a trailing version number, and a parenthesised part. It never
   touches letters, digits, `#` or `+`, so `C`, `C#`, `C++`, `R` and `Rust` stay apart.
2. **A vocabulary** (`Vocabulary`): a canonical name and its other spellings, from the
   settings file, from a short built-in list of unambiguous abbreviations, and from the roster
   itself where someone wrote an alias in brackets (`Machine learning (ML)`).

Pure: no I/O. The settings reader fills a `VocabularyTable`; `build_vocabulary` checks it and
makes the lookups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

# A leading bullet or list marker: "• GDPR", "- Python", "1. Excel", "a) SQL".
# A letter marker needs its bracket ("a) SQL"): "C. Sharp" may be a name.
_MARKER = re.compile(
    r"^\s*(?:[\u2022\u00b7\u25e6\u25aa\u25ab\u2023\u2219\u25cf\u25cb\u25a0\u25a1\u25ba\u25b8\u27a2\u27a4\u2713\u2714*\-\u2013\u2014]+\s*|\(?\d{1,2}[.)]\s+|\(?[a-z]\)\s+)"
)
_BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
# Everything but letters, digits, '#', '+' and '&' separates words. '#' and '+' make C# and C++;
# '&' is read as "and".
_SEPARATORS = re.compile(r"[^\w#+&]+|_+")
# A last word that is a version: " 3", " 3.11", " v2", " 2016", " 8+", " 3.x".
# Not " 9001" or " 27001" (ISO 9001 and ISO 27001 are two standards), nor " 16" (IFRS 16):
# one digit, a v-number or a year, each with dotted parts.
_VERSION = re.compile(r"(?<=\S)\s+(?:[vV]\d+|\d|(?:19|20)\d\d)(?:\.\d+)*(?:\.[xX])?\+?\s*$")
_LONGEST_ALIAS = 6


def term_words(text: str) -> tuple[str, ...]:
    """The words of a skill or specialty as it is compared, before the vocabulary applies.

    NFKC-normalised and case-folded; a leading bullet or list marker dropped; anything in
    brackets dropped (see `bracketed` for how it is used); `&` read as "and"; every character
    other than a letter, a digit, `#` or `+` a word break.
    """
    # NFKC leaves the music sharp sign alone: C♯ is C#.
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u266f", "#")
    folded = _MARKER.sub("", folded, count=1)
    without = _BRACKETS.sub(" ", folded)
    if without.strip():
        folded = without
    return tuple(_SEPARATORS.sub(" ", folded.replace("&", " and ")).split())


def term_key(text: str) -> str:
    """The comparison form of a skill or specialty: its words joined without spaces, so
    `Machine-learning`, `machine learning` and `MachineLearning` are one (see `term_words`)."""
    return "".join(term_words(text))


def unversioned(text: str) -> str:
    """The comparison form of `text` without a last word that is a version number
    (`Python 3`, `Excel 2016`, `Java 1.8` -> `python`, `excel`, `java`), or '' when it has none.
    Used only where the roster also writes the bare name (`_learn`): `Skill 1` and `Skill 2`
    alone stay two skills."""
    plain = _BRACKETS.sub(" ", text)
    found = _VERSION.search(plain)
    return "" if found is None else term_key(plain[: found.start()])


def bracketed(text: str) -> tuple[str, ...]:
    """The comparison forms of what `text` holds in brackets: `Machine learning (ML)` -> ('ml',)."""
    return tuple(k for k in map(term_key, _bracketed_text(text)) if k)


def _bracketed_text(text: str) -> list[str]:
    """What `text` holds in brackets, as written (NFKC-normalised)."""
    found: list[str] = _BRACKETS.findall(unicodedata.normalize("NFKC", text))
    return found


def is_abbreviation(short: str, long: str) -> bool:
    """Whether comparison form `short` can abbreviate `long`: 2 to 6 characters, starting with
    the same letter and spelled by letters of `long` in order (`ml` for `machinelearning`,
    `js` for `javascript`, `mgmt` for `management`; not `advanced` for `excel`)."""
    if not 2 <= len(short) <= _LONGEST_ALIAS or len(short) >= len(long) or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(letter in rest for letter in short)


BUILT_IN: Mapping[str, tuple[str, ...]] = {
    "Amazon Web Services": ("AWS",),
    "Artificial intelligence": ("AI",),
    "Business intelligence": ("BI",),
    "C#": ("C sharp", "CSharp"),
    "C++": ("CPP",),
    "Excel": ("MS Excel", "Microsoft Excel"),
    "Go": ("Golang",),
    "Google Cloud Platform": ("GCP", "Google Cloud"),
    "Human resources": ("HR",),
    "JavaScript": ("JS", "ECMAScript"),
    "Kubernetes": ("K8s",),
    "Machine learning": ("ML",),
    "Natural language processing": ("NLP",),
    "Object-oriented programming": ("OOP",),
    "PostgreSQL": ("Postgres",),
    "PowerPoint": ("MS PowerPoint", "Microsoft PowerPoint"),
    "Quality assurance": ("QA",),
    "React": ("React.js", "ReactJS"),
    "Search engine optimisation": ("SEO", "Search engine optimization"),
    "SQL": ("Structured query language",),
    "TypeScript": ("TS",),
    "User experience": ("UX",),
    "User interface": ("UI",),
    "Vue": ("Vue.js", "VueJS"),
    "Word": ("MS Word", "Microsoft Word"),
}
"""Abbreviations and vendor spellings that mean one thing wherever skills are listed. Each is
on by default (`[vocabulary] builtin = false` turns them off) and listed by
`pairctl vocabulary --built-in`. Ambiguous ones (PM, PR, CV, DL, TF) are left out on purpose."""


@dataclass(frozen=True)
class VocabularyTable:
    """What a settings file says about spellings (`[vocabulary]` in pairctl.toml)."""

    skills: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Canonical skill name -> its other spellings."""
    specialties: Mapping[str, Sequence[str]] = field(default_factory=dict)
    related: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Group name -> skills that earn partial credit for each other."""
    built_in: bool = True
    distinct: tuple[tuple[str, ...], ...] = ()
    """Groups of spellings that look alike but are not the same: never suggested as one."""


@dataclass(frozen=True)
class Lookup:
    """One kind of term (skills or specialties): comparison form -> canonical form, and the
    name each canonical form is shown with."""

    canonical: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    origin: Mapping[str, str] = field(default_factory=dict)
    """Comparison form -> where its entry came from: 'settings', 'built-in' or 'roster'."""
    # A roster repeats the same few thousand spellings across many rows: fold each once.
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def key(self, text: str) -> str:
        """The canonical comparison form of `text` ('' for a blank one)."""
        found = self._seen.get(text)
        if found is None:
            key = term_key(text)
            found = self._seen[text] = self.canonical.get(key, key)
        return found

    def shown(self, text: str) -> str:
        """`text` as written, followed by its canonical name in brackets when the vocabulary
        maps it to another one: `ML (Machine learning)`."""
        key = term_key(text)
        target = self.canonical.get(key, key)
        if target == key or target not in self.names or target in bracketed(text):
            return text.strip()
        return f"{text.strip()} ({self.names[target]})"


@dataclass(frozen=True)
class Vocabulary:
    """How skills and specialties are compared for one round."""

    skills: Lookup = field(default_factory=Lookup)
    specialties: Lookup = field(default_factory=Lookup)
    related: tuple[frozenset[str], ...] = ()
    """Groups of canonical skill forms that earn partial credit for each other."""
    related_names: tuple[str, ...] = ()
    learned: tuple[tuple[str, str, str], ...] = ()
    """(kind, alias as written, name) for each alias learned from the roster itself:
    ('skills', 'SRE', 'Site reliability engineering'), ('skills', 'Python 3', 'Python')."""
    distinct: tuple[frozenset[str], ...] = ()
    """Groups of comparison forms the settings say are not one (`[vocabulary] distinct`)."""
    built_in: bool = True
    from_settings: int = 0
    """How many spellings the settings file's `[vocabulary]` maps."""

    def describe(self) -> str:
        """One line for Run info: where the spellings that count as one came from."""
        shown = "; ".join(f"{alias!r} = {name!r}" for _, alias, name in self.learned[:5])
        more = len(self.learned) - 5
        shown += f"; and {more} more" if more > 0 else ""
        count = len(self.learned)
        learned = f"{count} learned from the roster ({shown})" if count else "none learned"
        return (
            f"{self.from_settings} spellings from settings; built-in abbreviations "
            f"{'on' if self.built_in else 'off'}; {learned}"
        )

    def describe_related(self) -> str:
        """One line for Run info: the related-skill groups, or '(none)'."""
        return (
            "; ".join(
                f"{name}: {len(group)} skills"
                for name, group in zip(self.related_names, self.related, strict=True)
            )
            or "(none)"
        )


@cache
def default_vocabulary() -> Vocabulary:
    """Folding and the built-in list, with no settings and nothing learned."""
    return build_vocabulary()


class VocabularyProblem(ValueError):
    """A settings vocabulary that contradicts itself; the message names the entry."""


def build_vocabulary(
    table: VocabularyTable | None = None,
    skills: Iterable[str] = (),
    specialties: Iterable[str] = (),
) -> Vocabulary:
    """The vocabulary for a roster whose items are `skills` and `specialties` as written.

    Precedence: the settings' entries, then the built-in list, then aliases the roster writes
    in brackets. Raises `VocabularyProblem` when the settings map one spelling to two names.
    """
    table = table or VocabularyTable()
    built_in = BUILT_IN if table.built_in else {}
    skill_lookup, skill_learned = _lookup(
        "skills", table.skills, built_in, skills, "vocabulary.skills"
    )
    specialty_lookup, specialty_learned = _lookup(
        "specialties", table.specialties, built_in, specialties, "vocabulary.specialties"
    )
    groups, names = _related(table.related, skill_lookup)
    return Vocabulary(
        skills=skill_lookup,
        specialties=specialty_lookup,
        related=groups,
        related_names=names,
        learned=(*skill_learned, *specialty_learned),
        distinct=tuple(frozenset(term_key(s) for s in group) for group in table.distinct),
        built_in=table.built_in,
        from_settings=sum(
            1 + len(spellings)
            for t in (table.skills, table.specialties)
            for spellings in t.values()
        ),
    )


def _lookup(
    kind: str,
    given: Mapping[str, Sequence[str]],
    built_in: Mapping[str, Sequence[str]],
    written: Iterable[str],
    where: str,
) -> tuple[Lookup, list[tuple[str, str, str]]]:
    canonical: dict[str, str] = {}
    names: dict[str, str] = {}
    origin: dict[str, str] = {}
    for name, spellings in given.items():
        target = term_key(name)
        if not target:
            raise VocabularyProblem(f"{where}: {name!r} is not a name (nothing left once folded)")
        names.setdefault(target, name.strip())
        for spelling in (name, *spellings):
            key = term_key(spelling)
            if not key:
                raise VocabularyProblem(f"{where}.{name!r}: {spelling!r} is blank once folded")
            if canonical.get(key, target) != target:
                raise VocabularyProblem(
                    f"{where}: {spelling!r} is listed under both {names[canonical[key]]!r} "
                    f"and {name!r}; keep it under one"
                )
            canonical[key] = target
            origin[key] = "settings"
    for name, spellings in built_in.items():
        target = canonical.get(term_key(name), term_key(name))
        names.setdefault(target, name)
        for spelling in (name, *spellings):
            key = term_key(spelling)
            if key not in canonical:
                canonical[key] = target
                origin[key] = "built-in"
    learned = _learn(written, canonical, names, origin, kind)
    return Lookup(canonical=canonical, names=names, origin=origin), learned


def _learn(
    written: Iterable[str],
    canonical: dict[str, str],
    names: dict[str, str],
    origin: dict[str, str],
    kind: str,
) -> list[tuple[str, str, str]]:
    """Aliases the roster itself gives: in brackets, where one abbreviates the other
    (`Machine learning (ML)`), and a version of a name it also writes bare (`Python 3` where
    someone wrote `Python`). An alias two spellings claim for different names is ambiguous and
    learned for neither; a spelling the settings or built-ins map already is left alone."""
    claims: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    # Sorted: which of several spellings is shown must not depend on the order of a set.
    spellings = sorted(set(written))
    keys = {term_key(text) for text in spellings} | set(canonical)
    for text in spellings:
        main = term_key(text)
        base = unversioned(text)
        if base and base in keys:
            claims.setdefault(main, set()).add(canonical.get(base, base))
            shown.setdefault(main, " ".join(text.split()))
        inner = {term_key(part): " ".join(part.split()) for part in _bracketed_text(text)}
        for alias, alias_text in inner.items():
            if not main or not alias or alias == main:
                continue
            main_text = _main_text(text)
            if len(alias) < len(main):
                short, long, short_text, long_text = alias, main, alias_text, main_text
            else:
                short, long, short_text, long_text = main, alias, main_text, alias_text
            if not _learnable(short, long, short_text, long_text):
                continue
            target = canonical.get(long, long)
            claims.setdefault(short, set()).add(target)
            shown.setdefault(short, short_text)
            names.setdefault(target, long_text)
    learned = []
    bare = {term_key(t): " ".join(t.split()) for t in spellings}
    for short, targets in sorted(claims.items()):
        if len(targets) != 1 or short in canonical:
            continue
        (target,) = targets
        canonical[short] = target
        origin[short] = "roster"
        learned.append((kind, shown[short], names.get(target) or bare.get(target, target)))
    return learned


def _learnable(short: str, long: str, short_text: str, long_text: str) -> bool:
    """Whether a bracketed alias may stand for its name roster-wide: the short side written in
    capitals (`ML`, `SRE`, `K8S`) and abbreviating the long side without being the start of
    it or of one of its words (`Java (JavaScript)`, `GitHub (Git)`, `SwiftUI (Swift)` teach
    nothing: those are two skills each)."""
    letters = [c for c in short_text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    if long.startswith(short) or any(w.startswith(short) for w in term_words(long_text)):
        return False
    return is_abbreviation(short, long)


def _main_text(text: str) -> str:
    """`text` without its bracketed part, for showing: 'Machine learning (ML)' -> 'Machine
    learning'."""
    return " ".join(_BRACKETS.sub(" ", _MARKER.sub("", text.strip(), count=1)).split())


def _related(
    given: Mapping[str, Sequence[str]], skills: Lookup
) -> tuple[tuple[frozenset[str], ...], tuple[str, ...]]:
    groups = []
    names = []
    for name, members in given.items():
        keys = frozenset(k for k in (skills.key(m) for m in members) if k)
        if len(keys) < 2:
            raise VocabularyProblem(
                f"vocabulary.related.{name}: a group needs at least two different skills"
            )
        groups.append(keys)
        names.append(name)
    return tuple(groups), tuple(names)
