"""A fan's CRM record: the fan, display names, activities, wristband registrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..models import DisplayNameCheck, Fan, FanActivity, FanRegistration
from .api_service import ApiService, answer_mapping

__all__ = ["FanService"]

# What a registration answer is completed with from what was sent (it answers little).
_REGISTRATION_ECHOED = frozenset(
    {"registration_key", "event_name", "event_date", "barcode", "ticket_key"}
)


class FanService(ApiService):
    """A fan's CRM record, activities and registrations."""

    def fan(self, fan_id: int | str) -> Fan:
        return self._call("crm_fan", path_params={"fan_id": fan_id}, parse=Fan.from_api)

    def display_name_check(self, *, display_name: str) -> DisplayNameCheck:
        """A usable display name; BadRequest when the name is invalid."""
        return self._call(
            "crm_display_name",
            query={"display_name": display_name},
            parse=lambda answer: DisplayNameCheck.from_api(answer, requested=display_name),
        )

    def fan_activities(
        self,
        fan_id: int | str,
        *,
        limit: int | None = None,
        campaign_title: str | None = None,
    ) -> list[FanActivity]:
        return self._call(
            "crm_fan_activities",
            path_params={"fan_id": fan_id},
            query={"limit": limit, "campaign_title": campaign_title},
            parse=FanActivity.list_from_api,
        )

    def create_fan_activity(
        self,
        fan_id: int | str,
        *,
        campaign_title: str,
        business_id: int | str | None = None,
        **fields: Any,
    ) -> FanActivity:
        """Record an activity; ``fields`` are custom ``field_*`` values.

        ``business_id`` associates the activity with a business: only such an activity
        makes the fan eligible for that business's automatic rewards
        (loyalty-portal-integration.txt, "Fan Activities are required...").
        """
        unknown = [name for name in fields if not name.startswith("field_")]
        if unknown:
            raise ValueError(f"custom activity fields must start with field_: {unknown}")
        if business_id is not None and str(business_id).strip() == "":
            raise ValueError("business_id must not be blank")
        return self._call(
            "crm_fan_activity_create",
            path_params={"fan_id": fan_id},
            form={"campaign_title": campaign_title, "business_id": business_id, **fields},
            parse=lambda answer: FanActivity.from_api(
                {"fan_id": fan_id, "campaign_title": campaign_title, **answer_mapping(answer)}
            ),
        )

    def fan_registrations(
        self, fan_id: int | str, *, limit: int | None = None
    ) -> list[FanRegistration]:
        return self._call(
            "crm_fan_registrations",
            path_params={"fan_id": fan_id},
            query={"limit": limit},
            parse=FanRegistration.list_from_api,
        )

    def create_fan_registration(
        self,
        fan_id: int | str,
        *,
        registration_key: str,
        first_name: str,
        last_name: str,
        email: str | None,
        event_name: str,
        event_date: dt.date | str,
        registration_timestamp: dt.datetime | str,
        network: str,
        **fields: Any,
    ) -> FanRegistration:
        """Register a wristband/ticket (``fields``: phone, barcode, venue_name, ticket_key...).

        ``email`` is ``None`` for a fan who signed up by phone: it is then not sent at all.
        """
        if isinstance(registration_timestamp, dt.datetime):
            # Documented as "YYYY-MM-DD HH:MI:SS in GMT", not ISO with a T.
            moment = registration_timestamp
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            registration_timestamp = moment.strftime("%Y-%m-%d %H:%M:%S")
        sent = {
            "registration_key": registration_key,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "event_name": event_name,
            "event_date": event_date,
            "registration_timestamp": registration_timestamp,
            "network": network,
            **fields,
        }
        known = {
            key: value
            for key, value in sent.items()
            if key in _REGISTRATION_ECHOED and value is not None
        }
        return self._call(
            "crm_fan_registration_create",
            path_params={"fan_id": fan_id},
            form=sent,
            parse=lambda answer: FanRegistration.from_api(
                {**known, "fan_id": fan_id, **answer_mapping(answer)}
            ),
        )
