"""How fast and how right the look-alike spelling suggestions are (`pairctl.core.spellings`).

    python benchmarks/bench_vocabulary.py [--people 10000] [--seed 1] [--repeat 3]
    python benchmarks/bench_vocabulary.py --write-roster /tmp/vocabulary-10k.csv
    /usr/bin/time -v pairctl vocabulary /tmp/vocabulary-10k.csv

Prints a markdown table:

- **time**: `look_alikes` over a roster of `--people` people writing real skill names, 37%
  of the mentions misspelled (`--misspell`), so about 5,000 distinct spellings for 10,000
  people, most of them distinct terms;
- **recall**: misspellings of known kinds injected into `CATALOGUE` (one-letter typos,
  adjacent swaps, plurals, initialisms of multi-word names, word-order swaps, role/field
  forms) with a seeded RNG; the share grouped with their original (or folded into it already);
- **false merges**: groups that join two distinct real names of `CATALOGUE` (target: 0).

`tests/core/test_spellings.py` runs `recall_check` on a smaller sample.
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pairctl.core.spellings import ROLE_FORMS, look_alikes
from pairctl.core.vocabulary import build_vocabulary, term_key, term_words

# Real, distinct skill and specialty names as people write them on mentoring rosters: languages
# and tools (several from the Stack Overflow 2023 survey's lists), data, cloud, design,
# business, finance, people and legal skills. Look-alike real pairs are in on purpose: C, C#,
# C++, R, Rust, Go, Java, JavaScript, SQL, NoSQL, Scala, SAS, Sass, Product and Project
# management, Design systems and Systems design.
CATALOGUE = (
    # Languages
    "Python", "SQL", "NoSQL", "C", "C#", "C++", "R", "Rust", "Go", "Java", "JavaScript",
    "TypeScript", "Kotlin", "Swift", "Scala", "Ruby", "PHP", "Perl", "Haskell", "Elixir",
    "Erlang", "Clojure", "F#", "Julia", "Lua", "Dart", "MATLAB", "SAS", "Sass", "Fortran",
    "Cobol", "Assembly", "Objective-C", "Groovy", "PowerShell", "Bash", "VBA", "Solidity",
    "Zig", "OCaml", "HTML", "CSS",
    # Frameworks and tools
    "React", "React Native", "Angular", "AngularJS", "Vue", "Svelte", "Next.js", "Node.js",
    "Django", "Flask", "FastAPI", "Spring Boot", "Ruby on Rails", "Laravel", "ASP.NET",
    "Flutter", "Xamarin", "Unity", "Unreal Engine", "Pandas", "NumPy", "TensorFlow", "PyTorch",
    "Scikit-learn", "Keras", "Apache Spark", "Apache Kafka", "Hadoop", "Airflow", "dbt",
    "Docker", "Kubernetes", "Terraform", "Ansible", "Puppet", "Chef", "Jenkins",
    "GitHub Actions", "Git", "Linux", "Windows Server", "Nginx", "Elasticsearch", "Redis",
    "PostgreSQL", "MySQL", "MongoDB", "Cassandra", "Snowflake", "BigQuery", "Oracle",
    "Microsoft Azure", "Amazon Web Services", "Google Cloud Platform", "Salesforce", "SAP",
    "Tableau", "Power BI", "Looker", "Excel", "PowerPoint", "Word", "Jira", "Confluence",
    "Figma", "Sketch", "Adobe Photoshop", "Adobe Illustrator", "InDesign", "After Effects",
    "Blender", "AutoCAD", "SolidWorks", "Webpack", "GraphQL", "REST APIs", "gRPC",
    # Practices and fields
    "Machine learning", "Deep learning", "Natural language processing", "Computer vision",
    "Data science", "Data engineering", "Data analysis", "Data visualisation",
    "Data modelling", "Data governance", "Data privacy", "Statistics", "Econometrics",
    "Operations research", "Research operations", "A/B testing", "Experiment design",
    "Business intelligence", "Business analysis", "Business analytics", "Software architecture",
    "System administration", "Systems design", "Design systems", "Site reliability engineering",
    "DevOps", "Cloud security", "Network security", "Penetration testing", "Cryptography",
    "Identity and access management", "Incident response", "Threat modelling",
    "Test automation", "Quality assurance", "Unit testing", "Performance testing",
    "Accessibility", "Mobile development", "Web development", "Game development",
    "Embedded systems", "Distributed systems", "Microservices", "Continuous integration",
    "Code review", "Technical writing", "Open source",
    # Design and product
    "User experience", "User interface", "User research", "Interaction design",
    "Product design", "Graphic design", "Motion graphics", "Illustration", "Typography",
    "Copywriting", "Content strategy", "Product management", "Project management",
    "Programme management", "Agile", "Scrum", "Kanban", "Roadmapping", "Stakeholder management",
    "Change management", "Risk management", "Vendor management", "Supply chain management",
    "Procurement", "Logistics", "Lean manufacturing", "Six Sigma",
    # Business, sales and marketing
    "Sales", "Account management", "Business development", "Negotiation", "Cold calling",
    "Lead generation", "Customer success", "Customer support", "Customer relationship management",
    "Digital marketing", "Content marketing", "Email marketing", "Social media marketing",
    "Search engine optimisation", "Pay-per-click advertising", "Brand strategy",
    "Market research", "Public relations", "Event planning", "Partnerships", "Pricing",
    "Go-to-market strategy", "Growth hacking", "Community management",
    # Finance and legal
    "Accounting", "Bookkeeping", "Financial modelling", "Financial planning and analysis",
    "Budgeting", "Forecasting", "Auditing", "Tax", "Payroll", "Treasury", "Investor relations",
    "Mergers and acquisitions", "Corporate finance", "Valuation", "Risk analysis",
    "Contract law", "Employment law", "Intellectual property", "Compliance", "GDPR",
    "Regulatory affairs", "Anti-money laundering",
    # People and communication
    "Public speaking", "Presenting", "Storytelling", "Facilitation", "Coaching", "Mentoring",
    "Leadership", "People management", "Hiring", "Interviewing", "Onboarding",
    "Performance reviews", "Conflict resolution", "Emotional intelligence", "Time management",
    "Delegation", "Decision making", "Critical thinking", "Problem solving", "Communication",
    "Active listening", "Giving feedback", "Cross-cultural communication", "Spanish", "French",
    "German", "Mandarin", "Japanese", "Sign language", "Learning and development",
    "Diversity and inclusion", "Employee relations", "Compensation and benefits",
    "Workforce planning", "Organisational design",
)  # fmt: skip

KINDS = ("typo", "deletion", "insertion", "swap", "plural", "initials", "word order", "role")


@dataclass(frozen=True)
class Check:
    """What `recall_check` found."""

    injected: Counter[str]
    """Misspellings injected, by kind."""
    grouped: Counter[str]
    """Of those, how many were grouped with their original (or folded into it), by kind."""
    false_merges: list[tuple[str, ...]]
    """Groups that hold two or more distinct catalogue names: their catalogue names."""
    missed: list[tuple[str, str, str]]
    """(kind, misspelling, original) not grouped with its original."""
    ambiguous: int
    """Initialisms and role/field forms not injected because they fit two catalogue names
    (`PM`: Product and Project management); suggesting nothing for those is right."""

    @property
    def recall(self) -> float:
        return sum(self.grouped.values()) / max(1, sum(self.injected.values()))


def misspell(name: str, kind: str, rng: random.Random) -> str | None:
    """A misspelling of `name` of `kind`, or None when `name` has no place for one."""
    words = name.split()
    if kind in ("typo", "deletion", "insertion", "swap"):
        least = {"typo": 6, "deletion": 6, "insertion": 5, "swap": 5}[kind]
        spots = [i for i, w in enumerate(words) if len(w) >= least and w.isalpha()]
        if not spots:
            return None
        at = rng.choice(spots)
        word = words[at]
        # The first letter stays: people rarely get it wrong, and the rule relies on it.
        k = rng.randrange(1, len(word) - (kind == "swap"))
        if kind == "typo":
            letters = [c for c in string.ascii_lowercase if c != word[k].lower()]
            word = word[:k] + rng.choice(letters) + word[k + 1 :]
        elif kind == "deletion":
            word = word[:k] + word[k + 1 :]
        elif kind == "insertion":
            word = word[:k] + rng.choice(string.ascii_lowercase) + word[k:]
        elif word[k] != word[k + 1]:
            word = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        else:
            return None
        words[at] = word
        return " ".join(words)
    if kind == "plural":
        last = words[-1]
        if not last.isalpha() or len(last) < 3:
            return None
        if last.endswith("y") and last[-2] not in "aeiou":
            plural = last[:-1] + "ies"
        elif last.endswith(("s", "x", "ch", "sh")):
            plural = last + "es"
        else:
            plural = last + "s"
        return " ".join([*words[:-1], plural])
    if kind == "initials":
        kept = [w for w in term_words(name) if w not in ("and", "of", "for", "the")]
        return "".join(w[0] for w in kept).upper() if 2 <= len(kept) <= 6 else None
    if kind == "word order":
        return " ".join(words[1:] + words[:1]) if len(words) >= 2 else None
    forms = next((row for row in ROLE_FORMS if words[-1].lower() in row), None)
    if forms is None:
        return None
    other = rng.choice([f for f in forms if f != words[-1].lower()])
    return " ".join([*words[:-1], other])


def recall_check(seed: int, per_kind: int) -> Check:
    """Inject up to `per_kind` misspellings of each kind into `CATALOGUE` and see which
    `look_alikes` groups with their original."""
    rng = random.Random(seed)
    real = {term_key(n) for n in CATALOGUE}
    written: Counter[str] = Counter({n: rng.randint(3, 200) for n in CATALOGUE})
    injected: list[tuple[str, str, str]] = []
    fits = _fits()
    ambiguous = 0
    for kind in KINDS:
        names = list(CATALOGUE)
        rng.shuffle(names)
        count = 0
        for name in names:
            wrong = misspell(name, kind, rng)
            # A "misspelling" that is another real name, or one already made, is not one.
            if wrong is None or term_key(wrong) in real or wrong in written:
                continue
            if len(fits.get(_shape(wrong, kind), ())) > 1:
                ambiguous += 1
                continue
            injected.append((kind, wrong, name))
            written[wrong] = rng.randint(1, 3)
            count += 1
            if count == per_kind:
                break
    lookup = build_vocabulary(skills=written).skills
    group_of: dict[str, int] = {}
    found = look_alikes("skills", written, lookup)
    for i, group in enumerate(found):
        for spelling in group.spellings:
            group_of[lookup.key(spelling.text)] = i
    grouped: Counter[str] = Counter()
    missed = []
    for kind, wrong, name in injected:
        a, b = lookup.key(wrong), lookup.key(name)
        if a == b or (a in group_of and group_of.get(a) == group_of.get(b)):
            grouped[kind] += 1
        else:
            missed.append((kind, wrong, name))
    false_merges = []
    for group in found:
        names = {lookup.key(s.text) for s in group.spellings} & {lookup.key(n) for n in CATALOGUE}
        if len(names) > 1:
            false_merges.append(tuple(s.text for s in group.spellings if s.text in CATALOGUE))
    return Check(Counter(k for k, _, _ in injected), grouped, false_merges, missed, ambiguous)


def _shape(text: str, kind: str) -> str:
    """What an initialism or a role/field form shares with the names it may stand for."""
    words = term_words(text)
    if kind == "initials":
        return "".join(words)
    if kind == "role" and words:
        row = next((row for row in ROLE_FORMS if words[-1] in row), ())
        return " ".join((*words[:-1], *row[:1]))
    return ""


def _fits() -> dict[str, set[str]]:
    """Shape -> the catalogue names with it, for initialisms and role/field forms."""
    fits: dict[str, set[str]] = {}
    for name in CATALOGUE:
        words = term_words(name)
        kept = [w for w in words if w not in ("and", "of", "for", "the")]
        for chosen in (words, kept):
            if len(chosen) >= 2:
                fits.setdefault("".join(w[0] for w in chosen), set()).add(name)
        fits.setdefault(_shape(name, "role"), set()).add(name)
    fits.pop("", None)
    return fits


def big_roster(people: int, seed: int, rate: float) -> Counter[str]:
    """Spelling -> people for `people` people writing 3 to 6 catalogue skills each, popular
    ones more often, a share `rate` of mentions misspelled and one in ten cased or punctuated
    differently."""
    written: Counter[str] = Counter()
    for mine in people_skills(people, seed, rate):
        written.update(mine)
    return written


def people_skills(people: int, seed: int, rate: float) -> Iterator[set[str]]:
    """Each person's skills as `big_roster` counts them."""
    rng = random.Random(seed)
    names = list(CATALOGUE)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(names))]
    for _ in range(people):
        mine: set[str] = set()
        for name in rng.choices(names, weights, k=rng.randint(3, 6)):
            roll = rng.random()
            if roll < rate:
                name = misspell(name, rng.choice(KINDS), rng) or name
            elif roll < rate + 0.1:
                name = rng.choice((name.lower(), name.upper(), name.replace(" ", "-")))
            mine.add(name)
        yield mine


def write_roster(path: Path, people: int, seed: int, rate: float) -> None:
    """The same people as a roster CSV, for timing `pairctl vocabulary` end to end: half of
    each person's skills as skills, the rest as wants, and one of ten specialties."""
    with path.open("w", encoding="utf-8", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["ID", "Specialty", "Skills", "Wants to learn"])
        for i, mine in enumerate(people_skills(people, seed, rate)):
            ordered = sorted(mine)
            half = len(ordered) // 2
            specialty = CATALOGUE[i % 10]
            rows.writerow(
                [f"P{i:06d}", specialty, "; ".join(ordered[:half]), "; ".join(ordered[half:])]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--misspell", type=float, default=0.37, metavar="RATE")
    parser.add_argument(
        "--write-roster",
        type=Path,
        metavar="FILE",
        help="write the roster as CSV (for timing `pairctl vocabulary FILE`) and stop",
    )
    args = parser.parse_args()
    if args.write_roster:
        write_roster(args.write_roster, args.people, args.seed, args.misspell)
        return

    written = big_roster(args.people, args.seed, args.misspell)
    start = time.perf_counter()
    lookup = build_vocabulary(skills=written).skills
    build = time.perf_counter() - start
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        found = look_alikes("skills", written, lookup)
        times.append(time.perf_counter() - start)
    check = recall_check(args.seed, args.per_kind)

    print(f"| measure ({args.people:,} people, seed {args.seed}) | value |")
    print("| --- | --- |")
    print(f"| distinct spellings | {len(written):,} |")
    print(f"| distinct terms after folding | {len({lookup.key(t) for t in written}):,} |")
    print(f"| build_vocabulary (s) | {build:.3f} |")
    print(f"| look_alikes, best of {args.repeat} (s) | {min(times):.3f} |")
    print(f"| look-alike groups | {len(found):,} |")
    total = sum(check.injected.values())
    print(f"| recall: grouped with original | {check.recall:.1%} of {total} injected |")
    print(f"| &nbsp; ambiguous, not injected | {check.ambiguous} |")
    for kind in KINDS:
        if check.injected[kind]:
            share = check.grouped[kind] / check.injected[kind]
            print(f"| &nbsp; {kind} | {share:.1%} of {check.injected[kind]} |")
    print(f"| groups joining two distinct real names | {len(check.false_merges)} |")
    for names in check.false_merges:
        print(f"| &nbsp; false merge | {' / '.join(names)} |")
    for kind, wrong, name in check.missed[:10]:
        print(f"| &nbsp; missed ({kind}) | {wrong!r} for {name!r} |")


if __name__ == "__main__":
    main()
