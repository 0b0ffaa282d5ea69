"""``seed_demo``: the whole demo account, from the settings, and what it created."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from tbits_sandbox.seed.account import seed_account
from tbits_sandbox.seed.events import seed_events
from tbits_sandbox.seed.fans import (
    DEFAULT_FAN_EMAIL,
    DEFAULT_FAN_PASSWORD,
    DEMO_FAN_PHONE,
    seed_fans,
)
from tbits_sandbox.seed.quests import DEMO_FAN_TAG, seed_quests
from tbits_sandbox.seed.rewards import seed_rewards


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

    seeded = seed_account(
        api_key=api_key,
        api_secret=api_secret,
        account_id=account_id,
        business_id=business_id,
        terms_required=terms_required,
    )
    account, business = seeded.account, seeded.business
    events = seed_events(account=account, business=business, art=seeded.art)
    quests = seed_quests(business=business, tiers=seeded.tiers, art=seeded.art, events=events)
    rewards = seed_rewards(
        business=business, tiers=seeded.tiers, art=seeded.art, events=events, quests=quests
    )
    fans = seed_fans(
        account=account,
        business=business,
        fan_email=fan_email,
        fan_password=fan_password,
        band=events.band,
        quests=quests,
        rewards=rewards,
    )

    return SeedInfo(
        account_id=account.account_id,
        business_id=business.business_id,
        api_key=account.api_key,
        api_secret=account.api_secret,
        business_name=business.business_name,
        point_uid=str(seeded.point_type.point_uid),
        point_name=seeded.point_type.point_name,
        tiers={name: str(tier.point_tier_uid) for name, tier in seeded.tiers.items()},
        quests={title: quest.page_tab_id for title, quest in quests.items()},
        rewards={title: str(reward.reward_uid) for title, reward in rewards.items()},
        performances={
            performance.performance_name: str(performance.performance_uid)
            for performance in (events.matchday, events.concert)
        },
        idols={idol.idol_name: str(idol.idol_uid) for idol in (events.captain, events.band)},
        media={
            asset.slug: str(asset.media_uid) for asset in [*seeded.branding, *seeded.art.values()]
        },
        fan_id=fans.demo.fan_id,
        fan_email=fans.demo.email or fan_email,
        fan_password=fan_password,
        fan_phone=DEMO_FAN_PHONE,
        fan_tag=DEMO_FAN_TAG,
        other_fan_ids=tuple(fan.fan_id for fan in fans.others),
    )
