"""What every page does first: page config, session defaults, the sidebar (navigation, language, period)."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from components.auth import render_sign_in
from components.context import PageContext
from components.data_source import resolve_data
from components.first_run import render_first_run, take_setup_token
from components.number_text_input import render_number_text
from components.sharing import render_copy_link
from components.state import Keys, WidgetKeys, init_state, persist, persist_choice
from components.text import escape_markdown
from components.url_state import (
    apply_query_params_once,
    current_query_params,
    render_url_notice,
    write_query_params,
)
from monev import fmt, i18n
from monev.dataset import CoverageData
from monev.mapping import METRICS
from monev.regions import load_registry

# A local file, not a Material icon name: Streamlit would fetch that favicon from the internet.
ICON_PATH = Path(__file__).resolve().parent.parent / "assets" / "icon.png"
# (page file relative to the entry point, catalog key of its label, icon); app.py is the overview.
PAGES = (
    ("app.py", "nav.overview", ":material/dashboard:"),
    ("pages/peta.py", "nav.map", ":material/map:"),
    ("pages/tren.py", "nav.trends", ":material/show_chart:"),
    ("pages/kelompok.py", "nav.groups", ":material/groups:"),
    ("pages/simulasi.py", "nav.simulation", ":material/tune:"),
    ("pages/skenario.py", "nav.scenarios", ":material/compare:"),
    ("pages/presentasi.py", "nav.presenter", ":material/slideshow:"),
    ("pages/data.py", "nav.data", ":material/table_view:"),
)


# Streamlit leaves 6rem above the title; on a projector that space is better spent on the data.
_COMPACT_TOP_CSS = "<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>"


def setup_page(title_key: str, *, sidebar: bool = True) -> PageContext:
    """Configure the page and draw the sidebar (unless ``sidebar`` is False, as for the projector view);
    returns what the page needs to render."""
    init_state()
    source = resolve_data()
    data = source.data
    registry = load_registry()
    take_setup_token()
    apply_query_params_once(data, registry)
    if st.session_state[Keys.OPEN_SIMULATOR]:
        st.session_state[Keys.OPEN_SIMULATOR] = False
        st.switch_page("pages/simulasi.py")
    lang = i18n.supported(st.session_state[Keys.LANG])
    st.set_page_config(page_title=f"{i18n.t(title_key, lang)} · {i18n.t('app.name', lang)}",
                       page_icon=str(ICON_PATH), layout="wide",
                       initial_sidebar_state="auto" if sidebar else "collapsed")
    if st.session_state[Keys.PERIOD] not in data.periods:
        st.session_state[Keys.PERIOD] = data.latest_period
    if st.session_state[Keys.REGION] not in data.region_codes:
        st.session_state[Keys.REGION] = None
    if not sidebar:
        write_query_params(presenting=True)
        return PageContext(lang, source, st.session_state[Keys.PERIOD], st.session_state[Keys.NATIONAL_RATE],
                           registry)
    with st.sidebar:
        lang = _render_language()
        _render_navigation(lang)
        st.divider()
        period = _render_period(data, lang)
        _render_metric(lang)
        national_rate = _render_national_rate(lang)
        st.divider()
        render_sign_in(lang)
        render_copy_link(lang)
    render_first_run(lang)
    write_query_params()
    return PageContext(lang, source, period, national_rate, registry)


def _render_language() -> str:
    st.session_state[WidgetKeys.LANG] = st.session_state[Keys.LANG]
    st.segmented_control(
        i18n.t("sidebar.language", st.session_state[Keys.LANG]), options=i18n.LANGUAGES,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code], key=WidgetKeys.LANG,
        on_change=persist_choice, args=(WidgetKeys.LANG, Keys.LANG, i18n.LANGUAGES),
    )
    return i18n.supported(st.session_state[Keys.LANG])


def _render_navigation(lang: str) -> None:
    province = i18n.t("app.province", lang, province=load_registry().province_name)
    st.markdown(f"**{i18n.t('app.name', lang)}** · {province}")
    params = current_query_params()
    for page, label_key, icon in PAGES:
        st.page_link(page, label=i18n.t(label_key, lang), icon=icon, query_params=params)


def _render_period(data: CoverageData, lang: str) -> str:
    st.session_state[WidgetKeys.PERIOD] = st.session_state[Keys.PERIOD]
    periods = list(reversed(data.periods))
    st.selectbox(
        i18n.t("sidebar.period", lang), options=periods, format_func=_month_labels(tuple(periods), lang).__getitem__,
        key=WidgetKeys.PERIOD, on_change=persist, args=(WidgetKeys.PERIOD, Keys.PERIOD),
    )
    return st.session_state[Keys.PERIOD]


@functools.lru_cache(maxsize=64)
def _month_labels(periods: tuple[str, ...], lang: str) -> dict[str, str]:
    """The name of every month of the period menu: formatting them all again on every run costs more than the menu."""
    return {period: fmt.month(period, lang) for period in periods}


def _render_metric(lang: str) -> None:
    st.session_state[WidgetKeys.METRIC] = st.session_state[Keys.METRIC]
    st.selectbox(
        i18n.t("sidebar.metric", lang), options=METRICS,
        format_func=lambda metric: i18n.t(f"map.metric.{metric}", lang),
        key=WidgetKeys.METRIC, on_change=persist, args=(WidgetKeys.METRIC, Keys.METRIC),
    )


def _render_national_rate(lang: str) -> float:
    render_number_text(i18n.t("sidebar.national_rate", lang), key=WidgetKeys.NATIONAL_PCT,
                       value=round(st.session_state[Keys.NATIONAL_RATE] * 100, 2), kind="percent", lang=lang,
                       help=i18n.t("sidebar.national_rate_help", lang), on_value=_put_national_rate)
    return st.session_state[Keys.NATIONAL_RATE]


def _put_national_rate(pct: float | None) -> None:
    st.session_state[Keys.NATIONAL_RATE] = (pct or 0) / 100


DATA_PAGE_TITLE = "data.title"


def demo_notice(context: PageContext, *, on_data_page: bool) -> str:
    """What the demo data is, and where to upload one's own: below on the Data page, on the Data page elsewhere."""
    upload = (context.t("data.demo_upload_below", section=context.t("data.upload_title")) if on_data_page
              else context.t("app.demo_upload_on_data_page"))
    return f"{context.t('app.demo_figures')} {upload}"


def uploader_label(context: PageContext, what_key: str) -> str:
    """A file uploader's label: what to upload and, in the user's language, how (Streamlit's own box is English)."""
    limit = fmt.number(st.get_option("server.maxUploadSize"), context.lang)
    return f"{context.t(what_key)} — {context.t('app.drop_hint', limit=limit)}"


def render_page_header(context: PageContext, title_key: str) -> None:
    """Title, province and period, the data version (with a 'data contoh' badge for the demo), and a banner
    while the database cannot be reached."""
    st.html(_COMPACT_TOP_CSS)
    if not context.source.available:
        st.warning(context.t("store.unavailable_banner"), icon=":material/cloud_off:")
    render_url_notice(context.lang)
    st.title(context.t(title_key))
    province = context.t("app.province", province=context.registry.province_name)
    subtitle, badge = st.columns([1, 3], vertical_alignment="center")
    subtitle.caption(context.t("overview.subtitle", province=province, period=fmt.month(context.period, context.lang)))
    with badge:
        version = context.source.version
        version_text = context.t("app.version", id=version.id) if version else ""
        if context.data.is_demo:
            st.badge(f"{context.t('app.demo_badge')} {version_text}".strip(), icon=":material/science:",
                     color="orange", help=demo_notice(context, on_data_page=title_key == DATA_PAGE_TITLE))
        else:
            st.badge(f"{context.t('app.source_file', name=escape_markdown(context.data.source_name))} {version_text}"
                     .strip(), icon=":material/upload_file:", color="blue")
