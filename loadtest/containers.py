"""The image run as production runs it: portal containers behind HAProxy, on loopback.

What :mod:`loadtest.stack` does with gunicorn processes, done with the built image
(``make container-test`` builds ``localhost/tbits-portal:test``) and podman:

- the sandbox API: a container of the image with the sandbox on (its test-only flag) and
  its own SQLite file on the container's tmpfs;
- the migration, once, as the Kubernetes Job runs it (``python manage.py migrate``);
- N portal containers with a read-only root filesystem, a tmpfs on /tmp and no
  capabilities, each running the image's own command bound to a loopback port;
- a PostgreSQL database of their own on the machine's server (created here, dropped by
  :meth:`Replicas.stop`) and a Redis database number of their own (flushed before and after);
- HAProxy on the host in front of the portals, routing only to those whose ``/readyz``
  answers.

Containers share the host's network (``--network host``: podman's own networking does not
work on these machines), so every server binds 127.0.0.1 and nothing leaves the machine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from loadtest.podman import NETWORK_FLAGS, RUNTIME_FLAGS, Container, podman, write_env_file
from loadtest.stack import (
    ACCOUNT_ID,
    API_KEY,
    BUSINESS_ID,
    PUBLIC_HOST,
    Credentials,
    free_port,
)

IMAGE = "localhost/tbits-portal:test"
#: What podman needs on these machines, without the image's HEALTHCHECK: it needs systemd
#: timers under podman; HAProxy checks instead, as Kubernetes' probes replace it there.
PODMAN_RUN = (*RUNTIME_FLAGS, *NETWORK_FLAGS, "--no-healthcheck")
#: As deploy/kubernetes runs every pod: its user (runAsUser), read-only root, /tmp in
#: memory, no capabilities, no privilege escalation.
HARDENED = (
    "--user",
    "10001:10001",
    "--read-only",
    "--tmpfs",
    "/tmp",  # noqa: S108 - the container's own in-memory /tmp
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
)
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
#: The machine's Redis, on a database number no other test uses.
REDIS_URL = "redis://127.0.0.1:6379/9"
TEST_SERVER = "this is a test server: anyone may read its codes"


class SetupError(RuntimeError):
    """Something the run needs is missing; the message says what to do."""


def image_command(image: str) -> str:
    """The image's own command (its CMD, a shell line), bound to loopback, not every
    interface: with the host's network, 0.0.0.0 would be every address of the machine.

    The image takes the address from ``BIND_ADDRESS`` (the containers get 127.0.0.1); an
    image whose command names 0.0.0.0 itself has it replaced.
    """
    inspected = podman("image", "inspect", "--format", "{{json .Config.Cmd}}", image)
    command = json.loads(inspected.stdout)
    if command[:2] != ["sh", "-c"] or "gunicorn" not in command[2]:
        raise SetupError(f"{image}'s CMD is not the Dockerfile's gunicorn line: {command}")
    if "${BIND_ADDRESS" in command[2]:
        return str(command[2])
    if "0.0.0.0:" in command[2]:
        return str(command[2]).replace("0.0.0.0:", "127.0.0.1:")
    raise SetupError(f"{image}'s CMD binds no address this run can set: {command}")


def run_container(
    name: str, image: str, env: dict[str, str], workdir: Path, *command: str, port: int = 0
) -> Container:
    """Start a hardened container in the background (``podman run -d``)."""
    env_file = write_env_file(workdir / f"{name}.env", env)
    podman(
        "run",
        "--detach",
        "--name",
        name,
        *PODMAN_RUN,
        *HARDENED,
        "--env-file",
        str(env_file),
        image,
        *command,
    )
    return Container(name=name, port=port)


def sandbox_env(credentials: Credentials, port: int, *, latency_ms: int) -> dict[str, str]:
    """The sandbox API with DEBUG off, allowed by its test-server sentence."""
    return {
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": "sqlite:////tmp/sandbox.sqlite3",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "TBITS_SANDBOX": "1",
        "TBITS_SANDBOX_TEST_SERVER": TEST_SERVER,
        "TBITS_SANDBOX_LATENCY_MS": str(latency_ms),
        "TBITS_API_KEY": API_KEY,
        "TBITS_API_SECRET": credentials.api_secret,
        "TBITS_ACCOUNT_ID": ACCOUNT_ID,
        "TBITS_BUSINESS_ID": BUSINESS_ID,
        "PORT": str(port),
        "BIND_ADDRESS": "127.0.0.1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "8",
        "LOG_LEVEL": "WARNING",
    }


def portal_env(
    credentials: Credentials,
    *,
    secret_key: str,
    database_url: str,
    api_url: str,
    workers: int,
    threads: int,
    cache_url: str = REDIS_URL,
) -> dict[str, str]:
    """Production settings (deploy/kubernetes/configmap.yaml's), shared by every replica:
    one SECRET_KEY, one database, one cache (``cache_url``: a local-memory one shows what
    a cache of each replica's own would break)."""
    return {
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "BEHIND_TLS_PROXY": "1",
        "TBITS_API_BASE_URL": api_url,
        "TBITS_API_KEY": API_KEY,
        "TBITS_API_SECRET": credentials.api_secret,
        "TBITS_ACCOUNT_ID": ACCOUNT_ID,
        "TBITS_BUSINESS_ID": BUSINESS_ID,
        "BIND_ADDRESS": "127.0.0.1",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "LOG_LEVEL": "INFO",
        # Anything written under $HOME lands on the tmpfs (the root is read-only).
        "HOME": "/tmp",  # noqa: S108 - inside the container
    }


HAPROXY_CONFIG = """\
# Written by loadtest/containers.py for one run.
global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 35s
    timeout http-keep-alive 10s
    # A request that could not reach a replica (refused: it died) goes to another one.
    retries 3
    option redispatch 1
    # A GET whose replica died before answering is safe to send again; a POST is not
    # (it may have done its work), so only GETs are retried past a connection failure.
    retry-on conn-failure empty-response response-timeout

frontend fans
    bind 127.0.0.1:{port}
    default_backend portal

backend portal
    balance roundrobin
    http-request disable-l7-retry unless METH_GET
    option httpchk
    http-check send meth GET uri /readyz hdr Host {host}
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
{servers}
"""


def start_haproxy(workdir: Path, port: int, replicas: list[Container]) -> subprocess.Popen[bytes]:
    """HAProxy from Debian's package, in the foreground, until :meth:`Replicas.stop`."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(binary).exists():
        raise SetupError("haproxy is not installed: apt-get install -y haproxy")
    servers = "\n".join(
        f"    server {replica.name} 127.0.0.1:{replica.port} check" for replica in replicas
    )
    config = workdir / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, host=PUBLIC_HOST, servers=servers))
    with (workdir / "haproxy.log").open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - Debian's haproxy, our config
            [binary, "-f", str(config), "-db"], stdout=log, stderr=subprocess.STDOUT
        )


def _create_database(name: str) -> str:
    import psycopg

    try:
        with psycopg.connect(
            f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5
        ) as db:
            db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise SetupError(f"PostgreSQL at {POSTGRES_SERVER} is needed: {error}") from error
    return f"{POSTGRES_SERVER}/{name}"


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    except redis.RedisError as error:
        raise SetupError(f"Redis at {REDIS_URL} is needed: {error}") from error


@dataclass
class Replicas:
    """Everything one run started, and how to take it all down again."""

    workdir: Path
    run_id: str
    credentials: Credentials
    database: str
    database_url: str
    sandbox: Container | None = None
    portals: list[Container] = field(default_factory=list)
    balancer: subprocess.Popen[bytes] | None = None
    balancer_port: int = 0

    def wait_for_balancer(self, seconds: float = 30) -> None:
        """Until HAProxy routes to every replica (each one's check has passed)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.balancer_port}/readyz", headers={"Host": PUBLIC_HOST}
        )
        deadline, passed = time.monotonic() + seconds, 0
        while time.monotonic() < deadline and passed < 2 * len(self.portals):
            try:
                with urllib.request.urlopen(request, timeout=2) as answer:  # noqa: S310
                    passed = passed + 1 if answer.status == 200 else 0
            except (OSError, urllib.error.URLError):
                passed = 0
            time.sleep(0.25)
        if passed < 2 * len(self.portals):
            raise RuntimeError(f"the balancer did not route in {seconds} s")

    def logs(self) -> dict[str, str]:
        found = {c.name: c.logs() for c in [*self.portals, *filter(None, [self.sandbox])]}
        log = self.workdir / "haproxy.log"
        found["haproxy"] = log.read_text(errors="replace") if log.exists() else ""
        return found

    def stop(self) -> dict[str, str]:
        """Remove every container, stop HAProxy, drop the database, flush Redis; the logs."""
        logs = self.logs()
        if self.balancer is not None and self.balancer.poll() is None:
            self.balancer.terminate()
            self.balancer.wait(timeout=10)
        for container in [*self.portals, *filter(None, [self.sandbox])]:
            container.remove()
        _drop_database(self.database)
        _flush_redis()
        return logs


def start_replicas(
    workdir: Path,
    *,
    image: str = IMAGE,
    replicas: int = 3,
    workers: int = 1,
    threads: int = 4,
    latency_ms: int = 25,
    cache_url: str = REDIS_URL,
) -> Replicas:
    """The sandbox, the migration, ``replicas`` portal containers and HAProxy, serving."""
    if shutil.which("podman") is None:
        raise SetupError("podman is not installed: make container-test installs it")
    if podman("image", "exists", image, check=False).returncode != 0:
        raise SetupError(f"no image {image}: make container-test builds it")
    command = image_command(image)
    workdir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    _flush_redis()
    database = f"tbits_scale_out_{run_id}"
    run = Replicas(
        workdir=workdir,
        run_id=run_id,
        credentials=Credentials(),
        database=database,
        database_url=_create_database(database),
    )
    try:
        port = free_port()
        seeded = (
            "python manage.py migrate --noinput -v0 && python manage.py sandbox_seed -v0 && "
            + command
        )
        run.sandbox = run_container(
            f"tbits-scale-{run_id}-sandbox",
            image,
            sandbox_env(run.credentials, port, latency_ms=latency_ms),
            workdir,
            "sh",
            "-c",
            seeded,
            port=port,
        )
        env = portal_env(
            run.credentials,
            secret_key=uuid.uuid4().hex + uuid.uuid4().hex,
            database_url=run.database_url,
            api_url=f"{run.sandbox.url}/sandbox/",
            workers=workers,
            threads=threads,
            cache_url=cache_url,
        )
        # The migration Job: once, before any replica starts.
        migrate_env = write_env_file(workdir / "migrate.env", env)
        podman(
            "run",
            "--rm",
            *PODMAN_RUN,
            *HARDENED,
            "--env-file",
            str(migrate_env),
            image,
            "python",
            "manage.py",
            "migrate",
            "--noinput",
            timeout=300,
        )
        for number in range(1, replicas + 1):
            port = free_port()
            run.portals.append(
                run_container(
                    f"tbits-scale-{run_id}-portal-{number}",
                    image,
                    {**env, "PORT": str(port)},
                    workdir,
                    "sh",
                    "-c",
                    command,
                    port=port,
                )
            )
        for container in [run.sandbox, *run.portals]:
            container.wait_until_serving()
        run.balancer_port = free_port()
        run.balancer = start_haproxy(workdir, run.balancer_port, run.portals)
        run.wait_for_balancer()
    except BaseException:
        run.stop()
        raise
    return run
