"""Share the exact view: a link with the view's parameters, shown with a copy button."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from components.url_state import current_query_params
from monev import i18n


def view_link() -> str:
    """This page's address with the parameters of the current view."""
    scheme, host, path, _, _ = urlsplit(st.context.url or "")
    return urlunsplit((scheme, host, path, urlencode(current_query_params()), ""))


def render_copy_link(lang: str) -> None:
    with st.popover(i18n.t("share.button", lang), icon=":material/link:", width="stretch"):
        st.caption(i18n.t("share.help", lang))
        st.code(view_link(), language=None, wrap_lines=True)
