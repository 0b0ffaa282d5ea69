"""Fixtures of the container tests: the image, a database and a Redis db of their own.

These tests run the real image (``make container-test`` builds it and passes
``--container-image``); without that option the root conftest deselects them, and with it
nothing here skips: a missing podman, image, PostgreSQL or Redis fails the run, saying what
is missing.

- PostgreSQL at 127.0.0.1:5432 (user postgres): the database ``tbits_container_test``,
  created for the run and dropped after it (its containers removed first).
- Redis at 127.0.0.1:6379: db 11, emptied before and after. Every other suite keeps off it.
- One run at a time on a machine (a file lock), since both are shared by name.
"""

from __future__ import annotations

import fcntl
import secrets
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from loadtest.stack import PUBLIC_HOST, REPO
from tests.container.podman import Podman

POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = "tbits_container_test"
REDIS_URL = "redis://127.0.0.1:6379/11"
LOCK_PATH = Path("/tmp/tbits-portal-container-tests.lock")
LOCK_WAIT_SECONDS = 600
#: The sentence tbits_sandbox.checks wants before it runs with DEBUG off.
SANDBOX_TEST_SERVER = "this is a test server: anyone may read its codes"
#: Where docs/deployment.md tells operators how to run migrations.
DEPLOYMENT_DOC = REPO / "docs" / "deployment.md"


@dataclass(frozen=True)
class Environments:
    """The environment of each kind of container, all on this run's database and Redis."""

    database_url: str
    redis_url: str
    secret_key: str
    api_secret: str

    def _common(self) -> dict[str, str]:
        return {
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "CACHE_URL": self.redis_url,
            "TBITS_API_KEY": "container-api-key",
            "TBITS_API_SECRET": self.api_secret,
            "TBITS_ACCOUNT_ID": "1001",
            "TBITS_BUSINESS_ID": "2002",
            "LOG_LEVEL": "INFO",
        }

    def production(self, *, api_url: str) -> dict[str, str]:
        """What an operator runs: no DEBUG, no sandbox, HTTPS behind a TLS proxy."""
        return {
            **self._common(),
            "ALLOWED_HOSTS": PUBLIC_HOST,
            "BEHIND_TLS_PROXY": "1",
            "TBITS_API_BASE_URL": api_url,
        }

    def sandbox(self, *, port: int, latency_ms: int = 0) -> dict[str, str]:
        """The portal and its embedded sandbox on ``port``, a test server (DEBUG still off).

        Its own API calls go to itself over loopback by IP, in plain HTTP: so the IP is an
        allowed host and the HTTPS redirect is off (fans still come through the "proxy").
        """
        return {
            **self._common(),
            "ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
            "BEHIND_TLS_PROXY": "1",
            "SECURE_SSL_REDIRECT": "0",
            "TBITS_API_BASE_URL": f"http://127.0.0.1:{port}/sandbox/",
            "TBITS_SANDBOX": "1",
            "TBITS_SANDBOX_TEST_SERVER": SANDBOX_TEST_SERVER,
            "TBITS_SANDBOX_LATENCY_MS": str(latency_ms),
        }


@pytest.fixture(scope="session")
def container_image(request: pytest.FixtureRequest, tmp_path_factory: Any) -> str:
    """The image under test, which must exist (``make container-image`` builds it)."""
    image = request.config.getoption("--container-image")
    assert image, "the container tests need --container-image (make container-test)"
    try:
        found = subprocess.run(
            ["podman", "image", "exists", image], capture_output=True, timeout=60, check=False
        )
    except FileNotFoundError:
        pytest.fail("podman is not installed: `make container-test` installs it (as root)")
    if found.returncode != 0:
        pytest.fail(f"no image {image}: build it with `make container-image`")
    return str(image)


@pytest.fixture(scope="session")
def machine_lock() -> Iterator[None]:
    """One container run at a time on this machine: they share the database's name."""
    handle: TextIO = LOCK_PATH.open("a")
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                pytest.fail(f"another container test run held {LOCK_PATH} for 10 minutes")
            time.sleep(1)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _drop_database(admin: Any) -> None:
    admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(machine_lock: None) -> Iterator[str]:
    """A PostgreSQL database of the run's own, dropped afterwards."""
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 does not answer: {error}")
    with admin:
        _drop_database(admin)  # left by a run that was killed
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
        try:
            yield f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        finally:
            _drop_database(admin)


@pytest.fixture(scope="session")
def redis_url(machine_lock: None) -> Iterator[str]:
    """Redis db 11, empty before the run and after it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="session")
def environments(database_url: str, redis_url: str) -> Environments:
    return Environments(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secrets.token_urlsafe(50),
        # Random, so a test can look for it in every answer and log line.
        api_secret="container-secret-" + secrets.token_urlsafe(24),
    )


@pytest.fixture(scope="session")
def podman(
    container_image: str, database_url: str, redis_url: str, tmp_path_factory: Any
) -> Iterator[Podman]:
    """Runs the image; every container it started is removed at the end, passed or not.

    It depends on the database and Redis fixtures so that the containers go before the
    database is dropped.
    """
    runner = Podman(image=container_image, workdir=tmp_path_factory.mktemp("podman"))
    try:
        yield runner
    finally:
        runner.remove_all()


def documented_migrate_command() -> list[str]:
    """docs/deployment.md's ``docker run ... manage.py migrate`` line, as words."""
    for line in DEPLOYMENT_DOC.read_text().splitlines():
        words = (
            shlex.split(line.strip())
            if line.strip().startswith(("docker run", "podman run"))
            else []
        )
        if "manage.py" in words and "migrate" in words:
            return words
    raise AssertionError(f"{DEPLOYMENT_DOC} shows no `docker run ... manage.py migrate` command")


@dataclass(frozen=True)
class Migrations:
    """What running the documented migrate command printed, twice in a row."""

    command: list[str]
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def migrations(podman: Podman, environments: Environments) -> Migrations:
    """The database migrated the way the docs tell operators to, once per release."""
    command = documented_migrate_command()
    env = environments.production(api_url="https://127.0.0.1:9/")
    first = podman.run_documented(command, env)
    assert first.returncode == 0, first.stdout + first.stderr
    return Migrations(command=command, first=first, second=podman.run_documented(command, env))


@pytest.fixture(scope="session")
def seeded_sandbox(podman: Podman, environments: Environments, migrations: Migrations) -> None:
    """The sandbox's own tables, and its demo account seeded with this run's credentials."""
    env = environments.sandbox(port=9)
    for command in (("migrate", "--noinput"), ("sandbox_seed",)):
        result = podman.run(env, "python", "manage.py", *command)
        assert result.returncode == 0, result.stdout + result.stderr
