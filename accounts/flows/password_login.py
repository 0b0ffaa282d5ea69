"""Log in with an email or phone number and a password: Sessions/Connect ``password``."""

from __future__ import annotations

from django.http import HttpRequest

from accounts import ratelimit
from accounts.adapter import get_adapter
from accounts.api import business_id, get_client
from accounts.contact import ContactPoint
from accounts.fan import FanSession, login_fan
from accounts.flows.code_login import CodeLoginFlow
from accounts.flows.errors import FlowError
from tbits_client import BadRequest, ConnectOutcome, InvalidResponse, NotFound, Unauthorized


def log_in_with_password(
    request: HttpRequest, *, contact: ContactPoint, password: str
) -> FanSession:
    """Log the fan in, or raise ``FlowError("login_failed")``.

    A wrong password, an unknown address and a refused request all give the same error, so
    the answer never says whether an account exists.
    """
    ip = get_adapter().get_client_ip(request)
    ratelimit.consume(action=ratelimit.RateAction.PASSWORD_LOGIN, ip=ip, key=contact.value)
    try:
        result = get_client().connect_password(
            business_id=business_id(), password=password, ip_address=ip, **contact.as_api_fields()
        )
    except (Unauthorized, BadRequest, NotFound):
        raise FlowError("login_failed") from None
    session = result.session
    if result.outcome is not ConnectOutcome.SESSION_CREATED or session is None:
        raise FlowError("login_failed")
    if session.fan_id is None:
        raise InvalidResponse(
            "sessions/connect password created a session without a fan",
            endpoint="sessions_connect",
        )
    # A code login the fan abandoned for the password has nothing left to do.
    flow = CodeLoginFlow.load(request)
    if flow is not None:
        flow.clear()
    return login_fan(
        request,
        session_uid=session.session_uid,
        fan_id=session.fan_id,
        expires_at=session.expiration_timestamp,
        contact=contact,
    )
