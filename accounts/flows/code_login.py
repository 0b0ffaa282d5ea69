"""Log in (or sign up) with a one-time code sent by email or SMS: Sessions/Connect.

The steps, and what the server enforces between them:

1. :meth:`CodeLoginFlow.start` sends a code to the email or phone the fan typed. It does
   not look the fan up first, and the API sends a code to any address it accepts, with or
   without an account (a new fan registers after the code; see the provider's Sessions/
   Connect steps and the sandbox), so the next page never tells a stranger whether an
   account exists. When no code was sent (the API refused the address, is rate limiting
   or is down) the fan is not moved on: the flow is not saved and the error propagates.
2. :meth:`CodeLoginFlow.submit_code` checks the code. The code is dead locally after
   ``CODE_MAX_ATTEMPTS`` wrong tries or ``CODE_TTL`` seconds; a known fan is logged in, a
   new fan moves to the registration step with the API's ``verification_uid``.
3. :meth:`CodeLoginFlow.register` creates the fan with ``request_uid`` and
   ``verification_uid`` (so the fan is not asked to verify twice), accepting the terms when
   the API asks for it. It refuses to run unless step 2 succeeded in this browser session.

All state (channel, address, request_uid, verification_uid, sent-at, resends) lives
under one session key, :data:`SESSION_KEY`. The tries at a code are not in it: they are
counted atomically in the shared cache (:func:`accounts.ratelimit.count_code_try`), keyed
by a digest of the code's ``request_uid``, because parallel requests carrying one session
cookie each read and save their own copy of the session.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.http import HttpRequest

from accounts import ratelimit
from accounts.adapter import get_adapter
from accounts.api import business_id, get_client
from accounts.app_settings import app_settings
from accounts.contact import ContactKind, ContactPoint
from accounts.fan import FanSession, login_fan
from accounts.flows.errors import FlowError
from tbits_client import (
    BadRequest,
    ConnectOutcome,
    ConnectResult,
    InvalidResponse,
    ServerError,
    TransportError,
    Unauthorized,
)

logger = logging.getLogger(__name__)

SESSION_KEY = "tbits_accounts.flow"
# A flow nobody finished within an hour is abandoned; a later visit starts afresh.
_FLOW_MAX_AGE = 60 * 60


# The API names the parameter it refuses. These are the ones the portal sends itself,
# whatever the fan typed; a refusal naming none of them is about the address.
_OWN_PARAMETERS = re.compile(r"\b(business(_id)?|network|api_key|account(_id)?|ip_address)\b")
_ADDRESS_WORDS = re.compile(r"\b(e-?mail|phone|sms|address|number)\b")


def _refuses_the_address(error: BadRequest) -> bool:
    """Whether a refused code request is about the email or phone the fan typed."""
    text = (error.message or "").lower()
    return bool(_ADDRESS_WORDS.search(text)) or not _OWN_PARAMETERS.search(text)


class FlowStage(StrEnum):
    """Which step the fan may take next."""

    CODE = "code"
    REGISTER = "register"


class CodeResult(StrEnum):
    """What a good code led to."""

    LOGGED_IN = "logged_in"
    MUST_REGISTER = "must_register"


class RegisterResult(StrEnum):
    """What a registration attempt led to."""

    LOGGED_IN = "logged_in"
    TERMS_REQUIRED = "terms_required"
    MUST_LOG_IN = "must_log_in"


@dataclass(frozen=True)
class CodeStatus:
    """What the code page shows: where the code went and what the fan can still do."""

    masked_contact: str
    channel: str
    is_dead: bool
    dead_reason: str | None
    resends_left: int
    attempts_left: int


class CodeLoginFlow:
    """One fan's code login in one browser session, over a plain state dict."""

    def __init__(self, request: HttpRequest, state: dict[str, Any]) -> None:
        self.request = request
        self.state = state

    # -- loading and saving ------------------------------------------------------------

    @classmethod
    def load(cls, request: HttpRequest) -> CodeLoginFlow | None:
        """The flow of this browser session, or ``None`` (none started, or abandoned)."""
        state = request.session.get(SESSION_KEY)
        if not isinstance(state, dict) or state.get("stage") not in set(FlowStage):
            return None
        if time.time() - float(state.get("started_at", 0)) > _FLOW_MAX_AGE:
            request.session.pop(SESSION_KEY, None)
            return None
        return cls(request, state)

    def _save(self) -> None:
        # Reassigning (rather than mutating in place) marks the session modified.
        self.request.session[SESSION_KEY] = dict(self.state)

    def clear(self) -> None:
        """Forget the flow (after login, or when the fan starts over)."""
        self.request.session.pop(SESSION_KEY, None)

    # -- read-only views of the state ------------------------------------------------

    @property
    def stage(self) -> FlowStage:
        return FlowStage(self.state["stage"])

    @property
    def contact(self) -> ContactPoint:
        return ContactPoint(kind=ContactKind(self.state["kind"]), value=self.state["contact"])

    @property
    def next_url(self) -> str | None:
        return self.state.get("next")

    @property
    def terms_required(self) -> bool:
        return bool(self.state.get("terms_required"))

    @property
    def legal_terms(self) -> str | None:
        return self.state.get("legal_terms")

    @property
    def _code_id(self) -> str:
        # The request_uid names the code; without one (an API that did not give it), the
        # random id drawn when the code was sent.
        return str(self.state.get("request_uid") or self.state.get("send_id") or "")

    def tries(self) -> int:
        """How many tries the current code has had, in every browser tab and process."""
        return ratelimit.code_tries(self._code_id)

    def _dead_reason(self) -> str | None:
        if self.tries() >= app_settings.CODE_MAX_ATTEMPTS:
            return "code_attempts"
        if time.time() - float(self.state.get("sent_at", 0)) > app_settings.CODE_TTL:
            return "code_expired"
        return None

    def status(self) -> CodeStatus:
        """The facts the code page displays."""
        reason = self._dead_reason()
        return CodeStatus(
            masked_contact=self.contact.masked,
            channel=self.contact.kind.channel,
            is_dead=reason is not None,
            dead_reason=reason,
            resends_left=max(0, app_settings.CODE_MAX_RESENDS - int(self.state.get("resends", 0))),
            attempts_left=max(0, app_settings.CODE_MAX_ATTEMPTS - self.tries()),
        )

    # -- the steps -------------------------------------------------------------------

    @classmethod
    def start(
        cls, request: HttpRequest, *, contact: ContactPoint, next_url: str | None
    ) -> CodeLoginFlow:
        """Begin a flow for ``contact`` and send the first code.

        Nothing is kept when no code was sent (``FlowError`` or an API error is raised): a
        flow already under way in this browser session stays as it was.
        """
        now = time.time()
        flow = cls(
            request,
            {
                "stage": FlowStage.CODE.value,
                "kind": contact.kind.value,
                "contact": contact.value,
                "request_uid": None,
                "verification_uid": None,
                "send_id": None,
                "sent_at": now,
                "started_at": now,
                "resends": 0,
                "terms_required": False,
                "legal_terms": None,
                "next": next_url if get_adapter().is_safe_url(request, next_url) else None,
            },
        )
        flow._send_code()
        return flow

    def resend(self) -> None:
        """Send a new code (the old one dies), at most ``CODE_MAX_RESENDS`` times.

        When no new code could be sent, the one already sent stays the one to type.
        """
        if self.stage is not FlowStage.CODE:
            raise FlowError("flow_missing")
        resends = int(self.state.get("resends", 0))
        if resends >= app_settings.CODE_MAX_RESENDS:
            raise FlowError("resend_limit")
        self._send_code(resends=resends + 1)

    def _send_code(self, *, resends: int | None = None) -> None:
        """Ask the API for a code; the state changes (and is saved) only once one is sent.

        ``FlowError("code_not_sent")`` when the API refuses the address (400: malformed or
        not deliverable, which says nothing about an account); a rate limit or an outage
        propagates for the view to show. Any 200 answer counts as sent, whatever it says
        (a ``"status": "register"`` included): an API that told unknown addresses apart
        there must not make this page do so, and a code typed against a request without
        ``request_uid`` is simply wrong.
        """
        adapter = get_adapter()
        contact = self.contact
        ip = adapter.get_client_ip(self.request)
        ratelimit.consume(action=ratelimit.RateAction.CODE_REQUEST, ip=ip, key=contact.value)
        try:
            result = get_client().connect_send_code(
                business_id=business_id(),
                channel=contact.kind.channel,
                ip_address=ip,
                **contact.as_api_fields(),
            )
        except BadRequest as exc:
            if not _refuses_the_address(exc):
                # Our own parameters (business, network, key): nothing the fan can correct.
                # The view says no code was sent; the operator reads why in the log.
                logger.error("code request refused by the API: %s", exc)
                raise
            # The API's words are neither shown nor logged: they may repeat the address.
            logger.warning("code request refused by the API: %s", exc.endpoint or "connect")
            raise FlowError("code_not_sent") from None
        self.state.update(
            request_uid=result.request_uid,
            verification_uid=None,
            # A new code has a new request_uid, so its tries start from none.
            send_id=secrets.token_hex(16),
            sent_at=time.time(),
        )
        if resends is not None:
            self.state["resends"] = resends
        self._save()

    def submit_code(self, code: str) -> CodeResult:
        """Check ``code``; log the fan in or open registration. ``FlowError`` when wrong."""
        if self.stage is not FlowStage.CODE:
            raise FlowError("flow_missing")
        reason = self._dead_reason()
        if reason is not None:
            raise FlowError(reason)
        contact = self.contact
        ip = get_adapter().get_client_ip(self.request)
        ratelimit.consume(action=ratelimit.RateAction.CODE_SUBMIT, ip=ip, key=contact.value)
        # Counted before the call: a timeout must not hand out a free guess. Atomic in the
        # shared cache, so a try beyond the last never reaches the API, however many are
        # sent at once.
        tries = ratelimit.count_code_try(self._code_id, ttl=app_settings.CODE_TTL + 60)
        if tries > app_settings.CODE_MAX_ATTEMPTS:
            raise FlowError("code_attempts")
        request_uid = self.state.get("request_uid")
        if not request_uid:
            raise FlowError(self._wrong_code_key(tries))
        try:
            result = get_client().connect_submit_code(
                business_id=business_id(),
                request_uid=request_uid,
                verification_code=code,
                ip_address=ip,
                **contact.as_api_fields(),
            )
        except (BadRequest, Unauthorized):
            # The API says "wrong code" with a 400; a 401 here can only mean the same.
            raise FlowError(self._wrong_code_key(tries)) from None
        if result.outcome is ConnectOutcome.SESSION_CREATED and result.session is not None:
            self._log_in(result)
            return CodeResult.LOGGED_IN
        if result.outcome is ConnectOutcome.MUST_REGISTER and result.verification_uid:
            self.state.update(
                stage=FlowStage.REGISTER.value,
                verification_uid=result.verification_uid,
                # The registration form has its own clock, started by the good code.
                sent_at=time.time(),
            )
            self._save()
            return CodeResult.MUST_REGISTER
        raise InvalidResponse(
            f"sessions/connect submit_verification_code answered {result.outcome}",
            endpoint="sessions_connect",
        )

    @staticmethod
    def _wrong_code_key(tries: int) -> str:
        # The last allowed try says the code is now dead, so the fan knows to ask again.
        return "code_attempts" if tries >= app_settings.CODE_MAX_ATTEMPTS else "code_incorrect"

    def register(self, *, first_name: str, last_name: str, accepted_terms: bool) -> RegisterResult:
        """Create the verified fan. Only after a good code in this browser session."""
        if self.stage is not FlowStage.REGISTER or not self.state.get("verification_uid"):
            raise FlowError("flow_missing")
        if time.time() - float(self.state.get("sent_at", 0)) > app_settings.CODE_TTL:
            self.clear()
            raise FlowError("flow_missing")
        contact = self.contact
        ip = get_adapter().get_client_ip(self.request)
        ratelimit.consume(action=ratelimit.RateAction.REGISTER, ip=ip, key=contact.value)
        try:
            result = get_client().connect_register(
                business_id=business_id(),
                first_name=first_name,
                last_name=last_name,
                request_uid=self.state.get("request_uid"),
                verification_uid=self.state["verification_uid"],
                is_accepted=True if accepted_terms else None,
                ip_address=ip,
                **contact.as_api_fields(),
            )
        except BadRequest:
            if self.state.get("register_unanswered"):
                # An earlier try got no answer and the API has since spent the verification:
                # that try most likely created the account. The fan logs in with a fresh
                # code; nothing is lost, and no second account is attempted.
                self.clear()
                return RegisterResult.MUST_LOG_IN
            raise FlowError("register_failed") from None
        except (TransportError, ServerError, InvalidResponse):
            # No usable answer: the API may have created the fan all the same.
            self.state["register_unanswered"] = True
            self._save()
            raise
        if result.outcome is ConnectOutcome.SESSION_CREATED and result.session is not None:
            self._log_in(result)
            return RegisterResult.LOGGED_IN
        if result.outcome is ConnectOutcome.TERMS_REQUIRED:
            self.state.update(terms_required=True, legal_terms=result.legal_terms)
            self._save()
            return RegisterResult.TERMS_REQUIRED
        if result.outcome is ConnectOutcome.FAN_EXISTS:
            # Registered but not logged in (the API did not take the verification): the fan
            # logs in with a fresh code; nothing is lost.
            self.clear()
            return RegisterResult.MUST_LOG_IN
        raise InvalidResponse(
            f"sessions/connect register answered {result.outcome}", endpoint="sessions_connect"
        )

    def _log_in(self, result: ConnectResult) -> FanSession:
        session = result.session
        if session is None or session.fan_id is None:
            raise InvalidResponse(
                "sessions/connect created a session without a fan", endpoint="sessions_connect"
            )
        contact = self.contact
        # The state dict stays readable on this object (the view reads next_url after).
        self.clear()
        return login_fan(
            self.request,
            session_uid=session.session_uid,
            fan_id=session.fan_id,
            expires_at=session.expiration_timestamp,
            contact=contact,
        )
