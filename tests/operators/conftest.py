"""Fixtures for the operator commands: fresh sandbox accounts and a command runner.

A setup file is tested against an account the seed never touched: ``fresh_business``
creates one in the live sandbox (through the sandbox's own models, standing in for the
provider's admin UI, which is where accounts, events and idols come from) and points the
``TBITS`` settings at it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "loyalty" / "programme" / "example.toml"
MATCHDAY = "Harbour City FC vs Northside United"
CONCERT = "Half-time Live: The Tide"
BAND = "The Tide"


@dataclass(frozen=True)
class FreshBusiness:
    """A business of a new sandbox account, with the ids a setup file may name."""

    account_id: int
    business_id: int
    api_key: str
    api_secret: str
    point_uid: str | None
    matchday_uid: str
    concert_uid: str
    band_uid: str
    media_uid: str

    def quests(self) -> dict[str, Any]:
        """The business's quests in the sandbox, by title."""
        from tbits_sandbox.models import Quest

        return {q.quest_title: q for q in Quest.objects.filter(business_id=self.business_id)}

    def rewards(self) -> dict[str, Any]:
        """The business's rewards in the sandbox, by title."""
        from tbits_sandbox.models import Reward

        return {r.reward_title: r for r in Reward.objects.filter(business_id=self.business_id)}

    def tiers(self) -> dict[str, int]:
        """Tier name -> min_points of the business's point type."""
        from tbits_sandbox.models import Tier

        found = Tier.objects.filter(point_type__account_id=self.account_id)
        return {tier.tier_name: tier.min_points for tier in found}

    def tier_uid(self, tier_name: str) -> str:
        """The point_tier_uid of one tier of the account."""
        from tbits_sandbox.models import Tier

        found = Tier.objects.get(point_type__account_id=self.account_id, tier_name=tier_name)
        return str(found.point_tier_uid)

    def assign_point_type(self, point_name: str) -> None:
        """What the admin UI's Business > Fan Loyalty Portal page does (no API call for it)."""
        from tbits_sandbox.models import Business, PointTypeRecord

        point_type = PointTypeRecord.objects.get(account_id=self.account_id, point_name=point_name)
        Business.objects.filter(business_id=self.business_id).update(point_type=point_type)


@pytest.fixture
def make_business(live_sandbox: Any, settings: Any) -> Callable[..., FreshBusiness]:
    """Create a fresh account and business in the live sandbox and point TBITS at it.

    ``with_point_type``: whether "Fan Points" exists and is assigned (setup steps 1-2 done).
    """
    from tbits_sandbox.models import (
        Account,
        Business,
        Idol,
        MediaAsset,
        Performance,
        PointTypeRecord,
    )

    counter = {"n": 0}

    def make(*, with_point_type: bool = True) -> FreshBusiness:
        counter["n"] += 1
        number = counter["n"]
        account = Account.objects.create(
            account_id=7000 + number,
            name=f"Operators test {number}",
            api_key=f"ops-test-key-{number}",
            api_secret=f"ops-test-secret-{number}",
        )
        point_type = (
            PointTypeRecord.objects.create(account=account, point_name="Fan Points")
            if with_point_type
            else None
        )
        business = Business.objects.create(
            business_id=8000 + number,
            account=account,
            business_name=f"Setup FC {number}",
            point_type=point_type,
        )
        day = dt.date(2027, 3, 6)
        matchday = Performance.objects.create(
            account=account, business=business, performance_name=MATCHDAY, performance_date=day
        )
        concert = Performance.objects.create(
            account=account, business=business, performance_name=CONCERT, performance_date=day
        )
        band = Idol.objects.create(account=account, idol_name=BAND)
        media = MediaAsset.objects.create(account=account, slug="quest-art", label="Quest")
        settings.TBITS = {
            **settings.TBITS,
            "API_KEY": account.api_key,
            "API_SECRET": account.api_secret,
            "ACCOUNT_ID": str(account.account_id),
            "BUSINESS_ID": str(business.business_id),
        }
        return FreshBusiness(
            account_id=account.account_id,
            business_id=business.business_id,
            api_key=account.api_key,
            api_secret=account.api_secret,
            point_uid=str(point_type.point_uid) if point_type else None,
            matchday_uid=str(matchday.performance_uid),
            concert_uid=str(concert.performance_uid),
            band_uid=str(band.idol_uid),
            media_uid=str(media.media_uid),
        )

    return make


@pytest.fixture
def fresh_business(make_business: Callable[..., FreshBusiness]) -> FreshBusiness:
    """A business whose point type exists and is assigned, with no tiers, quests or rewards."""
    return make_business()


@dataclass(frozen=True)
class Run:
    """What a command printed, and whether it failed (CommandError)."""

    stdout: str
    stderr: str
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


@pytest.fixture
def run_command() -> Callable[..., Run]:
    """Run a management command, capturing its output and its CommandError, if any."""

    def run(name: str, *args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(name, *args, stdout=out, stderr=err)
        except CommandError as error:
            return Run(out.getvalue(), err.getvalue(), str(error))
        return Run(out.getvalue(), err.getvalue(), None)

    return run


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str], str]:
    """Write a setup file's text to a temporary file and return its path."""
    count = {"n": 0}

    def write(text: str) -> str:
        count["n"] += 1
        path = tmp_path / f"programme-{count['n']}.toml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write
