"""The messages written to the outbox: recipients, subject, body, unmatched, hostile names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pairctl.errors import ConfigError, OutputExistsError, RosterError, UsageError

from . import (
    SENDER,
    call,
    fake_env,
    hostile_round,
    manifest,
    match,
    messages,
    recipients,
    sample_round,
    sheet_rows,
)


def test_one_message_per_group_to_its_members_with_the_lessons(tmp_path: Path) -> None:
    sheet = sample_round(tmp_path)
    call(fake_env(), sheet, tmp_path / "outbox")

    written = messages(tmp_path / "outbox")
    pairs = sheet_rows(sheet, "Pairs")
    assert len(written) == len(pairs) == 20
    for row, (name, message) in zip(pairs, written.items(), strict=True):
        assert name.endswith(f"-{row['A key']}-{row['B key']}.eml")
        assert recipients(message) == {row["A email"], row["B email"]}
        assert message["Subject"] == f"Two-way mentoring: meet {row['A name']} and {row['B name']}"
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        assert text.startswith(f"Hello {row['A name']} and {row['B name']},")
        for teacher, learner, column in (("A", "B", "A teaches B"), ("B", "A", "B teaches A")):
            if row[column]:
                skills = row[column].replace("; ", ", ")
                lesson = f"{row[teacher + ' name']} can teach {row[learner + ' name']}: {skills}"
                assert lesson in text
        assert message.get_body(("html",)) is not None
        assert message["From"].addresses[0].addr_spec == "hr@example.org"
    statuses = {row["status"] for row in manifest(tmp_path / "outbox")}
    assert statuses == {"written"}


def test_csv_sheet_gives_the_same_messages_as_the_xlsx(tmp_path: Path) -> None:
    call(fake_env(), sample_round(tmp_path, ".xlsx"), tmp_path / "from-xlsx")
    call(fake_env(), sample_round(tmp_path, ".csv"), tmp_path / "from-csv")

    def ids(folder: Path) -> list[tuple[str, str, str]]:
        return [(r["file"], r["recipients"], r["message_id"]) for r in manifest(folder)]

    assert ids(tmp_path / "from-xlsx") == ids(tmp_path / "from-csv")
    assert len({r["message_id"] for r in manifest(tmp_path / "from-csv")}) == 20


def test_unmatched_person_gets_their_own_message(tmp_path: Path) -> None:
    call(fake_env(), hostile_round(tmp_path), tmp_path / "outbox")

    rows = manifest(tmp_path / "outbox")
    left_out = [r for r in rows if r["kind"] == "unmatched"]
    assert [(r["recipients"], r["status"]) for r in left_out] == [("ida@example.org", "written")]
    message = messages(tmp_path / "outbox")[left_out[0]["file"]]
    assert recipients(message) == {"ida@example.org"}
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Ida Nilsson,")
    assert "odd number of people" in text
    assert "What happens next" in text


def test_no_unmatched_leaves_them_out(tmp_path: Path) -> None:
    call(fake_env(), hostile_round(tmp_path), tmp_path / "outbox", unmatched=False)

    assert [r["kind"] for r in manifest(tmp_path / "outbox")].count("unmatched") == 0


def test_member_without_email_is_not_written_and_said_so(tmp_path: Path) -> None:
    env = fake_env()
    call(env, hostile_round(tmp_path), tmp_path / "outbox")

    skipped = [r for r in manifest(tmp_path / "outbox") if r["status"] != "written"]
    assert [(r["file"], r["status"], r["detail"]) for r in skipped] == [
        ("", "skipped (no email)", "no email for E008")
    ]
    assert "no email for E008" in env.stderr.getvalue()  # type: ignore[attr-defined]
    assert not any("E008" in name for name in messages(tmp_path / "outbox"))


def test_hostile_names_add_no_header_and_are_escaped_in_html(tmp_path: Path) -> None:
    call(fake_env(), hostile_round(tmp_path), tmp_path / "outbox")

    written = messages(tmp_path / "outbox")
    bob = next(m for m in written.values() if "bo@example.org" in recipients(m))
    assert bob["Bcc"] is None
    assert sorted(bob.keys()) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]
    )
    assert "x@y" not in recipients(bob)
    names = {a.addr_spec: a.display_name for a in bob["To"].addresses}
    assert names["bo@example.org"] == "Bob Bcc: x@y"
    assert "\n" not in str(bob["Subject"])

    script = next(m for m in written.values() if "chen@example.org" in recipients(m))
    html = script.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "<script>alert(1)</script>" in script.get_body(("plain",)).get_content()


def test_existing_outbox_is_kept_unless_force(tmp_path: Path) -> None:
    sheet = sample_round(tmp_path)
    call(fake_env(), sheet, tmp_path / "outbox")
    first = (tmp_path / "outbox" / "manifest.csv").read_bytes()

    with pytest.raises(OutputExistsError, match="--force"):
        call(fake_env(), sheet, tmp_path / "outbox")
    call(fake_env(), sheet, tmp_path / "outbox", force=True)
    assert (tmp_path / "outbox" / "manifest.csv").read_bytes() == first


def test_without_send_a_preview_and_the_counts_are_printed(tmp_path: Path) -> None:
    env = fake_env()
    call(env, hostile_round(tmp_path), tmp_path / "outbox")

    out = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert out.startswith("Preview of the first message:\nFrom: HR Team <hr@example.org>\nTo: ")
    assert "Subject: Two-way mentoring: meet " in out
    assert "Wrote 4 messages to" in out and "(3 groups, 1 unmatched); 1 not written" in out
    assert "Nothing was sent" in out


def test_json_summary(tmp_path: Path) -> None:
    env = fake_env()
    call(env, hostile_round(tmp_path), tmp_path / "outbox", as_json=True)

    data = json.loads(env.stdout.getvalue())  # type: ignore[attr-defined]
    assert (data["written"], data["skipped"], data["send"]) == (4, 1, None)
    assert [m["kind"] for m in data["messages"]] == ["group"] * 4 + ["unmatched"]


def test_json_result_is_refused_with_a_reason(tmp_path: Path) -> None:
    sheet = match(Path(__file__).parents[2] / "sample_data" / "roster.csv", tmp_path / "r.json")
    with pytest.raises(RosterError, match="no names or emails"):
        call(fake_env(), sheet, tmp_path / "outbox")


def test_custom_template_and_its_errors(tmp_path: Path) -> None:
    sheet = sample_round(tmp_path)
    template = tmp_path / "mail.j2"
    template.write_text(
        "{% block subject %}Hi {{ people[0].name }}{% endblock %}"
        "{% block text %}{{ group }}:{% for l in people[0].teaches %} {{ l.skills | join('+') }}"
        " to {{ l.learner.name }}{% endfor %}{% endblock %}"
        "{% block html %}<b>{{ names }}</b>{% endblock %}",
        encoding="utf-8",
    )
    call(fake_env(), sheet, tmp_path / "outbox", template=template)
    first = messages(tmp_path / "outbox")["01-E0024-E0127.eml"]
    assert first["Subject"] == "Hi Tariq Haddad"
    assert first.get_body(("plain",)).get_content().strip() == "1: Spanish to Mariana Peña"

    template.write_text(
        "{% block subject %}{{ nobody }}{% endblock %}{% block text %}{% endblock %}"
        "{% block html %}{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="'nobody' is undefined"):
        call(fake_env(), sheet, tmp_path / "other", template=template)
    template.write_text("{% block subject %}x{% endblock %}", encoding="utf-8")
    with pytest.raises(ConfigError, match="has no"):
        call(fake_env(), sheet, tmp_path / "other", template=template)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"sender": None}, "--from"),
        ({"sender": "a@b.org\r\nBcc: x@y"}, "not one address"),
        ({"duration": "30m"}, "give --meeting"),
        ({"smtp": "localhost"}, "only go with --send"),
        ({"send": True}, "--send needs --smtp"),
    ],
)
def test_option_mistakes_are_usage_errors(
    tmp_path: Path, given: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        call(fake_env(), tmp_path / "none.xlsx", tmp_path / "outbox", **given)


def test_a_sheet_without_any_email_is_one_error_and_writes_nothing(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "ID,Name,Specialty,Skills,Wants to learn\nA,Ana,S1,x,y\nB,Bo,S2,y,x\n", encoding="utf-8"
    )
    sheet = match(roster, tmp_path / "round.xlsx")
    with pytest.raises(RosterError, match="nobody in it has an email address"):
        call(fake_env(), sheet, tmp_path / "outbox")
    assert not (tmp_path / "outbox").exists()


def test_a_person_in_two_groups_or_a_sheet_without_groups_is_refused(tmp_path: Path) -> None:
    from cli_helpers import run

    sheet = sample_round(tmp_path, ".csv")
    rows = sheet.read_text(encoding="utf-8-sig").splitlines()
    header, first, second = rows[0], rows[1], rows[2]
    cells = second.split(",")
    cells[header.split(",").index("A key")] = first.split(",")[header.split(",").index("A key")]
    (tmp_path / "twice.csv").write_text("\n".join([header, first, ",".join(cells)]) + "\n")
    result = run(
        "announce", str(tmp_path / "twice.csv"), "-o", str(tmp_path / "o1"), "--from", SENDER
    )
    assert result.exit_code == 3
    assert "is in group 1 and in group 2" in result.stderr
    (tmp_path / "empty.csv").write_text(header + "\n", encoding="utf-8")
    result = run(
        "announce", str(tmp_path / "empty.csv"), "-o", str(tmp_path / "o2"), "--from", SENDER
    )
    assert result.exit_code == 3 and "no groups found" in result.stderr
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (["--from", "Coord <c@x.example> Bcc: evil@x.example"], "--from"),
        (
            ["--from", SENDER, "--meeting", "2027-03-28T02:30", "--tz", "Europe/Berlin"],
            "does not exist",
        ),
        (["--from", SENDER, "--send", "--smtp", "[::1"], "expected [IPv6]"),
    ],
)
def test_an_option_that_cannot_mean_one_thing_is_refused(
    tmp_path: Path, options: list[str], needle: str
) -> None:
    from cli_helpers import run

    sheet = sample_round(tmp_path)
    result = run("announce", str(sheet), "-o", str(tmp_path / "outbox"), *options)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr
    assert not (tmp_path / "outbox").exists()
