"""How a sheet was understood: where its table sits, which rows are totals or notes, where its month came from.

Office files put title rows above the header, a "No" column, a total row and a signature block below the data.
``monev.dataset`` finds the table with the helpers here and reports the result as a ``FileLayout`` of plain frozen
dataclasses, so the user can see how each sheet was read before the data are saved.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from monev.period_text import month_in_text, period_of
from monev.regions import normalise_name

# Where a sheet's month came from, in the order they are tried when the sheet has no period column.
PeriodSource = Literal["column", "title", "sheet", "file", "given"]
SkipReason = Literal["empty", "no_table"]

# Words that make a row label a total of the rows above it ("Jumlah", "TOTAL PROVINSI", "JUMLAH SE-PROVINSI").
_TOTAL_WORDS = frozenset({"jumlah", "total", "subtotal", "rekapitulasi", "grand"})
_YEAR = re.compile(r"(?<!\d)(19\d{2}|2[01]\d{2})(?!\d)")


@dataclass(frozen=True)
class ColumnUse:
    """One column of the header: as written in the file, and the field it was understood as."""

    header: str
    field: str  # a column key of ``monev.dataset.COLUMNS``, or "row_number" / "rate" (read, checked, not loaded)


@dataclass(frozen=True)
class SheetLayout:
    """How one sheet holding the coverage table was read."""

    sheet: str | None  # None for a CSV file
    header_row: int
    title_rows: tuple[str, ...]
    columns: tuple[ColumnUse, ...]
    ignored_columns: tuple[str, ...]
    total_rows: tuple[int, ...]
    ignored_rows: tuple[int, ...]  # notes and signature rows after the data
    period_source: PeriodSource | None  # None: no month found (the loader then asks for one)
    periods: tuple[str, ...]
    shape: str = ""  # ``monev.column_mapping.header_shape`` of the header row: what a column mapping is kept by
    unmapped_columns: tuple[str, ...] = ()  # headers as written that no field was found for: the editor may map them
    mapped: bool = False  # an editor's column mapping for this shape was applied


@dataclass(frozen=True)
class SkippedSheet:
    """A sheet that holds no coverage table (notes, charts, an empty sheet)."""

    sheet: str
    reason: SkipReason


@dataclass(frozen=True)
class FileLayout:
    """How the whole file was read: the sheets loaded and the sheets skipped."""

    sheets: tuple[SheetLayout, ...] = ()
    skipped_sheets: tuple[SkippedSheet, ...] = ()


def cell_text(value: object) -> str:
    """A cell as one line of text ('' for an empty cell)."""
    return "" if value is None else " ".join(str(value).split())


def row_text(cells: Iterable[object]) -> str:
    """A row's non-empty cells as one line: a title row's merged text sits in its first cell."""
    return " ".join(text for text in map(cell_text, cells) if text)


# A table repeats the same few labels on every row.
@functools.lru_cache(maxsize=4096)
def is_total_label(text: str, province_name: str) -> bool:
    """'Jumlah', 'Total', 'JUMLAH SE-PROVINSI', 'Provinsi Bengkulu', 'Jumlah Total': the total of the regions."""
    words = normalise_name(text).split()
    if not words:
        return False
    if words[0] in _TOTAL_WORDS:
        return True
    province = normalise_name(province_name).split()
    # "Provinsi Bengkulu" / "Prov. Bengkulu"; the province name alone may be a city's name ("Bengkulu").
    return words[0] in ("provinsi", "prov", "propinsi") and words[1:] == province


def year_in_text(text: str) -> int | None:
    """The first year written in a text ('Tahun 2024', 'rekap_okt2024'), else None."""
    found = _YEAR.search(text.replace("_", " "))
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class MonthFound:
    """A sheet's month and the text it was read from (a title row, the sheet name, the file name)."""

    period: str
    source: PeriodSource
    text: str


def month_of_sheet(title_rows: tuple[str, ...], sheet_name: str | None, file_name: str,
                   given: str | None) -> MonthFound | None:
    """The month of a sheet without a period column: its title rows, then its name, then the file name, then
    ``given``; a month written without a year takes the year from the title rows or the file name."""
    year_hint = next((year for text in (*title_rows, file_name) if (year := year_in_text(text))), None)
    if year_hint is None and given is not None:
        year_hint = int(given[:4])
    sources: list[tuple[PeriodSource, str]] = [("title", text) for text in title_rows]
    if sheet_name is not None:
        sources.append(("sheet", sheet_name))
    sources.append(("file", file_name))
    for source, text in sources:
        mention = month_in_text(text)
        if mention is not None and (period := period_of(mention, year_hint)) is not None:
            return MonthFound(period, source, text)
    return MonthFound(given, "given", given) if given is not None else None
