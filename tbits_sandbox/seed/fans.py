"""Seed the fans: the demo fan who logs in, three others for the leaderboard, their history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from tbits_sandbox import completion, delivery
from tbits_sandbox.models import Account, Business, Fan, FanActivity, Idol, Quest, Reward
from tbits_sandbox.seed.quests import (
    DEMO_FAN_TAG,
    Q_FOLLOW,
    Q_PLAYLIST,
    Q_POLL,
    Q_PREDICT,
    Q_PROFILE,
    Q_SHOP,
)
from tbits_sandbox.seed.rewards import R_WELCOME

DEFAULT_FAN_EMAIL = "fan@example.com"
DEFAULT_FAN_PASSWORD = "loyal-fan-2026"
DEMO_FAN_PHONE = "+16045550123"

# The other fans and the quests each has completed: first, last, display name, quest titles.
OTHER_FANS = (
    ("Jordan", "Lee", "JLee", (Q_PROFILE, Q_FOLLOW, Q_SHOP, Q_POLL, Q_PREDICT, Q_PLAYLIST)),
    ("Priya", "Shah", "PriyaS", (Q_PROFILE, Q_FOLLOW, Q_POLL)),
    ("Chris", "Ng", "ChrisN", (Q_PROFILE,)),
)
# What the demo fan has done: 150 points, so Bronze.
DEMO_FAN_QUESTS = (Q_PROFILE, Q_FOLLOW, Q_POLL)


@dataclass(frozen=True)
class SeededFans:
    """The demo fan and the others."""

    demo: Fan
    others: list[Fan]


def _fan(account: Account, email: str, **fields: Any) -> Fan:
    fan = Fan.objects.filter(account=account, email=email).first()
    if fan is None:
        fan = Fan.objects.create(account=account, email=email, **fields)
    return fan


def seed_fans(
    *,
    account: Account,
    business: Business,
    fan_email: str,
    fan_password: str,
    band: Idol,
    quests: dict[str, Quest],
    rewards: dict[str, Reward],
) -> SeededFans:
    """Create the fans; write their history once; deliver the rewards it makes due."""
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
    for index, (first, last, display, titles) in enumerate(OTHER_FANS, start=1):
        fan = _fan(
            account,
            f"demo-fan-{index}@example.com",
            first_name=first,
            last_name=last,
            display_name=display,
        )
        others.append((fan, [quests[title] for title in titles]))

    if not FanActivity.objects.filter(fan=demo).exists():
        # History, written once: a login, a few completions (150 points: Bronze), a welcome code.
        FanActivity.objects.create(
            account=account, business=business, fan=demo, campaign_title="Portal login"
        )
        for title in DEMO_FAN_QUESTS:
            completion.complete_quest(quest=quests[title], fan=demo, ip_address="127.0.0.1")
        delivery.deliver(rewards[R_WELCOME], demo, source="manual")
        for fan, quest_list in others:
            FanActivity.objects.create(
                account=account, business=business, fan=fan, campaign_title="Portal login"
            )
            for quest in quest_list:
                completion.complete_quest(quest=quest, fan=fan, ip_address="127.0.0.1")
    delivery.process_rewards(account_id=account.account_id)
    return SeededFans(demo=demo, others=[fan for fan, _ in others])
