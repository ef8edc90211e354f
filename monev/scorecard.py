"""A self-assessment scorecard in the spirit of the Paritrana Award: each region's score from its checklist and its
coverage, a ranking, and the one change that would raise each region's score most.

The award (Kemenko PMK + BPJS Ketenagakerjaan) judges regulation, coverage, budget, innovation and employer
compliance, but publishes neither its weights nor its scales: the weights here are the user's (equal by default) and
the points below are this project's assumptions, said as such wherever a score is shown (``WEIGHTS_NOTE``).

Each dimension scores 0–100:
- regulation: a Perda 100, a Perkada 70, a circular 40 (a regulation of unknown kind counts as a circular); half of
  that when the status is *sebagian*;
- coverage: the region's rate against a yardstick rate, 100 at or above it (rate ÷ yardstick × 100);
- budget: the mean of the programme in the RKPD (status points) and the APBD line's realisation % (capped at 100;
  0 without a recorded line or realisation);
- innovation: the *inovasi* item's status points, or a manual score given for the region;
- employer compliance: the status points of sanctions against non-compliant employers in use.
Status points: *ada* 100, *sebagian* 50, *belum* and *tidak diketahui* 0 (nothing recorded earns nothing).
The total is the weighted mean of the five.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monev import fmt, i18n
from monev.compliance import DONE_STATUSES, Checklist, ComplianceEntry
from monev.dataset import CoverageData
from monev.indicators import region_indicators
from monev.regions import Registry, load_registry

DIMENSIONS = ("regulation", "coverage", "budget", "innovation", "employer_compliance")
DEFAULT_WEIGHTS: Mapping[str, float] = {dimension: 1.0 for dimension in DIMENSIONS}
FULL_SCORE = 100.0
STATUS_POINTS = {"ada": 100.0, "sebagian": 50.0, "belum": 0.0, "tidak_diketahui": 0.0}
REGULATION_POINTS = {"perda": 100.0, "perkada": 70.0, "surat_edaran": 40.0}
WEIGHTS_NOTE = "score.weights_unpublished"  # catalog key of the sentence every view of a score shows
SELF_ASSESSMENT_NOTE = "score.self_assessment"


class ScoreError(ValueError):
    """Weights or inputs the scorecard cannot use: ``code`` names the catalog text (``score.error.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What is wrong, in ``lang``."""
        return i18n.t(f"score.error.{self.code}", lang, **self.params)


def checked_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """All five weights: the given ones over the defaults; refused when unknown, negative or all zero."""
    unknown = sorted(set(weights or {}) - set(DIMENSIONS))
    if unknown:
        raise ScoreError("unknown_dimension", name=", ".join(unknown), dimensions=", ".join(DIMENSIONS))
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    if any(value < 0 for value in merged.values()):
        raise ScoreError("negative_weight")
    if not any(merged.values()):
        raise ScoreError("zero_weights")
    return merged


def parse_weights(text: str) -> dict[str, float]:
    """'regulation=2,coverage=1' -> {'regulation': 2.0, 'coverage': 1.0} (the others keep their default)."""
    weights: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, separator, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise ScoreError("bad_weight", item=part) from None
        if not separator:
            raise ScoreError("bad_weight", item=part)
    return checked_weights(weights)


@dataclass(frozen=True)
class ScoreInputs:
    """What one region is scored on; a change to try is a changed copy."""

    regulation: ComplianceEntry | None
    rkpd: ComplianceEntry | None
    apbd: ComplianceEntry | None
    sanctions: ComplianceEntry | None
    innovation: ComplianceEntry | None
    coverage_rate: float | None
    innovation_manual: float | None = None  # 0–100, given by the user; replaces the item's points


def _points(entry: ComplianceEntry | None) -> float:
    return 0.0 if entry is None else STATUS_POINTS[entry.status]


def _regulation_points(entry: ComplianceEntry | None) -> float:
    if entry is None or entry.status not in DONE_STATUSES:
        return 0.0
    kind_points = REGULATION_POINTS[entry.regulation_kind or "surat_edaran"]
    return kind_points * STATUS_POINTS[entry.status] / FULL_SCORE


def _realisation_points(entry: ComplianceEntry | None) -> float:
    if entry is None or entry.status not in DONE_STATUSES or entry.realisation_rate is None:
        return 0.0
    return min(FULL_SCORE, entry.realisation_rate * FULL_SCORE)


def dimension_scores(inputs: ScoreInputs, yardstick_rate: float) -> dict[str, float]:
    """The five dimension scores (0–100) of one region."""
    rate = inputs.coverage_rate
    coverage = 0.0 if rate is None or math.isnan(rate) else min(FULL_SCORE, rate / yardstick_rate * FULL_SCORE)
    innovation = _points(inputs.innovation) if inputs.innovation_manual is None else inputs.innovation_manual
    return {
        "regulation": _regulation_points(inputs.regulation),
        "coverage": coverage,
        "budget": (_points(inputs.rkpd) + _realisation_points(inputs.apbd)) / 2,
        "innovation": innovation,
        "employer_compliance": _points(inputs.sanctions),
    }


def total_score(scores: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted mean of the dimension scores."""
    return sum(scores[d] * weights[d] for d in DIMENSIONS) / sum(weights[d] for d in DIMENSIONS)


@dataclass(frozen=True)
class Step:
    """One change to a region's record and how many points it adds to the total."""

    code: str  # perda, rkpd, budget_realised, sanctions, innovation, coverage
    gain: float

    def describe(self, lang: str = i18n.DEFAULT_LANGUAGE, *, yardstick_rate: float) -> str:
        """The step as a sentence in ``lang``: "a Perda on workers' social security adds 12.0 points"."""
        return i18n.t(f"score.step.{self.code}", lang, points=fmt.decimal(self.gain, lang),
                      rate=fmt.percent(yardstick_rate, lang))


def _done(entry: ComplianceEntry | None, region_code: str, item_code: str, **evidence: object) -> ComplianceEntry:
    base = entry or ComplianceEntry(region_code, item_code, "ada")
    return dataclasses.replace(base, status="ada", **evidence)  # type: ignore[arg-type]


def _candidates(inputs: ScoreInputs, region_code: str, yardstick_rate: float) -> list[tuple[str, ScoreInputs]]:
    """Each single change worth trying, in the order ties are settled."""
    pagu = inputs.apbd.pagu_idr if inputs.apbd and inputs.apbd.pagu_idr else 1.0
    return [
        ("perda", dataclasses.replace(inputs, regulation=_done(inputs.regulation, region_code, "regulasi",
                                                               regulation_kind="perda"))),
        ("rkpd", dataclasses.replace(inputs, rkpd=_done(inputs.rkpd, region_code, "rkpd"))),
        ("budget_realised", dataclasses.replace(inputs, apbd=_done(inputs.apbd, region_code, "apbd", pagu_idr=pagu,
                                                                   realisation_idr=pagu))),
        ("sanctions", dataclasses.replace(inputs, sanctions=_done(inputs.sanctions, region_code, "sanksi"))),
        ("innovation", dataclasses.replace(inputs, innovation=_done(inputs.innovation, region_code, "inovasi"),
                                           innovation_manual=None if inputs.innovation_manual is None
                                           else FULL_SCORE)),
        ("coverage", dataclasses.replace(inputs, coverage_rate=max(inputs.coverage_rate or 0.0, yardstick_rate))),
    ]


def best_step(inputs: ScoreInputs, region_code: str, yardstick_rate: float,
              weights: Mapping[str, float]) -> Step | None:
    """The single change that adds most to the total, found by scoring each change; None when nothing adds."""
    before = total_score(dimension_scores(inputs, yardstick_rate), weights)
    best: Step | None = None
    for code, changed in _candidates(inputs, region_code, yardstick_rate):
        gain = total_score(dimension_scores(changed, yardstick_rate), weights) - before
        if gain > 1e-9 and (best is None or gain > best.gain + 1e-9):
            best = Step(code, gain)
    return best


@dataclass(frozen=True)
class RegionScore:
    region_code: str
    scores: tuple[tuple[str, float], ...]  # (dimension, 0–100) in the order of DIMENSIONS
    total: float
    rank: int
    best_step: Step | None

    def score(self, dimension: str) -> float:
        """One dimension's score."""
        return dict(self.scores)[dimension]


@dataclass(frozen=True)
class Scorecard:
    """Every region scored and ranked (best first): a self-assessment, not the award's result."""

    regions: tuple[RegionScore, ...]
    weights: tuple[tuple[str, float], ...]
    yardstick_rate: float


def region_inputs(checklist: Checklist, region_code: str, coverage_rate: float | None,
                  innovation_manual: float | None = None) -> ScoreInputs:
    """What ``region_code`` is scored on, taken from the checklist."""
    def entry(item: str) -> ComplianceEntry | None:
        return checklist.entry(region_code, item)

    return ScoreInputs(regulation=entry("regulasi"), rkpd=entry("rkpd"), apbd=entry("apbd"),
                       sanctions=entry("sanksi"), innovation=entry("inovasi"), coverage_rate=coverage_rate,
                       innovation_manual=innovation_manual)


def score_regions(checklist: Checklist, coverage_rates: Mapping[str, float], *, yardstick_rate: float,
                  weights: Mapping[str, float] | None = None,
                  innovation_scores: Mapping[str, float] | None = None,
                  registry: Registry | None = None) -> Scorecard:
    """Score and rank the registry's regions; equal totals share a rank, listed by region code."""
    if not yardstick_rate > 0:
        raise ScoreError("bad_yardstick")
    weights = checked_weights(weights)
    registry = registry or load_registry()
    manual = innovation_scores or {}
    if any(not 0 <= value <= FULL_SCORE for value in manual.values()):
        raise ScoreError("bad_innovation")
    scored = []
    for code in registry.codes:
        inputs = region_inputs(checklist, code, coverage_rates.get(code), manual.get(code))
        scores = dimension_scores(inputs, yardstick_rate)
        scored.append((code, scores, total_score(scores, weights), best_step(inputs, code, yardstick_rate, weights)))
    scored.sort(key=lambda row: (-round(row[2], 9), row[0]))
    regions: list[RegionScore] = []
    for position, (code, scores, total, step) in enumerate(scored, start=1):
        tied = bool(regions) and round(regions[-1].total, 9) == round(total, 9)
        rank = regions[-1].rank if tied else position
        regions.append(RegionScore(code, tuple((d, scores[d]) for d in DIMENSIONS), total, rank, step))
    return Scorecard(tuple(regions), tuple(weights.items()), yardstick_rate)


def coverage_rates(data: CoverageData, period: str) -> dict[str, float]:
    """Each region's coverage rate in ``period`` (the indicators' region frame)."""
    frame: pd.DataFrame = region_indicators(data, period)
    return dict(zip(frame["region_code"], frame["rate"].astype(float), strict=True))
