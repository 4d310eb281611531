"""Time zones as a roster writes them, and how far apart two are on the round's date.

A zone is read from an IANA name (`Europe/Berlin`), a UTC offset (`+01:00`, `UTC-5`,
`GMT+5:30`) or a city the zone database names exactly once (`Berlin`, `São Paulo`). Nothing
else is read: `PST`, `IST` or `San Francisco` mean different things to different people, so
they are reported, never guessed. Pure: the zone database is read through `zoneinfo`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

_OFFSET = re.compile(
    r"^(?:utc|gmt|z)?\s*(?P<sign>[+\-\u2212\u2013])\s*(?P<hours>\d{1,2})(?:[:.h]?(?P<minutes>\d{2}))?$"
)
_ZERO = frozenset(
    {"utc", "z", "utc+0", "gmt+0", "utc-0", "gmt-0", "utc±0", "+0", "±0", "gmt0", "utc0"}
)
# "GMT" alone is UTC+0 all year, but many who write it mean London's clock (UTC+1 in summer):
# reported like EST. "GMT+0" says the offset, and is read.
# The database's own special files and legacy POSIX names, which no roster means.
_NOT_ZONES = frozenset({"localtime", "factory", "posixrules"})
_NOT_CITIES = (
    "etc/",
    "systemv/",
    "posix/",
    "right/",
    "us/",
    "canada/",
    "brazil/",
    "mexico/",
    "chile/",
)
_ABBREVIATION = re.compile(r"^[A-Z]{2,4}(\d[A-Z\d]*)?$")
"""Database names such as EST, CET or PST8PDT: taken at their word they are often wrong (EST
is UTC-5 all year; most who write it mean New York's clock), so they are reported."""
_TIME_ABBREVIATION = re.compile(r"^[A-Z]{1,4}T$")
"""PST, IST, BST, AEST: not in the database, and IST alone is India, Ireland or Israel."""
_LATEST_OFFSET = 14 * 60
"""The furthest east any zone is from UTC (Kiribati, UTC+14), in minutes."""
_EARLIEST_OFFSET = 12 * 60
"""The furthest west (Baker Island, UTC-12), in minutes."""


@dataclass(frozen=True)
class Zone:
    """A time zone read from a roster cell: an IANA zone, or a fixed offset from UTC."""

    name: str
    """As shown everywhere: the IANA name (`Europe/Berlin`) or `UTC+05:30`."""
    fixed: int | None = None
    """Minutes east of UTC for a fixed offset; None for an IANA zone."""

    def offset(self, day: dt.date) -> int:
        """Minutes east of UTC at noon (UTC) of `day`, daylight saving included."""
        if self.fixed is not None:
            return self.fixed
        noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        delta = noon.astimezone(zoneinfo.ZoneInfo(self.name)).utcoffset()
        return 0 if delta is None else int(delta.total_seconds() // 60)


@dataclass(frozen=True)
class Reading:
    """What a cell says about a time zone: the zone, or why none could be read."""

    zone: Zone | None
    problem: str = ""
    """Why the text names no zone (blank when it does, or when the cell is blank)."""


def offset_name(minutes: int) -> str:
    """`UTC+05:30`, `UTC-08:00`, `UTC+00:00`."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def read_zone(text: str) -> Reading:
    """The zone a time-zone cell names: an IANA name, a UTC offset, or a city the zone
    database names exactly once. A location cell is read with `read_city` alone, so an
    old country-wide name of the database (`Portugal`) is never taken for a place."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return Reading(None)
    lowered = cleaned.casefold().replace(" ", "")
    if lowered in _ZERO:
        return Reading(Zone(offset_name(0), 0))
    found = _OFFSET.match(lowered)
    if found:
        minutes = int(found["hours"]) * 60 + int(found["minutes"] or 0)
        west = found["sign"] != "+"
        furthest = _EARLIEST_OFFSET if west else _LATEST_OFFSET
        if minutes > furthest or int(found["minutes"] or 0) >= 60:
            return Reading(None, f"{cleaned!r} is no UTC offset (they run from -12:00 to +14:00)")
        if west:
            minutes = -minutes
        return Reading(Zone(offset_name(minutes), minutes))
    name = _iana_names().get(_name_key(cleaned))
    if name is not None and not _ABBREVIATION.match(name):
        return Reading(Zone(name))
    if name is not None:
        return Reading(None, _abbreviation(cleaned))
    city = read_city(cleaned)
    # `PST`, `pst`: said to be an abbreviation; `Brest` stays a place nobody's zone names.
    shouting = cleaned.isupper() or (cleaned.islower() and len(cleaned) <= 4)
    if city.zone is None and shouting and _TIME_ABBREVIATION.match(cleaned.upper()):
        return Reading(None, _abbreviation(cleaned))
    return city


def _abbreviation(text: str) -> str:
    return (
        f"{text!r} is an abbreviation, and people read those differently (IST is India, Ireland "
        "or Israel; EST and GMT keep one offset all year, though most who write them mean New "
        "York's or London's clock)"
    )


def read_city(text: str) -> Reading:
    """The zone a place names: a city the zone database names exactly once (`Berlin`,
    `new york`, `Sao Paulo`), also when followed by a country or a note (`London, UK`,
    `Tokyo (HQ)`). Anything else is a problem, never a guess."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return Reading(None)
    tried = [cleaned, re.split(r"[,(/;|]", cleaned, maxsplit=1)[0]]
    for place in tried:
        zones = _cities().get(_city_key(place), ())
        if len(zones) == 1:
            return Reading(Zone(zones[0]))
        if len(zones) > 1:
            return Reading(None, f"{cleaned!r} names {len(zones)} time zones ({', '.join(zones)})")
    return Reading(None, f"{cleaned!r} names no time zone the zone database knows")


def gap_hours(left: npt.ArrayLike, right: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Hours between offsets (minutes east of UTC) the short way round the clock: UTC-8 and
    UTC+11 are 5 hours apart, not 19. NaN where either is unknown."""
    apart = np.abs(np.asarray(left, dtype=np.float64) - np.asarray(right, dtype=np.float64))
    apart = np.mod(apart, 24 * 60)
    result: npt.NDArray[np.float64] = np.minimum(apart, 24 * 60 - apart) / 60
    return result


def _city_key(text: str) -> str:
    """A place name for comparison: accents dropped, case folded, `_`, `-` and spaces alike."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\s_\-.']+", " ", plain).strip().casefold()


def _name_key(text: str) -> str:
    """A zone name for comparison: case folded, spaces as the database's underscores
    (`america/new york` is `America/New_York`)."""
    return text.strip().replace(" ", "_").casefold()


@cache
def _iana_names() -> dict[str, str]:
    """Every zone name of the database, by its comparison form."""
    return {
        _name_key(name): name
        for name in zoneinfo.available_timezones()
        if name.casefold() not in _NOT_ZONES
    }


@cache
def _cities() -> dict[str, tuple[str, ...]]:
    """City (the last part of an Area/City zone name) -> the distinct zones it names. Names
    that the database keeps as links to one zone (`America/Indianapolis` and
    `America/Indiana/Indianapolis`) count once."""
    by_city: dict[str, list[str]] = {}
    for name in sorted(_iana_names().values()):
        if "/" not in name or name.casefold().startswith(_NOT_CITIES):
            continue
        by_city.setdefault(_city_key(name.rsplit("/", 1)[1]), []).append(name)
    # Comparing clocks costs a few hundred look-ups a name: only where a city has two names.
    return {
        city: _distinct(names) if len(names) > 1 else tuple(names)
        for city, names in by_city.items()
    }


def _distinct(names: list[str]) -> tuple[str, ...]:
    """One name for each group of zones with the same clock on every sampled day of the
    last and next few years (the database's links), the longest (the current form, such as
    `America/Argentina/Buenos_Aires`) first."""
    days = [dt.date(year, month, 15) for year in range(2020, 2031) for month in range(1, 13)]
    groups: dict[tuple[int, ...], str] = {}
    for name in sorted(names, key=lambda n: (-len(n), n)):
        zone = Zone(name)
        groups.setdefault(tuple(zone.offset(day) for day in days), name)
    return tuple(sorted(groups.values()))
