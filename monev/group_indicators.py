"""Target-group indicators: per region × group, who is eligible, who is registered, the share and who is left.

A Monev reads a group's indicator as registered ÷ eligible. A cell adds up a region's rows of the group over its
subgroups and funders; the province as a funder in its own right (region code "17") is a row of its own. The
province's row of totals is Σ registered ÷ Σ eligible over every row, and its people not yet protected are the sum
of the cells' (a region registering more than it listed protects nobody elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from monev.group_dataset import GroupData
from monev.regions import Registry, load_registry
from monev.target_groups import GroupRegistry, load_target_groups

INDICATOR_COLUMNS = ["eligible", "registered", "unprotected", "share"]


@dataclass(frozen=True)
class GroupMatrix:
    """The region × group matrix of one period and its province totals per group."""

    period: str
    cells: pd.DataFrame  # region_code, group_code, eligible, registered, unprotected, share (NaN: none eligible)
    totals: pd.DataFrame  # group_code, eligible, registered, unprotected, share: the province row, Σ/Σ
    region_codes: tuple[str, ...]  # the matrix's rows in registry order, the province as funder last
    group_codes: tuple[str, ...]  # its columns in the registry's order

    def cell(self, region_code: str, group_code: str) -> pd.Series | None:
        """One cell's indicators, None when the region reported nothing for the group."""
        found = self.cells[(self.cells["region_code"] == region_code) & (self.cells["group_code"] == group_code)]
        return None if found.empty else found.iloc[0]

    def total(self, group_code: str) -> pd.Series:
        """The province's totals for one group."""
        return self.totals.set_index("group_code").loc[group_code]


def _share(registered: pd.Series, eligible: pd.Series) -> pd.Series:
    return (registered / eligible.where(eligible > 0)).astype("float64")


def group_matrix(data: GroupData, period: str, registry: Registry | None = None,
                 groups: GroupRegistry | None = None) -> GroupMatrix:
    """The matrix of ``period`` (a period of ``data``; KeyError otherwise)."""
    if period not in data.periods:
        raise KeyError(period)
    registry = registry or load_registry()
    groups = groups or load_target_groups()
    rows = data.frame[data.frame["period"] == period]
    cells = rows.groupby(["region_code", "group_code"], sort=False, as_index=False)[["eligible", "registered"]].sum()
    cells["unprotected"] = np.maximum(cells["eligible"] - cells["registered"], 0).astype("int64")
    cells["share"] = _share(cells["registered"], cells["eligible"])
    totals = cells.groupby("group_code", sort=False, as_index=False)[["eligible", "registered", "unprotected"]].sum()
    totals["share"] = _share(totals["registered"], totals["eligible"])
    region_order = (*registry.codes, registry.province_code)
    present_regions = set(cells["region_code"])
    present_groups = set(cells["group_code"])
    group_order = {code: position for position, code in enumerate(groups.codes)}
    totals = totals.sort_values("group_code", key=lambda codes: codes.map(group_order)).reset_index(drop=True)
    return GroupMatrix(
        period=period,
        cells=cells[["region_code", "group_code", *INDICATOR_COLUMNS]],
        totals=totals[["group_code", *INDICATOR_COLUMNS]],
        region_codes=tuple(code for code in region_order if code in present_regions),
        group_codes=tuple(code for code in groups.codes if code in present_groups),
    )
