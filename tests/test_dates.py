"""Tests for transforms.dates: the shared real-world date strings plus targeted edge cases."""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# The project is not installed into the venv, and bare `pytest` puts tests/ (not the repo root) on sys.path.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from transforms.dates import WIB, DateParseError, parse_date, parse_date_utc, to_utc  # noqa: E402

SHARED_DATA = Path(os.environ.get("WARTA_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
DATE_STRINGS = SHARED_DATA / "indonesian-news-html" / "date_strings.json"

# Fixed crawl moment for relative strings ("17 menit yang lalu").
NOW = datetime(2024, 5, 14, 12, 0, 0, tzinfo=WIB)
UTC = timezone.utc


def _json_cases() -> list:
    # A missing file must fail loudly, not skip: a parametrisation of zero cases would pass silently.
    if not DATE_STRINGS.is_file():
        return [pytest.param(None, id="date_strings.json-missing")]
    cases = json.loads(DATE_STRINGS.read_text(encoding="utf-8"))["cases"]
    return [pytest.param(case, id=f"{i:02d}-{case['raw'][:40]}") for i, case in enumerate(cases)]


def _expected_instant(expected: str) -> datetime:
    """Turn the json's expected value into an aware datetime (naive and date-only mean WIB)."""
    if expected.startswith("RELATIVE:"):
        m = re.fullmatch(r"RELATIVE:([+-]\d+)(s|min|h|d|w)", expected)
        assert m, f"unknown RELATIVE format {expected!r}"
        unit = {"s": "seconds", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m[2]]
        return NOW + timedelta(**{unit: int(m[1])})
    value = datetime.fromisoformat(expected)
    return value if value.tzinfo else value.replace(tzinfo=WIB)


@pytest.mark.parametrize("case", _json_cases())
def test_shared_date_strings(case):
    if case is None:
        pytest.fail(f"date_strings.json not found at {DATE_STRINGS} (set WARTA_SHARED_DATA to the shared data dir)")
    got = parse_date(case["raw"], now=NOW)
    assert got.tzinfo is not None
    assert got == _expected_instant(case["expected"]), f"{case['raw']!r} ({case['source']})"


def test_suaralampung_visible_date_to_utc():
    got = to_utc(parse_date("Kamis, 07 Desember 2023 | 14:05 WIB"))
    assert got == datetime(2023, 12, 7, 7, 5, tzinfo=UTC)
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "raw, expected_utc",
    [
        ("2023-12-07T14:05:00+07:00", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        ("2023-12-07T07:05:00Z", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        ("2023-12-07T14:05:00.123+0700", datetime(2023, 12, 7, 7, 5, 0, 123000, tzinfo=UTC)),
        ("2023-12-07 14:05", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        # detik's old meta pubdate: the Z is false, the page shows "10:08 WIB" for this article.
        ("2015-11-05 T10:08:58Z", datetime(2015, 11, 5, 3, 8, 58, tzinfo=UTC)),
        ("Kamis, 07 Desember 2023 14:05 WITA", datetime(2023, 12, 7, 6, 5, tzinfo=UTC)),
        ("Kamis, 07 Desember 2023 14:05 WIT", datetime(2023, 12, 7, 5, 5, tzinfo=UTC)),
        ("Kompas.com - 07/12/2023, 14:05 WIB", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        ("BANDAR LAMPUNG (7/6/18) - ", datetime(2018, 6, 6, 17, 0, tzinfo=UTC)),
        ("07-12-2023 14.05", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        ("Thu, 07 Dec 2023 07:05:00 GMT", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
        ("Dec 7th, 2023 2:05 PM GMT+7", datetime(2023, 12, 7, 7, 5, tzinfo=UTC)),
    ],
)
def test_formats_to_utc(raw, expected_utc):
    assert parse_date_utc(raw) == expected_utc


@pytest.mark.parametrize(
    "raw, month",
    [
        ("5 Pebruari 2023", 2), ("5 Agt 2023", 8), ("5 Agu 2023", 8), ("5 Sept 2023", 9), ("5 Sep 2023", 9),
        ("5 Okt 2023", 10), ("5 Nop 2023", 11), ("5 Des 2023", 12), ("5 Mar 2023", 3), ("5 Mei 2023", 5),
        ("5 May 2023", 5), ("5 October 2023", 10), ("Jum'at, 5 Jan. 2023", 1), ("Ahad, 5 Juni 2023", 6),
    ],
)
def test_month_spellings(raw, month):
    assert parse_date(raw) == datetime(2023, month, 5, tzinfo=WIB)


def test_naive_strings_use_default_tz():
    assert parse_date("07/12/2023 14:05", default_tz=UTC) == datetime(2023, 12, 7, 14, 5, tzinfo=UTC)
    assert parse_date("07/12/2023").utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    "raw, delta",
    [
        ("2 jam lalu", timedelta(hours=-2)), ("3 hari yang lalu", timedelta(days=-3)),
        ("17 menit yang lalu", timedelta(minutes=-17)), ("sejam yang lalu", timedelta(hours=-1)),
        ("2 minggu lalu", timedelta(weeks=-2)), ("30 detik lalu", timedelta(seconds=-30)),
        ("5 minutes ago", timedelta(minutes=-5)), ("baru saja", timedelta(0)), ("kemarin", timedelta(days=-1)),
    ],
)
def test_relative(raw, delta):
    assert parse_date(raw, now=NOW) == NOW + delta


def test_relative_day_word_keeps_printed_time():
    assert parse_date("Kemarin, 09:30 WIB", now=NOW) == datetime(2024, 5, 13, 9, 30, tzinfo=WIB)


def test_relative_with_naive_now_uses_default_tz():
    assert parse_date("2 jam lalu", now=datetime(2024, 5, 14, 12, 0)) == datetime(2024, 5, 14, 10, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "empty"), ("   \n\t", "empty"),
        ("lorem ipsum", "unrecognised"), ("Kamis, 14:05 WIB", "unrecognised"), ("2023", "unrecognised"),
        ("31 Februari 2023", "invalid_date"), ("Kamis, 07 Desember 2023 25:00 WIB", "invalid_date"),
        ("2023-13-01T10:00:00Z", "invalid_date"), ("32/01/2023", "invalid_date"),
        ("99999999 tahun yang lalu", "invalid_date"),
        ("17 menit yang lalu", "relative_without_now"), ("kemarin", "relative_without_now"),
    ],
)
def test_error_reasons(raw, reason):
    now = NOW if reason == "invalid_date" else None
    with pytest.raises(DateParseError) as info:
        parse_date(raw, now=now)
    assert info.value.reason == reason
    assert isinstance(info.value, ValueError)


def test_error_pickles_and_names_the_text():
    err = pickle.loads(pickle.dumps(DateParseError("unrecognised", "lorem")))
    assert (err.reason, err.text) == ("unrecognised", "lorem")
    assert "lorem" in str(err)


def test_non_str_input_is_a_date_parse_error():
    with pytest.raises(DateParseError):
        parse_date(None)  # type: ignore[arg-type]


def test_to_utc_refuses_naive():
    with pytest.raises(ValueError):
        to_utc(datetime(2023, 12, 7, 14, 5))


_FUZZ_PIECES = [
    "Kamis", "Jum'at", ",", " | ", " - ", "/", ":", ".", "(", ")", "WIB", "WITA", "WIT", "GMT", "Z", "T", "+",
    "0700", "+07:00", "Desember", "Ags", "Nopember", "Feb", "2023", "23", "07", "31", "99", "25", "00", "yang",
    "lalu", "menit", "jam", "kemarin", "baru saja", " ", "  ", "\u00a0", "\u0663", "\u2019", "é", "\x00", "pm",
]


def test_fuzz_only_date_parse_error_escapes():
    rng = random.Random(20231207)
    for _ in range(600):
        pieces = rng.choices(_FUZZ_PIECES, k=rng.randint(0, 12))
        raw = "".join(pieces) if rng.random() < 0.5 else " ".join(pieces)
        if rng.random() < 0.2:
            raw = "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 30)))
        for now in (None, NOW):
            try:
                got = parse_date(raw, now=now)
            except DateParseError as err:
                assert err.reason in {"empty", "unrecognised", "invalid_date", "relative_without_now"}
            else:
                assert got.tzinfo is not None and got.utcoffset() is not None, raw
