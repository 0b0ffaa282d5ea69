"""The host site's settings plus the API sandbox its tests talk to (not part of the site)."""

from __future__ import annotations

from tests.hostsite.settings import *  # noqa: F403
from tests.hostsite.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tbits_sandbox"]
ROOT_URLCONF = "tests.hostsite.urls_sandboxed"
TBITS_SANDBOX_TEST_SERVER = "this is a test server: anyone may read its codes"
