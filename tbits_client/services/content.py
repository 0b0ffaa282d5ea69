"""What an account publishes: businesses, performances, media, idols and their events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ..endpoints import ENDPOINTS
from ..models import Business, Idol, IdolEvent, Performance
from ..requestor import encode_params
from .api_service import ApiService

__all__ = ["ContentService"]


def _optional_text(value: str | None, name: str) -> str | None:
    """A search value as sent; a blank one is a caller's mistake (it would match anything)."""
    if value is not None and not value.strip():
        raise ValueError(f"{name} must not be blank")
    return value


def _idol_events(answer: Any) -> list[IdolEvent]:
    # The list may come bare or wrapped as {"idol_events": [...]}: both are read.
    if isinstance(answer, Mapping) and isinstance(answer.get("idol_events"), list):
        answer = answer["idol_events"]
    return IdolEvent.list_from_api(answer)


class ContentService(ApiService):
    """Businesses, performances, media URLs, idols and their events."""

    def businesses(self) -> list[Business]:
        return self._call("businesses", parse=Business.list_from_api)

    def performances(self) -> list[Performance]:
        return self._call("performances", parse=Performance.list_from_api)

    def media_url(
        self, media_uid: str, *, width: int | None = None, height: int | None = None
    ) -> str:
        """The URL of a media asset, optionally resized (no HTTP here)."""
        url = self._requestor.url(ENDPOINTS["media"], {"media_uid": media_uid})
        query = encode_params({"width": width, "height": height})
        return f"{url}?{urlencode(query, doseq=True)}" if query else url

    # --- idols ------------------------------------------------------------------------

    def idols(self, *, idol_name: str | None = None, label_name: str | None = None) -> list[Idol]:
        """Idols, optionally matching a search expression (``idol_name``) or one label."""
        return self._call(
            "idols",
            query={"idol_name": _optional_text(idol_name, "idol_name"), "label_name": label_name},
            parse=Idol.list_from_api,
        )

    def idol(self, idol_uid: str) -> Idol:
        """One idol by its uid ("Obtain an idol for a given idol_uid"); NotFound if unknown."""
        return self._call("idol", path_params={"idol_uid": idol_uid}, parse=Idol.from_api)

    def idol_events(
        self,
        *,
        idol_uid: str | None = None,
        venue_name: str | None = None,
        q: str | None = None,
        label_name: str | None = None,
        start_date: dt.date | str | None = None,
        end_date: dt.date | str | None = None,
    ) -> list[IdolEvent]:
        """Idol events matching the documented search parameters (all optional)."""
        if (
            isinstance(start_date, dt.date)
            and isinstance(end_date, dt.date)
            and end_date < start_date
        ):
            raise ValueError("end_date is before start_date")
        return self._call(
            "idol_events",
            query={
                "idol_uid": _optional_text(idol_uid, "idol_uid"),
                "venue_name": _optional_text(venue_name, "venue_name"),
                "q": _optional_text(q, "q"),
                "label_name": label_name,
                "start_date": start_date,
                "end_date": end_date,
            },
            parse=_idol_events,
        )

    def session_idols(self, session_uid: str, *, label_name: str | None = None) -> list[Idol]:
        return self._call(
            "session_idols",
            path_params={"session_uid": session_uid},
            query={"label_name": label_name},
            parse=Idol.list_from_api,
        )

    def like_idol(self, session_uid: str, idol_uid: str) -> None:
        self._call(
            "session_idols_update",
            path_params={"session_uid": session_uid},
            form={"action": "add", "idol_uid": idol_uid},
        )

    def unlike_idol(self, session_uid: str, idol_uid: str) -> None:
        self._call(
            "session_idols_update",
            path_params={"session_uid": session_uid},
            form={"action": "delete", "idol_uid": idol_uid},
        )
