"""The demo account: one business that shows every feature of the loyalty portal.

The account is created with the credentials the portal itself is configured with
(``settings.TBITS``: API_KEY, API_SECRET, ACCOUNT_ID, BUSINESS_ID), so the two always agree,
and the demo fan's login comes from ``TBITS_SANDBOX_FAN_EMAIL`` / ``TBITS_SANDBOX_FAN_PASSWORD``.
Seeding is idempotent: everything is looked up by a natural key (titles, names, slugs)
before it is created, and the demo history is written only once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tbits_sandbox import completion, delivery
from tbits_sandbox.models import (
    Account,
    Business,
    Fan,
    FanActivity,
    Idol,
    IdolEvent,
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

DEFAULT_FAN_EMAIL = "fan@example.com"
DEFAULT_FAN_PASSWORD = "loyal-fan-2026"
DEMO_FAN_PHONE = "+16045550123"
DEMO_FAN_TAG = "season-ticket-holder"
POINT_NAME = "Fan Points"
TIERS = (("Bronze", 100), ("Silver", 500), ("Gold", 1_500), ("Platinum", 5_000))
REWARD_TIMEZONE = "America/Vancouver"
FIRST_N_LIMIT = 3

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

R_BRONZE = "Bronze Member Badge"
R_SILVER_PASS = "Silver Lounge Pass"
R_GOLD_CODE = "Gold Merch Discount"
R_CHAIN = "Superfan Chain Badge"
R_CONCESSION = "Concession Voucher"
R_WRISTBAND = "Wristband Upgrade"
R_WELCOME = "Welcome Gift Code"
R_EXPIRED = "Last Season Badge"


@dataclass(frozen=True)
class SeedInfo:
    """Identifiers of what the seed created, for the command's output and for tests."""

    account_id: int
    business_id: int
    api_key: str
    api_secret: str
    business_name: str
    point_uid: str
    point_name: str
    tiers: Mapping[str, str] = field(default_factory=dict)
    quests: Mapping[str, int] = field(default_factory=dict)
    rewards: Mapping[str, str] = field(default_factory=dict)
    performances: Mapping[str, str] = field(default_factory=dict)
    idols: Mapping[str, str] = field(default_factory=dict)
    media: Mapping[str, str] = field(default_factory=dict)
    fan_id: int = 0
    fan_email: str = DEFAULT_FAN_EMAIL
    fan_password: str = DEFAULT_FAN_PASSWORD
    fan_phone: str = DEMO_FAN_PHONE
    fan_tag: str = DEMO_FAN_TAG
    other_fan_ids: tuple[int, ...] = ()


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _media(account: Account, slug: str, **recipe: Any) -> MediaAsset:
    asset, _ = MediaAsset.objects.update_or_create(account=account, slug=slug, defaults=recipe)
    return asset


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


def _reward(
    business: Business, title: str, *, codes: tuple[str, ...] = (), **fields: Any
) -> Reward:
    defaults = {"timezone": REWARD_TIMEZONE, **fields}
    reward, _ = Reward.objects.update_or_create(
        business=business, reward_title=title, defaults=defaults
    )
    known = set(reward.prize_codes.values_list("code", flat=True))
    PrizeCode.objects.bulk_create(
        PrizeCode(reward=reward, code=code) for code in codes if code not in known
    )
    return reward


def _fan(account: Account, email: str, **fields: Any) -> Fan:
    fan = Fan.objects.filter(account=account, email=email).first()
    if fan is None:
        fan = Fan.objects.create(account=account, email=email, **fields)
    return fan


@transaction.atomic
def seed_demo(
    *,
    api_key: str | None = None,
    api_secret: str | None = None,
    account_id: int | str | None = None,
    business_id: int | str | None = None,
    fan_email: str | None = None,
    fan_password: str | None = None,
    terms_required: bool = False,
) -> SeedInfo:
    """Create (or bring up to date) the demo account; arguments default to the settings."""
    tbits = getattr(settings, "TBITS", {})
    api_key = api_key or tbits.get("API_KEY") or "sandbox-api-key"
    api_secret = api_secret or tbits.get("API_SECRET") or "sandbox-api-secret"
    account_id = int(account_id or tbits.get("ACCOUNT_ID") or 1001)
    business_id = int(business_id or tbits.get("BUSINESS_ID") or 2002)
    fan_email = (
        fan_email or getattr(settings, "TBITS_SANDBOX_FAN_EMAIL", "") or DEFAULT_FAN_EMAIL
    ).lower()
    fan_password = (
        fan_password or getattr(settings, "TBITS_SANDBOX_FAN_PASSWORD", "") or DEFAULT_FAN_PASSWORD
    )

    # A key may have been used by an earlier seed with another account id: move it along.
    Account.objects.filter(api_key=api_key).exclude(account_id=account_id).delete()
    account, _ = Account.objects.update_or_create(
        account_id=account_id,
        defaults={
            "name": "Harbour City FC (sandbox)",
            "api_key": api_key,
            "api_secret": api_secret,
            "header_text": "Welcome to the Harbour City FC fan club",
            "legal_terms": (
                "By joining you agree to the Harbour City FC fan club terms: points have no "
                "cash value and rewards are subject to availability."
            ),
            "legal_privacy": (
                "We use your email and phone only to run the fan club. You can ask us to "
                "delete your data at any time."
            ),
            "terms_acceptance_required": terms_required,
        },
    )
    logo = _media(
        account,
        "logo",
        label="HCFC",
        colour_from="#0b57d0",
        colour_to="#00838f",
        width=256,
        height=256,
    )
    header = _media(
        account,
        "header",
        label="Harbour City FC",
        colour_from="#0b57d0",
        colour_to="#7b1fa2",
        width=1200,
        height=400,
        format=MediaAsset.Format.PNG,
    )
    background = _media(
        account,
        "background",
        label="",
        colour_from="#e8f0fe",
        colour_to="#e0f7fa",
        width=1600,
        height=900,
        format=MediaAsset.Format.PNG,
    )
    quest_art = {
        slug: _media(account, slug, label=label, colour_from=start, colour_to=end)
        for slug, label, start, end in (
            ("quest-profile", "Profile", "#1e88e5", "#43a047"),
            ("quest-social", "Follow", "#d81b60", "#8e24aa"),
            ("quest-stadium", "Stadium", "#00897b", "#3949ab"),
            ("quest-lounge", "VIP", "#6d4c41", "#f9a825"),
            ("reward-badge", "Badge", "#f9a825", "#ef6c00"),
            ("reward-pass", "Pass", "#3949ab", "#00acc1"),
            ("idol-captain", "Captain", "#5e35b1", "#1e88e5"),
            ("idol-band", "Band", "#c62828", "#ad1457"),
        )
    }
    account.logo_media = logo
    account.save(update_fields=["logo_media"])

    point_type, _ = PointTypeRecord.objects.get_or_create(account=account, point_name=POINT_NAME)
    tiers = {}
    for name, minimum in TIERS:
        tier, _ = Tier.objects.update_or_create(
            point_type=point_type, tier_name=name, defaults={"min_points": minimum}
        )
        tiers[name] = tier

    business, _ = Business.objects.update_or_create(
        business_id=business_id,
        defaults={
            "account": account,
            "business_name": "Harbour City FC",
            "point_type": point_type,
            "style_props": {
                "primary_color": "#0b57d0",
                "secondary_color": "#00838f",
                "accent_color": "#f9a825",
                "background_color": "#ffffff",
                "text_color": "#1f1f1f",
                "font_family": "system-ui, sans-serif",
            },
            "media_map": {
                "logo": str(logo.media_uid),
                "header": str(header.media_uid),
                "background": str(background.media_uid),
            },
            "locale_props": {"portal_title": "Harbour City FC Fan Club"},
            "legal_rules": "One account per fan. Quests may be completed once.",
        },
    )

    today = _day(0)
    matchday, _ = Performance.objects.update_or_create(
        account=account,
        performance_name="Harbour City FC vs Northside United",
        defaults={
            "business": business,
            "performance_date": today,
            "venue_name": "Harbour City Stadium",
            "city": "Vancouver",
            "province": "BC",
            "country_code": "CA",
            "artist_name": "Harbour City FC",
            "label_name": "harbour-city",
        },
    )
    concert, _ = Performance.objects.update_or_create(
        account=account,
        performance_name="Half-time Live: The Tide",
        defaults={
            "business": business,
            "performance_date": _day(14),
            "venue_name": "Harbour City Stadium",
            "city": "Vancouver",
            "province": "BC",
            "country_code": "CA",
            "artist_name": "The Tide",
            "label_name": "harbour-city",
        },
    )

    captain, _ = Idol.objects.update_or_create(
        account=account,
        idol_name="Sam Rivera",
        defaults={
            "idol_type": "team",
            "description": "Club captain and midfielder.",
            "media": quest_art["idol-captain"],
            "link_url": "https://example.com/players/sam-rivera",
            "label_names": ["harbour-city"],
        },
    )
    band, _ = Idol.objects.update_or_create(
        account=account,
        idol_name="The Tide",
        defaults={
            "idol_type": "artist",
            "description": "The band that plays every home game's half-time show.",
            "media": quest_art["idol-band"],
            "link_url": "https://example.com/music/the-tide",
            "label_names": ["harbour-city", "music"],
        },
    )
    for idol, title, day, venue in (
        (captain, "Meet the captain", _day(3), "Club shop"),
        (captain, "Signing session", _day(21), "Harbour City Stadium"),
        (band, "Half-time show", _day(14), "Harbour City Stadium"),
        (band, "Acoustic set", _day(30), "Waterfront Hall"),
    ):
        IdolEvent.objects.update_or_create(
            idol=idol,
            start_timestamp=_at(day, 19),
            defaults={
                "end_timestamp": _at(day, 21),
                "venue_name": venue,
                "city": "Vancouver",
                "province": "BC",
                "country_code": "CA",
                "event_url": f"https://example.com/events/{title.lower().replace(' ', '-')}",
                "ticket_url": "https://example.com/tickets",
                "label_name": "harbour-city",
            },
        )

    q_profile = _quest(
        business,
        Q_PROFILE,
        quest_type=QuestType.CUSTOM,
        quest_description="Fill in all your profile details.",
        button_text="Complete profile",
        fan_points_reward=50,
        media=quest_art["quest-profile"],
    )
    q_follow = _quest(
        business,
        Q_FOLLOW,
        quest_type=QuestType.LINK_URL,
        quest_description="Follow the club for behind-the-scenes news.",
        button_text="Follow us",
        fan_points_reward=25,
        link_url="https://www.instagram.com/",
        media=quest_art["quest-social"],
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
        start_date=_day(-7),
        end_date=_day(7),
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
        media=quest_art["quest-stadium"],
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
        media=quest_art["quest-lounge"],
    )
    q_ended = _quest(
        business,
        Q_ENDED,
        quest_type=QuestType.CAMPAIGN,
        quest_description="Tell us what you thought of pre-season.",
        button_text="Take the survey",
        fan_points_reward=40,
        target_page_tab_id=900003,
        start_date=_day(-60),
        end_date=_day(-30),
    )
    q_upcoming = _quest(
        business,
        Q_UPCOMING,
        quest_type=QuestType.CUSTOM,
        quest_description="RSVP to the end-of-season party.",
        button_text="RSVP",
        fan_points_reward=60,
        start_date=_day(30),
        end_date=_day(40),
        performance=concert,
    )
    quests = [
        q_profile, q_follow, q_shop, q_playlist, q_poll, q_predict,
        q_scan, q_wristband, q_lounge, q_ended, q_upcoming,
    ]  # fmt: skip

    season_end = _at(_day(365), 23, 59)
    r_bronze = _reward(
        business,
        R_BRONZE,
        reward_type=RewardType.BADGE,
        description="You reached Bronze.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Bronze"],
        media=quest_art["reward-badge"],
    )
    r_pass = _reward(
        business,
        R_SILVER_PASS,
        reward_type=RewardType.PASS,
        description="Entry to the members' lounge on matchday.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Silver"],
        performance=matchday,
        access_start_timestamp=_at(today, 17),
        access_end_timestamp=_at(today, 23),
        access_pass_type="qrcode",
        media=quest_art["reward-pass"],
    )
    r_gold = _reward(
        business,
        R_GOLD_CODE,
        codes=tuple(f"GOLD-{index:04d}" for index in range(1, FIRST_N_LIMIT + 3)),
        reward_type=RewardType.PRIZE_CODE,
        description=f"20% off in the club shop, for the first {FIRST_N_LIMIT} fans to reach Gold.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.FIRST,
        reward_limit=FIRST_N_LIMIT,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Gold"],
        is_limited=True,
    )
    r_chain = _reward(
        business,
        R_CHAIN,
        reward_type=RewardType.BADGE,
        description="Finished the follow, shop and playlist chain.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.QUESTS,
        required_page_tab_ids=[q_follow.page_tab_id, q_shop.page_tab_id, q_playlist.page_tab_id],
        media=quest_art["reward-badge"],
    )
    r_concession = _reward(
        business,
        R_CONCESSION,
        reward_type=RewardType.ATVENU,
        description="A free drink at any concession stand, pushed to your wristband.",
        expiration_timestamp=_at(today, 23, 59),
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.QUESTS,
        required_page_tab_ids=[q_scan.page_tab_id],
        performance=matchday,
        atvenu_sales_event_key="hcfc-matchday",
        atvenu_promo_key="free-drink",
        atvenu_delivery_method=AtVenuDeliveryMethod.WRISTBAND,
    )
    r_wristband = _reward(
        business,
        R_WRISTBAND,
        reward_type=RewardType.BESTRING,
        description="Fast-lane entry on your wristband (assigned by the club).",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
        performance=matchday,
        bestring_location_group_id="hcfc-gates",
        bestring_promotion_id="fast-lane",
    )
    r_welcome = _reward(
        business,
        R_WELCOME,
        codes=tuple(f"WELCOME-{index:03d}" for index in range(1, 51)),
        reward_type=RewardType.PRIZE_CODE,
        description="A welcome discount code, assigned by the club.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
        is_limited=True,
    )
    r_expired = _reward(
        business,
        R_EXPIRED,
        reward_type=RewardType.BADGE,
        description="Last season's loyalty badge.",
        expiration_timestamp=_at(_day(-30), 23, 59),
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
    )
    rewards = [r_bronze, r_pass, r_gold, r_chain, r_concession, r_wristband, r_welcome, r_expired]

    demo = _fan(
        account,
        fan_email,
        first_name="Alex",
        last_name="Morgan",
        display_name="AlexM",
        phone=DEMO_FAN_PHONE,
        is_subscribed=True,
        is_accepted_terms=True,
    )
    demo.password_hash = make_password(fan_password)
    demo.tags = sorted({*demo.tags, DEMO_FAN_TAG})
    demo.save(update_fields=["password_hash", "tags"])
    demo.idols.add(band)

    others = []
    for index, (first, last, display, quest_list) in enumerate(
        (
            ("Jordan", "Lee", "JLee", [q_profile, q_follow, q_shop, q_poll, q_predict, q_playlist]),
            ("Priya", "Shah", "PriyaS", [q_profile, q_follow, q_poll]),
            ("Chris", "Ng", "ChrisN", [q_profile]),
        ),
        start=1,
    ):
        fan = _fan(
            account,
            f"demo-fan-{index}@example.com",
            first_name=first,
            last_name=last,
            display_name=display,
        )
        others.append((fan, quest_list))

    if not FanActivity.objects.filter(fan=demo).exists():
        # History, written once: a login, a few completions (150 points: Bronze), a welcome code.
        FanActivity.objects.create(
            account=account, business=business, fan=demo, campaign_title="Portal login"
        )
        for quest in (q_profile, q_follow, q_poll):
            completion.complete_quest(quest=quest, fan=demo, ip_address="127.0.0.1")
        delivery.deliver(r_welcome, demo, source="manual")
        for fan, quest_list in others:
            FanActivity.objects.create(
                account=account, business=business, fan=fan, campaign_title="Portal login"
            )
            for quest in quest_list:
                completion.complete_quest(quest=quest, fan=fan, ip_address="127.0.0.1")
    delivery.process_rewards(account_id=account.account_id)

    return SeedInfo(
        account_id=account.account_id,
        business_id=business.business_id,
        api_key=account.api_key,
        api_secret=account.api_secret,
        business_name=business.business_name,
        point_uid=str(point_type.point_uid),
        point_name=point_type.point_name,
        tiers={name: str(tier.point_tier_uid) for name, tier in tiers.items()},
        quests={quest.quest_title: quest.page_tab_id for quest in quests},
        rewards={reward.reward_title: str(reward.reward_uid) for reward in rewards},
        performances={
            matchday.performance_name: str(matchday.performance_uid),
            concert.performance_name: str(concert.performance_uid),
        },
        idols={captain.idol_name: str(captain.idol_uid), band.idol_name: str(band.idol_uid)},
        media={
            asset.slug: str(asset.media_uid)
            for asset in [logo, header, background, *quest_art.values()]
        },
        fan_id=demo.fan_id,
        fan_email=demo.email or fan_email,
        fan_password=fan_password,
        fan_phone=DEMO_FAN_PHONE,
        fan_tag=DEMO_FAN_TAG,
        other_fan_ids=tuple(fan.fan_id for fan, _ in others),
    )
