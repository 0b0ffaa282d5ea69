"""``python -m benchmarks.crowd_sessions N``: the crowd's database, and N logged-in fans.

Run by :mod:`benchmarks.concurrency` in a process of its own, with the environment the
portal's gunicorn workers get (:mod:`benchmarks.crowd_settings`), so the sessions land in
the database and the cache those workers read. Each fan is stored the way
``accounts.fan.login_fan`` stores one (and ``benchmarks.measure.PageBench.new_fan`` does):
an API session of its own, a fan id of its own, logged in just now.

Prints one JSON line: the session keys, the session cookie's name, and the periods the
portal's settings give its rarer calls, which a run of a minute or two never sees.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from importlib import import_module

#: Fan ids of the crowd: apart from the in-process bench's (100,001 and up).
FIRST_FAN_ID = 500_001


def create_sessions(count: int) -> list[str]:
    """``count`` fans logged in now; their session keys."""
    from django.conf import settings

    from accounts.fan import SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    keys = []
    now = time.time()
    for number in range(count):
        session = engine.SessionStore()
        session[SESSION_KEY] = {
            "session_uid": f"crowd-session-{number}",
            "fan_id": FIRST_FAN_ID + number,
            "expires_at": None,
            "logged_in_at": now,
            "last_seen": now,
        }
        session.save()
        keys.append(session.session_key)
    return keys


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crowd_sessions")
    parser.add_argument("fans", type=int)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from accounts.app_settings import app_settings
    from loyalty.app_settings import loyalty_settings

    call_command("migrate", verbosity=0, interactive=False)
    keys = create_sessions(args.fans)
    print(
        json.dumps(
            {
                "sessions": keys,
                "cookie": settings.SESSION_COOKIE_NAME,
                "fan_cache_ttl": loyalty_settings.FAN_CACHE_TTL,
                "fan_tags_cache_ttl": loyalty_settings.FAN_TAGS_CACHE_TTL,
                "session_check_interval": app_settings.SESSION_CHECK_INTERVAL,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
