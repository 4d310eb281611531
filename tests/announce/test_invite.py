"""The calendar invitation: attached to each group's message and written beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from pairctl.announce.invite import parse_duration, parse_meeting
from pairctl.errors import UsageError

from . import call, fake_env, manifest, messages, recipients, sample_round


def test_invitation_has_the_meeting_and_every_member(tmp_path: Path) -> None:
    call(
        fake_env(),
        sample_round(tmp_path),
        tmp_path / "outbox",
        meeting="2027-01-15T10:00",
        duration="1h30m",
        tz="Europe/Berlin",
    )

    for name, message in messages(tmp_path / "outbox").items():
        ics = (tmp_path / "outbox" / name.replace(".eml", ".ics")).read_bytes()
        attached = [
            p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
        ]
        assert len(attached) == 1
        assert attached[0].get_param("method") == "REQUEST"
        assert attached[0].get_content().encode() == ics

        calendar = icalendar.Calendar.from_ical(ics)
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        start = event.decoded("DTSTART")
        assert start == dt.datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        assert start.utcoffset() == dt.timedelta(hours=1)
        assert event.decoded("DURATION") == dt.timedelta(hours=1, minutes=30)
        attendees = {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
        assert attendees == recipients(message)
        assert str(event["ORGANIZER"]) == "mailto:hr@example.org"
        assert event["UID"].endswith("@example.org")
        text = message.get_body(("plain",)).get_content()
        assert "Friday 15 January 2027, 10:00 (Europe/Berlin), 1 hour 30 minutes" in text


def test_invitation_uid_is_stable_across_runs(tmp_path: Path) -> None:
    sheet = sample_round(tmp_path)
    for outbox in ("one", "two"):
        call(fake_env(), sheet, tmp_path / outbox, meeting="2027-01-15T10:00", tz="UTC")

    def uids(outbox: str) -> list[str]:
        return [
            str(icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")[0]["UID"])
            for p in sorted((tmp_path / outbox).glob("*.ics"))
        ]

    assert uids("one") == uids("two")
    assert len(set(uids("one"))) == 20
    assert all(r["file"] for r in manifest(tmp_path / "one"))


def test_no_meeting_no_invitation(tmp_path: Path) -> None:
    call(fake_env(), sample_round(tmp_path), tmp_path / "outbox")
    assert not list((tmp_path / "outbox").glob("*.ics"))
    first = next(iter(messages(tmp_path / "outbox").values()))
    assert not list(first.iter_attachments())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", 30), ("1h", 60), ("1h30m", 90), ("45min", 45)],
)
def test_durations(text: str, expected: int) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=expected)


@pytest.mark.parametrize("text", ["", "30", "0m", "25h", "1.5h", "m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError, match="--duration"):
        parse_duration(text)


def test_meeting_needs_a_zone() -> None:
    with pytest.raises(UsageError, match="--tz"):
        parse_meeting("2027-01-15T10:00", None, None)
    with pytest.raises(UsageError, match="not a known time zone"):
        parse_meeting("2027-01-15T10:00", None, "Mars/Olympus")
    with pytest.raises(UsageError, match="--meeting"):
        parse_meeting("next friday", None, "UTC")
    offset = parse_meeting("2027-01-15T10:00+01:00", None, None)
    assert offset.start.utcoffset() == dt.timedelta(hours=1)
