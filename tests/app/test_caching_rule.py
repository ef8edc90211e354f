"""The one caching rule (components/caching.py): only that module calls Streamlit's caches, every cached builder is
keyed by the repr of its typed key, and no module keeps a cache of its own keyed by object identity."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "components").glob("*.py"), *(ROOT / "pages").glob("*.py")])
_STREAMLIT_CACHE = re.compile(r"\bcache_(data|resource)\b")
_IDENTITY_KEY = re.compile(r"\bid\s*\(\s*\w+\s*\)")


def _code(path: Path) -> str:
    """The file's code without comments and strings (which may well name what the code must not do)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return " ".join(token.string for token in tokens if token.type not in (tokenize.COMMENT, tokenize.STRING))


def _files_matching(pattern: re.Pattern[str]) -> list[str]:
    return [path.relative_to(ROOT).as_posix() for path in UI_FILES if pattern.search(_code(path))]


def test_only_the_caching_module_calls_streamlits_caches():
    assert _files_matching(_STREAMLIT_CACHE) == ["components/caching.py"]


def test_no_cache_is_keyed_by_object_identity():
    assert _files_matching(_IDENTITY_KEY) == []


def _cached_twins_script():
    from typing import NamedTuple

    import streamlit as st

    from components.caching import cached

    class Key(NamedTuple):
        name: str

    calls = st.session_state.setdefault("calls", [])

    @cached(shared=False)
    def first(key: Key, *, value: int) -> str:
        calls.append(("first", key.name))
        return f"first {key.name} {value}"

    @cached(shared=False)
    def second(key: Key, *, value: int) -> str:
        calls.append(("second", key.name))
        return f"second {key.name} {value}"

    # Same key, different inputs: the key alone decides (the inputs are not hashed).
    st.write(first(Key("a"), value=1), first(Key("a"), value=2), second(Key("a"), value=3))
    first.clear()
    second.clear()


def test_two_builders_of_the_same_shape_keep_separate_entries_and_the_key_alone_decides():
    at = AppTest.from_function(_cached_twins_script, default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == "first a 1 first a 1 second a 3"
    assert at.session_state["calls"] == [("first", "a"), ("second", "a")]


def test_inputs_must_be_passed_by_name():
    from typing import NamedTuple

    from components.caching import cached

    class Key(NamedTuple):
        name: str

    @cached(shared=True)
    def build(key: Key, value: int) -> int:
        return value

    with pytest.raises(TypeError, match="by name"):
        build(Key("a"), 1)
