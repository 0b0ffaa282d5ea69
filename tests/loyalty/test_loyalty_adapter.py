"""A site rewords the portal through TBITS["LOYALTY_ADAPTER"], and every page follows.

Against the seeded sandbox over HTTP, as a fan would see it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from loyalty import rules, wording
from loyalty.adapter import DefaultLoyaltyAdapter, get_adapter
from tests.loyalty.conftest import log_in_demo_fan
from tests.loyalty.test_views import BOARD, flashed, text

LOUNGE = "Members' lounge tour"
SCAN = "Check in at the stadium"


class ClubLoyaltyAdapter(DefaultLoyaltyAdapter):
    """What docs/templates-and-adapter.md shows a site doing."""

    messages = {
        **DefaultLoyaltyAdapter.messages,
        "quest_completed": _("Nice one! %(title)s is done."),
        "button_custom": _("Done it"),
        "refused_other": _("The club could not record that one."),
        "locked_points": ngettext_lazy(
            "%(points)s club point to go", "%(points)s club points to go", "count"
        ),
    }


CLUB_ADAPTER = f"{__name__}.ClubLoyaltyAdapter"


@pytest.fixture
def fan(live_sandbox: Any, client: Client) -> Client:
    log_in_demo_fan(client, live_sandbox)
    return client


def use_club_adapter(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "LOYALTY_ADAPTER": CLUB_ADAPTER}


def without_button_text(live_sandbox: Any, title: str) -> int:
    """Clear a seeded quest's own button text, so its card shows the default one."""
    from tbits_sandbox.models import Quest

    quest_id = int(live_sandbox.quests[title])
    Quest.objects.filter(page_tab_id=quest_id).update(button_text="")
    caches["default"].clear()
    return quest_id


def test_an_overridden_completion_message_is_what_the_fan_reads(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    use_club_adapter(settings)
    quest_id = int(live_sandbox.quests[LOUNGE])
    response = fan.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    assert response.status_code == 302
    messages = flashed(response)
    assert messages[-1].startswith(f"Nice one! {LOUNGE} is done.")
    assert "You earned 300 points." in messages[-1]  # the parts not overridden stay
    page = text(fan.get(response["Location"]))
    assert "Nice one! Members&#x27; lounge tour is done." in page
    assert "Quest complete" not in page


def test_an_overridden_default_button_shows_on_the_board(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = without_button_text(live_sandbox, LOUNGE)
    action = f'action="{reverse("tbits_loyalty:complete", args=[quest_id])}"'
    page = text(fan.get(BOARD))
    card = page[page.index(action) :]
    assert card.split("</button>")[0].split('class="tb-button">')[1].startswith("Complete<")
    use_club_adapter(settings)
    page = text(fan.get(BOARD))
    card = page[page.index(action) :]
    assert card.split("</button>")[0].split('class="tb-button">')[1].startswith("Done it<")


def test_an_overridden_refusal_is_what_the_fan_reads(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    use_club_adapter(settings)
    settings.TBITS_SANDBOX_FAULTS = r"/quests/\d+/fans/\d+/complete$=400"
    quest_id = int(live_sandbox.quests[LOUNGE])
    response = fan.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    assert flashed(response) == ["The club could not record that one."]


@translation.override("en")
def test_an_overridden_plural_message_keeps_its_plural_forms(settings: Any) -> None:
    use_club_adapter(settings)
    one = rules.LockReason(rules.LockKind.POINTS, points_to_go=1)
    many = rules.LockReason(rules.LockKind.POINTS, points_to_go=1200)
    assert wording.lock_text(one) == "1 club point to go"
    assert wording.lock_text(many) == "1,200 club points to go"


@translation.override("en")
def test_the_default_adapter_words_every_button_the_kinds_table_names() -> None:
    adapter = get_adapter()
    for kind, rule in rules.QUEST_KINDS.items():
        assert adapter.button_text(kind) == rule.button_text
    assert adapter.button_text(rules.QuestKind.SCAN) == ""


@translation.override("fr")
def test_the_kinds_table_button_texts_are_translated() -> None:
    assert get_adapter().button_text(rules.QuestKind.CUSTOM) not in ("", "Complete")


@pytest.mark.parametrize(
    "kind", [kind for kind, rule in rules.QUEST_KINDS.items() if rule.url_name]
)
def test_each_kind_url_name_is_a_portal_page(kind: rules.QuestKind) -> None:
    name = f"tbits_loyalty:{rules.QUEST_KINDS[kind].url_name}"
    argument = "token" if rules.QUEST_KINDS[kind].action is rules.QuestAction.SCAN else 7
    assert reverse(name, args=[argument])


def test_an_unknown_adapter_message_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        get_adapter().message("no_such_message")


def test_the_wristband_page_words_its_form_and_button(fan: Client, live_sandbox: Any) -> None:
    from tests.loyalty.test_completion_refusals import open_wristband_quest

    quest_id = open_wristband_quest(live_sandbox)
    page = text(fan.get(reverse("tbits_loyalty:wristband", args=[quest_id])))
    assert ">Wristband or ticket number</label>" in page
    assert "The number printed under the barcode, 4 to 64 letters or digits." in page
    assert '<button type="submit" class="tb-button">Link and complete</button>' in page


# --- difference 8: the host site decides whether a custom quest may be completed -------

#: The host site's own data: the Tradable Bits fan ids of fans whose profile on the site is
#: complete (a real site reads its user table, as docs/templates-and-adapter.md shows).
COMPLETED_PROFILES: set[int] = set()


class ProfileFirstLoyaltyAdapter(DefaultLoyaltyAdapter):
    """A host site that lets a fan complete custom quests once their profile is complete."""

    messages = {
        **DefaultLoyaltyAdapter.messages,
        "profile_first": _("Complete your club profile first."),
    }

    def may_complete_custom_quest(self, request: Any, quest: Any) -> str | None:
        if int(request.fan.fan_id) in COMPLETED_PROFILES:
            return None
        return self.message("profile_first")


def lounge_completions(live_sandbox: Any) -> int:
    from tbits_sandbox.models import FanActivity

    return FanActivity.objects.filter(page_tab_id=int(live_sandbox.quests[LOUNGE])).count()


def test_difference_8_the_host_site_decides_whether_a_custom_quest_is_completed(
    fan: Client, live_sandbox: Any
) -> None:
    """Custom: "A flexible quest completed through an API call from your app"
    (loyalty-portal-integration.txt, Quest Types): the app, through its adapter, decides.
    """
    quest_id = int(live_sandbox.quests[LOUNGE])
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    adapter = {"LOYALTY_ADAPTER": f"{__name__}.ProfileFirstLoyaltyAdapter"}
    COMPLETED_PROFILES.clear()
    from django.conf import settings

    with override_settings(TBITS={**settings.TBITS, **adapter}):
        refused = fan.post(url)
        assert refused.status_code == 302
        assert flashed(refused) == ["Complete your club profile first."]
        assert lounge_completions(live_sandbox) == 0  # no completion call was made

        COMPLETED_PROFILES.add(int(live_sandbox.fan_id))
        allowed = fan.post(url)
        assert flashed(allowed)[-1].startswith(f"Quest complete: {LOUNGE}.")
        assert lounge_completions(live_sandbox) == 1


def test_difference_8_by_default_the_button_completes_a_custom_quest(
    fan: Client, live_sandbox: Any
) -> None:
    """The default adapter lets the button be the completion call, as before the hook."""
    response = fan.post(reverse("tbits_loyalty:complete", args=[int(live_sandbox.quests[LOUNGE])]))
    assert flashed(response)[-1].startswith(f"Quest complete: {LOUNGE}.")
    assert lounge_completions(live_sandbox) == 1
