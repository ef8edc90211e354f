"""The registry of Inpres 2/2021 target groups and funders, read from ``data/target_groups.toml``.

Like the region registry it is data: adding a group is a change of the file. Loading checks the file itself (unique
codes, known cost rules and funders, an ad hoc body's months of cover 1–3) and raises ``TargetGroupsError`` for a
file that is inconsistent. Groups, subgroups and funders are found by code or by name in either language.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from monev.regions import DATA_DIR, normalise_name

TARGET_GROUPS_PATH = DATA_DIR / "target_groups.toml"
COST_RULES = ("bpu_package", "adhoc_months", "wage_earner", "jakon_contract", "employer")
FUNDER_CODES = ("apbd_provinsi", "apbd_kabkota", "apbdes", "nphd_hibah", "csr", "mandiri", "pemberi_kerja",
                "lainnya")
AD_HOC_BODIES = ("KPU", "Bawaslu")
# SE Mendagri 400.5.7/4295/SJ: ad hoc staff are covered for 1 to 3 months.
MONTHS_COVER_RANGE = (1, 3)


class TargetGroupsError(ValueError):
    """The registry file itself is inconsistent (a data error, not a user-input error)."""


@dataclass(frozen=True)
class _Named:
    code: str
    name_id: str
    name_en: str

    def name(self, lang: str) -> str:
        """The name in ``lang`` (Indonesian unless English)."""
        return self.name_en if lang == "en" else self.name_id


@dataclass(frozen=True)
class Funder(_Named):
    public: bool  # paid from APBN/APBD/APBDes/NPHD: never a contribution discount (PP 50/2025)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subgroup(_Named):
    body: str = ""  # "KPU" / "Bawaslu" for an ad hoc body
    months_cover: int | None = None


@dataclass(frozen=True)
class TargetGroup(_Named):
    usual_funders: tuple[str, ...]
    cost_rule: str
    subgroups: tuple[Subgroup, ...] = ()
    aliases: tuple[str, ...] = ()

    def subgroup(self, code: str) -> Subgroup:
        """The subgroup with this code (KeyError when the group has none such)."""
        for sub in self.subgroups:
            if sub.code == code:
                return sub
        raise KeyError(code)

    def match_subgroup(self, value: object) -> str | None:
        """A subgroup of this group typed by code or by name (either language; 'PPK' matches 'PPK (Panitia …)')."""
        key = normalise_name(str(value or ""))
        for sub in self.subgroups:
            spellings = (sub.code, sub.name_id, sub.name_en, sub.name_id.split(" (")[0])
            if key in {normalise_name(spelling) for spelling in spellings}:
                return sub.code
        return None


@dataclass(frozen=True)
class GroupRegistry:
    groups: tuple[TargetGroup, ...]
    funders: tuple[Funder, ...]
    # Normalised spelling (code, names, aliases) -> code; built by ``parse_target_groups``, which checks them.
    group_index: dict[str, str] = field(repr=False, compare=False)
    funder_index: dict[str, str] = field(repr=False, compare=False)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)

    def get(self, code: str) -> TargetGroup:
        """The group with this code (KeyError for an unknown code)."""
        return {group.code: group for group in self.groups}[code]

    def funder(self, code: str) -> Funder:
        """The funder with this code (KeyError for an unknown code)."""
        return {funder.code: funder for funder in self.funders}[code]

    def match_group(self, value: object) -> str | None:
        """A group typed by code or by name in either language (case and punctuation do not matter)."""
        return self.group_index.get(normalise_name(str(value or "")))

    def match_funder(self, value: object) -> str | None:
        """A funder typed by code or by name in either language."""
        return self.funder_index.get(normalise_name(str(value or "")))


def _index(items: tuple[TargetGroup, ...] | tuple[Funder, ...], kind: str) -> dict[str, str]:
    """Every spelling (code, names, aliases) normalised -> the item's code; a spelling naming two is refused."""
    index: dict[str, str] = {}
    for item in items:
        for spelling in (item.code, item.name_id, item.name_en, *item.aliases):
            other = index.setdefault(normalise_name(spelling), item.code)
            if other != item.code:
                raise TargetGroupsError(f"'{spelling}' names both {kind}s {other} and {item.code}")
    return index


def _text(table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TargetGroupsError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _read_subgroup(table: dict, where: str) -> Subgroup:
    code = _text(table, "code", where)
    body = str(table.get("body", ""))
    months = table.get("months_cover")
    if body and body not in AD_HOC_BODIES:
        raise TargetGroupsError(f"{where} {code}: body must be one of {AD_HOC_BODIES}, not {body!r}")
    if body and (not isinstance(months, int) or not MONTHS_COVER_RANGE[0] <= months <= MONTHS_COVER_RANGE[1]):
        raise TargetGroupsError(f"{where} {code}: an ad hoc body's months_cover must be 1–3, not {months!r}")
    return Subgroup(code, _text(table, "name_id", where), _text(table, "name_en", where), body,
                    months if isinstance(months, int) else None)


def _read_group(table: dict, funders: set[str]) -> TargetGroup:
    code = _text(table, "code", "group")
    rule = table.get("cost_rule")
    if rule not in COST_RULES:
        raise TargetGroupsError(f"group {code}: unknown cost_rule {rule!r} (known: {', '.join(COST_RULES)})")
    usual = tuple(table.get("usual_funders", ()))
    if unknown := [funder for funder in usual if funder not in funders]:
        raise TargetGroupsError(f"group {code}: unknown funders {unknown}")
    subgroups = tuple(_read_subgroup(sub, f"group {code} subgroup") for sub in table.get("subgroups", ()))
    if len({sub.code for sub in subgroups}) != len(subgroups):
        raise TargetGroupsError(f"group {code}: subgroup codes are not unique")
    return TargetGroup(code, _text(table, "name_id", code), _text(table, "name_en", code), usual, str(rule),
                       subgroups, tuple(str(alias) for alias in table.get("aliases", ())))


def parse_target_groups(text: str) -> GroupRegistry:
    """The registry from the TOML text; raises ``TargetGroupsError`` when the file is inconsistent."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TargetGroupsError(f"not valid TOML: {error}") from None
    funders = tuple(Funder(_text(table, "code", "funder"), _text(table, "name_id", "funder"),
                           _text(table, "name_en", "funder"), bool(table.get("public", False)),
                           tuple(str(alias) for alias in table.get("aliases", ())))
                    for table in document.get("funders", ()))
    if unknown := [funder.code for funder in funders if funder.code not in FUNDER_CODES]:
        raise TargetGroupsError(f"unknown funder codes {unknown} (known: {', '.join(FUNDER_CODES)})")
    if len({funder.code for funder in funders}) != len(funders):
        raise TargetGroupsError("funder codes are not unique")
    groups = tuple(_read_group(table, {funder.code for funder in funders}) for table in document.get("groups", ()))
    if not groups:
        raise TargetGroupsError("the file lists no group")
    if len({group.code for group in groups}) != len(groups):
        raise TargetGroupsError("group codes are not unique")
    return GroupRegistry(groups, funders, _index(groups, "group"), _index(funders, "funder"))


def load_target_groups(path: Path | None = None) -> GroupRegistry:
    """The registry in ``path`` (default: data/target_groups.toml)."""
    return _registry_in(path or TARGET_GROUPS_PATH)


@functools.cache
def _registry_in(path: Path) -> GroupRegistry:
    return parse_target_groups(path.read_text(encoding="utf-8"))
