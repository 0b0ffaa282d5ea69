"""The logged-in fan: the API session kept server-side in the Django session.

Fans are not Django users. Logging in stores the API ``session_uid``, the ``fan_id`` and
the expiry under one session key; the session engine keeps them server-side (a system check
refuses the signed-cookie engine, whose payload the browser can read). Views read the fan as
``request.fan`` (set by :class:`accounts.middleware.TbitsMiddleware`).

In a host site the same Django session may also hold the site's own user and data; ending
the fan's session (:func:`end_fan_session`) takes only the portal's keys out of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest
from django.middleware.csrf import CSRF_SESSION_KEY, rotate_token
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts import signals
from accounts.adapter import get_adapter
from accounts.app_settings import app_settings
from accounts.contact import ContactKind, ContactPoint

SESSION_KEY = "tbits_accounts.fan"
#: Every session key of the portal's apps starts with its app label, and all of them are
#: the fan's: this app's API session and login flows (``tbits_accounts.flow``,
#: ``tbits_accounts.oauth``), the loyalty app's business pick, wallet "seen" time and visit
#: marker. They leave with the fan. (A prefix, not an import: accounts never imports loyalty.)
FAN_SESSION_KEY_PREFIXES = ("tbits_accounts.", "tbits_loyalty.")
# Django's own per-browser bookkeeping, nobody's login: a session holding only these besides
# the fan's keys has nothing of the site's to keep.
_DJANGO_BOOKKEEPING_KEYS = frozenset(
    {CSRF_SESSION_KEY, SessionStorage.session_key, "_session_expiry"}
)
# Re-saving the session on every request to move the idle clock would write to the session
# store on every page view; once a minute is precise enough for timeouts counted in hours.
# The recorded time lags the last click by up to that much, so a short timeout gets a
# finer one (a sixtieth of it): a 60 s timeout with a minute's lag logged out a fan who
# clicked every 50 s.
_LAST_SEEN_RESOLUTION = 60


def _last_seen_resolution() -> float:
    """How long the idle clock may lag the last click: see above."""
    return min(_LAST_SEEN_RESOLUTION, app_settings.SESSION_IDLE_TIMEOUT / 60)


#: Set on a request once the fan was told their session ended, so they are told once.
_TOLD_ATTRIBUTE = "_tbits_told_session_ended"


@dataclass(frozen=True)
class FanSession:
    """Who is logged in: the API session and when it ends (``None`` when the API is silent)."""

    session_uid: str
    fan_id: int | str
    expires_at: datetime | None

    def __repr__(self) -> str:
        # The session uid is a bearer credential; keep it out of tracebacks and debug pages.
        return f"FanSession(fan_id={self.fan_id!r}, expires_at={self.expires_at!r})"


class FanEndReason(StrEnum):
    """Why a fan's session ended without a logout."""

    IDLE = "idle"
    ABSOLUTE = "absolute"
    API_EXPIRED = "api_expired"


def login_fan(
    request: HttpRequest,
    *,
    session_uid: str,
    fan_id: int | str,
    expires_at: datetime | None,
    contact: ContactPoint | None = None,
) -> FanSession:
    """Log the fan in: new session key and CSRF token, then store the API session.

    ``contact`` is the email or phone the fan just proved (by code or password): kept
    server-side with the session because the documented fan record carries no email
    (api-reference.txt, Sessions Calls, "Fetch current Fan Record"), and a wristband
    registration needs one (see :func:`login_contact`). An OAuth login proves none.
    """
    # A new session key defeats session fixation; a new CSRF token means a token an attacker
    # planted before login is useless after it. Flow state is dropped with the old identity.
    request.session.cycle_key()
    rotate_token(request)
    now = time.time()
    request.session[SESSION_KEY] = {
        "session_uid": session_uid,
        "fan_id": fan_id,
        "expires_at": expires_at.isoformat() if expires_at else None,
        "logged_in_at": now,
        "last_seen": now,
    }
    if contact is not None:
        request.session[SESSION_KEY]["contact"] = {
            "kind": contact.kind.value,
            "value": contact.value,
        }
    fan = FanSession(session_uid=session_uid, fan_id=fan_id, expires_at=expires_at)
    request.fan = fan  # type: ignore[attr-defined]
    signals.fan_logged_in.send(sender=FanSession, request=request, fan=fan)
    return fan


def login_contact(request: HttpRequest) -> ContactPoint | None:
    """The email or phone the logged-in fan proved at login, if they logged in with one."""
    record = request.session.get(SESSION_KEY)
    contact = record.get("contact") if isinstance(record, dict) else None
    if not isinstance(contact, dict):
        return None
    try:
        return ContactPoint(kind=ContactKind(contact.get("kind")), value=str(contact["value"]))
    except (KeyError, ValueError):
        return None


def fan_first_name(request: HttpRequest) -> str | None:
    """The logged-in fan's first name as last read, "" when they have none, None if unread.

    Kept with the API session so a page can greet the fan by name without asking the API
    on every view: it is read once per login from the fan record (the portal adds that
    call to its first page's round trip) and updated when the fan saves their profile.
    """
    record = request.session.get(SESSION_KEY)
    name = record.get("first_name") if isinstance(record, dict) else None
    return name if isinstance(name, str) else None


def remember_first_name(request: HttpRequest, first_name: str | None) -> None:
    """Keep the fan's first name (see :func:`fan_first_name`); the session is saved on change."""
    record = request.session.get(SESSION_KEY)
    name = (first_name or "").strip()
    if isinstance(record, dict) and record.get("first_name") != name:
        record["first_name"] = name
        request.session[SESSION_KEY] = record


def logged_in_within(request: HttpRequest, seconds: float) -> bool:
    """Whether the fan of this request logged in (code, password or OAuth) ``seconds`` ago or less.

    What a sensitive change asks for: a fan who has just proved who they are, not a phone
    that has stayed logged in on a table since the first half.
    """
    record = request.session.get(SESSION_KEY)
    if not isinstance(record, dict):
        return False
    try:
        logged_in_at = float(record.get("logged_in_at", 0))
    except (TypeError, ValueError):
        return False
    return seconds > 0 and time.time() - logged_in_at <= seconds


def is_fan_session_key(key: str) -> bool:
    """Whether ``key`` of the Django session belongs to the fan (it leaves with the fan)."""
    return key.startswith(FAN_SESSION_KEY_PREFIXES)


def end_fan_session(request: HttpRequest) -> None:
    """End the fan's session, and only the fan's; the browser keeps no credential of it.

    ``django.contrib.auth`` draws the line this follows. Its ``logout()`` flushes the whole
    session, because the session is the leaving user's: whatever it holds may say something
    about them to whoever uses the browser next. Its ``login()`` keeps the session's data
    (the anonymous visitor's basket is still theirs) and only calls ``cycle_key()`` (with
    ``rotate_token()``), because what has to die at a change of identity is the key: a
    session id or CSRF token planted or seen before must open nothing after.

    A fan is not the owner of the session in a host site: the site's own user (contrib.auth
    keys), their basket and the site's other keys live in the same session, and flushing
    it logs them out of the site. So when the session holds anything besides the portal's
    keys (:data:`FAN_SESSION_KEY_PREFIXES`) and Django's bookkeeping (CSRF token, pending
    messages, expiry), ending the fan's session is ``logout()`` for the fan's part and
    ``login()`` for the rest: every portal key is deleted, the session key is cycled, so a
    cookie copied while the fan was logged in is worthless, and the CSRF token is rotated.
    When it holds only the portal's keys, nobody else's data is there to keep and it is
    flushed, as ``logout()`` does (the CSRF token is rotated as well).
    """
    session = request.session
    keys = list(session.keys())
    fan_keys = [key for key in keys if is_fan_session_key(key)]
    if all(key in fan_keys or key in _DJANGO_BOOKKEEPING_KEYS for key in keys):
        session.flush()
    else:
        for key in fan_keys:
            del session[key]
        session.cycle_key()
    rotate_token(request)
    request.fan = None  # type: ignore[attr-defined]


def logout_fan(request: HttpRequest) -> None:
    """Log the fan out (:func:`end_fan_session`), then tell ``fan_logged_out`` receivers."""
    fan = getattr(request, "fan", None)
    end_fan_session(request)
    if fan is not None:
        signals.fan_logged_out.send(sender=FanSession, request=request, fan=fan)


def _end_reason(record: dict[str, Any], now: float) -> str | None:
    expires_at = _parse_expiry(record.get("expires_at"))
    if expires_at is not None and expires_at.timestamp() <= now:
        return FanEndReason.API_EXPIRED
    if now - float(record.get("logged_in_at", 0)) > app_settings.SESSION_ABSOLUTE_TIMEOUT:
        return FanEndReason.ABSOLUTE
    if now - float(record.get("last_seen", 0)) > app_settings.SESSION_IDLE_TIMEOUT:
        return FanEndReason.IDLE
    return None


def _parse_expiry(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def current_fan(request: HttpRequest) -> FanSession | None:
    """The fan of this request, or ``None``; ends the session when a timeout has passed."""
    record = request.session.get(SESSION_KEY)
    if not isinstance(record, dict) or not record.get("session_uid"):
        return None
    now = time.time()
    reason = _end_reason(record, now)
    if reason is not None:
        end_fan_session(request)
        tell_session_ended(request, key="session_ended", level=messages.INFO)
        return None
    if now - float(record.get("last_seen", 0)) >= _last_seen_resolution():
        record["last_seen"] = now
        request.session[SESSION_KEY] = record
    return FanSession(
        session_uid=str(record["session_uid"]),
        fan_id=record["fan_id"],
        expires_at=_parse_expiry(record.get("expires_at")),
    )


def tell_session_ended(
    request: HttpRequest, *, key: str = "session_expired", level: int = messages.WARNING
) -> None:
    """Queue the adapter's message ``key`` saying the fan must log in again, once a request.

    Every place that finds the fan's session over (a timeout, the API's answer, a form
    posted after it ended) calls this on the way to the login page; the first one's reason
    is the one the fan reads.
    """
    if session_ended_now(request):
        return
    setattr(request, _TOLD_ATTRIBUTE, True)
    messages.add_message(request, level, get_adapter().error_message(key), fail_silently=True)


def session_ended_now(request: HttpRequest) -> bool:
    """Whether this request found the fan's session over (and told the fan so)."""
    return bool(getattr(request, _TOLD_ATTRIBUTE, False))
