"""docs/operations.md's LOGGING snippet is the demo project's, and its filters import."""

from __future__ import annotations

import copy
import logging
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def snippet() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- logging-snippet -->\n```python\n(.*?)```", text, re.S)
    assert match, "docs/operations.md lost its LOGGING snippet marker"
    namespace: dict[str, Any] = {}
    exec(match.group(1), namespace)  # noqa: S102 - our own documentation's code
    return namespace["LOGGING"]


def test_the_documented_logging_is_what_the_demo_runs() -> None:
    documented = snippet()
    running = copy.deepcopy(settings.LOGGING)
    running["root"]["level"] = "INFO"  # the demo reads LOG_LEVEL; the doc fixes INFO
    assert documented == running


def test_every_documented_filter_is_a_logging_filter() -> None:
    for spec in snippet()["filters"].values():
        assert issubclass(import_string(spec["()"]), logging.Filter)
