"""What `pairctl validate` reports about a roster, without pairing anyone. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pairctl.core.model import Roster, fold
from pairctl.core.scoring import largest_specialty, specialty_codes
from pairctl.core.spelling_check import look_alike_line, roster_look_alikes
from pairctl.core.vocabulary import term_key
from pairctl.core.words import plural, some

Level = Literal["problem", "warning", "info"]
_SHOWN = 8


@dataclass(frozen=True)
class Finding:
    """One line of the report: a problem stops pairing, a warning may weaken it."""

    level: Level
    topic: str
    message: str


def check_roster(roster: Roster) -> list[Finding]:
    """Everything a coordinator should know before pairing this roster."""
    people = roster.people
    m = roster.mapping
    found = [
        Finding("info", "people", f"{plural(len(people), 'person', 'people')} read"),
        Finding("info", "columns", ", ".join(f"{f} <- {c!r}" for f, c in m.fields.items())),
        Finding("info", "blind", ", ".join(m.blind) or "(none)"),
    ]
    if m.unused:
        found.append(Finding("info", "unused", ", ".join(m.unused)))
    # Key and cell problems alike: each names its row (or rows) and column.
    found += [Finding("problem", "rows", p) for p in roster.problems]
    found += [Finding("warning", "reading", w) for w in roster.warnings]
    if len(people) < 2:
        found.append(Finding("problem", "people", "pairing needs at least 2 people"))
    if roster.has_skills:
        none = [p.key for p in people if not p.skills]
        if none:
            found.append(Finding("warning", "no skills", f"{len(none)}: {some(none, _SHOWN)}"))
    if roster.has_wants:
        none = [p.key for p in people if not p.wants]
        if none:
            found.append(Finding("warning", "no wants", f"{len(none)}: {some(none, _SHOWN)}"))
    if "manager" in m.fields:
        keys = {p.key for p in people}
        unknown = sorted({p.manager for p in people if p.manager and p.manager not in keys})
        if unknown:
            found.append(
                Finding(
                    "warning",
                    "unknown managers",
                    f"{plural(len(unknown), 'manager key')} "
                    f"{'is' if len(unknown) == 1 else 'are'} not on the roster (reporting "
                    f"chains end there): {some(unknown, _SHOWN)}",
                )
            )
    found += _spelling_findings(roster)
    found += _related_findings(roster)
    found += _meeting_findings(roster)
    codes = specialty_codes(people, roster.vocabulary.specialties)
    code, count = largest_specialty(codes)
    if 2 * count > len(people):
        shown = people[int((codes == code).argmax())].specialty
        found.append(
            Finding(
                "warning",
                "majority specialty",
                f"{shown!r} holds {count} of {plural(len(people), 'person', 'people')}: "
                f"{count - (len(people) - count)} of them must pair within it",
            )
        )
    return found


def _meeting_findings(roster: Roster) -> list[Finding]:
    """Where people are and what they speak: what the time-zone and language rules will see,
    and who they cannot see (an unknown zone, no languages listed)."""
    people = roster.people
    findings = []
    if roster.has_zones:
        zones = Counter(p.timezone for p in people if p.timezone)
        counted = f"{sum(zones.values())} of {len(people)} known, {plural(len(zones), 'zone')}"
        if zones:
            counted += f": {_most_common(zones, {zone: zone for zone in zones})}"
        findings.append(Finding("info", "time zones", counted))
        findings += _missing("no time zone", "time-zone", [p.key for p in people if not p.timezone])
    if roster.has_sites:
        sites = Counter(fold(p.site) for p in people if p.site)
        findings.append(Finding("info", "sites", plural(len(sites), "site")))
    if roster.has_languages:
        # Counted as the rule compares them (folded), shown as first written.
        shown: dict[str, str] = {}
        spoken: Counter[str] = Counter()
        for person in people:
            mine = {term_key(x): x.strip() for x in person.languages if term_key(x)}
            for key, written in mine.items():
                shown.setdefault(key, written)
            spoken.update(mine.keys())
        findings.append(Finding("info", "languages", _most_common(spoken, shown) or "(none)"))
        findings += _missing("no languages", "language", [p.key for p in people if not p.languages])
    return findings


def _most_common(counts: Counter[str], shown: dict[str, str]) -> str:
    """'English (30), German (4), ...': the most common first."""
    return some([f"{shown[key]} ({n})" for key, n in counts.most_common()], _SHOWN)


def _missing(topic: str, rule: str, keys: list[str]) -> list[Finding]:
    """The warning listing the people a rule cannot see, or nothing."""
    if not keys:
        return []
    text = f"{len(keys)} (no {rule} rule applies to them): {some(keys, _SHOWN)}"
    return [Finding("warning", topic, text)]


def _related_findings(roster: Roster) -> list[Finding]:
    """A `[vocabulary.related]` group whose skills nobody on the roster writes does nothing:
    most likely a misspelt entry."""
    skills = roster.vocabulary.skills
    written = {
        skills.key(s)
        for p in roster.people
        for s in (*p.skills, *p.wants, *(() if roster.has_skills else (p.specialty,)))
    }
    findings = []
    for name, group in zip(roster.vocabulary.related_names, roster.vocabulary.related, strict=True):
        missing = len(group - written)
        if missing:
            findings.append(
                Finding(
                    "warning",
                    "related skills",
                    f"[vocabulary.related] {name}: {missing} of its {len(group)} skills "
                    "are written by nobody on this roster",
                )
            )
    return findings


def _spelling_findings(roster: Roster) -> list[Finding]:
    """Look-alike spellings: each specialty group (it weakens the same-specialty rule), then
    the first skill groups and how many more `pairctl vocabulary` lists."""
    found = roster_look_alikes(roster)
    specialties = [g for g in found if g.kind == "specialties"]
    skills = [g for g in found if g.kind == "skills"]
    findings = [
        Finding(
            "warning",
            "specialty spellings",
            f"{look_alike_line(g)}: pairs of them would count as crossing specialties",
        )
        for g in specialties
    ]
    findings += [Finding("warning", "skill spellings", look_alike_line(g)) for g in skills[:_SHOWN]]
    if len(skills) > _SHOWN:
        findings.append(
            Finding(
                "warning",
                "skill spellings",
                f"and {len(skills) - _SHOWN} more: pairctl vocabulary lists them all",
            )
        )
    if found:
        findings.append(
            Finding(
                "info",
                "vocabulary",
                "pairctl vocabulary ROSTER --write FILE writes these as a [vocabulary] block "
                "to edit into pairctl.toml",
            )
        )
    return findings


def can_pair(findings: list[Finding]) -> bool:
    """No finding stops pairing."""
    return not any(f.level == "problem" for f in findings)


def verdict(findings: list[Finding], people: int) -> str:
    """The last line of a plain `pairctl validate` report, e.g. "Can be paired: 40 people,
    2 warnings." or "Cannot be paired: 5 problems (see above)."."""
    problems = sum(f.level == "problem" for f in findings)
    if problems:
        return f"Cannot be paired: {plural(problems, 'problem')} (see above)."
    warnings = sum(f.level == "warning" for f in findings)
    counted = plural(warnings, "warning") if warnings else "no warnings"
    return f"Can be paired: {plural(people, 'person', 'people')}, {counted}."
