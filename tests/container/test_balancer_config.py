"""deploy/haproxy.cfg (the compose file's balancer) is a configuration HAProxy accepts.

HAProxy from Debian's package checks it (``haproxy -c``), as it would at start; the
scale-out test installs and runs the same HAProxy, so ``make container-test`` has it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.manifests import DEPLOY

# make container-test only (the root conftest deselects it without --container-image).
pytestmark = pytest.mark.container


def _check(config: Path) -> subprocess.CompletedProcess[str]:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.fail("haproxy is needed (apt-get install -y haproxy)", pytrace=False)
    # The compose file gives the balancer PROBE_HOST; the config reads it.
    env = {**os.environ, "PROBE_HOST": "fans.example.com"}
    return subprocess.run(
        [haproxy, "-c", "-f", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


def test_compose_balancer_config_is_valid() -> None:
    result = _check(DEPLOY / "haproxy.cfg")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_balancer_config_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "haproxy.cfg"
    text = (DEPLOY / "haproxy.cfg").read_text()
    broken.write_text(text.replace("balance roundrobin", "balance round-robin"))
    assert _check(broken).returncode != 0
