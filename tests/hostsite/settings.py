"""Settings of the host site. Lines marked ``tbits-portal`` are what adding the portal took."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "hostsite-test-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tests.hostsite.users",
    "accounts",  # tbits-portal
    "loyalty",  # tbits-portal
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tests.hostsite.users.middleware.ClubSectionMiddleware",
    "accounts.middleware.TbitsMiddleware",  # tbits-portal
]

ROOT_URLCONF = "tests.hostsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tests.hostsite.users.context_processors.club",
            ],
        },
    }
]

# A file, as a site has; the tests run on pytest-django's in-memory test database instead.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": HERE / "host.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"

STATIC_URL = "/static/"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# tbits-portal: the account, and where a fan lands after logging in.
TBITS = {
    "API_BASE_URL": "https://nest.tradablebits.com/",
    "API_KEY": "sandbox-api-key",
    "API_SECRET": "host-site-api-secret-5b1e",
    "ACCOUNT_ID": "1001",
    "BUSINESS_ID": "2002",
    "LOGIN_REDIRECT_URL": "/fans/",
}
