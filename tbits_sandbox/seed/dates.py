"""Days and times of the demo, relative to today so the demo never goes stale."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def days_from_today(offset: int) -> date:
    """Today (in the sandbox's zone) moved by ``offset`` days."""
    return timezone.localdate() + timedelta(days=offset)


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` in the sandbox's zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
