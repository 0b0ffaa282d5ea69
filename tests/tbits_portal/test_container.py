"""The Dockerfile's own command, run directly (no Docker engine on these machines)."""

from __future__ import annotations

import gzip as gzip_module
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def dockerfile_instruction(name: str) -> str:
    """The argument of the last ``name`` instruction, with line continuations joined."""
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    matches = re.findall(rf"^{name}\s+(.+)$", text, flags=re.MULTILINE)
    assert matches, f"Dockerfile has no {name}"
    return matches[-1].strip()


def production_env(tmp_path: Path, port: int) -> dict[str, str]:
    """The environment an operator would give the container, pointed at temporary files."""
    # Start from nothing: the test process's own environment holds the test settings.
    env = {k: os.environ[k] for k in ("HOME", "LANG", "PATH") if k in os.environ}
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "fans.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "BEHIND_TLS_PROXY": "1",
            # Nothing listens here: pages must cope with an unreachable API.
            "TBITS_API_BASE_URL": "https://127.0.0.1:9/",
            "TBITS_API_KEY": "prod-key",
            "TBITS_API_SECRET": "prod-secret-never-shown",
            "TBITS_ACCOUNT_ID": "1",
            "TBITS_BUSINESS_ID": "2",
            "PORT": str(port),
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(
    port: int, path: str, *, proxied: bool = True, gzip: bool = False
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Host": "fans.example.com"}
    if proxied:
        headers["X-Forwarded-Proto"] = "https"
    if gzip:
        headers["Accept-Encoding"] = "gzip, deflate, br"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def container(tmp_path):
    port = free_port()
    env = production_env(tmp_path, port)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=REPO, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=REPO, env=env, check=True)
    command = json.loads(dockerfile_instruction("CMD"))
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz", proxied=False)[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not answer /healthz: " + process.stdout.read().decode())
    yield port, tmp_path
    process.terminate()
    output = process.communicate(timeout=20)[0].decode()
    assert "prod-secret-never-shown" not in output


def test_dockerfile_declares_healthcheck_port_and_non_root_user():
    assert dockerfile_instruction("EXPOSE") == "8000"
    assert "/healthz" in dockerfile_instruction("HEALTHCHECK")
    assert dockerfile_instruction("USER") not in ("root", "0")
    assert "collectstatic" in (REPO / "Dockerfile").read_text()


def test_container_command_serves_probe_static_and_login(container):
    port, tmp_path = container
    status, _, body = fetch(port, "/healthz", proxied=False)
    assert (status, json.loads(body)) == (200, {"status": "ok"})

    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["tbits_portal/site.css"]
    assert hashed != "tbits_portal/site.css"
    status, headers, body = fetch(port, f"/static/{hashed}")
    assert status == 200
    assert b".site-skip" in body  # the file itself, not a fallback page
    assert "max-age=315360000" in headers.get("Cache-Control", "")

    status, headers, body = fetch(port, "/accounts/login/")
    assert status == 200, body[:500]
    assert b"<form" in body or b"Log in" in body
    assert b"prod-secret-never-shown" not in body
    assert "Strict-Transport-Security" in headers


def test_pages_and_static_files_are_gzipped_once_for_browsers_that_ask(container):
    """Pages are compressed on the fly; static files keep their build-time compressed copy."""
    port, tmp_path = container
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    css = f"/static/{manifest['paths']['tbits_portal/site.css']}"
    status, headers, body = fetch(port, css, gzip=True)
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert b".site-skip" in gzip_module.decompress(body)  # compressed once, not twice

    status, plain_headers, plain = fetch(port, "/accounts/login/")
    status_gz, headers, body = fetch(port, "/accounts/login/", gzip=True)
    assert (status, status_gz) == (200, 200)
    assert "Content-Encoding" not in plain_headers
    assert headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in headers.get("Vary", "")
    page = gzip_module.decompress(body)
    assert b"<form" in page and len(body) < len(plain) / 2


def test_plain_http_is_redirected_to_https_in_production(container):
    port, _ = container
    status, headers, _ = fetch(port, "/accounts/login/", proxied=False)
    assert status == 301
    assert headers["Location"].startswith("https://fans.example.com/")


def test_check_deploy_reports_nothing_with_production_values(tmp_path):
    env = production_env(tmp_path, 8000)
    env["CACHE_URL"] = "redis://127.0.0.1:6379/3"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
