"""The fan's name and the club's look around the pages, without a call per page.

The dashboard greets the fan by first name, read once per login with the first page's round
trip and kept in the session; the login pages wear the club's name from the shared cache.
"""

from __future__ import annotations

from django.urls import reverse

from tests.loyalty.test_views import BOARD, text


def test_fan_record_is_read_once_per_login_when_no_quest_uses_tags(
    fan_client, sandbox_api, settings
):
    # Without tag-restricted quests the record is needed only for the greeting's first
    # name: read with the first page's round trip, then kept in the session.
    from tbits_sandbox.models import Quest

    Quest.objects.filter(access_restriction_type="tag").delete()
    fan_client.get(BOARD)
    assert sandbox_api.calls_to("GET /api/v1/crm/fans/501") == 1
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}  # every page reads the fan again
    fan_client.get(BOARD)
    fan_client.get(reverse("tbits_loyalty:dashboard"))
    assert sandbox_api.calls_to("GET /api/v1/crm/fans/501") == 1
    assert sandbox_api.calls_to("GET /api/v1/crm/fans/501/points") == 3


def test_dashboard_greets_the_fan_by_first_name_without_a_call_per_page(fan_client, sandbox_api):
    from tbits_sandbox.models import Fan

    Fan.objects.filter(pk=501).update(first_name="Sam")
    dashboard = reverse("tbits_loyalty:dashboard")
    assert "Hi Sam" in text(fan_client.get(dashboard))
    reads = sandbox_api.calls_to("GET /api/v1/crm/fans/501")
    Fan.objects.filter(pk=501).update(first_name="Samantha")
    assert "Hi Sam" in text(fan_client.get(dashboard))  # kept, not read again
    assert sandbox_api.calls_to("GET /api/v1/crm/fans/501") == reads
    # The fan's own change of name shows at once.
    fan_client.post(
        reverse("tbits_accounts:profile"),
        {
            "first_name": "Samantha",
            "initial-first_name": "Sam",
            "last_name": "Fan",
            "initial-last_name": "Fan",
        },
    )
    assert "Hi Samantha" in text(fan_client.get(dashboard))


def test_login_page_wears_the_clubs_name_once_the_catalogue_is_cached(
    fan_client, sandbox_api, client
):
    # Issue 16: the login page's header said "Fan portal" while the club was known.
    from django.test import Client

    visitor = Client()
    login = reverse("tbits_accounts:login")
    cold = text(visitor.get(login))
    assert '<span class="tb-brand__name">Fan portal</span>' in cold
    fan_client.get(reverse("tbits_loyalty:dashboard"))  # a fan's visit caches the catalogue
    sandbox_api.reset_calls()
    warm = text(visitor.get(login))
    assert '<span class="tb-brand__name">Harbour FC</span>' in warm
    assert "<title>Log in · Harbour FC</title>" in warm
    # The club's look comes from the cache only (and the account's status is cached too).
    assert sandbox_api.paths() == []
