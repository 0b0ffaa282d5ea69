"""What is wrong with a setup file, and how each problem says where it is.

Validation never stops at the first problem: every check adds to one :class:`Report`, and
the file is refused once, with the whole list, as :class:`ProgrammeInvalid`. Keeping the
wording of locations here (``quest #2 'Title'``) means the per-entity checks and the
whole-file checks name the same entity the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ProgrammeInvalid", "Report", "SetupProblem", "entity_name"]


@dataclass(frozen=True, slots=True)
class SetupProblem:
    """One thing wrong with a setup file: where (file, entity, field) and what."""

    file: str
    entity: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.entity}, field {self.field}" if self.field else self.entity
        return f"{self.file}: {where}: {self.message}"


class ProgrammeInvalid(Exception):
    """The file cannot be applied; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[SetupProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Report:
    """Collects the problems of one file, in the order they are found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[SetupProblem] = []

    def add(self, entity: str, field: str, message: str) -> None:
        self.problems.append(SetupProblem(self.source, entity, field, message))


def entity_name(kind: str, position: int, title: str | None) -> str:
    """How a problem names an entry of the file: ``quest #2 'Title'``, or ``quest #2``.

    The position is always there, since the title may be the very thing that is missing.
    """
    return f"{kind} #{position}" + (f" {title!r}" if title is not None else "")
