"""Write sample_data/roster.xlsx and sample_data/roster.csv: 40 colleagues for a two-way
mentoring round, the same people in both files; and sample_data/offices.csv: the same people
with the office they work at on six continents, a time zone where the office names none, and
the languages they speak.

Deterministic: a fixed seed, and the .xlsx is saved with fixed timestamps, so running it
again gives byte-identical files. Run from the repository root:

    .venv/bin/python sample_data/make_sample.py
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

SEED = 2027
HERE = Path(__file__).resolve().parent
TITLE = "Mentoring roster — Q1 2027"
DOMAIN = "brightloom.example"
CEO_ID = "E0007"  # not in the round; the heads of team report to them
HEADER = (
    "Employee ID",
    "Full name",
    "Email",
    "Job title",
    "Specialty",
    "Department",
    "Manager ID",
    "Years of experience",
    "Skills",
    "Wants to learn",
)

# (given names, family name). The email uses an ASCII form of both.
NAMES = [
    ("José", "García"),
    ("Zoë", "Müller"),
    ("Łukasz", "Kowalski"),
    ("Thị Lan", "Nguyễn"),
    ("Søren", "Ødegaard"),
    ("Aoife", "Ní Bhriain"),
    ("Chiamaka", "Okafor"),
    ("Priya", "Raghunathan"),
    ("François", "Lefèvre"),
    ("Mehmet", "Yılmaz"),  # noqa: RUF001 (Turkish dotless i)
    ("Björk", "Sigurðardóttir"),
    ("Ana Lúcia", "Ferreira"),
    ("Kenji", "Watanabe"),
    ("Zsófia", "Kovács"),
    ("Oluwaseun", "Adébáyọ̀"),
    ("Ahmed", "Al-Farsi"),
    ("Mariana", "Peña"),
    ("Jürgen", "Groß"),
    ("Inês", "Conceição"),
    ("Małgorzata", "Wójcik"),
    ("Renée", "O'Connor"),
    ("Tomás", "Ó Súilleabháin"),
    ("Élodie", "Chevalier"),
    ("Ravi Shankar", "Iyer"),
    ("Fatima Zahra", "Benali"),
    ("Ingrid", "Halvorsen"),
    ("Dmitri", "Volkov"),
    ("Leilani", "Kahale"),
    ("Sebastián", "Rojas"),
    ("Ayşe", "Demir"),
    ("Nikolaos", "Papadopoulos"),
    ("Minh", "Trần"),
    ("Antonín", "Dvořák"),
    ("Siobhán", "Murphy"),
    ("Wei", "Zhang"),
    ("Hana", "Novak"),
    ("Tariq", "Haddad"),
    ("Emma", "Lindqvist"),
    ("Kwame", "Mensah"),
    ("Lucía", "Fernández"),
]

# Specialty -> (how many people, departments, job titles junior..senior, core skills).
SPECIALTIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Software Engineering": (
        10,
        ("Engineering – Platform", "Engineering – Apps"),  # noqa: RUF001 (en dash, as HR types it)
        (
            "Junior Software Engineer",
            "Software Engineer",
            "Senior Software Engineer",
            "Staff Engineer",
        ),
        (
            "Python",
            "TypeScript",
            "code review",
            "system design",
            "testing",
            "debugging",
            "cloud infrastructure",
            "API design",
        ),
    ),
    "Sales": (
        6,
        ("Revenue",),
        ("Sales Development Rep", "Account Executive", "Senior Account Executive", "Head of Sales"),
        (
            "negotiation",
            "prospecting",
            "Salesforce",
            "pipeline management",
            "cold calling",
            "closing deals",
        ),
    ),
    "Data Science": (
        5,
        ("Data & Analytics",),
        ("Data Analyst", "Data Scientist", "Senior Data Scientist", "Lead Data Scientist"),
        (
            "SQL",
            "statistics",
            "machine learning",
            "data visualisation",
            "A/B testing",
            "forecasting",
            "Python",
        ),
    ),
    "Marketing": (
        4,
        ("Marketing",),
        (
            "Marketing Coordinator",
            "Marketing Manager",
            "Senior Marketing Manager",
            "Head of Marketing",
        ),
        (
            "SEO",
            "copywriting",
            "social media",
            "brand strategy",
            "campaign analytics",
            "email marketing",
        ),
    ),
    "Product Design": (
        4,
        ("Product",),
        ("Junior Product Designer", "Product Designer", "Senior Product Designer", "Design Lead"),
        (
            "user research",
            "Figma",
            "prototyping",
            "accessibility",
            "design systems",
            "usability testing",
        ),
    ),
    "Finance": (
        3,
        ("Finance",),
        ("Finance Assistant", "Financial Analyst", "Senior Financial Analyst", "Finance Director"),
        ("budgeting", "financial modelling", "Excel", "accounting", "cost control", "forecasting"),
    ),
    "Customer Success": (
        3,
        ("Customer Success",),
        (
            "Support Specialist",
            "Customer Success Manager",
            "Senior Customer Success Manager",
            "Head of Customer Success",
        ),
        (
            "account management",
            "customer onboarding",
            "de-escalation",
            "product training",
            "churn analysis",
            "Zendesk",
        ),
    ),
    "People & HR": (
        3,
        ("People",),
        (
            "People Coordinator",
            "HR Business Partner",
            "Senior HR Business Partner",
            "Head of People",
        ),
        (
            "interviewing",
            "coaching",
            "employment law",
            "conflict resolution",
            "onboarding",
            "compensation design",
        ),
    ),
    "Legal": (
        2,
        ("Legal",),
        ("Paralegal", "Legal Counsel", "Senior Legal Counsel", "General Counsel"),
        (
            "contract law",
            "GDPR",
            "negotiation",
            "compliance",
            "intellectual property",
            "risk assessment",
        ),
    ),
}

# Skills anyone might have, whatever their specialty.
CROSS_CUTTING = (
    "public speaking",
    "project management",
    "Spanish",
    "storytelling",
    "Excel",
    "facilitation",
    "presentation design",
    "Mandarin",
    "writing documentation",
    "time management",
)


def main() -> None:
    people = make_people(random.Random(SEED))
    write_xlsx(people, HERE / "roster.xlsx")
    write_csv(people, HERE / "roster.csv")
    # Its own random stream, so the two files above stay as they were.
    add_offices(people, random.Random(SEED + 1))
    write_csv(people, HERE / "offices.csv", (*HEADER, *OFFICE_HEADER))
    print(f"wrote {len(people)} people to roster.xlsx, roster.csv and offices.csv in {HERE}")


def make_people(rng: random.Random) -> list[dict[str, Any]]:
    names = NAMES[:]
    rng.shuffle(names)
    ids = sorted(rng.sample(range(10, 400), len(names)))
    specialties = [name for name, spec in SPECIALTIES.items() for _ in range(spec[0])]
    assert len(specialties) == len(names) == 40
    rng.shuffle(specialties)

    people: list[dict[str, Any]] = []
    for (given, family), number, specialty in zip(names, ids, specialties, strict=True):
        _, departments, titles, core = SPECIALTIES[specialty]
        years = rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 9, 11, 13, 15, 18, 22, 27, 30))
        level = 0 if years < 3 else 1 if years < 8 else 2
        skills = rng.sample(core, rng.randint(2, 4))
        extra = [s for s in CROSS_CUTTING if s.casefold() not in {k.casefold() for k in skills}]
        skills += rng.sample(extra, rng.randint(0, 2))
        if len(skills) < 3:
            skills += rng.sample([s for s in core if s not in skills], 3 - len(skills))
        people.append(
            {
                "Employee ID": f"E{number:04d}",
                "Full name": f"{given} {family}",
                "Email": f"{ascii_name(given)}.{ascii_name(family)}@{DOMAIN}",
                "Job title": titles[level],
                "Specialty": specialty,
                "Department": rng.choice(departments),
                "Manager ID": "",
                "Years of experience": years,
                "skills": skills[:6],
                "wants": [],
            }
        )

    add_heads_and_managers(people)
    add_story_people(people)
    add_wants(people, rng)
    for person in people:
        person["Skills"] = "; ".join(person.pop("skills"))
        person["Wants to learn"] = "; ".join(person.pop("wants"))
    # Real rosters are not tidy: one cell typed without spaces after the semicolons.
    designer = next(p for p in people if p["Specialty"] == "Product Design")
    designer["Skills"] = str(designer["Skills"]).replace("; ", ";")
    return people


def add_heads_and_managers(people: list[dict[str, Any]]) -> None:
    """The most experienced person of each specialty heads it and reports to the CEO; the rest
    of the specialty reports to them."""
    for specialty, (_, _, titles, _) in SPECIALTIES.items():
        team = [p for p in people if p["Specialty"] == specialty]
        head = max(team, key=lambda p: (p["Years of experience"], p["Employee ID"]))
        if int(head["Years of experience"]) < 11:
            head["Years of experience"] = 14
        head["Job title"] = titles[3]
        head["Manager ID"] = CEO_ID
        for person in team:
            if person is not head:
                person["Manager ID"] = head["Employee ID"]


def add_story_people(people: list[dict[str, Any]]) -> None:
    """The cross-cutting cases a mentoring round is for."""
    # A junior engineer who can teach the seniors something.
    engineer = next(
        p for p in people if p["Specialty"] == "Software Engineering" and p["Manager ID"] != CEO_ID
    )
    engineer.update({"Years of experience": 1, "Job title": "Junior Software Engineer"})
    engineer["skills"] = ["Python", "testing", "TikTok marketing", "video editing"]
    # The head of sales knows the numbers side too.
    head_of_sales = next(
        p for p in people if p["Specialty"] == "Sales" and p["Manager ID"] == CEO_ID
    )
    head_of_sales["skills"] = [
        "negotiation",
        "budgeting",
        "closing deals",
        "public speaking",
        "coaching",
    ]


def add_wants(people: list[dict[str, Any]], rng: random.Random) -> None:
    """Three to five wishes each, drawn from what colleagues in other specialties actually know
    (a common skill is wished for more often, as in life), so two-way pairs exist. Two people
    leave the cell empty, as some always do."""
    silent = set(rng.sample(range(len(people)), 2))
    for index, person in enumerate(people):
        if index in silent:
            continue
        own = {s.casefold() for s in person["skills"]}
        others = [p for p in people if p["Specialty"] != person["Specialty"]]
        wants: list[str] = []
        target = rng.randint(3, 5)
        while len(wants) < target:
            skill = rng.choice(rng.choice(others)["skills"])
            if skill.casefold() not in own and skill not in wants:
                wants.append(skill)
        if rng.random() < 0.2:  # now and then, something nobody here offers
            wants[-1] = rng.choice(("Japanese", "leadership", "woodworking", "Rust"))
        person["wants"] = wants


OFFICE_HEADER = ("Office", "Time zone", "Languages")
# Office -> (head-count, the time zone written beside it, the languages spoken there; each
# person speaks the first and, in turn, some of the others). A blank time zone: the office is
# a city the zone database knows. "Remote" names no zone, as on real rosters: it is a
# finding, never a guess.
OFFICES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "London": (7, "", ("English", "French")),
    "Berlin": (5, "", ("German", "English")),
    "New York": (7, "", ("English", "Spanish")),
    "San Francisco": (5, "America/Los_Angeles", ("English", "Mandarin")),
    "São Paulo": (4, "", ("Portuguese", "Spanish", "English")),
    "Tokyo": (4, "", ("Japanese", "English")),
    "Bengaluru": (3, "UTC+05:30", ("English", "Hindi", "Kannada")),
    "Sydney": (3, "", ("English",)),
    "Nairobi": (1, "", ("English", "Swahili")),
    "Remote": (1, "", ("English",)),
}


def add_offices(people: list[dict[str, Any]], rng: random.Random) -> None:
    """Everyone's office, time zone and languages. In Tokyo and São Paulo some speak only
    the local language, so `--language require` has pairs to forbid."""
    seats = [office for office, (count, _, _) in OFFICES.items() for _ in range(count)]
    assert len(seats) == len(people), "one office seat per person"
    rng.shuffle(seats)
    for number, (person, office) in enumerate(zip(people, seats, strict=True)):
        _, zone, spoken = OFFICES[office]
        extra = [tongue for tongue in spoken[1:] if rng.random() < 0.6]
        if office in ("Tokyo", "São Paulo") and number % 2:
            extra = []
        person["Office"] = office
        person["Time zone"] = zone
        person["Languages"] = ", ".join([spoken[0], *extra])


def ascii_name(text: str) -> str:
    """'Łukasz' -> 'lukasz', 'Ní Bhriain' -> 'nibhriain', "O'Connor" -> 'oconnor'."""
    # Letters NFKD does not split into a base letter and an accent.
    folded = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ð": "d", "ß": "ss", "ı": "i", "đ": "d"}  # noqa: RUF001
    text = text.translate(str.maketrans(folded))
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def write_xlsx(people: list[dict[str, Any]], path: Path) -> None:
    """A title row, a blank row, the header on row 3: how rosters arrive from HR."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for person in people:
        sheet.append([person[column] for column in HEADER])
    widths = (12, 28, 40, 32, 22, 26, 11, 10, 60, 60)
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(reproducible_zip(buffer.getvalue()))


def reproducible_zip(data: bytes) -> bytes:
    """The same workbook, with the save time and zip entry times fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = fix_dates(content)
            target.writestr(
                zipfile.ZipInfo(name, (2027, 1, 4, 9, 0, 0)),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def fix_dates(core_xml: bytes) -> bytes:
    text = core_xml.decode()
    for tag in ("dcterms:created", "dcterms:modified"):
        start = text.index(">", text.index(f"<{tag}")) + 1
        end = text.index(f"</{tag}>")
        text = text[:start] + "2027-01-04T09:00:00Z" + text[end:]
    return text.encode()


def write_csv(people: list[dict[str, Any]], path: Path, header: tuple[str, ...] = HEADER) -> None:
    """UTF-8 with a byte-order mark, header on row 1: what Excel's "CSV UTF-8" saves."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([person[column] for column in header] for person in people)


if __name__ == "__main__":
    main()
