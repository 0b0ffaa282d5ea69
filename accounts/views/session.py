"""OAuth sign-in through the provider's page, and logout."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.adapter import get_adapter
from accounts.app_settings import app_settings
from accounts.fan import logout_fan
from accounts.flows import oauth
from accounts.flows.errors import FlowError


@never_cache
@csrf_protect
@require_POST
def oauth_start(request: HttpRequest) -> HttpResponse:
    """Send the fan to the provider's sign-in page (POST, so no page can start it silently)."""
    if not app_settings.oauth_enabled:
        raise Http404("OAuth sign-in is not configured")
    next_url = request.POST.get("next")
    return HttpResponseRedirect(oauth.begin(request, next_url=next_url))


@never_cache
@require_GET
def oauth_callback(request: HttpRequest, transaction: str) -> HttpResponse:
    """Where the provider sends the fan back; always answers with a redirect to a clean URL."""
    if not app_settings.oauth_enabled:
        raise Http404("OAuth sign-in is not configured")
    try:
        _fan, next_url = oauth.complete(request, transaction=transaction, params=request.GET)
    except FlowError as error:
        messages.error(request, get_adapter().error_message(error.key))
        response: HttpResponse = redirect("tbits_accounts:login")
    else:
        response = HttpResponseRedirect(get_adapter().get_login_redirect_url(request, next_url))
    # The callback URL holds the one-time code: no page it leads to may learn it.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@csrf_protect
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log the fan out (POST only, so a link or an image cannot log a fan out).

    Only the fan's part of the session ends (:func:`accounts.fan.end_fan_session`): a host
    site's own user stays logged in.
    """
    target = get_adapter().get_logout_redirect_url(request)
    logout_fan(request)
    messages.success(request, get_adapter().notice("logged_out"))
    return HttpResponseRedirect(target)
