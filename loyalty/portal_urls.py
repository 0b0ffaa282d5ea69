"""Every URL of the fan portal, for a site to mount with one ``include()``.

``path("fans/", include("loyalty.portal_urls"))`` serves the portal's pages at ``fans/``
and the fan's login and profile at ``fans/account/``. It is the two apps' own URLconfs side
by side, with no namespace of its own, so their names stay ``tbits_loyalty:*`` and
``tbits_accounts:*``. A site that wants them elsewhere includes ``accounts.urls`` and
``loyalty.urls`` itself.
"""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("account/", include("accounts.urls")),
    path("", include("loyalty.urls")),
]
