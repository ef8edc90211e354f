"""What protecting the people of an Inpres 2/2021 target group costs, by the group's cost rule, and the what-if
"register every eligible member of group G in regions R".

Money is Rupiah, rates are fractions. The cost rules (shared model of issue 16; domain notes, "Contribution costs"):

- ``bpu_package``: the JKK + JKM package for non-wage earners (Rp16,800 a person a month) × months funded;
- ``adhoc_months``: the same package × the months of cover of each ad hoc body (1–3);
- ``wage_earner``: (JKK by risk class + JKM) × a monthly wage × months; default wage the provincial minimum wage;
- ``jakon_contract``: tiers of a construction contract's value, priced into the contract, paid by the contractor;
- ``employer``: paid by the employer (BUMD), nothing from the regional budget.

No contribution discount ever reaches a participant paid for by a public funder (PP 50/2025 and the 2025 relief
exclude APBN/APBD-paid participants): ``package_price`` is the one place a discount is applied, and only for
self-paid workers.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monev import fmt, i18n, number_text, periods
from monev.regions import DATA_DIR, load_registry
from monev.simulation import DEFAULT_COST_IDR_PER_MONTH, DEFAULT_PROVINCE_SHARE, PROVINCE_SHARE_SOURCE

COST_RULES = ("bpu_package", "adhoc_months", "wage_earner", "jakon_contract", "employer")

PROVINCE_FUNDER = "apbd_provinsi"
REGENCY_FUNDER = "apbd_kabkota"
SELF_PAID = "mandiri"
EMPLOYER = "pemberi_kerja"

DEFAULT_MONTHS_FUNDED = 12  # costs are yearly

# Wage earners (PP 44/2015 as amended by PP 82/2019): JKK by the workplace's risk class, JKM 0.30 %, of the wage.
JKM_WAGE_RATE = 0.0030
JKK_WAGE_RATES = {
    "sangat_rendah": 0.0024,
    "rendah": 0.0054,
    "sedang": 0.0089,
    "tinggi": 0.0127,
    "sangat_tinggi": 0.0174,
}
# An assumption, not a reported fact: non-ASN staff of a local government mostly do office work.
DEFAULT_RISK_CLASS = "sangat_rendah"
MINIMUM_WAGES_FILE = DATA_DIR / "minimum_wages.toml"


@dataclass(frozen=True)
class JakonTier:
    """One band of a construction contract's value and the JKK and JKM rates on the part of the value inside it."""

    upper_idr: float  # the band runs from the previous band's upper bound to this one
    jkk_rate: float
    jkm_rate: float


# Construction workers (Permenaker 44/2015): marginal rates on the contract value, like income-tax bands
# (star.grid.id 453624938 and 453670457).
JAKON_TIERS = (
    JakonTier(100_000_000, 0.0021, 0.0003),
    JakonTier(500_000_000, 0.0017, 0.0002),
    JakonTier(1_000_000_000, 0.0013, 0.0002),
    JakonTier(5_000_000_000, 0.0011, 0.0001),
    JakonTier(math.inf, 0.0009, 0.0001),
)


class GroupCostError(ValueError):
    """An input the cost rules cannot price: ``code`` names the catalog text (``group_cost.error.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What is wrong, in ``lang``."""
        return i18n.t(f"group_cost.error.{self.code}", lang, **self.params)


def _check_share(value: float, name: str) -> None:
    if not 0 <= value <= 1:
        raise GroupCostError("share", name=name, value=value)


def _check_count(value: float, name: str) -> None:
    if value < 0 or math.isnan(value):
        raise GroupCostError("negative", name=name, value=value)


def _check_months(months: int, most: int) -> None:
    if not 0 <= months <= most:
        raise GroupCostError("months", months=months, most=most)


def package_price(funder: str, *, package_idr_per_month: float = DEFAULT_COST_IDR_PER_MONTH,
                  discount_share: float = 0.0) -> float:
    """Monthly BPU package price per person for ``funder``: discounted only for self-paid workers, never otherwise."""
    _check_share(discount_share, "discount_share")
    _check_count(package_idr_per_month, "package_idr_per_month")
    # The discount is the worker's own relief: a public budget (and anyone else paying for a worker) pays in full.
    if funder != SELF_PAID:
        return package_idr_per_month
    return package_idr_per_month * (1 - discount_share)


def bpu_package_cost(people: int, months: int, *, funder: str,
                     package_idr_per_month: float = DEFAULT_COST_IDR_PER_MONTH, discount_share: float = 0.0) -> float:
    """Cost of the JKK + JKM package for ``people`` over ``months``, at ``funder``'s price."""
    _check_count(people, "people")
    _check_months(months, 12)
    return float(people * months) * package_price(funder, package_idr_per_month=package_idr_per_month,
                                           discount_share=discount_share)


def adhoc_cost(people_by_subgroup: Mapping[str, int], months_by_subgroup: Mapping[str, int], *, funder: str,
               package_idr_per_month: float = DEFAULT_COST_IDR_PER_MONTH, discount_share: float = 0.0) -> float:
    """Cost of the package for ad hoc election staff: each body's people × its months of cover (1–3)."""
    total = 0.0
    for subgroup, people in people_by_subgroup.items():
        if people == 0:
            continue
        if subgroup not in months_by_subgroup:
            raise GroupCostError("adhoc_months_unknown", subgroup=subgroup or "–")
        months = months_by_subgroup[subgroup]
        if not 1 <= months <= 3:
            raise GroupCostError("months", months=months, most=3)
        total += bpu_package_cost(people, months, funder=funder, package_idr_per_month=package_idr_per_month,
                                  discount_share=discount_share)
    return total


def wage_earner_rate(risk_class: str = DEFAULT_RISK_CLASS) -> float:
    """JKK (by the risk class) + JKM, as a fraction of the monthly wage."""
    if risk_class not in JKK_WAGE_RATES:
        raise GroupCostError("risk_class", risk_class=risk_class)
    return JKK_WAGE_RATES[risk_class] + JKM_WAGE_RATE


def risk_class_label(risk_class: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A risk class with its JKK rate, as people read it: "Sangat rendah (JKK 0,24%)"."""
    if risk_class not in JKK_WAGE_RATES:
        raise GroupCostError("risk_class", risk_class=risk_class)
    return i18n.t(f"group_cost.risk.{risk_class}", lang)


def default_risk_note(lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Says that the default risk class of non-ASN staff is an assumption."""
    return i18n.t("group_cost.risk_assumption", lang)


def wage_earner_cost(people: int, monthly_wage_idr: float, months: int,
                     risk_class: str = DEFAULT_RISK_CLASS) -> float:
    """Cost of JKK + JKM for ``people`` wage earners on ``monthly_wage_idr`` over ``months``."""
    _check_count(people, "people")
    _check_count(monthly_wage_idr, "monthly_wage_idr")
    _check_months(months, 12)
    return people * months * monthly_wage_idr * wage_earner_rate(risk_class)


@dataclass(frozen=True)
class JakonContribution:
    """JKK and JKM of one construction contract, in Rupiah for the whole project."""

    jkk_idr: float
    jkm_idr: float

    @property
    def total_idr(self) -> float:
        return self.jkk_idr + self.jkm_idr


def jakon_contribution(contract_value_idr: float) -> JakonContribution:
    """JKK and JKM of a construction project from its contract value, rate by rate on each band of the value."""
    _check_count(contract_value_idr, "contract_value_idr")
    jkk = jkm = 0.0
    lower = 0.0
    for tier in JAKON_TIERS:
        inside = max(min(contract_value_idr, tier.upper_idr) - lower, 0.0)
        jkk += inside * tier.jkk_rate
        jkm += inside * tier.jkm_rate
        lower = tier.upper_idr
    # To the sen: float rounding would otherwise print Rp14.999,999… for a plain Rp15.000.
    return JakonContribution(round(jkk, 2), round(jkm, 2))


@dataclass(frozen=True)
class MinimumWage:
    """A provincial minimum wage (UMP) a month, the year it holds for and where the figure comes from."""

    year: int
    idr: float
    source: str

    def describe(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The wage as the default a user sees, with its year and source."""
        return i18n.t("group_cost.wage_basis", lang, year=self.year,
                      wage=number_text.write_number(self.idr, lang, "rupiah"),
                      source=self.source)


def load_minimum_wages(path: Path = MINIMUM_WAGES_FILE) -> tuple[MinimumWage, ...]:
    """The minimum wages listed in ``path`` (``data/minimum_wages.toml``), oldest year first."""
    listed = tomllib.loads(path.read_text(encoding="utf-8")).get("wage", [])
    return tuple(sorted((MinimumWage(int(row["year"]), float(row["idr"]), str(row["source"])) for row in listed),
                        key=lambda wage: wage.year))


def minimum_wage(year: int, wages: Sequence[MinimumWage] | None = None) -> MinimumWage:
    """The minimum wage holding in ``year``: that year's, else the latest before it, else the earliest listed."""
    wages = wages if wages is not None else load_minimum_wages()
    if not wages:
        raise GroupCostError("no_minimum_wage", year=year)
    earlier = [wage for wage in wages if wage.year <= year]
    return earlier[-1] if earlier else wages[0]


@dataclass(frozen=True)
class FundingSplit:
    """How the provincial and the regency/city budgets share a cost both fund."""

    province_share: float = DEFAULT_PROVINCE_SHARE
    source: str = PROVINCE_SHARE_SOURCE

    def __post_init__(self) -> None:
        _check_share(self.province_share, "province_share")

    def split(self, total_idr: float) -> dict[str, float]:
        """``total_idr`` as the province's and the regency's parts."""
        return {PROVINCE_FUNDER: total_idr * self.province_share,
                REGENCY_FUNDER: total_idr * (1 - self.province_share)}

    def describe(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The split as people read it, with its source: "provinsi 30% : kabupaten/kota 70% (…)"."""
        return i18n.t("group_cost.split", lang, province=fmt.percent(self.province_share, lang, 0),
                      regency=fmt.percent(1 - self.province_share, lang, 0), source=self.source)


@dataclass(frozen=True)
class CostSettings:
    """What a group's cost depends on besides its people; every default is sourced or marked as an assumption."""

    # None: the provincial and regency budgets share the cost by ``split``; else the one funder code that pays.
    funder: str | None = None
    split: FundingSplit = field(default_factory=FundingSplit)
    months_funded: int = DEFAULT_MONTHS_FUNDED
    package_idr_per_month: float = DEFAULT_COST_IDR_PER_MONTH
    # The relief some years give self-paid BPU workers (50 % in 2025 and 2026); only a self-paid funder sees it.
    discount_share: float = 0.0
    # None: the provincial minimum wage of the period's year (data/minimum_wages.toml).
    monthly_wage_idr: float | None = None
    risk_class: str = DEFAULT_RISK_CLASS
    # Ad hoc bodies: months of cover by subgroup code (from the target-group registry).
    months_by_subgroup: Mapping[str, int] = field(default_factory=dict)
    # Jakon: the contract values of each region's government projects, by region code.
    contracts_idr: Mapping[str, Sequence[float]] = field(default_factory=dict)

    @property
    def paying_funder(self) -> str:
        """The funder whose price applies; a shared cost is the public budgets', so never a discounted one."""
        return self.funder if self.funder is not None else PROVINCE_FUNDER

    def by_funder(self, total_idr: float) -> dict[str, float]:
        """``total_idr`` by the funder code that pays it."""
        return self.split.split(total_idr) if self.funder is None else {self.funder: total_idr}


@dataclass(frozen=True)
class GroupCost:
    """A group's cost in one region: by funder, and why it is nothing to the regional budget when it is not."""

    by_funder: dict[str, float]
    # "" when the budgets named in ``by_funder`` pay; "employer": the employer pays (BUMD);
    # "jakon_contract": the contractor pays out of the contract value (``by_funder`` has the contributions).
    paid_outside_budget: str = ""

    @property
    def total_idr(self) -> float:
        return sum(self.by_funder.values())

    def note(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """Who pays when it is not a regional budget; "" when it is."""
        return i18n.t(f"group_cost.paid_by.{self.paid_outside_budget}", lang) if self.paid_outside_budget else ""


def group_cost(cost_rule: str, people_by_subgroup: Mapping[str, int], settings: CostSettings, *, year: int,
               region_code: str = "") -> GroupCost:
    """Yearly cost of protecting ``people_by_subgroup`` of a group whose rule is ``cost_rule``, in ``year``."""
    people = sum(people_by_subgroup.values())
    funder = settings.paying_funder
    if cost_rule == "bpu_package":
        total = bpu_package_cost(people, settings.months_funded, funder=funder,
                                 package_idr_per_month=settings.package_idr_per_month,
                                 discount_share=settings.discount_share)
    elif cost_rule == "adhoc_months":
        total = adhoc_cost(people_by_subgroup, settings.months_by_subgroup, funder=funder,
                           package_idr_per_month=settings.package_idr_per_month,
                           discount_share=settings.discount_share)
    elif cost_rule == "wage_earner":
        wage = settings.monthly_wage_idr if settings.monthly_wage_idr is not None else minimum_wage(year).idr
        total = wage_earner_cost(people, wage, settings.months_funded, settings.risk_class)
    elif cost_rule == "jakon_contract":
        contracts = settings.contracts_idr.get(region_code, ())
        return GroupCost({EMPLOYER: sum(jakon_contribution(value).total_idr for value in contracts)},
                         paid_outside_budget="jakon_contract")
    elif cost_rule == "employer":
        return GroupCost({}, paid_outside_budget="employer")
    else:
        raise GroupCostError("rule", rule=cost_rule)
    return GroupCost(settings.by_funder(total))


@dataclass(frozen=True)
class CoverageChange:
    """Total coverage (all segments) before and after the added people."""

    participants_before: int
    participants_after: int
    potential_workers: int

    @property
    def rate_before(self) -> float:
        return self.participants_before / self.potential_workers if self.potential_workers > 0 else math.nan

    @property
    def rate_after(self) -> float:
        return self.participants_after / self.potential_workers if self.potential_workers > 0 else math.nan


@dataclass(frozen=True)
class RegionWhatIf:
    """One region (or the province as a funder in its own right) when all of a group's eligible are registered."""

    region_code: str
    reported: bool  # whether the dataset has a row of the group for this region in the period
    eligible: int
    registered_before: int
    registered_after: int
    cost: GroupCost
    coverage: CoverageChange | None  # None for the province's own rows: their people live in the regions

    @property
    def added(self) -> int:
        return self.registered_after - self.registered_before


@dataclass(frozen=True)
class GroupWhatIf:
    """The what-if "register every eligible member of group G in regions R": per region and for the province."""

    period: str
    group_code: str
    cost_rule: str
    settings: CostSettings
    regions: tuple[RegionWhatIf, ...]
    province: CoverageChange  # every region of the coverage baseline, with the added people

    @property
    def added(self) -> int:
        return sum(region.added for region in self.regions)

    @property
    def cost_by_funder(self) -> dict[str, float]:
        """The yearly cost over all regions, by funder code."""
        totals: dict[str, float] = {}
        for region in self.regions:
            for funder, amount in region.cost.by_funder.items():
                totals[funder] = totals.get(funder, 0.0) + amount
        return totals


def register_all_eligible(groups: pd.DataFrame, baseline: pd.DataFrame, *, period: str, group_code: str,
                          cost_rule: str, region_codes: Sequence[str], settings: CostSettings | None = None,
                          province_code: str | None = None) -> GroupWhatIf:
    """What registering every eligible member of ``group_code`` in ``region_codes`` adds, costs and does to coverage.

    ``groups`` is a target-group frame (columns ``period``, ``region_code``, ``group_code``, ``subgroup_code``,
    ``eligible``, ``registered``; one row per funder, each counting its own people, so rows are summed);
    ``baseline`` is ``monev.indicators.region_indicators`` of the same period. The added people are assumed not to
    be participants already (through an employer, say). The province's own rows (``province_code``) add to the
    province's coverage only: their people live in the regions but are not counted in any region's rows.
    The cost is for ``settings.months_funded`` months (a year by default), not the frame's ``months_funded``: the
    question is what protecting the added people costs, not what was funded before.
    """
    settings = settings or CostSettings()
    province_code = province_code or load_registry().province_code
    coverage_rows = {code: (int(participants), int(potential)) for code, participants, potential in zip(
        baseline["region_code"], baseline["participants"], baseline["potential_workers"])}
    unknown = [code for code in region_codes if code not in coverage_rows and code != province_code]
    if unknown:
        raise GroupCostError("region", codes=", ".join(unknown))
    chosen = groups[(groups["period"] == period) & (groups["group_code"] == group_code)
                    & groups["region_code"].isin(list(region_codes))]
    # A group without subgroups has "" (or, read from a file, an empty cell) as its subgroup: grouping drops NaN keys.
    chosen = chosen.assign(subgroup_code=chosen["subgroup_code"].astype(object).fillna(""))
    counts = chosen.groupby(["region_code", "subgroup_code"])[["eligible", "registered"]].sum()
    year = periods.year_of(period)
    regions = []
    for code in dict.fromkeys(region_codes):  # each once, in the order asked
        subgroups = counts.loc[code] if code in counts.index.get_level_values(0) else counts.iloc[0:0]
        eligible = {str(sub): int(row.eligible) for sub, row in subgroups.iterrows()}
        registered = {str(sub): int(row.registered) for sub, row in subgroups.iterrows()}
        # A known data problem may report more registered than eligible: nobody is then left to add.
        added = {sub: max(eligible[sub] - registered[sub], 0) for sub in eligible}
        coverage = None
        if code in coverage_rows:
            participants, potential = coverage_rows[code]
            coverage = CoverageChange(participants, participants + sum(added.values()), potential)
        before = sum(registered.values())
        regions.append(RegionWhatIf(
            region_code=code, reported=bool(eligible), eligible=sum(eligible.values()), registered_before=before,
            registered_after=before + sum(added.values()),
            cost=group_cost(cost_rule, added, settings, year=year, region_code=code), coverage=coverage))
    participants = sum(participants for participants, _ in coverage_rows.values())
    potential = sum(potential for _, potential in coverage_rows.values())
    added_total = sum(region.added for region in regions)
    return GroupWhatIf(period, group_code, cost_rule, settings, tuple(regions),
                       CoverageChange(participants, participants + added_total, potential))
