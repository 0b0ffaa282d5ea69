"""The wheel is the library a host installs, not the demo (issue 18).

Built from a copy of the source (so the build leaves nothing in the checkout), then read
as a zip: the four packages with their templates, static files, compiled catalogues and
the example setup file; no demo project, tests or benchmarks; gunicorn and the demo's
other needs only under the ``demo`` extra; and ``twine check`` passes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "accounts", "loyalty", "tbits_client", "tbits_sandbox")
#: Copied too, to prove the build leaves them out.
NOT_SHIPPED = ("tbits_portal", "tests", "benchmarks")
DEMO_ONLY = ("gunicorn", "django-environ", "whitenoise", "django-csp")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3", "artifacts")
    for name in (*SOURCES, *NOT_SHIPPED):
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (found,) = out.glob("tbits_portal-*.whl")
    return found


def test_the_wheel_holds_the_library_and_its_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names if not name.startswith("tbits_portal-")}
    assert tops == {"accounts", "loyalty", "tbits_client", "tbits_sandbox"}
    for expected in (
        "accounts/templates/tbits_accounts/base.html",
        "loyalty/templates/tbits_loyalty/base.html",
        "loyalty/static/tbits_loyalty/portal.css",
        "loyalty/static/tbits_loyalty/tags.css",
        "accounts/static/tbits_accounts/accounts.css",
        "accounts/locale/fr/LC_MESSAGES/django.mo",
        "loyalty/locale/fr/LC_MESSAGES/django.mo",
        "loyalty/programme/example.toml",
        "loyalty/portal_urls.py",
        "tbits_sandbox/templates",
    ):
        assert any(name.startswith(expected) for name in names), expected


def test_gunicorn_and_the_demos_needs_come_only_with_the_demo_extra(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = Parser().parsestr(archive.read(metadata).decode()).get_all("Requires-Dist")
    base = [line for line in requires if "extra ==" not in line]
    assert not [line for line in base if line.split(">")[0].split("[")[0] in DEMO_ONLY], base
    for name in DEMO_ONLY:
        assert any(line.startswith(name) and 'extra == "demo"' in line for line in requires), name


def test_twine_check_passes(wheel: Path) -> None:
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
