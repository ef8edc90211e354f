"""Run the command line as users do: ``python -m monev ...`` in a subprocess, never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: object, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run([sys.executable, "-m", "monev", *map(str, args)], cwd=ROOT, capture_output=True,
                               text=True, encoding="utf-8", timeout=60, input=stdin)
    assert "Traceback" not in completed.stdout
    assert "Traceback" not in completed.stderr
    return completed
