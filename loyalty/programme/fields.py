"""Typed reads from the tables of a setup file, each failure reported against its field.

One :class:`Table` wraps one TOML table (the file itself, ``[point_type]``, one
``[[quests]]`` entry...). Its reads carry the wording every field shares ("is required",
"must be a whole number", "is not a known field; did you mean..."), so the per-entity
checks say only which fields an entity has and when each is required.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from loyalty.programme.problems import Report, entity_name
from loyalty.programme.spec import ById, ByName, Reference
from loyalty.programme.vocabulary import MAX_POINTS, NAME_MAX, NONE

__all__ = ["Table"]

_E = TypeVar("_E", bound=enum.StrEnum)
# Keys of the API that the file replaces with a stable reference, and what to write instead.
_BY_KEY_INSTEAD = {
    "point_tier_uid": 'point_tier = "<tier_name of a tier in this file>"',
    "required_page_tab_ids": 'required_quests = ["<quest_title>", ...] (quests of this file)',
}


class Table:
    """Typed reads from one TOML table, each failure reported against its field.

    Reads return None (or an empty tuple) for a missing or invalid value, so validation
    carries on and reports everything at once. ``finish()`` reports keys nobody read:
    almost always a typo, which would otherwise be silently ignored.
    """

    def __init__(self, report: Report, entity: str, raw: Mapping[str, Any]) -> None:
        self.report = report
        self.entity = entity
        self.raw = raw
        self.known: set[str] = set()

    @classmethod
    def entry(
        cls, report: Report, kind: str, position: int, raw: Mapping[str, Any], *, title_key: str
    ) -> Table:
        """The table of one ``[[tiers]]``, ``[[quests]]`` or ``[[rewards]]`` entry.

        Its problems name the entry by position and by the title as written, whether or
        not that title turns out valid, so the operator can find the entry either way.
        """
        title = raw.get(title_key)
        return cls(
            report,
            entity_name(kind, position, title.strip() if isinstance(title, str) else None),
            raw,
        )

    def problem(self, key: str, message: str) -> None:
        self.report.add(self.entity, key, message)

    def has(self, key: str) -> bool:
        return key in self.raw

    def _get(self, key: str, *, required: bool, why: str = "") -> Any:
        self.known.add(key)
        value = self.raw.get(key)
        if value is None or value == "" or value == []:
            if required:
                self.problem(key, f"is required{why}")
            return None
        return value

    def text(
        self, key: str, *, required: bool = False, max_length: int | None = None, why: str = ""
    ) -> str | None:
        value = self._get(key, required=required, why=why)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(key, f"must be text (a quoted string), not {_kind(value)}")
            return None
        value = value.strip()
        if not value:
            if required:
                self.problem(key, f"is required{why}")
            return None
        if max_length is not None and len(value) > max_length:
            self.problem(key, f"must be at most {max_length} characters (it has {len(value)})")
            return None
        return value

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int = 0,
        maximum: int = MAX_POINTS,
        why: str = "",
    ) -> int | None:
        value = self._get(key, required=required, why=why)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, not {_kind(value)}")
            return None
        if value < minimum:
            self.problem(key, f"must be at least {minimum:,} (it is {value:,})")
            return None
        if value > maximum:
            self.problem(key, f"must be at most {maximum:,} (it is {value:,})")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self._get(key, required=False)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_kind(value)}")
            return None
        return value

    def choice(self, key: str, kind: type[_E], *, required: bool = False) -> _E | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        return self._member(key, value, kind)

    def choice_or_none(self, key: str, kind: type[_E]) -> _E | Literal["none"] | None:
        """A member of ``kind``, or the file's ``"none"`` that the API expresses by absence.

        ``"none"`` is returned as written so a caller can tell it from a missing key (None).
        """
        value = self.text(key)
        if value is None or value == NONE:
            return value
        return self._member(key, value, kind, also=(NONE,))

    def _member(
        self, key: str, value: str, kind: type[_E], *, also: tuple[str, ...] = ()
    ) -> _E | None:
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join([*(item.value for item in kind), *also])
            self.problem(key, f"{value!r} is not one of: {allowed}")
            return None

    def text_list(
        self,
        key: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        sent_as_list: bool = False,
        why: str = "",
    ) -> tuple[str, ...]:
        value = self._get(key, required=required, why=why)
        if value is None:
            return ()
        if isinstance(value, str):
            # Also accepted as the API takes it: one comma- or newline-separated string.
            value = value.replace("\n", ",").split(",")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, 'must be a list of texts, like ["a", "b"]')
            return ()
        items = [item.strip() for item in value if item.strip()]
        if not items:
            # Only blank entries (``[" "]``, ``" , "``): as good as missing.
            if required:
                self.problem(key, f"is required{why}")
            return ()
        if sent_as_list and any("," in item for item in items):
            # The API receives the list as one comma-separated value: a comma would split it.
            self.problem(
                key, "entries cannot contain commas (the API receives them comma-separated)"
            )
            return ()
        if len(set(items)) != len(items):
            duplicates = sorted({item for item in items if items.count(item) > 1})
            self.problem(key, f"lists {', '.join(map(repr, duplicates))} more than once")
            return ()
        if max_length is not None:
            long = [item for item in items if len(item) > max_length]
            if long:
                self.problem(key, f"each entry must be at most {max_length} characters")
                return ()
        return tuple(items)

    def uid(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return str(uuid.UUID(value))
        except ValueError:
            self.problem(key, f"{value!r} is not a valid id (a UUID such as 1b4e28ba-2fa1-...)")
            return None

    def date(self, key: str) -> dt.date | None:
        value = self._get(key, required=False)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            self.problem(key, "must be a date (2027-05-01), without a time")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(key, f"must be a date like 2027-05-01, not {value!r}")
        return None

    def wall_time(
        self, key: str, *, zone: zoneinfo.ZoneInfo | None, required: bool = False, why: str = ""
    ) -> dt.datetime | None:
        """A date-time as a wall-clock time in ``zone`` (naive), as the API takes it."""
        value = self._get(key, required=required, why=why)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, dt.datetime):
            self.problem(key, "must be a date and time like 2027-06-30T23:59:59")
            return None
        if value.tzinfo is not None:
            if zone is None:
                return None  # the timezone problem is reported on its own field
            # An explicit offset is honoured: the same instant, on the reward's clock.
            value = value.astimezone(zone).replace(tzinfo=None)
        return value.replace(microsecond=0)

    def table_list(self, key: str) -> list[Mapping[str, Any]]:
        value = self._get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            self.problem(key, f"must be an array of tables: write each entry as [[{key}]]")
            return []
        return value

    def forbid(self, key: str, why: str) -> None:
        """Report ``key`` when present: the API would ignore it here."""
        self.known.add(key)
        if key in self.raw and self.raw[key] not in (None, "", []):
            self.problem(key, why)

    def reference(
        self, *, name_key: str, uid_key: str, required: bool, why: str = ""
    ) -> Reference | None:
        """An event or idol named by uid or by name (one of the two, not both)."""
        uid = self.uid(uid_key)
        name = self.text(name_key, max_length=NAME_MAX)
        if uid is not None and name is not None:
            self.problem(name_key, f"give either {name_key} or {uid_key}, not both")
            return None
        if uid is not None:
            return ById(uid)
        if name is not None:
            return ByName(name)
        if required and name_key not in self.raw and uid_key not in self.raw:
            self.problem(name_key, f"is required{why}; name it, or give its {uid_key}")
        return None

    def finish(self) -> None:
        """Report every key no read asked for: almost always a typo, else ignored."""
        for key in self.raw:
            if key in self.known:
                continue
            if key in _BY_KEY_INSTEAD:
                self.problem(
                    key, f"is not used in a setup file; write {_BY_KEY_INSTEAD[key]} instead"
                )
                continue
            close = difflib.get_close_matches(key, sorted(self.known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.problem(key, f"is not a known field{hint}")


def _kind(value: Any) -> str:
    """A wrong value as the operator would recognise it in the file."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return type(value).__name__
