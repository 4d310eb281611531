"""Turn a pairing into the report every output renders: lessons, notes, metrics, baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations, permutations

from pairctl.core.matching import OddRule, group_score, random_pairing
from pairctl.core.model import Pairing, Person, Roster, fold
from pairctl.core.report import GroupView, Lesson, Metrics, RunReport
from pairctl.core.scoring import Scores, lesson


def _shares_specialty(people: Sequence[Person]) -> bool:
    specs = [fold(p.specialty) for p in people]
    return any(x and x == y for x, y in combinations(specs, 2))


def _everyone_teaches_and_learns(scores: Scores, members: Sequence[int]) -> bool:
    t = scores.teaches
    return all(
        any(t[x, y] > 0 for y in members if y != x) and any(t[y, x] > 0 for y in members if y != x)
        for x in members
    )


def metrics(
    roster: Roster, scores: Scores, groups: Sequence[Sequence[int]], unmatched: int
) -> Metrics:
    """Headline figures of any grouping of the roster (the real one or the baseline)."""
    people = roster.people
    n_groups = len(groups)
    links = [(x, y) for g in groups for x, y in combinations(g, 2)]
    total = sum(group_score(scores.total, g) for g in groups)

    def pct(count: int) -> float:
        return 100.0 * count / n_groups if n_groups else 0.0

    return Metrics(
        people=len(people),
        pairs=sum(1 for g in groups if len(g) == 2),
        trios=sum(1 for g in groups if len(g) == 3),
        unmatched=unmatched,
        cross_specialty_pct=pct(
            sum(1 for g in groups if not _shares_specialty([people[i] for i in g]))
        ),
        both_teach_pct=pct(sum(1 for g in groups if _everyone_teaches_and_learns(scores, g))),
        mean_score=total / len(links) if links else 0.0,
        total_score=total,
    )


def same_specialty_links(roster: Roster, groups: Sequence[Sequence[int]]) -> int:
    """How many two-person links inside groups join people of one specialty."""
    specs = [fold(p.specialty) for p in roster.people]
    return sum(
        1 for g in groups for x, y in combinations(g, 2) if specs[x] and specs[x] == specs[y]
    )


def fewest_same_specialty_links(roster: Roster, odd: OddRule = "trio") -> int:
    """The fewest same-specialty links any pairing of this roster allows.

    Only a specialty holding more than half the people forces them: its surplus over
    everyone else must pair among itself. An odd surplus (an odd head-count) under the trio
    rule leaves one of them to join a pair, adding one more link (two if nobody else exists).
    """
    counts = Counter(fold(p.specialty) for p in roster.people if fold(p.specialty))
    if not counts:
        return 0
    largest = max(counts.values())
    n = len(roster.people)
    surplus = largest - (n - largest)
    if surplus <= 0:
        return 0
    if surplus % 2 and odd == "trio":
        return surplus // 2 + (2 if largest == n else 1)
    return surplus // 2


def _notes(roster: Roster, scores: Scores, members: Sequence[int]) -> tuple[str, ...]:
    people = [roster.people[i] for i in members]
    notes = []
    if len(members) == 3:
        notes.append("trio")
    if _shares_specialty(people):
        notes.append("same specialty")
    t = scores.teaches
    if not any(t[x, y] > 0 for x, y in permutations(members, 2)):
        notes.append("nobody teaches: no skill wanted either way")
    elif not _everyone_teaches_and_learns(scores, members):
        notes.append("one-way")
    return tuple(notes)


def build_report(
    roster: Roster,
    scores: Scores,
    pairing: Pairing,
    *,
    odd: OddRule,
    run_info: Sequence[tuple[str, str]],
) -> RunReport:
    """Everything a run shows or writes, computed once."""
    people = roster.people
    views = []
    for number, g in enumerate(pairing.groups, start=1):
        members = tuple(people[i] for i in g.members)
        lessons = tuple(
            Lesson(
                teacher=people[x].key,
                learner=people[y].key,
                skills=lesson(people[x], people[y], roster),
            )
            for x, y in permutations(g.members, 2)
        )
        views.append(
            GroupView(
                number=number,
                members=members,
                lessons=lessons,
                score=g.score,
                notes=_notes(roster, scores, g.members),
            )
        )

    groups = [g.members for g in pairing.groups]
    result = metrics(roster, scores, groups, len(pairing.unmatched))
    baseline_groups = random_pairing(len(people), seed=pairing.seed, odd=odd)
    baseline = metrics(
        roster, scores, baseline_groups, len(people) - sum(len(g) for g in baseline_groups)
    )

    warnings = list(roster.warnings)
    same = same_specialty_links(roster, groups)
    if same:
        fewest = fewest_same_specialty_links(roster, odd)
        warnings.append(
            f"{same} same-specialty link(s) in the groups; the fewest this roster allows is "
            f"{fewest}" + (" (one specialty holds more than half the people)" if fewest else "")
        )
    for u in pairing.unmatched:
        warnings.append(f"{people[u.index].key} is not paired: {u.reason}")

    return RunReport(
        groups=tuple(views),
        unmatched=tuple((people[u.index], u.reason) for u in pairing.unmatched),
        metrics=result,
        baseline=baseline,
        run_info=tuple(run_info),
        warnings=tuple(warnings),
        solver=pairing.solver,
        seed=pairing.seed,
    )


def scoring_basis(roster: Roster) -> str:
    """In words: what 'A can teach B' meant for this roster (docs/scoring.md)."""
    teach = "skills" if roster.has_skills else "their specialty (no skills column)"
    want = (
        "wants to learn"
        if roster.has_wants
        else "whatever they cannot teach themselves (no wants column)"
    )
    return f"people teach {teach}; they want {want}"


def run_info_rows(
    roster: Roster,
    *,
    weights_text: str,
    seed: int,
    solver: str,
    odd: OddRule,
    version: str,
    run_at: str,
) -> list[tuple[str, str]]:
    """The Run info sheet: enough to trace a sheet back to its exact input and settings."""
    m = roster.mapping
    rows = [
        ("Input", roster.source),
        ("Input SHA-256", roster.sha256),
        ("Sheet", roster.sheet or "(CSV: single table)"),
        ("Header row", str(roster.header_row)),
        ("People read", str(len(roster.people))),
        ("Person key", f"{roster.key_field} (column {m.fields.get(roster.key_field, '?')!r})"),
    ]
    rows += [(f"Column for {name}", column) for name, column in m.fields.items()]
    rows += [
        ("Blind columns (never scored)", ", ".join(m.blind) or "(none)"),
        ("Other columns not used", ", ".join(m.unused) or "(none)"),
        ("Scoring basis", scoring_basis(roster)),
        ("Seed", str(seed)),
        ("Solver", solver),
        ("Odd head-count", odd),
        ("Weights", weights_text),
        ("pairctl version", version),
        ("Run at", run_at),
    ]
    return rows
