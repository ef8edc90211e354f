"""Every session-state key of the app, in one place, and the per-session defaults.

Values that must survive a page switch live in these non-widget keys; widgets get their own keys
("<page>.<field>") and are re-seeded from these on every run, because Streamlit drops a widget's value
when the page that drew it is left.
"""

from __future__ import annotations

import streamlit as st

from monev import i18n
from monev.allocation import default_allocation_settings, default_cost_parameters
from monev.indicators import NATIONAL_RATE_DEFAULT
from monev.simulator_inputs import DEFAULT_MODE

DEFAULT_AUTOPLAY_SECONDS = 20  # long enough to read a slide aloud


class Keys:
    LANG = "monev.lang"
    LAST_GOOD_DATA = "monev.last_good_data"  # (CoverageData, DatasetVersion) last read from the store
    USER = "monev.user"  # the editor signed in with a password in this session (monev.access.User), or None
    SIGN_IN_NOTICE = "monev.sign_in_notice"  # why the last sign-in failed, shown once
    # The sign-in token this session keeps in the browser's cookie ("" clears it; None: nothing written yet, so a
    # cookie the browser brought, e.g. on a reload, is read once)
    SIGN_IN_COOKIE = "monev.sign_in_cookie"
    SETUP_TOKEN = "monev.setup_token"  # the token of the set-up link this session opened, until used or refused
    SETUP_NOTICE = "monev.setup_notice"  # (succeeded?, text) of the last first-editor attempt, shown once
    SCENARIO = "monev.scenario"  # (id, version, name, dataset_version_id) of the scenario open in the simulator
    URL_NOTICE = "monev.url_notice"  # link parameters that were ignored, shown once
    SCENARIO_NOTICE = "monev.scenario_notice"  # what happened to the last scenario action, shown once
    UPLOAD_NOTICE = "monev.upload_notice"  # what happened to the last "save as version", shown once
    VERSION_NOTICE = "monev.version_notice"  # what happened to the last activation, shown once
    SLIDE = "monev.slide"  # 1-based slide number of the presenter view
    AUTOPLAY = "monev.autoplay"  # the presenter view advances by itself
    AUTOPLAY_SECONDS = "monev.autoplay_seconds"
    SLIDE_SINCE = "monev.slide_since"  # (slide number, monotonic time it appeared) for auto-advance
    LIVE_STAMP = "monev.live_stamp"  # the store's change stamp the presenter view last showed
    LIVE_CHECKED_AT = "monev.live_checked_at"  # (time of the last successful check, reachable?) for the indicator
    COMPARED = "monev.compared"  # scenario ids chosen for comparison, shown on the presenter's scenario slide
    MEETING_PACK = "monev.meeting_pack"  # (pptx name, pptx bytes, pdf name, pdf bytes) made in this session
    OPEN_SIMULATOR = "monev.open_simulator"  # a scenario was opened elsewhere: go to the simulator page
    PERIOD = "monev.period"
    NATIONAL_RATE = "monev.national_rate"
    LAST_UPLOAD = "monev.last_upload"  # ((file id, month, mappings), LoadResult) of the last file checked
    UPLOAD_CHOICES = "monev.upload_choices"  # the month and column mappings chosen for the uploaded file, or None
    METRIC = "monev.metric"  # what the map colours: one of monev.mapping.METRICS
    CLASSIFICATION = "monev.classification"  # how values become colour classes: monev.mapping.CLASSIFICATIONS
    CHANGE_FROM = "monev.change_from"  # first period of the span the "change" metric covers; None = data's first
    REGION = "monev.region"  # selected region code (map click, ?wilayah=), or None
    MAP_GENERATION = "monev.map_generation"  # bumped to give the maps fresh widgets, forgetting their selection
    TREND_REGIONS = "monev.trend_regions"  # regions highlighted on the trends page
    GROUP_REGION = "monev.group_region"  # region whose target groups the Kelompok page opens, or None
    BOUNDARY_UPLOAD = "monev.boundary_upload"  # Boundaries parsed from a GeoJSON uploaded in this session
    BOUNDARY_FILE_ID = "monev.boundary_file_id"  # uploader file id of the boundaries taken into this session
    BOUNDARY_REPORT = "monev.boundary_report"  # problems of the last boundary download (() = it succeeded)
    URL_APPLIED = "monev.url_applied"  # the opening URL's parameters have been read into this session
    SIM_TABLE = "monev.sim_table"  # the simulator's inputs per region (DataFrame); None until first shown
    SIM_TABLE_DIGEST = "monev.sim_table_digest"  # (the SIM_TABLE it was computed for, its content digest)
    SIM_MODE = "monev.sim_mode"  # "target" (coverage % per region) or "add" (new participants per region)
    SIM_EDITOR_GENERATION = "monev.sim_editor_generation"  # bumped to redraw the editor from SIM_TABLE
    SIM_UNDO = "monev.sim_undo"  # (SIM_TABLE, SIM_MODE) the last bulk change replaced, or None: nothing to undo
    SIM_LEFT_OUT = "monev.sim_left_out"  # simulator_inputs.LeftOut of the last fill while its table is shown, or None
    SIM_REFUSED_EDITS = "monev.sim_refused_edits"  # simulator_inputs.RefusedEdit of the grid's last edit, shown once
    SIM_PARAMETERS = "monev.sim_parameters"  # CostParameters of this session
    SIM_MAP_VIEW = "monev.sim_map_view"  # which map the simulator shows: "projected", "today" or "both"
    SIM_ALLOCATION = "monev.sim_allocation"  # the allocation panel's budget, strategy and target
    DEFAULTS_SET = "monev.defaults_set"  # init_state has given this session every default below


class WidgetKeys:
    LANG = "sidebar.lang"
    PERIOD = "sidebar.period"
    METRIC = "sidebar.metric"
    NATIONAL_PCT = "sidebar.national_pct"
    UPLOAD = "data.upload"
    UPLOAD_NOTE = "data.upload_note"
    UPLOAD_SAVE = "data.upload_save"
    UPLOAD_MODE = "data.upload_mode"
    UPLOAD_PERIOD = "data.upload_period"
    UPLOAD_PERIOD_APPLY = "data.upload_period_apply"
    UPLOAD_MAP_PREFIX = "data.upload_map."  # + header shape and column position: one select box per column
    UPLOAD_MAP_APPLY = "data.upload_map_apply"
    SIGN_IN_FORM = "sidebar.sign_in"
    SIGN_IN_ACCOUNT = "sidebar.sign_in_account"
    SIGN_IN_PASSWORD = "sidebar.sign_in_password"
    SIGN_IN_SUBMIT = "sidebar.sign_in_submit"
    SIGN_IN_OIDC = "sidebar.sign_in_oidc"
    SIGN_OUT = "sidebar.sign_out"
    SETUP_PANEL = "setup.panel"
    SETUP_FORM = "setup.form"
    SETUP_ACCOUNT = "setup.account"
    SETUP_PASSWORD = "setup.password"
    SETUP_REPEAT = "setup.repeat"
    SETUP_SUBMIT = "setup.submit"
    VERSION_CHOICE = "data.version_choice"
    VERSION_ACTIVATE = "data.version_activate"
    DIFF_FROM = "data.diff_from"
    DIFF_TO = "data.diff_to"
    BOUNDARY_UPLOAD = "data.boundary_upload"
    BOUNDARY_DOWNLOAD = "data.boundary_download"
    BOUNDARY_FORGET = "data.boundary_forget"
    OVERVIEW_MAP = "overview.map"
    MAP = "peta.map"
    CLASSIFICATION = "peta.classification"
    CHANGE_FROM = "peta.change_from"
    CLOSE_DETAIL = "detail.close"
    SCROLL_INTO_VIEW = "detail.scroll_into_view"  # brings the region's panel into sight (components.viewport)
    CONTENT_WIDTH = "peta.content_width"  # the page's width on a narrow screen, told by the browser
    TREND_REGIONS = "tren.regions"
    GROUP_MATRIX = "kelompok.matrix"
    GROUP_MATRIX_PROVINCE = "kelompok.matrix_province"
    GROUP_REGION = "kelompok.region"
    SIM_MODE = "simulasi.mode"
    SIM_EDITOR = "simulasi.editor"
    SIM_BULK_ALL = "simulasi.bulk_all"
    SIM_BULK_ALL_GO = "simulasi.bulk_all_go"
    SIM_BULK_NATIONAL = "simulasi.bulk_national"
    SIM_BULK_SHARE = "simulasi.bulk_share"
    SIM_BULK_SHARE_GO = "simulasi.bulk_share_go"
    SIM_BULK_ALL_PCT = "simulasi.bulk_all_pct"  # the level typed for "all to …%" (its text is SIM_BULK_ALL)
    SIM_BULK_SHARE_PCT = "simulasi.bulk_share_pct"  # the share typed for "+…% of the unenrolled" (text: SIM_BULK_SHARE)
    SIM_RESET = "simulasi.reset"
    SIM_UNDO = "simulasi.undo"
    SIM_COST = "simulasi.cost"
    SIM_MONTHS = "simulasi.months"
    SIM_SHARE = "simulasi.province_share"
    SIM_CEILING = "simulasi.ceiling"
    SIM_MAP_VIEW = "simulasi.map_view"
    SIM_MAP = "simulasi.map"
    SIM_MAP_TODAY = "simulasi.map_today"
    ALLOC_BUDGET = "simulasi.alloc_budget"
    ALLOC_STRATEGY = "simulasi.alloc_strategy"
    ALLOC_TARGET = "simulasi.alloc_target"
    ALLOC_LOAD = "simulasi.alloc_load"
    SCENARIO_NAME = "simulasi.scenario_name"
    SCENARIO_NOTE = "simulasi.scenario_note"
    SCENARIO_SAVE_NEW = "simulasi.scenario_save_new"
    SCENARIO_SAVE = "simulasi.scenario_save"
    SCENARIO_CLOSE = "simulasi.scenario_close"
    SCENARIO_REBASE = "simulasi.scenario_rebase"
    SCENARIO_CHOICE = "skenario.choice"
    SCENARIO_OPEN = "skenario.open"
    SCENARIO_DUPLICATE = "skenario.duplicate"
    SCENARIO_RENAME_TO = "skenario.rename_to"
    SCENARIO_RENAME = "skenario.rename"
    SCENARIO_DELETE = "skenario.delete"
    SCENARIO_COMPARE = "skenario.compare"
    SLIDE_PREVIOUS = "presentasi.previous"
    SLIDE_NEXT = "presentasi.next"
    AUTOPLAY = "presentasi.autoplay"
    AUTOPLAY_SECONDS = "presentasi.autoplay_seconds"
    SLIDE_SCENARIOS = "presentasi.scenarios"


def init_state() -> None:
    """Set this session's defaults once; later runs keep what the user chose."""
    # Nothing removes these keys, so once they are set there is nothing to do: checking them all again costs a
    # noticeable part of a page run.
    if st.session_state.get(Keys.DEFAULTS_SET):
        return
    defaults: dict[str, object] = {
        Keys.LANG: i18n.DEFAULT_LANGUAGE,
        Keys.LAST_GOOD_DATA: None,
        Keys.USER: None,
        Keys.SIGN_IN_NOTICE: None,
        Keys.SIGN_IN_COOKIE: None,
        Keys.SETUP_TOKEN: None,
        Keys.SETUP_NOTICE: None,
        Keys.SCENARIO: None,
        Keys.URL_NOTICE: None,
        Keys.SCENARIO_NOTICE: None,
        Keys.OPEN_SIMULATOR: False,
        Keys.MEETING_PACK: None,
        Keys.SLIDE: 1,
        Keys.AUTOPLAY: False,
        Keys.AUTOPLAY_SECONDS: DEFAULT_AUTOPLAY_SECONDS,
        Keys.SLIDE_SINCE: None,
        Keys.LIVE_STAMP: None,
        Keys.LIVE_CHECKED_AT: None,
        Keys.COMPARED: [],
        Keys.UPLOAD_NOTICE: None,
        Keys.VERSION_NOTICE: None,
        Keys.PERIOD: None,
        Keys.NATIONAL_RATE: NATIONAL_RATE_DEFAULT,
        Keys.LAST_UPLOAD: None,
        Keys.UPLOAD_CHOICES: None,
        Keys.METRIC: "coverage",
        Keys.CLASSIFICATION: "fixed",
        Keys.CHANGE_FROM: None,
        Keys.REGION: None,
        Keys.MAP_GENERATION: 0,
        Keys.TREND_REGIONS: None,
        Keys.GROUP_REGION: None,
        Keys.BOUNDARY_UPLOAD: None,
        Keys.BOUNDARY_FILE_ID: None,
        Keys.BOUNDARY_REPORT: None,
        Keys.URL_APPLIED: False,
        Keys.SIM_TABLE: None,
        Keys.SIM_TABLE_DIGEST: None,
        Keys.SIM_MODE: DEFAULT_MODE,
        Keys.SIM_EDITOR_GENERATION: 0,
        Keys.SIM_UNDO: None,
        Keys.SIM_LEFT_OUT: None,
        Keys.SIM_REFUSED_EDITS: (),
        Keys.SIM_PARAMETERS: default_cost_parameters(),
        Keys.SIM_MAP_VIEW: "projected",
        Keys.SIM_ALLOCATION: default_allocation_settings(),
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    st.session_state[Keys.DEFAULTS_SET] = True


def seed(widget_key: str, value: object) -> None:
    """Give a widget its remembered value when it is drawn anew (first time, or after a page switch)."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value


def persist_choice(widget_key: str, state_key: str, options: tuple[str, ...]) -> None:
    """on_change of a segmented control: a click on the chosen option unselects it; keep the choice then."""
    value = st.session_state[widget_key]
    if value in options:
        st.session_state[state_key] = value


def persist(widget_key: str, state_key: str, convert=lambda value: value) -> None:
    """on_change callback: copy a widget's value into the key that outlives the page."""
    st.session_state[state_key] = convert(st.session_state[widget_key])
