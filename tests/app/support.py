"""Helpers shared by the AppTest tests: paths, running with an exception check, reading rendered elements."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

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
    return AppTest.from_file(str(APP_PATH), default_timeout=30)


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
    at.file_uploader(key="data.upload").set_value((name, content, mime))
    return run(at)
