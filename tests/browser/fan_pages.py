"""Every page a fan sees, and a logged-in Chromium context to visit them in either language.

One list for the gallery (``make screenshots``), the accessibility sweep and the raw-API-word
crawl, so a page added here is photographed, checked by axe and read for API words at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"390": PHONE, "1280": DESKTOP}
SCHEMES = ("light", "dark")
LANGUAGES = ("en", "fr")
PASS_CODE = "PASS-1234"


@dataclass(frozen=True)
class FanPage:
    """A page of the portal: its name in file names, its path, and whether it needs a fan."""

    name: str
    path: str
    logged_in: bool = True


ALL_FAN_PAGES = (
    FanPage("login", "/accounts/login/", logged_in=False),
    FanPage("programme", "/portal/programme/", logged_in=False),  # the public quest board
    FanPage("dashboard", "/portal/"),
    FanPage("quests", "/portal/quests/"),
    FanPage("rewards", "/portal/rewards/"),
    FanPage("pass", "/portal/rewards/#pass"),  # the wallet's full-screen pass, see open_page
    FanPage("leaderboard", "/portal/leaderboard/"),
    # The other period and the fans around the fan (chips, no podium, the name switch).
    FanPage("leaderboard-around", "/portal/leaderboard/?period=30d&view=around"),
    FanPage("history", "/portal/history/"),
    FanPage("profile", "/accounts/profile/"),
)
#: The pages the README shows near its top: the gallery commits them to docs/screenshots/
#: and tests/test_docs_screenshots.py checks the README links each. Here, not in either test,
#: so the docs test imports it without Playwright.
KEY_PAGES = (
    "dashboard",
    "quests",
    "rewards",
    "pass",
    "leaderboard",
    "profile",
    "login",
    "programme",
)


def fan_pages() -> tuple[FanPage, ...]:
    """The pages a fan has in the sandbox's current mode, login first.

    The full-screen pass shows the pass code, a field the reference does not document on a
    fan's rewards: on documented answers the wallet has no pass view (its card says where the
    code is instead), so the page is not there to visit.
    """
    documented = bool(getattr(settings, "TBITS_SANDBOX_DOCUMENTED_ONLY", False))
    pages = [page for page in ALL_FAN_PAGES if not (documented and page.name == "pass")]
    return tuple(sorted(pages, key=lambda page: page.logged_in))


def hold_a_pass(live_sandbox: Any) -> None:
    """The demo fan holds the Silver pass, valid now, so the wallet has a pass to show."""
    from tbits_sandbox import delivery
    from tbits_sandbox.models import Fan, FanReward, Reward

    now = timezone.now()
    fan = Fan.objects.get(fan_id=live_sandbox.fan_id)
    reward = Reward.objects.get(reward_uid=live_sandbox.rewards["Silver Lounge Pass"])
    Reward.objects.filter(pk=reward.pk).update(
        access_start_timestamp=now - dt.timedelta(hours=1),
        access_end_timestamp=now + dt.timedelta(hours=6),
    )
    if not FanReward.objects.filter(reward=reward, fan=fan).exists():
        delivery.deliver(reward, fan, source="manual")
    FanReward.objects.filter(reward=reward, fan=fan).update(pass_code=PASS_CODE)
    caches["default"].clear()  # the portal's cached copy of the fan's rewards


def new_fan_context(chromium: Any, base: str, language: str, *, javascript: bool = True) -> Any:
    """A fresh context whose pages are in ``language`` (browser preference and Django's cookie)."""
    context = chromium.new_context(
        locale="fr-FR" if language == "fr" else "en-US",
        viewport=PHONE,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context


def is_logged_in(page: Any) -> bool:
    """Whether the page is a logged-in fan's (it has the logout form): else log in first.

    Not the URL: the public quest board is under /portal/ too.
    """
    return page.locator("form[action$='/logout/']").count() > 0


def log_in_by_password(page: Any, base: str, live_sandbox: Any) -> None:
    """Log the demo fan in through the password form, by field names (any language)."""
    page.goto(f"{base}/accounts/login/password/?next=/portal/")
    page.locator("input[name=contact]").fill(live_sandbox.fan_email)
    page.locator("input[name=password]").fill(live_sandbox.fan_password)
    page.locator("form.tbits-form button[type=submit]").click()
    page.wait_for_url(f"{base}/portal/")


def open_page(page: Any, base: str, fan_page: FanPage) -> None:
    """Go to ``fan_page``; for the pass, open the wallet's first pass full-screen."""
    if fan_page.name == "pass":
        page.goto(f"{base}/portal/rewards/")
        opener = page.locator("a.tb-pass__open").first
        page.goto(f"{base}/portal/rewards/{opener.get_attribute('href')}")
    else:
        page.goto(f"{base}{fan_page.path}")
    # Lazy images below the fold would be blank in a full-page screenshot.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")
