"""Turn a pairing into the report every output renders: lessons, notes, metrics, baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, permutations

import numpy as np
import numpy.typing as npt

from pairctl.core.attention import count_one_way, count_same_specialty, round_warnings
from pairctl.core.matching import OddRule, random_pairing
from pairctl.core.meeting import LONG_GAP
from pairctl.core.model import Pairing, Person, Roster, fold
from pairctl.core.quality import NOT_MEASURED, Quality
from pairctl.core.report import GroupView, Lesson, Metrics, RunReport
from pairctl.core.scoring import ScoreModel, lesson

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EXPERIENCE_GAP_NOTE = 5.0
"""Years apart from which a group is flagged "experience gap" (reverse mentoring at work)."""


@dataclass(frozen=True)
class GroupFacts:
    """What every group's links say, computed for all groups at once (vectorised)."""

    score: FloatArray
    """Per group: the sum of its links' scores."""
    shares_specialty: BoolArray
    """Per group: two members share a (known) specialty."""
    anyone_teaches: BoolArray
    """Per group: at least one member teaches another something."""
    everyone_teaches_and_learns: BoolArray
    """Per group: every member teaches someone and learns from someone in it."""
    repeats: BoolArray
    """Per group: two members were paired in an earlier round (--history)."""
    gap: FloatArray
    """Per group: the largest gap between two members' clocks, in hours (NaN: unknown)."""
    cross_site: BoolArray
    """Per group: two members work at different known sites."""
    no_language: BoolArray
    """Per group: two members whose languages are known share none."""


def group_facts(model: ScoreModel, groups: Sequence[Sequence[int]]) -> GroupFacts:
    """Scores and teaching flags of every group, from one batch of pair look-ups."""
    group_of, teacher, learner = [], [], []
    for g, members in enumerate(groups):
        for x, y in permutations(members, 2):
            group_of.append(g)
            teacher.append(x)
            learner.append(y)
    gi = np.array(group_of, dtype=np.int64)
    t = np.array(teacher, dtype=np.int64)
    lrn = np.array(learner, dtype=np.int64)
    count = len(groups)
    teaches = model.teach_counts(t, lrn) > 0 if len(t) else np.zeros(0, dtype=bool)
    # Each unordered link appears twice among the ordered ones: halve the sum.
    score = np.zeros(count)
    np.add.at(score, gi, model.pair_scores(t, lrn) / 2 if len(t) else 0.0)
    same = (model.specialty[t] == model.specialty[lrn]) & (model.specialty[t] >= 0)
    shares = np.zeros(count, dtype=bool)
    np.logical_or.at(shares, gi, same)
    anyone = np.zeros(count, dtype=bool)
    np.logical_or.at(anyone, gi, teaches)
    # Per person (each is in one group at most): teaches someone, learns from someone.
    size = model.size
    gives = np.zeros(size, dtype=bool)
    gets = np.zeros(size, dtype=bool)
    np.logical_or.at(gives, t, teaches)
    np.logical_or.at(gets, lrn, teaches)
    everyone = np.ones(count, dtype=bool)
    np.logical_and.at(everyone, gi, gives[t] & gets[t])
    repeats = np.zeros(count, dtype=bool)
    np.logical_or.at(repeats, gi, model.is_repeat(t, lrn))
    # NaN where any link's gap is unknown: fmax would hide it, so unknown links are marked.
    gaps = model.gap(t, lrn) if len(t) else np.zeros(0)
    gap = np.zeros(count)
    np.maximum.at(gap, gi, np.nan_to_num(gaps, nan=0.0))
    unknown = np.zeros(count, dtype=bool)
    np.logical_or.at(unknown, gi, np.isnan(gaps))
    gap[unknown] = np.nan
    cross_site = np.zeros(count, dtype=bool)
    if model.site is not None and len(t):
        np.logical_or.at(
            cross_site,
            gi,
            (model.site[t] != model.site[lrn]) & (model.site[t] >= 0) & (model.site[lrn] >= 0),
        )
    no_language = np.zeros(count, dtype=bool)
    if len(t):
        np.logical_or.at(no_language, gi, model.no_shared_language(t, lrn))
    return GroupFacts(score, shares, anyone, everyone, repeats, gap, cross_site, no_language)


def metrics(
    roster: Roster,
    model: ScoreModel,
    groups: Sequence[Sequence[int]],
    unmatched: int,
    not_taking_part: int = 0,
    facts: GroupFacts | None = None,
) -> Metrics:
    """Headline figures of any grouping of the roster (the real one or the baseline).

    `unmatched` counts everyone in no group, `not_taking_part` those of them out this round;
    `facts`, when the caller has them, are `group_facts(model, groups)`.
    """
    facts = facts if facts is not None else group_facts(model, groups)
    n_groups = len(groups)
    links = sum(len(g) * (len(g) - 1) // 2 for g in groups)
    total = float(facts.score.sum())

    def pct(flags: BoolArray) -> float:
        return 100.0 * float(flags.sum()) / n_groups if n_groups else 0.0

    known = facts.gap[~np.isnan(facts.gap)]

    return Metrics(
        people=len(roster.people),
        pairs=sum(1 for g in groups if len(g) == 2),
        trios=sum(1 for g in groups if len(g) == 3),
        unmatched=unmatched,
        not_taking_part=not_taking_part,
        cross_specialty_pct=pct(~facts.shares_specialty),
        both_teach_pct=pct(facts.everyone_teaches_and_learns),
        mean_score=total / links if links else 0.0,
        total_score=total,
        cross_site=int(facts.cross_site.sum()) if roster.has_sites else None,
        largest_gap=float(known.max()) if len(known) else None,
        far_apart=int((known > LONG_GAP).sum()),
    )


def _notes(
    members: Sequence[Person], facts: GroupFacts, g: int, pinned: bool, unavoidable: bool
) -> tuple[str, ...]:
    """Why this group, in flags a coordinator can repeat to the people in it."""
    notes = ["pinned by the coordinator"] if pinned else []
    if len(members) == 3:
        notes.append("trio")
    if facts.shares_specialty[g]:
        notes.append(
            "same specialty (unavoidable)" if unavoidable and not pinned else "same specialty"
        )
    else:
        notes.append("crosses specialty")
    departments = {fold(p.department) for p in members if p.department.strip()}
    if len(departments) == len(members):
        notes.append("crosses department")
    years = [p.experience for p in members if p.experience is not None]
    if len(years) == len(members) and max(years) - min(years) >= EXPERIENCE_GAP_NOTE:
        notes.append(f"experience gap {max(years) - min(years):g} years")
    if facts.repeats[g]:
        notes.append(
            "repeat from history"
            if pinned
            else "repeat from history (no other partner was possible)"
        )
    if not facts.anyone_teaches[g]:
        notes.append("nobody teaches: no skill wanted either way")
    elif not facts.everyone_teaches_and_learns[g]:
        notes.append("one-way")
    gap = float(facts.gap[g])
    if gap > LONG_GAP:
        notes.append(f"{gap:g} hours apart")
    if facts.cross_site[g]:
        notes.append("crosses site")
    if facts.no_language[g]:
        notes.append("no language in common")
    return tuple(notes)


def build_report(
    roster: Roster,
    model: ScoreModel,
    pairing: Pairing,
    *,
    odd: OddRule,
    run_info: Sequence[tuple[str, str]],
    quality: Quality | None = None,
) -> RunReport:
    """Everything a run shows or writes, computed once."""
    people = roster.people
    groups = [g.members for g in pairing.groups]
    # The two-way penalty only steers the matcher: the figures are what the pairs bring.
    scored = model.requiring_two_way(False)
    facts = group_facts(scored, groups)
    same = count_same_specialty(model, pairing, odd)
    views = []
    for number, g in enumerate(pairing.groups, start=1):
        members = tuple(_as_shown(people[i], roster) for i in g.members)
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
                notes=_notes(members, facts, number - 1, g.pinned, same.unavoidable),
                gap=None if np.isnan(facts.gap[number - 1]) else float(facts.gap[number - 1]),
            )
        )

    absent = {u.index for u in pairing.unmatched if u.absent}
    result = metrics(roster, scored, groups, len(pairing.unmatched), len(absent), facts)
    # Chance pairs the people the matcher could pair, never those out this round.
    taking_part = [i for i in range(len(people)) if i not in absent]
    baseline_groups = [
        [taking_part[j] for j in g]
        for g in random_pairing(len(taking_part), seed=pairing.seed, odd=odd)
    ]
    placed = sum(len(g) for g in baseline_groups)
    # Chance pays no heed to rules or history: judge it on the plain score, or one broken
    # rule (-1,000) would swamp the comparison.
    baseline = metrics(roster, model.plain(), baseline_groups, len(people) - placed, len(absent))

    return RunReport(
        groups=tuple(views),
        unmatched=tuple((people[u.index], u.reason) for u in pairing.unmatched),
        metrics=result,
        baseline=baseline,
        run_info=tuple(run_info),
        warnings=tuple(
            round_warnings(
                roster,
                pairing,
                same,
                facts.repeats.tolist(),
                count_one_way(model, pairing, (~facts.everyone_teaches_and_learns).tolist()),
            )
        ),
        solver=pairing.solver,
        seed=pairing.seed,
        quality=quality or NOT_MEASURED,
        mix=specialty_mix(roster, groups),
        round_date=model.round_date,
        zones=roster.has_zones,
    )


def _as_shown(person: Person, roster: Roster) -> Person:
    """The person as the sheets show them: the specialty as written, and in brackets its
    canonical name where the vocabulary maps it to another ("Software Engineer (Software
    engineering)")."""
    shown = roster.vocabulary.specialties.shown(person.specialty)
    return person if shown == person.specialty else replace(person, specialty=shown)


def specialty_mix(
    roster: Roster, groups: Sequence[Sequence[int]]
) -> tuple[tuple[str, str, int], ...]:
    """How many links inside the groups join each two specialties (spellings the vocabulary
    counts as one shown once, by their canonical name or else the first spelling; a blank
    specialty shows as '(none)')."""
    lookup = roster.vocabulary.specialties
    shown: dict[str, str] = {}
    for p in roster.people:
        key = lookup.key(p.specialty)
        shown.setdefault(key, lookup.names.get(key) or p.specialty.strip() or "(none)")
    counts: Counter[tuple[str, str]] = Counter()
    for group in groups:
        for x, y in combinations(group, 2):
            a = shown[lookup.key(roster.people[x].specialty)]
            b = shown[lookup.key(roster.people[y].specialty)]
            counts[(min(a, b), max(a, b))] += 1
    return tuple((a, b, n) for (a, b), n in sorted(counts.items()))


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


def mix_by_specialty(mix: Sequence[tuple[str, str, int]]) -> list[tuple[str, int, int]]:
    """(specialty, links to other specialties, links within it), by name: the compact view
    of `specialty_mix` that the Summary sheet charts and the terminal shows."""
    across: Counter[str] = Counter()
    within: Counter[str] = Counter()
    for a, b, n in mix:
        if a == b:
            within[a] += n
        else:
            across[a] += n
            across[b] += n
    return [(name, across[name], within[name]) for name in sorted(set(across) | set(within))]
