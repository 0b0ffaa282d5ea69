"""Signals other apps connect to, so they react to logins without this app knowing them.

The loyalty portal, for instance, may record a fan activity on ``fan_logged_in`` (the
provider only delivers automatic rewards to fans with at least one activity).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the API session is stored; kwargs: request, fan (accounts.fan.FanSession).
fan_logged_in = Signal()
# Sent after the fan's session ended (their keys gone, the session key cycled or the
# session flushed: accounts.fan.end_fan_session); kwargs: request, fan (the one that left).
fan_logged_out = Signal()
# Sent after the API saved the fan's profile form; kwargs: request, fan, changed (the
# names of the fields the fan changed). A "complete your profile" quest completes on it.
fan_profile_saved = Signal()
