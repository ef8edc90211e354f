"""Numbers for people: Indonesian separators by default, English on request, a dash for missing values."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from monev import fmt


@pytest.mark.parametrize(
    ("call", "indonesian", "english"),
    [
        (lambda lang: fmt.number(1101234, lang), "1.101.234", "1,101,234"),
        (lambda lang: fmt.number(np.int64(708000), lang), "708.000", "708,000"),
        (lambda lang: fmt.percent(0.3698, lang), "37,0%", "37.0%"),
        (lambda lang: fmt.percent(0.75, lang, digits=0), "75%", "75%"),
        (lambda lang: fmt.decimal(12.5, lang), "12,5", "12.5"),
        (lambda lang: fmt.points(-0.0202, lang), "-2,0 pp", "-2.0 pp"),
        (lambda lang: fmt.points(0.0202, lang), "+2,0 pp", "+2.0 pp"),
        (lambda lang: fmt.rupiah(1_200_000_000, lang), "Rp1,2 miliar", "Rp1.2 billion"),
        (lambda lang: fmt.rupiah(2_500_000, lang), "Rp2,5 juta", "Rp2.5 million"),
        (lambda lang: fmt.month("2024-10", lang), "Oktober 2024", "October 2024"),
        (lambda lang: fmt.month("2024-08", lang), "Agustus 2024", "August 2024"),
    ],
)
def test_formats_in_indonesian_and_english(call, indonesian, english):
    assert call("id") == indonesian
    assert call("en") == english


def test_indonesian_is_the_default_language():
    assert fmt.number(1101234) == "1.101.234"
    assert fmt.month("2024-10") == "Oktober 2024"


def test_rupiah_below_a_million_is_written_in_full():
    assert fmt.rupiah(16800, "id") == "Rp16.800"


def test_rupiah_uses_the_same_rp_symbol_for_small_and_large_amounts_in_english():
    # "Rp1.2 billion" next to "IDR16,800" on the same screen would be two spellings of one currency.
    large, small = fmt.rupiah(1_200_000_000, "en"), fmt.rupiah(16800, "en")
    assert large.startswith("Rp")
    assert small == "Rp16,800"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), np.float64("nan")])
@pytest.mark.parametrize("formatter", [fmt.number, fmt.decimal, fmt.percent, fmt.points, fmt.rupiah])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_missing_values_show_the_missing_mark(formatter, missing, lang):
    assert formatter(missing, lang) == fmt.MISSING


@pytest.mark.parametrize(("count", "indonesian", "english"), [
    (0, "0 wilayah", "0 regions"),
    (1, "1 wilayah", "1 region"),
    (2, "2 wilayah", "2 regions"),
    (1234, "1.234 wilayah", "1,234 regions"),
])
def test_counted_follows_each_languages_plural_rule_and_formats_the_count(count, indonesian, english):
    assert fmt.counted("map.region_count", count, "id") == indonesian
    assert fmt.counted("map.region_count", count, "en") == english


def test_counted_fills_the_other_placeholders():
    written = fmt.counted("cli.boundaries_ok", 1, "en", source="x.geojson")
    assert written == "Boundaries are valid: 1 region from x.geojson."


# --- moments -------------------------------------------------------------------------------------------------------

LATE_EVENING_UTC = dt.datetime(2026, 12, 6, 19, 32, tzinfo=dt.UTC)


@pytest.fixture
def default_zone(monkeypatch):
    monkeypatch.delenv(fmt.TIMEZONE_ENV, raising=False)


@pytest.mark.usefixtures("default_zone")
def test_a_moment_is_shown_in_wib_in_each_languages_format():
    # 19:32 UTC is 02:32 the next morning in Jakarta (UTC+7): the day changes too.
    assert fmt.moment(LATE_EVENING_UTC, "id") == "7 Des 2026 02.32 WIB"
    assert fmt.moment(LATE_EVENING_UTC, "en") == "7 Dec 2026, 02:32 WIB"


@pytest.mark.usefixtures("default_zone")
def test_a_moment_without_a_zone_is_taken_as_utc():
    # SQLite returns the stored UTC moments without their zone.
    assert fmt.moment(LATE_EVENING_UTC.replace(tzinfo=None), "id") == "7 Des 2026 02.32 WIB"


@pytest.mark.parametrize(("zone", "indonesian", "english"), [
    ("Asia/Makassar", "7 Des 2026 03.32 WITA", "7 Dec 2026, 03:32 WITA"),
    ("Asia/Jayapura", "7 Des 2026 04.32 WIT", "7 Dec 2026, 04:32 WIT"),
    ("UTC", "6 Des 2026 19.32 UTC", "6 Dec 2026, 19:32 UTC"),
])
def test_another_zone_is_set_by_the_setting(zone, indonesian, english):
    env = {fmt.TIMEZONE_ENV: zone}
    assert fmt.moment(LATE_EVENING_UTC, "id", env) == indonesian
    assert fmt.moment(LATE_EVENING_UTC, "en", env) == english


def test_the_setting_is_read_on_every_use(monkeypatch):
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "Asia/Makassar")
    assert fmt.moment(LATE_EVENING_UTC, "id").endswith("WITA")
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "Asia/Jakarta")
    assert fmt.moment(LATE_EVENING_UTC, "id").endswith("WIB")


def test_today_is_the_date_in_the_configured_zone():
    # Kiritimati (UTC+14) is always exactly a day ahead of Honolulu (UTC-10), whatever the server's clock says.
    east, west = fmt.today({fmt.TIMEZONE_ENV: "Pacific/Kiritimati"}), fmt.today({fmt.TIMEZONE_ENV: "Pacific/Honolulu"})
    assert east - west == dt.timedelta(days=1)


def test_a_time_zone_setting_that_is_no_zone_falls_back_to_wib():
    import datetime as dt

    from monev import fmt

    when = dt.datetime(2026, 12, 7, 19, 32, tzinfo=dt.UTC)
    assert fmt.timezone({"MONEV_TIMEZONE": "Asia/Atlantis"}).key == "Asia/Jakarta"
    assert fmt.local_time(when, {"MONEV_TIMEZONE": "bukan zona"}).date() == dt.date(2026, 12, 8)
