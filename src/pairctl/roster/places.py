"""Each person's time zone, from a time zone column or, where that is blank or missing, a
location naming one city; with a line for every value that names no zone."""

from __future__ import annotations

from collections.abc import Callable

from pairctl.core.words import plural
from pairctl.core.zones import Reading, read_city, read_zone

_SHOWN_ROWS = 5
_SHOWN_VALUES = 8


def read_zones(
    zones: list[str],
    sites: list[str],
    rows: list[int],
    location: Callable[[int | None, str | None], str],
    zone_column: str | None,
    site_column: str | None,
) -> tuple[list[str], list[str]]:
    """Each person's zone name ('' unknown) and one warning per value that names no zone
    (its rows listed), at most `_SHOWN_VALUES` of them and one line for the rest.

    A time zone cell is read first; a blank one (or no time zone column) falls back to the
    location cell, read as a city the zone database names exactly once."""
    if zone_column is None and site_column is None:
        return [""] * len(rows), []
    readings: dict[tuple[str, str], Reading] = {}
    bad: dict[tuple[str, str], list[int]] = {}
    names = []
    for zone, site, row in zip(zones, sites, rows, strict=True):
        if zone_column is not None and zone:
            where, text, read = zone_column, zone, read_zone
        elif site_column is not None and site:
            where, text, read = site_column, site, read_city
        else:
            names.append("")
            continue
        found = readings.get((where, text))
        if found is None:
            found = readings[(where, text)] = read(text)
        if found.zone is None:
            bad.setdefault((where, text), []).append(row)
            names.append("")
        else:
            names.append(found.zone.name)
    warnings = []
    for column in dict.fromkeys(where for where, _ in bad):
        values = [text for where, text in bad if where == column]
        tried = sum(1 for where, _ in readings if where == column)
        if len(values) > _SHOWN_VALUES and 2 * len(values) > tried:
            # Mostly unreadable (a country column, free text): one line, not one per value.
            people = sum(len(at) for (where, _), at in bad.items() if where == column)
            examples = ", ".join(repr(v) for v in values[:3])
            warnings.append(
                f"{location(None, column)}: {len(values)} of its {tried} values name no time "
                f"zone the zone database knows ({plural(people, 'person', 'people')}), such "
                f"as {examples}: name a time zone column (--map timezone=COLUMN); until then "
                "no time-zone rule applies to them"
            )
            bad = {place: at for place, at in bad.items() if place[0] != column}
    for (where, text), at in list(bad.items())[:_SHOWN_VALUES]:
        shown = ", ".join(map(str, at[:_SHOWN_ROWS])) + (", …" if len(at) > _SHOWN_ROWS else "")
        rows_said = f"row {shown}" if len(at) == 1 else f"rows {shown}"
        warnings.append(
            f"{location(None, where)} {rows_said}: {readings[(where, text)].problem}; write an "
            "IANA name (America/Los_Angeles), a UTC offset (UTC-08:00) or a city the zone "
            "database names (Los Angeles) in a time zone column; until then no time-zone rule "
            "applies to them"
        )
    rest = list(bad.items())[_SHOWN_VALUES:]
    if rest:
        people = sum(len(at) for _, at in rest)
        columns = list(dict.fromkeys(where for (where, _), _ in rest))
        places = location(None, columns[0]) + "".join(f" and {c!r}" for c in columns[1:])
        counted = "1 more value names" if len(rest) == 1 else f"{len(rest)} more values name"
        warnings.append(
            f"{places}: and {counted} no time zone ({plural(people, 'person', 'people')})"
        )
    return names, warnings
