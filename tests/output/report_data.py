"""A small hand-built RunReport with the awkward cases a real roster brings: a trio, someone
unmatched, accents, emoji, right-to-left script, and text that looks like a formula."""

from __future__ import annotations

from pairctl.core.model import Person
from pairctl.core.report import GroupView, Lesson, Metrics, RunReport

JOSE = Person(
    key="E001",
    name="José Álvarez",
    specialty="Software Engineering",
    skills=("=1+1", "python"),
    email="jose@example.com",
    department="R&D",
)
ZOE = Person(
    key="E002",
    name="Zoë 🚀 Okafor",
    specialty="Sales",
    skills=("negotiation",),
    email="zoe@example.com",
    department="+Revenue",
)
MIRIAM = Person(
    key="E003",
    name="מרים כהן",
    specialty="Legal",
    skills=("contract law",),
    email="miriam@example.com",
    department="Legal",
)
LUKASZ = Person(
    key="E004",
    name="Łukasz Wiśniewski",
    specialty="Finance",
    skills=("+SUM(A1:A9)", "budgeting"),
    email="lukasz@example.com",
    department="Finance",
)
NGUYEN = Person(
    key="E005",
    name="Nguyễn Văn An",
    specialty="Data Science",
    skills=("-2+3", "@SUM(1,2)", "#N/A"),
    email="an@example.com",
    department="Data",
)
LONER = Person(
    key="0042",
    name='=HYPERLINK("http://evil.example","click")',
    specialty="Legal",
    email="-loner@example.com",
    department="@Ops",
)

PAIR = GroupView(
    number=1,
    members=(JOSE, ZOE),
    lessons=(
        Lesson("E001", "E002", ("=1+1", "python")),
        Lesson("E002", "E001", ("negotiation",)),
    ),
    score=0.876543,
)
TRIO = GroupView(
    number=2,
    members=(MIRIAM, LUKASZ, NGUYEN),
    lessons=(
        Lesson("E003", "E004", ("contract law",)),
        Lesson("E004", "E003", ("+SUM(A1:A9)",)),
        Lesson("E003", "E005", ()),
        Lesson("E005", "E003", ("-2+3", "@SUM(1,2)")),
        Lesson("E004", "E005", ("budgeting",)),
        Lesson("E005", "E004", ("#N/A", "\tindent", "\rreturn")),
    ),
    score=1.234567,
    notes=("trio", "one-way: E003 teaches nothing to E005"),
)
METRICS = Metrics(
    people=6,
    pairs=1,
    trios=1,
    unmatched=1,
    cross_specialty_pct=100.0,
    both_teach_pct=50.0,
    mean_score=0.5277775,
    total_score=2.11111,
)
BASELINE = Metrics(
    people=6,
    pairs=1,
    trios=1,
    unmatched=1,
    cross_specialty_pct=66.66666,
    both_teach_pct=0.0,
    mean_score=0.1234567,
    total_score=0.4938268,
)
UNMATCHED_REASON = "no one left in another specialty"


def make_report(groups: tuple[GroupView, ...] = (PAIR, TRIO)) -> RunReport:
    """The test report; pass `groups` to drop the trio or empty it."""
    return RunReport(
        groups=groups,
        unmatched=((LONER, UNMATCHED_REASON),),
        metrics=METRICS,
        baseline=BASELINE,
        run_info=(
            ("Input", "roster.xlsx"),
            ("Input SHA-256", "ab" * 32),
            ("Column for skills", "Skills"),
            ("Seed", "7"),
        ),
        warnings=("1 person has no skills listed", "=cmd|' /C calc'!A0"),
        solver="greedy-swap",
        seed=7,
    )


# The Pairs header when the report has a trio, as the coordinator sees it.
MEMBER = ["key", "name", "email", "specialty", "department"]
TRIO_HEADER = [
    "Pair",
    "Size",
    "Keep",
    *(f"{who} {what}" for who in "ABC" for what in MEMBER),
    "A teaches B",
    "B teaches A",
    "A teaches C",
    "C teaches A",
    "B teaches C",
    "C teaches B",
    "Score",
    "Notes",
]
