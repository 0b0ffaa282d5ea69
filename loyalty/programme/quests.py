"""A setup file's quests: which fields each quest type takes, and when each is required.

The rules follow the API's quest creation table (loyalty-portal-integration.txt): a field
the API would ignore for the quest's type is refused, since it would never be stored and
every plan would show it as a change again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from loyalty.programme.fields import Table
from loyalty.programme.prerequisites import read_prerequisites
from loyalty.programme.problems import Report
from loyalty.programme.spec import QuestSpec
from loyalty.programme.vocabulary import BUTTON_MAX, KEY_MAX, NAME_MAX, NONE, SITE_MAX, TITLE_MAX
from loyalty.rules import CAMPAIGN_QUEST_KINDS, EVENT_QUEST_KINDS, QuestKind, RestrictionKind
from tbits_client import QuestRewardType

__all__ = ["read_quest"]


def read_quest(report: Report, position: int, raw: Mapping[str, Any]) -> QuestSpec | None:
    """One ``[[quests]]`` entry; None when it is too broken to plan (reported)."""
    table = Table.entry(report, "quest", position, raw, title_key="quest_title")
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
    performance = table.reference(
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
        scan_groups = table.text_list(
            "scan_group_names",
            required=True,
            max_length=KEY_MAX,
            sent_as_list=True,
            why=" for scan quests",
        )
        site_name = table.text("site_name", max_length=SITE_MAX)
    else:
        table.forbid("scan_group_names", "is only used by scan quests")
        table.forbid("site_name", "is only used by scan quests")

    restriction = table.choice("access_restriction_type", RestrictionKind)
    fan_points_required = None
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
    point_tier, required_quests = read_prerequisites(
        table,
        chosen_by="access_restriction_type",
        needs_tier=restriction is RestrictionKind.POINT_TIER,
        needs_quests=restriction is RestrictionKind.QUESTS,
    )
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
    idol = table.reference(name_key="idol", uid_key="idol_uid", required=False)
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
