"""Sessions/Connect: looking a fan up, codes, registration, passwords, guests."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from ..models import ConnectResult
from .api_service import ApiService

__all__ = ["ConnectChannel", "ConnectOrigin", "ConnectService", "DeviceNetwork"]


class ConnectChannel(enum.StrEnum):
    """Where a verification code is sent."""

    EMAIL = "email"
    SMS = "sms"


class DeviceNetwork(enum.StrEnum):
    """The documented values of ``device_network`` ("one of ios/android")."""

    IOS = "ios"
    ANDROID = "android"


class ConnectOrigin(TypedDict, total=False):
    """Where a Sessions/Connect call comes from; every step documents these, all optional.

    ``page_tab_id`` ties the session to a campaign; ``device_id`` and ``device_network``
    name the hardware when a mobile app calls.
    """

    page_tab_id: int
    device_id: str
    device_network: DeviceNetwork | str


def _origin_fields(origin: ConnectOrigin) -> dict[str, Any]:
    """The origin as form fields, validated (a wrong value is the caller's mistake)."""
    page_tab_id = origin.get("page_tab_id")
    if page_tab_id is not None and (
        isinstance(page_tab_id, bool) or not isinstance(page_tab_id, int) or page_tab_id < 1
    ):
        raise ValueError("page_tab_id must be a positive integer")
    device_id = origin.get("device_id")
    if device_id is not None and not device_id.strip():
        raise ValueError("device_id must not be blank")
    network = origin.get("device_network")
    return {
        "page_tab_id": page_tab_id,
        "device_id": device_id,
        "device_network": None if network is None else DeviceNetwork(network),
    }


def _require_one_identity(email: str | None, phone: str | None) -> None:
    if not email and not phone:
        raise ValueError("pass the fan's email or phone")


class ConnectService(ApiService):
    """The Sessions/Connect steps; throttled per fan IP, never retried."""

    def _connect(
        self,
        network: str,
        *,
        business_id: int | str,
        ip_address: str | None,
        fields: Mapping[str, Any],
        origin: ConnectOrigin,
        secrets: Iterable[str | None] = (),
    ) -> ConnectResult:
        if business_id is None or str(business_id).strip() == "":
            raise ValueError("business_id is required")
        form = {"network": network, "business_id": business_id, **fields, **_origin_fields(origin)}
        if ip_address:
            form["ip_address"] = ip_address
        # The provider throttles these look-ups per fan IP (anti-enumeration): one fan's
        # 429 must not put every other fan's login on cooldown.
        return self._call(
            "sessions_connect",
            form=form,
            secrets=secrets,
            cooldown_scope=ip_address,
            parse=ConnectResult.from_api,
        )

    def connect_lookup(
        self,
        *,
        business_id: int | str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """Does this email (or phone) belong to a fan? FAN_EXISTS or MUST_REGISTER."""
        _require_one_identity(email, phone)
        network = "email" if email else "phone"
        return self._connect(
            network,
            business_id=business_id,
            ip_address=ip_address,
            origin=origin,
            fields={"email": email} if email else {"phone": phone},
        )

    def connect_send_code(
        self,
        *,
        business_id: int | str,
        channel: ConnectChannel | str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """Send a one-time code by email or SMS; CODE_SENT with ``request_uid``."""
        _require_one_identity(email, phone)
        channel = ConnectChannel(channel)
        network = "verify_email" if channel is ConnectChannel.EMAIL else "verify_sms"
        return self._connect(
            network,
            business_id=business_id,
            ip_address=ip_address,
            origin=origin,
            fields={"email": email, "phone": phone},
        )

    def connect_submit_code(
        self,
        *,
        business_id: int | str,
        request_uid: str,
        verification_code: str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """Submit the code: SESSION_CREATED, or MUST_REGISTER with ``verification_uid``."""
        if not request_uid or not verification_code:
            raise ValueError("request_uid and verification_code are required")
        return self._connect(
            "submit_verification_code",
            business_id=business_id,
            ip_address=ip_address,
            origin=origin,
            fields={
                "email": email,
                "phone": phone,
                "request_uid": request_uid,
                "verification_code": verification_code,
            },
            secrets=[verification_code, request_uid],
        )

    def connect_register(
        self,
        *,
        business_id: int | str,
        first_name: str,
        last_name: str,
        email: str | None = None,
        phone: str | None = None,
        request_uid: str | None = None,
        verification_uid: str | None = None,
        is_accepted: bool | None = None,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """Register a fan: SESSION_CREATED (verified), FAN_EXISTS, or TERMS_REQUIRED.

        After TERMS_REQUIRED, call again with ``is_accepted=True`` once the fan accepted.
        """
        _require_one_identity(email, phone)
        return self._connect(
            "register",
            business_id=business_id,
            ip_address=ip_address,
            origin=origin,
            fields={
                "email": email,
                "phone": phone,
                "first_name": first_name,
                "last_name": last_name,
                "request_uid": request_uid,
                "verification_uid": verification_uid,
                # The docs call it a flag; "1" is what every server reads as true.
                "is_accepted": "1" if is_accepted else None,
            },
            secrets=[request_uid, verification_uid],
        )

    def connect_password(
        self,
        *,
        business_id: int | str,
        password: str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """Log in with a password: SESSION_CREATED, or Unauthorized."""
        _require_one_identity(email, phone)
        if not password:
            raise ValueError("password is required")
        return self._connect(
            "password",
            business_id=business_id,
            ip_address=ip_address,
            origin=origin,
            fields={"email": email, "phone": phone, "password": password},
            secrets=[password],
        )

    def connect_guest(
        self,
        *,
        business_id: int | str,
        ip_address: str | None = None,
        **origin: Unpack[ConnectOrigin],
    ) -> ConnectResult:
        """A guest session (network empty)."""
        return self._connect(
            "", business_id=business_id, ip_address=ip_address, fields={}, origin=origin
        )
