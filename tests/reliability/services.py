"""A Redis server of a test's own: a spare port, a tmp dir, stopped and started at will.

The machine's shared Redis (6379) is never touched: a fault test stops its own server
under the portal and starts it again on the same port. A missing binary fails the test
with a message saying which, rather than skipping it: CI has it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loadtest.stack import free_port

REDIS_SERVER = "/usr/bin/redis-server"


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
