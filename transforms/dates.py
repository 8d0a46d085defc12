"""Parse the date strings Indonesian news portals print into timezone-aware datetimes.

Hand-written with `re` instead of dateparser: dateparser's Indonesian locale misses "Ags", "Jum'at" and
"Pebruari", and it is slow enough to matter when every row of a crawl goes through it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

__all__ = ["WIB", "WITA", "WIT", "DateParseError", "parse_date", "parse_date_utc", "to_utc"]

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))

_ZONES = {"wib": WIB, "wita": WITA, "wit": WIT, "gmt": timezone.utc, "utc": timezone.utc, "ut": timezone.utc}

_MONTHS = {
    1: "januari january jan",
    2: "februari pebruari february feb peb",
    3: "maret march mar",
    4: "april apr",
    5: "mei may",
    6: "juni june jun",
    7: "juli july jul",
    8: "agustus august agu agt ags aug",
    9: "september sept sep",
    10: "oktober october okt oct",
    11: "november nopember nov nop",
    12: "desember december des dec",
}
_MONTH_NUMBER = {name: num for num, names in _MONTHS.items() for name in names.split()}
# Longest first so "juni" wins over "jun" inside the alternation.
_MONTH_RE = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
MONTH_PATTERN = _MONTH_RE  # every month name and abbreviation, as a regex alternation (for other modules' patterns)
_ORD = r"(?:st|nd|rd|th)?"

# re.ASCII keeps \d and \b to ASCII, so exotic Unicode digits are "unrecognised" rather than surprises.
_FLAGS = re.ASCII

# A full ISO/JSON-LD timestamp; the separator group lets us spot detik's " T" quirk (see _iso_zone).
_ISO_DATETIME = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?P<sep>\s*t\s*|\s+)"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6})\d*)?)?"
    r"\s*(?P<zone>z\b|[+-]\d{2}(?::?\d{2})?(?!\d))?",
    _FLAGS,
)

# Calendar dates without time; the earliest match in the string wins.
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)", _FLAGS),
    # Numeric dates are day first in Indonesia: 07/12/2023 is 7 December.
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)", _FLAGS),
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}[\s\-/.]*(?P<m>{_MONTH_RE})\b\.?[\s,\-/.]*(?P<y>\d{{4}})(?!\d)", _FLAGS
    ),
    # Month first, as Blogger themes print it: "Agustus 06, 2022".
    re.compile(rf"\b(?P<m>{_MONTH_RE})\b\.?\s*(?P<d>\d{{1,2}}){_ORD},?\s*(?P<y>\d{{4}})(?!\d)", _FLAGS),
)

_TIME = re.compile(
    r"(?<![\d.:])(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?(?![\d]|[.:]\d)"
    r"(?:\s*(?P<ap>[ap])\.?m\b\.?)?",
    _FLAGS,
)
_OFFSET = re.compile(r"(?<![\w+-])(?P<pfx>gmt|utc)?\s?(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<mi>\d{2}))?(?!\d)", _FLAGS)
_ZONE_NAME = re.compile(r"\b(?P<name>wita|wit|wib|gmt|utc|ut)\b", _FLAGS)

_UNIT_DELTA = {
    "detik": timedelta(seconds=1), "menit": timedelta(minutes=1), "jam": timedelta(hours=1),
    "hari": timedelta(days=1), "minggu": timedelta(weeks=1), "pekan": timedelta(weeks=1),
    # Months and years have no fixed length; a listing's "2 bulan lalu" is approximate anyway.
    "bulan": timedelta(days=30), "tahun": timedelta(days=365),
    "second": timedelta(seconds=1), "sec": timedelta(seconds=1), "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1), "hour": timedelta(hours=1), "hr": timedelta(hours=1),
    "day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30), "year": timedelta(days=365),
}
_UNIT_RE = "|".join(sorted(_UNIT_DELTA, key=len, reverse=True))
_RELATIVE = re.compile(
    rf"(?<!\w)(?P<n>\d{{1,9}}|se|satu|an?)\s*(?P<unit>{_UNIT_RE})s?\s+(?:(?:yang|yg)\s+)?(?:lalu|silam|ago)\b", _FLAGS
)
# Day words keep a printed time ("kemarin, 14:05"); "baru saja" means the crawl moment itself.
_DAY_WORDS = {
    "kemarin lusa": -2, "kemarin": -1, "yesterday": -1, "hari ini": 0, "today": 0,
    "baru saja": 0, "barusan": 0, "just now": 0, "sekarang": 0,
}
_MOMENT_WORDS = {"baru saja", "barusan", "just now", "sekarang"}
_DAY_WORD_RE = re.compile(r"\b(?P<word>" + "|".join(_DAY_WORDS) + r")\b", _FLAGS)


class DateParseError(ValueError):
    """A date string we cannot turn into an instant; .reason is a short snake_case name."""

    def __init__(self, reason: str, text: str):
        # Both go into args so the error pickles across Airflow/Scrapy process boundaries.
        super().__init__(reason, text)
        self.reason = reason
        self.text = text

    def __str__(self) -> str:
        return f"{self.reason}: {self.text[:120]!r}"


def parse_date(text: str, *, now: datetime | None = None, default_tz: tzinfo = WIB) -> datetime:
    """Parse an Indonesian (or English/ISO) date string into a timezone-aware datetime."""
    if not isinstance(text, str):
        raise DateParseError("empty" if text is None else "unrecognised", repr(text))
    s = _normalise(text)
    if not s:
        raise DateParseError("empty", text)
    try:
        result = _parse_absolute(s, default_tz)
        if result is None:
            result = _parse_relative(s, text, now, default_tz)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, DateParseError):
            raise
        raise DateParseError("invalid_date", text) from exc
    if result is None:
        raise DateParseError("unrecognised", text)
    return result


def to_utc(dt: datetime) -> datetime:
    """Convert an aware datetime to UTC; a naive one is refused because its zone is unknown."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime has no zone to convert from: {dt!r}")
    return dt.astimezone(timezone.utc)


def parse_date_utc(text: str, *, now: datetime | None = None) -> datetime:
    """Parse a date string (see parse_date) and return it in UTC."""
    return to_utc(parse_date(text, now=now))


def _normalise(text: str) -> str:
    s = re.sub(r"[\u2018\u2019\u02bc`\u00b4]", "'", text.lower())
    s = s.replace("jum'at", "jumat")
    return " ".join(s.split())


def _parse_absolute(s: str, default_tz: tzinfo) -> datetime | None:
    iso = _ISO_DATETIME.search(s)
    found = _find_date(s)
    if iso and (found is None or iso.start() <= found[1].start()):
        return _from_iso(iso, default_tz)
    if found is None:
        return None
    (year, month, day), match = found
    rest = s[: match.start()] + " " + s[match.end():]
    hms, rest = _find_time(rest)
    zone = _find_zone(rest) or default_tz
    return datetime(year, month, day, *(hms or (0, 0, 0)), tzinfo=zone)


def _from_iso(m: re.Match, default_tz: tzinfo) -> datetime:
    micro = int((m["frac"] or "0").ljust(6, "0"))
    zone = _iso_zone(m["zone"], m["sep"], default_tz)
    return datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["h"]), int(m["mi"]), int(m["s"] or 0), micro,
                    tzinfo=zone)


def _iso_zone(zone: str | None, sep: str, default_tz: tzinfo) -> tzinfo:
    if not zone:
        return default_tz
    if zone == "z":
        # detik's old <meta name="pubdate"> reads "2015-11-05 T10:08:58Z" (space before the T), yet the page
        # shows "10:08 WIB" and the ground truth is 10:08:58+07:00: in that shape the Z is false and the
        # value is local. A well-formed "...T10:08:58Z" (as in detik's RSS, which is real GMT) stays UTC.
        return default_tz if sep[:1].isspace() else timezone.utc
    return _offset(zone[0], zone[1:3], zone[-2:] if len(zone) > 3 else "00")


def _find_date(s: str) -> tuple[tuple[int, int, int], re.Match] | None:
    matches = [m for m in (p.search(s) for p in _DATE_PATTERNS) if m]
    if not matches:
        return None
    m = min(matches, key=lambda match: match.start())
    month = _MONTH_NUMBER.get(m["m"]) or int(m["m"])
    return (_full_year(m["y"]), month, int(m["d"])), m


def _full_year(year: str) -> int:
    # Two-digit years appear only in body datelines like "(7/6/18)"; online news starts in the 1990s.
    if len(year) == 2:
        return int(year) + (2000 if int(year) < 70 else 1900)
    return int(year)


def _find_time(s: str) -> tuple[tuple[int, int, int] | None, str]:
    m = _TIME.search(s)
    if not m:
        return None, s
    hour = int(m["h"])
    if m["ap"] and 1 <= hour <= 12:
        hour = hour % 12 + (12 if m["ap"] == "p" else 0)
    return (hour, int(m["mi"]), int(m["s"] or 0)), s[: m.start()] + " " + s[m.end():]


def _find_zone(s: str) -> tzinfo | None:
    off = _OFFSET.search(s)
    # A bare "+07"/"-5" is too easily a stray number; accept it only as "+0700"/"+07:00" or after GMT/UTC.
    if off and (off["pfx"] or (len(off["h"]) == 2 and off["mi"])):
        return _offset(off["sign"], off["h"], off["mi"] or "00")
    name = _ZONE_NAME.search(s)
    return _ZONES[name["name"]] if name else None


def _offset(sign: str, hours: str, minutes: str) -> timezone:
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _parse_relative(s: str, text: str, now: datetime | None, default_tz: tzinfo) -> datetime | None:
    rel = _RELATIVE.search(s)
    word = None if rel else _DAY_WORD_RE.search(s)
    if not rel and not word:
        return None
    if now is None:
        raise DateParseError("relative_without_now", text)
    anchor = now if now.tzinfo else now.replace(tzinfo=default_tz)
    if rel:
        count = int(rel["n"]) if rel["n"].isdigit() else 1
        return anchor - count * _UNIT_DELTA[rel["unit"]]
    return _apply_day_word(anchor, word["word"], s)


def _apply_day_word(anchor: datetime, word: str, s: str) -> datetime:
    zone = _find_zone(s)
    if zone:
        anchor = anchor.astimezone(zone)
    result = anchor + timedelta(days=_DAY_WORDS[word])
    hms, _ = _find_time(s)
    if hms and word not in _MOMENT_WORDS:
        result = result.replace(hour=hms[0], minute=hms[1], second=hms[2], microsecond=0)
    return result
