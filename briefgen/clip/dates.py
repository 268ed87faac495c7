"""Date and time lines as news sites print them, in English and Russian, to ISO 8601."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

__all__ = ["DateLine", "parse_date_line"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}
_MONTH = (r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
          r"|(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
          r"|(?:янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек)\.?)")
_DATE_PATTERNS = [
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T ](?P<iso_time>\d{1,2}:\d{2}"
               r"(?::\d{2})?)(?:\.\d+)?(?P<iso_tz>Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?P<year>\d{4})/(?P<mon>\d{1,2})/(?P<day>\d{1,2})"),
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(?P<year>\d{{4}})",
               re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})",
               re.IGNORECASE),
]
_TIME = re.compile(r"(?<![\d.:])(?P<h>\d{1,2})[:.](?P<m>\d{2})(?![\d.:]\d)"
                   r"(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?", re.IGNORECASE)
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "bst": 60, "cet": 60, "cest": 120, "eet": 120,
          "eest": 180, "msk": 180, "мск": 180, "est": -300, "edt": -240, "cst": -360,
          "cdt": -300, "pst": -480, "pdt": -420}
_ZONE = re.compile(r"(?<![\w])(?P<name>utc|gmt|bst|cest|cet|eest|eet|msk|мск|est|edt|cst|cdt|pst|"
                   r"pdt)(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?(?![\w])", re.IGNORECASE)
_UPDATED = re.compile(r"\b(updated|last updated|modified|edited|обновлено|обновлен[оа]?|"
                      r"изменено|дополнено)\b", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(published|posted|first published|updated|last updated|modified|on|at|date|"
    r"опубликовано|опубликован[оа]?|обновлено|обновлен[оа]?|изменено|дата|публикации|в|г|года|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"пн|вт|ср|чт|пт|сб|вс|time|время)\b", re.IGNORECASE)


@dataclass
class DateLine:
    """A line that is a date: ISO text and whether it is the 'updated' date."""

    iso: str
    updated: bool


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")[:3]
    if key == "ма" or name.lower().startswith("мая"):
        return 5
    return _MONTHS.get(key)


def _find_date(line: str) -> tuple[date, re.Match[str]] | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.search(line)
        if not match:
            continue
        groups = match.groupdict()
        month = _month(groups["month"]) if groups.get("month") else int(groups["mon"])
        if month is None:
            continue
        try:
            return date(int(groups["year"]), month, int(groups["day"])), match
        except ValueError:
            continue
    return None


def parse_date_line(line: str, loose: bool = False) -> DateLine | None:
    """The date of a line that is only a date/time (with words like 'Published', 'Updated',
    'GMT', 'в', 'г.'); None for a line that also says something else. With loose, any date in
    the line is taken."""
    found = _find_date(line)
    if found is None:
        return None
    day, match = found
    rest = line[:match.start()] + " " + line[match.end():]
    clock: time | None = None
    offset: int | None = None
    if match.groupdict().get("iso_time"):
        clock = time.fromisoformat(match.group("iso_time").zfill(5))
        zone = match.group("iso_tz")
        if zone:
            sign = -1 if zone.startswith("-") else 1
            digits = zone.replace(":", "")[1:] if zone != "Z" else "0000"
            offset = sign * (int(digits[:2]) * 60 + int(digits[2:4])) if zone != "Z" else 0
    else:
        time_match = _TIME.search(rest)
        if time_match:
            hour, minute = int(time_match["h"]), int(time_match["m"])
            if time_match["ampm"]:
                hour = hour % 12 + (12 if time_match["ampm"].lower() == "p" else 0)
            if hour < 24 and minute < 60:
                clock = time(hour, minute)
                rest = rest[:time_match.start()] + " " + rest[time_match.end():]
    zone_match = _ZONE.search(rest)
    if zone_match and clock is not None and offset is None:
        offset = _ZONES[zone_match["name"].lower()]
        if zone_match["offset"]:
            sign = -1 if zone_match["offset"].startswith("-") else 1
            hours, _, minutes = zone_match["offset"][1:].partition(":")
            offset += sign * (int(hours[:2]) * 60 + int(minutes or hours[2:] or 0))
    if zone_match:
        rest = rest[:zone_match.start()] + " " + rest[zone_match.end():]
    leftover = re.sub(r"[^\w]+", " ", _FILLER.sub(" ", rest)).split()
    if leftover and not loose:
        return None
    if clock is None:
        iso = day.isoformat()
    else:
        stamp = datetime.combine(day, clock)
        if offset is not None:
            stamp = stamp.replace(tzinfo=timezone(timedelta(minutes=offset)))
        iso = stamp.isoformat()
    return DateLine(iso, bool(_UPDATED.search(line)))
