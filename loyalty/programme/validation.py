"""Reading and validating a setup file, before any API call.

Every rule of the quest and reward creation tables (loyalty-portal-integration.txt) that
can be checked without the account is checked here, and every problem names the file,
the entity and the field, so an operator fixes the file in one pass instead of meeting
the API's 400s one at a time, half-way through an apply. All problems are collected;
nothing stops at the first.

Fields that the API would silently ignore for a given type (a ``link_url`` on a custom
quest, a ``reward_limit`` of the wrong restriction...) are errors too: the API would not
store them, so the next plan would show them as a change again, forever.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import tomllib
import uuid
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from loyalty.programme.spec import (
    ById,
    ByName,
    Programme,
    QuestSpec,
    Reference,
    RewardSpec,
    TierSpec,
)
from loyalty.programme.vocabulary import (
    BUTTON_MAX,
    EVENT_REWARD_TYPES,
    KEY_MAX,
    MAX_POINTS,
    NAME_MAX,
    NONE,
    SITE_MAX,
    TITLE_MAX,
)
from loyalty.rules import CAMPAIGN_QUEST_KINDS, EVENT_QUEST_KINDS, QuestKind, RestrictionKind
from tbits_client import (
    AtvenuDeliveryMethod,
    QuestRewardType,
    RequirementType,
    RewardType,
    SelectionModel,
)

__all__ = ["ProgrammeInvalid", "SetupProblem", "load_programme", "parse_programme"]

_E = TypeVar("_E", bound=enum.StrEnum)
_TOP_LEVEL = ("business_id", "point_type", "tiers", "quests", "rewards")
# Keys of the API that the file replaces with a stable reference, and what to write instead.
_BY_KEY_INSTEAD = {
    "point_tier_uid": 'point_tier = "<tier_name of a tier in this file>"',
    "required_page_tab_ids": 'required_quests = ["<quest_title>", ...] (quests of this file)',
}


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


class _Report:
    """Collects problems for one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[SetupProblem] = []

    def add(self, entity: str, field: str, message: str) -> None:
        self.problems.append(SetupProblem(self.source, entity, field, message))


class _Table:
    """Typed reads from one TOML table, each failure reported against its field.

    Reads return None (or an empty tuple) for a missing or invalid value, so validation
    carries on and reports everything at once. ``finish()`` reports keys nobody read:
    almost always a typo, which would otherwise be silently ignored.
    """

    def __init__(self, report: _Report, entity: str, raw: Mapping[str, Any]) -> None:
        self.report = report
        self.entity = entity
        self.raw = raw
        self.known: set[str] = set()

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
        self, key: str, *, max_length: int | None = None, sent_as_list: bool = False
    ) -> tuple[str, ...]:
        value = self._get(key, required=False)
        if value is None:
            return ()
        if isinstance(value, str):
            # Also accepted as the API takes it: one comma- or newline-separated string.
            value = value.replace("\n", ",").split(",")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, 'must be a list of texts, like ["a", "b"]')
            return ()
        items = [item.strip() for item in value if item.strip()]
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

    def finish(self) -> None:
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


def _reference(
    table: _Table, *, name_key: str, uid_key: str, required: bool, why: str = ""
) -> Reference | None:
    """An event or idol named by uid or by name (one of the two, not both)."""
    uid = table.uid(uid_key)
    name = table.text(name_key, max_length=NAME_MAX)
    if uid is not None and name is not None:
        table.problem(name_key, f"give either {name_key} or {uid_key}, not both")
        return None
    if uid is not None:
        return ById(uid)
    if name is not None:
        return ByName(name)
    if required and name_key not in table.raw and uid_key not in table.raw:
        table.problem(name_key, f"is required{why}; name it, or give its {uid_key}")
    return None


# --- point type and tiers ----------------------------------------------------------------


def _point_name(report: _Report, raw: Any) -> str | None:
    if raw is None:
        report.add("[point_type]", "point_name", "is required: the file must name its point type")
        return None
    if not isinstance(raw, Mapping):
        report.add("[point_type]", "", "must be a table: write [point_type] then point_name = ...")
        return None
    table = _Table(report, "[point_type]", raw)
    name = table.text("point_name", required=True, max_length=NAME_MAX)
    table.finish()
    return name


def _tier(report: _Report, position: int, raw: Mapping[str, Any]) -> TierSpec | None:
    name = raw.get("tier_name")
    label = f"tier #{position}" + (f" {name.strip()!r}" if isinstance(name, str) else "")
    table = _Table(report, label, raw)
    tier_name = table.text("tier_name", required=True, max_length=NAME_MAX)
    min_points = table.integer("min_points", required=True)
    table.finish()
    if tier_name is None or min_points is None:
        return None
    return TierSpec(position=position, tier_name=tier_name, min_points=min_points)


# --- quests ------------------------------------------------------------------------------


def _quest(report: _Report, position: int, raw: Mapping[str, Any]) -> QuestSpec | None:
    title = raw.get("quest_title")
    label = f"quest #{position}" + (f" {title.strip()!r}" if isinstance(title, str) else "")
    table = _Table(report, label, raw)
    quest_title = table.text("quest_title", required=True, max_length=TITLE_MAX)
    quest_type = table.choice("quest_type", QuestKind, required=True)
    description = table.text("quest_description")
    button_text = table.text("button_text", max_length=BUTTON_MAX)

    points = table.integer("fan_points_reward", minimum=1)
    written = table.choice_or_none("reward_type", QuestRewardType)
    if written is None:
        # Points given means points awarded: no need to also write reward_type.
        written = QuestRewardType.FAN_POINTS if table.has("fan_points_reward") else NONE
    reward_type = written if isinstance(written, QuestRewardType) else None
    if reward_type is QuestRewardType.FAN_POINTS and not table.has("fan_points_reward"):
        table.problem("fan_points_reward", "is required when reward_type is fan_points")
    if reward_type is None and table.has("fan_points_reward"):
        table.problem("fan_points_reward", "is not used when reward_type is none")

    event_type = quest_type in EVENT_QUEST_KINDS
    performance = _reference(
        table,
        name_key="performance",
        uid_key="performance_uid",
        required=event_type,
        why=f" for {quest_type} quests (the event the fan scans or registers at)",
    )

    target = None
    if quest_type in CAMPAIGN_QUEST_KINDS:
        target = table.integer(
            "target_page_tab_id",
            required=True,
            minimum=1,
            maximum=2**63 - 1,
            why=f" for {quest_type} quests (the campaign to complete)",
        )
    else:
        table.forbid("target_page_tab_id", "is only used by campaign and quickpicks quests")

    link_url = None
    if quest_type is QuestKind.LINK_URL:
        link_url = table.text(
            "link_url", required=True, max_length=2000, why=" for link_url quests"
        )
        if link_url is not None:
            parts = urlsplit(link_url)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                table.problem("link_url", "must be an http or https URL")
                link_url = None
    else:
        table.forbid("link_url", "is only used by link_url quests")

    scan_groups: tuple[str, ...] = ()
    site_name = None
    if quest_type is QuestKind.SCAN:
        scan_groups = table.text_list("scan_group_names", max_length=KEY_MAX, sent_as_list=True)
        if not scan_groups and not _reported(report, table.entity, "scan_group_names"):
            table.problem("scan_group_names", "is required for scan quests")
        site_name = table.text("site_name", max_length=SITE_MAX)
    else:
        table.forbid("scan_group_names", "is only used by scan quests")
        table.forbid("site_name", "is only used by scan quests")

    restriction = table.choice("access_restriction_type", RestrictionKind)
    fan_points_required = None
    point_tier = None
    required_quests: tuple[str, ...] = ()
    tag_name = None
    why = "is only used when access_restriction_type is {}"
    if restriction is RestrictionKind.FAN_POINTS:
        fan_points_required = table.integer(
            "fan_points_required",
            required=True,
            minimum=1,
            why=" when access_restriction_type is fan_points",
        )
    else:
        table.forbid("fan_points_required", why.format("fan_points"))
    if restriction is RestrictionKind.POINT_TIER:
        point_tier = table.text(
            "point_tier",
            required=True,
            max_length=NAME_MAX,
            why=" when access_restriction_type is point_tier (the tier_name of a tier)",
        )
    else:
        table.forbid("point_tier", why.format("point_tier"))
    if restriction is RestrictionKind.QUESTS:
        required_quests = table.text_list("required_quests", max_length=TITLE_MAX)
        if not required_quests and not _reported(report, table.entity, "required_quests"):
            table.problem(
                "required_quests",
                "is required when access_restriction_type is quests (titles of quests)",
            )
    else:
        table.forbid("required_quests", why.format("quests"))
    if restriction is RestrictionKind.TAG:
        tag_name = table.text(
            "tag_name",
            required=True,
            max_length=NAME_MAX,
            why=" when access_restriction_type is tag",
        )
    else:
        table.forbid("tag_name", why.format("tag"))

    start_date = table.date("start_date")
    end_date = table.date("end_date")
    if start_date and end_date and end_date < start_date:
        table.problem("end_date", f"{end_date} is before start_date {start_date}")
    media_uid = table.uid("media_uid")
    idol = _reference(table, name_key="idol", uid_key="idol_uid", required=False)
    table.finish()

    if quest_title is None or quest_type is None:
        return None
    return QuestSpec(
        position=position,
        quest_title=quest_title,
        quest_type=quest_type,
        quest_description=description,
        button_text=button_text,
        reward_type=reward_type,
        fan_points_reward=points if reward_type is QuestRewardType.FAN_POINTS else None,
        performance=performance,
        target_page_tab_id=target,
        link_url=link_url,
        scan_group_names=scan_groups,
        site_name=site_name,
        access_restriction_type=restriction,
        fan_points_required=fan_points_required,
        point_tier=point_tier,
        required_quests=required_quests,
        tag_name=tag_name,
        start_date=start_date,
        end_date=end_date,
        media_uid=media_uid,
        idol=idol,
    )


def _reported(report: _Report, entity: str, field: str) -> bool:
    return any(p.entity == entity and p.field == field for p in report.problems)


# --- rewards -----------------------------------------------------------------------------

_TYPE_FIELDS: dict[RewardType, tuple[str, ...]] = {
    RewardType.BADGE: (),
    RewardType.PASS: ("access_start_timestamp", "access_end_timestamp", "access_pass_type"),
    RewardType.PRIZE_CODE: ("prize_codes", "is_limited"),
    RewardType.ATVENU: ("atvenu_sales_event_key", "atvenu_promo_key", "atvenu_delivery_method"),
    RewardType.BESTRING: ("bestring_location_group_id", "bestring_promotion_id"),
}


def _reward(report: _Report, position: int, raw: Mapping[str, Any]) -> RewardSpec | None:
    title = raw.get("reward_title")
    label = f"reward #{position}" + (f" {title.strip()!r}" if isinstance(title, str) else "")
    table = _Table(report, label, raw)
    reward_title = table.text("reward_title", required=True, max_length=TITLE_MAX)
    reward_type = table.choice("reward_type", RewardType, required=True)

    zone_name = table.text("timezone", required=True, max_length=64)
    zone = None
    if zone_name is not None:
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            table.problem(
                "timezone", f"{zone_name!r} is not an IANA time zone such as America/Los_Angeles"
            )
            zone_name = None
    expiration = table.wall_time("expiration_timestamp", zone=zone, required=True)

    selection = table.choice("winner_selection_model", SelectionModel, required=True)
    limit = table.integer(
        "reward_limit",
        required=selection is SelectionModel.FIRST,
        minimum=1,
        why=" when winner_selection_model is first (how many fans get it)",
    )

    written_requirement = table.choice_or_none("requirement_type", RequirementType)
    # Missing or "none": assigned by hand, which the API takes as no requirement_type.
    requirement = written_requirement if isinstance(written_requirement, RequirementType) else None
    point_tier = None
    required_quests: tuple[str, ...] = ()
    if requirement is RequirementType.POINT_TIER:
        point_tier = table.text(
            "point_tier",
            required=True,
            max_length=NAME_MAX,
            why=" when requirement_type is point_tier (the tier_name of a tier)",
        )
    else:
        table.forbid("point_tier", "is only used when requirement_type is point_tier")
    if requirement is RequirementType.QUESTS:
        required_quests = table.text_list("required_quests", max_length=TITLE_MAX)
        if not required_quests and not _reported(report, table.entity, "required_quests"):
            table.problem(
                "required_quests", "is required when requirement_type is quests (titles of quests)"
            )
    else:
        table.forbid("required_quests", "is only used when requirement_type is quests")

    description = table.text("description")
    performance = _reference(
        table,
        name_key="performance",
        uid_key="performance_uid",
        required=reward_type in EVENT_REWARD_TYPES,
        why=f" for {reward_type} rewards (the event the promotion is pushed at)",
    )
    media_uid = table.uid("media_uid")

    # Type-specific fields: required for their type, refused for the others (when the
    # type itself is invalid, that one problem is enough).
    own = _TYPE_FIELDS[reward_type] if reward_type is not None else ()
    for other_type, fields in _TYPE_FIELDS.items():
        for name in fields:
            if reward_type is None:
                table.known.add(name)
            elif name not in own:
                table.forbid(name, f"is only used by {other_type} rewards")
    access_start = access_end = None
    access_pass_type = None
    prize_codes: tuple[str, ...] = ()
    is_limited = None
    atvenu: dict[str, Any] = {}
    bestring: dict[str, Any] = {}
    if reward_type is RewardType.PASS:
        why = " for pass rewards (when the pass is valid)"
        access_start = table.wall_time("access_start_timestamp", zone=zone, required=True, why=why)
        access_end = table.wall_time("access_end_timestamp", zone=zone, required=True, why=why)
        if access_start and access_end and access_end <= access_start:
            table.problem("access_end_timestamp", "must be after access_start_timestamp")
        # The API's own default (the sandbox's too); written out so the plan compares it.
        access_pass_type = table.text("access_pass_type", max_length=32) or "qrcode"
    elif reward_type is RewardType.PRIZE_CODE:
        prize_codes = table.text_list("prize_codes", max_length=KEY_MAX, sent_as_list=True)
        if not prize_codes and not _reported(report, table.entity, "prize_codes"):
            table.problem("prize_codes", "is required for prize_code rewards (the pool of codes)")
        is_limited = table.boolean("is_limited")
    elif reward_type is RewardType.ATVENU:
        why = " for atvenu rewards"
        atvenu = {
            "atvenu_sales_event_key": table.text(
                "atvenu_sales_event_key", required=True, max_length=KEY_MAX, why=why
            ),
            "atvenu_promo_key": table.text(
                "atvenu_promo_key", required=True, max_length=KEY_MAX, why=why
            ),
            "atvenu_delivery_method": table.choice(
                "atvenu_delivery_method", AtvenuDeliveryMethod, required=True
            ),
        }
    elif reward_type is RewardType.BESTRING:
        why = " for bestring rewards"
        bestring = {
            "bestring_location_group_id": table.text(
                "bestring_location_group_id", required=True, max_length=KEY_MAX, why=why
            ),
            "bestring_promotion_id": table.text(
                "bestring_promotion_id", required=True, max_length=KEY_MAX, why=why
            ),
        }
    table.finish()

    if (
        reward_title is None
        or reward_type is None
        or zone_name is None
        or expiration is None
        or selection is None
    ):
        return None
    return RewardSpec(
        position=position,
        reward_title=reward_title,
        reward_type=reward_type,
        expiration_timestamp=expiration,
        timezone=zone_name,
        winner_selection_model=selection,
        reward_limit=limit,
        requirement_type=requirement,
        point_tier=point_tier,
        required_quests=required_quests,
        description=description,
        performance=performance,
        media_uid=media_uid,
        access_start_timestamp=access_start,
        access_end_timestamp=access_end,
        access_pass_type=access_pass_type,
        prize_codes=prize_codes,
        is_limited=is_limited,
        **atvenu,
        **bestring,
    )


# --- the file as a whole -----------------------------------------------------------------


def _unique(report: _Report, items: Iterable[Any], *, key: str, kind: str) -> None:
    seen: dict[str, int] = {}
    for item in items:
        value = getattr(item, key)
        if value in seen:
            report.add(
                f"{kind} #{item.position} {value!r}",
                key,
                f"duplicates {kind} #{seen[value]}: {key} must be unique (it is how "
                "the file is matched to the account)",
            )
        else:
            seen[value] = item.position


def _cross_references(report: _Report, programme: Programme) -> None:
    tiers = {tier.tier_name for tier in programme.tiers}
    titles = {quest.quest_title for quest in programme.quests}
    for kind, items in (("quest", programme.quests), ("reward", programme.rewards)):
        for item in items:
            title = item.quest_title if kind == "quest" else item.reward_title
            entity = f"{kind} #{item.position} {title!r}"
            if item.point_tier is not None and item.point_tier not in tiers:
                known = ", ".join(sorted(tiers)) or "none"
                report.add(
                    entity,
                    "point_tier",
                    f"names tier {item.point_tier!r}, which this file does not define "
                    f"(its tiers: {known})",
                )
            for required in item.required_quests:
                if required not in titles:
                    close = difflib.get_close_matches(required, sorted(titles), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    report.add(
                        entity,
                        "required_quests",
                        f"names quest {required!r}, which this file does not define{hint}",
                    )
            if kind == "quest" and title in item.required_quests:
                report.add(entity, "required_quests", "a quest cannot require itself")

    # A cycle (A needs B, B needs A) could never be created: each needs the other's id.
    by_title = {quest.quest_title: quest for quest in programme.quests}
    reported: set[frozenset[str]] = set()

    def walk(title: str, path: tuple[str, ...]) -> None:
        quest = by_title.get(title)
        if quest is None:
            return
        for required in quest.required_quests:
            if required == title:
                continue
            if required in path:
                cycle = (*path[path.index(required) :], title, required)
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    report.add(
                        f"quest #{quest.position} {title!r}",
                        "required_quests",
                        "prerequisites go round in a circle: " + " -> ".join(map(repr, cycle)),
                    )
                continue
            walk(required, (*path, title))

    for title in by_title:
        walk(title, ())


def parse_programme(text: str, *, source: str) -> Programme:
    """Validate a setup file's text; ProgrammeInvalid lists every problem found."""
    report = _Report(source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        report.add("the file", "", f"is not valid TOML: {error}")
        raise ProgrammeInvalid(report.problems) from None

    top = _Table(report, "the file", raw)
    for key in _TOP_LEVEL:
        top.known.add(key)
    business_id = top.integer("business_id", minimum=1, maximum=2**63 - 1)
    point_name = _point_name(report, raw.get("point_type"))

    tiers = [
        spec
        for position, item in enumerate(top.table_list("tiers"), start=1)
        if (spec := _tier(report, position, item)) is not None
    ]
    quests = [
        spec
        for position, item in enumerate(top.table_list("quests"), start=1)
        if (spec := _quest(report, position, item)) is not None
    ]
    rewards = [
        spec
        for position, item in enumerate(top.table_list("rewards"), start=1)
        if (spec := _reward(report, position, item)) is not None
    ]
    top.finish()

    _unique(report, tiers, key="tier_name", kind="tier")
    _unique(report, quests, key="quest_title", kind="quest")
    _unique(report, rewards, key="reward_title", kind="reward")
    minimums: dict[int, TierSpec] = {}
    for tier in tiers:
        if tier.min_points in minimums:
            report.add(
                f"tier #{tier.position} {tier.tier_name!r}",
                "min_points",
                f"{tier.min_points:,} is also the minimum of tier "
                f"{minimums[tier.min_points].tier_name!r}: a fan's tier would be ambiguous",
            )
        else:
            minimums[tier.min_points] = tier

    programme = Programme(
        source=source,
        point_name=point_name or "",
        tiers=tuple(tiers),
        quests=tuple(quests),
        rewards=tuple(rewards),
        business_id=business_id,
    )
    _cross_references(report, programme)
    if report.problems:
        raise ProgrammeInvalid(report.problems)
    return programme


def load_programme(path: str | Path) -> Programme:
    """Read and validate a setup file; OSError when it cannot be read."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    return parse_programme(text, source=str(path))
