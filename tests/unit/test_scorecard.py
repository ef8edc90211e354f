"""The self-assessment scorecard, on cases worked out by hand.

Two regions are recorded, the other eight have nothing (every dimension 0 but coverage). Yardstick 40 %.
- Bengkulu Selatan (17.01): Perda in place (100); RKPD not yet, APBD line 50 % realised → budget (0 + 50) / 2 = 25;
  no innovation, no sanctions (0, 0); coverage 20 % of 40 % → 50. Equal weights: (100+50+25+0+0) / 5 = 35.
- Rejang Lebong (17.02): a Perkada *sebagian* → 70 / 2 = 35; RKPD in place, no APBD line → (100 + 0) / 2 = 50;
  innovation and sanctions in place (100, 100); coverage 40 % → 100. (35+100+50+100+100) / 5 = 77.
"""

from __future__ import annotations

import pytest

from monev import i18n
from monev.compliance import Checklist, ComplianceEntry
from monev.dataset import load_demo
from monev.scorecard import (
    DIMENSIONS,
    SELF_ASSESSMENT_NOTE,
    WEIGHTS_NOTE,
    ScoreError,
    ScoreInputs,
    Step,
    checked_weights,
    coverage_rates,
    dimension_scores,
    parse_weights,
    score_regions,
)
from tests.unit.demo_numbers import PERIOD, demo_rows

YARDSTICK = 0.40
RATES = {"17.01": 0.20, "17.02": 0.40}
CHECKLIST = Checklist((
    ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="perda"),
    ComplianceEntry("17.01", "rkpd", "belum"),
    ComplianceEntry("17.01", "apbd", "ada", pagu_idr=200_000_000, realisation_idr=100_000_000),
    ComplianceEntry("17.02", "regulasi", "sebagian", regulation_kind="perkada"),
    ComplianceEntry("17.02", "rkpd", "ada"),
    ComplianceEntry("17.02", "inovasi", "ada"),
    ComplianceEntry("17.02", "sanksi", "ada"),
))


def scores_of(card, code: str) -> dict[str, float]:
    return dict(next(region for region in card.regions if region.region_code == code).scores)


def region(card, code: str):
    return next(region for region in card.regions if region.region_code == code)


def test_dimension_scores_and_totals_match_the_hand_calculation():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK)
    assert scores_of(card, "17.01") == pytest.approx(
        {"regulation": 100, "coverage": 50, "budget": 25, "innovation": 0, "employer_compliance": 0})
    assert scores_of(card, "17.02") == pytest.approx(
        {"regulation": 35, "coverage": 100, "budget": 50, "innovation": 100, "employer_compliance": 100})
    assert region(card, "17.01").total == pytest.approx(35)
    assert region(card, "17.02").total == pytest.approx(77)


def test_regions_rank_by_total_and_equal_totals_share_a_rank():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK)
    assert [(r.region_code, r.rank) for r in card.regions[:3]] == [("17.02", 1), ("17.01", 2), ("17.03", 3)]
    assert {r.rank for r in card.regions[2:]} == {3}  # the eight with nothing recorded score 0 alike
    assert [r.region_code for r in card.regions[2:]] == ["17.03", "17.04", "17.05", "17.06", "17.07", "17.08",
                                                         "17.09", "17.71"]


def test_changing_a_weight_re_ranks_the_regions():
    # Regulation weighs 10, the rest 1: 17.01 = (1000+50+25)/14 = 76.79, 17.02 = (350+100+50+100+100)/14 = 50.
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK, weights={"regulation": 10})
    assert [r.region_code for r in card.regions[:2]] == ["17.01", "17.02"]
    assert region(card, "17.01").total == pytest.approx(1075 / 14)
    assert region(card, "17.02").total == pytest.approx(50)
    assert dict(card.weights) == {"regulation": 10, "coverage": 1, "budget": 1, "innovation": 1,
                                  "employer_compliance": 1}


def test_a_weight_of_zero_leaves_a_dimension_out():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK,
                         weights={"coverage": 0, "innovation": 0, "employer_compliance": 0, "budget": 0})
    assert region(card, "17.01").total == pytest.approx(100)
    assert region(card, "17.02").total == pytest.approx(35)


def test_the_best_step_is_found_by_re_scoring_each_change():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK)
    # 17.01: RKPD +10, full realisation +5, sanctions +20, innovation +20, coverage +10: sanctions come first.
    assert region(card, "17.01").best_step == Step("sanctions", pytest.approx(20))
    # 17.02: a Perda lifts regulation 35 → 100: +13; an APBD line realised in full lifts budget 50 → 100: +10.
    step = region(card, "17.02").best_step
    assert step == Step("perda", pytest.approx(13))
    assert step is not None
    assert step.describe("en", yardstick_rate=YARDSTICK) == "a Perda on workers' social security adds 13.0 points"
    assert step.describe("id", yardstick_rate=YARDSTICK) == \
        "Perda jaminan sosial ketenagakerjaan menambah 13,0 poin"


def test_the_best_step_follows_the_weights():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK, weights={"budget": 5})
    # 17.02 with budget weighing 5 (total weight 9): Perda +65/9 = 7.2; full realisation +50*5/9 = 27.8.
    assert region(card, "17.02").best_step == Step("budget_realised", pytest.approx(250 / 9))


def test_a_region_with_everything_full_has_no_step():
    full = Checklist((ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="perda"),
                      ComplianceEntry("17.01", "rkpd", "ada"),
                      ComplianceEntry("17.01", "apbd", "ada", pagu_idr=10, realisation_idr=12),
                      ComplianceEntry("17.01", "inovasi", "ada"), ComplianceEntry("17.01", "sanksi", "ada")))
    card = score_regions(full, {"17.01": 0.5}, yardstick_rate=YARDSTICK)
    assert region(card, "17.01").total == pytest.approx(100)
    assert region(card, "17.01").best_step is None


@pytest.mark.parametrize(("entry", "points"), [
    (ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="perda"), 100),
    (ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="perkada"), 70),
    (ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="surat_edaran"), 40),
    (ComplianceEntry("17.01", "regulasi", "ada"), 40),  # kind unknown: scored as a circular
    (ComplianceEntry("17.01", "regulasi", "sebagian", regulation_kind="perda"), 50),
    (ComplianceEntry("17.01", "regulasi", "belum", regulation_kind="perda"), 0),
    (None, 0),
])
def test_a_perda_scores_highest_then_a_perkada_then_a_circular(entry, points):
    inputs = ScoreInputs(regulation=entry, rkpd=None, apbd=None, sanctions=None, innovation=None, coverage_rate=None)
    assert dimension_scores(inputs, YARDSTICK)["regulation"] == points


def test_a_manual_innovation_score_replaces_the_item():
    card = score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK, innovation_scores={"17.01": 60, "17.02": 10})
    assert scores_of(card, "17.01")["innovation"] == 60
    assert scores_of(card, "17.02")["innovation"] == 10
    assert region(card, "17.01").total == pytest.approx(47)


def test_weights_are_parsed_and_checked():
    assert parse_weights("regulation=2, coverage=0.5") == {"regulation": 2, "coverage": 0.5, "budget": 1,
                                                          "innovation": 1, "employer_compliance": 1}
    assert checked_weights() == dict.fromkeys(DIMENSIONS, 1.0)
    with pytest.raises(ScoreError) as unknown:
        parse_weights("regulasi=2")
    assert unknown.value.message("en").startswith("Unknown dimension: regulasi.")
    for text, code in (("regulation", "bad_weight"), ("regulation=x", "bad_weight"),
                       ("regulation=-1", "negative_weight"),
                       ("regulation=0,coverage=0,budget=0,innovation=0,employer_compliance=0", "zero_weights")):
        with pytest.raises(ScoreError) as error:
            parse_weights(text)
        assert error.value.code == code
        assert error.value.message("id") and error.value.message("en")


def test_a_yardstick_and_manual_scores_out_of_range_are_refused():
    with pytest.raises(ScoreError):
        score_regions(CHECKLIST, RATES, yardstick_rate=0)
    with pytest.raises(ScoreError):
        score_regions(CHECKLIST, RATES, yardstick_rate=YARDSTICK, innovation_scores={"17.01": 120})


def test_coverage_rates_come_from_the_indicators_of_the_period():
    rates = coverage_rates(load_demo(), PERIOD)
    expected = {code: participants / potential for code, (potential, participants) in demo_rows().items()}
    assert rates == pytest.approx(expected)


def test_the_notes_say_self_assessment_and_unpublished_weights_in_both_languages():
    assert "Paritrana" in i18n.t(SELF_ASSESSMENT_NOTE, "id") and "bukan" in i18n.t(SELF_ASSESSMENT_NOTE, "id")
    assert "not the award's result" in i18n.t(SELF_ASSESSMENT_NOTE, "en")
    assert "tidak dipublikasikan" in i18n.t(WEIGHTS_NOTE, "id")
    assert "does not publish its weights" in i18n.t(WEIGHTS_NOTE, "en")
