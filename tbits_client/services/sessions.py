"""Calls on a fan's session: the session, its fan record, and its point balances.

A 401 on any of these means the session expired (the endpoint rows are session-bound).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..models import Fan, FanPoint, Session
from .api_service import ApiService

__all__ = ["SessionService"]

# The open-ended names the session fan update documents ("props_* | update props",
# "field_* | update fields", "tag_* | update tags").
_CUSTOM_PREFIXES = ("props_", "field_", "tag_")


class SessionService(ApiService):
    """Calls made with a fan's session id (a 401 raises SessionExpired)."""

    def get_session(self, session_uid: str) -> Session:
        """The session; SessionExpired when it is gone."""
        return self._call(
            "session", path_params={"session_uid": session_uid}, parse=Session.from_api
        )

    def get_session_fan(self, session_uid: str) -> Fan:
        """The session's fan record (with tags)."""
        return self._call(
            "session_fan", path_params={"session_uid": session_uid}, parse=Fan.from_api
        )

    def update_session_fan(
        self,
        session_uid: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        display_name: str | None = None,
        password: str | None = None,
        phone: str | None = None,
        birth_date: dt.date | str | None = None,
        is_subscribed: bool | None = None,
        is_phone_subscribed: bool | None = None,
        ip_address: str | None = None,
        **custom: Any,
    ) -> Fan:
        """Update the fan; only the fields passed are sent.

        ``custom`` are the documented ``props_*``, ``field_*`` and ``tag_*`` values
        (props, custom fields, tags), sent under their own names. The API answers with
        little more than ``fan_id``, so the returned Fan holds the answer plus the named
        values sent (never the password).
        """
        unknown = [name for name in custom if not name.startswith(_CUSTOM_PREFIXES)]
        if unknown:
            raise ValueError(f"custom fan values must start with props_, field_ or tag_: {unknown}")
        bare = [name for name in custom if name in _CUSTOM_PREFIXES]
        if bare:
            raise ValueError(f"custom fan values need a name after the prefix: {bare}")
        sent = {
            "first_name": first_name,
            "last_name": last_name,
            "display_name": display_name,
            "phone": phone,
            "birth_date": birth_date,
            "is_subscribed": is_subscribed,
            "is_phone_subscribed": is_phone_subscribed,
        }

        def parse(answer: Any) -> Fan:
            known = {key: value for key, value in sent.items() if value is not None}
            merged = {**known, **(answer if isinstance(answer, Mapping) else {})}
            merged.pop("password", None)
            return Fan.from_api(merged)

        return self._call(
            "session_fan_update",
            path_params={"session_uid": session_uid},
            form={**sent, **custom, "ip_address": ip_address, "password": password},
            secrets=[password],
            parse=parse,
        )

    def get_session_points(self, session_uid: str) -> list[FanPoint]:
        """The session fan's point balances."""
        return self._call(
            "session_points",
            path_params={"session_uid": session_uid},
            parse=FanPoint.list_from_api,
        )
