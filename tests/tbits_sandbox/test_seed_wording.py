"""The seeded catalogue's wording holds for a fan who has not earned a reward yet.

A reward's description is shown on its card under "Rewards to earn" as well as in the
wallet; "You reached Bronze." on an unearned badge told a new fan they had done it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

CLAIMS_EARNED = re.compile(r"\byou (?:have |'ve )?(?:reached|earned|unlocked|won)\b", re.I)


def test_no_seeded_reward_description_claims_the_fan_earned_it(sandbox_seed: Any) -> None:
    from tbits_sandbox.models import Reward

    claims = [
        (reward.title, reward.description)
        for reward in Reward.objects.all()
        if CLAIMS_EARNED.search(reward.description or "")
    ]
    assert not claims, claims
