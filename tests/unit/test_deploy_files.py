"""What deploy/ ships is accepted by the real tools: the nginx site by ``nginx -t`` once its certificate is filled in,
the systemd unit by ``systemd-analyze verify``; and their settings agree with the app's (upload limit, loopback)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.nginx import SITE, Nginx, site_on_loopback, site_with_certificate

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "monev@.service"
ENV_EXAMPLE = ROOT / "deploy" / "monev.env.example"
INSTALL_DIR = "/srv/monev"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key, as certbot would leave them."""
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=monev.example.go.id", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=60)
    return certificate, key


def _nginx_t(site: str) -> subprocess.CompletedProcess[str]:
    nginx = Nginx(site)
    try:
        return nginx.check()
    finally:
        nginx.stop()


def test_nginx_accepts_the_shipped_site_once_its_certificate_is_filled_in(certificate: tuple[Path, Path]) -> None:
    checked = _nginx_t(site_with_certificate(*certificate))
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_nginx_accepts_the_plain_loopback_variant_the_browser_test_runs() -> None:
    checked = _nginx_t(site_on_loopback(8080, ["http://127.0.0.1:8501", "http://127.0.0.1:8502"]))
    assert checked.returncode == 0, checked.stderr


def test_nginx_takes_uploads_a_little_above_the_app_s_own_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    app_limit_mb = config["server"]["maxUploadSize"]
    proxy_limit_mb = int(re.search(r"client_max_body_size (\d+)m;", SITE.read_text(encoding="utf-8")).group(1))
    assert app_limit_mb < proxy_limit_mb <= app_limit_mb + 2  # the app, not nginx, refuses a large file


def _unit_service_section() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser["Service"]


def test_the_unit_runs_the_app_unprivileged_on_loopback_with_its_environment_file() -> None:
    service = _unit_service_section()
    assert service["User"] == "monev" and service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/monev/monev.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert "/var/cache/monev" in service["ReadWritePaths"].split()
    assert "--server.address 127.0.0.1 --server.port %i" in service["ExecStart"]  # one instance per port


def test_the_example_environment_file_sets_what_several_servers_must_share() -> None:
    settings = dict(line.split("=", 1) for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith("#"))
    assert settings["MONEV_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert {"MONEV_COOKIE_SECRET", "STREAMLIT_SECRETS_FILES", "MONEV_CACHE_DIR"} <= settings.keys()
    assert settings["MONEV_CACHE_DIR"] in _unit_service_section()["ReadWritePaths"].split()


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run scripts/install-test-tools (Debian package systemd)"
    # An instance of the template, installed where this checkout and its Python are (verify checks ExecStart exists).
    instance = tmp_path / "monev@8501.service"
    instance.write_text(UNIT.read_text(encoding="utf-8").replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable)
                        .replace(INSTALL_DIR, str(ROOT)), encoding="utf-8")
    verified = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout + verified.stderr == ""  # an unknown or misspelt key is only a warning
