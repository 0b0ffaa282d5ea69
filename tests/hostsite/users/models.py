"""The host site's own table: a club membership card per site user."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    number = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.number
