"""Settings for the test suite: the demo project with the sandbox enabled.

Only defaults are set here, so CI can still point the suite at PostgreSQL and Redis with
``DATABASE_URL`` and ``CACHE_URL``.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("TBITS_SANDBOX", "1")
os.environ.setdefault(
    "TBITS_SANDBOX_TEST_SERVER", "this is a test server: anyone may read its codes"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("TBITS_API_SECRET", "sandbox-api-secret-TEST-7f3a9c")

from tbits_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the apps' folders: no collectstatic before tests (the container
# test checks the hashed, compressed copies).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
