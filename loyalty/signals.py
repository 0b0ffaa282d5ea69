"""Signals a site connects to, to react to the portal's events without the portal knowing it.

``reward_delivered``
    Sent by ``manage.py tbits_poll_rewards`` once for each reward delivery it records for
    the first time (a push notification, an email, a badge in the site's own header...).
    ``sender`` is :class:`loyalty.models.RewardDelivery`; keyword ``delivery`` is the
    recorded row (``fan_id``, ``business_id``, ``reward_uid``, ``reward_title``,
    ``reward_type``, ``status``, ``delivered_at``).

    Receivers run inside the transaction that marks the delivery as announced: if the
    process dies before it commits, the next poll sends the signal again, so an update is
    never lost (a receiver that must not act twice can key on ``delivery.pk``). Work that
    should happen only once the mark is stored belongs in ``transaction.on_commit``. A
    receiver that raises is logged and does not stop the others or the poll.
"""

from __future__ import annotations

from django.dispatch import Signal

reward_delivered = Signal()
