"""Sentences that several views say alike: the KPI line under the headline numbers, the data line, the sources, and
the data a scenario's figures are computed on.

The projector, the meeting pack and the downloads' notes all build their texts from these, so the same facts are
worded once, in the user's language, with numbers from ``monev.fmt``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from babel.dates import format_date

from monev import fmt, i18n
from monev.indicators import ProvinceSummary

if TYPE_CHECKING:  # the store needs SQLAlchemy, which the sentences do not
    from monev.dataset import CoverageData
    from monev.store import DatasetVersion

# present.source_<n> in the catalogs. The definitions, the cost basis and the boundaries hold for any data; the press
# reports are where the demo's figures come from, so they are listed only while the demo is the data in use.
DEFINITION_SOURCES = (1, 4, 5)
DEMO_PRESS_SOURCES = (2, 3)


@dataclass(frozen=True)
class DataOrigin:
    """Where the data in use comes from: the demo, or a file an official uploaded (who, when, and their note)."""

    file_name: str
    is_demo: bool
    version_id: int | str | None = None  # None for a file read outside the store
    uploaded_by: str = ""  # '' when nobody uploaded it: a file the command line reads
    uploaded_on: dt.date | None = None
    note: str = ""  # the version's note, where officials write the source of their figures

    @classmethod
    def of(cls, data: CoverageData, version: DatasetVersion | None) -> DataOrigin:
        """The origin of ``data``: its stored version when there is one, else just its file."""
        if version is None:
            return cls(data.source_name, data.is_demo)
        # The upload's date where the meeting is: 01.00 WIB is still the previous day in UTC.
        return cls(version.file_name, version.is_demo, version.id, version.created_by,
                   fmt.local_time(version.created_at).date(), version.note)


def long_date(day: dt.date, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A day as people write it in a document: 20 November 2024."""
    return format_date(day, "d MMMM y", locale=lang)


def highest_and_lowest(indicators: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The regions with the highest and the lowest coverage, as rows of ``region_indicators`` (best rank first)."""
    return indicators.iloc[0], indicators.iloc[-1]


def regions_below_national(summary: ProvinceSummary) -> int:
    """How many regions are below the national average."""
    return summary.region_count - summary.regions_at_or_above_national


def extremes(indicators: pd.DataFrame, lang: str) -> dict[str, str]:
    """The highest and lowest region with their coverage, as the catalogs' ``highest``/``lowest`` parameters."""
    highest, lowest = highest_and_lowest(indicators)
    return {"highest": highest["region_name"], "highest_rate": fmt.percent(highest["rate"], lang),
            "lowest": lowest["region_name"], "lowest_rate": fmt.percent(lowest["rate"], lang)}


def kpi_line(summary: ProvinceSummary, indicators: pd.DataFrame, lang: str) -> str:
    """Highest and lowest region and how many regions are below national: the line under the KPI tiles."""
    return i18n.t("present.kpi_line", lang, **extremes(indicators, lang), below=regions_below_national(summary),
                  total=summary.region_count)


def data_line(lang: str, *, source_name: str, version_id: int | str | None, period: str) -> str:
    """Which data a file shows: source, dataset version ('–' without one) and period."""
    version = fmt.MISSING if version_id is None else str(version_id)
    return i18n.t("export.data_line", lang, source=source_name, version=version, period=fmt.month(period, lang))


def source_lines(lang: str, origin: DataOrigin) -> list[str]:
    """Definitions and sources of the figures, then the data's origin: the demo's press reports and a warning for the
    demo; the file, who uploaded it, when, its version and its note for an upload."""
    numbers = sorted(DEFINITION_SOURCES + DEMO_PRESS_SOURCES) if origin.is_demo else DEFINITION_SOURCES
    lines = [i18n.t(f"present.source_{number}", lang) for number in numbers]
    version = fmt.MISSING if origin.version_id is None else str(origin.version_id)
    if origin.uploaded_by:
        day = fmt.MISSING if origin.uploaded_on is None else long_date(origin.uploaded_on, lang)
        lines.append(i18n.t("present.source_version", lang, id=version, name=origin.file_name, by=origin.uploaded_by,
                            date=day))
    elif not origin.is_demo:
        lines.append(i18n.t("present.source_file", lang, name=origin.file_name, id=version))
    if origin.is_demo:
        lines.append(i18n.t("present.source_demo", lang))
    elif origin.note.strip():
        lines.append(i18n.t("present.source_note", lang, note=origin.note.strip()))
    else:
        lines.append(i18n.t("present.source_note_missing", lang))
    return lines


def data_basis(version_id: int | str | None, period: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A dataset version and period as people say it: "versi 3, Oktober 2024"."""
    version = fmt.MISSING if version_id is None else version_id
    return i18n.t("scenario.cmp_basis_value", lang, version=version, period=fmt.month(period, lang))


def basis_line(built_on: tuple[int, str], shown_on: tuple[int | None, str], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Which data a scenario's figures are computed on, said alike wherever it appears: "versi 3, November 2024" when
    that is the (version, period) it was ``built_on``, else "dibuat pada versi 2 (Oktober 2024), dihitung ulang pada
    versi 3 (November 2024)"."""
    if tuple(built_on) == tuple(shown_on):
        return data_basis(*built_on, lang)
    (built_version, built_period), (shown_version, shown_period) = built_on, shown_on
    return i18n.t("scenario.basis_recalculated", lang, built=built_version, built_period=fmt.month(built_period, lang),
                  active=fmt.MISSING if shown_version is None else shown_version,
                  active_period=fmt.month(shown_period, lang))
