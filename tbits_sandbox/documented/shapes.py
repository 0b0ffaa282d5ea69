"""The vocabulary of the documented-only table: shapes, citations, and cutting an answer.

Kept apart from the table (``table.py``) so the table reads as data: one entry per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

API_REFERENCE = "api-reference.txt"
LOYALTY_GUIDE = "loyalty-portal-integration.txt"
WEBSITE_GUIDE = "website-integration.txt"


@dataclass(frozen=True)
class Leaf:
    """A value kept whole (its inside, if any, is data rather than documented fields)."""


LEAF = Leaf()


@dataclass(frozen=True)
class Obj:
    """An object with named fields; ``empty_unless`` names a field whose null means ``{}``."""

    fields: Mapping[str, Shape]
    empty_unless: str | None = None


@dataclass(frozen=True)
class ListOf:
    """A JSON array whose items all have one shape."""

    item: Shape


@dataclass(frozen=True)
class MapOf:
    """A JSON object whose keys are data (ids), each value of one shape."""

    value: Shape


Shape = Leaf | Obj | ListOf | MapOf


def obj(names: str = "", *, empty_unless: str | None = None, **nested: Shape) -> Obj:
    """An :class:`Obj` of the leaf fields ``names`` (space-separated) and the ``nested`` ones.

    Names as one string keep the table as close to the docs' field lists as it can be.
    """
    return Obj({**dict.fromkeys(names.split(), LEAF), **nested}, empty_unless=empty_unless)


def union(*shapes: Obj) -> Obj:
    """One object with every field of the given ones (the docs describe it twice)."""
    fields: dict[str, Shape] = {}
    for shape in shapes:
        fields.update(shape.fields)
    return Obj(fields)


@dataclass(frozen=True)
class Cite:
    """Where the docs say it: a file of docs/provider/, a heading in it, a verbatim quote."""

    file: str
    section: str
    quote: str


@dataclass(frozen=True)
class Documented:
    """The documented answer of one call: its shape, where it comes from, how it was read."""

    shape: Shape
    sources: tuple[Cite, ...]
    note: str = ""


@dataclass(frozen=True)
class UndocumentedAnswer(LookupError):
    """A JSON answer of a call that has no entry in :data:`TABLE`."""

    url_name: str | None
    method: str

    def __str__(self) -> str:
        return f"No documented answer for {self.url_name!r} {self.method} in documented.TABLE."


class ShapeMismatch(TypeError):
    """An answer that is not of the shape its entry describes (a list for an object, ...)."""


def api(section: str, quote: str) -> Cite:
    """A citation of api-reference.txt."""
    return Cite(API_REFERENCE, section, quote)


def loyalty(section: str, quote: str) -> Cite:
    """A citation of loyalty-portal-integration.txt."""
    return Cite(LOYALTY_GUIDE, section, quote)


def website(section: str, quote: str) -> Cite:
    """A citation of website-integration.txt."""
    return Cite(WEBSITE_GUIDE, section, quote)


def trim(payload: Any, shape: Shape) -> Any:
    """``payload`` with only the fields ``shape`` lists, at every level."""
    if isinstance(shape, Leaf):
        return payload
    if isinstance(shape, ListOf):
        if not isinstance(payload, list):
            raise ShapeMismatch(f"Expected a list, got {type(payload).__name__}.")
        return [trim(item, shape.item) for item in payload]
    if not isinstance(payload, dict):
        raise ShapeMismatch(f"Expected an object, got {type(payload).__name__}.")
    if isinstance(shape, MapOf):
        return {key: trim(value, shape.value) for key, value in payload.items()}
    if shape.empty_unless is not None and payload.get(shape.empty_unless) is None:
        return {}
    return {
        key: trim(value, shape.fields[key]) for key, value in payload.items() if key in shape.fields
    }
