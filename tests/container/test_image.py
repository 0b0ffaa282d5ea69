"""The image as an operator runs it: production settings, PostgreSQL, Redis, read-only.

One container for the module, started by the image's own command with the environment an
operator gives it (no DEBUG, no sandbox, behind a TLS proxy); the Tradable Bits API is
unreachable, as pages must cope with that. Its root filesystem is read-only with no tmpfs.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from loadtest.podman import Container
from loadtest.stack import PUBLIC_HOST
from tests.container.conftest import Environments, Migrations
from tests.container.podman import Podman

pytestmark = pytest.mark.container

APP_UID = "10001"


@pytest.fixture(scope="module")
def portal(
    podman: Podman, environments: Environments, migrations: Migrations
) -> Iterator[Container]:
    # Nothing listens on port 9: every API call fails at once.
    container = podman.start(
        "portal", environments.production(api_url="https://127.0.0.1:9/"), healthcheck=True
    )
    yield container
    container.remove()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(
    container: Container,
    path: str,
    *,
    proxied: bool = True,
    host: str = PUBLIC_HOST,
    compressed: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    """``(status, headers, body)`` of a GET as a browser behind the TLS proxy sends it."""
    headers = {"Host": host}
    if proxied:
        headers["X-Forwarded-Proto"] = "https"
    if compressed:
        headers["Accept-Encoding"] = "gzip, deflate, br"
    request = urllib.request.Request(f"{container.url}{path}", headers=headers)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=15) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_documented_migrate_command_migrates_once_per_release(migrations: Migrations) -> None:
    """docs/deployment.md's ``docker run ... migrate``, run as written (with podman)."""
    assert "migrate" in migrations.command
    assert "Applying tbits_loyalty.0001_initial... OK" in migrations.first.stdout
    assert "Applying sessions.0001_initial... OK" in migrations.first.stdout
    # A second run of the same release changes nothing.
    assert migrations.second.returncode == 0, migrations.second.stdout + migrations.second.stderr
    assert "No migrations to apply." in migrations.second.stdout


def test_liveness_readiness_and_the_image_health_check(podman: Podman, portal: Container) -> None:
    status, _, body = fetch(portal, "/healthz", proxied=False, host="127.0.0.1")
    assert (status, json.loads(body)) == (200, {"status": "ok"})

    # Readiness reaches the machine's PostgreSQL and Redis from inside the container.
    status, _, body = fetch(portal, "/readyz", proxied=False)
    assert status == 200, body
    assert json.loads(body) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "api": "closed"},
    }

    # The image's HEALTHCHECK command, run by podman inside the container.
    result = podman.call("healthcheck", "run", portal.name, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert portal.inspect("{{.State.Health.Status}}") == "healthy"


def test_every_process_runs_as_the_unprivileged_app_user(podman: Podman, portal: Container) -> None:
    config = json.loads(podman.call("image", "inspect", podman.image).stdout)[0]
    assert config["Config"]["User"] == "app:app"
    assert "8000/tcp" in config["Config"]["ExposedPorts"]

    processes = portal.top()
    assert len(processes) >= 3, processes  # the gunicorn master and its two workers
    assert {(user, host_uid) for user, host_uid, _ in processes} == {("app", APP_UID)}
    assert all("gunicorn" in command for _, _, command in processes)

    assert portal.exec("id", "-u").stdout.strip() == APP_UID
    # The code and static files belong to root: the app cannot rewrite what it serves.
    owners = portal.exec("stat", "-c", "%U %n", "/app/manage.py", "/app/staticfiles", "/opt/venv")
    assert [line.split()[0] for line in owners.stdout.splitlines()] == ["root"] * 3


def test_the_image_holds_the_code_and_nothing_else(portal: Container) -> None:
    """No .env (secrets), virtualenv, tests, docs or local database from the build context."""
    listing = set(portal.exec("ls", "-A", "/app").stdout.split())
    packages = {"tbits_portal", "tbits_client", "accounts", "loyalty", "tbits_sandbox"}
    project = {"manage.py", "pyproject.toml", "README.md", "templates", "static", "staticfiles"}
    assert listing == packages | project | {"__pycache__"}


def test_a_read_only_root_filesystem_is_enough(portal: Container) -> None:
    assert portal.inspect("{{.HostConfig.ReadonlyRootfs}}") == "true"
    for path in ("/app/written", "/tmp/written", "/opt/venv/written"):
        result = portal.exec("touch", path)
        assert result.returncode != 0 and "Read-only file system" in result.stderr, path
    # ...and it serves pages all the same (the other tests too).
    status, _, body = fetch(portal, "/accounts/login/")
    assert status == 200, body[:500]


def _hashed_static(portal: Container, name: str) -> str:
    manifest = json.loads(portal.exec("cat", "/app/staticfiles/staticfiles.json").stdout)
    hashed = manifest["paths"][name]
    assert hashed != name
    return str(hashed)


def test_static_files_are_hashed_compressed_and_cached_for_ever(portal: Container) -> None:
    hashed = _hashed_static(portal, "tbits_portal/site.css")
    # Compressed once, at build time, beside the file.
    assert portal.exec("test", "-s", f"/app/staticfiles/{hashed}.gz").returncode == 0

    status, headers, body = fetch(portal, f"/static/{hashed}", compressed=True)
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert b".site-skip" in gzip.decompress(body)  # the file itself, compressed once
    cache_control = headers.get("Cache-Control", "")
    assert "immutable" in cache_control and "max-age=315360000" in cache_control

    # The unhashed name may change with any release: never cached for ever.
    status, headers, _ = fetch(portal, "/static/tbits_portal/site.css")
    assert status == 200 and "immutable" not in headers.get("Cache-Control", "")


def test_pages_are_gzipped_for_browsers_that_ask(portal: Container) -> None:
    status, plain_headers, plain = fetch(portal, "/accounts/login/")
    status_gz, headers, body = fetch(portal, "/accounts/login/", compressed=True)
    assert (status, status_gz) == (200, 200)
    assert "Content-Encoding" not in plain_headers
    assert headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in headers.get("Vary", "")
    assert b"<form" in gzip.decompress(body) and len(body) < len(plain) / 2


def test_plain_http_is_redirected_and_https_pages_carry_hsts(portal: Container) -> None:
    status, headers, _ = fetch(portal, "/accounts/login/", proxied=False)
    assert status == 301
    assert headers["Location"].startswith(f"https://{PUBLIC_HOST}/")

    status, headers, _ = fetch(portal, "/accounts/login/")
    assert status == 200
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
    # A host that is not the site's is refused.
    assert fetch(portal, "/accounts/login/", host="evil.example.com")[0] == 400


def test_check_deploy_passes_inside_the_image(podman: Podman, environments: Environments) -> None:
    """The release step the docs give: ``manage.py check --deploy`` in the image."""
    env = environments.production(api_url="https://127.0.0.1:9/")
    result = podman.run(env, "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_api_secret_is_in_no_answer_and_no_log_line(
    portal: Container, environments: Environments
) -> None:
    answers = [
        fetch(portal, path)
        for path in ("/accounts/login/", "/portal/", "/readyz", f"/nowhere?q={'x' * 10}")
    ]
    for status, headers, body in answers:
        assert status < 500
        assert environments.api_secret.encode() not in body
        assert environments.api_secret not in json.dumps(headers)
    logs = portal.logs()
    assert "GET /accounts/login/ 200" in logs  # the request log is there...
    assert environments.api_secret not in logs  # ...without the secret
    assert "Traceback" not in logs
