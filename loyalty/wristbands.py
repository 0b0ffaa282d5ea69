"""Linking a wristband or ticket barcode to the fan, the first step of a wristband quest."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from accounts.api import get_client
from accounts.contact import ContactKind
from accounts.fan import login_contact
from loyalty import selectors
from tbits_client import Quest


def register_wristband(request: HttpRequest, *, quest: Quest, barcode: str) -> None:
    """Link a wristband or ticket barcode to the fan, for the quest's performance.

    The CRM registration names the fan by name and email or phone, so the fan record is read
    first. Its documented form has no email ("Fetch current Fan Record" and "Get Specific fan
    record via ID", api-reference.txt), so the address the fan proved at login fills in.
    A fan who signed up by phone has no email: the registration carries the phone,
    and no email at all rather than an empty one, which the API refuses (api-reference.txt,
    "Create new Registration Record for a given Fan" lists ``phone`` beside ``email``; the
    reading of ``email *`` for a phone-only fan: docs/endpoints.md, its row).
    The registration key is derived from performance and barcode, so a repeated submit
    updates the same registration instead of adding another.
    """
    client = get_client()
    fan = request.fan  # type: ignore[attr-defined]
    record = client.fan(fan.fan_id)
    state = selectors.portal_state(request)
    performance = state.performances_by_id.get(quest.performance_uid or "")
    event_date = (
        performance.performance_date.isoformat()
        if performance is not None and performance.performance_date
        else state.now.date().isoformat()
    )
    email, phone = record.email, record.phone
    proved = login_contact(request)
    if proved is not None and proved.kind is ContactKind.EMAIL:
        email = email or proved.value
    elif proved is not None:
        phone = phone or proved.value
    client.create_fan_registration(
        fan.fan_id,
        first_name=record.first_name or "",
        last_name=record.last_name or "",
        email=email or None,
        phone=phone or None,
        event_name=(performance.performance_name if performance else None) or quest.quest_title,
        event_date=event_date,
        registration_key=f"wristband-{quest.performance_uid or quest.page_tab_id}-{barcode}",
        registration_timestamp=state.now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        network="wristband",
        barcode=barcode,
        performance_uid=quest.performance_uid or "",
    )
