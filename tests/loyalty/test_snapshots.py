"""The business snapshot: rule inputs derived once per snapshot, never stored in the cache."""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import caches
from django.urls import reverse

from loyalty.cache import cache_key

pytestmark = pytest.mark.django_db


def test_the_shared_cache_keeps_the_api_data_not_what_a_process_derives(fan_client, sandbox_api):
    assert fan_client.get(reverse("tbits_loyalty:quests")).status_code == 200
    snapshot = caches["default"].get(cache_key("business", "2002")).value  # a new copy
    assert "catalogue" not in vars(snapshot)
    catalogue = snapshot.catalogue
    assert catalogue.quests and snapshot.catalogue is catalogue  # derived once, then kept
    assert snapshot.reward_rules
    stored = pickle.loads(pickle.dumps(snapshot))  # noqa: S301 - bytes made just above
    assert {"catalogue", "reward_rules"}.isdisjoint(vars(stored))
    assert stored == snapshot and stored.catalogue == catalogue
