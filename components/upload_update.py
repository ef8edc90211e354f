"""Saving a checked upload: its months added to the data in use (the default) or replacing it entirely, with what
either choice changes shown before the editor confirms (``monev.month_update``)."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from components.auth import current_user
from components.caching import cached
from components.context import PageContext
from components.data_source import write_on_store
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev import fmt
from monev.dataset import CoverageData, LoadOptions
from monev.month_update import MonthUpdate, describe_months, merge_months

MODES = ("merge", "replace")


class UpdateKey(NamedTuple):
    """The data in use and the upload laid over it, by their checksums, and the upload's name (the merged version
    keeps it)."""

    current: str
    incoming: str
    incoming_name: str


@cached(shared=True, max_entries=16)
def _month_update(key: UpdateKey, *, current: CoverageData, incoming: CoverageData) -> MonthUpdate:
    return merge_months(current, incoming)


def month_update(context: PageContext, incoming: CoverageData) -> MonthUpdate:
    """The data in use with the upload's months laid over it."""
    key = UpdateKey(context.data.checksum, incoming.checksum, incoming.source_name)
    return _month_update(key, current=context.data, incoming=incoming)


def adds_months(update: MonthUpdate) -> bool:
    """Whether adding the upload's months differs from replacing the data: the data in use has months it lacks."""
    return bool(update.kept)


def render_update_choice(context: PageContext, incoming: CoverageData) -> str:
    """Add the months or replace everything (only offered when they differ), and what the choice would change."""
    t, lang = context.t, context.lang
    update = month_update(context, incoming)
    mode = "replace"
    if adds_months(update):
        mode = st.radio(t("update.mode"), MODES, key=WidgetKeys.UPLOAD_MODE, horizontal=True,
                        format_func=lambda choice: t(f"update.mode_{choice}"), help=t("update.mode_help"))
    if mode == "merge":
        if update.result.data is None or update.diff is None:
            errors = fmt.counted("report.count_error", len(update.result.errors), lang)
            st.error(t("update.merge_failed", errors=errors), icon=":material/block:")
        else:
            st.info(t("update.preview", replaced=describe_months(update.replaced, lang),
                      added=describe_months(update.added, lang), kept=describe_months(update.kept, lang),
                      values=fmt.counted("update.values_change", update.diff.changed_values, lang)),
                    icon=":material/difference:")
    elif adds_months(update):
        st.warning(t("update.replace_preview", active=describe_months(tuple(context.data.periods), lang),
                     incoming=describe_months(tuple(incoming.periods), lang)), icon=":material/swap_horiz:")
    return mode


def save_upload(context: PageContext, incoming: CoverageData, name: str, content: bytes, mode: str,
                options: LoadOptions | None = None) -> None:
    """Store a checked upload as a new dataset version, merged with the data in use or as it is (with the ``options``
    its loading needed), and make it the active one, for everyone."""
    note = st.session_state.get(WidgetKeys.UPLOAD_NOTE, "").strip()
    data, file_name = incoming, name
    if mode == "merge":
        update = month_update(context, incoming)
        if update.result.data is None:
            return  # the page said why; there is nothing valid to save
        # The merged file is written out whole (months, regions, our headers): it needs no options to load.
        data, content, file_name, options = update.result.data, update.content, update.file_name, None
        version = context.source.version
        if version is not None:
            merged_note = context.t("update.merged_note", file=name, version=version.id)
            note = f"{merged_note} {note}".strip()
    saved, refusal = write_on_store(lambda store: store.add_dataset_version(
        data, content, file_name=file_name, actor=current_user(), note=note, activate=True, options=options))
    if saved is None:
        st.session_state[Keys.UPLOAD_NOTICE] = ("error", context.t(refusal or "store.unavailable_action"))
        return
    st.session_state[Keys.PERIOD] = incoming.latest_period
    st.session_state[Keys.UPLOAD_NOTICE] = ("success", context.t("data.saved_version", id=saved.id,
                                                                name=escape_markdown(file_name)))
