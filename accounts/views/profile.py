"""The fan's profile: names, display name, message preferences, password, liked idols."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.adapter import get_adapter
from accounts.api import get_client
from accounts.app_settings import app_settings
from accounts.decorators import fan_login_required
from accounts.fan import logged_in_within, logout_fan
from accounts.forms import IdolForm, ProfileForm, SetPasswordForm
from accounts.unsaved import UPSTREAM_FAILURES, not_saved
from tbits_client import BadRequest, Fan, Idol, SessionExpired, TbitsError

TEMPLATE = "tbits_accounts/profile.html"


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


def load_profile(request: HttpRequest) -> ProfileData:
    """The fan record, the idols and the fan's likes; idols degrade, the fan does not."""
    client = get_client()
    session_uid = request.fan.session_uid  # type: ignore[attr-defined]
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


def _sorted(idols: list[Idol]) -> list[Idol]:
    return sorted(idols, key=lambda idol: (idol.idol_name or "").casefold())


def _is_web_url(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("https://", "http://"))


def _initial(fan: Fan) -> dict[str, Any]:
    return {
        "first_name": fan.first_name or "",
        "last_name": fan.last_name or "",
        "display_name": fan.display_name or "",
        "is_subscribed": bool(fan.is_subscribed),
        "is_phone_subscribed": bool(fan.is_phone_subscribed),
    }


def password_change_allowed(request: HttpRequest) -> bool:
    """Whether this fan may set a password now: logged in less than the window ago.

    The API changes a password on the session alone, with no current password, so the
    portal asks for a fresh login instead (``PASSWORD_CHANGE_WINDOW``): a phone left logged
    in on a table cannot be used to set a password and take the account later.
    """
    return logged_in_within(request, float(app_settings.PASSWORD_CHANGE_WINDOW))


def _render(
    request: HttpRequest,
    *,
    data: ProfileData,
    profile_form: ProfileForm | None = None,
    password_form: SetPasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    window = int(app_settings.PASSWORD_CHANGE_WINDOW)
    return render(
        request,
        TEMPLATE,
        {
            "fan": data.fan,
            "idols": data.idols,
            "idols_unavailable": data.idols_unavailable,
            "profile_form": profile_form
            or ProfileForm(initial=_initial(data.fan) if data.fan else None),
            "password_form": password_form or SetPasswordForm(),
            "password_allowed": password_change_allowed(request),
            "password_window_minutes": max(1, window // 60) if window > 0 else 0,
        },
        status=status,
    )


@never_cache
@fan_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show the profile; POST saves names, display name and message preferences."""
    if request.method != "POST":
        return _render(request, data=load_profile(request))
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            get_client().update_session_fan(
                request.fan.session_uid,  # type: ignore[attr-defined]
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                display_name=form.cleaned_data["display_name"],
                is_subscribed=form.cleaned_data["is_subscribed"],
                is_phone_subscribed=form.cleaned_data["is_phone_subscribed"],
            )
        except BadRequest:
            form.add_flow_error(get_adapter().error_message("profile_failed"))
        except UPSTREAM_FAILURES as error:
            # Not saved: say so, and keep what the fan typed (an expired session re-raises).
            failure = not_saved(error)
            form.add_flow_error(failure.message)
            return failure.apply(
                _render(request, data=_profile_around_form(request), profile_form=form),
                request=request,
            )
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("tbits_accounts:profile")
    return _render(request, data=_profile_around_form(request), profile_form=form)


def _profile_around_form(request: HttpRequest) -> ProfileData:
    """The page around a submitted profile form; without the idols if the API fails.

    The form holds what the fan typed, so an API that is down must not turn it into an
    error page: the form comes back with the failure message and the idols say they cannot
    be shown.
    """
    try:
        return load_profile(request)
    except SessionExpired:
        raise
    except TbitsError:
        return ProfileData(fan=None, idols=(), idols_unavailable=True)


@never_cache
@sensitive_post_parameters("new_password", "new_password_again")
@fan_login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """Set or change the fan's password, soon after a login only (403 later, nothing sent)."""
    form = SetPasswordForm(request.POST)
    if not password_change_allowed(request):
        # The page explains why and offers to log in again; the typed password is not kept.
        return _render(request, data=_profile_around_form(request), status=403)
    if form.is_valid():
        try:
            get_client().update_session_fan(
                request.fan.session_uid,  # type: ignore[attr-defined]
                password=form.cleaned_data["new_password"],
            )
        except BadRequest:
            form.add_flow_error(get_adapter().error_message("profile_failed"))
        except UPSTREAM_FAILURES as error:
            failure = not_saved(error)
            form.add_flow_error(failure.message)
            return failure.apply(
                _render(request, data=_profile_around_form(request), password_form=form),
                request=request,
            )
        else:
            messages.success(request, _("Your password is saved."))
            return redirect("tbits_accounts:profile")
    return _render(request, data=_profile_around_form(request), password_form=form)


@never_cache
@fan_login_required
@require_POST
def log_in_again(request: HttpRequest) -> HttpResponse:
    """Log the fan out and send them to the login page, back to the password form after.

    For a fan whose login is older than ``PASSWORD_CHANGE_WINDOW``: logging in again (code,
    password or OAuth) is how they prove they are still the one holding the phone.
    """
    logout_fan(request)
    messages.info(request, _("Log in again, then set your password."))
    target = reverse("tbits_accounts:profile") + "#password-heading"
    return HttpResponseRedirect(f"{reverse('tbits_accounts:login')}?{urlencode({'next': target})}")


@never_cache
@fan_login_required
@require_POST
def idol(request: HttpRequest) -> HttpResponse:
    """Like or unlike one idol, then back to the list."""
    form = IdolForm(request.POST)
    if form.is_valid():
        session_uid = request.fan.session_uid  # type: ignore[attr-defined]
        idol_uid = form.cleaned_data["idol_uid"]
        client = get_client()
        try:
            if form.cleaned_data["action"] == "add":
                client.like_idol(session_uid, idol_uid)
            else:
                client.unlike_idol(session_uid, idol_uid)
        except BadRequest:
            messages.error(request, get_adapter().error_message("profile_failed"))
    return redirect(f"{reverse('tbits_accounts:profile')}#idols")
