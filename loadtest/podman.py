"""podman as these machines need it, and a container of the image on a loopback port.

One place for what the scale-out run (:mod:`loadtest.containers`) and the container tests
(``tests/container/podman.py``) both do with podman: the runtime and network flags, one way
to call podman, an environment file only its owner can read, and a container to reach,
read, signal and remove. The tests import it; nothing here imports the tests.
"""

from __future__ import annotations

import shlex
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: runc and explicit ulimits: crun and podman's default ulimits fail on cgroup setups like
#: CI's (the Makefile's PODMAN_RUNTIME builds the image with the same flags).
RUNTIME_FLAGS = (
    "--runtime",
    "runc",
    "--ulimit",
    "nofile=1024:1024",
    "--ulimit",
    "nproc=1000:1000",
)
#: The host's network: podman's own does not work on these machines, and the machine's
#: PostgreSQL and Redis listen on loopback only. Every server binds 127.0.0.1.
NETWORK_FLAGS = ("--network", "host")


class PodmanError(RuntimeError):
    """podman, or a container, did not do what was asked; the message says what."""


def podman(
    *args: str, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``podman args...``; with ``check``, a failure raises with podman's own words."""
    command = ["podman", *args]
    try:
        result = subprocess.run(  # noqa: S603 - podman with our own arguments
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise PodmanError(f"{shlex.join(command)} took over {timeout} s") from error
    if check and result.returncode != 0:
        raise PodmanError(
            f"{shlex.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


def write_env_file(path: Path, env: Mapping[str, str]) -> Path:
    """``env`` as an env file at ``path``, readable by its owner alone from its creation on.

    A file, not ``-e`` flags: the API secret stays out of the process list.
    """
    for key, value in env.items():
        if "\n" in value:
            raise ValueError(f"{key}: an env file holds one line per variable")
    path.touch(mode=0o600)  # before the secret is in it
    path.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    return path


@dataclass(frozen=True)
class Container:
    """One container (running or stopped) and the loopback port it listens on."""

    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        """The container's output, stdout and stderr interleaved as written."""
        result = subprocess.run(  # noqa: S603 - podman with our own arguments
            ["podman", "logs", self.name],  # noqa: S607 - podman from the PATH
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout

    def inspect(self, template: str) -> str:
        return podman("inspect", "--format", template, self.name).stdout.strip()

    def running(self) -> bool:
        """Whether the container is still up (not exited, not killed, not removed)."""
        state = podman("inspect", "--format", "{{.State.Running}}", self.name, check=False)
        return state.stdout.strip() == "true"

    def exec(self, *command: str) -> subprocess.CompletedProcess[str]:
        """Run ``command`` inside the container as the image's user; never raises."""
        return podman("exec", self.name, *command, check=False)

    def manage(self, *args: str) -> subprocess.Popen[str]:
        """Start ``python manage.py ...`` inside the running container."""
        return subprocess.Popen(  # noqa: S603 - podman with our own arguments
            ["podman", "exec", self.name, "python", "manage.py", *args],  # noqa: S607
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def top(self) -> list[tuple[str, str, str]]:
        """``(user in the container, user on the host, command)`` of every process."""
        rows = podman("top", self.name, "user", "huser", "args").stdout.splitlines()
        return [tuple(row.split(maxsplit=2)) for row in rows[1:] if row.strip()]  # type: ignore[misc]

    def send_signal(self, signal: str) -> None:
        podman("kill", "--signal", signal, self.name)

    def kill(self) -> None:
        """SIGKILL, as a crashed node or an OOM kill: no graceful shutdown."""
        self.send_signal("KILL")

    def wait(self, *, timeout: float) -> int:
        """The exit status once the container has stopped (within ``timeout`` seconds)."""
        result = podman("wait", self.name, timeout=timeout)
        return int(result.stdout.strip().splitlines()[-1])

    def remove(self) -> None:
        """Stop at once and delete the container; nothing of it is left."""
        podman("rm", "--force", "--time", "0", self.name, check=False)

    def wait_until_serving(self, seconds: float = 90) -> None:
        """Until ``/healthz`` answers (gunicorn's worker is up); raise if it exits first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if not self.running():
                raise PodmanError(f"{self.name} exited at start:\n{self.logs()[-3000:]}")
            time.sleep(0.3)
        raise PodmanError(
            f"{self.name} did not answer /healthz in {seconds} s:\n{self.logs()[-3000:]}"
        )
