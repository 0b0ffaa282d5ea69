"""The demo project's configuration surface (the wheel: tests/packaging/test_wheel.py)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_variable_settings_reads():
    settings_source = (REPO / "tbits_portal" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_source))
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "TBITS_API_SECRET"} <= read
    example = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set(), "variables missing from .env.example"
    # Every variable carries a one-line comment right above it.
    lines = example.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]+=", line):
            assert lines[index - 1].startswith("#"), f"no comment above {line}"


def test_env_example_lists_every_variable_the_container_command_reads():
    dockerfile = (REPO / "Dockerfile").read_text()
    command = re.findall(r"^CMD (.+)$", dockerfile, flags=re.MULTILINE)[-1]
    read = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", command))
    assert {"PORT", "GUNICORN_TIMEOUT", "BIND_ADDRESS"} <= read
    example = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set(), "variables missing from .env.example"


def test_only_settings_reads_the_environment():
    offenders = []
    for package in ("tbits_portal", "accounts", "loyalty", "tbits_client", "tbits_sandbox"):
        for path in (REPO / package).rglob("*.py"):
            if path.name == "settings.py":
                continue
            if re.search(
                r"os\.environ(?!\.setdefault\(\"DJANGO_SETTINGS)|os\.getenv", path.read_text()
            ):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


# The built wheel (the library, without this demo project): tests/packaging/test_wheel.py.
