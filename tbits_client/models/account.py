"""Models of the account and login calls: branding, sessions, Sessions/Connect answers."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidResponse
from .parsing import ApiModel, PayloadReader

__all__ = ["AccountStatus", "ConnectOutcome", "ConnectResult", "Session"]


class ConnectOutcome(enum.StrEnum):
    """Which of the documented Sessions/Connect answers came back."""

    FAN_EXISTS = "login"
    MUST_REGISTER = "register"
    CODE_SENT = "code_sent"
    SESSION_CREATED = "session_created"
    TERMS_REQUIRED = "terms_required"


@dataclass(frozen=True, slots=True)
class AccountStatus(ApiModel):
    """Branding and legal texts of the account, for the login pages."""

    legal_terms: str | None = None
    legal_privacy: str | None = None
    header_text: str | None = None
    image_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Session(ApiModel):
    """A fan session. ``fan_id`` is None only for a guest session.

    The session id is a bearer token: it is kept out of ``repr`` so a model printed into a
    log does not leak it.
    """

    session_uid: str = field(repr=False)
    fan_id: int | None
    account_id: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    expiration_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class ConnectResult:
    """What one Sessions/Connect step answered, classified into a documented outcome.

    ``raw`` is the answer as received (it may hold the session id, hence not in repr).
    ``legal_terms`` is filled when the API asks the fan to accept terms.
    """

    outcome: ConnectOutcome
    has_password: bool = False
    has_phone: bool = False
    request_uid: str | None = field(default=None, repr=False)
    verification_uid: str | None = field(default=None, repr=False)
    message: str | None = None
    session: Session | None = None
    legal_terms: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_api(cls, payload: Any) -> ConnectResult:
        """Classify an answer. Order matters: a session wins, then a terms demand."""
        f = PayloadReader("ConnectResult", payload)
        raw = dict(payload)
        message = f.str("message")
        if payload.get("session_uid"):
            return cls(
                outcome=ConnectOutcome.SESSION_CREATED,
                session=Session.from_api(payload),
                message=message,
                raw=raw,
            )
        if f.bool("terms_required", default=False):
            return cls(
                outcome=ConnectOutcome.TERMS_REQUIRED,
                message=message,
                legal_terms=f.str("legal_terms"),
                request_uid=f.str("request_uid"),
                verification_uid=f.str("verification_uid"),
                raw=raw,
            )
        status = f.str("status")
        if status == "register":
            return cls(
                outcome=ConnectOutcome.MUST_REGISTER,
                message=message,
                request_uid=f.str("request_uid"),
                verification_uid=f.str("verification_uid"),
                raw=raw,
            )
        if status == "login":
            return cls(
                outcome=ConnectOutcome.FAN_EXISTS,
                has_password=bool(f.bool("password", default=False)),
                has_phone=bool(f.bool("phone", default=False)),
                message=message,
                raw=raw,
            )
        if payload.get("request_uid"):
            return cls(
                outcome=ConnectOutcome.CODE_SENT,
                request_uid=f.str("request_uid", required=True),
                message=message,
                raw=raw,
            )
        raise InvalidResponse(
            "ConnectResult: answer is none of session, terms_required, status "
            "register/login, or request_uid"
        )
