"""Numbers, percentages, Rupiah, months and moments for people, in Indonesian (default) or English, via Babel."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from monev import i18n, periods
from monev.i18n import DEFAULT_LANGUAGE

_log = logging.getLogger(__name__)
MISSING = "–"
# From a million up, Rupiah are written the way officials say them: "Rp1,2 miliar".
_COMPACT_RUPIAH_FROM = 1_000_000
# Moments are shown in the office's local time; another province sets its zone, e.g. Asia/Makassar for WITA.
TIMEZONE_ENV = "MONEV_TIMEZONE"
DEFAULT_TIMEZONE = "Asia/Jakarta"
# The app's English writes days first and hours 00-23 ("20 November 2024"), as British English does.
_DATETIME_LOCALE = {"en": "en_GB"}


def _known(value: float | None) -> float | None:
    """The value, or None where it is missing (None or NaN)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def counted(key: str, count: int, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``count`` things: catalog key ``<key>_one`` or ``<key>_other`` by the language's plural rule."""
    # Babel's CLDR rules: English says "1 region" but "0 regions"; Indonesian has one form ("1 wilayah", "2 wilayah").
    form = "one" if Locale.parse(i18n.supported(lang)).plural_form(count) == "one" else "other"
    return i18n.t(f"{key}_{form}", lang, count=number(count, lang), **params)


def number(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole number with thousands separators: 1.101.234 (id), 1,101,234 (en)."""
    value = _known(value)
    if value is None:
        return MISSING
    return format_decimal(round(value), format="#,##0", locale=lang)


def decimal(value: float | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """Decimal number with a fixed count of digits: 12,5 (id)."""
    value = _known(value)
    if value is None:
        return MISSING
    return format_decimal(value, format="#,##0." + "0" * digits, locale=lang)


def percent(rate: float | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A rate given as a fraction, as a percentage: 0.3698 -> 37,0% (id), 37.0% (en)."""
    rate = _known(rate)
    if rate is None:
        return MISSING
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(rate, format=pattern, locale=lang)


def points(delta_rate: float | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A difference of two rates in percentage points, signed: -2,0 pp."""
    delta_rate = _known(delta_rate)
    if delta_rate is None:
        return MISSING
    zeros = "0" * digits
    points_value = round(delta_rate * 100, digits)
    if points_value == 0:  # no "+0,0" or "-0,0": zero has no direction
        return format_decimal(0, format=f"#,##0.{zeros}" if digits else "#,##0", locale=lang) + " pp"
    pattern = f"+#,##0.{zeros};-#,##0.{zeros}" if digits else "+#,##0;-#,##0"
    return format_decimal(points_value, format=pattern, locale=lang) + " pp"


def rupiah(amount: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Rupiah without decimals, compact from a million: Rp16.800, Rp1,2 miliar (id), Rp1.2 billion (en)."""
    amount = _known(amount)
    if amount is None:
        return MISSING
    if abs(amount) >= _COMPACT_RUPIAH_FROM:
        return "Rp" + format_compact_decimal(amount, format_type="long", locale=lang, fraction_digits=1)
    # Written "Rp" in both languages: the English CLDR symbol "IDR" is not what Indonesian documents use.
    return "Rp" + number(amount, lang)


def month(period: str, lang: str = DEFAULT_LANGUAGE, abbreviated: bool = False) -> str:
    """'2024-10' -> 'Oktober 2024' (or 'Okt 2024' abbreviated)."""
    return format_date(periods.to_date(period), "MMM y" if abbreviated else "MMMM y", locale=lang)


def timezone(env: Mapping[str, str] = os.environ) -> ZoneInfo:
    """The configured local time zone (``MONEV_TIMEZONE``, default Asia/Jakarta = WIB), read on every use; a name
    that is no time zone is logged once and WIB is used, so a typo in a setting never stops a page."""
    name = env.get(TIMEZONE_ENV, "").strip() or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _warn_unknown_zone(name)
        return ZoneInfo(DEFAULT_TIMEZONE)


@functools.lru_cache(maxsize=8)
def _warn_unknown_zone(name: str) -> None:
    _log.warning("%s=%r is not a time zone; showing times in %s", TIMEZONE_ENV, name, DEFAULT_TIMEZONE)


def local_time(when: dt.datetime, env: Mapping[str, str] = os.environ) -> dt.datetime:
    """A moment in the configured zone (a moment without a zone, as SQLite gives stored ones back, is UTC)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return aware.astimezone(timezone(env))


def today(env: Mapping[str, str] = os.environ) -> dt.date:
    """Today's date in the configured zone (not the server's, which may run on UTC)."""
    return dt.datetime.now(timezone(env)).date()


def moment(when: dt.datetime, lang: str = DEFAULT_LANGUAGE, env: Mapping[str, str] = os.environ) -> str:
    """A moment in local time with the zone: 7 Des 2026 02.32 WIB (id), 7 Dec 2026, 02:32 WIB (en)."""
    local = local_time(when, env)
    lang = i18n.supported(lang)
    locale = Locale.parse(_DATETIME_LOCALE.get(lang, lang))
    # Babel's medium date and short time, joined the locale's way; the IANA abbreviation names the zone (WIB,
    # WITA, WIT), where CLDR's English has only "+0700".
    pattern = locale.datetime_formats["medium"].format(locale.time_formats["short"].pattern,
                                                       locale.date_formats["medium"].pattern)
    return f"{format_datetime(local, pattern, locale=locale)} {local.tzname()}"
