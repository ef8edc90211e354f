"""Column mappings (monev.column_mapping): header keys and the shape of a header row."""

from __future__ import annotations

from monev.column_mapping import header_key, header_shape


def test_header_keys_ignore_case_accents_punctuation_and_spacing():
    assert header_key("Kab./Kota") == header_key("kab kota") == "kab_kota"
    assert header_key("  Potensi  TK ") == "potensi_tk"
    assert header_key(None) == ""


def test_the_shape_is_the_headers_words_in_order_and_nothing_else():
    shape = header_shape(["No", "Kab/Kota", "Potensi TK", None, ""])
    assert shape == header_shape(["no.", "KAB / KOTA", "potensi tk"])
    assert shape != header_shape(["Kab/Kota", "No", "Potensi TK"])
    assert shape != header_shape(["No", "Kab/Kota", "Potensi TK", "Jumlah"])
    assert len(shape) == 64
