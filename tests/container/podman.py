"""The image under test, run with podman on the host's network.

Every container carries the run's label and is removed when the run ends, whatever
happened; each listens on a loopback port of its own (``BIND_ADDRESS=127.0.0.1``) and gets
its environment from a file readable by root only, never from the command line, where
``ps`` would show the API secret. Every container runs with a read-only root filesystem and
no writable tmpfs at all: the image must need none. The podman flags, the call and the
container are :mod:`loadtest.podman`'s, which the scale-out run shares.
"""

from __future__ import annotations

import shlex
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loadtest.podman import NETWORK_FLAGS, RUNTIME_FLAGS, Container, podman, write_env_file
from loadtest.stack import free_port

#: A read-only root filesystem and not even the tmpfs podman would add on /tmp and /run.
READ_ONLY_FLAGS = ("--read-only", "--read-only-tmpfs=false")
#: How long a container may take to answer /healthz after it starts.
START_SECONDS = 60


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
        return podman(*args, timeout=timeout, check=check)

    def env_file(self, env: Mapping[str, str]) -> Path:
        """``env`` written as an env file only its owner can read."""
        return write_env_file(self.workdir / f"env-{uuid.uuid4().hex[:8]}", env)

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
        container = Container(name=name, port=port)
        container.wait_until_serving(START_SECONDS)
        return container

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
