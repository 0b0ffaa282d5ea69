"""A setup file's rewards: which fields each reward type takes, and when each is required.

The rules follow the API's reward creation table (loyalty-portal-integration.txt). Times
are wall-clock times in the reward's own ``timezone``, as the API takes them.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from typing import Any

from loyalty.programme.fields import Table
from loyalty.programme.prerequisites import read_prerequisites
from loyalty.programme.problems import Report
from loyalty.programme.spec import RewardSpec
from loyalty.programme.vocabulary import EVENT_REWARD_TYPES, KEY_MAX, TITLE_MAX
from tbits_client import AtvenuDeliveryMethod, RequirementType, RewardType, SelectionModel

__all__ = ["read_reward"]

# The fields only one reward type takes: required (or defaulted) for it, refused for the
# others, since the API would not store them.
_FIELDS_OF_TYPE: dict[RewardType, tuple[str, ...]] = {
    RewardType.BADGE: (),
    RewardType.PASS: ("access_start_timestamp", "access_end_timestamp", "access_pass_type"),
    RewardType.PRIZE_CODE: ("prize_codes", "is_limited"),
    RewardType.ATVENU: ("atvenu_sales_event_key", "atvenu_promo_key", "atvenu_delivery_method"),
    RewardType.BESTRING: ("bestring_location_group_id", "bestring_promotion_id"),
}


def read_reward(report: Report, position: int, raw: Mapping[str, Any]) -> RewardSpec | None:
    """One ``[[rewards]]`` entry; None when it is too broken to plan (reported)."""
    table = Table.entry(report, "reward", position, raw, title_key="reward_title")
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
    point_tier, required_quests = read_prerequisites(
        table,
        chosen_by="requirement_type",
        needs_tier=requirement is RequirementType.POINT_TIER,
        needs_quests=requirement is RequirementType.QUESTS,
    )

    description = table.text("description")
    performance = table.reference(
        name_key="performance",
        uid_key="performance_uid",
        required=reward_type in EVENT_REWARD_TYPES,
        why=f" for {reward_type} rewards (the event the promotion is pushed at)",
    )
    media_uid = table.uid("media_uid")

    # Type-specific fields: required for their type, refused for the others (when the
    # type itself is invalid, that one problem is enough).
    own = _FIELDS_OF_TYPE[reward_type] if reward_type is not None else ()
    for other_type, fields in _FIELDS_OF_TYPE.items():
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
        prize_codes = table.text_list(
            "prize_codes",
            required=True,
            max_length=KEY_MAX,
            sent_as_list=True,
            why=" for prize_code rewards (the pool of codes)",
        )
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
