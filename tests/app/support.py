"""Helpers shared by the AppTest tests: paths, running with an exception check, reading rendered elements."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from tests.users import EDITOR_PASSWORD, editor_secrets

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
DATA_PAGE = "pages/data.py"
OVERVIEW_PAGE = "app.py"
DEMO_CSV = ROOT / "data" / "demo" / "cakupan_bengkulu_2024.csv"
SEGMENT_HEADERS = ["Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]
POTENTIAL_HEADER = "Pekerja Potensial"
HEADER = "Periode,Wilayah,Pekerja Potensial,Peserta PU,Peserta BPU,Peserta Jakon,Peserta PMI,Target (%),Keterangan"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BADGE = re.compile(r"^:(?P<color>[a-z]+)-badge\[(?P<label>.*)\]$", re.DOTALL)


def new_app() -> AppTest:
    """The app as deployed with editor accounts; the session starts as an anonymous viewer."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.secrets.update(editor_secrets())
    return at


def run(at: AppTest) -> AppTest:
    """Rerun the app and fail on any exception it rendered."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    return run(at)


def metric_values(at: AppTest) -> list[str]:
    return [metric.value for metric in at.metric]


def ranking_table(at: AppTest) -> pd.DataFrame:
    """The overview's ranking table: the dataframe with a rank column ('Peringkat' or 'Rank')."""
    for frame in at.dataframe:
        table = frame.value
        if "Peringkat" in table.columns or "Rank" in table.columns:
            return table
    raise AssertionError("no ranking table on the page")


def unescape(markdown: str) -> str:
    """Markdown text without its backslash escapes: what a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown)


def badges(at: AppTest) -> list[tuple[str, str]]:
    """(colour, label) of every st.badge on the page (AppTest sees them as Markdown ':<colour>-badge[...]').
    The label is as sent, Markdown escapes included."""
    found = []
    for markdown in at.markdown:
        match = _BADGE.match(markdown.value)
        if match:
            found.append((match["color"], match["label"]))
    return found


def badge_texts(at: AppTest) -> list[tuple[str, str]]:
    """(colour, label) of every badge, with Markdown escapes removed."""
    return [(color, unescape(label)) for color, label in badges(at)]


def chart_datasets(at: AppTest, index: int = 0) -> list[pd.DataFrame]:
    """The named datasets of a Vega-Lite chart, decoded from their Arrow IPC bytes."""
    chart = at.get("vega_lite_chart")[index]
    return [pa.ipc.open_stream(dataset.data.data).read_all().to_pandas() for dataset in chart.proto.datasets]


def chart_texts(at: AppTest, index: int = 0) -> set[str]:
    """Every text value in the chart's datasets (labels, formatted numbers)."""
    return {value for frame in chart_datasets(at, index) for column in frame.columns
            for value in frame[column] if isinstance(value, str)}


def chart_spec(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("vega_lite_chart")[index].proto.spec)


def demo_frame() -> pd.DataFrame:
    """The demo CSV read independently of the app's loader."""
    return pd.read_csv(DEMO_CSV, dtype={"Periode": str})


def province_rate(frame: pd.DataFrame) -> float:
    """Σ participants ÷ Σ potential workers of the rows given."""
    return frame[SEGMENT_HEADERS].to_numpy().sum() / frame[POTENTIAL_HEADER].sum()


def regional_rates(frame: pd.DataFrame) -> pd.Series:
    return frame[SEGMENT_HEADERS].sum(axis=1) / frame[POTENTIAL_HEADER]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in record])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv") -> AppTest:
    """Upload on the data page; uploading is an editor's action, so a viewer's session signs in as Penguji first."""
    if not at.session_state[Keys.USER]:
        sign_in(at)
    at.file_uploader(key=WidgetKeys.UPLOAD).set_value((name, content, mime))
    return run(at)


# --- map, trends and URL pages ------------------------------------------------------------------------------------

MAP_PAGE = "pages/peta.py"
TRENDS_PAGE = "pages/tren.py"
REGION_LAYER = "wilayah"
LABEL_LAYER = "label"
_LEGEND_MARK = "data-testid='monev-legend'"
_LEGEND_ENTRY = re.compile(r"<span>(?P<label>[^<]*)</span><span style='[^']*'>\((?P<count>[^)]*)\)</span>")


def new_app_with(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """A session that opens ``page`` (default: the overview) with the given URL parameters; not yet run."""
    at = new_app()
    at.query_params.update(query or {})
    if page is not None:
        at.switch_page(page)
    return at


def deck_spec(at: AppTest, index: int = 0) -> dict:
    """The pydeck spec (deck.gl JSON) of the index-th map on the page."""
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)


def deck_layer(spec: dict, layer_id: str) -> dict:
    matches = [layer for layer in spec["layers"] if layer.get("id") == layer_id]
    assert len(matches) == 1, [layer.get("id") for layer in spec["layers"]]
    return matches[0]


def region_features(spec: dict) -> list[dict]:
    """The regions of a choropleth spec: its regions' layer also draws the labels' leader lines, which are no region
    (they have no region code)."""
    return [feature for feature in deck_layer(spec, REGION_LAYER)["data"]["features"]
            if "kode" in feature["properties"]]


def map_labels(at: AppTest, index: int = 0) -> dict[str, str]:
    """Region display name -> value text, as the map's label layer writes them ("Lebong\\n17,0%")."""
    labels = {}
    for point in deck_layer(deck_spec(at, index), LABEL_LAYER)["data"]:
        name, value = str(point["label"]).split("\n")
        labels[name] = value
    return labels


def legend(at: AppTest) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(class label, count text)]) of the map legend, HTML entities decoded."""
    import html

    bodies = [element.proto.body for element in at.get("html") if _LEGEND_MARK in element.proto.body]
    assert len(bodies) == 1, f"expected one legend, found {len(bodies)}"
    title = re.search(r"<b[^>]*>(?P<title>[^<]*)</b>", bodies[0])
    assert title is not None
    entries = [(html.unescape(m["label"]), html.unescape(m["count"])) for m in _LEGEND_ENTRY.finditer(bodies[0])]
    return html.unescape(title["title"]), entries


def _send_map_selection(at: AppTest, index: int, selection: dict) -> AppTest:
    """Rerun as the browser does after a map click: the map's new selection travels as its widget state.

    AppTest has no public way to do this: the map is an UnknownElement (no set_value), and assigning
    ``at.session_state[key] = PydeckState(...)`` only writes session state, which never fires an on_select
    callback. So the widget states of the page are collected as AppTest.run collects them, the map's state
    (JSON, as the frontend serialises it) is added, and the run goes through AppTest's own runner. This uses
    AppTest internals (``_tree``, ``_run``) of Streamlit 1.67.
    """
    deck = at.get("deck_gl_json_chart")[index]
    assert deck.proto.id, "the map does not report selections (no on_select)"
    return rerun_with_widget_state(at, deck.proto.id, string_value=json.dumps({"selection": selection}))


def rerun_with_widget_state(at: AppTest, widget_id: str, **value: str) -> AppTest:
    """Rerun with the page's widget states as AppTest.run collects them plus one more, widget ``widget_id``'s
    ``value`` (one WidgetState field, e.g. ``string_value`` or ``json_value``), as the browser sends it: for elements
    AppTest cannot set (AppTest internals ``_tree``, ``_run`` of Streamlit 1.67)."""
    states = at._tree.get_widget_states()
    states.widgets.add(id=widget_id, **value)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def browser_tells_content_width(at: AppTest, width: int | None) -> AppTest:
    """Rerun as the browser does when the page's script tells the width of a phone's content (None: a wide screen):
    its state travels as the component's JSON widget state."""
    teller = next(element for element in at.get("bidi_component")
                  if element.proto.component_name == "monev_content_width")
    return rerun_with_widget_state(at, teller.proto.id, json_value=json.dumps({"width": width}))


def _map_selection(at: AppTest, index: int) -> dict:
    value = at.get("deck_gl_json_chart")[index].value
    return json.loads(json.dumps(value["selection"])) if value else {"indices": {}, "objects": {}}


def click_region(at: AppTest, code: str, index: int = 0) -> AppTest:
    """Click region ``code`` on the index-th map, as Streamlit's frontend reports it in single-object mode:
    the clicked object and its position in the layer's data; a click on the object already selected unselects it."""
    layer = deck_layer(deck_spec(at, index), REGION_LAYER)
    data = layer["data"]["features"] if isinstance(layer["data"], dict) else layer["data"]
    positions = [i for i, item in enumerate(data) if (item.get("properties") or item).get("kode") == code]
    assert len(positions) == 1, f"region {code} is drawn {len(positions)} times"
    position = positions[0]
    if _map_selection(at, index)["indices"].get(REGION_LAYER, [None])[0] == position:
        selection = {"indices": {}, "objects": {}}
    else:
        selection = {"indices": {REGION_LAYER: [position]}, "objects": {REGION_LAYER: [data[position]]}}
    return _send_map_selection(at, index, selection)


def click_beside_regions(at: AppTest, index: int = 0) -> AppTest:
    """Click the map where there is no region: the frontend sends an empty selection."""
    return _send_map_selection(at, index, {"indices": {}, "objects": {}})


def id_percent(rate: float) -> str:
    """A fraction as an Indonesian percentage with one decimal (0.17 -> '17,0%'), written without the app's fmt."""
    return f"{rate * 100:.1f}".replace(".", ",") + "%"


def id_points(delta: float) -> str:
    """A difference of fractions in signed percentage points, Indonesian style (-0.0912 -> '-9,1 pp')."""
    return f"{delta * 100:+.1f}".replace(".", ",") + " pp"


def demo_rates() -> pd.DataFrame:
    """Coverage of each region (rows: the CSV's region names) in each period (columns), from the demo CSV."""
    frame = demo_frame()
    return frame.assign(rate=regional_rates(frame)).pivot(index="Wilayah", columns="Periode", values="rate")


# --- simulator page -----------------------------------------------------------------------------------------------

SIM_PAGE = "pages/simulasi.py"


def edit_data_editor(at: AppTest, edited_rows: dict[int, dict[str, object]], index: int = 0) -> AppTest:
    """Rerun as the browser does after cells of the index-th st.data_editor were edited; fail on any exception.

    ``edited_rows`` maps a row position (0-based, in the order the editor shows its rows) to {column name: new value}
    (None empties a cell). The frontend reports an editor's edits as its widget state: a JSON string
    {"edited_rows": {"<row>": {...}}, "added_rows": [], "deleted_rows": []} under the element's proto id, and the
    server then calls the editor's on_change. AppTest 1.67 has no public way to do this: ``Dataframe.set_value``
    raises AppTestError, and assigning ``at.session_state[editor_key]`` only seeds session state, which never fires
    on_change. So, as for a map click (``_send_map_selection``), the page's widget states are collected as
    AppTest.run collects them, the editor's JSON state is added, and the run goes through AppTest's own runner
    (internals ``_tree`` and ``_run`` of Streamlit 1.67).
    """
    editor = at.data_editor[index]
    assert editor.proto.id, "the data editor has no element id"
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    state.string_value = json.dumps({
        "edited_rows": {str(row): changes for row, changes in edited_rows.items()},
        "added_rows": [],
        "deleted_rows": [],
    })
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def type_into_simulator(at: AppTest, code: str, column: str, value: object) -> AppTest:
    """Type ``value`` into ``column`` of the simulator's editor row that shows region ``code``, as a user does."""
    from monev.regions import load_registry

    regions = list(at.data_editor[0].value["region"])
    return edit_data_editor(at, {regions.index(load_registry().display_name(code)): {column: value}})


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def id_rupiah(amount: float) -> str:
    """Rupiah as the app writes them in Indonesian, computed without the app's fmt or Babel: whole Rupiah with
    thousands dots below a million (Rp16.800), else one decimal and the word, ',0' dropped (Rp8,2 miliar, Rp1 miliar).
    Meant for amounts not near a rounding tie or a unit boundary (999,96 juta)."""
    if abs(amount) < 1_000_000:
        return "Rp" + f"{round(amount):,}".replace(",", ".")
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if abs(amount) >= size:
            shown = f"{amount / size:.1f}".removesuffix(".0").replace(".", ",")
            return f"Rp{shown} {word}"
    raise AssertionError("unreachable")


def legend_titles(at: AppTest) -> list[str]:
    """The title of every map legend on the page, in page order (one per map)."""
    import html

    titles = []
    for element in at.get("html"):
        if _LEGEND_MARK in element.proto.body:
            title = re.search(r"<b[^>]*>(?P<title>[^<]*)</b>", element.proto.body)
            assert title is not None
            titles.append(html.unescape(title["title"]))
    return titles


# --- the database: dataset versions, scenarios, audit log -----------------------------------------------------------

SCENARIOS_PAGE = "pages/skenario.py"
REGION_CODES = ["17.01", "17.02", "17.03", "17.04", "17.05", "17.06", "17.07", "17.08", "17.09", "17.71"]
_CHECKED = "lolos pemeriksaan"


def store():
    """The database of the app under test (this test's own SQLite file, from MONEV_DATABASE_URL), opened by the test
    itself, beside the app's cached one; migrated and seeded with the demo as version 1 exactly as the app does it
    (a no-op once done), so a test may write to it before the app's first run."""
    import os

    from monev.dataset import load_demo
    from monev.store import Store

    database = Store(os.environ["MONEV_DATABASE_URL"])
    database.ensure_ready(load_demo())
    return database


def sign_in(at: AppTest, name: str = "Penguji", password: str = EDITOR_PASSWORD) -> AppTest:
    """Sign in through the sidebar's form, as an editor does."""
    at.sidebar.text_input(key=WidgetKeys.SIGN_IN_ACCOUNT).set_value(name)
    at.sidebar.text_input(key=WidgetKeys.SIGN_IN_PASSWORD).set_value(password)
    at.sidebar.button(key=WidgetKeys.SIGN_IN_SUBMIT).click()
    return run(at)


def save_upload(at: AppTest, name: str, content: bytes, mime: str = "text/csv", note: str = "",
                mode: str | None = None) -> AppTest:
    """On the data page: upload a file, check that it passed validation, and save it as a new (active) version;
    ``mode`` "merge" or "replace" chooses how, where the page offers the choice (default: the page's, merge)."""
    upload(at, name, content, mime)
    assert any(_CHECKED in success.value for success in at.success), [s.value for s in at.success]
    if note:
        at.text_input(key=WidgetKeys.UPLOAD_NOTE).set_value(note)
        run(at)
    if mode is not None:
        at.radio(key=WidgetKeys.UPLOAD_MODE).set_value(mode)
        run(at)
    at.button(key=WidgetKeys.UPLOAD_SAVE).click()
    return run(at)


def expander(at: AppTest, label: str):
    """The expander whose label starts with ``label``."""
    found = [block for block in at.expander if block.label.startswith(label)]
    assert len(found) == 1, [block.label for block in at.expander]
    return found[0]


def scenario_body(mode: str = "target", values: dict[str, float] | None = None):
    """A scenario body with one value per region given (target % or additional participants), others empty."""
    import math

    from monev.scenario import ScenarioBody
    from monev.simulation import CostParameters

    column = "target_pct" if mode == "target" else "additional"
    rows = []
    for code in REGION_CODES:
        row = {"region_code": code, "target_pct": math.nan, "additional": math.nan, "segment": "bpu", "cap": math.nan}
        if values and code in values:
            row[column] = float(values[code])
        rows.append(row)
    return ScenarioBody(mode=mode, inputs=tuple(rows), parameters=CostParameters())


def demo_month_by_code(period: str = "2024-10") -> pd.DataFrame:
    """Potential workers P and participants p (ints) per region code in one month of the demo CSV, in registry order."""
    regions = pd.read_csv(ROOT / "data" / "regions.csv", dtype=str)
    code_by_name = {f"{r.jenis} {r.nama}": r.kode for r in regions.itertuples()}
    frame = demo_frame()
    rows = frame[frame["Periode"] == period]
    table = pd.DataFrame({
        "code": rows["Wilayah"].map(code_by_name),
        "P": rows[POTENTIAL_HEADER].astype(int),
        "p": rows[SEGMENT_HEADERS].sum(axis=1).astype(int),
    }).set_index("code")
    assert sorted(table.index) == sorted(REGION_CODES)
    return table.reindex(REGION_CODES)


def participants_to_reach(month: pd.DataFrame, code: str, pct: int) -> int:
    """Participants region ``code`` must add to reach a whole-number target ``pct`` %: exact integer ceil."""
    return max(0, (pct * int(month.at[code, "P"]) + 99) // 100 - int(month.at[code, "p"]))


def projected_province(month: pd.DataFrame, added: int) -> str:
    """Provincial coverage after ``added`` participants, as the app writes it in Indonesian."""
    return id_percent((int(month["p"].sum()) + added) / int(month["P"].sum()))


# --- presenter (projector) page -------------------------------------------------------------------------------------

PRESENTER_PAGE = "pages/presentasi.py"
_SLIDE_TITLE_MARK = "class='monev-slide-title'"
_PRESENTER_BAR_MARK = "class='monev-bar'"


def html_texts(at: AppTest, marker: str) -> list[str]:
    """The visible text (tags stripped, entities decoded) of every st.html element whose body contains ``marker``."""
    import html

    return [html.unescape(re.sub(r"<br\s*/?>", "\n", re.sub(r"<(?!br)[^>]*>", " ", element.proto.body)))
            for element in at.get("html") if marker in element.proto.body]


def slide_title(at: AppTest) -> str:
    """The title of the slide the presenter page shows."""
    titles = [" ".join(text.split()) for text in html_texts(at, _SLIDE_TITLE_MARK)]
    assert len(titles) == 1, titles
    return titles[0]


def presenter_bar(at: AppTest) -> list[str]:
    """The presenter's header bar as its three parts: [province · app name, period · data version, 'N / 7']."""
    import html

    bodies = [element.proto.body for element in at.get("html") if _PRESENTER_BAR_MARK in element.proto.body]
    assert len(bodies) == 1, bodies
    parts = re.findall(r"<(?:b|span)>(?P<text>[^<]*)</(?:b|span)>", bodies[0])
    return [html.unescape(part) for part in parts]


# --- office files: title rows, a "No" column, a total row, a signature block ---------------------------------------

OFFICE_TITLES = ("REKAPITULASI CAKUPAN KEPESERTAAN BPJS KETENAGAKERJAAN", "PROVINSI BENGKULU")


def office_xlsx(month: pd.DataFrame, headers: list[str], *, titles: tuple[str, ...] = OFFICE_TITLES,
                sheet_name: str = "Rekap") -> bytes:
    """One month of demo rows (the demo CSV's columns) as an office keeps it in Excel: merged title rows, a blank
    row, the header, "No" and the region name, potential workers, then either the four segments (``headers`` of 7)
    or their total (``headers`` of 4); a "Jumlah" total row, then a source line and a signature block."""
    from openpyxl import Workbook

    with_segments = len(headers) == 7
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(headers))
    sheet.append([])
    sheet.append(headers)
    counts = month[[POTENTIAL_HEADER, *SEGMENT_HEADERS]].astype(int)
    if not with_segments:
        counts = pd.DataFrame({POTENTIAL_HEADER: counts[POTENTIAL_HEADER],
                               "total": counts[SEGMENT_HEADERS].sum(axis=1)})
    for number, (region, figures) in enumerate(zip(month["Wilayah"], counts.itertuples(index=False)), start=1):
        sheet.append([number, region, *(int(value) for value in figures)])
    sheet.append(["Jumlah", None, *(int(total) for total in counts.sum())])
    sheet.append([])
    sheet.append(["Sumber: BPJS Ketenagakerjaan Cabang Bengkulu"])
    sheet.append([None, None, None, "Mengetahui,"])
    sheet.append([None, None, None, "Kepala Kantor Cabang"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
