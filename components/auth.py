"""Who is using this session, and the sidebar's sign-in for editors (see monev.access for the rules).

Viewers need no account. Editors sign in with the identity provider configured for ``st.login`` (when ``[auth]``
is in the secrets) or with an account name and password from ``[editors.passwords]``. A password sign-in lasts
for the browser session: a signed, expiring token (monev.access) in a session cookie brings it back after a reload,
until sign-out, the browser closing or 12 hours; ``st.login`` keeps its own cookie.
"""

from __future__ import annotations

import json
import logging
import math
import os
from typing import NamedTuple

import streamlit as st

from components.caching import cached
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev import i18n
from monev.access import (
    ANONYMOUS,
    SIGN_IN_COOKIE,
    AccessConfigError,
    AccessSettings,
    SignInThrottle,
    User,
    configured_cookie_secret,
    issue_sign_in_token,
    random_cookie_secret,
    verify_sign_in_token,
)

_log = logging.getLogger(__name__)


class ThrottleKey(NamedTuple):
    """The server's one sign-in throttle (a resource without inputs still has a key, under the one caching rule)."""

    purpose: str = "sign-in"


@cached(shared=True, max_entries=None, ttl=None)
def _throttle(key: ThrottleKey) -> SignInThrottle:
    """One count of wrong passwords for the whole server: a new tab or session does not start from zero."""
    return SignInThrottle()


class CookieSecretKey(NamedTuple):
    """The server process's own cookie secret, used when none is configured."""

    purpose: str = "sign-in cookie"


@cached(shared=True, max_entries=None, ttl=None)
def _process_cookie_secret(key: CookieSecretKey) -> bytes:
    """Made once per server process: restarting the server ends every sign-in kept in a cookie."""
    return random_cookie_secret()


def _cookie_secret() -> bytes:
    try:
        configured = configured_cookie_secret(secrets_in_use(), os.environ)
    except AccessConfigError as error:
        _log.error("sign-in cookie secret ignored, using one for this server process only: %s", error)
        configured = None
    return configured or _process_cookie_secret(CookieSecretKey())


def secrets_in_use() -> dict[str, object]:
    """The app's secrets as Streamlit reads them ({} without a secrets file)."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def access_settings() -> tuple[AccessSettings, str | None]:
    """The editor settings, and the reason they were ignored if they are malformed (then nobody can edit)."""
    try:
        return AccessSettings.from_secrets(secrets_in_use()), None
    except AccessConfigError as error:
        _log.error("editor settings ignored: %s", error)
        return AccessSettings(), str(error)


def current_user() -> User:
    """The signed-in editor or viewer; anonymous viewers are ``ANONYMOUS``."""
    settings, _ = access_settings()
    return _user(settings)


def _user(settings: AccessSettings) -> User:
    if settings.oidc and st.user.get("is_logged_in", False):
        return settings.oidc_user(_text_claim("email"), _text_claim("name"))
    return st.session_state[Keys.USER] or ANONYMOUS


def _text_claim(name: str) -> str | None:
    # st.user holds whatever the identity provider sent; only a text claim can be an e-mail address or a name.
    value = st.user.get(name)
    return value if isinstance(value, str) else None


def render_editor_only(lang: str, message_key: str) -> None:
    """Where a viewer would find an editor's control: say why it is not there and how to get it."""
    st.info(i18n.t(message_key, lang), icon=":material/lock:")


def _sign_in_with_password(lang: str) -> None:
    settings, _ = access_settings()
    account = st.session_state.get(WidgetKeys.SIGN_IN_ACCOUNT, "")
    password = st.session_state.get(WidgetKeys.SIGN_IN_PASSWORD, "")
    result = settings.sign_in(account, password, _throttle(ThrottleKey()))
    if result.user is not None:
        sign_in_as(result.user, settings)
    elif result.wait_seconds > 0:
        st.session_state[Keys.SIGN_IN_NOTICE] = i18n.t("auth.locked", lang, seconds=math.ceil(result.wait_seconds))
        _log.warning("editor sign-in refused for account %r: locked after wrong passwords", account[:80])
    else:
        st.session_state[Keys.SIGN_IN_NOTICE] = i18n.t("auth.wrong", lang)
        _log.warning("failed editor sign-in for account %r", account[:80])


def sign_in_as(user: User, settings: AccessSettings) -> None:
    """Sign this session in as a password editor whose account is in ``settings``, with the sign-in cookie."""
    st.session_state[Keys.USER] = user
    st.session_state[Keys.SIGN_IN_COOKIE] = issue_sign_in_token(user, settings, _cookie_secret())
    st.session_state[Keys.SIGN_IN_NOTICE] = None
    _log.info("editor signed in: %s", user.name)


def _sign_out() -> None:
    _log.info("editor signed out: %s", getattr(st.session_state[Keys.USER], "name", "-"))
    st.session_state[Keys.USER] = None
    st.session_state[Keys.SIGN_IN_COOKIE] = ""


def restore_sign_in_from_cookie(settings: AccessSettings) -> None:
    """On a session's first run, a valid sign-in cookie the browser brought (a reload) signs its editor in again;
    an expired, tampered or outdated one leaves a viewer, is logged, and is cleared in the browser."""
    if st.session_state[Keys.SIGN_IN_COOKIE] is not None or st.session_state[Keys.USER] is not None:
        return
    token = st.context.cookies.get(SIGN_IN_COOKIE)
    if not isinstance(token, str) or not token:  # no cookie (AppTest, which has no browser, hands a stand-in)
        return
    check = verify_sign_in_token(token, settings, _cookie_secret())
    if check.user is None:
        _log.warning("sign-in cookie ignored: %s", check.reason)
        st.session_state[Keys.SIGN_IN_COOKIE] = ""
        return
    st.session_state[Keys.USER] = check.user
    st.session_state[Keys.SIGN_IN_COOKIE] = token
    _log.info("editor signed in again from the sign-in cookie: %s", check.user.name)


def _render_cookie_writer() -> None:
    # Streamlit 1.67 has no server-side Set-Cookie, and st.context.cookies is read-only: the browser writes the
    # cookie. st.html runs this script in the page itself (not an iframe). A session cookie (no Max-Age: closing the
    # browser ends it), SameSite=Strict, Secure over HTTPS. The token is base64url and dots only: no typed text.
    token = st.session_state[Keys.SIGN_IN_COOKIE]
    if token is None:
        return
    attributes = "; Path=/; SameSite=Strict" + ("" if token else "; Max-Age=0")
    st.html(f"<script>document.cookie = {json.dumps(f'{SIGN_IN_COOKIE}={token}{attributes}')}"
            " + (location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def render_sign_in(lang: str) -> None:
    """The sidebar's account line: who you are, and sign-in or sign-out."""
    settings, config_error = access_settings()
    restore_sign_in_from_cookie(settings)
    _render_cookie_writer()
    user = _user(settings)  # the settings are read once: without a secrets file, every read looks for one
    if config_error:
        st.error(i18n.t("auth.config_error", lang, error=config_error), icon=":material/error:")
    if user.via == "oidc":
        key = "auth.editor_line" if user.can_edit else "auth.oidc_viewer_line"
        st.caption(i18n.t(key, lang, name=escape_markdown(user.name)))
        st.button(i18n.t("auth.sign_out", lang), key=WidgetKeys.SIGN_OUT, on_click=st.logout,
                  icon=":material/logout:")
        return
    if user.can_edit:
        st.caption(i18n.t("auth.editor_line", lang, name=escape_markdown(user.name)))
        st.button(i18n.t("auth.sign_out", lang), key=WidgetKeys.SIGN_OUT, on_click=_sign_out,
                  icon=":material/logout:")
        return
    if not settings.passwords and not settings.oidc:
        st.caption(i18n.t("auth.not_configured", lang))
        return
    st.caption(i18n.t("auth.viewer_line", lang))
    notice = st.session_state[Keys.SIGN_IN_NOTICE]
    with st.expander(i18n.t("auth.sign_in", lang), icon=":material/login:", expanded=bool(notice)):
        if notice:
            st.error(notice)
            st.session_state[Keys.SIGN_IN_NOTICE] = None
        if settings.oidc:
            st.button(i18n.t("auth.sign_in_oidc", lang), key=WidgetKeys.SIGN_IN_OIDC, on_click=st.login,
                      icon=":material/badge:")
        if settings.passwords:
            with st.form(WidgetKeys.SIGN_IN_FORM, clear_on_submit=True, border=False):
                st.text_input(i18n.t("auth.account", lang), key=WidgetKeys.SIGN_IN_ACCOUNT, max_chars=80,
                              autocomplete="username")
                st.text_input(i18n.t("auth.password", lang), key=WidgetKeys.SIGN_IN_PASSWORD, type="password",
                              max_chars=200, autocomplete="current-password")
                st.form_submit_button(i18n.t("auth.submit", lang), on_click=_sign_in_with_password, args=(lang,),
                                      type="primary", key=WidgetKeys.SIGN_IN_SUBMIT)
