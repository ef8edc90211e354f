"""Boundaries on the data page: where the map's shapes come from, a GeoJSON upload, the verified download."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.auth import current_user, render_editor_only
from components.context import PageContext
from components.page import uploader_label
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev.access import PermissionDenied
from monev.geo import download_boundaries, load_boundaries, load_source, parse_boundaries


def _forget_upload() -> None:
    st.session_state[Keys.BOUNDARY_UPLOAD] = None


def _download() -> None:
    try:
        result = download_boundaries(current_user())
    except PermissionDenied:  # the button is not drawn for viewers; a replayed click changes nothing either
        return
    st.session_state[Keys.BOUNDARY_REPORT] = result.problems


def _render_server_source(context: PageContext, source: str, *, can_edit: bool) -> None:
    """Which server boundaries the map uses: the file path for editors, only its name for viewers, and the
    licence when it is the verified download."""
    name = Path(source).name
    if can_edit:
        st.markdown(context.t("boundaries.source_server", source=escape_markdown(source)))
    else:  # a viewer needs to know the server's boundaries are in use, not where they lie on its disk
        st.markdown(context.t("boundaries.source_server_viewer", name=escape_markdown(name)))
    public_source = load_source()
    if name == public_source.cache_file:
        st.caption(context.t("boundaries.licence", licence=escape_markdown(public_source.licence)))


def render_boundary_panel(context: PageContext) -> None:
    st.subheader(context.t("boundaries.title"))
    uploaded_boundaries = st.session_state[Keys.BOUNDARY_UPLOAD]
    server_result = load_boundaries()
    can_edit = current_user().can_edit
    if uploaded_boundaries is not None:
        st.markdown(context.t("boundaries.source_upload", source=escape_markdown(uploaded_boundaries.source)))
        st.button(context.t("boundaries.forget"), key=WidgetKeys.BOUNDARY_FORGET, on_click=_forget_upload,
                  icon=":material/undo:")
    elif server_result.boundaries is not None:
        _render_server_source(context, server_result.boundaries.source, can_edit=can_edit)
    else:
        st.warning(context.t("boundaries.none"), icon=":material/map:")
        for problem in server_result.problems:
            if problem.code != "none" and can_edit:  # the reasons name server paths: for editors only
                st.caption(escape_markdown(problem.message(context.lang)))

    if not can_edit:
        render_editor_only(context.lang, "auth.editor_only_boundaries")
        return
    upload = st.file_uploader(uploader_label(context, "boundaries.upload_label"), type=["geojson", "json"],
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
