"""The validation report as people read it: the same problem on many rows is one line, and a one-line verdict.

``monev.dataset`` finds every problem, one per cell or row. Here the problems that say the same thing in the same
column are grouped into one ``ProblemLine`` whose rows are written as ranges ("2–5, 8, 10–11") and whose values are
listed once. Every place that shows a report (the data page, its download, the command line) builds it from here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from monev import fmt, i18n
from monev.dataset import LoadResult, Problem

# A line lists at most this many of its values and row ranges; "… and 40 more" says how many were left out.
MAX_VALUES_SHOWN = 5
MAX_ROW_RANGES_SHOWN = 20
# Stands for the values in a message that several values share; replaced by the list of them.
_VALUES_MARK = "\x00values\x00"


@dataclass(frozen=True)
class ProblemLine:
    """One line of the report: one problem, with every row and value it was found at, worded in a language."""

    severity: str
    code: str
    column: str | None
    rows: tuple[int, ...]
    rows_text: str
    values: tuple[str, ...]
    values_text: str
    message: str
    fix: str
    count: int
    sheet: str | None = None  # in a workbook with several sheets of data, the rows are that sheet's

    def where(self, lang: str) -> str:
        """Where the problem is, as the line starts: "Baris 2–11, kolom 'Periode'" ("" for the whole file)."""
        parts = [i18n.t("report.at_sheet", lang, sheet=self.sheet)] if self.sheet else []
        if self.rows:
            parts.append(i18n.t("report.at_row" if len(self.rows) == 1 else "report.at_rows", lang,
                                rows=self.rows_text))
        if self.column:
            parts.append(i18n.t("report.at_column", lang, column=self.column))
        where = ", ".join(parts)
        return where[:1].upper() + where[1:]

    def text(self, lang: str) -> str:
        """The line as one sentence: where, then what is wrong."""
        where = self.where(lang)
        return f"{where}: {self.message}" if where else self.message

    def values_in_file(self, lang: str) -> str:
        """The values as the file wrote them, quoted ("'5.000', 'abc'"), or "" when the message already shows them."""
        if all(value in self.message for value in self.values):
            return ""
        return _shortened([f"'{value}'" for value in self.values], MAX_VALUES_SHOWN, lang)


def row_ranges(rows: Iterable[int], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Row numbers as people write them: [2, 3, 4, 5, 8, 10, 11] -> "2–5, 8, 10–11"."""
    ranges: list[list[int]] = []
    for row in sorted(set(rows)):
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    # Row numbers are positions, written like Excel's row header: no thousands separator.
    texts = [str(first) if first == last else f"{first}–{last}" for first, last in ranges]
    return _shortened(texts, MAX_ROW_RANGES_SHOWN, lang)


def _shortened(texts: Sequence[str], limit: int, lang: str) -> str:
    if len(texts) <= limit:
        return ", ".join(texts)
    more = i18n.t("report.more", lang, count=fmt.number(len(texts) - limit, lang))
    return f"{', '.join(texts[:limit])} {more}"


def _group_key(problem: Problem) -> tuple[object, ...]:
    # Everything a message or fix is worded from except the row and the value: problems equal in all of it say
    # the same thing, so their rows and values are listed on one line.
    return (problem.severity, problem.code, problem.sheet, problem.column, repr(sorted(problem.params.items())))


def _line(problems: list[Problem], lang: str) -> ProblemLine:
    first = problems[0]
    values = tuple(dict.fromkeys(p.value for p in problems if p.value))
    values_text = _shortened(values, MAX_VALUES_SHOWN, lang)
    message = first.message(lang)
    if len(values) > 1:
        # The message names one value ('{value}'); it names them all, quoted like one.
        quoted = _shortened([f"'{value}'" for value in values], MAX_VALUES_SHOWN, lang)
        marked = dataclasses.replace(first, value=_VALUES_MARK).message(lang)
        message = marked.replace(f"'{_VALUES_MARK}'", quoted).replace(_VALUES_MARK, values_text)
    rows = tuple(sorted({p.row for p in problems if p.row is not None}))
    return ProblemLine(severity=first.severity, code=first.code, column=first.column, rows=rows,
                       rows_text=row_ranges(rows, lang), values=values, values_text=values_text, message=message,
                       fix=first.fix(lang), count=len(problems), sheet=first.sheet)


def group_problems(problems: Iterable[Problem], lang: str = i18n.DEFAULT_LANGUAGE) -> list[ProblemLine]:
    """The problems as report lines: one per problem said alike in the same column, in the order first found."""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for problem in problems:
        groups.setdefault(_group_key(problem), []).append(problem)
    return [_line(group, lang) for group in groups.values()]


def _counted(noun: str, count: int, lang: str) -> str:
    return fmt.counted(f"report.count_{noun}", count, lang)


def verdict(result: LoadResult, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The report's first line: whether the file loads, with how many errors and warnings, or its shape when clean."""
    lines = group_problems(result.problems, lang)
    errors = [line for line in lines if line.severity == "error"]
    warnings = sum(line.severity == "warning" for line in lines)
    data = result.data
    if data is None:
        details = _counted("error", len(errors), lang)
        error_rows = {row for line in errors for row in line.rows}
        if error_rows:
            details += f" ({_counted('row', len(error_rows), lang)})"
        if warnings:
            details += f", {_counted('warning', warnings, lang)}"
        return i18n.t("report.verdict_rejected", lang, details=details)
    first, last = fmt.month(data.periods[0], lang), fmt.month(data.latest_period, lang)
    shape = i18n.t("report.shape", lang, regions=_counted("region", len(data.region_codes), lang),
                   months=_counted("month", len(data.periods), lang),
                   span=first if first == last else f"{first} – {last}")
    if warnings:
        return i18n.t("report.verdict_warnings", lang, warnings=_counted("warning", warnings, lang), shape=shape)
    return i18n.t("report.verdict_clean", lang, shape=shape)


def line_dicts(lines: Iterable[ProblemLine]) -> Iterator[dict[str, object]]:
    """Report lines as plain dicts (for JSON output)."""
    for line in lines:
        yield dataclasses.asdict(line)


def problem_dicts(problems: Iterable[Problem], lang: str) -> Iterator[dict[str, object]]:
    """Problems one by one as plain dicts (for JSON output), each with its message and fix."""
    for problem in problems:
        yield {**dataclasses.asdict(problem), "message": problem.message(lang), "fix": problem.fix(lang)}
