"""Boundaries on the data page: where the map's shapes come from, a GeoJSON upload, the verified download."""

from __future__ import annotations

import streamlit as st

from components.auth import current_user, render_editor_only
from components.context import PageContext
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev.access import PermissionDenied
from monev.geo import download_boundaries, load_boundaries, parse_boundaries


def _forget_upload() -> None:
    st.session_state[Keys.BOUNDARY_UPLOAD] = None


def _download() -> None:
    try:
        result = download_boundaries(current_user())
    except PermissionDenied:  # the button is not drawn for viewers; a replayed click changes nothing either
        return
    st.session_state[Keys.BOUNDARY_REPORT] = result.problems


def render_boundary_panel(context: PageContext) -> None:
    st.subheader(context.t("boundaries.title"))
    uploaded_boundaries = st.session_state[Keys.BOUNDARY_UPLOAD]
    server_result = load_boundaries()
    if uploaded_boundaries is not None:
        st.markdown(context.t("boundaries.source_upload", source=escape_markdown(uploaded_boundaries.source)))
        st.button(context.t("boundaries.forget"), key=WidgetKeys.BOUNDARY_FORGET, on_click=_forget_upload,
                  icon=":material/undo:")
    elif server_result.boundaries is not None:
        st.markdown(context.t("boundaries.source_server", source=escape_markdown(server_result.boundaries.source)))
    else:
        st.warning(context.t("boundaries.none"), icon=":material/map:")
        for problem in server_result.problems:
            if problem.code != "none":
                st.caption(escape_markdown(problem.message(context.lang)))

    if not current_user().can_edit:
        render_editor_only(context.lang, "auth.editor_only_boundaries")
        return
    upload = st.file_uploader(context.t("boundaries.upload_label"), type=["geojson", "json"],
                              key=WidgetKeys.BOUNDARY_UPLOAD, help=context.t("boundaries.upload_help"))
    if upload is not None and st.session_state[Keys.BOUNDARY_FILE_ID] != upload.file_id:
        result = parse_boundaries(upload.getvalue(), source=upload.name)
        if result.boundaries is not None:
            st.session_state[Keys.BOUNDARY_UPLOAD] = result.boundaries
            st.session_state[Keys.BOUNDARY_FILE_ID] = upload.file_id  # taken once: "forget" must stick
            st.rerun()  # the line above must show the new source
        st.error(context.t("boundaries.rejected", name=escape_markdown(upload.name)), icon=":material/block:")
        for problem in result.problems:
            st.markdown(f"- {escape_markdown(problem.message(context.lang))}")

    st.button(context.t("boundaries.download"), key=WidgetKeys.BOUNDARY_DOWNLOAD, on_click=_download,
              help=context.t("boundaries.download_help"), icon=":material/cloud_download:")
    problems = st.session_state[Keys.BOUNDARY_REPORT]
    if problems:
        st.error(context.t("boundaries.download_failed"), icon=":material/block:")
        for problem in problems:
            st.markdown(f"- {escape_markdown(problem.message(context.lang))}")
    elif problems is not None:
        st.success(context.t("boundaries.download_done"), icon=":material/check_circle:")
