"""The first-run panel: the set-up link's form that creates the server's first editor (rules in monev.first_run).

The link's ``setup`` parameter is taken out of the address on the session's first run (it must not end up in a
shared link) and kept in the session. Only this server process's unspent token shows the form; any other token
shows nothing at all, and a spent one (or a server that has editors) says the link can no longer be used.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import NamedTuple

import streamlit as st

from components.auth import secrets_in_use, sign_in_as
from components.caching import cached
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev import i18n
from monev.access import Role, User
from monev.first_run import (
    MIN_PASSWORD_LENGTH,
    SETUP_PARAM,
    SETUP_TOKEN_ENV,
    FirstRunError,
    SetupGate,
    accounts_file,
    has_editor_accounts,
)

_log = logging.getLogger(__name__)


class SetupGateKey(NamedTuple):
    """The set-up token of this server process, by its digest (the token itself is never a cache key)."""

    token_digest: str


@cached(shared=True, max_entries=None, ttl=None)
def _gate(key: SetupGateKey, *, token: str | None) -> SetupGate:
    """One gate per token for the whole server: spending it in one session spends it for every session."""
    return SetupGate(token)


def _server_gate() -> SetupGate:
    token = os.environ.get(SETUP_TOKEN_ENV) or None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest() if token else ""
    return _gate(SetupGateKey(digest), token=token)


def take_setup_token() -> None:
    """Move a set-up link's token from the address into the session (the address must not carry it on)."""
    if SETUP_PARAM in st.query_params:
        st.session_state[Keys.SETUP_TOKEN] = st.query_params[SETUP_PARAM]
        del st.query_params[SETUP_PARAM]


def _create_first_editor(lang: str) -> None:
    try:
        path = accounts_file(st.get_option("secrets.files"))
        account, settings = _server_gate().create_first_editor(
            st.session_state[Keys.SETUP_TOKEN], secrets_in_use(), path,
            st.session_state.get(WidgetKeys.SETUP_ACCOUNT, ""), st.session_state.get(WidgetKeys.SETUP_PASSWORD, ""),
            st.session_state.get(WidgetKeys.SETUP_REPEAT, ""))
    except FirstRunError as error:
        st.session_state[Keys.SETUP_NOTICE] = (False, i18n.t(f"first_run.{error.code}", lang, **error.params))
        if error.code == "accounts_exist":
            _log.warning("first-run set-up refused: an editor account exists")
        return
    _log.info("first editor account created with the set-up link: %s (in %s)", account, path)
    sign_in_as(User(account, Role.EDITOR, "password"), settings)
    st.session_state[Keys.SETUP_TOKEN] = None
    st.session_state[Keys.SETUP_NOTICE] = (True, i18n.t("first_run.created", lang, name=escape_markdown(account)))


def render_first_run(lang: str) -> None:
    """Where a set-up link was opened: the form for the first editor, or why the link no longer works."""
    notice = st.session_state[Keys.SETUP_NOTICE]
    token = st.session_state[Keys.SETUP_TOKEN]
    if notice and notice[0]:
        st.success(notice[1], icon=":material/how_to_reg:")
        st.session_state[Keys.SETUP_NOTICE] = None
    if token is None:
        return
    gate = _server_gate()
    if not gate.admits(token):
        _log.warning("a set-up link with a wrong or outdated token was opened")
        st.session_state[Keys.SETUP_TOKEN] = None
        return
    if gate.spent or has_editor_accounts(secrets_in_use()):
        st.error(i18n.t("first_run.spent", lang), icon=":material/block:")
        st.session_state[Keys.SETUP_TOKEN] = None
        return
    with st.container(border=True, key=WidgetKeys.SETUP_PANEL):
        st.subheader(i18n.t("first_run.title", lang))
        st.markdown(i18n.t("first_run.explain", lang, minimum=MIN_PASSWORD_LENGTH))
        with st.form(WidgetKeys.SETUP_FORM, border=False):
            st.text_input(i18n.t("auth.account", lang), key=WidgetKeys.SETUP_ACCOUNT, max_chars=80,
                          autocomplete="username")
            st.text_input(i18n.t("first_run.password", lang), key=WidgetKeys.SETUP_PASSWORD, type="password",
                          max_chars=200, autocomplete="new-password")
            st.text_input(i18n.t("first_run.repeat", lang), key=WidgetKeys.SETUP_REPEAT, type="password",
                          max_chars=200, autocomplete="new-password")
            if notice:
                st.error(notice[1])
                st.session_state[Keys.SETUP_NOTICE] = None
            st.form_submit_button(i18n.t("first_run.submit", lang), on_click=_create_first_editor, args=(lang,),
                                  type="primary", key=WidgetKeys.SETUP_SUBMIT)

