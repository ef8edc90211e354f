"""A text input holding a number written the way the UI's language writes it (``monev.number_text``).

Streamlit's number inputs show only printf formats (``39.0``, ``5000000000``), never ``39,5`` or ``5.000.000.000``.
This input shows the stored value in the language, reads what is typed back through ``parse_number`` and hands the
value to its owner; a text that is no such number is kept on screen with a message saying why, and the stored value
is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monev import i18n
from monev.number_text import NumberTextError, parse_number, write_number

# Beside each input's widget key: the refusal of what was last typed into it, or None.
_REFUSED_SUFFIX = ".refused"


def render_number_text(label: str, *, key: str, value: float | None, kind: str, lang: str,
                       on_value: Callable[[float | None], None], blank_allowed: bool = False,
                       help: str | None = None, disabled: bool = False) -> None:
    """A text input showing ``value`` of ``kind`` in ``lang``; a typed number is handed to ``on_value`` (None for a
    blank text, when ``blank_allowed``), anything else is refused next to the input."""
    refused_key = key + _REFUSED_SUFFIX
    if key not in st.session_state:  # first drawn, or dropped with a scenario opened: show the value
        st.session_state[refused_key] = None
    refused: NumberTextError | None = st.session_state[refused_key]
    # Written on every run, as the value (changed elsewhere too: the other budget input, a scenario, a link) is
    # written in the language; a refused text stays until it is corrected, so what was typed is not lost.
    st.session_state[key] = refused.text if refused is not None else write_number(value, lang, kind)
    st.text_input(label, key=key, help=help, disabled=disabled, on_change=_read,
                  args=(key, lang, kind, on_value, blank_allowed))
    if refused is not None:
        st.error(f"{refused.message(lang)} {i18n.t('number.kept', lang)}", icon=":material/error:")


def _read(key: str, lang: str, kind: str, on_value: Callable[[float | None], None], blank_allowed: bool) -> None:
    """on_change: hand the typed number to its owner, or keep why it was refused."""
    text = st.session_state[key]
    try:
        value = parse_number(text, lang, kind)
        if value is None and not blank_allowed:
            raise NumberTextError("not_a_number", text, kind)
    except NumberTextError as refusal:
        st.session_state[key + _REFUSED_SUFFIX] = refusal
        return
    st.session_state[key + _REFUSED_SUFFIX] = None  # the next run writes it the language's way: Rp5.000.000.000
    on_value(value)
