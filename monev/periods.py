"""Monthly periods as 'YYYY-MM' strings: parsing what people type, and month arithmetic."""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel.dates import get_month_names

# Spellings seen in Indonesian office files that the CLDR names do not cover.
_EXTRA_MONTH_SPELLINGS = {"agt": 8, "agus": 8, "nop": 11, "peb": 2, "sept": 9, "okto": 10, "des": 12}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T].*)?$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{4}|\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_NAMED = re.compile(r"^([^\W\d_]+)\.?[\s\-/]*(\d{4}|\d{2})$")


@functools.cache
def _month_numbers() -> dict[str, int]:
    names: dict[str, int] = dict(_EXTRA_MONTH_SPELLINGS)
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


def _full_year(year_text: str) -> int:
    year = int(year_text)
    return 2000 + year if len(year_text) == 2 else year


def _make(year: int, month: int) -> str | None:
    if 1 <= month <= 12 and 1900 <= year <= 2200:
        return f"{year:04d}-{month:02d}"
    return None


def parse_period(value: object) -> str | None:
    """'2024-10', '10/2024', 'Okt 2024', 'Oktober 2024', '202410' or an Excel date -> '2024-10'; else None."""
    if isinstance(value, dt.date):
        return _make(value.year, value.month)
    text = str(value).strip()
    if found := _ISO.match(text):
        return _make(int(found.group(1)), int(found.group(2)))
    if found := _MONTH_FIRST.match(text):
        return _make(_full_year(found.group(2)), int(found.group(1)))
    if found := _COMPACT.match(text):
        return _make(int(found.group(1)), int(found.group(2)))
    if found := _NAMED.match(text):
        month = _month_numbers().get(found.group(1).lower())
        return _make(_full_year(found.group(2)), month) if month else None
    return None


def month_index(period: str) -> int:
    """Months since year 0, so that consecutive months differ by one."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def from_month_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift(period: str, months: int) -> str:
    return from_month_index(month_index(period) + months)


def year_of(period: str) -> int:
    return int(period[:4])


def month_of(period: str) -> int:
    return int(period[5:7])


def to_date(period: str) -> dt.date:
    return dt.date(year_of(period), month_of(period), 1)


def month_spellings() -> dict[str, int]:
    """Every month spelling we read, lower case and without a trailing dot -> month number."""
    return dict(_month_numbers())
