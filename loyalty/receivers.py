"""What the loyalty portal does when the accounts app reports a login.

Connected in :meth:`loyalty.apps.LoyaltyConfig.ready`; the accounts app sends the signals
and never imports this app.
"""

from __future__ import annotations

from typing import Any

from accounts.fan import FanSession
from accounts.signals import fan_logged_in, fan_profile_saved
from loyalty.cache import forget
from loyalty.offline import new_scope
from loyalty.profile_quests import complete_profile_quests
from loyalty.selectors import fan_tags_key


def read_tags_fresh_at_login(sender: Any, *, fan: FanSession, **kwargs: Any) -> None:
    """A new login reads the fan's tags again rather than reuse them for minutes.

    Tags are cached longer than the rest of the fan's data (``FAN_TAGS_CACHE_TTL``); a fan
    told "log in again to see your new quest" must not be the one it fails for.
    """
    forget(fan_tags_key(fan.fan_id))


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch uid)."""
    fan_logged_in.connect(read_tags_fresh_at_login, dispatch_uid="tbits_loyalty.tags_at_login")
    fan_logged_in.connect(new_scope, dispatch_uid="tbits_loyalty.offline_scope_at_login")
    fan_profile_saved.connect(
        complete_profile_quests, dispatch_uid="tbits_loyalty.profile_quests_on_save"
    )
