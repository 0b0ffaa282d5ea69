"""Dates without a zone, read as wide as any zone on Earth makes them.

The reference gives some moments only as days, with no zone: a performance's
``performance_date`` ("Get all account performances"), the ``start_date`` / ``end_date`` of
an idol event search. The sandbox reads such a day as running from its first moment
anywhere (00:00 at UTC+14) to its last moment anywhere (24:00 at UTC-12): the reading that
cannot lose data, since nothing that happens on that day in the event's own zone, whatever
it is, falls outside it.
"""

from __future__ import annotations

import datetime as dt

#: The earliest and the latest offsets from UTC in use.
EARLIEST_ZONE = dt.timezone(dt.timedelta(hours=14))
LATEST_ZONE = dt.timezone(dt.timedelta(hours=-12))


def first_moment(day: dt.date) -> dt.datetime:
    """When ``day`` begins somewhere: 00:00 at UTC+14."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=EARLIEST_ZONE)


def end_of(day: dt.date) -> dt.datetime:
    """When ``day`` has ended everywhere: 24:00 at UTC-12 (exclusive)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=LATEST_ZONE)


def within_day(moment: dt.datetime, day: dt.date) -> bool:
    """Whether ``moment`` is on ``day`` in some zone."""
    return first_moment(day) <= moment < end_of(day)
