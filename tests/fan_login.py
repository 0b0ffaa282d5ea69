"""Log a fan into a Django test client: one helper for every test package.

``log_in`` writes the fan's API session into the Django session, as a login does, without
asking the API; ``log_in_demo_fan`` opens a real session of the live sandbox's demo fan with
a password login first, so the pages' session calls reach that fan's record.
"""

from __future__ import annotations

import time
from typing import Any

from accounts.fan import SESSION_KEY as FAN_KEY


def log_in(
    client: Any,
    *,
    session_uid: str,
    fan_id: int,
    expires_in: float = 24 * 3600,
    logged_in_ago: float = 0,
    idle_for: float = 0,
    email: str | None = None,
) -> None:
    """Put a fan's API session into the test client's Django session.

    ``email``: the address the fan proved at login (code or password); None is an OAuth
    login, which proves none.
    """
    now = time.time()
    session = client.session
    session[FAN_KEY] = {
        "session_uid": session_uid,
        "fan_id": fan_id,
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now + expires_in)),
        "logged_in_at": now - logged_in_ago,
        "last_seen": now - idle_for,
    }
    if email is not None:
        session[FAN_KEY]["contact"] = {"kind": "email", "value": email}
    session.save()


def log_in_demo_fan(client: Any, live_sandbox: Any) -> Any:
    """Log the live sandbox's demo fan into ``client`` through a real password login."""
    from accounts.api import get_client

    session = (
        get_client()
        .connect_password(
            business_id=live_sandbox.business_id,
            email=live_sandbox.fan_email,
            password=live_sandbox.fan_password,
        )
        .session
    )
    assert session is not None and session.fan_id is not None
    log_in(client, session_uid=session.session_uid, fan_id=session.fan_id)
    return client
