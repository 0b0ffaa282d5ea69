"""The fan's profile: read it with the idols, save names, preferences and password, like idols.

Every call is on the fan's own API session (``request.fan``). A change the API refuses
raises ``FlowError("profile_failed")``, for the view to show on its form; an expired
session, a rate limit or an outage propagates, for :mod:`accounts.failures`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from accounts.api import get_client
from accounts.app_settings import app_settings
from accounts.flows.errors import FlowError
from tbits_client import BadRequest, Fan, Idol, SessionExpired, TbitsError


@dataclass(frozen=True)
class IdolChoice:
    """One idol as the profile lists it: who, and whether the fan likes them."""

    idol_uid: str
    name: str
    image_url: str | None
    liked: bool


@dataclass(frozen=True)
class ProfileData:
    """What the profile page shows, fetched in one concurrent round trip."""

    fan: Fan | None  # None only around a submitted form while the API is failing
    idols: tuple[IdolChoice, ...]
    idols_unavailable: bool


def _session_uid(request: HttpRequest) -> str:
    return str(request.fan.session_uid)  # type: ignore[attr-defined]


def load_profile(request: HttpRequest) -> ProfileData:
    """The fan record, the idols and the fan's likes; idols degrade, the fan does not."""
    client = get_client()
    session_uid = _session_uid(request)
    label = app_settings.IDOL_LABEL_NAME or None
    results = client.run_concurrently(
        {
            "fan": lambda: client.get_session_fan(session_uid),
            "idols": lambda: client.idols(label_name=label),
            "liked": lambda: client.session_idols(session_uid, label_name=label),
        }
    )
    for result in results.values():
        # An expired session anywhere means the fan must log in again, not a half page.
        if isinstance(result.error, SessionExpired):
            raise result.error
    fan_result = results["fan"]
    if fan_result.error is not None:
        raise fan_result.error
    idols_result, liked_result = results["idols"], results["liked"]
    if idols_result.error is not None or liked_result.error is not None:
        return ProfileData(fan=fan_result.value, idols=(), idols_unavailable=True)
    liked_uids = {idol.idol_uid for idol in liked_result.value}
    choices = tuple(
        IdolChoice(
            idol_uid=idol.idol_uid,
            name=idol.idol_name or idol.idol_uid,
            image_url=idol.image_url if _is_web_url(idol.image_url) else None,
            liked=idol.idol_uid in liked_uids,
        )
        for idol in _sorted(idols_result.value)
    )
    return ProfileData(fan=fan_result.value, idols=choices, idols_unavailable=False)


def load_profile_around_form(request: HttpRequest) -> ProfileData:
    """The page around a submitted profile form; without the fan or idols if the API fails.

    The form holds what the fan typed, so an API that is down must not turn it into an
    error page: the form comes back with the failure message and the idols say they cannot
    be shown. An expired session still sends the fan to log in.
    """
    try:
        return load_profile(request)
    except SessionExpired:
        raise
    except TbitsError:
        return ProfileData(fan=None, idols=(), idols_unavailable=True)


def _sorted(idols: list[Idol]) -> list[Idol]:
    return sorted(idols, key=lambda idol: (idol.idol_name or "").casefold())


def _is_web_url(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("https://", "http://"))


def save_profile(request: HttpRequest, **changed: str | bool) -> None:
    """Save what the fan changed of their names and message preferences (nothing: no call).

    Only the changed fields are sent: a value the page could not show (the API's record did
    not carry it) is never overwritten with the page's blank.
    """
    if not changed:
        return
    try:
        get_client().update_session_fan(_session_uid(request), **changed)  # type: ignore[arg-type]
    except BadRequest:
        raise FlowError("profile_failed") from None


def set_password(request: HttpRequest, *, password: str) -> None:
    """Set the fan's password (the caller checks ``PASSWORD_CHANGE_WINDOW`` first)."""
    try:
        get_client().update_session_fan(_session_uid(request), password=password)
    except BadRequest:
        raise FlowError("profile_failed") from None


def like_idol(request: HttpRequest, *, idol_uid: str, liked: bool) -> None:
    """Like (``liked``) or unlike one idol."""
    client = get_client()
    try:
        if liked:
            client.like_idol(_session_uid(request), idol_uid)
        else:
            client.unlike_idol(_session_uid(request), idol_uid)
    except BadRequest:
        raise FlowError("profile_failed") from None
