"""The focus regions: the three with the lowest coverage, and what it takes to bring each to the national average.

The projector's focus slide and the meeting pack's focus slide and summary show the same rows; they are chosen and
computed here once.
"""

from __future__ import annotations

import math

import pandas as pd

from monev.dataset import CoverageData
from monev.indicators import participants_needed
from monev.simulation import CostParameters, observed_pace

FOCUS_COUNT = 3
_COLUMNS = ["region_code", "region_name", "rate", "gap", "pace", "needed", "months", "cost_year"]


def focus_rows(data: CoverageData, indicators: pd.DataFrame, period: str, national_rate: float,
               parameters: CostParameters | None = None) -> pd.DataFrame:
    """The lowest regions, lowest first: gap, pace, participants and months to national, yearly cost to enrol them."""
    cost_year = (parameters or CostParameters()).cost_idr_per_worker_year
    pace = observed_pace(data, period)
    rows = []
    for row in indicators.sort_values("rate").head(FOCUS_COUNT).itertuples():
        needed = int(participants_needed(national_rate, row.potential_workers, row.participants))
        monthly = float(pace.get(row.region_code, math.nan))
        # Months at the observed pace: none when already there, never when the pace is not positive.
        months = 0 if not needed else math.ceil(needed / monthly) if monthly > 0 else math.inf
        rows.append({"region_code": row.region_code, "region_name": row.region_name, "rate": row.rate,
                     "gap": row.rate - national_rate, "pace": monthly, "needed": needed, "months": months,
                     "cost_year": needed * cost_year})
    return pd.DataFrame(rows, columns=_COLUMNS)
