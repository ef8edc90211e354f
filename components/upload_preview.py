"""An upload before it is saved: how each sheet of the file was read, and the two decisions an office file may need
first — its month, when nothing in it names one, and the field of each column the loader did not recognise. The
editor's decisions are kept per uploaded file; a column mapping is remembered in the store when the version is saved,
so next month's file of the same shape loads in one click."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.auth import current_user
from components.context import PageContext
from components.data_source import run_on_store, write_on_store
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from components.upload_update import save_upload
from monev import fmt, periods
from monev.column_mapping import IGNORE, ColumnMapping, header_key
from monev.dataset import COLUMNS, CoverageData, LoadResult, load_dataset
from monev.month_update import describe_months
from monev.problem_report import row_ranges
from monev.sheet_layout import FileLayout, SheetLayout
from monev.store import Store, StoreUnavailable

# The month picker offers this many months, up to the month after the data in use's latest.
MONTHS_OFFERED = 24


@dataclass(frozen=True)
class UploadChoices:
    """What the editor decided for one uploaded file: its month, and column mappings by header shape."""

    file_id: str
    period: str | None = None
    mappings: Mapping[str, ColumnMapping] = field(default_factory=dict)


def _choices(file_id: str) -> UploadChoices:
    chosen = st.session_state[Keys.UPLOAD_CHOICES]
    return chosen if chosen is not None and chosen.file_id == file_id else UploadChoices(file_id)


def _remembered_mappings() -> dict[str, dict[str, str]]:
    """The column mappings the store remembers, by header shape (none while the database is unreachable)."""
    try:
        return run_on_store(lambda store: store.column_mappings())
    except StoreUnavailable:
        return {}


def checked_upload(uploaded: UploadedFile) -> LoadResult:
    """The uploaded file read with the store's mappings and this file's choices; read again only when they change."""
    choices = _choices(uploaded.file_id)
    load_key = (uploaded.file_id, choices.period, repr(sorted(choices.mappings.items())))
    last = st.session_state[Keys.LAST_UPLOAD]
    if last is not None and last[0] == load_key:
        return last[1]
    mappings = _laid_over(_remembered_mappings(), choices.mappings)
    result = load_dataset(uploaded.name, uploaded.getvalue(), period=choices.period, mappings=mappings)
    st.session_state[Keys.LAST_UPLOAD] = (load_key, result)
    return result


def _laid_over(remembered: Mapping[str, ColumnMapping], chosen: Mapping[str, ColumnMapping]
               ) -> dict[str, dict[str, str]]:
    """The mappings by shape with the columns chosen for this file laid over what the store remembers: a column
    mapped now adds to a remembered mapping of the same shape, it does not replace it."""
    return {shape: {**remembered.get(shape, {}), **chosen.get(shape, {})} for shape in {*remembered, *chosen}}


def _needs_mapping(sheet: SheetLayout) -> bool:
    return bool(sheet.unmapped_columns)


def render_preview(context: PageContext, uploaded: UploadedFile, result: LoadResult) -> None:
    """How the file was read, sheet by sheet; opened, with the month picker and the mapping step, when the file
    needs a decision."""
    layout = result.layout
    if layout is None or not (layout.sheets or layout.skipped_sheets):
        return
    choices = _choices(uploaded.file_id)
    needs_decision = result.period_needed or any(map(_needs_mapping, layout.sheets))
    with st.expander(context.t("preview.title"), expanded=needs_decision, icon=":material/table_view:"):
        for sheet in layout.sheets:
            _render_sheet(context, sheet, choices, result.period_needed)
        if layout.skipped_sheets:
            skipped = ", ".join(context.t("preview.skipped_sheet", sheet=escape_markdown(skip.sheet),
                                          reason=context.t(f"preview.skip_{skip.reason}"))
                                for skip in layout.skipped_sheets)
            st.markdown(context.t("preview.skipped", sheets=skipped))
        if result.period_needed or choices.period is not None:
            _render_month_ask(context, uploaded.file_id, result.period_needed)
        if any(map(_needs_mapping, layout.sheets)):
            _render_mapping_step(context, uploaded.file_id, layout)


def _field_name(context: PageContext, key: str) -> str:
    return context.t(f"preview.field.{key}")


def _render_sheet(context: PageContext, sheet: SheetLayout, choices: UploadChoices, period_needed: bool) -> None:
    t = context.t
    title = t("preview.csv") if sheet.sheet is None else t("preview.sheet", sheet=escape_markdown(sheet.sheet))
    lines = [t("preview.header_row", row=sheet.header_row)]
    lines += [t("preview.column", header=escape_markdown(use.header), field=_field_name(context, use.field))
              for use in sheet.columns]
    # A column still to be mapped is not ignored yet: it is listed once, among the unrecognised ones.
    ignored = tuple(header for header in sheet.ignored_columns if header not in sheet.unmapped_columns)
    if ignored:
        lines.append(t("preview.ignored_columns", columns=_quoted(ignored)))
    if sheet.unmapped_columns:
        lines.append(t("preview.unmapped_columns", columns=_quoted(sheet.unmapped_columns)))
    if sheet.total_rows:
        lines.append(t("preview.total_rows", rows=row_ranges(sheet.total_rows, context.lang)))
    if sheet.ignored_rows:
        lines.append(t("preview.ignored_rows", rows=row_ranges(sheet.ignored_rows, context.lang)))
    if sheet.period_source is None and period_needed:
        lines.append(t("preview.month_missing"))
    elif sheet.period_source is not None:
        lines.append(t("preview.month_source", source=t(f"preview.source_{sheet.period_source}"),
                       months=describe_months(sheet.periods, context.lang)))
    if sheet.mapped:
        lines.append(t("preview.mapping_applied" if sheet.shape in choices.mappings else "preview.mapping_saved"))
    st.markdown(f"**{title}**\n\n" + "\n".join(f"- {line}" for line in lines))


def _quoted(headers: tuple[str, ...]) -> str:
    return ", ".join(f"'{escape_markdown(header)}'" for header in headers)


def month_options(data: CoverageData) -> list[str]:
    """The months offered when a file names none: the newest first, from the month after the data's latest."""
    newest = periods.shift(data.latest_period, 1)
    return [periods.shift(newest, -back) for back in range(MONTHS_OFFERED)]


def _render_month_ask(context: PageContext, file_id: str, needed: bool) -> None:
    if needed:
        st.warning(context.t("preview.month_ask"), icon=":material/calendar_month:")
    options = month_options(context.data)
    chosen = _choices(file_id).period
    picker, apply = st.columns([3, 1], vertical_alignment="bottom")
    picker.selectbox(context.t("preview.month_label"), options, key=WidgetKeys.UPLOAD_PERIOD,
                     index=options.index(chosen) if chosen in options else 0,
                     format_func=lambda period: fmt.month(period, context.lang))
    apply.button(context.t("preview.month_apply"), key=WidgetKeys.UPLOAD_PERIOD_APPLY, on_click=_choose_period,
                 args=(file_id,))


def _choose_period(file_id: str) -> None:
    """on_click: read the file again with the month picked."""
    choices = _choices(file_id)
    st.session_state[Keys.UPLOAD_CHOICES] = UploadChoices(file_id, st.session_state[WidgetKeys.UPLOAD_PERIOD],
                                                          choices.mappings)


def _mapping_sheets(layout: FileLayout) -> list[SheetLayout]:
    """One sheet of each header shape with columns to map (month sheets of one workbook share a shape)."""
    by_shape: dict[str, SheetLayout] = {}
    for sheet in layout.sheets:
        if _needs_mapping(sheet):
            by_shape.setdefault(sheet.shape, sheet)
    return list(by_shape.values())


def mapping_widget_key(shape: str, position: int) -> str:
    """The select box of the position-th unrecognised column of a header shape."""
    return f"{WidgetKeys.UPLOAD_MAP_PREFIX}{shape[:16]}.{position}"


def _render_mapping_step(context: PageContext, file_id: str, layout: FileLayout) -> None:
    t = context.t
    st.markdown(f"**{t('preview.mapping_title')}**")
    st.caption(t("preview.mapping_intro"))
    sheets = _mapping_sheets(layout)
    for sheet in sheets:
        present = {use.field for use in sheet.columns}
        options = [IGNORE, *(spec.key for spec in COLUMNS if spec.key not in present)]
        for position, header in enumerate(sheet.unmapped_columns):
            st.selectbox(t("preview.mapping_column", header=header), options,
                         key=mapping_widget_key(sheet.shape, position),
                         format_func=lambda key: t("preview.mapping_ignore") if key == IGNORE else _field_name(
                             context, key))
    st.button(t("preview.mapping_apply"), key=WidgetKeys.UPLOAD_MAP_APPLY, on_click=_apply_mapping,
              args=(file_id, sheets), icon=":material/rule:")


def _apply_mapping(file_id: str, sheets: list[SheetLayout]) -> None:
    """on_click: the columns' chosen fields added to this file's mappings, and the file read again with them."""
    choices = _choices(file_id)
    mappings = {shape: dict(mapping) for shape, mapping in choices.mappings.items()}
    for sheet in sheets:
        mapping = mappings.setdefault(sheet.shape, {})
        for position, header in enumerate(sheet.unmapped_columns):
            mapping[header_key(header)] = st.session_state[mapping_widget_key(sheet.shape, position)]
    st.session_state[Keys.UPLOAD_CHOICES] = UploadChoices(file_id, choices.period, mappings)


def _save_mappings(context: PageContext, file_id: str, result: LoadResult) -> bool:
    """Remember the mappings of the header shapes whose columns were mapped for this file, as the file was read
    with them (a remembered mapping with the columns added); False (and a notice) when that failed."""
    chosen, applied, actor = _choices(file_id).mappings, result.options.mappings, current_user()
    sheets = {sheet.shape: sheet for sheet in result.layout.sheets if sheet.shape in chosen} if result.layout else {}
    for shape, sheet in sheets.items():
        headers = list(dict.fromkeys([*(use.header for use in sheet.columns), *sheet.ignored_columns]))
        _, refusal = write_on_store(functools.partial(Store.save_column_mapping, shape=shape, headers=headers,
                                                      mapping=applied[shape], actor=actor))
        if refusal is not None:
            st.session_state[Keys.UPLOAD_NOTICE] = ("error", context.t(refusal))
            return False
    return True


def save_previewed_upload(context: PageContext, result: LoadResult, uploaded: UploadedFile, mode: str) -> None:
    """on_click of "save": remember the column mappings chosen for this file, then store the upload as a new version
    (with the month and mappings it was read with)."""
    if result.data is None or not _save_mappings(context, uploaded.file_id, result):
        return
    save_upload(context, result.data, uploaded.name, uploaded.getvalue(), mode, result.options)
