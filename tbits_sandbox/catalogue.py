"""Creating point types, tiers, quests and rewards, validated per the parameter tables.

Every rule of the quest and reward creation tables in loyalty-portal-integration.txt is
checked here, and each failure is a 400 naming the parameter, so an integration learns what
the real API would reject before it meets the real API.
"""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from tbits_sandbox.models import (
    Business,
    Idol,
    MediaAsset,
    Performance,
    PointTypeRecord,
    PrizeCode,
    Quest,
    Reward,
    Tier,
)
from tbits_sandbox.vocabulary import (
    AtVenuDeliveryMethod,
    QuestRewardType,
    QuestType,
    RequirementType,
    RestrictionType,
    RewardType,
    SelectionModel,
)
from tbits_sandbox.wire import MAX_POINTS, ApiError, ApiRequest, bad_request

TITLE_MAX = 128
BUTTON_MAX = 32
SITE_MAX = 128
NAME_MAX = 128
KEY_MAX = 128


# How a form-encoded call spells JSON null: the reference allows null for a quest's
# ``reward_type`` and a reward's ``requirement_type`` ("fan_points or null", "point_tier,
# quests, or null"), and a form body has no other way to say it than these words or nothing.
NULL_WORDS = frozenset({"null", "none"})


def _choice(
    api: ApiRequest, name: str, enum: type, *, required: bool, nullable: bool = False
) -> str:
    """The parameter's value from ``enum``; empty when absent, or null where ``nullable``."""
    value = api.text(name, required=required)
    if nullable and value.lower() in NULL_WORDS:
        return ""
    if value and value not in {item.value for item in enum}:
        allowed = ", ".join(item.value for item in enum)
        raise bad_request(f"{name} must be one of: {allowed}.")
    return value


def _http_url(api: ApiRequest, name: str, *, required: bool) -> str:
    value = api.text(name, required=required, max_length=2000)
    if value:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise bad_request(f"{name} must be an http or https URL.")
    return value


def _performance(api: ApiRequest, *, required: bool, why: str = "") -> Performance | None:
    performance_uid = api.uid("performance_uid")
    if performance_uid is None:
        if required:
            raise bad_request(f"performance_uid is required{why}.")
        return None
    found = Performance.objects.filter(account=api.account, performance_uid=performance_uid)
    performance = found.first()
    if performance is None:
        raise bad_request("performance_uid does not name a performance of this account.")
    return performance


def _tier(api: ApiRequest, *, required_because: str) -> Tier:
    tier_uid = api.uid("point_tier_uid")
    if tier_uid is None:
        raise bad_request(f"point_tier_uid is required when {required_because}.")
    tier = Tier.objects.filter(point_tier_uid=tier_uid, point_type__account=api.account).first()
    if tier is None:
        raise bad_request("point_tier_uid does not name a tier of this account.")
    return tier


def _required_quests(api: ApiRequest, business: Business, *, because: str) -> list[int]:
    ids = api.bracketed_int_list("required_page_tab_ids")
    if not ids:
        raise bad_request(f"required_page_tab_ids is required when {because}.")
    known = set(
        Quest.objects.filter(business=business, page_tab_id__in=ids).values_list(
            "page_tab_id", flat=True
        )
    )
    missing = [page_tab_id for page_tab_id in ids if page_tab_id not in known]
    if missing:
        raise bad_request(f"required_page_tab_ids names unknown quests: {missing}.")
    return list(dict.fromkeys(ids))


def _media(api: ApiRequest) -> MediaAsset | None:
    media_uid = api.uid("media_uid")
    if media_uid is None:
        return None
    media = MediaAsset.objects.filter(account=api.account, media_uid=media_uid).first()
    if media is None:
        raise bad_request("media_uid does not name a media asset of this account.")
    return media


def business_of(api: ApiRequest, raw_business_id: str) -> Business:
    """The business in the path, of the caller's account, or 404."""
    try:
        business_id = int(raw_business_id)
    except ValueError:
        raise ApiError(404, "No such business.") from None
    business = Business.objects.filter(account=api.account, business_id=business_id).first()
    if business is None:
        raise ApiError(404, "No such business.")
    return business


def create_point_type(api: ApiRequest) -> PointTypeRecord:
    """Create a point type, or answer the existing one of the same name."""
    name = api.text("point_name", required=True, max_length=NAME_MAX)
    point_type, _ = PointTypeRecord.objects.get_or_create(account=api.account, point_name=name)
    return point_type


def save_tier(api: ApiRequest, point_type: PointTypeRecord) -> Tier:
    """Create a tier, or update the one named by point_tier_uid or by tier_name."""
    name = api.text("tier_name", required=True, max_length=NAME_MAX)
    min_points = api.integer("min_points", required=True, minimum=0, maximum=MAX_POINTS)
    tier_uid = api.uid("point_tier_uid")
    if tier_uid is not None:
        tier = point_type.tiers.filter(point_tier_uid=tier_uid).first()
        if tier is None:
            raise bad_request("point_tier_uid does not name a tier of this point type.")
    else:
        tier = point_type.tiers.filter(tier_name=name).first() or Tier(point_type=point_type)
    clash = point_type.tiers.filter(tier_name=name).exclude(pk=tier.pk).exists()
    if clash:
        raise bad_request(f"A tier named {name!r} already exists for this point type.")
    tier.tier_name = name
    tier.min_points = min_points or 0
    tier.save()
    return tier


def create_quest(api: ApiRequest, business: Business) -> Quest:
    """Validate every field of the quest creation table and create the quest."""
    quest_type = _choice(api, "quest_type", QuestType, required=True)
    title = api.text("quest_title", required=True, max_length=TITLE_MAX)
    reward_type = _choice(api, "reward_type", QuestRewardType, required=False, nullable=True)
    points = None
    if reward_type == QuestRewardType.FAN_POINTS:
        points = api.integer("fan_points_reward", minimum=1, maximum=MAX_POINTS)
        if points is None:
            raise bad_request("fan_points_reward is required when reward_type is fan_points.")
        if business.point_type is None:
            raise bad_request("The business has no point type; assign one before awarding points.")
    quest = Quest(
        business=business,
        point_type=business.point_type,
        quest_type=quest_type,
        quest_title=title,
        quest_description=api.text("quest_description", max_length=10_000),
        button_text=api.text("button_text", max_length=BUTTON_MAX),
        reward_type=reward_type,
        fan_points_reward=points,
        is_required=api.boolean("is_required"),
        media=_media(api),
        atvenu_sales_event_key=api.text("atvenu_sales_event_key", max_length=KEY_MAX),
        atvenu_promo_key=api.text("atvenu_promo_key", max_length=KEY_MAX),
        bestring_location_group_id=api.text("bestring_location_group_id", max_length=KEY_MAX),
        bestring_promotion_id=api.text("bestring_promotion_id", max_length=KEY_MAX),
    )
    quest.performance = _performance(
        api,
        required=quest_type in {QuestType.SCAN, QuestType.WRISTBAND},
        why=" for scan and wristband quests",
    )
    if quest_type in {QuestType.CAMPAIGN, QuestType.QUICKPICKS}:
        target = api.integer("target_page_tab_id", minimum=1)
        if target is None:
            raise bad_request("target_page_tab_id is required for campaign and quickpicks quests.")
        quest.target_page_tab_id = target
    if quest_type == QuestType.LINK_URL:
        quest.link_url = _http_url(api, "link_url", required=True)
    if quest_type == QuestType.SCAN:
        groups = api.bracketed_list("scan_group_names")
        if not groups:
            raise bad_request("scan_group_names is required for scan quests.")
        quest.scan_group_names = groups
    quest.site_name = api.text("site_name", max_length=SITE_MAX)
    restriction = _choice(api, "access_restriction_type", RestrictionType, required=False)
    quest.access_restriction_type = restriction
    if restriction == RestrictionType.FAN_POINTS:
        required = api.integer("fan_points_required", minimum=1, maximum=MAX_POINTS)
        if required is None:
            raise bad_request(
                "fan_points_required is required when access_restriction_type is fan_points."
            )
        quest.fan_points_required = required
    elif restriction == RestrictionType.POINT_TIER:
        quest.point_tier = _tier(api, required_because="access_restriction_type is point_tier")
    elif restriction == RestrictionType.QUESTS:
        quest.required_page_tab_ids = _required_quests(
            api, business, because="access_restriction_type is quests"
        )
    elif restriction == RestrictionType.TAG:
        tag = api.text("tag_name", max_length=NAME_MAX)
        if not tag:
            raise bad_request("tag_name is required when access_restriction_type is tag.")
        quest.tag_name = tag
    quest.start_date = api.day("start_date")
    quest.end_date = api.day("end_date")
    if quest.start_date and quest.end_date and quest.end_date < quest.start_date:
        raise bad_request("end_date must not be before start_date.")
    idol_uid = api.uid("idol_uid")
    if idol_uid is not None:
        quest.idol = Idol.objects.filter(account=api.account, idol_uid=idol_uid).first()
        if quest.idol is None:
            raise bad_request("idol_uid does not name an idol of this account.")
    with transaction.atomic():
        # A link_url quest's tracker is written by the save (tbits_sandbox.trackers): one
        # transaction, so a quest never exists without the tracker the docs promise.
        quest.save()
    return quest


def create_reward(api: ApiRequest, business: Business) -> Reward:
    """Validate every field of the reward creation tables and create the reward."""
    title = api.text("reward_title", required=True, max_length=TITLE_MAX)
    reward_type = _choice(api, "reward_type", RewardType, required=True)
    tz_name = api.text("timezone", required=True, max_length=64)
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise bad_request(
            "timezone must be an IANA time zone such as America/Los_Angeles."
        ) from None
    selection = _choice(api, "winner_selection_model", SelectionModel, required=True)
    reward = Reward(
        business=business,
        reward_title=title,
        reward_type=reward_type,
        description=api.text("description", max_length=10_000),
        expiration_timestamp=api.moment("expiration_timestamp", required=True, tz=tz),
        timezone=tz_name,
        winner_selection_model=selection,
        media=_media(api),
    )
    if selection == SelectionModel.FIRST:
        limit = api.integer("reward_limit", minimum=1, maximum=MAX_POINTS)
        if limit is None:
            raise bad_request("reward_limit is required when winner_selection_model is first.")
        reward.reward_limit = limit
    else:
        reward.reward_limit = api.integer("reward_limit", minimum=1, maximum=MAX_POINTS)
    requirement = _choice(api, "requirement_type", RequirementType, required=False, nullable=True)
    reward.requirement_type = requirement
    if requirement == RequirementType.POINT_TIER:
        reward.point_tier = _tier(api, required_because="requirement_type is point_tier")
    elif requirement == RequirementType.QUESTS:
        reward.required_page_tab_ids = _required_quests(
            api, business, because="requirement_type is quests"
        )
    reward.performance = _performance(
        api,
        required=reward_type in {RewardType.ATVENU, RewardType.BESTRING},
        why=" for atvenu and bestring rewards",
    )
    codes: list[str] = []
    if reward_type == RewardType.PASS:
        reward.access_start_timestamp = api.moment("access_start_timestamp", required=True, tz=tz)
        reward.access_end_timestamp = api.moment("access_end_timestamp", required=True, tz=tz)
        if reward.access_end_timestamp <= reward.access_start_timestamp:
            raise bad_request("access_end_timestamp must be after access_start_timestamp.")
        reward.access_pass_type = api.text("access_pass_type", max_length=32) or "qrcode"
    elif reward_type == RewardType.PRIZE_CODE:
        codes = list(dict.fromkeys(api.text_list("prize_codes")))
        if not codes:
            raise bad_request("prize_codes is required for prize_code rewards.")
        if any(len(code) > KEY_MAX for code in codes):
            raise bad_request(f"Each prize code must be at most {KEY_MAX} characters.")
        reward.is_limited = api.boolean("is_limited")
    elif reward_type == RewardType.ATVENU:
        reward.atvenu_sales_event_key = api.text(
            "atvenu_sales_event_key", required=True, max_length=KEY_MAX
        )
        reward.atvenu_promo_key = api.text("atvenu_promo_key", required=True, max_length=KEY_MAX)
        reward.atvenu_delivery_method = _choice(
            api, "atvenu_delivery_method", AtVenuDeliveryMethod, required=True
        )
    elif reward_type == RewardType.BESTRING:
        reward.bestring_location_group_id = api.text(
            "bestring_location_group_id", required=True, max_length=KEY_MAX
        )
        reward.bestring_promotion_id = api.text(
            "bestring_promotion_id", required=True, max_length=KEY_MAX
        )
    try:
        with transaction.atomic():
            reward.save()
            PrizeCode.objects.bulk_create(PrizeCode(reward=reward, code=code) for code in codes)
    except IntegrityError:
        raise bad_request(f"A reward titled {title!r} already exists for this business.") from None
    return reward
