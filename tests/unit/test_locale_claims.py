"""What the texts claim about contribution prices: no text offers publicly funded workers a discounted package.

PP 50/2025 and the 2025 relief exclude participants paid from APBN/APBD (domain notes, "Contribution costs"); a help
text once said a 2025 discount made the package Rp8,400, which a budget officer would have read as their price.
"""

from __future__ import annotations

import re

import pytest

from monev import i18n
from monev.number_text import write_number
from monev.simulation import DEFAULT_COST_IDR_PER_MONTH

DISCOUNT_WORDS = {"id": ("diskon", "potongan"), "en": ("discount", "relief")}
SELF_PAID_WORDS = {"id": "membayar sendiri", "en": "self-paying"}
PUBLIC_BUDGET = re.compile(r"\bAPB[DN]")


def _bare_number(amount: float, lang: str) -> str:
    return write_number(amount, lang, "rupiah").removeprefix("Rp")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_text_names_a_discounted_package_price(lang):
    half = _bare_number(DEFAULT_COST_IDR_PER_MONTH / 2, lang)
    # Whatever the grouping sign: 8.400, 8,400, 8400.
    spellings = {half.replace(".", ","), half.replace(",", "."), half.replace(".", "").replace(",", "")}
    claims = sorted(f"{key}: {text}" for key, text in i18n.catalog(lang).items()
                    if any(spelling in text for spelling in spellings))
    assert claims == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_text_on_discounts_and_public_budgets_keeps_the_full_price_and_the_discount_for_self_payers(lang):
    full = write_number(DEFAULT_COST_IDR_PER_MONTH, lang, "rupiah")
    about_both = {key: text for key, text in i18n.catalog(lang).items()
                  if PUBLIC_BUDGET.search(text) and any(word in text.lower() for word in DISCOUNT_WORDS[lang])}
    assert "sim.cost_basis" in about_both  # the scan finds the simulator's cost help
    wrong = sorted(key for key, text in about_both.items() if SELF_PAID_WORDS[lang] not in text or full not in text)
    assert wrong == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_cost_help_says_apbd_funded_participants_pay_the_full_package(lang):
    text = i18n.t("sim.cost_basis", lang)
    full = write_number(DEFAULT_COST_IDR_PER_MONTH, lang, "rupiah")
    # The default and, after APBD/APBN, the price those participants keep.
    assert re.search(rf"APBD/APBN[^.]*{re.escape(full)}", text)
