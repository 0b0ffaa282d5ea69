"""Offline passes: the web app manifest, the service worker, and the fan's cache scope.

At a stadium gate the network is often congested or gone, and a pass that needs it is no
pass. The service worker keeps the fan's wallet (and so each pass's full-screen QR, a
fragment of it) in the browser's Cache Storage after each online visit, and serves that
copy, labelled "as of HH:MM", when the network fails; another portal page asked for then
leads to that copy (at the gate, the passes are what a fan needs). Every page still works
without it.

Nothing of one fan may ever be served to another on a shared browser. The worker keeps at
most one fan's copy, in a cache named after a **scope**: a random value made at each login
(:func:`offline_scope`), kept in the fan's part of the Django session, so it leaves with the
fan; it is not the session id, and no one else can guess it. Every portal page tells the
worker whose it is (the ``Tbits-Fan-Scope`` header; ``none`` for a visitor); the worker
drops every other fan's copy when the scope changes, when it sees the login page or a
visitor's page, and when the fan posts the logout form. It caches only pages marked
``Tbits-Offline: keep`` for a fan (the wallet), never a POST's answer, a visitor's page or
anything else.

The worker's script is served by :func:`service_worker` (a view, not a static file) so it
can name this site's URLs and be allowed, by ``Service-Worker-Allowed``, the scope that
covers both the portal and the login pages wherever a site mounts them.
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.fan import FanSession
from loyalty.branding import Branding
from loyalty.presentation import portal_urls
from loyalty.shell import cached_branding

#: The fan's offline scope in the Django session: a ``tbits_loyalty.`` key, so it is
#: deleted with the rest of the fan's keys when the fan's session ends.
SCOPE_SESSION_KEY = "tbits_loyalty.offline_scope"

#: Response headers the service worker reads (see the module's docstring).
SCOPE_HEADER = "Tbits-Fan-Scope"
KEEP_HEADER = "Tbits-Offline"
#: The scope header's value on a visitor's page: whatever the worker kept is dropped.
NO_FAN = "none"


def new_scope(sender: Any = None, *, request: HttpRequest, fan: FanSession, **kwargs: Any) -> None:
    """A new scope at each login (``fan_logged_in``), so no two logins share a cache.

    A login keeps the session's data when it cycles its key; a scope carried over from a
    fan logged in before on the same browser would hand that fan's cache to the next.
    """
    request.session[SCOPE_SESSION_KEY] = secrets.token_urlsafe(18)


def offline_scope(request: HttpRequest) -> str:
    """The logged-in fan's scope, made on first use for a session older than this feature."""
    scope = request.session.get(SCOPE_SESSION_KEY)
    if not isinstance(scope, str) or not scope:
        scope = secrets.token_urlsafe(18)
        request.session[SCOPE_SESSION_KEY] = scope
    return scope


def mark_response(request: HttpRequest, response: HttpResponse, *, keep: bool = False) -> None:
    """Tell the service worker whose page this is and, with ``keep``, to keep a copy of it."""
    if getattr(request, "fan", None) is None:
        response[SCOPE_HEADER] = NO_FAN
        return
    response[SCOPE_HEADER] = offline_scope(request)
    if keep:
        response[KEEP_HEADER] = "keep"


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script, naming this site's URLs, allowed the portal's scope."""
    urls = portal_urls()
    config = {
        "scope": urls["worker_scope"],
        "portal": urls["dashboard"],
        "login": urls["login"],
        "logout": urls["logout"],
        # The path alone: static files on another origin (a CDN) are not the worker's.
        "static": "/" + urlsplit(settings.STATIC_URL).path.lstrip("/"),
    }
    script = render_to_string(
        "tbits_loyalty/offline/service-worker.js", {"config": json.dumps(config)}
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = config["scope"]
    # The browser checks for a new worker at least daily; no-cache makes it ask each time.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the club's name and colour from the shared cache, never a call."""
    branding: Branding | None = cached_branding(request)
    name = branding.title if branding is not None and branding.title else _("Fan portal")
    data: dict[str, Any] = {
        "name": name,
        "short_name": name[:12],
        "start_url": reverse("tbits_loyalty:dashboard"),
        "scope": reverse("tbits_loyalty:dashboard"),
        "display": "standalone",
        "icons": [
            {
                "src": static("tbits_accounts/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        ],
    }
    theme = dict(branding.css_variables).get("--tb-primary") if branding is not None else None
    if theme:
        data["theme_color"] = theme
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
