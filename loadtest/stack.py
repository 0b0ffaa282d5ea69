"""The portal and the sandbox API as real gunicorn processes on loopback ports.

What production runs (gunicorn with the Dockerfile's options, ``DEBUG`` off, collected
static files, HTTPS behind a proxy) so that loads, headers, cookies and logs are the real
ones. Each process gets its own environment built from nothing, so the caller's settings
(the test suite's, say) never leak in, and its output goes to a log file that tests read.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

#: The host fans use in production mode; the load client sends it as ``Host``.
PUBLIC_HOST = "fans.example.com"

#: The API credentials both processes share (the sandbox seeds its account with them).
API_KEY = "loadtest-api-key"
ACCOUNT_ID = "1001"
BUSINESS_ID = "2002"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


@dataclass(frozen=True)
class Credentials:
    """The API secret of one run: random, so a test can look for it everywhere."""

    api_secret: str = field(default_factory=lambda: "secret-" + secrets.token_urlsafe(24))


def sandbox_env(
    workdir: Path,
    credentials: Credentials,
    *,
    latency_ms: int = 0,
    error_rate: float = 0.0,
    faults: str = "",
) -> dict[str, str]:
    """The sandbox API alone, in its own database, answering with latency and faults."""
    return _clean_env(
        {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{workdir / 'sandbox.sqlite3'}",
            "CACHE_URL": "locmemcache://sandbox",
            "STATIC_ROOT": str(workdir / "static"),
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "TBITS_SANDBOX": "1",
            "TBITS_SANDBOX_TEST_SERVER": "this is a test server: anyone may read its codes",
            "TBITS_SANDBOX_LATENCY_MS": str(latency_ms),
            "TBITS_SANDBOX_ERROR_RATE": str(error_rate),
            "TBITS_SANDBOX_FAULTS": faults,
            "TBITS_API_KEY": API_KEY,
            "TBITS_API_SECRET": credentials.api_secret,
            "TBITS_ACCOUNT_ID": ACCOUNT_ID,
            "TBITS_BUSINESS_ID": BUSINESS_ID,
            "LOG_LEVEL": "WARNING",
        }
    )


def portal_env(
    workdir: Path,
    credentials: Credentials,
    *,
    api_url: str,
    cache_url: str = "locmemcache://portal",
    database: str = "portal.sqlite3",
    database_url: str | None = None,
    log_level: str = "INFO",
) -> dict[str, str]:
    """The portal in production mode (no DEBUG, no sandbox, HTTPS behind a proxy), on
    ``database_url`` when given, else on the SQLite file ``database`` in ``workdir``."""
    return _clean_env(
        {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / database}",
            "CACHE_URL": cache_url,
            "STATIC_ROOT": str(workdir / "static"),
            "BEHIND_TLS_PROXY": "1",
            "TBITS_API_BASE_URL": api_url,
            "TBITS_API_KEY": API_KEY,
            "TBITS_API_SECRET": credentials.api_secret,
            "TBITS_ACCOUNT_ID": ACCOUNT_ID,
            "TBITS_BUSINESS_ID": BUSINESS_ID,
            "LOG_LEVEL": log_level,
        }
    )


def manage(env: Mapping[str, str], *args: str) -> None:
    """Run ``manage.py`` with ``env``; raise with its output when it fails."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


@dataclass
class Server:
    """One gunicorn master and its workers."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The master and its workers."""
        return [self.process.pid, *_children(self.process.pid)]

    def rss_kib(self) -> int:
        """Resident memory of the master and its workers, in KiB."""
        return sum(_rss_kib(pid) for pid in self.pids())

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> str:
        """Stop gracefully (SIGTERM, then SIGKILL after 20 s); return the whole log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.log()


def start_gunicorn(
    name: str,
    env: Mapping[str, str],
    *,
    workdir: Path,
    workers: int = 2,
    threads: int = 4,
    port: int | None = None,
) -> Server:
    """Start gunicorn as the Dockerfile does, bound to loopback; wait for ``/healthz``."""
    port = port or free_port()
    log_path = workdir / f"{name}.log"
    command = [
        str(BIN / "gunicorn"),
        "tbits_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        # Several servers run side by side; they must not share one control socket.
        "--no-control-socket",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
            command, cwd=REPO, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(name=name, port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer /healthz in 60 s:\n{server.log()}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent pid is the 2nd field after the parenthesised command name.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Stack:
    """The sandbox API and one or more portal processes in front of it."""

    workdir: Path
    credentials: Credentials
    sandbox: Server
    portals: list[Server]

    @property
    def portal(self) -> Server:
        return self.portals[0]

    def stop(self) -> dict[str, str]:
        """Stop every process; their logs by name."""
        logs = {server.name: server.stop() for server in self.portals}
        logs[self.sandbox.name] = self.sandbox.stop()
        return logs


def start_stack(
    workdir: Path,
    *,
    portals: int = 1,
    portal_workers: int = 2,
    portal_threads: int = 4,
    sandbox_workers: int = 2,
    sandbox_threads: int = 8,
    latency_ms: int = 0,
    error_rate: float = 0.0,
    faults: str = "",
    cache_url: str = "locmemcache://portal",
    database_url: str | None = None,
    log_level: str = "INFO",
) -> Stack:
    """Migrate, seed, collect static files, then start the sandbox and the portal(s).

    Several portals share one database and ``cache_url`` (give a Redis URL to share the
    rate limits, cooldowns and the circuit breaker between them, as production does), and
    the portals' database is ``database_url`` when given (a SQLite file otherwise).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    credentials = Credentials()
    api_env = sandbox_env(
        workdir, credentials, latency_ms=latency_ms, error_rate=error_rate, faults=faults
    )
    manage(api_env, "migrate", "--noinput", "-v0")
    manage(api_env, "sandbox_seed")
    sandbox = start_gunicorn(
        "sandbox", api_env, workdir=workdir, workers=sandbox_workers, threads=sandbox_threads
    )
    servers: list[Server] = []
    try:
        env = portal_env(
            workdir,
            credentials,
            api_url=f"{sandbox.url}/sandbox/",
            cache_url=cache_url,
            database_url=database_url,
            log_level=log_level,
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        for number in range(portals):
            servers.append(
                start_gunicorn(
                    f"portal-{number + 1}",
                    env,
                    workdir=workdir,
                    workers=portal_workers,
                    threads=portal_threads,
                )
            )
    except BaseException:
        for server in servers:
            server.stop()
        sandbox.stop()
        raise
    return Stack(workdir=workdir, credentials=credentials, sandbox=sandbox, portals=servers)
