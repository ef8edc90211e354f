"""``streamlit run`` on a free loopback port: used by the browser tests, the load test and the benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# How `make run` serves the app (streamlit run app.py with the libraries imported before the first visitor).
APP_LAUNCHER = ROOT / "scripts" / "serve.py"


class StreamlitServer:
    """The app as `make run` serves it, or ``streamlit run <script>``, on a free loopback port; ``stop()`` ends it."""

    def __init__(self, env: dict[str, str] | None = None, inherit: bool = True, script: str | Path | None = None,
                 cwd: Path = ROOT) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: nobody reads the log while the server runs, and a full pipe would block it.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, *([str(APP_LAUNCHER)] if script is None else ["-m", "streamlit", "run", str(script)]),
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true"],
            cwd=cwd, env={**os.environ, **(env or {})} if inherit else env, stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"streamlit exited: {self.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not answer its health check in time")

    def output(self) -> str:
        """What the server printed so far (read without moving the file position it writes at)."""
        return os.pread(self.log.fileno(), os.fstat(self.log.fileno()).st_size, 0).decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
