"""The fan's profile: names, display name, message preferences, password, liked idols."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.adapter import get_adapter
from accounts.app_settings import app_settings
from accounts.decorators import fan_login_required
from accounts.failures import FORM_FAILURES, form_failure
from accounts.fan import logged_in_within, logout_fan, remember_first_name
from accounts.flows import profile as flow
from accounts.flows.errors import FlowError
from accounts.flows.profile import ProfileData
from accounts.forms import IdolForm, ProfileForm, SetPasswordForm
from accounts.shell import shell_context
from accounts.signals import fan_profile_saved
from tbits_client import Fan

TEMPLATE = "tbits_accounts/profile.html"


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
            # The portal's header and navigation, when an app provides them.
            **shell_context(request),
        },
        status=status,
    )


def _save(
    request: HttpRequest,
    form: ProfileForm | SetPasswordForm,
    *,
    save: Callable[[], object],
    notice: str,
    **forms: ProfileForm | SetPasswordForm,
) -> HttpResponse:
    """Save a valid ``form`` with ``save``, then back to the profile with ``notice``.

    An invalid form, or one the API did not save (``form_failure``), is shown again in the
    page (``forms`` names which of the page's two forms it is), keeping what the fan typed.
    """

    def page() -> HttpResponse:
        return _render(request, data=flow.load_profile_around_form(request), **forms)

    if not form.is_valid():
        return page()
    try:
        save()
    except FORM_FAILURES as error:
        return form_failure(request, error, form=form, render=page)
    messages.success(request, get_adapter().notice(notice))
    return redirect("tbits_accounts:profile")


@never_cache
@fan_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show the profile; POST saves names, display name and message preferences."""
    if request.method != "POST":
        data = flow.load_profile(request)
        if data.fan is not None:
            remember_first_name(request, data.fan.first_name)
        return _render(request, data=data)
    form = ProfileForm(request.POST)

    def save() -> None:
        flow.save_profile(request, **{name: form.cleaned_data[name] for name in form.changed_data})
        if "first_name" in form.changed_data:
            remember_first_name(request, form.cleaned_data["first_name"])
        fan_profile_saved.send(
            sender=profile, request=request, fan=request.fan, changed=list(form.changed_data)
        )

    return _save(request, form, save=save, notice="profile_saved", profile_form=form)


def _profile_at(anchor: str) -> Callable[..., str]:
    """The profile page at ``anchor``: where a POST-only form of it sends a logged-out fan."""
    return lambda request: f"{reverse('tbits_accounts:profile')}#{anchor}"


@never_cache
@sensitive_post_parameters("new_password", "new_password_again")
@fan_login_required(return_to=_profile_at("password-heading"))
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """Set or change the fan's password, soon after a login only (403 later, nothing sent)."""
    form = SetPasswordForm(request.POST)
    if not password_change_allowed(request):
        # The page explains why and offers to log in again; the typed password is not kept.
        return _render(request, data=flow.load_profile_around_form(request), status=403)
    return _save(
        request,
        form,
        save=lambda: flow.set_password(request, password=form.cleaned_data["new_password"]),
        notice="password_saved",
        password_form=form,
    )


@never_cache
@fan_login_required(return_to=_profile_at("password-heading"))
@require_POST
def log_in_again(request: HttpRequest) -> HttpResponse:
    """Log the fan out and send them to the login page, back to the password form after.

    For a fan whose login is older than ``PASSWORD_CHANGE_WINDOW``: logging in again (code,
    password or OAuth) is how they prove they are still the one holding the phone.
    """
    logout_fan(request)
    messages.info(request, get_adapter().notice("log_in_again"))
    target = reverse("tbits_accounts:profile") + "#password-heading"
    return HttpResponseRedirect(f"{reverse('tbits_accounts:login')}?{urlencode({'next': target})}")


@never_cache
@fan_login_required(return_to=_profile_at("idols"))
@require_POST
def idol(request: HttpRequest) -> HttpResponse:
    """Like or unlike one idol, then back to the list."""
    form = IdolForm(request.POST)
    if form.is_valid():
        try:
            flow.like_idol(
                request,
                idol_uid=form.cleaned_data["idol_uid"],
                liked=form.cleaned_data["action"] == "add",
            )
        except FlowError as error:
            # A list of buttons, not a form with input to keep: the message goes on top.
            messages.error(request, get_adapter().error_message(error.key))
    return redirect(f"{reverse('tbits_accounts:profile')}#idols")
