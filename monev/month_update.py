"""Month-by-month updates: an office sends October on its own, and the data in use keeps every other month.

``merge_months`` lays the months of an upload over the current data (the file's months replace the same months,
every other month stays) and validates the result as one file, so the merged version is checked exactly like an
upload. ``compare`` says what changed between two datasets; the store's version diff and the preview shown before
an upload is saved are both made by it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monev import fmt, i18n
from monev.dataset import FRAME_COLUMNS, SEGMENTS, CoverageData, LoadResult, load_dataset
from monev.exports import data_csv
from monev.regions import Registry, load_registry

_KEYS = ["period", "region_code"]
# What a version holds per region and month that a diff compares: every value column but the free-text note.
_COMPARED = [column for column in FRAME_COLUMNS if column not in (*_KEYS, "note")]


@dataclass(frozen=True)
class VersionDiff:
    """What changed from one dataset to another."""

    regions_added: tuple[str, ...]
    regions_removed: tuple[str, ...]
    periods_added: tuple[str, ...]
    periods_removed: tuple[str, ...]
    changed_values: int
    changed_rows: pd.DataFrame


def compare(old: CoverageData, new: CoverageData) -> VersionDiff:
    """Regions and periods added or removed, and the values that changed, from ``old`` to ``new``."""
    old_frame, new_frame = old.frame, new.frame
    compared = [column for column in _COMPARED if column in old_frame.columns and column in new_frame.columns]
    merged = old_frame.merge(new_frame, on=_KEYS, how="inner", suffixes=("_old", "_new"))
    differs = pd.DataFrame({
        column: ~((merged[f"{column}_old"] == merged[f"{column}_new"])
                  | (merged[f"{column}_old"].isna() & merged[f"{column}_new"].isna()))
        for column in compared
    })
    # A changed total is one changed value only where neither dataset splits it: else its segments count it.
    differs["participants"] &= merged[f"{SEGMENTS[0]}_old"].isna() & merged[f"{SEGMENTS[0]}_new"].isna()
    changed = differs.any(axis=1)
    return VersionDiff(
        regions_added=tuple(sorted(set(new_frame["region_code"]) - set(old_frame["region_code"]))),
        regions_removed=tuple(sorted(set(old_frame["region_code"]) - set(new_frame["region_code"]))),
        periods_added=tuple(sorted(set(new_frame["period"]) - set(old_frame["period"]))),
        periods_removed=tuple(sorted(set(old_frame["period"]) - set(new_frame["period"]))),
        changed_values=int(differs.to_numpy().sum()),
        changed_rows=merged[changed].reset_index(drop=True),
    )


@dataclass(frozen=True)
class MonthUpdate:
    """The current data with an upload's months laid over it: the merged file (as the store keeps a version: CSV
    content, whatever the name says; the format is read from the bytes), its check, and which months the upload
    replaced, added, or left as they were."""

    file_name: str
    content: bytes
    result: LoadResult
    replaced: tuple[str, ...]
    added: tuple[str, ...]
    kept: tuple[str, ...]
    diff: VersionDiff | None  # what the merge changes in the current data; None when the merged file did not load


def merge_months(current: CoverageData, incoming: CoverageData, registry: Registry | None = None) -> MonthUpdate:
    """``current`` with the months of ``incoming`` replacing the same months and every other month kept, written as
    one upload file and checked like one. It keeps the incoming file's name: that is the file people know; the
    version's note says it was merged."""
    registry = registry or load_registry()
    incoming_periods = set(incoming.periods)
    kept_rows = current.frame[~current.frame["period"].isin(incoming_periods)]
    merged_frame = pd.concat([kept_rows, incoming.frame], ignore_index=True)
    file_name = incoming.source_name
    content = data_csv(CoverageData(merged_frame, file_name, ""), registry)
    result = load_dataset(file_name, content, registry)
    return MonthUpdate(
        file_name=file_name,
        content=content,
        result=result,
        replaced=tuple(sorted(incoming_periods & set(current.periods))),
        added=tuple(sorted(incoming_periods - set(current.periods))),
        kept=tuple(sorted(set(current.periods) - incoming_periods)),
        diff=compare(current, result.data) if result.data is not None else None,
    )


def describe_months(periods: tuple[str, ...], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Months as a meeting says them: "Oktober 2024", "3 bulan (Agustus 2024 – Oktober 2024)", "tidak ada bulan"."""
    if not periods:
        return i18n.t("update.months_none", lang)
    if len(periods) == 1:
        return fmt.month(periods[0], lang)
    return i18n.t("update.months_count", lang, count=len(periods), first=fmt.month(periods[0], lang),
                  last=fmt.month(periods[-1], lang))
