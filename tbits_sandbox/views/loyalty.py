"""The loyalty calls: businesses, point types, tiers, quests, rewards, completions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tbits_sandbox import catalogue, delivery, ledger, payloads
from tbits_sandbox.completion import complete_quest
from tbits_sandbox.models import Business, Fan, FanReward, PointTypeRecord, Quest, Reward
from tbits_sandbox.vocabulary import RequirementType
from tbits_sandbox.wire import ApiError, ApiRequest, Secret, api_endpoint, bad_request, parse_uid


def fan_of(api: ApiRequest, raw_fan_id: str) -> Fan:
    """The fan in the path, of the caller's account, or 404."""
    try:
        fan_id = int(raw_fan_id)
    except ValueError:
        raise ApiError(404, "No such fan.") from None
    fan = Fan.objects.filter(account=api.account, fan_id=fan_id).first()
    if fan is None:
        raise ApiError(404, "No such fan.")
    return fan


def point_type_of(api: ApiRequest, raw_point_uid: str) -> PointTypeRecord:
    """The point type in the path, of the caller's account, or 404."""
    try:
        point_uid = parse_uid(raw_point_uid, name="point_uid")
    except ApiError:
        raise ApiError(404, "No such point type.") from None
    found = PointTypeRecord.objects.filter(account=api.account, point_uid=point_uid).first()
    if found is None:
        raise ApiError(404, "No such point type.")
    return found


@api_endpoint(methods=["GET"])
def businesses(api: ApiRequest) -> list[dict[str, Any]]:
    """The account's businesses with branding and point type."""
    records = Business.objects.select_related("account", "point_type").filter(account=api.account)
    return [payloads.business(item, api.http) for item in records.order_by("business_id")]


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def points(api: ApiRequest) -> Any:
    """List point types, or create one (answering the existing one of the same name)."""
    if api.http.method == "POST":
        return payloads.point_type(catalogue.create_point_type(api))
    records = PointTypeRecord.objects.filter(account=api.account).order_by("point_name")
    return [payloads.point_type(item) for item in records]


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def point_tiers(api: ApiRequest, point_uid: str) -> Any:
    """List a point type's tiers (lowest first), or create/update one."""
    point_type = point_type_of(api, point_uid)
    if api.http.method == "POST":
        return payloads.tier(catalogue.save_tier(api, point_type))
    return [payloads.tier(item) for item in point_type.tiers.order_by("min_points")]


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def fan_point_tier(api: ApiRequest, fan_id: str) -> dict[str, Any]:
    """The fan's balance in ``point_name`` and the tier it reaches (and the next one)."""
    fan = fan_of(api, fan_id)
    name = api.text("point_name", required=True)
    point_type = PointTypeRecord.objects.filter(account=api.account, point_name=name).first()
    if point_type is None:
        raise bad_request("point_name does not name a point type of this account.")
    count = ledger.balance(fan=fan, point_type=point_type)
    tier = ledger.tier_for(point_type=point_type, points=count)
    upcoming = ledger.next_tier_for(point_type=point_type, points=count)
    return {
        "fan_id": fan.fan_id,
        "point_uid": str(point_type.point_uid),
        "point_name": point_type.point_name,
        "point_count": count,
        "point_tier_uid": str(tier.point_tier_uid) if tier else None,
        "tier_name": tier.tier_name if tier else None,
        "min_points": tier.min_points if tier else None,
        "tier": payloads.tier(tier) if tier else None,
        "next_tier": payloads.tier(upcoming) if upcoming else None,
    }


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def quests(api: ApiRequest, business_id: str) -> Any:
    """List the business's quests, or create one."""
    business = catalogue.business_of(api, business_id)
    if api.http.method == "POST":
        return payloads.quest(catalogue.create_quest(api, business), api.http)
    records = Quest.objects.filter(business=business).select_related("business")
    return [payloads.quest(item, api.http) for item in records]


def _quest_of(business: Business, raw_page_tab_id: str) -> Quest:
    try:
        page_tab_id = int(raw_page_tab_id)
    except ValueError:
        raise ApiError(404, "No such quest.") from None
    quest = Quest.objects.filter(business=business, page_tab_id=page_tab_id).first()
    if quest is None:
        raise ApiError(404, "No such quest.")
    return quest


@api_endpoint(methods=["DELETE"], secret=Secret.REQUIRED)
def quest_detail(api: ApiRequest, business_id: str, page_tab_id: str) -> dict[str, Any]:
    """Delete a quest; completions already recorded stay in the fans' history."""
    quest = _quest_of(catalogue.business_of(api, business_id), page_tab_id)
    deleted_id = quest.page_tab_id
    quest.delete()
    return {"success": True, "page_tab_id": deleted_id}


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def rewards(api: ApiRequest, business_id: str) -> Any:
    """List the business's rewards, or create one."""
    business = catalogue.business_of(api, business_id)
    if api.http.method == "POST":
        return payloads.reward(catalogue.create_reward(api, business), api.http)
    return [payloads.reward(item, api.http) for item in Reward.objects.filter(business=business)]


def _reward_of(business: Business, raw_reward_uid: str) -> Reward:
    try:
        reward_uid = parse_uid(raw_reward_uid, name="reward_uid")
    except ApiError:
        raise ApiError(404, "No such reward.") from None
    reward = Reward.objects.filter(business=business, reward_uid=reward_uid).first()
    if reward is None:
        raise ApiError(404, "No such reward.")
    return reward


@api_endpoint(methods=["DELETE"], secret=Secret.REQUIRED)
def reward_detail(api: ApiRequest, business_id: str, reward_uid: str) -> dict[str, Any]:
    """Delete a reward (and its deliveries)."""
    reward = _reward_of(catalogue.business_of(api, business_id), reward_uid)
    deleted_uid = str(reward.reward_uid)
    reward.delete()
    return {"success": True, "reward_uid": deleted_uid}


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def fan_rewards(api: ApiRequest, business_id: str, fan_id: str) -> Any:
    """The fan's rewards in this business, or manually assign one."""
    business = catalogue.business_of(api, business_id)
    fan = fan_of(api, fan_id)
    if api.http.method == "POST":
        reward_uid = api.uid("reward_uid", required=True)
        reward = Reward.objects.filter(business=business, reward_uid=reward_uid).first()
        if reward is None:
            raise bad_request("reward_uid does not name a reward of this business.")
        if reward.requirement_type in {RequirementType.POINT_TIER, RequirementType.QUESTS}:
            raise bad_request(
                "This reward is delivered automatically (requirement_type "
                f"{reward.requirement_type}); only rewards without a requirement are assigned."
            )
        try:
            outcome = delivery.deliver(reward, fan, source="manual")
        except delivery.NotDeliverable as error:
            raise bad_request(error.reason) from None
        return payloads.fan_reward(outcome.fan_reward, api.http)
    held = FanReward.objects.select_related("reward").filter(fan=fan, reward__business=business)
    return [payloads.fan_reward(item, api.http) for item in held]


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def completions(api: ApiRequest, business_id: str, fan_id: str) -> dict[str, bool]:
    """``{page_tab_id: true/false}`` for every quest of the business."""
    business = catalogue.business_of(api, business_id)
    fan = fan_of(api, fan_id)
    done = ledger.completed_page_tab_ids(fan=fan, business=business)
    ids = Quest.objects.filter(business=business).values_list("page_tab_id", flat=True)
    return {str(page_tab_id): page_tab_id in done for page_tab_id in ids}


@api_endpoint(methods=["POST"], secret=Secret.REQUIRED)
def complete(api: ApiRequest, business_id: str, page_tab_id: str, fan_id: str) -> dict[str, Any]:
    """Complete a quest for a fan: idempotent, awards points, delivers due rewards."""
    business = catalogue.business_of(api, business_id)
    quest = _quest_of(business, page_tab_id)
    fan = fan_of(api, fan_id)
    done = complete_quest(quest=quest, fan=fan, ip_address=api.client_ip())
    return {
        "activity_id": done.activity.activity_id,
        "page_tab_id": quest.page_tab_id,
        "fan_id": fan.fan_id,
        "is_new": done.created,
        "fan_points_awarded": done.points_awarded,
        "fan_point_uid": str(done.fan_point.fan_point_uid) if done.fan_point else None,
    }


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def reward_updates(api: ApiRequest) -> list[dict[str, Any]]:
    """Deliveries on the account since ``last_update_date`` (a date or a date-time)."""
    since = api.moment("last_update_date", required=True, tz=timezone.get_current_timezone())
    held = (
        FanReward.objects.select_related("reward")
        .filter(reward__business__account=api.account, creation_timestamp__gte=since)
        .order_by("creation_timestamp")
    )
    return [payloads.fan_reward(item, api.http) for item in held]
