"""The calendar invitation (.ics, METHOD:REQUEST) for a group's first meeting."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pairctl.errors import UsageError

if TYPE_CHECKING:
    from icalendar import vCalAddress

DEFAULT_DURATION = dt.timedelta(minutes=30)
_DURATION = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m(?:in)?)?")


@dataclass(frozen=True)
class Meeting:
    """A suggested first meeting: an aware start time in its zone, and how long."""

    start: dt.datetime
    duration: dt.timedelta
    zone: str

    @property
    def when(self) -> str:
        """The start as a person reads it: 'Friday 15 January 2027, 10:00 (Europe/Berlin)'."""
        return f"{self.start:%A} {self.start.day} {self.start:%B %Y, %H:%M} ({self.zone})"

    @property
    def length(self) -> str:
        """The duration in words: '30 minutes', '1 hour 30 minutes'."""
        minutes = int(self.duration.total_seconds() // 60)
        hours, rest = divmod(minutes, 60)
        parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
        parts += [f"{rest} minute{'s' if rest != 1 else ''}"] if rest else []
        return " ".join(parts)


def parse_duration(text: str) -> dt.timedelta:
    """`30m`, `1h`, `1h30m` as a timedelta (at most 24 hours)."""
    found = _DURATION.fullmatch(text.strip().lower())
    if not text.strip() or found is None or not any(found.groups()):
        raise UsageError(f"--duration {text!r}: expected minutes or hours, like 30m, 1h or 1h30m")
    hours, minutes = (int(part or 0) for part in found.groups())
    duration = dt.timedelta(hours=hours, minutes=minutes)
    if not dt.timedelta(0) < duration <= dt.timedelta(hours=24):
        raise UsageError(f"--duration {text!r}: must be more than 0 and at most 24 hours")
    return duration


def parse_meeting(meeting: str, duration: str | None, tz: str | None) -> Meeting:
    """The --meeting, --duration and --tz options as a Meeting.

    The start is read in --tz; without --tz it must carry its own UTC offset
    (`2027-01-15T10:00+01:00`), since a bare local time means a different instant to
    each reader's calendar.
    """
    try:
        start = dt.datetime.fromisoformat(meeting.strip())
    except ValueError:
        raise UsageError(
            f"--meeting {meeting!r}: expected a date and time like 2027-01-15T10:00"
        ) from None
    if tz is not None:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"--tz {tz!r}: not a known time zone (e.g. Europe/Berlin)") from None
        # A start with its own offset is that instant; a bare one is a wall time in --tz.
        if start.tzinfo is None:
            wall = start.replace(tzinfo=zone)
            # A wall time the clock change skips (02:30 on a spring-forward night) comes back
            # different from UTC; say so rather than move the meeting.
            back = wall.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
            if back != start:
                raise UsageError(
                    f"--meeting {meeting!r}: that time does not exist in {tz} (the clocks "
                    "change then); choose another time"
                )
            start = wall
        else:
            start = start.astimezone(zone)
        name = tz
    elif start.tzinfo is not None:
        name = start.strftime("UTC%z")
    else:
        raise UsageError(
            f"--meeting {meeting!r} has no time zone: add --tz (e.g. --tz Europe/Berlin) "
            "or a UTC offset (2027-01-15T10:00+01:00)"
        )
    length = DEFAULT_DURATION if duration is None else parse_duration(duration)
    return Meeting(start, length, name)


def invitation(
    meeting: Meeting,
    *,
    uid: str,
    organizer: tuple[str, str],
    attendees: Sequence[tuple[str, str]],
    summary: str,
    description: str,
    stamp: dt.datetime,
) -> bytes:
    """An iCalendar REQUEST with one VEVENT; `organizer` and each attendee are
    (display name, email). Names must already be free of line breaks."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//pairctl//announce//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", meeting.start)
    event.add("duration", meeting.duration)
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("organizer", _address(*organizer, attendee=False))
    for name, email in attendees:
        event.add("attendee", _address(name, email, attendee=True))
    calendar.add_component(event)
    if isinstance(meeting.start.tzinfo, ZoneInfo):
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _address(name: str, email: str, *, attendee: bool) -> vCalAddress:
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    if attendee:
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address
