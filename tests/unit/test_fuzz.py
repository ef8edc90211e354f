"""Fuzzing the two doors people push anything through: the file loader and the link parser.

Whatever arrives — random bytes, a real file with bytes flipped, cut or duplicated, random query parameters —
the answer is a report or a clean result, never an exception.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.dataset import DEMO_PATH, LoadResult, load_dataset, load_demo
from monev.exports import data_xlsx
from monev.regions import load_registry
from monev.viewstate import KNOWN_PARAMS, parse_view_params

DEMO_CSV = DEMO_PATH.read_bytes()
DEMO_XLSX = data_xlsx(load_demo())
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_clean(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    assert result.ok == (result.data is not None)
    assert result.ok or result.errors, "a rejected file must say why"
    for problem in result.problems:  # every problem can be put into words in both languages
        assert problem.message("id") and problem.message("en") and problem.fix("id")


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["data.csv", "data.xlsx", "data.xls", "x", "laporan.pdf"]))
def test_random_bytes_never_raise(content: bytes, name: str) -> None:
    _assert_clean(load_dataset(name, content))


@st.composite
def _mutated(draw, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if not data:
            break
        if action == "flip":
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del data[position:position + draw(st.integers(min_value=1, max_value=64))]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[position:]
    return bytes(data)


@FUZZ
@given(_mutated(DEMO_CSV))
def test_mutated_csv_never_raises(content: bytes) -> None:
    _assert_clean(load_dataset("cakupan.csv", content))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(DEMO_XLSX))
def test_mutated_xlsx_never_raises(content: bytes) -> None:
    _assert_clean(load_dataset("cakupan.xlsx", content))


_text = st.text(max_size=80)
_params = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_PARAMS), _text),
    st.one_of(_text, st.lists(_text, max_size=3),
              st.builds(lambda codes, values: ",".join(f"{c}:{v}" for c, v in zip(codes, values)),
                        st.lists(st.sampled_from(["17.01", "17.07", "99.99", ""]), max_size=4),
                        st.lists(st.one_of(st.floats(allow_nan=True), st.integers(), _text), max_size=4))),
    max_size=8,
)


@FUZZ
@given(_params)
def test_random_link_parameters_never_raise(params: dict) -> None:
    registry = load_registry()
    view, ignored = parse_view_params(params, periods=["2024-09", "2024-10"], region_codes=registry.codes)
    assert set(ignored) <= set(params)
    assert view.period in (None, "2024-09", "2024-10")
    assert all(code in registry.codes and 0 <= value <= 100 for code, value in view.targets_pct.items())
    assert all(code in registry.codes and value >= 0 for code, value in view.additions.items())
    assert io.StringIO(str(view)).read()  # the parsed view is a plain, printable value
