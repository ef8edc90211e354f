"""Sentences that several views say alike: the KPI line under the headline numbers, the data line, the sources.

The projector, the meeting pack and the downloads' notes all build their texts from these, so the same facts are
worded once, in the user's language, with numbers from ``monev.fmt``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from monev import fmt, i18n
from monev.indicators import ProvinceSummary

if TYPE_CHECKING:  # the store needs SQLAlchemy, which the sentences do not
    from monev.store import DatasetVersion

SOURCE_COUNT = 5  # present.source_1 … present.source_5 in the catalogs


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


def source_lines(lang: str, *, is_demo: bool, version: DatasetVersion | None = None) -> list[str]:
    """Definitions and sources of the figures; then, when given, who uploaded the version; a warning on demo data."""
    lines = [i18n.t(f"present.source_{index}", lang) for index in range(1, SOURCE_COUNT + 1)]
    if version is not None:
        lines.append(i18n.t("present.source_version", lang, id=version.id, name=version.file_name,
                            by=version.created_by, at=f"{version.created_at:%d-%m-%Y %H:%M}"))
    if is_demo:
        lines.append(i18n.t("present.source_demo", lang))
    return lines
