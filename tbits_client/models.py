"""Typed results of the Tradable Bits API.

Every model is a frozen dataclass built by ``from_api(payload)``. Parsing is strict where a
page would be wrong without the value (identifiers, titles, counts: a missing one raises
InvalidResponse naming the field) and lenient everywhere else: unknown fields are kept in
``extra`` rather than dropped, dates arrive as ISO strings, dates or None, lists arrive as
JSON arrays or comma-separated strings, and an enum value the provider adds later is kept
as a plain string so a new quest type never breaks a whole page.

Sensitive values (session ids, verification tokens) are excluded from ``repr`` so a model
printed into a log does not leak them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import InvalidResponse

__all__ = [
    "AccountStatus",
    "AtvenuDeliveryMethod",
    "Business",
    "Completions",
    "ConnectOutcome",
    "ConnectResult",
    "DisplayNameCheck",
    "Fan",
    "FanActivity",
    "FanPoint",
    "FanPointAward",
    "FanRegistration",
    "FanReward",
    "FanTier",
    "Idol",
    "IdolEvent",
    "LeaderboardRow",
    "Performance",
    "PointType",
    "Quest",
    "QuestCompletion",
    "QuestRewardType",
    "QuestType",
    "RequirementType",
    "RestrictionType",
    "Reward",
    "RewardType",
    "RewardUpdate",
    "SelectionModel",
    "Session",
    "Tier",
]


# --- Vocabulary -------------------------------------------------------------------------


class QuestType(enum.StrEnum):
    """What the fan does to complete a quest."""

    CAMPAIGN = "campaign"
    QUICKPICKS = "quickpicks"
    LINK_URL = "link_url"
    SCAN = "scan"
    WRISTBAND = "wristband"
    CUSTOM = "custom"


class RestrictionType(enum.StrEnum):
    """What locks a quest until the fan meets it (tag hides it instead)."""

    FAN_POINTS = "fan_points"
    POINT_TIER = "point_tier"
    QUESTS = "quests"
    TAG = "tag"


class QuestRewardType(enum.StrEnum):
    """What completing a quest gives; the docs know only points (or nothing)."""

    FAN_POINTS = "fan_points"


class RewardType(enum.StrEnum):
    """What the fan receives."""

    BADGE = "badge"
    PASS = "pass"
    PRIZE_CODE = "prize_code"
    ATVENU = "atvenu"
    BESTRING = "bestring"


class RequirementType(enum.StrEnum):
    """How a reward is earned; None (no requirement) means assigned by hand."""

    POINT_TIER = "point_tier"
    QUESTS = "quests"


class SelectionModel(enum.StrEnum):
    """``all``: every qualifying fan; ``first``: the first ``reward_limit`` fans."""

    ALL = "all"
    FIRST = "first"


class AtvenuDeliveryMethod(enum.StrEnum):
    WRISTBAND = "wristband"
    QRCODE = "qrcode"


class ConnectOutcome(enum.StrEnum):
    """Which of the documented Sessions/Connect answers came back."""

    FAN_EXISTS = "login"
    MUST_REGISTER = "register"
    CODE_SENT = "code_sent"
    SESSION_CREATED = "session_created"
    TERMS_REQUIRED = "terms_required"


# --- Parsing ----------------------------------------------------------------------------

_E = TypeVar("_E", bound=enum.StrEnum)
_M = TypeVar("_M", bound="_Model")
_MISSING = object()


class _Fields:
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

    def bool(self, key: str, *, default: bool | None = None) -> Any:
        value = self._raw(key, required=False)
        if value is None:
            return default
        parsed = _parse_bool(value)
        if parsed is None:
            raise self._bad(key, "a boolean")
        return parsed

    def date(self, key: str) -> dt.date | None:
        value = self._raw(key, required=False)
        try:
            return _parse_date(value)
        except ValueError:
            raise self._bad(key, "an ISO date") from None

    def datetime(self, key: str) -> dt.datetime | None:
        value = self._raw(key, required=False)
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

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self._raw(key, required=False)
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

    def int_list(self, key: str) -> tuple[int, ...]:
        try:
            return tuple(int(item) for item in self.str_list(key))
        except ValueError:
            raise self._bad(key, "a list of integers") from None

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._raw(key, required=False)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._bad(key, "an object")
        return dict(value)

    def extra(self) -> dict[str, Any]:
        return {key: value for key, value in self.payload.items() if key not in self.used}


_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n", ""})


def _parse_bool(value: Any) -> bool | None:
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


class _Model:
    @classmethod
    def from_api(cls: type[_M], payload: Any) -> _M:  # pragma: no cover - overridden
        raise NotImplementedError


# --- Account and fan --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountStatus(_Model):
    """Branding and legal texts of the account, for the login pages."""

    legal_terms: str | None = None
    legal_privacy: str | None = None
    header_text: str | None = None
    image_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> AccountStatus:
        f = _Fields("AccountStatus", payload)
        return cls(
            legal_terms=f.str("legal_terms"),
            legal_privacy=f.str("legal_privacy"),
            header_text=f.str("header_text"),
            image_url=f.str("image_url"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Session(_Model):
    """A fan session. ``fan_id`` is None only for a guest session."""

    session_uid: str = field(repr=False)
    fan_id: int | None
    account_id: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    expiration_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_api(cls, payload: Any) -> Session:
        f = _Fields("Session", payload)
        return cls(
            session_uid=f.str("session_uid", required=True),
            fan_id=f.int("fan_id"),
            account_id=f.int("account_id"),
            props=f.mapping("props"),
            expiration_timestamp=f.datetime("expiration_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Fan(_Model):
    """A fan record (from a session or from the CRM)."""

    fan_id: int
    account_id: int | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    postal_code: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None
    image_url: str | None = None
    is_subscribed: bool | None = None
    is_phone_subscribed: bool | None = None
    tags: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Fan:
        f = _Fields("Fan", payload)
        return cls(
            fan_id=f.int("fan_id", required=True),
            account_id=f.int("account_id"),
            name=f.str("name"),
            first_name=f.str("first_name"),
            last_name=f.str("last_name"),
            display_name=f.str("display_name"),
            email=f.str("email"),
            phone=f.str("phone"),
            city=f.str("city"),
            province=f.str("province"),
            country_code=f.str("country_code"),
            postal_code=f.str("postal_code"),
            birth_date=f.date("birth_date"),
            gender=f.str("gender"),
            image_url=f.str("image_url"),
            is_subscribed=f.bool("is_subscribed"),
            is_phone_subscribed=f.bool("is_phone_subscribed"),
            tags=f.str_list("tags"),
            fields=f.mapping("fields"),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class ConnectResult:
    """What one Sessions/Connect step answered, classified into a documented outcome.

    ``raw`` is the answer as received (it may hold the session id, hence not in repr).
    ``legal_terms`` is filled when the API asks the fan to accept terms.
    """

    outcome: ConnectOutcome
    has_password: bool = False
    has_phone: bool = False
    request_uid: str | None = field(default=None, repr=False)
    verification_uid: str | None = field(default=None, repr=False)
    message: str | None = None
    session: Session | None = None
    legal_terms: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_api(cls, payload: Any) -> ConnectResult:
        """Classify an answer. Order matters: a session wins, then a terms demand."""
        f = _Fields("ConnectResult", payload)
        raw = dict(payload)
        message = f.str("message")
        if payload.get("session_uid"):
            return cls(
                outcome=ConnectOutcome.SESSION_CREATED,
                session=Session.from_api(payload),
                message=message,
                raw=raw,
            )
        if f.bool("terms_required", default=False):
            return cls(
                outcome=ConnectOutcome.TERMS_REQUIRED,
                message=message,
                legal_terms=f.str("legal_terms"),
                request_uid=f.str("request_uid"),
                verification_uid=f.str("verification_uid"),
                raw=raw,
            )
        status = f.str("status")
        if status == "register":
            return cls(
                outcome=ConnectOutcome.MUST_REGISTER,
                message=message,
                request_uid=f.str("request_uid"),
                verification_uid=f.str("verification_uid"),
                raw=raw,
            )
        if status == "login":
            return cls(
                outcome=ConnectOutcome.FAN_EXISTS,
                has_password=bool(f.bool("password", default=False)),
                has_phone=bool(f.bool("phone", default=False)),
                message=message,
                raw=raw,
            )
        if payload.get("request_uid"):
            return cls(
                outcome=ConnectOutcome.CODE_SENT,
                request_uid=f.str("request_uid", required=True),
                message=message,
                raw=raw,
            )
        raise InvalidResponse(
            "ConnectResult: answer is none of session, terms_required, status "
            "register/login, or request_uid"
        )


@dataclass(frozen=True, slots=True)
class DisplayNameCheck:
    """A usable display name: the one asked for, or the API's modified version of it."""

    requested: str
    display_name: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_available(self) -> bool:
        """True when the name asked for can be used unchanged."""
        return self.requested == self.display_name

    @classmethod
    def from_api(cls, payload: Any, *, requested: str) -> DisplayNameCheck:
        if isinstance(payload, str):
            return cls(requested=requested, display_name=payload)
        f = _Fields("DisplayNameCheck", payload)
        return cls(
            requested=requested,
            display_name=f.str("display_name", required=True),
            extra=f.extra(),
        )


# --- Loyalty ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Business(_Model):
    """A business (team) with its portal branding."""

    business_id: int
    business_name: str
    point_uid: str | None = None
    point_name: str | None = None
    legal_rules: str | None = None
    legal_terms: str | None = None
    legal_privacy: str | None = None
    media_map: dict[str, Any] = field(default_factory=dict)
    style_props: dict[str, Any] = field(default_factory=dict)
    locale_props: dict[str, Any] = field(default_factory=dict)
    scheduler_props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Business:
        f = _Fields("Business", payload)
        return cls(
            business_id=f.int("business_id", required=True),
            business_name=f.str("business_name", required=True),
            point_uid=f.str("point_uid"),
            point_name=f.str("point_name"),
            legal_rules=f.str("legal_rules"),
            legal_terms=f.str("legal_terms"),
            legal_privacy=f.str("legal_privacy"),
            media_map=f.mapping("media_map"),
            style_props=f.mapping("style_props"),
            locale_props=f.mapping("locale_props"),
            scheduler_props=f.mapping("scheduler_props"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class PointType(_Model):
    """A loyalty currency."""

    point_uid: str
    point_name: str
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> PointType:
        f = _Fields("PointType", payload)
        return cls(
            point_uid=f.str("point_uid", required=True),
            point_name=f.str("point_name", required=True),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Tier(_Model):
    """A milestone of a point type."""

    point_tier_uid: str
    tier_name: str
    min_points: int
    point_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Tier:
        f = _Fields("Tier", payload)
        return cls(
            point_tier_uid=f.str("point_tier_uid", required=True),
            tier_name=f.str("tier_name", required=True),
            min_points=f.int("min_points", required=True),
            point_uid=f.str("point_uid"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanTier(_Model):
    """A fan's current tier for one point name; ``tier`` is None below the first tier.

    The answer's shape is undocumented, so three are accepted: ``{"tier": {...}, ...}``,
    a flat tier object with ``point_count``, or an empty object / null (no tier).
    """

    point_name: str | None
    tier: Tier | None
    point_count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanTier:
        if payload is None or payload == {} or payload == []:
            return cls(point_name=None, tier=None)
        f = _Fields("FanTier", payload)
        point_name = f.str("point_name")
        point_count = f.int("point_count")
        nested = payload.get("tier", payload.get("point_tier"))
        f.used.update({"tier", "point_tier"})
        if isinstance(nested, Mapping):
            tier: Tier | None = Tier.from_api(nested) if nested else None
        elif payload.get("point_tier_uid"):
            f.used.update({"point_tier_uid", "tier_name", "min_points", "point_uid"})
            tier = Tier.from_api(
                {k: payload.get(k) for k in ("point_tier_uid", "tier_name", "min_points")}
                | ({"point_uid": payload["point_uid"]} if payload.get("point_uid") else {})
            )
        else:
            tier = None
        return cls(point_name=point_name, tier=tier, point_count=point_count, extra=f.extra())


@dataclass(frozen=True, slots=True)
class Quest(_Model):
    """A quest: every field of the quest creation table, plus what reads add."""

    page_tab_id: int
    quest_type: QuestType | str
    quest_title: str
    quest_description: str | None = None
    button_text: str | None = None
    reward_type: QuestRewardType | str | None = None
    fan_points_reward: int | None = None
    performance_uid: str | None = None
    target_page_tab_id: int | None = None
    link_url: str | None = None
    scan_group_names: tuple[str, ...] = ()
    site_name: str | None = None
    access_restriction_type: RestrictionType | str | None = None
    fan_points_required: int | None = None
    point_tier_uid: str | None = None
    required_page_tab_ids: tuple[int, ...] = ()
    tag_name: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    media_uid: str | None = None
    idol_uid: str | None = None
    is_required: bool | None = None
    point_uid: str | None = None
    atvenu_sales_event_key: str | None = None
    atvenu_promo_key: str | None = None
    bestring_location_group_id: str | None = None
    bestring_promotion_id: str | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Quest:
        f = _Fields("Quest", payload)
        return cls(
            page_tab_id=f.int("page_tab_id", required=True),
            quest_type=f.enum("quest_type", QuestType, required=True),
            quest_title=f.str("quest_title", required=True),
            quest_description=f.str("quest_description"),
            button_text=f.str("button_text"),
            reward_type=f.enum("reward_type", QuestRewardType),
            fan_points_reward=f.int("fan_points_reward"),
            performance_uid=f.str("performance_uid"),
            target_page_tab_id=f.int("target_page_tab_id"),
            link_url=f.str("link_url"),
            scan_group_names=f.str_list("scan_group_names"),
            site_name=f.str("site_name"),
            access_restriction_type=f.enum("access_restriction_type", RestrictionType),
            fan_points_required=f.int("fan_points_required"),
            point_tier_uid=f.str("point_tier_uid"),
            required_page_tab_ids=f.int_list("required_page_tab_ids"),
            tag_name=f.str("tag_name"),
            start_date=f.date("start_date"),
            end_date=f.date("end_date"),
            media_uid=f.str("media_uid"),
            idol_uid=f.str("idol_uid"),
            is_required=f.bool("is_required"),
            point_uid=f.str("point_uid"),
            atvenu_sales_event_key=f.str("atvenu_sales_event_key"),
            atvenu_promo_key=f.str("atvenu_promo_key"),
            bestring_location_group_id=f.str("bestring_location_group_id"),
            bestring_promotion_id=f.str("bestring_promotion_id"),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Reward(_Model):
    """A reward: every field of the reward creation table and the type-specific ones.

    ``prize_codes`` (the pool) is normally not sent back by reads; it is here because it
    is part of the creation table.
    """

    reward_uid: str
    reward_title: str
    reward_type: RewardType | str
    expiration_timestamp: dt.datetime | None = None
    timezone: str | None = None
    winner_selection_model: SelectionModel | str | None = None
    reward_limit: int | None = None
    requirement_type: RequirementType | str | None = None
    point_tier_uid: str | None = None
    required_page_tab_ids: tuple[int, ...] = ()
    description: str | None = None
    performance_uid: str | None = None
    access_start_timestamp: dt.datetime | None = None
    access_end_timestamp: dt.datetime | None = None
    access_pass_type: str | None = None
    prize_codes: tuple[str, ...] = field(default=(), repr=False)
    is_limited: bool | None = None
    atvenu_sales_event_key: str | None = None
    atvenu_promo_key: str | None = None
    atvenu_delivery_method: AtvenuDeliveryMethod | str | None = None
    bestring_location_group_id: str | None = None
    bestring_promotion_id: str | None = None
    fan_points_required: int | None = None
    point_uid: str | None = None
    media_uid: str | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Reward:
        f = _Fields("Reward", payload)
        return cls(
            reward_uid=f.str("reward_uid", required=True),
            reward_title=f.str("reward_title", required=True),
            reward_type=f.enum("reward_type", RewardType, required=True),
            expiration_timestamp=f.datetime("expiration_timestamp"),
            timezone=f.str("timezone"),
            winner_selection_model=f.enum("winner_selection_model", SelectionModel),
            reward_limit=f.int("reward_limit"),
            requirement_type=f.enum("requirement_type", RequirementType),
            point_tier_uid=f.str("point_tier_uid"),
            required_page_tab_ids=f.int_list("required_page_tab_ids"),
            description=f.str("description"),
            performance_uid=f.str("performance_uid"),
            access_start_timestamp=f.datetime("access_start_timestamp"),
            access_end_timestamp=f.datetime("access_end_timestamp"),
            access_pass_type=f.str("access_pass_type"),
            prize_codes=f.str_list("prize_codes"),
            is_limited=f.bool("is_limited"),
            atvenu_sales_event_key=f.str("atvenu_sales_event_key"),
            atvenu_promo_key=f.str("atvenu_promo_key"),
            atvenu_delivery_method=f.enum("atvenu_delivery_method", AtvenuDeliveryMethod),
            bestring_location_group_id=f.str("bestring_location_group_id"),
            bestring_promotion_id=f.str("bestring_promotion_id"),
            fan_points_required=f.int("fan_points_required"),
            point_uid=f.str("point_uid"),
            media_uid=f.str("media_uid"),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanReward(_Model):
    """A reward a fan holds, with what the wallet shows (pass window, QR value, code)."""

    reward_uid: str
    reward_title: str | None = None
    reward_type: RewardType | str | None = None
    fan_id: int | None = None
    creation_timestamp: dt.datetime | None = None
    delivered_timestamp: dt.datetime | None = None
    expiration_timestamp: dt.datetime | None = None
    prize_code: str | None = None
    access_start_timestamp: dt.datetime | None = None
    access_end_timestamp: dt.datetime | None = None
    access_pass_type: str | None = None
    pass_code: str | None = None
    status: str | None = None
    description: str | None = None
    media_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanReward:
        f = _Fields("FanReward", payload)
        return cls(
            reward_uid=f.str("reward_uid", required=True),
            reward_title=f.str("reward_title"),
            reward_type=f.enum("reward_type", RewardType),
            fan_id=f.int("fan_id"),
            creation_timestamp=f.datetime("creation_timestamp"),
            delivered_timestamp=f.datetime("delivered_timestamp"),
            expiration_timestamp=f.datetime("expiration_timestamp"),
            prize_code=f.str("prize_code"),
            access_start_timestamp=f.datetime("access_start_timestamp"),
            access_end_timestamp=f.datetime("access_end_timestamp"),
            access_pass_type=f.str("access_pass_type"),
            pass_code=f.str("pass_code"),
            status=f.str("status"),
            description=f.str("description"),
            media_uid=f.str("media_uid"),
            extra=f.extra(),
        )


@dataclass(frozen=True)
class Completions(Mapping[int, bool]):
    """A fan's quest completions: ``page_tab_id -> completed``."""

    states: dict[int, bool] = field(default_factory=dict)

    def __getitem__(self, page_tab_id: int) -> bool:
        return self.states[page_tab_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __hash__(self) -> int:
        return hash(frozenset(self.states.items()))

    @property
    def completed_ids(self) -> frozenset[int]:
        """The quests the fan has completed."""
        return frozenset(key for key, done in self.states.items() if done)

    def is_completed(self, page_tab_id: int) -> bool:
        return self.states.get(page_tab_id, False)

    @classmethod
    def from_api(cls, payload: Any) -> Completions:
        if payload is None or payload == []:
            return cls()
        if not isinstance(payload, Mapping):
            raise InvalidResponse("Completions: expected a JSON object {page_tab_id: bool}")
        states: dict[int, bool] = {}
        for key, value in payload.items():
            try:
                page_tab_id = int(key)
            except (TypeError, ValueError):
                raise InvalidResponse(f"Completions: key {key!r} is not a page_tab_id") from None
            done = _parse_bool(value)
            if done is None:
                raise InvalidResponse(f"Completions: value for {page_tab_id} is not a boolean")
            states[page_tab_id] = done
        return cls(states)


@dataclass(frozen=True, slots=True)
class QuestCompletion(_Model):
    """The activity recorded for a completion (the same one again on a repeat)."""

    activity_id: int
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> QuestCompletion:
        f = _Fields("QuestCompletion", payload)
        return cls(activity_id=f.int("activity_id", required=True), extra=f.extra())


@dataclass(frozen=True, slots=True)
class RewardUpdate(_Model):
    """One reward delivery change since a date (shape undocumented; identifiers kept)."""

    reward_uid: str
    fan_id: int | None = None
    reward_title: str | None = None
    reward_type: RewardType | str | None = None
    status: str | None = None
    last_update_timestamp: dt.datetime | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> RewardUpdate:
        f = _Fields("RewardUpdate", payload)
        return cls(
            reward_uid=f.str("reward_uid", required=True),
            fan_id=f.int("fan_id"),
            reward_title=f.str("reward_title"),
            reward_type=f.enum("reward_type", RewardType),
            status=f.str("status"),
            last_update_timestamp=f.datetime("last_update_timestamp"),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanPoint(_Model):
    """A point balance or one point transaction (the ledger uses the same record)."""

    point_count: int
    fan_id: int | None = None
    point_uid: str | None = None
    point_name: str | None = None
    fan_point_uid: str | None = None
    creation_timestamp: dt.datetime | None = None
    page_tab_id: int | None = None
    activity_id: int | None = None
    reward_uid: str | None = None
    performance_uid: str | None = None
    point_source: str | None = None
    point_type: str | None = None
    display_name: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_api(cls, payload: Any) -> FanPoint:
        f = _Fields("FanPoint", payload)
        # The ledger row names a session; it is never needed by a page and is a bearer token.
        f.used.add("session_uid")
        return cls(
            point_count=f.int("point_count", required=True),
            fan_id=f.int("fan_id"),
            point_uid=f.str("point_uid"),
            point_name=f.str("point_name"),
            fan_point_uid=f.str("fan_point_uid"),
            creation_timestamp=f.datetime("creation_timestamp"),
            page_tab_id=f.int("page_tab_id"),
            activity_id=f.int("activity_id"),
            reward_uid=f.str("reward_uid"),
            performance_uid=f.str("performance_uid"),
            point_source=f.str("point_source"),
            point_type=f.str("point_type"),
            display_name=f.str("display_name"),
            props=f.mapping("props"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanPointAward(_Model):
    """The transaction an award created."""

    fan_point_uid: str | None
    fan_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanPointAward:
        f = _Fields("FanPointAward", payload)
        return cls(
            fan_point_uid=f.str("fan_point_uid"),
            fan_id=f.int("fan_id"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class LeaderboardRow(_Model):
    """One fan's rank for a point name over a date range."""

    fan_id: int
    rank: int | None = None
    fan_point_count: int = 0
    display_name: str | None = None
    point_name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> LeaderboardRow:
        f = _Fields("LeaderboardRow", payload)
        count = f.int("fan_point_count")
        if count is None:
            count = f.int("point_count") or 0
        return cls(
            fan_id=f.int("fan_id", required=True),
            rank=f.int("rank"),
            fan_point_count=count,
            display_name=f.str("display_name"),
            point_name=f.str("point_name"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Idol(_Model):
    """An artist, sponsor, team..."""

    idol_uid: str
    idol_name: str | None = None
    idol_type: str | None = None
    description: str | None = None
    media_uid: str | None = None
    image_url: str | None = None
    link_url: str | None = None
    spotify_uid: str | None = None
    idol_labels: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Idol:
        f = _Fields("Idol", payload)
        return cls(
            idol_uid=f.str("idol_uid", required=True),
            idol_name=f.str("idol_name"),
            idol_type=f.str("idol_type"),
            description=f.str("description"),
            media_uid=f.str("media_uid"),
            image_url=f.str("image_url"),
            link_url=f.str("link_url"),
            spotify_uid=f.str("spotify_uid"),
            idol_labels=f.str_list("idol_labels"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class IdolEvent(_Model):
    """An idol's event (show, game)."""

    event_uid: str
    idol_uid: str | None = None
    idol_name: str | None = None
    start_timestamp: dt.datetime | None = None
    end_timestamp: dt.datetime | None = None
    venue_name: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    event_url: str | None = None
    ticket_url: str | None = None
    label_name: str | None = None
    media_uid: str | None = None
    image_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> IdolEvent:
        f = _Fields("IdolEvent", payload)
        return cls(
            event_uid=f.str("event_uid", required=True),
            idol_uid=f.str("idol_uid"),
            idol_name=f.str("idol_name"),
            start_timestamp=f.datetime("start_timestamp"),
            end_timestamp=f.datetime("end_timestamp"),
            venue_name=f.str("venue_name"),
            city=f.str("city"),
            province=f.str("province"),
            country_code=f.str("country_code"),
            event_url=f.str("event_url"),
            ticket_url=f.str("ticket_url"),
            label_name=f.str("label_name"),
            media_uid=f.str("media_uid"),
            image_url=f.str("image_url"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class Performance(_Model):
    """A scheduled event, game or show that quests and rewards can be tied to."""

    performance_uid: str
    performance_name: str | None = None
    performance_date: dt.date | None = None
    venue_name: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    business_id: int | None = None
    label_name: str | None = None
    artist_name: str | None = None
    status: str | None = None
    performance_url: str | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> Performance:
        f = _Fields("Performance", payload)
        return cls(
            performance_uid=f.str("performance_uid", required=True),
            performance_name=f.str("performance_name"),
            performance_date=f.date("performance_date"),
            venue_name=f.str("venue_name"),
            city=f.str("city"),
            province=f.str("province"),
            country_code=f.str("country_code"),
            business_id=f.int("business_id"),
            label_name=f.str("label_name"),
            artist_name=f.str("artist_name"),
            status=f.str("status"),
            performance_url=f.str("performance_url"),
            creation_timestamp=f.datetime("creation_timestamp"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanActivity(_Model):
    """A record that a fan interacted with the portal (needed for automatic rewards)."""

    fan_id: int | None = None
    activity_id: int | None = None
    account_id: int | None = None
    campaign_title: str | None = None
    creation_date: dt.date | None = None
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanActivity:
        f = _Fields("FanActivity", payload)
        return cls(
            fan_id=f.int("fan_id"),
            activity_id=f.int("activity_id"),
            account_id=f.int("account_id"),
            campaign_title=f.str("campaign_title"),
            creation_date=f.date("creation_date"),
            props=f.mapping("props"),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanRegistration(_Model):
    """A wristband or ticket registration of a fan."""

    registration_key: str
    fan_id: int | None = None
    event_name: str | None = None
    event_date: dt.date | None = None
    event_key: str | None = None
    barcode: str | None = None
    ticket_key: str | None = None
    venue_name: str | None = None
    performance_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanRegistration:
        f = _Fields("FanRegistration", payload)
        return cls(
            registration_key=f.str("registration_key", required=True),
            fan_id=f.int("fan_id"),
            event_name=f.str("event_name"),
            event_date=f.date("event_date"),
            event_key=f.str("event_key"),
            barcode=f.str("barcode"),
            ticket_key=f.str("ticket_key"),
            venue_name=f.str("venue_name"),
            performance_uid=f.str("performance_uid"),
            extra=f.extra(),
        )
