"""Yardsticks, denominators and bands: what a coverage rate is measured against, and out of what.

A yardstick is the rate a region is compared with: the national average (the app's line so far), the national path
of the RPJMN 2025–2029 for the period's year, the province's own target, or each region's own target. The numbers
and their sources are data (``data/yardsticks.toml``). Of the RPJMN path only 2025, 2026 (RKP) and 2029 are
reported: a year in between is interpolated linearly and always carries ``interpolated=True``, so that no page can
show it as a reported target; a year outside the path has no RPJMN yardstick at all.

A rate is participants ÷ a denominator; BPJS Ketenagakerjaan's potential workers and BPS's employed population give
very different rates, so every rate here carries the denominator it was computed with, and a region without the
chosen denominator gets no rate rather than one computed with the other (one series never mixes them).
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from monev import fmt, i18n, periods
from monev.regions import DATA_DIR

YARDSTICKS_FILE = DATA_DIR / "yardsticks.toml"
YARDSTICKS = ("national", "rpjmn", "province_target", "region_target")
DEFAULT_YARDSTICK = "national"
BPJS_POTENTIAL, BPS_EMPLOYED = "bpjs_potential", "bps_employed"
DENOMINATORS = (BPJS_POTENTIAL, BPS_EMPLOYED)
UCJ_BANDS = ("sangat_rendah", "rendah", "sedang", "tinggi")


@dataclass(frozen=True)
class Source:
    """Where a number comes from, worded in each language."""

    id: str
    en: str

    def text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return self.en if i18n.supported(lang) == "en" else self.id


@dataclass(frozen=True)
class ReportedRate:
    """A rate published for one year, with its source."""

    year: int
    rate: float
    source: Source


@dataclass(frozen=True)
class AlternativeDenominator:
    """Counts of a denominator other than BPJSTK's potential workers, by region code ("17" is the province)."""

    kind: str
    period: str
    counts: Mapping[str, int]
    source: Source


@dataclass(frozen=True)
class YardstickSettings:
    """Everything ``data/yardsticks.toml`` holds."""

    national: ReportedRate
    rpjmn: tuple[ReportedRate, ...]
    province_targets: tuple[ReportedRate, ...]
    denominators: Mapping[str, AlternativeDenominator]
    band_cutoffs: tuple[float, float, float]


def _source(table: Mapping[str, str]) -> Source:
    return Source(table["id"], table["en"])


def _reported(rows: Iterable[Mapping[str, Any]]) -> tuple[ReportedRate, ...]:
    rates = [ReportedRate(int(row["year"]), float(row["rate"]), _source(row["source"])) for row in rows]
    return tuple(sorted(rates, key=lambda rate: rate.year))


def validate_cutoffs(cutoffs: Iterable[float]) -> tuple[float, float, float]:
    """Three rising cut-offs strictly between 0 and 1 (the lower edges of rendah, sedang and tinggi)."""
    values = tuple(float(value) for value in cutoffs)
    if len(values) != len(UCJ_BANDS) - 1 or not 0 < values[0] < values[1] < values[2] < 1:
        raise ValueError(f"UCJ band cut-offs must be three rising rates between 0 and 1, not {values}")
    return values[0], values[1], values[2]


@functools.cache
def load_yardstick_settings(path: Path = YARDSTICKS_FILE) -> YardstickSettings:
    """The yardsticks, denominators and band cut-offs of ``path`` (default ``data/yardsticks.toml``)."""
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    national = table["national"]
    return YardstickSettings(
        national=ReportedRate(0, float(national["rate"]), _source(national["source"])),
        rpjmn=_reported(table.get("rpjmn", ())),
        province_targets=_reported(table.get("province_target", ())),
        denominators={kind: AlternativeDenominator(kind, str(entry["period"]),
                                                   {str(code): int(count) for code, count in entry["counts"].items()},
                                                   _source(entry["source"]))
                      for kind, entry in table.get("denominators", {}).items()},
        band_cutoffs=validate_cutoffs(table["ucj_bands"]["cutoffs"]),
    )


@dataclass(frozen=True)
class Yardstick:
    """The rate one region is measured against in one period, what it is and where it comes from."""

    kind: str
    rate: float
    year: int | None = None
    source: Source | None = None  # None: set by the user
    interpolated: bool = False
    between: tuple[ReportedRate, ReportedRate] | None = None  # the reported years an interpolated rate lies between

    def label(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What the line is called: "Target RPJMN 2025 (32,2%)"; an interpolated one says so."""
        # RPJMN rates have two decimals (32.15 %): shown with one, 2025 and 2026 would look rounder than reported.
        digits = 1 if math.isclose(round(self.rate, 3), self.rate) else 2
        label = i18n.t(f"yardstick.label.{self.kind}", lang, year=self.year,
                       rate=fmt.percent(self.rate, lang, digits=digits))
        return i18n.t("yardstick.interpolated", lang, label=label) if self.interpolated else label

    def source_text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """Where the rate comes from, in ``lang``."""
        if self.between is not None:
            low, high = self.between
            return i18n.t("yardstick.source_interpolated", lang, low=low.year, high=high.year,
                          low_source=low.source.text(lang), high_source=high.source.text(lang))
        if self.source is None:
            return i18n.t(f"yardstick.source_user.{self.kind}", lang)
        return self.source.text(lang)


def _rpjmn(year: int, path: tuple[ReportedRate, ...]) -> Yardstick | None:
    reported = {rate.year: rate for rate in path}
    if year in reported:
        return Yardstick("rpjmn", reported[year].rate, year, reported[year].source)
    earlier = [rate for rate in path if rate.year < year]
    later = [rate for rate in path if rate.year > year]
    if not earlier or not later:
        return None  # outside the plan's years: no RPJMN yardstick, rather than an invented one
    low, high = earlier[-1], later[0]
    share = (year - low.year) / (high.year - low.year)
    return Yardstick("rpjmn", low.rate + share * (high.rate - low.rate), year, None, True, (low, high))


def yardstick_for(kind: str, period: str, region_code: str, *, national_rate: float | None = None,
                  region_targets: Mapping[str, float] | None = None,
                  settings: YardstickSettings | None = None) -> Yardstick | None:
    """The yardstick of ``kind`` for a region ("17" the province) in ``period`` ('YYYY-MM'); None when there is
    none (an RPJMN year outside the plan, a province target not set for the year, a region without its own target).

    ``national_rate`` is the national average the user chose (default: the file's); ``region_targets`` the
    regions' own targets, by code, as fractions."""
    settings = settings or load_yardstick_settings()
    year = periods.year_of(period)
    if kind == "national":
        if national_rate is None or math.isclose(national_rate, settings.national.rate):
            return Yardstick(kind, settings.national.rate, None, settings.national.source)
        return Yardstick(kind, national_rate)
    if kind == "rpjmn":
        return _rpjmn(year, settings.rpjmn)
    if kind == "province_target":
        target = next((rate for rate in settings.province_targets if rate.year == year), None)
        return None if target is None else Yardstick(kind, target.rate, year, target.source)
    if kind == "region_target":
        rate = (region_targets or {}).get(region_code)
        return None if rate is None or math.isnan(rate) else Yardstick(kind, float(rate), year)
    raise ValueError(f"unknown yardstick {kind!r}; known: {', '.join(YARDSTICKS)}")


def yardstick_gaps(rates: pd.DataFrame, kind: str, period: str, *, national_rate: float | None = None,
                   region_targets: Mapping[str, float] | None = None,
                   settings: YardstickSettings | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Each region's rate against the yardstick: ``rates`` has ``region_code`` and ``rate``; the result adds
    ``yardstick_rate``, ``gap`` (rate − yardstick), ``below``, ``interpolated`` and ``yardstick_label`` (NaN gap and
    below False where the region has no yardstick of that kind)."""
    sticks = [yardstick_for(kind, period, code, national_rate=national_rate, region_targets=region_targets,
                            settings=settings) for code in rates["region_code"]]
    yardstick_rate = pd.Series([math.nan if stick is None else stick.rate for stick in sticks], index=rates.index)
    gap = rates["rate"] - yardstick_rate
    return rates.assign(yardstick_rate=yardstick_rate, gap=gap, below=gap < 0,
                        interpolated=[bool(stick and stick.interpolated) for stick in sticks],
                        yardstick_label=["" if stick is None else stick.label(lang) for stick in sticks])


def denominator_label(kind: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """How a figure names its denominator: "penyebut: pekerja potensial BPJS Ketenagakerjaan"."""
    return i18n.t(f"yardstick.denominator.{kind}", lang)


def available_denominators(region_codes: Iterable[str],
                           settings: YardstickSettings | None = None) -> tuple[str, ...]:
    """The denominators with a count for at least one of ``region_codes`` (BPJSTK's potential workers always)."""
    settings = settings or load_yardstick_settings()
    codes = set(region_codes)
    return (BPJS_POTENTIAL, *(kind for kind, other in settings.denominators.items() if codes & set(other.counts)))


def rates_with_denominator(frame: pd.DataFrame, kind: str, settings: YardstickSettings | None = None,
                           lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Rates of ``frame`` (``region_code``, ``participants``, ``potential_workers``) recomputed over the
    denominator ``kind``: columns ``denominator_count``, ``rate``, ``denominator`` and ``denominator_label``. A region
    without a count of that denominator gets NaN, never a rate over the other one."""
    settings = settings or load_yardstick_settings()
    if kind == BPJS_POTENTIAL:
        counts = frame["potential_workers"].astype("float64")
    elif kind in settings.denominators:
        known = settings.denominators[kind].counts
        counts = frame["region_code"].map(lambda code: known.get(code, math.nan)).astype("float64")
    else:
        raise ValueError(f"unknown denominator {kind!r}; known: {', '.join(DENOMINATORS)}")
    rate = (frame["participants"] / counts).where(counts > 0)
    return frame.assign(denominator_count=counts, rate=rate, denominator=kind,
                        denominator_label=denominator_label(kind, lang))


def classify_bands(rates: Iterable[float], cutoffs: Iterable[float] | None = None) -> list[str | None]:
    """The Universal Coverage Jamsostek band of each rate (None for a missing rate); a rate on a cut-off belongs to
    the higher band. ``cutoffs`` default to the documented assumption in ``data/yardsticks.toml``."""
    edges = validate_cutoffs(cutoffs) if cutoffs is not None else load_yardstick_settings().band_cutoffs
    bands: list[str | None] = []
    for rate in rates:
        if rate is None or math.isnan(rate):
            bands.append(None)
        else:
            bands.append(UCJ_BANDS[sum(rate >= edge for edge in edges)])
    return bands


def band_label(band: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A band's name in ``lang``."""
    return i18n.t(f"yardstick.band.{band}", lang)
