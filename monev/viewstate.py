"""The view in a link: parse and write the query parameters that reopen a view exactly.

``?periode=2024-10&metrik=selisih&wilayah=17.07&bahasa=en&skenario=3f2a…&t=17.01:40`` — ``t`` carries
unsaved target percentages, ``a`` unsaved additional participants, ``slide`` the presenter view's slide.
Anything malformed or tampered with is ignored and named in ``ignored``, never an exception: links are typed,
pasted and cut off by people.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

METRIC_SLUGS = {"coverage": "cakupan", "gap": "selisih", "change": "perubahan", "projected": "proyeksi"}
_SLUG_METRICS = {slug: metric for metric, slug in METRIC_SLUGS.items()}
LANGUAGES = ("id", "en")
KNOWN_PARAMS = ("periode", "metrik", "wilayah", "bahasa", "skenario", "t", "a", "slide")
SLIDE_COUNT = 7
_SCENARIO_ID = re.compile(r"^[0-9a-f]{12}$")
_MAX_PARAM_CHARS = 2000  # a link longer than this was not made by the app
MAX_TARGET_PCT = 100.0
MAX_ADDITIONAL = 1_000_000_000
_Number = TypeVar("_Number", int, float)
_Parsed = TypeVar("_Parsed")


@dataclass(frozen=True)
class ViewParams:
    period: str | None = None
    metric: str | None = None
    region: str | None = None
    lang: str | None = None
    scenario: str | None = None
    slide: int | None = None
    targets_pct: dict[str, float] = field(default_factory=dict)
    additions: dict[str, int] = field(default_factory=dict)


def _single(value: object) -> str | None:
    """Streamlit gives a repeated parameter as a list; the last one wins, as in a browser form."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if not isinstance(value, str) or len(value) > _MAX_PARAM_CHARS:
        return None
    return value


def _pairs(text: str, region_codes: Collection[str], convert: Callable[[str], _Number],
           upper: float) -> dict[str, _Number] | None:
    """'17.01:40,17.07:30' -> {'17.01': 40.0, ...}; None when any part is malformed."""
    values: dict[str, _Number] = {}
    for item in text.split(","):
        code, separator, raw = item.partition(":")
        if not separator or code not in region_codes:
            return None
        try:
            number = convert(raw)
        except (ValueError, OverflowError):
            return None
        if isinstance(number, float) and not math.isfinite(number) or not 0 <= number <= upper:
            return None
        values[code] = number
    return values


def parse_view_params(params: Mapping[str, object], *, periods: Collection[str],
                      region_codes: Collection[str]) -> tuple[ViewParams, list[str]]:
    """The view a link asks for, and the names of the parameters that were ignored as malformed."""
    ignored: list[str] = []

    def checked(name: str, check: Callable[[str], _Parsed | None]) -> _Parsed | None:
        if name not in params:
            return None
        value = _single(params[name])
        parsed = check(value) if value is not None else None
        if parsed is None:
            ignored.append(name)
        return parsed

    # Checked in the order of KNOWN_PARAMS, so that ``ignored`` names them in that order.
    view = ViewParams(
        period=checked("periode", lambda v: v if v in periods else None),
        metric=checked("metrik", _SLUG_METRICS.get),
        region=checked("wilayah", lambda v: v if v in region_codes else None),
        lang=checked("bahasa", lambda v: v if v in LANGUAGES else None),
        scenario=checked("skenario", lambda v: v if _SCENARIO_ID.match(v) else None),
        targets_pct=checked("t", lambda v: _pairs(v, region_codes, float, MAX_TARGET_PCT)) or {},
        additions=checked("a", lambda v: _pairs(v, region_codes, int, MAX_ADDITIONAL)) or {},
        slide=checked("slide", _slide_number),
    )
    ignored += [name for name in params if name not in KNOWN_PARAMS]
    return view, ignored


def _slide_number(text: str) -> int | None:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return int(text) if re.fullmatch(r"[0-9]{1,2}", text) and 1 <= int(text) <= SLIDE_COUNT else None


def encode_pairs(values: Mapping[str, float]) -> str:
    """{'17.01': 40.0, '17.07': 5000} -> '17.01:40,17.07:5000' (empty cells left out)."""
    return ",".join(f"{code}:{_number_text(value)}" for code, value in values.items()
                    if value is not None and not (isinstance(value, float) and math.isnan(value)))


def _number_text(value: float) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.6g}"
