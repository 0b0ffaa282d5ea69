"""One line of ``tbits_check``'s report: what was checked, the verdict, what to do."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.StrEnum):
    OK = "ok"
    PROBLEM = "PROBLEM"
    WARNING = "warning"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report; ``action`` says what to do about a problem."""

    code: str
    verdict: Verdict
    message: str
    action: str = ""

    @property
    def is_problem(self) -> bool:
        return self.verdict is Verdict.PROBLEM
