"""Run the host project's own tests (``site_tests/``) in a pytest process of their own.

pytest-django configures Django once per process from one settings module, and this suite
runs on ``tests.settings``; the host site needs its own settings, URLs, apps and
templates. Overriding those in-process (``override_settings`` of INSTALLED_APPS,
ROOT_URLCONF, TEMPLATES, MIDDLEWARE) would leave the app registry, template loaders,
migrations and URL caches of the demo project half in place, which would prove nothing
about a real site. A separate process with ``--ds=tests.hostsite.settings_sandboxed`` is
exactly a site of its own; this test fails with that run's output when any of its tests
fails, and also when it collects fewer tests than it should.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITE_TESTS = Path(__file__).resolve().parent / "site_tests"
#: Fewer than this means a file or a test was lost, not that all is well.
MINIMUM_TESTS = 25


def test_the_host_site_passes_its_own_tests(tmp_path: Path) -> None:
    report = tmp_path / "hostsite.xml"
    env = {
        key: value
        for key, value in os.environ.items()
        # The host site is its own project: none of the demo project's settings apply.
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL"}
        and not key.startswith("TBITS_")
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ds=tests.hostsite.settings_sandboxed",
            "-o",
            "python_files=hostcheck_*.py",
            # The host's tests do not use hypothesis; its plugin only slows the run.
            "-p",
            "no:hypothesispytest",
            f"--junitxml={report}",
            "-q",
            str(SITE_TESTS),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout[-20000:] + run.stderr[-5000:]
    assert run.returncode == 0, output
    suite = ET.parse(report).getroot()  # noqa: S314 - the report this test just had written
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert suite is not None, output
    tests = int(suite.get("tests", 0))
    problems = sum(int(suite.get(kind, 0)) for kind in ("failures", "errors", "skipped"))
    assert tests >= MINIMUM_TESTS and problems == 0, output
    assert "PytestUnhandledThreadExceptionWarning" not in output, output
