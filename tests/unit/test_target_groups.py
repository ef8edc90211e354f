"""The target-group registry: read from data, the file itself checked, groups and funders found by code or name."""

from __future__ import annotations

import pytest

from monev.target_groups import COST_RULES, FUNDER_CODES, TargetGroupsError, load_target_groups, parse_target_groups

MINIMAL = '''
[[funders]]
code = "apbd_kabkota"
name_id = "APBD Kabupaten/Kota"
name_en = "Regency budget"
public = true

[[groups]]
code = "pekerja_rentan"
name_id = "Pekerja rentan"
name_en = "Vulnerable workers"
usual_funders = ["apbd_kabkota"]
cost_rule = "bpu_package"
'''
_SECOND_GROUP = '''
[[groups]]
code = "jakon"
name_id = "Jakon"
name_en = "Construction"
cost_rule = "jakon_contract"
'''


def test_the_registry_holds_the_six_groups_of_the_inpres_and_their_rules():
    registry = load_target_groups()
    assert {"non_asn", "aparatur_desa", "pekerja_rentan", "adhoc_pemilu", "jakon", "bumd"} <= set(registry.codes)
    assert all(group.cost_rule in COST_RULES for group in registry.groups)
    assert registry.get("pekerja_rentan").cost_rule == "bpu_package"
    assert registry.get("adhoc_pemilu").cost_rule == "adhoc_months"
    assert {funder.code for funder in registry.funders} == set(FUNDER_CODES)


def test_ad_hoc_bodies_of_kpu_and_bawaslu_are_subgroups_with_one_to_three_months_of_cover():
    ad_hoc = load_target_groups().get("adhoc_pemilu")
    bodies = {sub.code: sub.body for sub in ad_hoc.subgroups}
    assert bodies == {"ppk": "KPU", "pps": "KPU", "kpps": "KPU", "pantarlih": "KPU",
                      "panwascam": "Bawaslu", "pkd": "Bawaslu", "ptps": "Bawaslu"}
    assert all(sub.months_cover is not None and 1 <= sub.months_cover <= 3 for sub in ad_hoc.subgroups)


def test_public_funders_are_the_budgets_and_the_grant():
    public = {funder.code for funder in load_target_groups().funders if funder.public}
    assert public == {"apbd_provinsi", "apbd_kabkota", "apbdes", "nphd_hibah"}


@pytest.mark.parametrize(("lookup", "typed", "code"), [
    ("match_group", "pekerja_rentan", "pekerja_rentan"), ("match_group", "PEKERJA RENTAN", "pekerja_rentan"),
    ("match_group", "Vulnerable workers", "pekerja_rentan"), ("match_group", "Badan Ad Hoc", "adhoc_pemilu"),
    ("match_group", "Perangkat Desa", "aparatur_desa"), ("match_group", "Non-ASN", "non_asn"),
    ("match_group", "jakon", "jakon"),
    ("match_funder", "APBD Kab/Kota", "apbd_kabkota"), ("match_funder", "apbd_provinsi", "apbd_provinsi"),
    ("match_funder", "Provincial budget (APBD)", "apbd_provinsi"), ("match_funder", "NPHD", "nphd_hibah"),
    ("match_funder", "dana desa", "apbdes"), ("match_funder", "Self-paid", "mandiri"),
    ("match_funder", "Pemberi Kerja", "pemberi_kerja"),
])
def test_groups_and_funders_are_found_by_code_or_by_name_in_either_language(lookup, typed, code):
    assert getattr(load_target_groups(), lookup)(typed) == code


def test_unknown_names_match_nothing():
    registry = load_target_groups()
    assert registry.match_group("nelayan") is None
    assert registry.match_funder("APBN") is None
    assert registry.get("adhoc_pemilu").match_subgroup("PPLN") is None


def test_a_subgroup_is_found_by_its_short_name_or_code():
    ad_hoc = load_target_groups().get("adhoc_pemilu")
    assert ad_hoc.match_subgroup("PPK") == "ppk"
    assert ad_hoc.match_subgroup("Panwascam (Panitia Pengawas Kecamatan)") == "panwascam"
    assert ad_hoc.subgroup("ptps").months_cover == 1


def test_names_come_in_both_languages():
    group = load_target_groups().get("pekerja_rentan")
    assert (group.name("id"), group.name("en")) == ("Pekerja rentan", "Vulnerable workers")


def test_a_minimal_file_loads():
    assert parse_target_groups(MINIMAL).codes == ("pekerja_rentan",)


@pytest.mark.parametrize(("change", "message"), [
    (MINIMAL.replace('"bpu_package"', '"discounted"'), "unknown cost_rule"),
    (MINIMAL.replace('usual_funders = ["apbd_kabkota"]', 'usual_funders = ["apbn"]'), "unknown funders"),
    (MINIMAL.replace('code = "apbd_kabkota"', 'code = "apbn"'), "unknown funder codes"),
    (MINIMAL + '[[groups.subgroups]]\ncode = "ppk"\nname_id = "PPK"\nname_en = "PPK"\nbody = "KPU"\nmonths_cover = 4\n',
     "months_cover"),
    (MINIMAL + '[[groups.subgroups]]\ncode = "ppk"\nname_id = "PPK"\nname_en = "PPK"\nbody = "KPU"\n', "months_cover"),
    (MINIMAL + '[[groups.subgroups]]\ncode = "x"\nname_id = "X"\nname_en = "X"\nbody = "MK"\nmonths_cover = 1\n',
     "body"),
    (MINIMAL.replace('name_en = "Vulnerable workers"', 'name_en = ""'), "name_en"),
    (MINIMAL + _SECOND_GROUP.replace('"jakon"', '"pekerja_rentan"'), "not unique"),
    (MINIMAL + _SECOND_GROUP.replace('"Construction"', '"Vulnerable workers"'), "names both"),
    ("[[groups", "not valid TOML"),
])
def test_an_inconsistent_file_is_refused_with_the_reason(change, message):
    with pytest.raises(TargetGroupsError, match=message):
        parse_target_groups(change)
