"""The naive reference: the docs' "Runtime API Flow", followed literally, as a Django view.

Every page view makes the flow's calls one after another with ``requests.get`` (a new
connection each, as the docs' snippets do) and caches nothing: businesses, the point
tiers, the fan's tier, the quests, the fan's completions, the fan's rewards, and for the
wallet also the reward catalogue (without it a wallet cannot show what to earn). It then
does the same rule work as the portal, with loyalty's pure rules, and renders a lean page
of its own.

Two deliberate kindnesses keep the comparison conservative: credentials go in headers
(the docs put the secret in the query string, which this project never does), and the
page it renders is lighter than the portal's (no shared layout, no includes), so its CPU
per page is, if anything, understated.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import engines
from django.template.backends.django import Template
from django.utils import timezone

from loyalty import rules

PAGES = ("dashboard", "quests", "wallet")
TEMPLATE = Path(__file__).resolve().parent / "templates" / "naive.html"


@cache
def _template() -> Template:
    # Loaded from its own file, so the view works under any settings (the tests' too).
    return engines["django"].from_string(TEMPLATE.read_text())


def _get(path: str, **params: str) -> Any:
    config = settings.TBITS
    response = requests.get(
        str(config["API_BASE_URL"]) + path,
        params=params or None,
        headers={"Api-Key": config["API_KEY"], "Api-Secret": config["API_SECRET"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def runtime_flow(*, fan_id: int | str, with_catalogue_rewards: bool) -> dict[str, Any]:
    """The documented calls, in the documented order, one after another."""
    business_id = str(settings.TBITS["BUSINESS_ID"])
    businesses = _get("api/v1/businesses")
    business = next(b for b in businesses if str(b["business_id"]) == business_id)
    ent = f"api/v1/ent/businesses/{business_id}"
    data = {
        "business": business,
        "tiers": _get(f"api/v1/crm/point_tiers/{business['point_uid']}"),
        "fan_tier": _get(f"api/v1/crm/fans/{fan_id}/point_tier", point_name=business["point_name"]),
        "quests": _get(f"{ent}/quests"),
        "completions": _get(f"{ent}/quests/fans/{fan_id}/complete"),
        "fan_rewards": _get(f"{ent}/fans/{fan_id}/rewards"),
        "rewards": [],
    }
    if with_catalogue_rewards:
        data["rewards"] = _get(f"{ent}/rewards")
    return data


# --- JSON to the rules' inputs ---------------------------------------------------------


def _day(value: str | None, *, after: bool = False) -> dt.datetime | None:
    if not value:
        return None
    day = dt.date.fromisoformat(value[:10]) + dt.timedelta(days=1 if after else 0)
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _quest_rule(quest: dict[str, Any]) -> rules.QuestRule:
    restriction = None
    kind = quest.get("access_restriction_type")
    if kind:
        restriction = rules.Restriction(
            kind=rules.RestrictionKind(kind),
            points_required=quest.get("fan_points_required") or 0,
            tier_id=quest.get("point_tier_uid") or "",
            required_quest_ids=tuple(int(i) for i in quest.get("required_page_tab_ids") or ()),
            tag=quest.get("tag_name") or "",
        )
    return rules.QuestRule(
        quest_id=int(quest["page_tab_id"]),
        title=quest["quest_title"],
        points_reward=quest.get("fan_points_reward") or 0,
        quest_type=quest.get("quest_type") or "custom",
        restriction=restriction,
        opens_at=_day(quest.get("start_date")),
        closes_at=_day(quest.get("end_date"), after=True),
        performance_id=quest.get("performance_uid") or "",
    )


def _reward_rule(reward: dict[str, Any]) -> rules.RewardRule:
    requirement = {
        "point_tier": rules.RequirementKind.POINT_TIER,
        "quests": rules.RequirementKind.QUESTS,
    }.get(reward.get("requirement_type") or "", rules.RequirementKind.MANUAL)
    remaining = None
    if reward.get("winner_selection_model") == "first" and reward.get("reward_limit"):
        remaining = max(int(reward["reward_limit"]) - int(reward.get("delivered_count") or 0), 0)
    return rules.RewardRule(
        reward_id=reward["reward_uid"],
        title=reward["reward_title"],
        reward_type=reward.get("reward_type") or "badge",
        requirement=requirement,
        tier_id=reward.get("point_tier_uid") or "",
        required_quest_ids=tuple(int(i) for i in reward.get("required_page_tab_ids") or ()),
        expires_at=_moment(reward.get("expiration_timestamp")),
        remaining=remaining,
    )


def _held(copy: dict[str, Any], index: int) -> rules.HeldReward:
    return rules.HeldReward(
        key=str(index),
        reward_id=copy["reward_uid"],
        delivered_at=_moment(copy.get("delivered_timestamp") or copy.get("creation_timestamp")),
        expires_at=_moment(copy.get("expiration_timestamp")),
        valid_from=_moment(copy.get("access_start_timestamp")),
        valid_until=_moment(copy.get("access_end_timestamp")),
    )


def page_context(page: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the page shows, computed with loyalty's pure rules."""
    now = timezone.now()
    catalogue = rules.Catalogue(
        tiers=tuple(
            rules.TierRule(
                tier_id=t["point_tier_uid"], name=t["tier_name"], min_points=int(t["min_points"])
            )
            for t in data["tiers"]
        ),
        quests=tuple(_quest_rule(quest) for quest in data["quests"]),
    )
    points = int(data["fan_tier"].get("point_count") or 0)
    completed = [int(key) for key, done in data["completions"].items() if done]
    fan = rules.FanStanding.of(total_points=points, completed=completed)
    progress = rules.tier_progress(points=points, tiers=catalogue.tiers)
    cards = rules.quest_cards(catalogue.quests, fan=fan, catalogue=catalogue, now=now)
    context: dict[str, Any] = {
        "page": page,
        "business": data["business"],
        "points": points,
        "progress": progress,
    }
    if page == "quests":
        board = rules.quest_board(cards, catalogue=catalogue, now=now)
        context["groups"] = [
            ("Available", board.available),
            ("Locked", board.locked),
            ("Coming soon", board.upcoming),
            ("Completed", board.completed),
            *((group.performance.name, group.cards) for group in board.events),
        ]
        return context
    wallet = rules.reward_wallet(
        (_reward_rule(reward) for reward in data["rewards"]),
        (_held(copy, index) for index, copy in enumerate(data["fan_rewards"])),
        fan=fan,
        catalogue=catalogue,
        now=now,
    )
    if page == "dashboard":
        path = rules.quests_toward_next_tier(cards, progress=progress, limit=3)
        context["groups"] = [("Quickest way up", path.cards)]
        context["rewards"] = wallet.held[:3]
        return context
    context["reward_groups"] = [
        ("Held", wallet.held),
        ("On its way", wallet.on_its_way),
        ("Working toward", wallet.working_toward),
        ("Expired", wallet.expired),
        ("Unavailable", wallet.unavailable),
        ("Manual", wallet.manual),
    ]
    return context


def page(request: HttpRequest, page: str) -> HttpResponse:
    """One naive page view for the logged-in fan (same session as the portal's)."""
    if page not in PAGES:
        raise Http404("No such naive page.")
    fan = getattr(request, "fan", None)
    if fan is None:
        return HttpResponseForbidden("Log in first.")
    data = runtime_flow(fan_id=fan.fan_id, with_catalogue_rewards=page == "wallet")
    response = HttpResponse(_template().render(page_context(page, data), request))
    response["Cache-Control"] = "private, no-store"
    return response
