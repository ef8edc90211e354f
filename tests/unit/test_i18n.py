"""Text catalogs: both languages complete, same placeholders, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monev import i18n

ROOT = Path(__file__).resolve().parents[2]
# The file reader refuses files, the dataset modules (coverage, target groups) report faults in the rows: all name
# problem codes.
LOADER_SOURCE = "\n".join((ROOT / "monev" / module).read_text(encoding="utf-8")
                           for module in ("dataset.py", "group_dataset.py", "spreadsheet.py"))

# Every way those modules name a problem code: Problem("code", ...), Rejected("code", ...), BadValue("code", ...)
# and the row validator's report(<column key>, "code", ...).
_CODE_PATTERNS = (
    re.compile(r"\bProblem\(\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"\bRejected\(\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"\bBadValue\(\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"\breport\(\s*\"[a-z_]+\"\s*,\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"\"(value\.missing)\" if"),  # report("period", "value.missing" if ... else "period.invalid", ...)
    re.compile(r"else \"([a-z_]+\.[a-z_]+)\""),
)
# t("key"), context.t("key"), i18n.t('key'): literal keys only; f-string keys (t(f"...")) are not matched.
_T_CALL = re.compile(r"\bt\(\s*([\"'])([A-Za-z0-9_.]+)\1")


def _problem_codes() -> set[str]:
    return {code for pattern in _CODE_PATTERNS for code in pattern.findall(LOADER_SOURCE)}


def _sources() -> list[Path]:
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "components").glob("*.py"),
             *(ROOT / "monev").glob("*.py")]
    return [path for path in files if path.is_file()]


def test_both_languages_have_exactly_the_same_keys():
    indonesian, english = set(i18n.catalog("id")), set(i18n.catalog("en"))
    assert indonesian - english == set()
    assert english - indonesian == set()


@pytest.mark.parametrize("key", sorted(i18n.catalog("id")))
def test_every_text_has_the_same_placeholders_in_both_languages(key):
    assert i18n.placeholders(i18n.catalog("id")[key]) == i18n.placeholders(i18n.catalog("en")[key])


def test_the_source_scan_finds_the_problem_codes():
    # Guards the regexes: if they stopped matching, the next test would pass vacuously.
    codes = _problem_codes()
    assert {"file.empty", "column.renamed", "value.not_number", "row.duplicate", "region.unknown_suggest",
            "value.zero_potential", "coverage.jump"} <= codes
    assert len(codes) >= 20


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_problem_code_of_the_dataset_has_a_message_and_a_fix(lang):
    texts = i18n.catalog(lang)
    missing = sorted(f"{kind}.{code}" for code in _problem_codes() for kind in ("problem", "fix")
                     if f"{kind}.{code}" not in texts)
    assert missing == []


def test_problem_and_fix_sections_describe_the_same_codes():
    texts = i18n.catalog("id")
    problems = {key.removeprefix("problem.") for key in texts if key.startswith("problem.")}
    fixes = {key.removeprefix("fix.") for key in texts if key.startswith("fix.")}
    assert problems == fixes


def test_every_literal_key_used_in_the_code_exists_in_the_catalog():
    catalog = i18n.catalog("id")
    used = {(path.relative_to(ROOT).as_posix(), match.group(2))
            for path in _sources() for match in _T_CALL.finditer(path.read_text(encoding="utf-8"))}
    assert len(used) > 30  # the scan does find the calls
    unknown = sorted(f"{path}: {key}" for path, key in used if key not in catalog)
    assert unknown == []


def test_t_fills_placeholders_and_falls_back_to_indonesian_for_unknown_languages():
    assert i18n.t("cli.not_found", "en", path="x.csv") == "File not found: x.csv"
    assert i18n.t("cli.not_found", "fr", path="x.csv") == i18n.t("cli.not_found", "id", path="x.csv")


def test_every_counted_text_has_both_plural_forms():
    # fmt.counted picks "<key>_one" or "<key>_other" by the language's plural rule; a lone form would fail at run time.
    catalog = i18n.catalog("en")
    stems = {key.rsplit("_", 1)[0] for key in catalog if key.endswith(("_one", "_other"))}
    assert stems and all(f"{stem}_one" in catalog and f"{stem}_other" in catalog for stem in stems)


def test_every_literal_key_counted_in_the_code_has_both_plural_forms():
    catalog = i18n.catalog("id")
    used = {match.group(2) for path in _sources()
            for match in re.finditer(r"\bcounted\(\s*([\"'])([A-Za-z0-9_.]+)\1", path.read_text(encoding="utf-8"))}
    assert "map.region_count" in used  # the scan does find the calls
    assert sorted(key for key in used if not {f"{key}_one", f"{key}_other"} <= set(catalog)) == []
