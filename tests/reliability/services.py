"""Redis and PostgreSQL servers of a test's own: a spare port, a tmp dir, stopped and
started at will.

The machine's shared servers (Redis on 6379, PostgreSQL on 5432) are never touched: a
fault test stops its own server under the portal and starts it again on the same port.
PostgreSQL refuses to run as root, so when the test runs as root its cluster belongs to
the ``postgres`` user and the binaries run as that user (``runuser``). A missing binary
fails the test with a message saying which, rather than skipping it: CI has it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loadtest.stack import free_port

REDIS_SERVER = "/usr/bin/redis-server"
#: Where this machine has PostgreSQL's server binaries (Debian puts them off the PATH).
POSTGRES_BIN = Path("/usr/local/bin")


def _binary(path: str | Path) -> str:
    found = shutil.which(str(path)) or shutil.which(Path(path).name)
    if found is None:
        pytest.fail(f"{path} is needed by this fault test and is not installed", pytrace=False)
    return found


def _wait_for_port(port: int, *, up: bool, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                listening = True
        except OSError:
            listening = False
        if listening is up:
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} still {'closed' if up else 'open'} after {seconds} s")


@dataclass
class RedisServer:
    """A redis-server without persistence on a spare port."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        command = [_binary(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for_port(self.port, up=True)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        _wait_for_port(self.port, up=False)


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster on a spare port, trusting local connections; the
    portal uses the cluster's own ``postgres`` database."""

    workdir: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data_dir(self) -> Path:
        return self.workdir / "pgdata"

    def _run(self, *command: str) -> None:
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*as_user, *command], capture_output=True, text=True, timeout=60, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def _pg_ctl(self, *args: str) -> None:
        self._run(_binary(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data_dir), *args)

    def start(self) -> PostgresServer:
        """Create the cluster on the first start; start the server."""
        if not self.data_dir.exists():
            _binary(POSTGRES_BIN / "postgres")
            self.workdir.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.workdir, "postgres", "postgres")
            self._run(
                _binary(POSTGRES_BIN / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            )
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.workdir} -c fsync=off"
        self._pg_ctl("start", "-w", "-t", "30", "-l", str(self.workdir / "pg.log"), "-o", options)
        _wait_for_port(self.port, up=True)
        return self

    def stop(self) -> None:
        """Stop at once (``-m fast``: connected clients are cut off, as in an outage)."""
        if (self.data_dir / "postmaster.pid").exists():
            self._pg_ctl("stop", "-w", "-t", "30", "-m", "fast")
        _wait_for_port(self.port, up=False)
