"""Every loyalty sentence a site may want to reword, in one class a site can replace.

The loyalty app's counterpart of :class:`accounts.adapter.DefaultFanAdapter`: a site
subclasses :class:`DefaultLoyaltyAdapter`, changes entries of :attr:`messages`, and names
its class in ``TBITS["LOYALTY_ADAPTER"]``. Completion, refusal and tile code only ever
asks :func:`get_adapter` for its words, so an override reaches every page.

It is also where a site decides what only it can know: whether a fan may complete a
custom quest now (:meth:`DefaultLoyaltyAdapter.may_complete_custom_quest`). The docs call a
custom quest one "completed through an API call from your app"; the portal's button is that
call, and the host site, not the portal, knows whether the fan did what the quest asks.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from loyalty.app_settings import loyalty_settings
from loyalty.rules import QUEST_KINDS, QuestKind
from tbits_client import Quest


def _button_key(kind: QuestKind) -> str:
    return f"button_{kind}"


class DefaultLoyaltyAdapter:
    """The default wording; override entries of :attr:`messages` or :meth:`message`."""

    messages: dict[str, Any] = {
        # A completion, phrased part by part: each part is shown only when it happened.
        "quest_completed": _("Quest complete: %(title)s."),
        "points_earned": _("You earned %(points)s."),
        "tier_reached": _("You reached %(tier)s!"),
        "new_rewards": ngettext_lazy(
            "New reward: %(titles)s.", "New rewards: %(titles)s.", "count"
        ),
        # A completion that did not happen, or was not needed.
        "already_completed": _("You have already completed this quest."),
        "completion_in_progress": _("We are already recording this quest for you."),
        "completed_another_way": _("This quest is completed another way."),
        "quest_not_available": _("This quest is not available."),
        "quest_not_open_yet": _("This quest is not open yet."),
        "quest_ended": _("This quest has ended."),
        # A quest whose dates miss the day of the event it is tied to: it can never open.
        "quest_outside_event": _("Not available: this quest’s dates are outside %(event)s."),  # noqa: RUF001
        "quest_never_opens": _("Not available: this quest’s dates never open."),  # noqa: RUF001
        # A custom quest the site's adapter does not let the fan complete yet, for sites
        # that need no more specific sentence (see may_complete_custom_quest).
        "custom_quest_refused": _("This quest cannot be completed yet."),
        # The API refused a completion (see loyalty.refusals); never its own words.
        "refused_unknown_quest": _("This quest can no longer be completed: it is not available."),
        "refused_ended": _("This quest can no longer be completed: it has ended."),
        "refused_not_open": _("This quest cannot be completed yet: it has not started."),
        "refused_locked": _("This quest cannot be completed yet: it is still locked for you."),
        "refused_code_rejected": _("The quest could not be completed: the code was not accepted."),
        "refused_wristband_rejected": _(
            "The quest could not be completed: this wristband or ticket number was not "
            "accepted. Check it and try again."
        ),
        "refused_other": _(
            "The quest could not be completed: the loyalty service did not accept it."
        ),
        # A quest card: its status badge, its dates, and what to do when there is no button.
        "status_completed": _("Completed"),
        "status_locked": _("Locked"),
        "status_active": _("Available"),
        "opens_at": _("Opens %(when)s"),
        "open_until": _("Open until %(when)s"),
        "link_unavailable": _("This link is not available right now."),
        # A campaign with no address the portal can link to: no button, but where to go.
        "profile_quest_by_saving": _("Save your profile to complete this quest."),
        "campaign_elsewhere": _(
            "You play this one on the team’s campaign page, not here. It counts as soon as you take part there."  # noqa: E501, RUF001
        ),
        # Literal apostrophes: xgettext keeps a \u escape as plain text, so lookups would miss.
        "scan_instruction": _("Scan the quest’s code at the venue with your phone’s camera."),  # noqa: RUF001
        # Why a quest is locked, naming the gap (see loyalty.wording). ``count`` picks the
        # plural form; ``points`` is the same number, with the locale's grouping.
        # The quest board's links under a section that shows its first cards only.
        "show_all_available": ngettext_lazy(
            "Show all %(number)s open quest", "Show all %(number)s open quests", "count"
        ),
        "show_all_locked": ngettext_lazy(
            "Show all %(number)s locked quest", "Show all %(number)s locked quests", "count"
        ),
        "show_all_completed": ngettext_lazy(
            "Show all %(number)s completed quest", "Show all %(number)s completed quests", "count"
        ),
        "show_all_upcoming": ngettext_lazy(
            "Show all %(number)s quest coming soon",
            "Show all %(number)s quests coming soon",
            "count",
        ),
        "show_all_event": ngettext_lazy(
            "Show all %(number)s quest of this event",
            "Show all %(number)s quests of this event",
            "count",
        ),
        # The wallet's links under a section that shows its first cards only.
        "show_all_held": ngettext_lazy(
            "Show all %(number)s reward in your wallet",
            "Show all %(number)s rewards in your wallet",
            "count",
        ),
        "show_all_on_its_way": ngettext_lazy(
            "Show all %(number)s reward on its way",
            "Show all %(number)s rewards on their way",
            "count",
        ),
        "show_all_working_toward": ngettext_lazy(
            "Show all %(number)s reward to earn", "Show all %(number)s rewards to earn", "count"
        ),
        "show_all_manual": ngettext_lazy(
            "Show all %(number)s special reward", "Show all %(number)s special rewards", "count"
        ),
        "show_all_expired": ngettext_lazy(
            "Show all %(number)s past reward", "Show all %(number)s past rewards", "count"
        ),
        # The public quest board's links (a visitor's view of the programme).
        "show_all_programme_quests": ngettext_lazy(
            "Show all %(number)s quest", "Show all %(number)s quests", "count"
        ),
        "show_all_programme_rewards": ngettext_lazy(
            "Show all %(number)s reward", "Show all %(number)s rewards", "count"
        ),
        "show_fewer": _("Show fewer"),
        "locked_points": ngettext_lazy(
            "Earn %(points)s more point", "Earn %(points)s more points", "count"
        ),
        "locked_tier": ngettext_lazy(
            "Reach %(tier)s — %(points)s point to go",
            "Reach %(tier)s — %(points)s points to go",
            "count",
        ),
        "locked_unknown_tier": _("Reach a higher tier to unlock this quest"),
        "locked_quests": _("Complete %(quests)s first"),
        "locked_quests_and_others": _("Complete %(quests)s and %(others)s first"),
        "other_quests": ngettext_lazy("%(count)s other quest", "%(count)s other quests", "count"),
        "locked_unnamed_quests": ngettext_lazy(
            "Complete %(count)s more quest first", "Complete %(count)s more quests first", "count"
        ),
        # What a reward still needs, and how to use one held.
        "reward_by_hand": _("Given out by the team"),
        "reward_requirement_met": _("Requirement met — on its way to you"),
        # A reward tied to a performance: delivered only during that event.
        "reward_at_event": _("Requirement met — yours during %(event)s"),
        "reward_during_event": _("Only during %(event)s"),
        "reward_quests_done": ngettext_lazy(
            "%(done)s of %(total)s quest done", "%(done)s of %(total)s quests done", "total"
        ),
        "reward_next_quests": _("Next: %(quests)s"),
        "reward_higher_tier": _("Reach a higher tier"),
        "reward_all_claimed": _("All claimed"),
        "pass_usage": _("Show this code at the entrance."),
        "prize_code_single_use": _("Single use: enter it once at checkout."),
        "prize_code_usage": _("Enter it at checkout."),
        "pass_code_sent_separately": _(
            "Your pass code is not shown here: it is in the email or text message from the "
            "team. Show it at the entrance."
        ),
        "prize_code_sent_separately": _(
            "Your code is not shown here: it is in the email or text message from the team."
        ),
        "atvenu_usage": _("This promotion goes to your wristband or QR code at the venue."),
        "bestring_usage": _("This promotion goes to your wristband at the venue."),
        # The wristband page's form.
        "wristband_label": _("Wristband or ticket number"),
        "wristband_help": _("The number printed under the barcode, 4 to 64 letters or digits."),
        "wristband_invalid": _("Enter the 4 to 64 letters, digits or dashes on your wristband."),
        # The buttons of the scan and wristband pages.
        "scan_submit": _("Check in now"),
        "wristband_submit": _("Link and complete"),
        "business_not_offered": _("Choose one of the listed teams."),
        # A phone wallet the operator set up whose credentials fail when used.
        "wallet_pass_unavailable": _(
            "Your pass cannot be added to a phone wallet right now. Show it from this page."
        ),
        # A card's default button, by quest kind (the rules' table holds the English text):
        # used when the quest has no button_text of its own.
        **{
            _button_key(kind): _(rule.button_text)
            for kind, rule in QUEST_KINDS.items()
            if rule.button_text
        },
    }

    def message(self, key: str, **params: Any) -> str:
        """The translated message for ``key``, with ``params`` filled in when it has any.

        A message with a count (``ngettext_lazy(..., "count")``) picks its plural form
        from the parameter it names.
        """
        message = self.messages[key]
        return str(message % params) if params else str(message)

    def may_complete_custom_quest(self, request: HttpRequest, quest: Quest) -> str | None:
        """None when ``request.fan`` may complete the custom ``quest`` now; else why not.

        Called before the completion call for every custom quest the fan completes with
        its button, and only then: when it answers a sentence, no call is made and the fan
        reads that sentence (give a lazy translation, or ``self.message(key)``, so it is
        in the fan's language). The default lets every fan complete, the button being the
        completion. A site overrides it to check its own data, e.g. that the fan's
        profile on the site is complete (docs/templates-and-adapter.md).
        """
        from loyalty.profile_quests import is_profile_quest

        if is_profile_quest(quest):
            return self.message("profile_quest_by_saving")
        return None

    def button_text(self, kind: QuestKind) -> str:
        """The default button of a quest of ``kind``; empty for kinds that show no button."""
        key = _button_key(kind)
        return self.message(key) if key in self.messages else ""


@cache
def _adapter_class(path: str) -> type[DefaultLoyaltyAdapter]:
    return import_string(path)


def get_adapter() -> DefaultLoyaltyAdapter:
    """An instance of the adapter named in ``TBITS["LOYALTY_ADAPTER"]``."""
    return _adapter_class(str(loyalty_settings.LOYALTY_ADAPTER))()
