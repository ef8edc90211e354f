"""What protecting a target group's people not yet registered costs, per year and for the months usually funded,
and who pays: the cost rules of ``monev.group_costs`` applied to the rows of one period.

Who pays follows the group's usual funders: where both the provincial and the regency budgets usually fund it,
they share the cost by the funding split (30 : 70 by default, with its source); otherwise its first usual funder
pays. An ad hoc body is priced for its months of cover; a row naming no body is priced at the longest cover of the
group's bodies (an upper bound, said so on the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from monev import periods
from monev.group_costs import (
    DEFAULT_MONTHS_FUNDED,
    PROVINCE_FUNDER,
    REGENCY_FUNDER,
    CostSettings,
    FundingSplit,
    GroupCost,
    group_cost,
)
from monev.group_dataset import GroupData
from monev.target_groups import TargetGroup

# Rules priced by the month: the others are paid outside the regional budget, whatever the months.
MONTHLY_RULES = ("bpu_package", "wage_earner")


@dataclass(frozen=True)
class GroupNeed:
    """One group's people not yet protected, and what protecting them costs and who pays."""

    group_code: str
    unprotected: int
    months_usual: int  # months usually funded (ad hoc bodies: their months of cover, so a year costs the same)
    per_year: GroupCost
    for_usual_months: GroupCost
    unknown_body: bool  # some ad hoc rows name no body: priced at the longest cover


def unprotected_by_subgroup(data: GroupData, period: str, group_code: str,
                            region_codes: Sequence[str] | None = None) -> dict[str, int]:
    """People eligible but not registered, by subgroup ("" none), summed over regions, each region's at least 0."""
    rows = data.frame[(data.frame["period"] == period) & (data.frame["group_code"] == group_code)]
    if region_codes is not None:
        rows = rows[rows["region_code"].isin(list(region_codes))]
    counts = rows.groupby(["region_code", "subgroup_code"])[["eligible", "registered"]].sum()
    left = np.maximum(counts["eligible"] - counts["registered"], 0).groupby(level="subgroup_code").sum()
    return {str(subgroup): int(people) for subgroup, people in left.items()}


def usual_months(data: GroupData, period: str, group_code: str) -> int:
    """The months most of the group's rows are funded for (a year when no row says)."""
    rows = data.frame[(data.frame["period"] == period) & (data.frame["group_code"] == group_code)]
    months = rows["months_funded"].dropna()
    return int(months.mode().iloc[0]) if not months.empty else DEFAULT_MONTHS_FUNDED


def paying_funder(group: TargetGroup) -> str | None:
    """The one funder that pays for ``group``, or None when the provincial and regency budgets share it."""
    if {PROVINCE_FUNDER, REGENCY_FUNDER} <= set(group.usual_funders):
        return None
    return group.usual_funders[0] if group.usual_funders else None


def months_of_cover(group: TargetGroup) -> dict[str, int]:
    """Each ad hoc body's months of cover, and for rows naming no body ("") the longest of them."""
    months = {sub.code: sub.months_cover for sub in group.subgroups if sub.months_cover is not None}
    return {**months, "": max(months.values(), default=DEFAULT_MONTHS_FUNDED)}


def group_need(data: GroupData, period: str, group: TargetGroup, *, split: FundingSplit | None = None,
               region_codes: Sequence[str] | None = None) -> GroupNeed:
    """What protecting ``group``'s unregistered people of ``period`` (in ``region_codes``, default all) costs."""
    people = unprotected_by_subgroup(data, period, group.code, region_codes)
    months = usual_months(data, period, group.code) if group.cost_rule in MONTHLY_RULES else DEFAULT_MONTHS_FUNDED
    settings = CostSettings(funder=paying_funder(group), split=split or FundingSplit(),
                            months_by_subgroup=months_of_cover(group))
    year = periods.year_of(period)
    region = region_codes[0] if region_codes and len(region_codes) == 1 else ""
    per_year = group_cost(group.cost_rule, people, settings, year=year, region_code=region)
    usual = per_year
    if group.cost_rule in MONTHLY_RULES and months != DEFAULT_MONTHS_FUNDED:
        usual = group_cost(group.cost_rule, people, replace(settings, months_funded=months),
                           year=year, region_code=region)
    return GroupNeed(group.code, sum(people.values()), months if group.cost_rule in MONTHLY_RULES else 0,
                     per_year, usual, group.cost_rule == "adhoc_months" and people.get("", 0) > 0)

