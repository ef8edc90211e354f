"""``python -m bench [--part PART ...] [--runs N] [--json PATH]``: run the benchmarks, print a table, write JSON."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench.common import RESULTS_DIR, Measurement, format_table, write_results

# Each part is a module bench/<part>.py with ``run(runs: int) -> list[Measurement]``.
PARTS = ("core", "pages", "browser", "memory", "payload")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--part", action="append", choices=PARTS, help="run only this part (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement; the median is reported")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "latest.json", help="where to write the results")
    options = parser.parse_args(argv)
    measurements: list[Measurement] = []
    for part in options.part or PARTS:
        print(f"… {part}", file=sys.stderr, flush=True)
        measurements.extend(importlib.import_module(f"bench.{part}").run(options.runs))
        write_results(measurements, options.json)  # after every part: a failure later keeps what was measured
    print(format_table(measurements))
    print(f"\nwritten: {options.json}", file=sys.stderr)
    missed = [m for m in measurements if m.met is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
