"""Containers of the image under test, run with podman on the host's network.

Every container carries the run's label and is removed when the run ends, whatever
happened; each listens on a loopback port of its own (``BIND_ADDRESS=127.0.0.1``) and gets
its environment from a file readable by root only, never from the command line, where
``ps`` would show the API secret. Every container runs with a read-only root filesystem and
no writable tmpfs at all: the image must need none.
"""

from __future__ import annotations

import shlex
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loadtest.stack import free_port

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
#: Host network: the machine's PostgreSQL and Redis listen on loopback only.
NETWORK_FLAGS = ("--network", "host")
#: A read-only root filesystem and not even the tmpfs podman would add on /tmp and /run.
READ_ONLY_FLAGS = ("--read-only", "--read-only-tmpfs=false")
#: How long a container may take to answer /healthz after it starts.
START_SECONDS = 60


class ContainerError(AssertionError):
    """podman, or a container, did not do what a test needs; the message says what."""


@dataclass(frozen=True)
class Container:
    """One running (or stopped) container and the loopback port it listens on."""

    podman: Podman
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        """Everything the container wrote to stdout and stderr."""
        result = self.podman.call("logs", self.name, check=False)
        return result.stdout + result.stderr

    def exec(self, *command: str) -> subprocess.CompletedProcess[str]:
        """Run ``command`` inside the container as the image's user; never raises."""
        return self.podman.call("exec", self.name, *command, check=False)

    def top(self) -> list[tuple[str, str, str]]:
        """``(user in the container, user on the host, command)`` of every process."""
        rows = self.podman.call("top", self.name, "user", "huser", "args").stdout.splitlines()
        return [tuple(row.split(maxsplit=2)) for row in rows[1:] if row.strip()]  # type: ignore[misc]

    def inspect(self, template: str) -> str:
        return self.podman.call("inspect", "--format", template, self.name).stdout.strip()

    def send_signal(self, signal: str) -> None:
        self.podman.call("kill", "--signal", signal, self.name)

    def wait(self, *, timeout: float) -> int:
        """The exit status once the container has stopped (within ``timeout`` seconds)."""
        result = self.podman.call("wait", self.name, timeout=timeout)
        return int(result.stdout.strip().splitlines()[-1])

    def is_running(self) -> bool:
        return self.inspect("{{.State.Running}}") == "true"


@dataclass
class Podman:
    """Runs the image under test; removes every container it started in :meth:`remove_all`."""

    image: str
    workdir: Path
    label: str = field(default_factory=lambda: f"tbits-portal-test-run={uuid.uuid4().hex[:12]}")

    def call(
        self, *args: str, timeout: float = 120, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """``podman args...``; with ``check``, a failure raises with podman's own words."""
        command = ["podman", *args]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ContainerError(f"{shlex.join(command)} took over {timeout} s") from error
        if check and result.returncode != 0:
            raise ContainerError(
                f"{shlex.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
            )
        return result

    def env_file(self, env: Mapping[str, str]) -> Path:
        """``env`` written as an env file only its owner can read."""
        path = self.workdir / f"env-{uuid.uuid4().hex[:8]}"
        for key, value in env.items():
            if "\n" in value:
                raise ValueError(f"{key}: an env file holds one line per variable")
        path.touch(mode=0o600)  # before the secret is in it
        path.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
        return path

    def flags(self, env_file: Path | None = None) -> list[str]:
        """Every flag but the name: runtime, host network, read-only, label, environment."""
        flags = [*RUNTIME_FLAGS, *NETWORK_FLAGS, *READ_ONLY_FLAGS, "--label", self.label]
        return flags if env_file is None else [*flags, "--env-file", str(env_file)]

    def run(
        self, env: Mapping[str, str], *command: str, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """A one-off container (``manage.py migrate``, say), removed when it exits."""
        flags = self.flags(self.env_file(env))
        return self.call(
            "run", "--rm", "--no-healthcheck", *flags, self.image, *command,
            timeout=timeout, check=False,
        )  # fmt: skip

    def start(
        self,
        role: str,
        env: Mapping[str, str],
        *,
        port: int | None = None,
        healthcheck: bool = False,
    ) -> Container:
        """Start the image's own command on a loopback port; return once /healthz answers.

        ``healthcheck``: keep the image's HEALTHCHECK (podman logs that it has no systemd to
        schedule it on such machines; ``podman healthcheck run`` still runs it on demand).
        """
        port = port or free_port()
        name = f"tbits-test-{role}-{uuid.uuid4().hex[:8]}"
        environment = {**env, "BIND_ADDRESS": "127.0.0.1", "PORT": str(port)}
        flags = self.flags(self.env_file(environment))
        if not healthcheck:
            flags.insert(0, "--no-healthcheck")
        self.call("run", "--detach", "--name", name, *flags, self.image)
        container = Container(podman=self, name=name, port=port)
        self._wait_until_serving(container)
        return container

    def _wait_until_serving(self, container: Container) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{container.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if not container.is_running():
                raise ContainerError(f"{container.name} exited at start:\n{container.logs()}")
            time.sleep(0.3)
        raise ContainerError(
            f"{container.name} did not answer /healthz in {START_SECONDS} s:\n{container.logs()}"
        )

    def remove(self, container: Container) -> None:
        self.call("rm", "--force", "--time", "0", container.name, check=False)

    def remove_all(self) -> list[str]:
        """Remove every container of this run, running or not; their names."""
        listed = self.call(
            "ps", "--all", "--filter", f"label={self.label}", "--format", "{{.Names}}", check=False
        )
        names = listed.stdout.split()
        if names:
            self.call("rm", "--force", "--time", "0", *names, check=False)
        return names

    def run_documented(
        self, documented: Sequence[str], env: Mapping[str, str], *, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """A documented ``docker run ...`` command line, run with podman against this setup.

        The documented options and command stay as written; ``.env`` becomes a file holding
        ``env``, the documented image name the image under test, and podman gets this
        machine's runtime flags, the host network, the read-only root and the run's label.
        """
        if list(documented[:2]) not in (["docker", "run"], ["podman", "run"]):
            raise ValueError(f"not a `docker run` command: {shlex.join(documented)}")
        arguments = list(documented[2:])
        if "--env-file" not in arguments:
            raise ValueError(
                f"the documented command reads no --env-file: {shlex.join(documented)}"
            )
        arguments[arguments.index("--env-file") + 1] = str(self.env_file(env))
        images = [
            index
            for index, word in enumerate(arguments)
            if word.rsplit("/", 1)[-1].split(":")[0] == "tbits-portal"
        ]
        if len(images) != 1:
            raise ValueError(f"no one image name tbits-portal in {shlex.join(documented)}")
        arguments[images[0]] = self.image
        return self.call(
            "run", "--no-healthcheck", *self.flags(), *arguments, timeout=timeout, check=False
        )

    def image_exists(self) -> bool:
        return self.call("image", "exists", self.image, check=False).returncode == 0
