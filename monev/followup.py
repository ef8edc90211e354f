"""Monev follow-up (*tindak lanjut*): the recommendations a meeting agreed on, their status and its history.

A meeting ends in recommendations, each for one or more regions (or the province), with an owner, a due date and a
status; the next meeting starts from the ones still open. Everything here is a frozen dataclass or a pure function
of them and a date, so the store and the pages can build on it. The file layout (CSV or one XLSX sheet) is one row
per status change, the meeting and recommendation columns repeated, which an office keeping it in Excel can read
and filter: ``import(export(x)) == x``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from babel.dates import format_date

from monev import i18n
from monev.dataset import Problem, Severity
from monev.regions import DATA_DIR, Registry, load_registry
from monev.spreadsheet import PARSE_TIMEOUT_S, Deadline, Rejected, read_sheets

STATUSES = ("belum", "proses", "selesai", "batal")
DONE, CANCELLED = "selesai", "batal"
CLOSED_STATUSES = frozenset({DONE, CANCELLED})
INITIAL_STATUS = "belum"  # what a recommendation is before its first recorded change

# (field, header in the file). The headers are Indonesian: the file is the office's own working document.
COLUMNS = (
    ("meeting_id", "ID rapat"), ("meeting_date", "Tanggal rapat"), ("place", "Tempat"), ("participants", "Peserta"),
    ("id", "ID rekomendasi"), ("text", "Rekomendasi"), ("regions", "Wilayah"), ("owner", "Penanggung jawab"),
    ("due", "Tenggat"), ("status", "Status"), ("evidence", "Bukti"), ("notes", "Catatan"),
    ("change_status", "Status riwayat"), ("change_at", "Tanggal perubahan"), ("change_by", "Diubah oleh"),
    ("change_note", "Keterangan perubahan"),
)
HEADERS = dict(COLUMNS)
REQUIRED_FIELDS = ("meeting_id", "meeting_date", "id", "text", "regions", "status")
_MEETING_FIELDS = ("meeting_date", "place", "participants")
_RECOMMENDATION_FIELDS = ("meeting_id", "text", "regions", "owner", "due", "status", "evidence", "notes")
_CHANGE_FIELDS = ("change_status", "change_at", "change_by", "change_note")
REGION_SEPARATOR = ", "
_REGION_SPLIT = re.compile(r"[,;|]")
# Dates as offices write them besides ISO: 20/11/2024, 20-11-2024, 20.11.2024 (day first, as in Indonesia).
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
SHEET_TITLE = "Tindak lanjut"
# Built by scripts/build_followup_demo.py: the Monev of 20 Nov 2024 with illustrative recommendations.
DEMO_FOLLOWUP_PATH = DATA_DIR / "demo_followup.csv"
_Parsed = TypeVar("_Parsed")


@dataclass(frozen=True)
class Meeting:
    """A Monev meeting: where and when, and who took part (free text, as the minutes list them)."""

    id: str
    date: dt.date
    place: str = ""
    participants: str = ""


@dataclass(frozen=True)
class StatusChange:
    """One step of a recommendation's history: its new status, on which day, recorded by whom, and why."""

    status: str
    at: dt.date
    by: str = ""
    note: str = ""


@dataclass(frozen=True)
class Recommendation:
    """What a meeting agreed on for one or more regions ("17" is the province); ``status`` is the current one."""

    id: str
    meeting_id: str
    text: str
    regions: tuple[str, ...]
    owner: str = ""
    due: dt.date | None = None
    status: str = INITIAL_STATUS
    evidence: str = ""
    notes: str = ""
    history: tuple[StatusChange, ...] = ()

    def status_at(self, date: dt.date) -> str:
        """The status on ``date``: the last change on or before it (``belum`` before the first one)."""
        if not self.history:
            return self.status
        reached = [change.status for change in self.history if change.at <= date]
        return reached[-1] if reached else INITIAL_STATUS

    def is_open(self, date: dt.date) -> bool:
        """Neither done nor cancelled on ``date``."""
        return self.status_at(date) not in CLOSED_STATUSES

    def is_overdue(self, date: dt.date) -> bool:
        """Open on ``date`` with its due date before it."""
        return self.due is not None and self.due < date and self.is_open(date)

    def done_between(self, since: dt.date, until: dt.date) -> bool:
        """Done on ``until``, the change to ``selesai`` made after ``since`` (a later meeting sees it as news)."""
        if self.status_at(until) != DONE:
            return False
        done_at = [change.at for change in self.history if change.status == DONE and change.at <= until]
        return bool(done_at) and done_at[-1] > since


@dataclass(frozen=True)
class FollowUp:
    """Meetings and their recommendations, in the order they were recorded."""

    meetings: tuple[Meeting, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()

    def meeting(self, meeting_id: str) -> Meeting:
        return next(meeting for meeting in self.meetings if meeting.id == meeting_id)


@dataclass(frozen=True)
class FollowupItem:
    """A recommendation as a meeting on ``at`` sees it."""

    recommendation: Recommendation
    status: str
    overdue: bool
    done_since_previous: bool

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class MeetingStart:
    """What a meeting on ``at`` starts from: the previous meeting, then open items (overdue first), then done ones."""

    at: dt.date
    previous: Meeting | None
    items: tuple[FollowupItem, ...]

    @property
    def open_items(self) -> tuple[FollowupItem, ...]:
        return tuple(item for item in self.items if item.is_open)

    @property
    def overdue_items(self) -> tuple[FollowupItem, ...]:
        return tuple(item for item in self.items if item.overdue)

    @property
    def done_items(self) -> tuple[FollowupItem, ...]:
        return tuple(item for item in self.items if item.done_since_previous)


def open_at(recommendations: Iterable[Recommendation], date: dt.date) -> tuple[Recommendation, ...]:
    """The recommendations still open on ``date``."""
    return tuple(recommendation for recommendation in recommendations if recommendation.is_open(date))


def overdue_at(recommendations: Iterable[Recommendation], date: dt.date) -> tuple[Recommendation, ...]:
    """The open recommendations whose due date is before ``date``."""
    return tuple(recommendation for recommendation in recommendations if recommendation.is_overdue(date))


def done_since(recommendations: Iterable[Recommendation], since: dt.date,
               until: dt.date) -> tuple[Recommendation, ...]:
    """The recommendations that became ``selesai`` after ``since`` and are still done on ``until``."""
    return tuple(recommendation for recommendation in recommendations if recommendation.done_between(since, until))


def previous_meeting(followup: FollowUp, date: dt.date) -> Meeting | None:
    """The last meeting held before ``date``."""
    earlier = [meeting for meeting in followup.meetings if meeting.date < date]
    return max(earlier, key=lambda meeting: meeting.date) if earlier else None


def _order(item: FollowupItem) -> tuple[int, dt.date]:
    group = 0 if item.overdue else 1 if item.is_open else 2 if item.done_since_previous else 3
    return group, item.recommendation.due or dt.date.max


def meeting_start(followup: FollowUp, at: dt.date) -> MeetingStart:
    """The view a meeting on ``at`` starts from: every recommendation agreed on or before ``at``, open ones first
    (overdue before the rest, then by due date), then those done since the previous meeting, then the other closed."""
    previous = previous_meeting(followup, at)
    agreed = {meeting.id for meeting in followup.meetings if meeting.date <= at}
    items = [FollowupItem(recommendation, recommendation.status_at(at), recommendation.is_overdue(at),
                          previous is not None and recommendation.done_between(previous.date, at))
             for recommendation in followup.recommendations if recommendation.meeting_id in agreed]
    return MeetingStart(at, previous, tuple(sorted(items, key=_order)))


def date_text(date: dt.date, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A date as people read it: 20 Nov 2024 (id), Nov 20, 2024 (en)."""
    return format_date(date, "medium", locale=i18n.supported(lang))


def status_text(status: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A status word in ``lang``."""
    return i18n.t(f"followup.status.{status}", lang)


# --- Import and export -------------------------------------------------------------------------------------------


class FollowupProblem(Problem):
    """A fault (``error``) or doubt (``warning``) in a follow-up file: a dataset ``Problem`` worded from the
    ``followup`` catalog sections, so that ``monev.problem_report`` groups and words it like any other."""

    def _key(self, kind: str) -> str:
        # The reader's own refusals (file too large, unreadable …) are worded in the dataset's catalog sections.
        return f"{kind}.{self.code}" if self.code.startswith("file.") else f"followup.{kind}.{self.code}"

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(self._key("problem"), lang, **self._text_params(lang))

    def fix(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(self._key("fix"), lang, **self._text_params(lang))


@dataclass(frozen=True)
class FollowupLoad:
    """A read follow-up file: the data (None when an error stops it) and every problem found."""

    followup: FollowUp | None
    problems: tuple[FollowupProblem, ...]

    @property
    def errors(self) -> tuple[FollowupProblem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[FollowupProblem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "warning")


class _BadCell(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: object) -> dt.date:
    """A date cell: an Excel date, ISO 2024-11-20, or day first 20/11/2024."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    day_first = _DAY_FIRST.match(text)
    try:
        if day_first:
            day, month, year = map(int, day_first.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _BadCell("bad_date") from None


def parse_status(value: object) -> str:
    """A status word, any case."""
    status = _text(value).casefold()
    if status not in STATUSES:
        raise _BadCell("unknown_status", allowed=" / ".join(STATUSES))
    return status


def parse_regions(value: object, registry: Registry) -> tuple[str, ...]:
    """Region codes or names separated by commas; the province by its code ("17") or "Provinsi <name>"."""
    province_spellings = {registry.province_code, f"provinsi {registry.province_name}".casefold()}
    codes: list[str] = []
    for part in filter(None, (piece.strip() for piece in _REGION_SPLIT.split(_text(value)))):
        match = registry.match(part)
        code = registry.province_code if part.casefold() in province_spellings else match.code
        if code is None:
            raise _BadCell("unknown_region", region=part)
        if code not in codes:
            codes.append(code)
    if not codes:
        raise _BadCell("missing_value")
    return tuple(codes)


@dataclass
class _Draft:
    """A recommendation being assembled from its rows."""

    row: int
    fields: dict[str, str]
    recommendation: Recommendation
    history: list[StatusChange] = field(default_factory=list)


def _header_positions(headers: Sequence[object]) -> dict[str, int]:
    by_header = {header.casefold(): name for name, header in COLUMNS}
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = by_header.get(_text(header).casefold())
        if name is not None:
            positions.setdefault(name, index)
    return positions


class _Reader:
    """Turns the rows of a follow-up sheet into meetings and recommendations, collecting problems on the way."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.problems: list[FollowupProblem] = []
        self.meetings: dict[str, tuple[int, dict[str, str], Meeting]] = {}  # by id: first row, its cells, meeting
        self.drafts: dict[str, _Draft] = {}

    def problem(self, code: str, severity: Severity, row: int, name: str | None, value: str = "",
                **params: object) -> None:
        self.problems.append(FollowupProblem(code, severity, row, HEADERS[name] if name else None, value or None,
                                             params))

    def parsed(self, row: int, cells: dict[str, str], raw: dict[str, object], name: str,
               parse: Callable[[object], _Parsed]) -> _Parsed | None:
        try:
            return parse(raw[name])
        except _BadCell as bad:
            self.problem(bad.code, "error", row, name, cells[name], **bad.params)
            return None

    def read_row(self, row: int, raw: dict[str, object]) -> None:
        cells = {name: _text(raw.get(name)) for name, _ in COLUMNS}
        raw = {name: raw.get(name) for name, _ in COLUMNS}
        if not cells["meeting_id"]:
            self.problem("missing_value", "error", row, "meeting_id")
            return
        meeting = self.read_meeting(row, cells, raw)
        if not cells["id"]:
            if any(cells[name] for name, _ in COLUMNS[5:]):
                self.problem("missing_value", "error", row, "id")
            return
        draft = self.drafts.get(cells["id"])
        if draft is None:
            recommendation = self.read_recommendation(row, cells, raw, meeting)
            if recommendation is None:
                return
            draft = self.drafts[cells["id"]] = _Draft(row, cells, recommendation)
        else:
            for name in _RECOMMENDATION_FIELDS:
                if cells[name] != draft.fields[name]:
                    self.problem("conflict", "error", row, name, cells[name], id=cells["id"], first_row=draft.row)
        self.read_change(row, cells, raw, draft)

    def read_meeting(self, row: int, cells: dict[str, str], raw: dict[str, object]) -> Meeting | None:
        known = self.meetings.get(cells["meeting_id"])
        if known is not None:
            first_row, first, meeting = known
            for name in _MEETING_FIELDS:
                if cells[name] != first[name]:
                    self.problem("conflict", "error", row, name, cells[name], id=cells["meeting_id"],
                                 first_row=first_row)
            return meeting
        if not cells["meeting_date"]:
            self.problem("missing_value", "error", row, "meeting_date")
            return None
        date = self.parsed(row, cells, raw, "meeting_date", parse_date)
        if date is None:
            return None
        meeting = Meeting(cells["meeting_id"], date, cells["place"], cells["participants"])
        self.meetings[meeting.id] = (row, cells, meeting)
        return meeting

    def read_recommendation(self, row: int, cells: dict[str, str], raw: dict[str, object],
                            meeting: Meeting | None) -> Recommendation | None:
        for name in ("text", "regions", "status"):
            if not cells[name]:
                self.problem("missing_value", "error", row, name)
        if not all(cells[name] for name in ("text", "regions", "status")):
            return None
        regions = self.parsed(row, cells, raw, "regions", lambda value: parse_regions(value, self.registry))
        status = self.parsed(row, cells, raw, "status", parse_status)
        due = self.parsed(row, cells, raw, "due", parse_date) if cells["due"] else None
        if regions is None or status is None or (cells["due"] and due is None) or meeting is None:
            return None
        if due is not None and due < meeting.date:
            self.problem("due_before_meeting", "warning", row, "due", cells["due"],
                         meeting_date=meeting.date.isoformat())
        return Recommendation(cells["id"], meeting.id, cells["text"], regions, cells["owner"], due, status,
                              cells["evidence"], cells["notes"])

    def read_change(self, row: int, cells: dict[str, str], raw: dict[str, object], draft: _Draft) -> None:
        if not any(cells[name] for name in _CHANGE_FIELDS):
            return
        for name in ("change_status", "change_at"):
            if not cells[name]:
                self.problem("missing_value", "error", row, name)
        if not (cells["change_status"] and cells["change_at"]):
            return
        status = self.parsed(row, cells, raw, "change_status", parse_status)
        at = self.parsed(row, cells, raw, "change_at", parse_date)
        if status is None or at is None:
            return
        if draft.history and at < draft.history[-1].at:
            self.problem("history_order", "error", row, "change_at", cells["change_at"], id=cells["id"])
        draft.history.append(StatusChange(status, at, cells["change_by"], cells["change_note"]))

    def result(self) -> FollowupLoad:
        recommendations = []
        for draft in self.drafts.values():
            recommendation = replace(draft.recommendation, history=tuple(draft.history))
            if draft.history and draft.history[-1].status != recommendation.status:
                self.problem("status_mismatch", "error", draft.row, "status", recommendation.status,
                             last=draft.history[-1].status, id=recommendation.id)
            recommendations.append(recommendation)
        problems = tuple(self.problems)
        if any(problem.severity == "error" for problem in problems):
            return FollowupLoad(None, problems)
        meetings = tuple(meeting for _, _, meeting in self.meetings.values())
        return FollowupLoad(FollowUp(meetings, tuple(recommendations)), problems)


def load_followup(name: str, content: bytes, registry: Registry | None = None) -> FollowupLoad:
    """Read a follow-up file (CSV, or the first sheet of an XLSX) written in the layout of ``COLUMNS``."""
    try:
        sheets = read_sheets(name, content, Deadline(PARSE_TIMEOUT_S))
    except Rejected as rejected:
        return FollowupLoad(None, (FollowupProblem(rejected.code, "error", rejected.row, None, rejected.value,
                                                   dict(rejected.params)),))
    (header_row, headers), *rows = sheets[0].rows or [(0, [])]
    positions = _header_positions(headers)
    missing = [HEADERS[name] for name in REQUIRED_FIELDS if name not in positions]
    if missing:
        return FollowupLoad(None, (FollowupProblem("missing_columns", "error", header_row, None, None,
                                                   {"columns": ", ".join(missing)}),))
    reader = _Reader(registry or load_registry())
    for row, cells in rows:
        reader.read_row(row, {name: cells[index] if index < len(cells) else None
                              for name, index in positions.items()})
    return reader.result()


def load_demo_followup() -> FollowUp:
    """The demo follow-up (data/demo_followup.csv); it always loads, a test sees to that."""
    loaded = load_followup(DEMO_FOLLOWUP_PATH.name, DEMO_FOLLOWUP_PATH.read_bytes())
    if loaded.followup is None:
        raise ValueError(f"{DEMO_FOLLOWUP_PATH} does not load: {[p.code for p in loaded.problems]}")
    return loaded.followup


def _rows(followup: FollowUp) -> list[list[object]]:
    """The file's rows below the header: one per status change, one for a recommendation without changes, one for a
    meeting without recommendations."""
    rows: list[list[object]] = []
    for meeting in followup.meetings:
        meeting_cells: list[object] = [meeting.id, meeting.date, meeting.place, meeting.participants]
        own = [item for item in followup.recommendations if item.meeting_id == meeting.id]
        if not own:
            rows.append(meeting_cells + [""] * (len(COLUMNS) - len(meeting_cells)))
        for item in own:
            cells = meeting_cells + [item.id, item.text, REGION_SEPARATOR.join(item.regions), item.owner,
                                     item.due or "", item.status, item.evidence, item.notes]
            for change in item.history or (None,):
                rows.append(cells + (["", "", "", ""] if change is None else
                                     [change.status, change.at, change.by, change.note]))
    return rows


def followup_csv(followup: FollowUp) -> bytes:
    """The follow-up as a CSV (UTF-8 with a byte-order mark, so that Excel shows the accents)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in COLUMNS])
    for cells in _rows(followup):
        writer.writerow([value.isoformat() if isinstance(value, dt.date) else value for value in cells])
    return buffer.getvalue().encode("utf-8-sig")


def followup_xlsx(followup: FollowUp) -> bytes:
    """The follow-up as a workbook with one sheet; dates are Excel dates."""
    from openpyxl import Workbook  # imported here: CSV users never need it

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _, header in COLUMNS])
    for cells in _rows(followup):
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
