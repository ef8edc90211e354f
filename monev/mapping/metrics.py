"""What a map colours: each metric's value per region, and the months the change metric can span."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

METRICS = ("coverage", "gap", "change", "projected")
# The metrics read from a column of the region indicators (monev.indicators.region_indicators).
_INDICATOR_COLUMNS = {"coverage": "rate", "gap": "gap_national"}


def metric_values(metric: str, indicators: pd.DataFrame, *, rate_change: Callable[[], pd.Series],
                  simulated: Callable[[], pd.DataFrame]) -> pd.Series:
    """The value of ``metric`` for each region of ``indicators``, indexed by region code in their order.

    Coverage and gap are columns of the indicators; change is ``rate_change()`` (the rate's change by region code
    over the span ``change_start`` gives); projected is the ``rate_after`` of ``simulated()`` (the simulation's
    regions). Those two are asked for only when their metric is shown: working them out costs.
    """
    # One column with the codes as index, not set_index(): that copies every column of the indicators on every run.
    codes = pd.Index(indicators["region_code"], name="region_code")
    if metric in _INDICATOR_COLUMNS:
        column = _INDICATOR_COLUMNS[metric]
        return pd.Series(indicators[column].to_numpy(), index=codes, name=column)
    if metric == "projected":
        return simulated().set_index("region_code")["rate_after"].reindex(codes)
    if metric == "change":
        return rate_change().reindex(codes)
    raise ValueError(f"unknown map metric {metric!r}; one of {METRICS}")


def change_start(chosen: str | None, periods: Sequence[str], period: str) -> str:
    """First month of the span the change metric covers up to ``period``: ``chosen`` while it is one of the data's
    ``periods`` (sorted) before ``period``, else the first of them (so a span never runs backwards after the period
    shown changes)."""
    return chosen if chosen is not None and chosen in periods and chosen < period else periods[0]


def change_start_options(periods: Sequence[str], period: str) -> list[str]:
    """The months a change span up to ``period`` can start from: the data's ``periods`` before it, or ``period``
    itself when none is."""
    return [earlier for earlier in periods if earlier < period] or [period]
