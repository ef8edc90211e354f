"""Debian's nginx for the deployment tests: the shipped site (deploy/nginx/monev.conf) with its placeholders filled,
checked with ``nginx -t`` or run as a foreground process on 127.0.0.1 with its pid, logs and temporary files in a
folder of its own.

As root, nginx's workers take the ``user`` of the main configuration: here ``nobody``, with a world-readable folder
(nginx's master creates the temporary folders and hands them to that user itself).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "monev.conf"
START_TIMEOUT_S = 15
# What the shipped site holds for the administrator to fill in.
CERTIFICATE_PLACEHOLDER = "/etc/letsencrypt/live/monev.example.go.id/fullchain.pem"
KEY_PLACEHOLDER = "/etc/letsencrypt/live/monev.example.go.id/privkey.pem"
_UPSTREAM_SERVER = re.compile(r"^    server 127\.0\.0\.1:\d+ (?P<options>[^;]*);\n", re.MULTILINE)
_HTTP_REDIRECT_BLOCK = re.compile(r"^server \{\n    listen 80;\n.*?^\}\n", re.MULTILINE | re.DOTALL)
_TLS_LISTEN = "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n"
_TLS_SETTING = re.compile(r"^    ssl_\w+ .*\n", re.MULTILINE)
# Which app server answered: added by the tests only, so that they can tell where nginx sent a request.
UPSTREAM_HEADER = "X-Monev-Upstream"


def nginx_binary() -> str:
    """Debian's nginx (in /usr/sbin, which a non-root PATH may lack); fails when it is not installed."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        raise RuntimeError("nginx is missing: run scripts/install-test-tools (Debian package nginx)")
    return found


def _replaced(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced, failing when the shipped site no longer holds it ``count`` times."""
    assert text.count(old) == count, f"{SITE.name} no longer holds {old!r} {count} time(s)"
    return text.replace(old, new)


def site_with_certificate(certificate: Path, key: Path) -> str:
    """The shipped site as an administrator completes it: their certificate and key in place of the placeholders."""
    text = SITE.read_text(encoding="utf-8")
    return _replaced(_replaced(text, CERTIFICATE_PLACEHOLDER, str(certificate)), KEY_PLACEHOLDER, str(key))


def site_on_loopback(port: int, app_urls: list[str]) -> str:
    """The shipped site as the browser test runs it: plain HTTP on 127.0.0.1:``port`` (no redirect, no TLS) in front
    of the app servers at ``app_urls``, with the same routing, timeouts and headers."""
    text = SITE.read_text(encoding="utf-8")
    upstreams = _UPSTREAM_SERVER.findall(text)
    assert upstreams, f"{SITE.name} has no upstream server lines"
    servers = "".join(f"    server {url.removeprefix('http://')} {upstreams[0]};\n" for url in app_urls)
    text = _UPSTREAM_SERVER.sub("", text, count=len(upstreams) - 1)
    text = _UPSTREAM_SERVER.sub(lambda _: servers, text, count=1)
    text, redirects = _HTTP_REDIRECT_BLOCK.subn("", text)
    assert redirects == 1, f"{SITE.name} no longer has one HTTP redirect block"
    text = _replaced(text, _TLS_LISTEN, f"    listen 127.0.0.1:{port};\n")
    text = _TLS_SETTING.sub("", text)
    return _replaced(text, "    add_header Set-Cookie",
                     f"    add_header {UPSTREAM_HEADER} $upstream_addr always;\n    add_header Set-Cookie")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Nginx:
    """nginx with ``site`` (an http-level configuration) in a private prefix; ``start()`` runs it in the foreground,
    ``check()`` is ``nginx -t``."""

    def __init__(self, site: str) -> None:
        self.prefix = Path(tempfile.mkdtemp(prefix="monev-nginx-"))
        self.prefix.chmod(0o755)  # nginx's workers (nobody, when the tests run as root) read below it
        (self.prefix / "monev.conf").write_text(site, encoding="utf-8")
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        temp_paths = "".join(f"    {kind}_temp_path {self.prefix / kind};\n"
                             for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(
            f"{user}worker_processes 1;\npid {self.prefix / 'nginx.pid'};\nerror_log {self.error_log} warn;\n"
            f"events {{\n    worker_connections 256;\n}}\nhttp {{\n    access_log {self.prefix / 'access.log'};\n"
            f"{temp_paths}    include {self.prefix / 'monev.conf'};\n}}\n", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def error_log(self) -> Path:
        return self.prefix / "error.log"

    def _command(self, *extra: str) -> list[str]:
        return [nginx_binary(), "-p", str(self.prefix), "-c", str(self.config), "-e", str(self.error_log), *extra]

    def check(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on the configuration: its exit code and messages."""
        return subprocess.run(self._command("-t"), capture_output=True, text=True, timeout=30)

    def start(self, port: int) -> None:
        """Run nginx in the foreground and wait until it accepts connections on 127.0.0.1:``port``."""
        self.process = subprocess.Popen(self._command("-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _accepts_connections(port):
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("nginx did not accept connections in time")
            time.sleep(0.1)

    def stop(self) -> None:
        """End nginx (if started) and remove its folder."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)
