"""The month a spreadsheet means: a period cell in any office spelling, or the month a title, sheet or file names.

Pure text work for the loader: every function returns 'YYYY-MM' strings (or the month found) and never raises on
what a user typed. The day order of numeric dates is the caller's to choose from the file's own values
(`day_first_majority`), because '10/11/2024' alone cannot say which month it means.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from monev import periods

_YEARS = range(1900, 2201)

# English words that are also month abbreviations: in free text they are a month only with a year beside them, so
# that "figures may change" names no month.
_NEEDS_A_YEAR = frozenset({"may", "mar"})

# Excel's long date format starts with the weekday ("Kamis, 31 Oktober 2024"); the weekday says nothing more.
_WEEKDAY = (r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu"
            r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s*")
# The time that follows a date when a date-time cell was saved as text ("2024-10-01 00:00:00").
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*[ap]\.?m\.?)?(?:z|[+-]\d{2}:?\d{2})?)?"
# Letters only: a month word may touch digits or '_' ("rekap_okt2024") but not other letters ("Desa", "Smaret").
_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"

_CELL_YEAR_FIRST = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})(?:[-/.](\d{{1,2}}))?{_TIME}", re.IGNORECASE)
_CELL_NUMERIC_DATE = re.compile(rf"(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}", re.IGNORECASE)
_CELL_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4}|\d{2})")
_CELL_COMPACT = re.compile(r"(\d{4})(\d{2})")


@dataclass(frozen=True)
class DayOrder:
    """How a file writes numeric dates, and why we think so."""

    day_first: bool
    ambiguous: int  # values such as '10/11/2024' that name another month when read in the other order
    decided_by: Literal["unambiguous_values", "default"]


@dataclass(frozen=True)
class MonthMention:
    """A month named in free text; `year` is None when the text names only the month."""

    month: int
    year: int | None
    text: str


@functools.cache
def _month_word(group: str = "word") -> str:
    # Longest first, so that "Oktober" is read whole rather than as "Okt" followed by letters.
    spellings = sorted(periods.month_spellings(), key=len, reverse=True)
    return rf"{_NO_LETTER_BEFORE}(?P<{group}>{'|'.join(spellings)}){_NO_LETTER_AFTER}\.?"


@functools.cache
def _cell_named_forms() -> tuple[re.Pattern[str], ...]:
    day_month_year = (rf"(?:{_WEEKDAY})?(?:(?P<day>\d{{1,2}})[\s\-/.]*)?{_month_word()}"
                      rf"[\s\-/.,']*(?P<year>\d{{4}}|\d{{2}}){_TIME}")
    month_day_year = rf"{_month_word()}\s*(?P<day>\d{{1,2}}),?\s*(?P<year>\d{{4}}){_TIME}"
    return tuple(re.compile(form, re.IGNORECASE) for form in (day_month_year, month_day_year))


@functools.cache
def _text_forms() -> re.Pattern[str]:
    """Every way free text names a month, tried left to right at each position; `lone_year` lends its year."""
    year = r"(?:19|20)\d{2}"
    month = r"0?[1-9]|1[0-2]"
    forms = [
        rf"(?<!\d)(?P<iso_year>{year})[-_/.](?P<iso_month>{month})(?:[-_/.](?P<iso_day>\d{{1,2}}))?(?!\d)",
        rf"(?<!\d)(?P<dmy_first>\d{{1,2}})(?P<sep>[-/.])(?P<dmy_second>\d{{1,2}})(?P=sep)(?P<dmy_year>{year})(?!\d)",
        rf"(?<!\d)(?P<my_month>{month})[-_/.](?P<my_year>{year})(?!\d)",
        r"(?<!\d)(?P<compact_year>20\d{2})(?P<compact_month>0[1-9]|1[0-2])(?!\d)",
        # English "October 31, 2024" before the plain month word, which would read the day as a two-digit year.
        rf"{_month_word('mdy_word')}\s+(?P<mdy_day>\d{{1,2}}),?\s+(?P<mdy_year>{year})(?!\d)",
        rf"(?:(?<!\d)\d{{1,2}}[\s\-/.]*)?{_month_word()}(?:[\s\-_/.,']*(?P<year>\d{{4}}|\d{{2}})(?!\d))?",
        rf"(?<!\d)(?P<lone_year>{year})(?!\d)",
    ]
    return re.compile("|".join(f"(?:{form})" for form in forms), re.IGNORECASE)


def _full_year(year_text: str) -> int:
    return 2000 + int(year_text) if len(year_text) == 2 else int(year_text)


def _period(year: int, month: int, day: int | None = None) -> str | None:
    """'YYYY-MM' when year, month and (if given) day make a real date; else None."""
    if year not in _YEARS or not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}"


def _month_number(word: str) -> int:
    return periods.month_spellings()[word.lower()]


def _compact_number(value: int | float) -> str | None:
    """A number typed as YYYYMM (202410); any other number, an Excel serial date included, is no period."""
    if isinstance(value, float) and not value.is_integer():
        return None
    found = _CELL_COMPACT.fullmatch(str(int(value)))
    return _period(int(found.group(1)), int(found.group(2))) if found else None


def parse_period_cell(value: object, *, day_first: bool = True) -> str | None:
    """A cell's period as 'YYYY-MM' (a date, '2024-10', '31/10/2024', '1-Okt-24', 'Oktober 2024' ...) or None."""
    if isinstance(value, dt.date):
        # pandas' NaT is a datetime whose year is NaN: _period turns it away.
        return _period(value.year, value.month)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _compact_number(value)
    text = str(value).strip()
    if found := _CELL_YEAR_FIRST.fullmatch(text):
        day = found.group(3)
        return _period(int(found.group(1)), int(found.group(2)), int(day) if day else None)
    if found := _CELL_NUMERIC_DATE.fullmatch(text):
        first, second = int(found.group(1)), int(found.group(3))
        day, month = (first, second) if day_first else (second, first)
        return _period(_full_year(found.group(4)), month, day)
    if found := _CELL_MONTH_YEAR.fullmatch(text):
        return _period(_full_year(found.group(2)), int(found.group(1)))
    if found := _CELL_COMPACT.fullmatch(text):
        return _period(int(found.group(1)), int(found.group(2)))
    for form in _cell_named_forms():
        if found := form.fullmatch(text):
            day = found.group("day")
            return _period(_full_year(found.group("year")), _month_number(found.group("word")),
                           int(day) if day else None)
    return None


def day_first_majority(values: Iterable[object]) -> DayOrder:
    """The day order of a file's numeric dates: the majority of those only one order can read, else day-first."""
    day_first_votes = month_first_votes = ambiguous = 0
    for value in values:
        if isinstance(value, dt.date) or not isinstance(value, str):
            continue
        found = _CELL_NUMERIC_DATE.fullmatch(value.strip())
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(3))
        if first > 12 >= second:
            day_first_votes += 1
        elif second > 12 >= first:
            month_first_votes += 1
        elif first != second and first <= 12 and second <= 12:
            ambiguous += 1
    if day_first_votes == month_first_votes:
        # No proof either way (or a tie): Indonesian offices write the day first.
        return DayOrder(day_first=True, ambiguous=ambiguous, decided_by="default")
    return DayOrder(day_first=day_first_votes > month_first_votes, ambiguous=ambiguous,
                    decided_by="unambiguous_values")


def _mention_of(found: re.Match[str], whole_text: bool) -> MonthMention | None:
    """The month one match of _text_forms names, or None for a lone year or a date that does not exist."""
    groups = found.groupdict()
    period: str | None = None
    if groups["iso_year"]:
        iso_day = groups["iso_day"]
        period = _period(int(groups["iso_year"]), int(groups["iso_month"]), int(iso_day) if iso_day else None)
    elif groups["dmy_year"]:
        first, second = int(groups["dmy_first"]), int(groups["dmy_second"])
        # Day-first as Indonesian titles write it, unless only the other order makes a date.
        day, month = (second, first) if second > 12 >= first else (first, second)
        period = _period(int(groups["dmy_year"]), month, day)
    elif groups["my_year"]:
        period = _period(int(groups["my_year"]), int(groups["my_month"]))
    elif groups["compact_year"]:
        period = _period(int(groups["compact_year"]), int(groups["compact_month"]))
    elif groups["mdy_year"]:
        period = _period(int(groups["mdy_year"]), _month_number(groups["mdy_word"]), int(groups["mdy_day"]))
    elif groups["word"]:
        year = _full_year(groups["year"]) if groups["year"] else None
        if year is None and not whole_text and groups["word"].lower() in _NEEDS_A_YEAR:
            return None
        return MonthMention(_month_number(groups["word"]), year, found.group(0).strip(" -_/.,'"))
    if period is None:
        return None
    return MonthMention(periods.month_of(period), periods.year_of(period), found.group(0))


def month_in_text(text: str) -> MonthMention | None:
    """The month a title, sheet name or file name names; of several ('Januari s.d. Oktober 2024') the last."""
    mentions: list[tuple[int, MonthMention]] = []
    lone_years: list[tuple[int, int]] = []
    for found in _text_forms().finditer(text):
        if found.group("lone_year"):
            lone_years.append((found.start(), int(found.group("lone_year"))))
        elif mention := _mention_of(found, whole_text=found.group(0).strip() == text.strip()):
            mentions.append((found.start(), mention))
    if not mentions:
        return None
    position, last = mentions[-1]
    if last.year is None and lone_years:
        # "TAHUN 2024 BULAN OKTOBER": a year standing on its own is the month's year; the nearest one wins.
        _, year = min(lone_years, key=lambda item: abs(item[0] - position))
        return MonthMention(last.month, year, last.text)
    return last


def period_of(mention: MonthMention, year_hint: int | None) -> str | None:
    """'YYYY-MM' from the mention's own year, else the hint (the year of another source); None without a year."""
    year = mention.year if mention.year is not None else year_hint
    return None if year is None else _period(year, mention.month)
