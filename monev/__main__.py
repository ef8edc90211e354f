"""Command line: validate, summary, simulate, allocate, boundaries, report, backup, restore, doctor, groups,
followup, compliance, score (``--help``).

Exit codes: 0 done, 1 the file cannot be loaded (or the period is not in it; or a backup or restore was refused;
or a check of `doctor` failed),
2 wrong usage or internal error, 141 the output's reader stopped reading (``| head``), which ends quietly.
Never a traceback: every failure is a sentence in the chosen language.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import getpass
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from monev import fmt, i18n, periods
from monev.access import COMMAND_LINE, hash_password
from monev.allocation import STRATEGIES, allocate
from monev.compliance import (
    DEMO_FILE,
    ChecklistResult,
    ComplianceEntry,
    load_items,
    read_checklist,
    region_label,
    status_label,
    status_matrix,
)
from monev.dataset import CoverageData, LoadResult, load_dataset, load_demo
from monev.exports import data_xlsx
from monev.followup import FollowupItem, date_text, load_demo_followup, load_followup, meeting_start, status_text
from monev.geo import download_boundaries, load_boundaries, parse_boundaries
from monev.group_dataset import GroupData, load_group_dataset, load_group_demo
from monev.group_indicators import GroupMatrix, group_matrix
from monev.indicators import NATIONAL_RATE_DEFAULT, province_summary, region_indicators
from monev.month_update import describe_months, merge_months
from monev.problem_report import group_problems, line_dicts, problem_dicts, verdict
from monev.regions import load_registry
from monev.scorecard import (
    DIMENSIONS,
    SELF_ASSESSMENT_NOTE,
    WEIGHTS_NOTE,
    RegionScore,
    ScoreError,
    coverage_rates,
    parse_weights,
    score_regions,
)
from monev.sentences import DataOrigin
from monev.simulation import (
    DEFAULT_COST_IDR_PER_MONTH,
    DEFAULT_MONTHS_FUNDED,
    DEFAULT_PROVINCE_SHARE,
    CostParameters,
    additions_for_targets,
    simulate,
    summary_text,
    validate_inputs,
)
from monev.target_groups import load_target_groups

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
# The status a shell reports for a command ended by a closed pipe (128 + SIGPIPE), as `yes | head -1` does.
EXIT_BROKEN_PIPE = 128 + 13
_Value = TypeVar("_Value", int, float)  # a per-region value typed on the command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m monev", description="Monev Jamsostek: coverage data tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a CSV/XLSX coverage file and list every problem")
    validate.add_argument("file", type=Path)
    validate.add_argument("--period", help="YYYY-MM: the month of a file that names none (no period column, title, "
                                           "sheet name or file name with a month)")

    merge = commands.add_parser("merge", help="lay the months of NEW over CURRENT (other months kept) into OUT")
    merge.add_argument("current", type=Path, help="the coverage file in use")
    merge.add_argument("new", type=Path, help="a file with the months to add or replace")
    merge.add_argument("--out", type=Path, required=True, help="where to write the merged file (.csv or .xlsx)")
    merge.add_argument("--period", help="YYYY-MM: the month of NEW when it names none")

    summary = commands.add_parser("summary", help="coverage per region and for the province")
    _add_data_source(summary)

    simulate = commands.add_parser("simulate", help="what-if: targets or additions per region -> coverage, cost")
    _add_data_source(simulate)
    wanted = simulate.add_mutually_exclusive_group(required=True)
    wanted.add_argument("--target-all", type=float, metavar="RATE", help="every region to RATE (fraction, 0.39)")
    wanted.add_argument("--targets", metavar="CODE=RATE,...", help="per-region target rates, e.g. 17.01=0.4,17.07=0.3")
    wanted.add_argument("--add", metavar="CODE=N,...", help="per-region additional participants, e.g. 17.07=5000")
    _add_cost_options(simulate)
    simulate.add_argument("--province-share", type=float, default=DEFAULT_PROVINCE_SHARE,
                          help="share of the cost paid by the province, 0..1 (default 0.5)")
    simulate.add_argument("--ceiling", type=float, help="yearly budget ceiling in Rupiah")

    allocate_parser = commands.add_parser("allocate", help="new enrolments per region that a yearly budget buys")
    _add_data_source(allocate_parser)
    allocate_parser.add_argument("--budget", type=float, required=True, help="yearly budget in Rupiah")
    allocate_parser.add_argument("--strategy", choices=STRATEGIES, required=True)
    allocate_parser.add_argument("--target", type=float, help="target rate for --strategy target (default: national)")
    _add_cost_options(allocate_parser)

    boundaries = commands.add_parser("boundaries", help="region boundaries for the map: check a GeoJSON or "
                                                        "download the public source (checksum-verified) into the cache")
    boundary_action = boundaries.add_subparsers(dest="action", required=True)
    check = boundary_action.add_parser("check", help="validate a boundary GeoJSON against the region registry")
    check.add_argument("file", type=Path)
    download = boundary_action.add_parser("download", help="fetch, verify (sha256) and cache the public boundaries")
    download.add_argument("--cache-dir", type=Path, help="default: $MONEV_CACHE_DIR or var/cache")
    download.add_argument("--base-url", help="default: the pinned source in data/boundaries.toml")

    groups = commands.add_parser("groups", help="target groups of Inpres 2/2021: registered ÷ eligible per region "
                                                "and group, and the province's totals per group")
    group_source = groups.add_mutually_exclusive_group(required=True)
    group_source.add_argument("file", nargs="?", type=Path, help="a CSV/XLSX target-group file")
    group_source.add_argument("--demo", action="store_true", help="use the built-in target-group demo dataset")
    groups.add_argument("--period", help="YYYY-MM (default: the latest month in the data); also the month of a file "
                                         "that names none")

    for command in (validate, summary, simulate, allocate_parser, check, download, groups):
        command.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
        command.add_argument("--json", action="store_true", help="machine-readable output")
    merge.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)

    password = commands.add_parser(
        "hash-password", help="hash an editor's password for [editors.passwords] in .streamlit/secrets.toml",
        description="Asks for the password twice (or reads one line from standard input when it is not a "
                    "terminal) and prints its salted scrypt hash; the password itself is never stored.")
    password.add_argument("--account", help="the editor's account name: print a ready-to-paste TOML line")
    password.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)

    report = commands.add_parser("report", help="meeting pack (slides) as PPTX or PDF")
    _add_data_source(report)
    report.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
    report.add_argument("--format", choices=("pptx", "pdf"), required=True)
    report.add_argument("--out", type=Path, required=True, metavar="PATH", help="file to write")
    report.add_argument("--date", metavar="YYYY-MM-DD", help="meeting date shown on the title slide and its notes "
                        "(default: today in MONEV_TIMEZONE, Asia/Jakarta unless set)")

    backup = commands.add_parser("backup", help="write every dataset version, scenario, column mapping and audit "
                                                "entry into one archive (zip with a manifest)")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE", help="archive to write")
    restore = commands.add_parser("restore", help="recreate an archive's rows in an empty database",
                                  description="Checks the whole archive (members, sha256, counts) first; a damaged "
                                              "archive or a database that is not empty is refused and nothing is "
                                              "written.")
    restore.add_argument("file", type=Path, help="archive written by `backup`")
    restore.add_argument("--replace", action="store_true",
                         help="empty a database that is not empty first (in the same transaction)")
    doctor = commands.add_parser("doctor", help="check this deployment: database and schema, boundaries, secrets, "
                                                "cache folder; says what to fix",
                                 description="Changes nothing. Run it as the account that runs the app. Exit code 1 "
                                             "when a check failed (warnings do not count).")
    doctor.add_argument("--cache-dir", type=Path, help="default: $MONEV_CACHE_DIR or var/cache")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    for command in (backup, restore, doctor):
        command.add_argument("--database-url", help="default: $MONEV_DATABASE_URL or the embedded SQLite file")
        command.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)

    followup = commands.add_parser("followup", help="Monev follow-up: recommendations with their status, overdue "
                                                    "ones flagged, those done since the previous meeting")
    followup_source = followup.add_mutually_exclusive_group(required=True)
    followup_source.add_argument("file", nargs="?", type=Path, help="a follow-up CSV/XLSX (layout of `--demo`)")
    followup_source.add_argument("--demo", action="store_true", help="the illustrative meeting of 20 Nov 2024")
    followup.add_argument("--open", action="store_true", help="only the recommendations still open")
    followup.add_argument("--at", metavar="YYYY-MM-DD", help="the date looked from (default: today in "
                                                              "MONEV_TIMEZONE)")
    followup.add_argument("--json", action="store_true", help="machine-readable output")
    followup.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)

    checklist = commands.add_parser("compliance", help="compliance checklist: status of every item per region "
                                                       "(regulation, RKPD, APBD, MoU/PKS, NPHD, sanctions)")
    score = commands.add_parser("score", help="self-assessment scorecard in the spirit of the Paritrana Award: "
                                              "ranking and the step that raises each region's score most")
    for command in (checklist, score):
        source = command.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", type=Path, help="a compliance checklist (CSV/XLSX)")
        source.add_argument("--demo", action="store_true", help="use the built-in demo checklist")
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
    checklist.add_argument("--on", metavar="YYYY-MM-DD", help="agreements expired by this date (default: today)")
    score.add_argument("--coverage", type=Path, metavar="FILE",
                       help="coverage data to score coverage on (default with --demo: the demo dataset)")
    score.add_argument("--period", help="YYYY-MM of the coverage data (default: its latest month)")
    score.add_argument("--yardstick", type=float, default=NATIONAL_RATE_DEFAULT,
                       help="coverage rate that scores 100, as a fraction (default 0.39, the national average)")
    score.add_argument("--weights", metavar="DIMENSION=W,...",
                       help="weights of regulation, coverage, budget, innovation, employer_compliance (default 1 each)")
    score.add_argument("--innovation", metavar="CODE=SCORE,...", help="manual innovation scores 0-100 per region")
    return parser


def _add_data_source(command: argparse.ArgumentParser) -> None:
    source = command.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path)
    source.add_argument("--demo", action="store_true", help="use the built-in demo dataset")
    command.add_argument("--period", help="YYYY-MM (default: the latest month in the data); also the month of a "
                                          "file that names none")
    command.add_argument("--national", type=float, default=NATIONAL_RATE_DEFAULT,
                         help="national coverage as a fraction (default 0.39)")


def _add_cost_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--cost", type=float, default=DEFAULT_COST_IDR_PER_MONTH,
                         help="Rupiah per worker per month (default 16800 = JKK 10000 + JKM 6800)")
    command.add_argument("--months", type=int, default=DEFAULT_MONTHS_FUNDED, help="months funded (default 12)")


class _CliError(Exception):
    """A problem with the command's input, already worded for the user."""


def _data_and_period(args: argparse.Namespace) -> tuple[CoverageData, str]:
    wanted = _period_argument(args.period, args.lang)
    if args.demo:
        data = load_demo()
    else:
        result = _load(args.file, wanted)
        if result.data is None:
            _print_problem_lines(result, args.lang)
            raise _CliError(verdict(result, args.lang))
        data = result.data
    period = wanted or data.latest_period
    if period not in data.periods:
        raise _CliError(i18n.t("cli.unknown_period", args.lang, period=period, available=", ".join(data.periods)))
    return data, period


def _per_region(text: str, lang: str, convert: Callable[[str], _Value]) -> dict[str, _Value]:
    """'17.01=0.4,Lebong=0.3' -> {'17.01': 0.4, '17.07': 0.3}; regions by code or any known name."""
    registry = load_registry()
    values: dict[str, _Value] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        region, separator, raw = item.partition("=")
        match = registry.match(region)
        if not separator or match.code is None:
            raise _CliError(i18n.t("cli.bad_region_value", lang, item=item))
        try:
            values[match.code] = convert(raw)
        except ValueError:
            raise _CliError(i18n.t("cli.bad_region_value", lang, item=item)) from None
    return values


def _period_argument(text: str | None, lang: str) -> str | None:
    """--period as 'YYYY-MM' ('2024-10', '10/2024' and 'Okt 2024' are understood too)."""
    if not text:
        return None
    period = periods.parse_period(text)
    if period is None:
        raise _CliError(i18n.t("cli.bad_period", lang, period=text))
    return period


def _load(path: Path, period: str | None) -> LoadResult:
    """The file loaded; ``period`` ('YYYY-MM') is its month when nothing in the file names one."""
    return load_dataset(path.name, path.read_bytes(), period=period)


def _print_problem_lines(result: LoadResult, lang: str) -> None:
    for line in group_problems(result.problems, lang):
        print(f"[{i18n.t(f'severity.{line.severity}', lang)}] {line.text(lang)} ({line.code})")
        print(f"    → {line.fix}")


def run_validate(args: argparse.Namespace) -> int:
    result = _load(args.file, _period_argument(args.period, args.lang))
    if args.json:
        print(json.dumps({
            "file": str(args.file),
            "loadable": result.ok,
            "verdict": verdict(result, args.lang),
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "layout": dataclasses.asdict(result.layout) if result.layout else None,
            "lines": list(line_dicts(group_problems(result.problems, args.lang))),
            "problems": list(problem_dicts(result.problems, args.lang)),
        }, ensure_ascii=False, indent=2, default=str))
    else:
        print(verdict(result, args.lang))
        _print_problem_lines(result, args.lang)
    return EXIT_OK if result.ok else EXIT_INVALID


def run_merge(args: argparse.Namespace) -> int:
    lang = args.lang
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _CliError(i18n.t("cli.merge_output", lang, path=args.out))
    loaded = []
    new_period = _period_argument(args.period, lang)
    for path, period in ((args.current, None), (args.new, new_period)):
        if not path.is_file():
            raise _CliError(i18n.t("cli.not_found", lang, path=path))
        result = _load(path, period)
        if result.data is None:
            _print_problem_lines(result, lang)
            raise _CliError(i18n.t("cli.merge_invalid", lang, file=path.name))
        loaded.append(result.data)
    current, new = loaded
    update = merge_months(current, new)
    merged = update.result.data
    if merged is None:
        _print_problem_lines(update.result, lang)
        raise _CliError(i18n.t("cli.merge_invalid", lang, file=update.file_name))
    args.out.write_bytes(update.content if suffix == ".csv" else data_xlsx(merged, lang))
    print(i18n.t("cli.merged", lang, replaced=describe_months(update.replaced, lang),
                 added=describe_months(update.added, lang), kept=describe_months(update.kept, lang), path=args.out))
    if merged.warnings:
        print(verdict(update.result, lang))
        _print_problem_lines(update.result, lang)
    return EXIT_OK


def _json_number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def run_summary(args: argparse.Namespace) -> int:
    data, period = _data_and_period(args)
    province = province_summary(data, period, args.national)
    regions = region_indicators(data, period, args.national)
    if args.json:
        print(json.dumps({
            "source": data.source_name,
            "demo": data.is_demo,
            "period": period,
            "national_rate": args.national,
            "province": {
                "rate": province.rate,
                "participants": province.participants,
                "potential_workers": province.potential_workers,
                "segments": province.segments,
                "regions_at_or_above_national": province.regions_at_or_above_national,
                "region_count": province.region_count,
                "gap_national": province.gap_national,
                "target_rate": _json_number(province.target_rate),
            },
            "regions": [
                {
                    "code": row.region_code,
                    "name": row.region_name,
                    "rank": int(row.rank),
                    "rate": float(row.rate),
                    "participants": int(row.participants),
                    "potential_workers": int(row.potential_workers),
                    "gap_national": float(row.gap_national),
                    "target_rate": _json_number(row.target_rate),
                }
                for row in regions.itertuples()
            ],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    lang = args.lang
    province_name = i18n.t("app.province", lang, province=load_registry().province_name)
    print(f"{province_name} · {fmt.month(period, lang)} · {data.source_name}")
    header = (f"{i18n.t('table.rank', lang):>4}  {i18n.t('table.region', lang):<20} {i18n.t('table.rate', lang):>9}"
              f"  {i18n.t('table.participants', lang):>15}  {i18n.t('table.potential_workers', lang):>17}")
    print(header)
    for row in regions.itertuples():
        print(f"{row.rank:>4}  {row.region_name:<20} {fmt.percent(row.rate, lang):>9}  "
              f"{fmt.number(row.participants, lang):>15}  {fmt.number(row.potential_workers, lang):>17}")
    print(f"{'':>4}  {i18n.t('cli.province', lang):<20} {fmt.percent(province.rate, lang):>9}  "
          f"{fmt.number(province.participants, lang):>15}  {fmt.number(province.potential_workers, lang):>17}")
    print(f"{'':>4}  {i18n.t('kpi.national', lang, rate=fmt.percent(args.national, lang))}")
    return EXIT_OK


def run_simulate(args: argparse.Namespace) -> int:
    data, period = _data_and_period(args)
    lang = args.lang
    baseline = region_indicators(data, period, args.national)
    names = dict(zip(baseline["region_code"], baseline["region_name"]))
    added: dict[str, int] = {}
    targets: dict[str, float] = {}
    if args.add is not None:
        mode, added = "add", _per_region(args.add, lang, int)
    elif args.targets is not None:
        mode, targets = "target", _per_region(args.targets, lang, float)
    else:
        mode, targets = "target", {code: args.target_all for code in baseline["region_code"]}
    problems = validate_inputs(baseline, mode=mode, values=added if mode == "add" else targets, names=names)
    for problem in problems:
        print(f"[{i18n.t(f'severity.{problem.severity}', lang)}] {problem.message(lang)}", file=sys.stderr)
    if any(problem.severity == "error" for problem in problems):
        return EXIT_INVALID
    additions = added if mode == "add" else additions_for_targets(baseline, targets)
    parameters = CostParameters(cost_idr_per_month=args.cost, months_funded=args.months,
                                province_share=args.province_share, budget_ceiling_idr=args.ceiling)
    result = simulate(baseline, additions, parameters=parameters, national_rate=args.national)
    if args.json:
        print(json.dumps({
            "period": period, "demo": data.is_demo, "national_rate": args.national,
            "cost_idr_per_worker_month": args.cost, "months_funded": args.months,
            "province": {
                "rate_before": result.rate_before, "rate_after": result.rate_after,
                "participants_added": result.participants_added,
                "cost_idr_per_month": result.cost_idr_per_month, "cost_idr_per_year": result.cost_idr_per_year,
                "cost_idr_per_point": _json_number(result.cost_idr_per_point),
                "regions_at_national_before": result.regions_at_national_before,
                "regions_at_national_after": result.regions_at_national_after,
                "budget_left_idr": _json_number(result.budget_left_idr),
            },
            "regions": [
                {"code": row.region_code, "name": row.region_name, "rate_before": float(row.rate),
                 "rate_after": float(row.rate_after), "additional": int(row.additional),
                 "cost_idr_per_year": float(row.cost_idr_per_year)}
                for row in result.regions.itertuples()
            ],
            "summary": summary_text(result, lang),
        }, ensure_ascii=False, indent=2))
    else:
        print(summary_text(result, lang))
        for row in result.regions.itertuples():
            print(f"  {row.region_name:<20} {fmt.percent(row.rate, lang):>7} → {fmt.percent(row.rate_after, lang):>7}"
                  f"  +{fmt.number(row.additional, lang):>8}  {fmt.rupiah(row.cost_idr_per_year, lang):>16}")
    return EXIT_OK


def run_allocate(args: argparse.Namespace) -> int:
    data, period = _data_and_period(args)
    baseline = region_indicators(data, period, args.national)
    parameters = CostParameters(cost_idr_per_month=args.cost, months_funded=args.months)
    target = args.target if args.target is not None else args.national
    proposal = allocate(baseline, budget_idr_per_year=args.budget, strategy=args.strategy, parameters=parameters,
                        target_rate=target)
    result = simulate(baseline, proposal.additions, parameters=parameters, national_rate=args.national)
    after = result.regions.set_index("region_code")["rate_after"]
    if args.json:
        print(json.dumps({
            "period": period, "strategy": args.strategy, "budget_idr_per_year": args.budget,
            "target_rate": target if args.strategy == "target" else None,
            "workers": proposal.workers, "cost_idr_per_year": proposal.cost_idr_per_year,
            "regions_reaching_target": proposal.regions_reaching_target,
            "min_rate_after": proposal.min_rate_after,
            "rate_before": result.rate_before, "rate_after": result.rate_after,
            "additions": proposal.additions,
            "rates_after": {code: float(rate) for code, rate in after.items()},
            "explanation": proposal.explanation(args.lang),
        }, ensure_ascii=False, indent=2))
    else:
        print(proposal.explanation(args.lang))
        names = dict(zip(baseline["region_code"], baseline["region_name"]))
        for code, added in proposal.additions.items():
            print(f"  {names[code]:<20} +{fmt.number(added, args.lang):>8}  → {fmt.percent(after[code], args.lang)}")
    return EXIT_OK


def run_boundaries(args: argparse.Namespace) -> int:
    if args.action == "check":
        result = parse_boundaries(args.file.read_bytes(), source=str(args.file))
    else:
        result = download_boundaries(COMMAND_LINE, cache_dir=args.cache_dir, base_url=args.base_url)
    if args.json:
        print(json.dumps({
            "ok": result.ok,
            "source": result.boundaries.source if result.boundaries else None,
            "regions": sorted(result.boundaries.features) if result.boundaries else [],
            "problems": [{"code": p.code, "params": p.params, "message": p.message(args.lang)}
                         for p in result.problems],
        }, ensure_ascii=False, indent=2, default=str))
    else:
        for problem in result.problems:
            print(f"[{i18n.t('severity.error', args.lang)}] {problem.code}: {problem.message(args.lang)}")
        if result.boundaries is not None:
            print(fmt.counted("cli.boundaries_ok", len(result.boundaries.features), args.lang,
                              source=result.boundaries.source))
    return EXIT_OK if result.ok else EXIT_INVALID


def run_report(args: argparse.Namespace) -> int:
    # Imported here: charts, vl-convert and the document writers are heavy, and only this command needs them.
    from monev.report import build_meeting_pack, to_pdf, to_pptx

    data, period = _data_and_period(args)
    lang = args.lang
    try:
        meeting_date = dt.date.fromisoformat(args.date) if args.date else fmt.today()
    except ValueError:
        raise _CliError(i18n.t("pack.bad_date", lang, value=args.date)) from None
    if not args.out.parent.is_dir():  # said before the seconds of drawing, not after
        raise _CliError(i18n.t("pack.write_failed", lang, path=args.out, reason=os.strerror(errno.ENOENT)))
    boundaries = load_boundaries().boundaries
    if boundaries is None:
        print(i18n.t("pack.no_boundaries", lang), file=sys.stderr)

    def progress(step: int, total: int, label: str) -> None:
        print(f"[{step}/{total}] {label}", file=sys.stderr)

    # A file outside the store has no version number; the start of its checksum identifies it just as well.
    origin = DataOrigin(data.source_name, data.is_demo, version_id=data.checksum[:8])
    pack = build_meeting_pack(data, origin=origin, period=period, lang=lang,
                              national_rate=args.national, boundaries=boundaries, meeting_date=meeting_date,
                              progress=progress)
    content = to_pptx(pack) if args.format == "pptx" else to_pdf(pack)
    try:
        args.out.write_bytes(content)
    except OSError as error:
        raise _CliError(i18n.t("pack.write_failed", lang, path=args.out, reason=error.strerror or error)) from None
    print(i18n.t("pack.written", lang, path=args.out, size=f"{fmt.number(len(content) / 1024, lang)} KB"))
    return EXIT_OK


# Shorter passwords fall to guessing too quickly, even against a slow hash.
MIN_PASSWORD_LENGTH = 10


def run_hash_password(args: argparse.Namespace) -> int:
    lang = args.lang
    if sys.stdin.isatty():
        password = getpass.getpass(i18n.t("cli.password_prompt", lang))
        if password != getpass.getpass(i18n.t("cli.password_repeat", lang)):
            raise _CliError(i18n.t("cli.password_mismatch", lang))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _CliError(i18n.t("cli.password_too_short", lang, minimum=MIN_PASSWORD_LENGTH))
    encoded = hash_password(password)
    print(f"{json.dumps(args.account.strip())} = {json.dumps(encoded)}" if args.account else encoded)
    return EXIT_OK


@contextmanager
def _backup_errors(lang: str) -> Iterator[None]:
    """A refused archive or an unreachable database, as the sentence the user reads."""
    from monev.backup import BackupRefused
    from monev.store import StoreUnavailable

    try:
        yield
    except BackupRefused as error:
        raise _CliError(error.message(lang)) from None
    except StoreUnavailable as error:
        raise _CliError(i18n.t("backup.unavailable", lang, error=error)) from None


def run_backup(args: argparse.Namespace) -> int:
    # Imported here: SQLAlchemy and Alembic are for these two commands only.
    from monev.backup import backup
    from monev.store import database_url

    lang = args.lang
    if not args.out.parent.is_dir():
        raise _CliError(i18n.t("backup.write_failed", lang, path=args.out, reason=os.strerror(errno.ENOENT)))
    with _backup_errors(lang):
        try:
            summary = backup(args.database_url or database_url(), args.out)
        except OSError as error:
            raise _CliError(i18n.t("backup.write_failed", lang, path=args.out,
                                   reason=error.strerror or error)) from None
    size = f"{fmt.number(summary.size_bytes / 1024, lang)} KB"
    print(i18n.t("backup.written", lang, path=args.out, size=size, contents=summary.contents(lang)))
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from monev.backup import restore
    from monev.store import database_url

    lang = args.lang
    with _backup_errors(lang):
        summary = restore(args.file, args.database_url or database_url(), replace=args.replace)
    active = summary.active_version_id
    print(i18n.t("backup.restored", lang, path=args.file, contents=summary.contents(lang),
                 active=i18n.t("backup.no_active", lang) if active is None else fmt.number(active, lang)))
    return EXIT_OK


_DOCTOR_MARKS = {"ok": "✓", "warning": "!", "failed": "✗"}


def run_doctor(args: argparse.Namespace) -> int:
    # Imported here: SQLAlchemy, Alembic and shapely are for this command only.
    from monev.doctor import failed, run_checks

    lang = args.lang
    checks = run_checks(database_url=args.database_url, cache_dir=args.cache_dir)
    if args.json:
        print(json.dumps([{"area": check.area, "status": check.status.value, "code": check.code,
                           "message": check.message(lang)} for check in checks], ensure_ascii=False, indent=2))
    else:
        for check in checks:
            print(f"{_DOCTOR_MARKS[check.status]} {i18n.t(f'doctor.area.{check.area}', lang)}: {check.message(lang)}")
        problems = sum(check.status != "ok" for check in checks)
        print(fmt.counted("doctor.summary", problems, lang) if problems else i18n.t("doctor.all_ok", lang))
    return EXIT_INVALID if failed(checks) else EXIT_OK


def _group_data(args: argparse.Namespace) -> tuple[GroupData, str]:
    wanted = _period_argument(args.period, args.lang)
    if args.demo:
        data = load_group_demo()
    else:
        result = load_group_dataset(args.file.name, args.file.read_bytes(), period=wanted)
        if result.data is None:
            for line in group_problems(result.problems, args.lang):
                print(f"[{i18n.t(f'severity.{line.severity}', args.lang)}] {line.text(args.lang)} ({line.code})")
                print(f"    → {line.fix}")
            raise _CliError(i18n.t("groups.rejected", args.lang,
                                   errors=fmt.counted("report.count_error", len(result.errors), args.lang)))
        data = result.data
    period = wanted or data.latest_period
    if period not in data.periods:
        raise _CliError(i18n.t("cli.unknown_period", args.lang, period=period, available=", ".join(data.periods)))
    return data, period


def _indicators_json(values: object) -> dict[str, object]:
    """One cell or total of the matrix: the raw counts and the share (None when nobody is eligible)."""
    eligible, registered, unprotected, share = (getattr(values, key) for key in
                                                ("eligible", "registered", "unprotected", "share"))
    return {"eligible": int(eligible), "registered": int(registered), "unprotected": int(unprotected),
            "share": _json_number(float(share))}


def _group_region_name(code: str, lang: str) -> str:
    registry = load_registry()
    if code == registry.province_code:
        return i18n.t("groups.province_funder", lang, province=registry.province_name)
    return registry.display_name(code)


def _group_cell_text(values: object, lang: str) -> str:
    if values is None:
        return i18n.t("groups.no_rows", lang)
    eligible, registered, share = (getattr(values, key) for key in ("eligible", "registered", "share"))
    shown = fmt.percent(share, lang) if not math.isnan(share) else i18n.t("groups.no_rows", lang)
    return f"{fmt.number(int(registered), lang)}/{fmt.number(int(eligible), lang)} {shown}"


def _print_group_matrix(matrix: GroupMatrix, data: GroupData, lang: str) -> None:
    registry, groups = load_registry(), load_target_groups()
    print(i18n.t("groups.title", lang, province=registry.province_name, period=fmt.month(matrix.period, lang),
                 source=data.source_name))
    if data.is_demo:
        print(i18n.t("groups.demo", lang))
    for code in matrix.group_codes:
        print(f"  {code} = {groups.get(code).name(lang)}")
    width = 24
    print(f"{i18n.t('groups.region', lang):<26}" + "".join(f"{code:>{width}}" for code in matrix.group_codes))
    for region in matrix.region_codes:
        cells = "".join(f"{_group_cell_text(matrix.cell(region, code), lang):>{width}}"
                        for code in matrix.group_codes)
        print(f"{_group_region_name(region, lang):<26}{cells}")
    totals = "".join(f"{_group_cell_text(matrix.total(code), lang):>{width}}" for code in matrix.group_codes)
    print(f"{i18n.t('groups.total', lang):<26}{totals}")
    print()
    print(i18n.t("groups.totals_heading", lang))
    print(f"  {i18n.t('groups.group', lang):<44}{i18n.t('groups.eligible', lang):>12}"
          f"{i18n.t('groups.registered', lang):>12}{i18n.t('groups.share', lang):>15}"
          f"{i18n.t('groups.unprotected', lang):>19}")
    for row in matrix.totals.itertuples():
        share = fmt.percent(row.share, lang) if not math.isnan(row.share) else i18n.t("groups.no_rows", lang)
        print(f"  {groups.get(row.group_code).name(lang):<44}{fmt.number(int(row.eligible), lang):>12}"
              f"{fmt.number(int(row.registered), lang):>12}{share:>15}{fmt.number(int(row.unprotected), lang):>19}")


def run_groups(args: argparse.Namespace) -> int:
    data, period = _group_data(args)
    matrix = group_matrix(data, period)
    lang = args.lang
    if not args.json:
        _print_group_matrix(matrix, data, lang)
        return EXIT_OK
    groups = load_target_groups()
    print(json.dumps({
        "period": period, "demo": data.is_demo, "source": data.source_name,
        "groups": [{"code": code, "name": groups.get(code).name(lang)} for code in matrix.group_codes],
        "regions": [
            {"code": region, "name": _group_region_name(region, lang),
             "groups": {code: _indicators_json(cell) for code in matrix.group_codes
                        if (cell := matrix.cell(region, code)) is not None}}
            for region in matrix.region_codes
        ],
        "province": {row.group_code: _indicators_json(row) for row in matrix.totals.itertuples()},
    }, ensure_ascii=False, indent=2))
    return EXIT_OK


def _followup_mark(item: FollowupItem, lang: str) -> str:
    if item.overdue:
        return i18n.t("followup.mark_overdue", lang)
    if item.is_open:
        return i18n.t("followup.mark_open", lang)
    return i18n.t("followup.mark_done_since" if item.done_since_previous else "followup.mark_closed", lang)


def _date_argument(value: str | None, lang: str, error_key: str) -> dt.date:
    """A YYYY-MM-DD option's date, today (in MONEV_TIMEZONE) when it is not given; a sentence when it is no date."""
    try:
        return dt.date.fromisoformat(value) if value else fmt.today()
    except ValueError:
        raise _CliError(i18n.t(error_key, lang, value=value)) from None


def run_followup(args: argparse.Namespace) -> int:
    lang = args.lang
    at = _date_argument(args.at, lang, "followup.bad_date")
    if args.demo:
        followup = load_demo_followup()
    else:
        loaded = load_followup(args.file.name, args.file.read_bytes())
        for line in group_problems(loaded.problems, lang):
            print(f"[{i18n.t(f'severity.{line.severity}', lang)}] {line.text(lang)} ({line.code})\n    → {line.fix}",
                  file=sys.stderr)
        if loaded.followup is None:
            raise _CliError(i18n.t("followup.invalid", lang, file=args.file.name))
        followup = loaded.followup
    start = meeting_start(followup, at)
    items = start.open_items if args.open else start.items
    if args.json:
        print(json.dumps({
            "at": at.isoformat(), "demo": args.demo,
            "previous_meeting": dataclasses.asdict(start.previous) if start.previous else None,
            "open": len(start.open_items), "overdue": len(start.overdue_items), "done_since_previous":
                len(start.done_items),
            "recommendations": [{**dataclasses.asdict(item.recommendation), "status_at": item.status,
                                 "overdue": item.overdue, "done_since_previous": item.done_since_previous}
                                for item in items],
        }, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    if args.demo:
        print(i18n.t("followup.demo_note", lang))
    print(i18n.t("followup.heading", lang, date=date_text(at, lang)))
    previous = start.previous
    print(i18n.t("followup.previous", lang, date=date_text(previous.date, lang), place=previous.place)
          if previous else i18n.t("followup.no_previous", lang))
    registry = load_registry()
    for item in items:
        recommendation = item.recommendation
        regions = ", ".join(i18n.t("cli.province", lang) if code == registry.province_code
                            else registry.display_name(code) for code in recommendation.regions)
        due = (i18n.t("followup.due", lang, date=date_text(recommendation.due, lang)) if recommendation.due
               else i18n.t("followup.no_due", lang))
        print(f"[{_followup_mark(item, lang)}] {recommendation.id} · {regions} · {recommendation.owner} · {due} · "
              f"{status_text(item.status, lang)}\n    {recommendation.text}")
    if not items:
        print(i18n.t("followup.none_open", lang))
    print(fmt.counted("followup.summary", len(start.items), lang, open=fmt.number(len(start.open_items), lang),
                      overdue=fmt.number(len(start.overdue_items), lang),
                      done=fmt.number(len(start.done_items), lang)))
    return EXIT_OK


def _read_checklist(args: argparse.Namespace) -> ChecklistResult:
    """The checklist named on the command line (or the demo's); its problems printed when it does not load."""
    path = DEMO_FILE if args.demo else args.file
    result = read_checklist(path.name, path.read_bytes())
    if result.checklist is None:
        _print_checklist_problems(result, args.lang)
        raise _CliError(i18n.t("compliance.load_failed", args.lang, file=path.name))
    return result


def _print_checklist_problems(result: ChecklistResult, lang: str) -> None:
    for line in group_problems(result.problems, lang):
        print(f"[{i18n.t(f'severity.{line.severity}', lang)}] {line.text(lang)} ({line.code})", file=sys.stderr)
        print(f"    → {line.fix}", file=sys.stderr)


_STATUS_MARKS = {"ada": "✓", "sebagian": "½", "belum": "✗", "tidak_diketahui": "?"}


def _entry_dict(entry: ComplianceEntry, on: dt.date) -> dict[str, object]:
    return {**dataclasses.asdict(entry), "realisation_rate": entry.realisation_rate, "expired": entry.expired(on),
            "illustrative": entry.is_illustrative}


def run_compliance(args: argparse.Namespace) -> int:
    lang = args.lang
    on = _date_argument(args.on, lang, "compliance.bad_date")
    result = _read_checklist(args)
    checklist = result.checklist
    assert checklist is not None  # _read_checklist refuses a checklist that did not load
    items = load_items()
    matrix = status_matrix(checklist, items=items)
    if args.json:
        print(json.dumps({
            "source": "demo" if args.demo else str(args.file),
            "on": on,
            "items": [dataclasses.asdict(item) for item in items],
            "matrix": matrix,
            "entries": [_entry_dict(entry, on) for entry in checklist.entries],
            "problems": list(problem_dicts(result.problems, lang)),
        }, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    names = {code: region_label(code, lang=lang) for code in matrix}
    name_width = max(len(name) for name in (*names.values(), i18n.t("compliance.region", lang)))
    print(i18n.t("compliance.region", lang).ljust(name_width), *(item.code for item in items))
    for code, statuses in matrix.items():
        marks = (_STATUS_MARKS[statuses[item.code]].ljust(len(item.code)) for item in items)
        print(names[code].ljust(name_width), *marks)
    print(" · ".join(f"{mark} {status_label(status, lang)}" for status, mark in _STATUS_MARKS.items()))
    print(i18n.t("compliance.items_title", lang))
    for item in items:
        print(f"  {item.code}: {item.name(lang)} ({item.rule})")
    illustrative = sum(entry.is_illustrative for entry in checklist.entries)
    print(fmt.counted("compliance.summary", len(checklist.entries), lang, illustrative=fmt.number(illustrative, lang)))
    expired = [entry for entry in checklist.entries if entry.expired(on)]
    if expired:
        print(i18n.t("compliance.expired_title", lang, date=on.isoformat()))
        for entry in expired:
            print("  " + i18n.t("compliance.expired", lang, region=names[entry.region_code], item=entry.item_code,
                                number=entry.document_number, expiry=str(entry.expiry_date)))
    _print_checklist_problems(result, lang)
    return EXIT_OK


def run_score(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.coverage is None and not args.demo:
        raise _CliError(i18n.t("score.coverage_needed", lang))
    if args.coverage is not None and not args.coverage.is_file():
        raise _CliError(i18n.t("cli.not_found", lang, path=args.coverage))
    try:
        weights = parse_weights(args.weights or "")
        checklist = _read_checklist(args).checklist
        assert checklist is not None  # _read_checklist refuses a checklist that did not load
        coverage_source = argparse.Namespace(demo=args.coverage is None, file=args.coverage, period=args.period,
                                             lang=lang)
        data, period = _data_and_period(coverage_source)
        manual = _per_region(args.innovation, lang, float) if args.innovation else None
        card = score_regions(checklist, coverage_rates(data, period), yardstick_rate=args.yardstick,
                             weights=weights, innovation_scores=manual)
    except ScoreError as error:
        raise _CliError(error.message(lang)) from None
    dimension_names = {d: i18n.t(f"score.dimension.{d}", lang) for d in DIMENSIONS}
    yardstick = i18n.t("score.yardstick", lang, rate=fmt.percent(args.yardstick, lang), source=data.source_name,
                       period=fmt.month(period, lang))
    notes = [i18n.t(SELF_ASSESSMENT_NOTE, lang), i18n.t(WEIGHTS_NOTE, lang)]

    def step_text(region: RegionScore) -> str:
        if region.best_step is None:
            return i18n.t("score.no_step", lang)
        return i18n.t("score.next_step", lang, step=region.best_step.describe(lang, yardstick_rate=args.yardstick))

    if args.json:
        print(json.dumps({
            "self_assessment": notes[0],
            "weights_note": notes[1],
            "weights": dict(card.weights),
            "yardstick_rate": card.yardstick_rate,
            "coverage": {"source": data.source_name, "demo": data.is_demo, "period": period},
            "regions": [{
                "rank": region.rank,
                "code": region.region_code,
                "name": region_label(region.region_code, lang=lang),
                "total": region.total,
                "scores": dict(region.scores),
                "best_step": None if region.best_step is None else {
                    "code": region.best_step.code, "gain": region.best_step.gain, "text": step_text(region)},
            } for region in card.regions],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(*notes, sep="\n")
    weights_text = ", ".join(f"{dimension_names[d]} {fmt.decimal(w, lang)}" for d, w in card.weights)
    print(i18n.t("score.weights_used", lang, weights=weights_text))
    print(yardstick)
    for region in card.regions:
        total = i18n.t("score.total", lang, total=fmt.decimal(region.total, lang))
        print(f"\n{region.rank:>2}. {region_label(region.region_code, lang=lang)}: {total}")
        print("    " + " · ".join(f"{dimension_names[d]} {fmt.decimal(v, lang)}" for d, v in region.scores))
        print("    " + step_text(region))
    return EXIT_OK


COMMANDS = {"validate": run_validate, "merge": run_merge, "summary": run_summary, "simulate": run_simulate,
            "allocate": run_allocate, "boundaries": run_boundaries, "report": run_report,
            "hash-password": run_hash_password, "backup": run_backup, "restore": run_restore,
            "doctor": run_doctor, "groups": run_groups, "followup": run_followup, "compliance": run_compliance,
            "score": run_score}


def _quiet_stdout() -> None:
    """Point stdout at the null device: the reader (`| head`) has left, and Python would otherwise complain when it
    flushes what is left at exit (the remedy in the docs of the signal module, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", i18n.DEFAULT_LANGUAGE)
    file = getattr(args, "file", None)
    if file is not None and not file.is_file():
        print(i18n.t("cli.not_found", lang, path=file), file=sys.stderr)
        return EXIT_INVALID
    try:
        try:
            status = COMMANDS[args.command](args)
        except _CliError as error:
            print(error, file=sys.stderr)
            status = EXIT_INVALID
        sys.stdout.flush()  # a reader that has gone away is noticed here, not at exit where it cannot be caught
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # the promise to the user is a sentence, never a traceback
        print(i18n.t("cli.internal_error", lang, error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
