"""Seed the quests: one of every type and every access restriction, open, ended and upcoming."""

from __future__ import annotations

from typing import Any

from tbits_sandbox.models import Business, MediaAsset, Quest, Tier
from tbits_sandbox.seed.dates import days_from_today
from tbits_sandbox.seed.events import SeededEvents
from tbits_sandbox.vocabulary import QuestRewardType, QuestType, RestrictionType

DEMO_FAN_TAG = "season-ticket-holder"

# Quest titles, used as natural keys and by tests through SeedInfo.quests.
Q_PROFILE = "Complete your profile"
Q_FOLLOW = "Follow us on Instagram"
Q_SHOP = "Visit the club shop"
Q_PLAYLIST = "Share the matchday playlist"
Q_POLL = "Matchday poll"
Q_PREDICT = "Predict the score"
Q_SCAN = "Check in at the stadium"
Q_WRISTBAND = "Link your wristband"
Q_LOUNGE = "Members' lounge tour"
Q_ENDED = "Pre-season survey"
Q_UPCOMING = "Season finale watch party"


def _quest(business: Business, title: str, **fields: Any) -> Quest:
    defaults = {
        "point_type": business.point_type,
        "reward_type": QuestRewardType.FAN_POINTS,
        **fields,
    }
    quest, _ = Quest.objects.update_or_create(
        business=business, quest_title=title, defaults=defaults
    )
    return quest


def seed_quests(
    *,
    business: Business,
    tiers: dict[str, Tier],
    art: dict[str, MediaAsset],
    events: SeededEvents,
) -> dict[str, Quest]:
    """Create or update the quests, in creation order (their page_tab_ids follow it)."""
    today = days_from_today(0)
    matchday, concert, band = events.matchday, events.concert, events.band
    q_profile = _quest(
        business,
        Q_PROFILE,
        quest_type=QuestType.CUSTOM,
        quest_description="Fill in all your profile details.",
        button_text="Complete profile",
        fan_points_reward=50,
        media=art["quest-profile"],
    )
    q_follow = _quest(
        business,
        Q_FOLLOW,
        quest_type=QuestType.LINK_URL,
        quest_description="Follow the club for behind-the-scenes news.",
        button_text="Follow us",
        fan_points_reward=25,
        link_url="https://www.instagram.com/",
        media=art["quest-social"],
    )
    q_shop = _quest(
        business,
        Q_SHOP,
        quest_type=QuestType.LINK_URL,
        quest_description="Browse this season's kit.",
        button_text="Visit the shop",
        fan_points_reward=25,
        link_url="https://example.com/shop",
        access_restriction_type=RestrictionType.QUESTS,
        required_page_tab_ids=[q_follow.page_tab_id],
    )
    q_playlist = _quest(
        business,
        Q_PLAYLIST,
        quest_type=QuestType.LINK_URL,
        quest_description="The last step of the chain: share the team's matchday playlist.",
        button_text="Share",
        fan_points_reward=100,
        link_url="https://example.com/playlist",
        access_restriction_type=RestrictionType.QUESTS,
        required_page_tab_ids=[q_follow.page_tab_id, q_shop.page_tab_id],
        idol=band,
    )
    q_poll = _quest(
        business,
        Q_POLL,
        quest_type=QuestType.CAMPAIGN,
        quest_description="Vote for the player of the match.",
        button_text="Vote",
        fan_points_reward=75,
        target_page_tab_id=900001,
        start_date=days_from_today(-7),
        end_date=days_from_today(7),
    )
    q_predict = _quest(
        business,
        Q_PREDICT,
        quest_type=QuestType.QUICKPICKS,
        quest_description="Call the final score before kick-off.",
        button_text="Make your picks",
        fan_points_reward=100,
        target_page_tab_id=900002,
        access_restriction_type=RestrictionType.FAN_POINTS,
        fan_points_required=100,
        performance=matchday,
    )
    q_scan = _quest(
        business,
        Q_SCAN,
        quest_type=QuestType.SCAN,
        quest_description="Scan the QR code at any gate on matchday.",
        button_text="Scan at the gate",
        fan_points_reward=200,
        performance=matchday,
        scan_group_names=["gate-a", "gate-b"],
        site_name="North Stand",
        media=art["quest-stadium"],
        start_date=today,
        end_date=today,
    )
    q_wristband = _quest(
        business,
        Q_WRISTBAND,
        quest_type=QuestType.WRISTBAND,
        quest_description="Link your matchday wristband to your fan account.",
        button_text="Link wristband",
        fan_points_reward=150,
        performance=matchday,
        access_restriction_type=RestrictionType.POINT_TIER,
        point_tier=tiers["Silver"],
    )
    q_lounge = _quest(
        business,
        Q_LOUNGE,
        quest_type=QuestType.CUSTOM,
        quest_description="A behind-the-scenes tour for season ticket holders.",
        button_text="Book the tour",
        fan_points_reward=300,
        access_restriction_type=RestrictionType.TAG,
        tag_name=DEMO_FAN_TAG,
        media=art["quest-lounge"],
    )
    q_ended = _quest(
        business,
        Q_ENDED,
        quest_type=QuestType.CAMPAIGN,
        quest_description="Tell us what you thought of pre-season.",
        button_text="Take the survey",
        fan_points_reward=40,
        target_page_tab_id=900003,
        start_date=days_from_today(-60),
        end_date=days_from_today(-30),
    )
    q_upcoming = _quest(
        business,
        Q_UPCOMING,
        quest_type=QuestType.CUSTOM,
        quest_description="RSVP to the end-of-season party.",
        button_text="RSVP",
        fan_points_reward=60,
        # Its dates reach the concert's day, so it opens with the concert (a quest whose
        # dates miss its event never opens: the board hides it, tbits_check warns).
        start_date=days_from_today(7),
        end_date=days_from_today(14),
        performance=concert,
    )
    quests = [
        q_profile, q_follow, q_shop, q_playlist, q_poll, q_predict,
        q_scan, q_wristband, q_lounge, q_ended, q_upcoming,
    ]  # fmt: skip
    return {quest.quest_title: quest for quest in quests}
