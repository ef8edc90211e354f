"""The core package ``monev`` never imports Streamlit (so the CLI and the tests run without it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "monev"

_IMPORT_EVERY_MODULE = """
import importlib, json, pkgutil, sys
import monev
failed = {}
names = []
for module in pkgutil.walk_packages(monev.__path__, prefix="monev."):
    if module.name == "monev.__main__":
        continue  # importing it is harmless, but running main() is not what this check is about
    names.append(module.name)
    try:
        importlib.import_module(module.name)
    except Exception as error:
        failed[module.name] = f"{type(error).__name__}: {error}"
importlib.import_module("monev.__main__")
names.append("monev.__main__")
print(json.dumps({"modules": names, "failed": failed,
                  "streamlit": sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))}))
"""

_STREAMLIT_IMPORT = re.compile(r"^\s*(import\s+streamlit\b|from\s+streamlit(\.|\s))", re.MULTILINE)


def test_importing_every_monev_module_does_not_import_streamlit():
    completed = subprocess.run([sys.executable, "-c", _IMPORT_EVERY_MODULE], cwd=ROOT, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.splitlines()[-1])
    on_disk = {f"monev.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert on_disk <= set(report["modules"])
    assert report["failed"] == {}
    assert report["streamlit"] == []


def test_no_monev_source_file_imports_streamlit():
    offenders = [path.relative_to(ROOT).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
                 if _STREAMLIT_IMPORT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_static_check_would_see_a_streamlit_import():
    # The pattern itself is under test here, so that the check above cannot pass by matching nothing.
    assert _STREAMLIT_IMPORT.search("import streamlit as st\n")
    assert _STREAMLIT_IMPORT.search("x = 1\n    from streamlit.runtime import exists\n")
    assert _STREAMLIT_IMPORT.search("from streamlit import session_state\n")
    assert not _STREAMLIT_IMPORT.search("import streamlit_like_name\n# streamlit is not imported here\n")
