"""Numbers typed in Indonesian and English: what is read, what is written, and what is refused with which words."""

from __future__ import annotations

import math

import pytest

from monev.number_text import NumberTextError, parse_number, write_number


@pytest.mark.parametrize(("text", "lang", "kind", "expected"), [
    ("39", "id", "percent", 39.0),
    ("39,5", "id", "percent", 39.5),
    ("36,2%", "id", "percent", 36.2),
    (" 39,5 % ", "id", "percent", 39.5),
    ("39.5", "en", "percent", 39.5),
    ("100", "en", "percent", 100.0),
    ("0", "id", "percent", 0.0),
    ("5.000.000.000", "id", "rupiah", 5_000_000_000),
    ("5000000000", "id", "rupiah", 5_000_000_000),
    ("5 miliar", "id", "rupiah", 5_000_000_000),
    ("Rp5 miliar", "id", "rupiah", 5_000_000_000),
    ("1,5 miliar", "id", "rupiah", 1_500_000_000),
    ("Rp16.800", "id", "rupiah", 16_800),
    ("rp 16.800", "id", "rupiah", 16_800),
    ("2 triliun", "id", "rupiah", 2_000_000_000_000),
    ("5,000,000,000", "en", "rupiah", 5_000_000_000),
    ("5 billion", "en", "rupiah", 5_000_000_000),
    ("Rp16,800", "en", "rupiah", 16_800),
    ("1.5 million", "en", "rupiah", 1_500_000),
    ("250 thousand", "en", "count", 250_000),
    ("16.800", "id", "count", 16_800),
    ("16 800", "id", "count", 16_800),
    ("1,5 juta", "id", "count", 1_500_000),
    ("6.861", "id", "count", 6_861),
    ("6,861", "en", "count", 6_861),
    ("12", "id", "months", 12),
    ("1", "en", "months", 1),
])
def test_reads_the_languages_own_formats(text: str, lang: str, kind: str, expected: float) -> None:
    assert parse_number(text, lang, kind) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_a_blank_text_is_no_value(text: str) -> None:
    assert parse_number(text, "id", "count") is None


def test_a_dot_in_an_indonesian_percentage_is_refused_with_the_comma_to_use() -> None:
    with pytest.raises(NumberTextError) as refused:
        parse_number("39.5", "id", "percent")
    assert refused.value.message("id") == ("«39.5»: desimal ditulis dengan koma (titik memisahkan ribuan); "
                                           "tulis misalnya 39,5.")


def test_a_comma_in_an_english_percentage_is_refused_with_the_point_to_use() -> None:
    with pytest.raises(NumberTextError) as refused:
        parse_number("39,5", "en", "percent")
    assert refused.value.message("en") == ("«39,5»: decimals take a point (a comma separates thousands); "
                                           "write e.g. 39.5.")


@pytest.mark.parametrize(("text", "lang", "kind", "message"), [
    ("39.5.1", "id", "percent", "«39.5.1» bukan angka; tulis misalnya 39,5."),
    ("abc", "id", "count", "«abc» bukan angka; tulis misalnya 16.800."),
    ("5 zillion", "en", "rupiah", "«5 zillion» is not a number; write e.g. Rp5,000,000,000 or 5 billion."),
    ("miliar", "id", "rupiah", "«miliar» bukan angka; tulis misalnya Rp5.000.000.000 atau 5 miliar."),
    ("16.8", "id", "count", "«16.8» bukan angka; tulis misalnya 16.800."),  # a thousands dot groups three digits
    ("16,8", "en", "count", "«16,8» is not a number; write e.g. 16,800."),
    ("1,5", "id", "count", "«1,5» harus bilangan bulat; tulis misalnya 16.800."),
    ("120", "id", "percent", "«120» harus antara 0 dan 100; tulis misalnya 39,5."),
    ("-1", "en", "percent", "«-1» must be between 0 and 100; write e.g. 39.5."),
    ("13", "id", "months", "«13» harus antara 1 dan 12; tulis misalnya 12."),
    ("0", "en", "months", "«0» must be between 1 and 12; write e.g. 12."),
    ("-5", "id", "rupiah", "«-5» tidak boleh negatif; tulis misalnya Rp5.000.000.000 atau 5 miliar."),
])
def test_refuses_what_is_not_a_number_of_its_kind_saying_what_was_typed(text: str, lang: str, kind: str,
                                                                         message: str) -> None:
    with pytest.raises(NumberTextError) as refused:
        parse_number(text, lang, kind)
    assert refused.value.message(lang) == message


def test_a_refusal_is_told_in_the_language_it_is_shown_in() -> None:
    with pytest.raises(NumberTextError) as refused:
        parse_number("abc", "id", "percent")
    assert refused.value.message("en") == "«abc» is not a number; write e.g. 39.5."


@pytest.mark.parametrize(("value", "lang", "kind", "written"), [
    (39.0, "id", "percent", "39"),
    (39.5, "id", "percent", "39,5"),
    (39.5, "en", "percent", "39.5"),
    (34.75, "id", "percent", "34,75"),
    (16_800, "id", "count", "16.800"),
    (6_861.0, "en", "count", "6,861"),
    (5_000_000_000, "id", "rupiah", "Rp5.000.000.000"),
    (5_000_000_000, "en", "rupiah", "Rp5,000,000,000"),
    (12, "id", "months", "12"),
    (None, "id", "count", ""),
    (math.nan, "en", "percent", ""),
])
def test_writes_what_it_reads_back(value: float | None, lang: str, kind: str, written: str) -> None:
    assert write_number(value, lang, kind) == written
    expected = None if value is None or math.isnan(value) else value
    assert parse_number(written, lang, kind) == expected
