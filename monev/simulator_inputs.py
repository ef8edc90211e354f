"""The simulator's input table: what a user types per region, defined once.

One row per region, in the registry's order: ``target_pct`` (coverage target in percent, the "target" mode's input),
``additional`` (new participants, the "add" mode's input), ``segment`` (which segment the new participants join) and
``cap`` (the most a budget allocation may give the region). An empty cell is NaN. Tables are never changed in place:
every function returns a new one, so a table can be kept, shared and digested safely.

Also here: the bulk fills that write a column for many regions at once, and the targets the time-to-target table
measures against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import pandas as pd

from monev.dataset import SEGMENTS
from monev.number_text import NumberTextError, parse_number
from monev.simulation import (
    DEFAULT_SEGMENT,
    MODES,
    CostParameters,
    InputProblem,
    SimulationResult,
    additions_for_targets,
    by_code,
    simulate,
    unenrolled,
    validate_inputs,
)

INPUT_COLUMNS = ("region_code", "target_pct", "additional", "segment", "cap")
EDITABLE_COLUMNS = frozenset(INPUT_COLUMNS[1:])
DEFAULT_MODE = MODES[0]
DEFAULT_BULK_SHARE_PCT = 10.0  # "+10 % of the unenrolled": a first step a region can plausibly take in a year


def typed_column(mode: str) -> str:
    """The column a user types into in ``mode``: target percentages or additional participants."""
    return "target_pct" if mode == "target" else "additional"


def empty_inputs(codes: Sequence[str]) -> pd.DataFrame:
    """A table with a row per region and every input empty (segment: the default)."""
    count = len(codes)
    return pd.DataFrame({
        "region_code": list(codes),
        "target_pct": [math.nan] * count,
        "additional": [math.nan] * count,
        "segment": [DEFAULT_SEGMENT] * count,
        "cap": [math.nan] * count,
    })


def inputs_from_rows(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """A table from row records (a saved scenario's inputs), in the records' order."""
    return pd.DataFrame(list(rows), columns=list(INPUT_COLUMNS))


def input_rows(table: pd.DataFrame | None) -> tuple[dict[str, object], ...]:
    """The table as row records, as a scenario keeps them (none for no table)."""
    return tuple(table.to_dict("records")) if table is not None else ()


def inputs_from_link(codes: Sequence[str], targets_pct: Mapping[str, float],
                     additions: Mapping[str, int]) -> tuple[pd.DataFrame, str]:
    """(table, mode) of an unsaved simulation shared as a link: targets and additions by region code; the mode is
    "add" when the link has only additions."""
    table = empty_inputs(codes)
    table["target_pct"] = [targets_pct.get(code, math.nan) for code in codes]
    table["additional"] = [float(additions[code]) if code in additions else math.nan for code in codes]
    return table, ("add" if additions and not targets_pct else "target")


def aligned_inputs(table: pd.DataFrame | None, codes: Sequence[str]) -> pd.DataFrame:
    """``table`` with a row for every region of ``codes`` in that order: the same table when it already has them;
    otherwise regions it shares with ``codes`` keep what was typed (e.g. after another dataset is uploaded)."""
    if table is not None and table["region_code"].tolist() == list(codes):
        return table
    aligned = empty_inputs(codes)
    if table is None:
        return aligned
    aligned = aligned.set_index("region_code")
    aligned.update(table.set_index("region_code").reindex(aligned.index))
    return aligned.reset_index()


class RefusedEdit(NamedTuple):
    """A grid cell whose text is no number of its column's kind: the region keeps what it had."""

    region_code: str
    column: str
    refusal: NumberTextError


class EditedInputs(NamedTuple):
    """The table after a grid's edits, and the edits it refused."""

    table: pd.DataFrame
    refused: tuple[RefusedEdit, ...]


# What each number column of the grid holds, as ``monev.number_text`` reads it.
_COLUMN_KINDS = {"target_pct": "percent", "additional": "count", "cap": "count"}


def with_edits(table: pd.DataFrame, edited_rows: Mapping[int | str, Mapping[str, object]],
               lang: str) -> EditedInputs:
    """``table`` with cells edited in a grid (row position -> column -> value; a number column's text is read in
    ``lang``; None or a blank text empties a cell); a text that is no number leaves its cell as it was and is
    refused; edits of other columns (what the grid shows beside the inputs) are ignored."""
    edited = table.copy()
    refused: list[RefusedEdit] = []
    for row, changes in edited_rows.items():
        for column, value in changes.items():
            if column not in EDITABLE_COLUMNS:
                continue
            if isinstance(value, str) and column in _COLUMN_KINDS:
                try:
                    value = parse_number(value, lang, _COLUMN_KINDS[column])
                except NumberTextError as refusal:
                    refused.append(RefusedEdit(str(edited.at[int(row), "region_code"]), column, refusal))
                    continue
            edited.at[int(row), column] = math.nan if value is None else value
    return EditedInputs(edited, tuple(refused))


def with_column(table: pd.DataFrame, column: str, values: Mapping[str, float]) -> pd.DataFrame:
    """``table`` with ``column`` set from ``values`` by region code; the regions not in it keep what they had."""
    filled = table.copy()
    filled[column] = [values.get(code, kept) for code, kept in zip(filled["region_code"], filled[column])]
    return filled


def caps(table: pd.DataFrame) -> dict[str, int | None]:
    """The allocation cap typed per region (None: no cap)."""
    return {code: (int(cap) if pd.notna(cap) else None) for code, cap in zip(table["region_code"], table["cap"])}


def typed_values(mode: str, table: pd.DataFrame) -> dict[str, float | None]:
    """The value typed per region in ``mode`` (a target as a fraction), None for an empty cell."""
    column = table[typed_column(mode)]
    typed = zip(table["region_code"].tolist(), column.tolist(), column.notna().tolist())
    if mode == "target":
        return {code: (pct / 100 if present else None) for code, pct, present in typed}
    return {code: (value if present else None) for code, value, present in typed}


def simulate_inputs(baseline: pd.DataFrame, *, mode: str, inputs: pd.DataFrame, parameters: CostParameters,
                    national_rate: float) -> tuple[SimulationResult, list[InputProblem]]:
    """Simulate an input table on ``baseline`` (indicators); regions whose input is an error are left out of the
    result and reported."""
    values = typed_values(mode, inputs)
    problems = validate_inputs(baseline, mode=mode, values=values, names=by_code(baseline, "region_name"))
    blocked = {p.region_code for p in problems if p.severity == "error"}
    usable = {code: value for code, value in values.items() if code not in blocked and value is not None}
    if mode == "target":
        additions = additions_for_targets(baseline, usable)
    else:
        additions = {code: int(value) for code, value in usable.items()}
    result = simulate(baseline, additions, segments=by_code(inputs, "segment"), parameters=parameters,
                      national_rate=national_rate)
    return result, problems


# --- bulk fills ---------------------------------------------------------------------------------------------------
# A fill writes only the regions it targets and keeps what was typed in every other region: "all to 39%" sets 39 where
# coverage is below 39% and leaves a region already at or above it as it was (empty, or whatever was typed there),
# because a target below today's coverage means nothing and would only raise a warning per region. Where a fill does
# write, it replaces what was typed: that is what the button says, and the page offers one step back.


class LeftOut(NamedTuple):
    """Regions a target fill left as they were: their coverage is already at or above ``level_pct``."""

    codes: tuple[str, ...]
    level_pct: float


class BulkFill(NamedTuple):
    """What a bulk fill changes: ``column`` for the regions in ``values`` (by region code), in ``mode``; and the
    regions it left out on purpose (None: it left out none that need saying)."""

    column: str
    values: dict[str, float]
    mode: str
    left_out: LeftOut | None = None


def _targets_below(rates: Mapping[str, float], level_rate: float, level_pct: float) -> BulkFill:
    # level_rate and level_pct are the same level, each as given: 0.39 * 100 is not exactly 39.0.
    values = {code: level_pct for code, rate in rates.items() if rate < level_rate}
    above = tuple(code for code in rates if code not in values)
    return BulkFill("target_pct", values, "target", LeftOut(above, level_pct) if above else None)


def fill_all_targets(rates: Mapping[str, float], level_pct: float) -> BulkFill:
    """Every region below ``level_pct`` gets it as its target; those at or above it (coverage ``rates`` by region
    code, as fractions) are left as they were."""
    return _targets_below(rates, level_pct / 100, level_pct)


def regions_below(baseline: pd.DataFrame, national_rate: float) -> list[str]:
    """The regions of ``baseline`` (indicators) whose coverage is below ``national_rate``."""
    return [code for code, rate in zip(baseline["region_code"], baseline["rate"]) if rate < national_rate]


def fill_below_national(rates: Mapping[str, float], national_rate: float) -> BulkFill:
    """The regions below the national average get it as their target; the others are left as they were."""
    return _targets_below(rates, national_rate, national_rate * 100)


def unenrolled_by_code(baseline: pd.DataFrame) -> dict[str, int]:
    """Potential workers not yet participating, per region code of ``baseline``."""
    return {code: int(free) for code, free in unenrolled(baseline).items()}


def fill_share_of_unenrolled(room: Mapping[str, int], share_pct: float) -> BulkFill:
    """Each region adds ``share_pct`` % of its unenrolled workers (rounded down)."""
    return BulkFill("additional", {code: math.floor(free * share_pct / 100) for code, free in room.items()}, "add")


def pace_targets(mode: str, table: pd.DataFrame, baseline: pd.DataFrame) -> dict[str, float]:
    """Targets the time-to-target table measures against: the typed ones in target mode, else the data's."""
    values = typed_values(mode, table)
    if mode == "target" and any(value is not None for value in values.values()):
        return {code: value for code, value in values.items() if value is not None}
    return {code: rate for code, rate in zip(baseline["region_code"], baseline["target_rate"]) if pd.notna(rate)}


def known_segment(segment: object) -> str:
    """``segment`` if it is one, else the default (a hand-edited saved scenario must not break a page)."""
    return segment if isinstance(segment, str) and segment in SEGMENTS else DEFAULT_SEGMENT
