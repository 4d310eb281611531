"""Spellings that look like one skill or specialty: suggestions for the coordinator.

Folding (`pairctl.core.vocabulary`) already makes case, spaces, punctuation and the
vocabulary's aliases count as one. What it leaves apart is what this module *suggests*:
`Kubernets` / `Kubernetes`, `Data sciences` / `Data science`, `ML` / `Machine learning`,
`Learning machine` / `Machine learning`, `Software Engineer` / `Software engineering`.
Nothing is merged here: the coordinator copies a suggestion into the settings file.

Five rules, each over whole words, each a dictionary look-up, so the work is linear in the
number of spellings (no loop over all pairs of terms):

- **one letter apart**: one word differs by one insertion, deletion, substitution or swap of
  two adjacent letters (optimal string alignment distance 1), every other word is equal, the
  two words start with the same letter and are at least 5 letters long; a substitution needs
  6 (in five-letter words it too often makes another real name: Scala/Scale, Julia/Julie,
  Excel/Expel), and a changed digit never counts (Web2/Web3 are versions, not typos).
  Candidates come from a symmetric-deletion index: two words one edit apart always share the
  word itself or one of its one-letter deletions, so indexing each word under those (L + 1
  keys for a word of L letters) finds every candidate without comparing pairs, and the exact
  distance is then checked on the few that share a key. That is all a fuzzy-matching library
  would add here, for a new dependency and with scores in place of an exact, explainable rule.
- **initials**: a one-word term of 2 to 6 letters, written in capitals somewhere in the roster
  (initialisms are: `NLP`; words are not: `Go`, `Art`), equals the initials of a term of two or
  more words, with or without "and", "of", "for", "the"; only when exactly one term has them
  (`PM` stays unsuggested next to both Product and Project management), counting a term and
  the look-alikes the other rules found for it as one.
- **singular/plural**: one word with `s`, `es` or `ies` for `y`, singular at least 3 letters;
  `s` is never added after an `s` (SAS and Sass are two tools).
- **role vs field**: the last word differs only as in `ROLE_FORMS` (engineer/engineering, ...),
  a short explicit table, not a stemmer.
- **word order**: the same two or more words in another order.

Pairs are joined into groups (union-find), each term only to its most-written look-alike among
those more written than itself, so that a misspelling between two real names (AngularJ between
Angular and AngularJS) cannot chain them; and a join is refused when the group would hold two
terms a guard calls distinct: two canonical names of the vocabulary (the
settings or the built-in list already keep them apart), a pair in `LOOK_ALIKE_BUT_DISTINCT`, or
a group the settings list as `[vocabulary] distinct`. Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pairctl.core.vocabulary import Lookup, term_words

_MIN_EDITED = 5
_LONGEST_WORD = 40
_MOST_WORDS = 12
_MIN_SUBSTITUTED = 6
_MIN_SINGULAR = 3
_INITIALS = range(2, 7)
_SKIPPED = frozenset({"and", "of", "for", "the"})

ROLE_FORMS: tuple[tuple[str, ...], ...] = (
    ("engineer", "engineering"),
    ("developer", "development"),
    ("designer", "design"),
    ("manager", "management"),
    ("marketer", "marketing"),
    ("analyst", "analysis", "analytics"),
    ("consultant", "consulting"),
    ("tester", "testing"),
    ("programmer", "programming"),
    ("architect", "architecture"),
    ("administrator", "administration"),
    ("accountant", "accounting"),
    ("recruiter", "recruiting", "recruitment"),
    ("researcher", "research"),
    ("scientist", "science"),
    ("writer", "writing"),
    ("editor", "editing"),
    ("trainer", "training"),
    ("planner", "planning"),
    ("strategist", "strategy"),
    ("economist", "economics"),
    ("statistician", "statistics"),
)
"""Last words that name a role and its field; a term ending in one form looks like the same
term ending in another of its row (`Data scientist` / `Data science`)."""

LOOK_ALIKE_BUT_DISTINCT: tuple[tuple[str, str], ...] = (
    ("Design systems", "Systems design"),
    ("Operations research", "Research operations"),
    ("Business analysis", "Business analytics"),
    ("Scala", "Scale"),
)
"""Real, different things that the rules above would otherwise call one: never grouped."""

_RULES = ("one letter apart", "singular/plural", "role/field", "word order", "initials")
_ROLE_OF = {form: row for row in ROLE_FORMS for form in row}


@dataclass(frozen=True)
class Spelling:
    """One term as the roster writes it."""

    text: str
    """The term's most-written spelling, as first written in the roster (trimmed)."""
    people: int
    """How many people wrote a spelling counted as this term."""


@dataclass(frozen=True)
class LookAlike:
    """Terms that look like one: a suggestion, never merged by pairctl itself."""

    kind: str
    """"skills" or "specialties"."""
    name: str
    """The suggested canonical name: the spelling most people wrote (ties: the longer, then
    alphabetical), or the vocabulary's own name when one term already has one."""
    spellings: tuple[Spelling, ...]
    """Every term in the group, the name first, then by people, most first."""
    why: str
    """The rules that joined them, e.g. "one letter apart; singular/plural", or for the
    role/field rule the two forms: "engineer/engineering"."""

    @property
    def people(self) -> int:
        """How many people wrote any spelling in the group."""
        return sum(s.people for s in self.spellings)


@dataclass
class _Term:
    key: str
    text: str
    people: int = 0
    words: set[tuple[str, ...]] = field(default_factory=set)
    capitals: bool = False
    known: bool = False
    name: str = ""
    """The vocabulary's name for this term, if it has one."""


def osa_distance(a: str, b: str) -> int:
    """The optimal string alignment distance: insertions, deletions, substitutions and swaps
    of two adjacent characters, no substring edited twice (`ca` -> `abc` is 3, not 2)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] * (len(b) + 1)
        left = i
        for j, y in enumerate(b, 1):
            # Plain comparisons, not min(): this is the hot loop of `look_alikes`.
            best = previous[j - 1] + (x != y)
            if previous[j] + 1 < best:
                best = previous[j] + 1
            if left + 1 < best:
                best = left + 1
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y and before[j - 2] + 1 < best:
                best = before[j - 2] + 1
            current[j] = left = best
        before, previous = previous, current
    return previous[-1]


def look_alikes(
    kind: str,
    written: Mapping[str, int],
    lookup: Lookup,
    *,
    distinct: Iterable[Iterable[str]] = (),
) -> list[LookAlike]:
    """Groups of terms that look like one skill or specialty (see the module docstring).

    `written` maps each spelling as written to how many people wrote it; spellings the
    `lookup` already counts as one are one term. `distinct` holds groups of spellings (the
    settings' `[vocabulary] distinct`) never grouped with each other. Sorted by people, most
    first, then by name.
    """
    terms = _terms(written, lookup)
    index = {term.key: i for i, term in enumerate(terms)}
    apart: dict[int, set[int]] = defaultdict(set)
    for group in (*LOOK_ALIKE_BUT_DISTINCT, *distinct):
        found = sorted({index[k] for k in map(lookup.key, group) if k in index})
        for i in found:
            apart[i].update(j for j in found if j != i)
    groups = _Groups(terms, apart)
    joined = [
        (rule, a, b)
        for rules, a, b in _parents(terms, _pairs(terms))
        if groups.join(a, b)
        for rule in rules
    ]
    # Initials last: terms the other rules joined (a name and its typos) count as one.
    for short, targets in sorted(_initials(terms), key=lambda p: terms[p[0]].key):
        if len({groups.find(t) for t in targets}) == 1:
            target = min(targets, key=lambda t: (-terms[t].people, terms[t].key))
            if groups.join(short, target):
                joined.append(("initials", short, target))
    reasons: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for rule, a, b in joined:
        shown = _role_forms(terms[a], terms[b]) if rule == "role/field" else rule
        reasons[groups.find(a)].add((_RULES.index(rule), shown))
    found_groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(terms)):
        found_groups[groups.find(i)].append(i)
    result = []
    for root, members in found_groups.items():
        if len(members) > 1:
            result.append(_look_alike(kind, [terms[i] for i in members], reasons[root]))
    return sorted(result, key=lambda g: (g.kind, -g.people, g.name))


def _terms(written: Mapping[str, int], lookup: Lookup) -> list[_Term]:
    """One entry per canonical form, in the order first written."""
    terms: dict[str, _Term] = {}
    best: dict[str, int] = {}
    for text, people in written.items():
        key = lookup.key(text)
        if not key:
            continue
        term = terms.get(key)
        if term is None:
            # Only a name the coordinator or the built-in list chose guards; a name learned
            # from the roster's brackets is as open to doubt as any other spelling.
            known = lookup.origin.get(key) in ("settings", "built-in") and key in lookup.names
            term = terms[key] = _Term(key, text.strip(), known=known)
            best[key] = people
            if key in lookup.names:
                term.name = lookup.names[key]
                term.words.add(term_words(term.name))
        elif people > best[key]:
            term.text, best[key] = text.strip(), people
        term.people += people
        term.words.add(term_words(text))
        letters = [c for c in text if c.isalpha()]
        term.capitals |= bool(letters) and all(c.isupper() for c in letters)
    return list(terms.values())


def _parents(
    terms: list[_Term], pairs: Iterable[tuple[str, int, int]]
) -> list[tuple[set[str], int, int]]:
    """(rules, term, the term it joins): each term joins only its most-written look-alike among
    those more written than itself, in the order the joins are tried (most people first).

    Joining every pair would chain two real names through a misspelling between them
    (Angular - AngularJ - AngularJS); a misspelling is rarer than what it misspells, so joining
    each term to one heavier neighbour makes a forest of misspellings around the spellings most
    people wrote, and two real names meet only when they look alike themselves."""

    def weight(i: int) -> tuple[int, str]:
        return (terms[i].people, terms[i].key)

    rules: dict[tuple[int, int], set[str]] = defaultdict(set)
    for rule, a, b in pairs:
        rules[(a, b) if weight(a) < weight(b) else (b, a)].add(rule)
    parent: dict[int, int] = {}
    for light, heavy in rules:
        if light not in parent or weight(heavy) > weight(parent[light]):
            parent[light] = heavy
    joins = [(rules[(light, heavy)], light, heavy) for light, heavy in parent.items()]
    return sorted(joins, key=lambda j: (-weight(j[2])[0], -weight(j[1])[0], weight(j[1])[1]))


def _pairs(terms: list[_Term]) -> set[tuple[str, int, int]]:
    """Every (rule, term, term) that one of the rules finds, the smaller index first."""
    found: set[tuple[str, int, int]] = set()

    def add(rule: str, a: int, b: int) -> None:
        if a != b:
            found.add((rule, min(a, b), max(a, b)))

    by_words: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, term in enumerate(terms):
        for words in term.words:
            # A pasted paragraph is no skill name, and its deletion variants would cost the
            # square of its length: such spellings are never suggested as look-alikes.
            if len(words) <= _MOST_WORDS and all(len(w) <= _LONGEST_WORD for w in words):
                by_words[words].add(i)
    for rule, buckets in (
        ("one letter apart", _edited(by_words)),
        ("role/field", _roles(by_words)),
        ("word order", _orders(by_words)),
    ):
        for bucket in buckets:
            members = sorted(bucket)
            for j, a in enumerate(members):
                for b in members[j + 1 :]:
                    add(rule, a, b)
    for words, i in _plurals(by_words):
        for j in by_words[words]:
            add("singular/plural", i, j)
    return found


def _edited(by_words: Mapping[tuple[str, ...], set[int]]) -> list[set[int]]:
    """Sets of terms that are one edit apart in one word (see the module docstring)."""
    index: dict[tuple[tuple[str, ...], str], set[tuple[str, int]]] = defaultdict(set)
    for words, terms in by_words.items():
        for at, word in enumerate(words):
            if len(word) < _MIN_EDITED:
                continue
            context = (*words[:at], "", *words[at + 1 :])
            for variant in {word, *(word[:k] + word[k + 1 :] for k in range(len(word)))}:
                for term in terms:
                    index[(context, variant)].add((word, term))
    pairs = []
    # Two words one edit apart share several keys: check each pair of words once.
    checked: dict[tuple[str, str], bool] = {}
    for entries in index.values():
        if len({term for _, term in entries}) < 2:
            continue
        for first in entries:
            for second in entries:
                if first[1] >= second[1]:
                    continue
                words = (first[0], second[0])
                close = checked.get(words)
                if close is None:
                    close = checked[words] = _one_edit(*words)
                if close:
                    pairs.append({first[1], second[1]})
    return pairs


def _one_edit(a: str, b: str) -> bool:
    """Whether two words count as one letter apart (the first rule)."""
    if min(len(a), len(b)) < _MIN_EDITED or a[0] != b[0] or _singular_plural(a, b):
        return False
    # Cheap shape checks first, so the exact distance runs only on likely pairs.
    if len(a) == len(b):
        at = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(at) == 2 and at[1] == at[0] + 1 and a[at[0]] == b[at[1]]
        if len(at) > 2 or (not swapped and len(a) < _MIN_SUBSTITUTED):
            return False
        changed = "".join(a[k] + b[k] for k in at)
    else:
        short, long = sorted((a, b), key=len)
        pairs = enumerate(zip(short, long, strict=False))
        first = next((k for k, (x, y) in pairs if x != y), len(short))
        if short[first:] != long[first + 1 :]:
            return False
        changed = long[first]
    return changed.isalpha() and osa_distance(a, b) == 1


def _singulars(word: str) -> set[str]:
    found = set()
    if word.endswith("ies"):
        found.add(word[:-3] + "y")
    if word.endswith("es"):
        found.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        found.add(word[:-1])
    return {s for s in found if len(s) >= _MIN_SINGULAR and s.isalpha()}


def _singular_plural(a: str, b: str) -> bool:
    return a in _singulars(b) or b in _singulars(a)


def _plurals(
    by_words: Mapping[tuple[str, ...], set[int]],
) -> list[tuple[tuple[str, ...], int]]:
    """(singular words, plural term) for every term with one plural word whose singular the
    roster also writes."""
    found: list[tuple[tuple[str, ...], int]] = []
    for words, terms in by_words.items():
        for at, word in enumerate(words):
            for singular in _singulars(word):
                other = (*words[:at], singular, *words[at + 1 :])
                if other in by_words:
                    found.extend((other, term) for term in terms)
    return found


def _role_forms(a: _Term, b: _Term) -> str:
    """The two last words that made a role/field pair, in table order: 'engineer/engineering'."""
    for x in a.words:
        for y in b.words:
            row = _ROLE_OF.get(x[-1]) if x and y and x[:-1] == y[:-1] else None
            if row is not None and x[-1] != y[-1] and y[-1] in row:
                return "/".join(sorted((x[-1], y[-1]), key=row.index))
    return "role/field"


def _roles(by_words: Mapping[tuple[str, ...], set[int]]) -> list[set[int]]:
    buckets: dict[tuple[tuple[str, ...], tuple[str, ...]], set[int]] = defaultdict(set)
    for words, terms in by_words.items():
        row = _ROLE_OF.get(words[-1]) if words else None
        if row is not None:
            buckets[(words[:-1], row)].update(terms)
    return list(buckets.values())


def _orders(by_words: Mapping[tuple[str, ...], set[int]]) -> list[set[int]]:
    buckets: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for words, terms in by_words.items():
        if len(words) >= 2:
            buckets[tuple(sorted(words))].update(terms)
    return list(buckets.values())


def _initials(terms: list[_Term]) -> list[tuple[int, set[int]]]:
    """(initialism, the terms of two or more words that have those initials)."""
    spelled: dict[str, set[int]] = defaultdict(set)
    for i, term in enumerate(terms):
        for words in term.words:
            kept = [w for w in words if w not in _SKIPPED]
            for chosen in (words, kept):
                if len(chosen) >= 2:
                    spelled["".join(w[0] for w in chosen)].add(i)
    found = []
    for i, term in enumerate(terms):
        short = term.key
        if term.known or not term.capitals or len(short) not in _INITIALS or not short.isalpha():
            continue
        if not any(len(words) == 1 for words in term.words):
            continue
        targets = spelled.get(short, set()) - {i}
        if targets:
            found.append((i, targets))
    return found


class _Groups:
    """Union-find over term indices that refuses a join two guarded terms would share."""

    def __init__(self, terms: list[_Term], apart: Mapping[int, set[int]]) -> None:
        self._parent = list(range(len(terms)))
        self._known = [int(t.known) for t in terms]
        self._guarded = [({i} if i in apart else set()) for i in range(len(terms))]
        self._apart = apart

    def find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        """Join the groups of `a` and `b`; False when a guard forbids it or they are one."""
        a, b = self.find(a), self.find(b)
        if a == b or (self._known[a] and self._known[b]):
            return False
        if any(self._apart[i] & self._guarded[b] for i in self._guarded[a]):
            return False
        a, b = min(a, b), max(a, b)
        self._parent[b] = a
        self._known[a] += self._known[b]
        self._guarded[a] |= self._guarded[b]
        return True


def _look_alike(kind: str, members: list[_Term], rules: set[tuple[int, str]]) -> LookAlike:
    def rank(term: _Term) -> tuple[int, int, int, str]:
        return (-term.known, -term.people, -len(term.text), term.text)

    ordered = sorted(members, key=rank)
    name = ordered[0]
    rest = sorted(ordered[1:], key=lambda t: (-t.people, -len(t.text), t.text))
    return LookAlike(
        kind=kind,
        # A settings entry under any other name would split the vocabulary's own entry.
        name=name.name if name.known else name.text,
        spellings=tuple(Spelling(t.text, t.people) for t in (name, *rest)),
        why="; ".join(shown for _, shown in sorted(rules)),
    )


__all__ = [
    "LOOK_ALIKE_BUT_DISTINCT",
    "ROLE_FORMS",
    "LookAlike",
    "Spelling",
    "look_alikes",
    "osa_distance",
]
