"""The host site's admin: its own model, next to Django's users."""

from __future__ import annotations

from django.contrib import admin

from tests.hostsite.users.models import Membership

admin.site.register(Membership)
