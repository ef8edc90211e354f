"""Command line: ``python -m monev validate FILE`` and ``python -m monev summary (FILE | --demo)``.

Exit codes: 0 done, 1 the file cannot be loaded (or the period is not in it), 2 wrong usage or internal error.
Never a traceback: every failure is a sentence in the chosen language.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from monev import fmt, i18n
from monev.dataset import CoverageData, LoadResult, iter_problem_dicts, load_dataset, load_demo
from monev.geo import download_boundaries, parse_boundaries
from monev.indicators import NATIONAL_RATE_DEFAULT, province_summary, region_indicators
from monev.regions import load_registry

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m monev", description="Monev Jamsostek: coverage data tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a CSV/XLSX coverage file and list every problem")
    validate.add_argument("file", type=Path)

    summary = commands.add_parser("summary", help="coverage per region and for the province")
    source = summary.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path)
    source.add_argument("--demo", action="store_true", help="use the built-in demo dataset")
    summary.add_argument("--period", help="YYYY-MM (default: the latest month in the data)")
    summary.add_argument("--national", type=float, default=NATIONAL_RATE_DEFAULT,
                         help="national coverage as a fraction (default 0.39)")

    boundaries = commands.add_parser("boundaries", help="region boundaries for the map: check a GeoJSON or "
                                                        "download the public source (checksum-verified) into the cache")
    boundary_action = boundaries.add_subparsers(dest="action", required=True)
    check = boundary_action.add_parser("check", help="validate a boundary GeoJSON against the region registry")
    check.add_argument("file", type=Path)
    download = boundary_action.add_parser("download", help="fetch, verify (sha256) and cache the public boundaries")
    download.add_argument("--cache-dir", type=Path, help="default: $MONEV_CACHE_DIR or var/cache")
    download.add_argument("--base-url", help="default: the pinned source in data/boundaries.toml")

    for command in (validate, summary, check, download):
        command.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
        command.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _load(path: Path) -> LoadResult:
    return load_dataset(path.name, path.read_bytes())


def _print_problems(result: LoadResult, lang: str) -> None:
    for problem in result.problems:
        where = ", ".join(
            part for part in (
                f"{i18n.t('report.row', lang)} {problem.row}" if problem.row else "",
                f"{i18n.t('report.column', lang)} '{problem.column}'" if problem.column else "",
            ) if part
        )
        print(f"[{i18n.t(f'severity.{problem.severity}', lang)}] {problem.code}"
              f"{' (' + where + ')' if where else ''}: {problem.message(lang)}")
        print(f"    → {problem.fix(lang)}")


def _loaded_line(data: CoverageData, lang: str) -> str:
    return i18n.t("cli.valid", lang, rows=fmt.number(len(data.frame), lang), periods=len(data.periods),
                  first=fmt.month(data.periods[0], lang), last=fmt.month(data.latest_period, lang))


def run_validate(args: argparse.Namespace) -> int:
    result = _load(args.file)
    if args.json:
        print(json.dumps({
            "file": str(args.file),
            "loadable": result.ok,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": list(iter_problem_dicts(result.problems, args.lang)),
        }, ensure_ascii=False, indent=2, default=str))
    else:
        _print_problems(result, args.lang)
        if result.data is not None:
            print(_loaded_line(result.data, args.lang))
            if result.warnings:
                print(i18n.t("cli.warnings", args.lang, count=len(result.warnings)))
        else:
            print(i18n.t("cli.invalid", args.lang, errors=len(result.errors)))
    return EXIT_OK if result.ok else EXIT_INVALID


def _json_number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def run_summary(args: argparse.Namespace) -> int:
    if args.demo:
        data = load_demo()
    else:
        result = _load(args.file)
        if result.data is None:
            _print_problems(result, args.lang)
            print(i18n.t("cli.invalid", args.lang, errors=len(result.errors)), file=sys.stderr)
            return EXIT_INVALID
        data = result.data
    period = args.period or data.latest_period
    if period not in data.periods:
        print(i18n.t("cli.unknown_period", args.lang, period=period, available=", ".join(data.periods)),
              file=sys.stderr)
        return EXIT_INVALID
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


def run_boundaries(args: argparse.Namespace) -> int:
    if args.action == "check":
        result = parse_boundaries(args.file.read_bytes(), source=str(args.file))
    else:
        result = download_boundaries(cache_dir=args.cache_dir, base_url=args.base_url)
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
            print(i18n.t("cli.boundaries_ok", args.lang, count=len(result.boundaries.features),
                         source=result.boundaries.source))
    return EXIT_OK if result.ok else EXIT_INVALID


COMMANDS = {"validate": run_validate, "summary": run_summary, "boundaries": run_boundaries}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", i18n.DEFAULT_LANGUAGE)
    file = getattr(args, "file", None)
    if file is not None and not file.is_file():
        print(i18n.t("cli.not_found", lang, path=file), file=sys.stderr)
        return EXIT_INVALID
    try:
        return COMMANDS[args.command](args)
    except Exception as error:  # the promise to the user is a sentence, never a traceback
        print(i18n.t("cli.internal_error", lang, error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
