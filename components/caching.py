"""The app's one caching rule, and the only module that calls Streamlit's caches (a test holds every other module
to it). The rule, as docs/architecture.md states it:

- A cached function is a builder ``build(key, **inputs)`` decorated with ``@cached(...)``. ``key`` is a typed key:
  a NamedTuple of plain values (str, int, float, bool, None, tuples of them, frozen dataclasses of them) that names
  everything the result depends on. ``inputs`` are the objects the result is built from (a dataset, a baseline
  frame, outlines); they are never hashed, so the key must identify them (a checksum, a version id, a digest).
- The cache is looked up by ``repr(key)``: Streamlit hashes one string some 25 times faster than the tuple it
  spells, and inspects the function's signature once per argument, so every call passes exactly three.
- ``shared=True`` keeps one object for every session (``st.cache_resource``): for results nothing modifies after
  they are built (frames read through pandas' copy-on-write, decks, specs, store clients); unpickling a copy on
  every hit would cost more than the rest of the page. ``shared=False`` (``st.cache_data``) gives each call its
  own copy: for what a widget is handed and may change.
- Nothing cached reads session state or has side effects; nothing clears a cache for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, NamedTuple, ParamSpec, TypeVar

import streamlit as st

Key = TypeVar("Key", bound=NamedTuple)
Inputs = ParamSpec("Inputs")
Result = TypeVar("Result")

DEFAULT_MAX_ENTRIES = 64
DEFAULT_TTL = "1h"


def cached(*, shared: bool, max_entries: int | None = DEFAULT_MAX_ENTRIES, ttl: str | None = DEFAULT_TTL
           ) -> Callable[[Callable[Concatenate[Key, Inputs], Result]], Callable[Concatenate[Key, Inputs], Result]]:
    """Cache ``build(key, **inputs)`` by ``repr(key)`` (the module docstring states the rule)."""

    def decorate(build: Callable[Concatenate[Key, Inputs], Result]) -> Callable[Concatenate[Key, Inputs], Result]:
        build_by_name: Callable[..., Result] = build  # the inputs arrive as one dict of keyword arguments

        def by_key(key_repr: str, _key: Any, _inputs: dict[str, Any]) -> Result:
            return build_by_name(_key, **_inputs)

        # Streamlit tells cached functions apart by module, qualified name and source: every ``by_key`` has the same
        # source, so it takes the builder's names (not functools.wraps: Streamlit would then read the builder's
        # signature and hash the key's repr under the builder's first parameter name, by luck rather than design).
        by_key.__module__, by_key.__qualname__, by_key.__name__ = build.__module__, build.__qualname__, build.__name__
        by_key.__doc__ = build.__doc__
        cache = st.cache_resource if shared else st.cache_data
        cached_build = cache(show_spinner=False, max_entries=max_entries, ttl=ttl)(by_key)

        def lookup(key: Key, /, *args: Inputs.args, **inputs: Inputs.kwargs) -> Result:
            if args:
                raise TypeError(f"{build.__qualname__}: pass the inputs by name, after the key")
            return cached_build(repr(key), _key=key, _inputs=inputs)

        lookup.__module__, lookup.__qualname__, lookup.__name__ = build.__module__, build.__qualname__, build.__name__
        lookup.__doc__ = build.__doc__
        lookup.clear = cached_build.clear  # type: ignore[attr-defined]  # for tests that need a cold cache
        return lookup

    return decorate
