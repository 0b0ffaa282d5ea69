"""How an API object becomes a model: one reader per value kind, driven by the dataclass.

A model's field list is written once, as its dataclass fields. :class:`ApiModel` reads
each field from the payload key of the same name, with the reader its type annotation
calls for (``int``, ``str``, ``bool``, ``dt.date``, ``dt.datetime``, a ``StrEnum``,
``tuple[str, ...]``, ``tuple[int, ...]``, ``dict``). A field is required when it has no
default and its type does not admit None; a missing optional value takes the field's
default. Whatever keys are left go to ``extra``, which is every model's last field.

Parsing is strict where a page would be wrong without the value (a missing required one
raises InvalidResponse naming the model and the field) and lenient everywhere else:
dates arrive as ISO strings, dates or None, lists as JSON arrays or comma-separated
strings, and an enum value the provider adds later is kept as a plain string so a new
quest type never breaks a whole page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from ..errors import InvalidResponse

__all__ = [
    "READ_ONLY",
    "ApiModel",
    "PayloadReader",
    "fallback_keys",
    "parse_bool",
    "parse_list",
]

_E = TypeVar("_E", bound=enum.StrEnum)
_M = TypeVar("_M", bound="ApiModel")
_MISSING = object()
# Field metadata keys.
_READ_ONLY = "tbits_read_only"
_FALLBACK_KEYS = "tbits_fallback_keys"


class PayloadReader:
    """Reads typed values out of one API object, remembering which keys it consumed.

    Whatever is left when the model is built goes to ``extra``; a problem with a required
    value raises InvalidResponse naming the model and the field.
    """

    def __init__(self, model: str, payload: Any) -> None:
        if not isinstance(payload, Mapping):
            raise InvalidResponse(
                f"{model}: expected a JSON object, got {type(payload).__name__}",
                body=None,
            )
        self.model = model
        self.payload = payload
        self.used: set[str] = set()

    def _raw(self, key: str, *, required: bool) -> Any:
        self.used.add(key)
        value = self.payload.get(key, _MISSING)
        if value is _MISSING or (value is None and required) or (value == "" and required):
            if required:
                raise InvalidResponse(f"{self.model}: missing required field {key!r}")
            return None
        if value == "":
            return None
        return value

    def _bad(self, key: str, expected: str) -> InvalidResponse:
        return InvalidResponse(f"{self.model}: field {key!r} is not {expected}")

    def str(self, key: str, *, required: bool = False) -> Any:
        value = self._raw(key, required=required)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            raise self._bad(key, "a string")
        return str(value)

    def int(self, key: str, *, required: bool = False) -> Any:
        value = self._raw(key, required=required)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self._bad(key, "an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise self._bad(key, "an integer")

    def bool(self, key: str, *, required: bool = False, default: bool | None = None) -> Any:
        value = self._raw(key, required=required)
        if value is None:
            return default
        parsed = parse_bool(value)
        if parsed is None:
            raise self._bad(key, "a boolean")
        return parsed

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self._raw(key, required=required)
        try:
            return _parse_date(value)
        except ValueError:
            raise self._bad(key, "an ISO date") from None

    def datetime(self, key: str, *, required: bool = False) -> dt.datetime | None:
        value = self._raw(key, required=required)
        try:
            return _parse_datetime(value)
        except ValueError:
            raise self._bad(key, "an ISO timestamp") from None

    def enum(self, key: str, kind: type[_E], *, required: bool = False) -> Any:
        value = self.str(key, required=required)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            return value  # a value the provider added later: keep it, do not crash

    def str_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self._raw(key, required=required)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(
                part.strip() for part in value.replace("\n", ",").split(",") if part.strip()
            )
        if isinstance(value, list | tuple):
            items = []
            for item in value:
                if isinstance(item, Mapping):
                    # Tags may come as objects; their name is what a page needs.
                    name = item.get("tag_name") or item.get("name") or item.get("label_name")
                    if name is None:
                        raise self._bad(key, "a list of names")
                    items.append(str(name))
                elif item is not None and item != "":
                    items.append(str(item))
            return tuple(items)
        raise self._bad(key, "a list")

    def int_list(self, key: str, *, required: bool = False) -> tuple[int, ...]:
        try:
            return tuple(int(item) for item in self.str_list(key, required=required))
        except ValueError:
            raise self._bad(key, "a list of integers") from None

    def mapping(self, key: str, *, required: bool = False) -> dict[str, Any]:
        value = self._raw(key, required=required)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._bad(key, "an object")
        return dict(value)

    def extra(self) -> dict[str, Any]:
        return {key: value for key, value in self.payload.items() if key not in self.used}


_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n", ""})


def parse_bool(value: Any) -> bool | None:
    """A boolean from JSON or a form-ish string; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError) as error:  # out of the calendar's range
            raise ValueError(value) from error
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        return dt.datetime.fromisoformat(text)
    raise ValueError(value)


def _parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 10:  # a timestamp where a date was expected: keep the day
            parsed = _parse_datetime(text)
            return parsed.date() if parsed else None
        return dt.date.fromisoformat(text)
    raise ValueError(value)


# --- Field specs: the dataclass is the field list ----------------------------------------


# Field metadata: ``field(default=None, metadata=READ_ONLY)`` marks a field the API
# reports but its creation call does not take.
READ_ONLY: Mapping[str, Any] = types.MappingProxyType({_READ_ONLY: True})


def fallback_keys(*keys: str) -> Mapping[str, Any]:
    """Field metadata: read the field from its own key, else from ``keys`` (older shapes)."""
    return types.MappingProxyType({_FALLBACK_KEYS: keys})


# How one value is read: ``read(payload, key, required=...)``, a PayloadReader method.
Reader = Callable[..., Any]

# Readers by the plain type a field holds (an optional type is unwrapped first).
_READERS: dict[Any, Reader] = {
    str: PayloadReader.str,
    int: PayloadReader.int,
    bool: PayloadReader.bool,
    dt.date: PayloadReader.date,
    dt.datetime: PayloadReader.datetime,
    dict: PayloadReader.mapping,
    (tuple, str): PayloadReader.str_list,
    (tuple, int): PayloadReader.int_list,
}


def _is_union(annotation: Any) -> bool:
    return isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union


def _reader_for(model: type, name: str, annotation: Any) -> Reader:
    members = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
    members = tuple(member for member in members if member is not type(None))
    for member in members:
        # ``QuestType | str``: the enum, and a plain string for a value added later.
        if isinstance(member, type) and issubclass(member, enum.StrEnum):
            return functools.partial(PayloadReader.enum, kind=member)
    (plain,) = members
    origin = typing.get_origin(plain)
    lookup: Any = (tuple, typing.get_args(plain)[0]) if origin is tuple else origin or plain
    try:
        return _READERS[lookup]
    except KeyError:
        raise TypeError(f"{model.__name__}.{name}: no reader for {annotation!r}") from None


class _FieldSpec(typing.NamedTuple):
    """How one dataclass field is read: ``read(payload, name, required=required)``."""

    name: str
    read: Reader
    required: bool


class _GapFiller(typing.NamedTuple):
    """For a field whose missing value is not just None: other keys, then a default."""

    position: int
    read: Reader
    fallback_keys: tuple[str, ...]
    default: Callable[[], Any] | None


@dataclasses.dataclass(frozen=True, slots=True)
class _ReadPlan:
    """How a model class is read, worked out once from its dataclass fields and hints.

    Kept as flat tuples because ``from_api`` runs for every row of every list answer.
    """

    fields: tuple[_FieldSpec, ...]
    gaps: tuple[_GapFiller, ...]


def _default_of(item: dataclasses.Field[Any]) -> Callable[[], Any] | None:
    """What fills the field when the payload has no value; None when None does."""
    if item.default is not dataclasses.MISSING and item.default is not None:
        value = item.default
        return lambda: value
    if item.default_factory is not dataclasses.MISSING:
        return item.default_factory
    return None


@functools.cache
def _plan(model: type[ApiModel]) -> _ReadPlan:
    """How ``model`` is read; its last field must be ``extra`` (the keys nobody read)."""
    hints = typing.get_type_hints(model)
    *items, last = dataclasses.fields(model)  # type: ignore[arg-type]
    if last.name != "extra":
        raise TypeError(f"{model.__name__}: the last field must be extra")
    fields, gaps = [], []
    for position, item in enumerate(items):
        annotation = hints[item.name]
        has_default = (
            item.default is not dataclasses.MISSING
            or item.default_factory is not dataclasses.MISSING
        )
        admits_none = _is_union(annotation) and type(None) in typing.get_args(annotation)
        read = _reader_for(model, item.name, annotation)
        fields.append(_FieldSpec(item.name, read, not has_default and not admits_none))
        fallback_keys = item.metadata.get(_FALLBACK_KEYS, ())
        default = _default_of(item)
        if fallback_keys or default is not None:
            gaps.append(_GapFiller(position, read, fallback_keys, default))
    return _ReadPlan(fields=tuple(fields), gaps=tuple(gaps))


class ApiModel:
    """Base of the models read field by field; subclasses are frozen dataclasses.

    ``from_api`` reads every field but ``extra`` (see the module docstring for how), then
    puts the keys it did not read in ``extra``. Keys named in ``_dropped`` are read and
    thrown away (never kept, not even in ``extra``).
    """

    _dropped: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_api(cls: type[_M], payload: Any) -> _M:
        reader = PayloadReader(cls.__name__, payload)
        plan = _plan(cls)
        values = [read(reader, name, required=required) for name, read, required in plan.fields]
        for position, read, fallback_keys, default in plan.gaps:
            for key in fallback_keys:
                if values[position] is None:
                    values[position] = read(reader, key, required=False)
            if values[position] is None and default is not None:
                values[position] = default()
        reader.used.update(cls._dropped)
        return cls(*values, reader.extra())

    @classmethod
    def list_from_api(cls: type[_M], payload: Any) -> list[_M]:
        """Parse an answer holding a list of these (see :func:`parse_list`)."""
        return parse_list(cls, payload)

    @classmethod
    def creation_fields(cls) -> tuple[str, ...]:
        """The fields its creation call takes, in order (all but the read-only ones)."""
        return tuple(
            item.name
            for item in dataclasses.fields(cls)  # type: ignore[arg-type]
            if item.name != "extra" and not item.metadata.get(_READ_ONLY)
        )


def _rows(payload: Any, *, model: str) -> list[Any]:
    """The list of objects in an answer: a bare array, ``{"data": [...]}``, or one object."""
    if payload is None:
        return []
    if isinstance(payload, list):
        return payload
    if isinstance(payload, Mapping):
        data = payload.get("data")
        if isinstance(data, list):
            return data
        if data is None and "data" in payload:
            return []
        # Some calls document "Following structure" (one object) where a list is natural.
        return [payload]
    raise InvalidResponse(f"{model}: expected a JSON array, got {type(payload).__name__}")


def parse_list(model: type[_M], payload: Any) -> list[_M]:
    """Parse an answer holding a list of ``model`` objects."""
    return [model.from_api(row) for row in _rows(payload, model=model.__name__)]
