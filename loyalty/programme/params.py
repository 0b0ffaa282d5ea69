"""What is sent for a quest or reward, and how a sent value is compared with a read one.

One function builds the creation parameters of a spec (:func:`quest_params`,
:func:`reward_params`); the planner compares its output with what the API lists, and the
applier sends it. Sharing it means the plan cannot promise something the apply does not do.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from loyalty.programme.spec import ById, ByName, QuestSpec, Reference, RewardSpec
from tbits_client import Quest

__all__ = [
    "QUEST_COMPARED",
    "QUEST_SENT",
    "REWARD_COMPARED",
    "Pending",
    "References",
    "comparable",
    "quest_params",
    "reward_params",
    "shown",
]


@dataclass(frozen=True, slots=True)
class Pending:
    """An id that does not exist yet, because this plan creates (or recreates) its owner."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"<new id of {self.kind} {self.name!r}>"


@dataclass(frozen=True, slots=True)
class References:
    """How the file's stable keys translate to the API's ids, for one plan or apply."""

    tiers: Mapping[str, str | Pending] = field(default_factory=dict)  # tier_name -> uid
    quests: Mapping[str, int | Pending] = field(default_factory=dict)  # title -> page_tab_id
    performances: Mapping[str, str] = field(default_factory=dict)  # name -> performance_uid
    idols: Mapping[str, str] = field(default_factory=dict)  # name -> idol_uid

    def tier(self, name: str | None) -> str | Pending | None:
        if name is None:
            return None
        return self.tiers.get(name, Pending("tier", name))

    def quest_ids(self, titles: Iterable[str]) -> tuple[int | Pending, ...]:
        return tuple(self.quests.get(title, Pending("quest", title)) for title in titles)

    def performance(self, reference: Reference | None) -> str | None:
        return _resolve(reference, self.performances)

    def idol(self, reference: Reference | None) -> str | None:
        return _resolve(reference, self.idols)


def _resolve(reference: Reference | None, names: Mapping[str, str]) -> str | None:
    if isinstance(reference, ById):
        return reference.uid
    if isinstance(reference, ByName):
        # Unknown names are blockers found by the planner; the None here is never sent.
        return names.get(reference.name)
    return None


def _value(item: Any) -> Any:
    return item.value if isinstance(item, enum.Enum) else item


def _sent(item: Any) -> Any:
    """A spec value as create_quest takes it: enums as their value, an empty list unsent."""
    return None if item == () else _value(item)


# The quest fields a file declares and a plan sends: the creation fields of the client's
# Quest (the one list of them), but ``is_required``, which the file format does not carry.
QUEST_SENT = tuple(name for name in Quest.creation_fields() if name != "is_required")


def quest_params(spec: QuestSpec, refs: References) -> dict[str, Any]:
    """The create_quest keyword arguments for ``spec`` (None means "not sent").

    A field is the spec's attribute of the same name, except the four a file names by its
    own key (a tier name, quest titles, an event or idol reference), resolved here.
    """
    resolved = {
        "performance_uid": refs.performance(spec.performance),
        "point_tier_uid": refs.tier(spec.point_tier),
        "required_page_tab_ids": refs.quest_ids(spec.required_quests) or None,
        "idol_uid": refs.idol(spec.idol),
    }
    return {
        name: resolved[name] if name in resolved else _sent(getattr(spec, name))
        for name in QUEST_SENT
    }


def reward_params(spec: RewardSpec, refs: References) -> dict[str, Any]:
    """The create_reward keyword arguments for ``spec`` (None means "not sent")."""
    return {
        "reward_title": spec.reward_title,
        "reward_type": spec.reward_type.value,
        "expiration_timestamp": spec.expiration_timestamp,
        "timezone": spec.timezone,
        "winner_selection_model": spec.winner_selection_model.value,
        "reward_limit": spec.reward_limit,
        "requirement_type": _value(spec.requirement_type),
        "point_tier_uid": refs.tier(spec.point_tier),
        "required_page_tab_ids": refs.quest_ids(spec.required_quests) or None,
        "description": spec.description,
        "performance_uid": refs.performance(spec.performance),
        "media_uid": spec.media_uid,
        "access_start_timestamp": spec.access_start_timestamp,
        "access_end_timestamp": spec.access_end_timestamp,
        "access_pass_type": spec.access_pass_type,
        "prize_codes": spec.prize_codes or None,
        "is_limited": spec.is_limited,
        "atvenu_sales_event_key": spec.atvenu_sales_event_key,
        "atvenu_promo_key": spec.atvenu_promo_key,
        "atvenu_delivery_method": _value(spec.atvenu_delivery_method),
        "bestring_location_group_id": spec.bestring_location_group_id,
        "bestring_promotion_id": spec.bestring_promotion_id,
    }


# The fields a plan compares: every creation field but the matching key. ``prize_codes``
# is left out on purpose: the API never lists a reward's pool (the codes are the prize),
# so a change to the codes alone cannot be seen; docs/setup-file.md says so.
QUEST_COMPARED = tuple(name for name in QUEST_SENT if name != "quest_title")
REWARD_COMPARED = (
    "reward_type",
    "expiration_timestamp",
    "timezone",
    "winner_selection_model",
    "reward_limit",
    "requirement_type",
    "point_tier_uid",
    "required_page_tab_ids",
    "description",
    "performance_uid",
    "media_uid",
    "access_start_timestamp",
    "access_end_timestamp",
    "access_pass_type",
    "is_limited",
    "atvenu_sales_event_key",
    "atvenu_promo_key",
    "atvenu_delivery_method",
    "bestring_location_group_id",
    "bestring_promotion_id",
)

_UID_FIELDS = frozenset({"performance_uid", "point_tier_uid", "media_uid", "idol_uid"})
# Lists whose order means nothing to the API: compared as sets.
_SET_FIELDS = frozenset({"required_page_tab_ids", "scan_group_names"})
MOMENT_FIELDS = frozenset(
    {"expiration_timestamp", "access_start_timestamp", "access_end_timestamp"}
)
_DATE_FIELDS = frozenset({"start_date", "end_date"})


def zone_of(name: Any) -> dt.tzinfo:
    """The reward's time zone, UTC when missing or unknown (the API reads naive times in it)."""
    try:
        return zoneinfo.ZoneInfo(str(name)) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def comparable(name: str, value: Any, *, zone: dt.tzinfo = dt.UTC) -> Any:
    """``value`` of field ``name`` in a form where equal means "the API holds the same".

    The API answers "" or [] or null or false for a field never set, and the file omits it:
    all of those are "nothing". Ids compare case-insensitively, list fields as sets, and
    times as instants (a naive time is a wall-clock time in the reward's ``zone``).
    """
    value = _value(value)
    if value is None or value is False or value == "" or value == () or value == []:
        return None
    if name in _SET_FIELDS:
        items = value if isinstance(value, list | tuple | set | frozenset) else [value]
        return frozenset(
            item if isinstance(item, Pending) else _list_item(name, item) for item in items
        )
    if name in MOMENT_FIELDS:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(dt.UTC).replace(microsecond=0)
    if name in _DATE_FIELDS:
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if isinstance(value, Pending):
        return value
    if name in _UID_FIELDS:
        return str(value).strip().lower()
    if isinstance(value, str):
        return value.strip()
    return value


def _list_item(name: str, item: Any) -> Any:
    if name == "required_page_tab_ids":
        try:
            return int(item)
        except (TypeError, ValueError):
            return str(item)
    return str(item).strip()


def shown(name: str, value: Any, *, zone: dt.tzinfo = dt.UTC) -> str:
    """A :func:`comparable` value as a plan line shows it; times on ``zone``'s clock."""
    if value is None:
        return "(none)"
    if name in MOMENT_FIELDS and isinstance(value, dt.datetime):
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M:%S} {zone}"
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(str(item) for item in value)) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return str(value)
