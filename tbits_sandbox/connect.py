"""Sessions/Connect: one endpoint whose ``network`` parameter chooses the step.

Answers, as documented (website-integration.txt):
- ``email`` / ``phone`` look-up: ``{"status": "login", "password": bool, "phone": bool}`` or
  ``{"status": "register"}``; with a ``password`` it is a password login (as the loyalty
  guide's example sends it).
- ``verify_email`` / ``verify_sms``: a 5-digit code to the outbox,
  ``{"request_uid", "message"}``.
- ``submit_verification_code``: a session for a known fan, or
  ``{"status": "register", "verification_uid"}`` so that register can skip re-verifying.
- ``register``: a session when verified, ``{"status": "login"}`` otherwise, or
  ``{"terms_required": true, ...}`` when the account requires terms and ``is_accepted`` is
  not sent.
- ``password``: a session, or 401 with the same message whatever was wrong.
- ``''``: a guest session.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F
from django.utils import timezone

from tbits_sandbox import payloads, throttle
from tbits_sandbox.models import (
    Account,
    Business,
    Fan,
    FanSession,
    OutboxMessage,
    VerificationRequest,
)
from tbits_sandbox.vocabulary import Channel, Network
from tbits_sandbox.wire import ApiError, ApiRequest, bad_request

CODE_LENGTH = 5
DEFAULT_CODE_TTL_SECONDS = 10 * 60
DEFAULT_CODE_MAX_ATTEMPTS = 5
DEFAULT_SESSION_TTL_SECONDS = 24 * 60 * 60
# How long a verification_uid lets register skip re-verification.
VERIFICATION_TTL = timedelta(minutes=30)
BAD_CREDENTIALS = "Invalid email, phone or password."
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


def code_ttl() -> timedelta:
    """How long a verification code lives (``TBITS_SANDBOX_CODE_TTL_SECONDS``)."""
    seconds = int(getattr(settings, "TBITS_SANDBOX_CODE_TTL_SECONDS", DEFAULT_CODE_TTL_SECONDS))
    return timedelta(seconds=seconds)


def max_attempts() -> int:
    """Wrong codes allowed per request (``TBITS_SANDBOX_CODE_MAX_ATTEMPTS``)."""
    return int(getattr(settings, "TBITS_SANDBOX_CODE_MAX_ATTEMPTS", DEFAULT_CODE_MAX_ATTEMPTS))


def session_ttl() -> timedelta:
    """How long a session lives (``TBITS_SANDBOX_SESSION_TTL_SECONDS``)."""
    seconds = int(
        getattr(settings, "TBITS_SANDBOX_SESSION_TTL_SECONDS", DEFAULT_SESSION_TTL_SECONDS)
    )
    return timedelta(seconds=seconds)


def normalise_phone(raw: str) -> str:
    """E.164 (``+16045550123``), so that formatting never makes two fans of one phone.

    Bare digits are read as starting with the country code (the sandbox knows no region),
    so ``+1 604-555-0123`` and ``16045550123`` are one number, one fan and one throttle
    key. Text that is no number at all gives ``""``, refused by :func:`clean_phone`.
    """
    digits = re.sub(r"\D", "", raw)
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_email(raw: str, *, name: str = "email") -> str:
    """A lower-cased, validated email address."""
    email = raw.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise bad_request(f"{name} is not a valid email address.") from None
    return email


def clean_phone(raw: str) -> str:
    """A phone number of 7 to 15 digits."""
    digits = len(re.sub(r"\D", "", raw))
    phone = normalise_phone(raw)
    if not 7 <= digits <= 15 or not phone:
        raise bad_request("phone must have between 7 and 15 digits.")
    return phone


def clean_password(raw: str) -> str:
    """A password within the accepted lengths."""
    if not MIN_PASSWORD_LENGTH <= len(raw) <= MAX_PASSWORD_LENGTH:
        raise bad_request(
            f"password must be between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters."
        )
    return raw


def code_digest(request_uid: uuid.UUID, code: str) -> str:
    """A keyed digest of the code, so the database never holds it readable."""
    key = f"tbits-sandbox-code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{request_uid}:{code}".encode(), hashlib.sha256).hexdigest()


def mask_address(address: str) -> str:
    """``j***@example.com`` / ``*******0123``, for messages that name the destination."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return "*" * max(0, len(address) - 4) + address[-4:]


def resolve_business(api: ApiRequest) -> Business:
    """The business named by ``business_id``, or the account's first when none is sent.

    The docs require business_id, but the loyalty guide's own examples leave it out; the
    sandbox answers them for the account's first business rather than fail the example.
    """
    account = api.account
    business_id = api.integer("business_id")
    if business_id is None:
        business = account.businesses.order_by("business_id").first()
        if business is None:
            raise bad_request("business_id is required.")
        return business
    business = account.businesses.filter(business_id=business_id).first()
    if business is None:
        raise bad_request("business_id does not name a business of this account.")
    return business


def identifier(api: ApiRequest, *, required: bool = True) -> tuple[str | None, str | None]:
    """The (email, phone) the call names, validated; at least one when required."""
    email = clean_email(api.text("email")) if api.has("email") else None
    phone = clean_phone(api.text("phone")) if api.has("phone") else None
    if required and not email and not phone:
        raise bad_request("One of email or phone is required.")
    return email, phone


def find_fan(account: Account, *, email: str | None, phone: str | None) -> Fan | None:
    """The fan with this email (first) or phone."""
    if email:
        found = Fan.objects.filter(account=account, email=email).first()
        if found is not None:
            return found
    if phone:
        return Fan.objects.filter(account=account, phone=phone).first()
    return None


def start_session(
    *, account: Account, business: Business | None, fan: Fan | None, network: str
) -> dict[str, Any]:
    """Create a session and answer its JSON."""
    record = FanSession.objects.create(
        account=account,
        business=business,
        fan=fan,
        props={"network": network, "is_guest": fan is None},
        expiration_timestamp=timezone.now() + session_ttl(),
    )
    return payloads.session(record)


def lookup(api: ApiRequest, *, network: str) -> dict[str, Any]:
    """``email`` / ``phone``: does the fan exist, and how can they log in."""
    if network == Network.EMAIL:
        email, phone = clean_email(api.text("email", required=True)), None
    else:
        email, phone = None, clean_phone(api.text("phone", required=True))
    throttle.check(account_id=api.account.account_id, ip=api.client_ip(), identifier=email or phone)
    fan = find_fan(api.account, email=email, phone=phone)
    if fan is None:
        return {"status": "register"}
    return {"status": "login", "password": bool(fan.password_hash), "phone": bool(fan.phone)}


def issue_code(
    *,
    account: Account,
    business: Business,
    channel: Channel,
    email: str | None,
    phone: str | None,
) -> tuple[uuid.UUID, str]:
    """Create a verification request and put its code in the outbox; (request_uid, message)."""
    address = email or phone or ""
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    request_uid = uuid.uuid4()
    VerificationRequest.objects.create(
        request_uid=request_uid,
        account=account,
        business=business,
        channel=channel,
        email=email or "",
        phone=phone or "",
        code_digest=code_digest(request_uid, code),
        expires_at=timezone.now() + code_ttl(),
    )
    minutes = max(1, int(code_ttl().total_seconds() // 60))
    OutboxMessage.objects.create(
        channel=channel,
        to=address,
        code=code,
        message=(
            f"Your {business.business_name} verification code is {code}. "
            f"It expires in {minutes} minutes."
        ),
    )
    return request_uid, f"Verification code has been sent to {mask_address(address)}"


def check_code(
    *, account: Account, request_uid: uuid.UUID, code: str, email: str | None, phone: str | None
) -> VerificationRequest:
    """Spend a good code of a request, or raise a 400 saying what is wrong.

    A request allows ``max_attempts()`` wrong codes, lives ``code_ttl()`` and is single use.
    """
    record = VerificationRequest.objects.filter(account=account, request_uid=request_uid).first()
    if record is None:
        raise bad_request("request_uid does not name a verification request.")
    if (email and email != record.email) or (phone and phone != record.phone):
        raise bad_request("The email or phone does not match this verification request.")
    if record.verified_at is not None:
        raise bad_request("This verification code has already been used; request a new one.")
    if record.expires_at <= timezone.now():
        raise bad_request("The verification code has expired; request a new one.")
    if record.failed_attempts >= max_attempts():
        raise bad_request("Too many wrong codes for this request; request a new one.")
    # Conditional updates, so the limit holds across threads and processes: the row read
    # above may be stale by now (a count read, then written back, let two workers record
    # six failures against a limit of five).
    still_open = VerificationRequest.objects.filter(
        pk=record.pk, failed_attempts__lt=max_attempts()
    )
    if not hmac.compare_digest(record.code_digest, code_digest(record.request_uid, code)):
        if not still_open.update(failed_attempts=F("failed_attempts") + 1):
            raise bad_request("Too many wrong codes for this request; request a new one.")
        left = max(0, max_attempts() - record.failed_attempts - 1)
        raise bad_request(f"The verification code is incorrect ({left} attempts left).")
    # Of two submissions of the same good code, one wins; none after the last wrong one.
    if not still_open.filter(verified_at__isnull=True).update(verified_at=timezone.now()):
        raise bad_request("This verification code has already been used; request a new one.")
    return record


def send_code(api: ApiRequest, *, business: Business, channel: Channel) -> dict[str, Any]:
    """``verify_email`` / ``verify_sms``: put a fresh code in the outbox."""
    if channel == Channel.EMAIL:
        email, phone = clean_email(api.text("email", required=True)), None
    else:
        email, phone = None, clean_phone(api.text("phone", required=True))
    throttle.check(account_id=api.account.account_id, ip=api.client_ip(), identifier=email or phone)
    request_uid, message = issue_code(
        account=api.account, business=business, channel=channel, email=email, phone=phone
    )
    return {"request_uid": str(request_uid), "message": message}


def submit_code(api: ApiRequest, *, business: Business) -> dict[str, Any]:
    """``submit_verification_code``: a session, or a verification_uid to register with."""
    request_uid = api.uid("request_uid", required=True)
    code = api.text("verification_code", required=True)
    email, phone = identifier(api, required=False)
    assert request_uid is not None  # required above
    record = check_code(
        account=api.account, request_uid=request_uid, code=code, email=email, phone=phone
    )
    fan = find_fan(api.account, email=record.email, phone=record.phone)
    if fan is not None:
        return start_session(
            account=api.account,
            business=business,
            fan=fan,
            network=Network.SUBMIT_VERIFICATION_CODE,
        )
    verification_uid = uuid.uuid4()
    VerificationRequest.objects.filter(pk=record.pk).update(verification_uid=verification_uid)
    return {
        "status": "register",
        "request_uid": str(record.request_uid),
        "verification_uid": str(verification_uid),
        "message": "Verification successful; registration required.",
    }


def _verified(
    api: ApiRequest, *, email: str | None, phone: str | None
) -> VerificationRequest | None:
    """The verification register may rely on, or None when none was sent."""
    if not api.has("request_uid") and not api.has("verification_uid"):
        return None
    request_uid = api.uid("request_uid", required=True)
    verification_uid = api.uid("verification_uid", required=True)
    record = VerificationRequest.objects.filter(
        account=api.account,
        request_uid=request_uid,
        verification_uid=verification_uid,
        verification_used_at__isnull=True,
        verified_at__gte=timezone.now() - VERIFICATION_TTL,
    ).first()
    if record is None:
        raise bad_request("request_uid and verification_uid do not name a usable verification.")
    if not ((email and record.email == email) or (phone and record.phone == phone)):
        raise bad_request("The verification was made for another email or phone.")
    return record


def register(api: ApiRequest, *, business: Business) -> dict[str, Any]:
    """``register``: create the fan; a session only when a verification is presented."""
    email, phone = identifier(api)
    first_name = api.text("first_name", max_length=64)
    last_name = api.text("last_name", max_length=64)
    password = clean_password(api.params.get("password", "")) if api.has("password") else ""
    verification = _verified(api, email=email, phone=phone)
    fan = find_fan(api.account, email=email, phone=phone)
    if fan is None:
        account = api.account
        accepted = api.boolean("is_accepted")
        if account.terms_acceptance_required and not accepted:
            return {
                "terms_required": True,
                "legal_terms": account.legal_terms,
                "legal_privacy": account.legal_privacy,
                "message": "The fan must accept the terms: send is_accepted=1.",
                # Echoed so the caller can resend the same verification with is_accepted.
                "request_uid": api.text("request_uid") or None,
                "verification_uid": api.text("verification_uid") or None,
            }
        fan = Fan.objects.create(
            account=account,
            email=email or "",
            phone=phone or "",
            first_name=first_name,
            last_name=last_name,
            password_hash=make_password(password) if password else "",
            is_accepted_terms=accepted,
            is_subscribed=api.boolean("is_subscribed"),
            is_phone_subscribed=api.boolean("is_phone_subscribed"),
            ip_address=api.client_ip(),
        )
    if verification is None:
        return {"status": "login"}
    VerificationRequest.objects.filter(pk=verification.pk).update(
        verification_used_at=timezone.now()
    )
    return start_session(account=api.account, business=business, fan=fan, network=Network.REGISTER)


def password_login(api: ApiRequest, *, business: Business) -> dict[str, Any]:
    """``password``: a session, or 401 saying the same whatever was wrong."""
    email, phone = identifier(api)
    password = api.params.get("password") or ""
    if not password:
        raise bad_request("password is required.")
    fan = find_fan(api.account, email=email, phone=phone)
    if fan is None or not fan.password_hash:
        # Hash anyway, so the answer's timing does not tell which emails exist.
        make_password(password)
        raise ApiError(401, BAD_CREDENTIALS)
    if not check_password(password, fan.password_hash):
        raise ApiError(401, BAD_CREDENTIALS)
    return start_session(account=api.account, business=business, fan=fan, network=Network.PASSWORD)


def connect(api: ApiRequest) -> dict[str, Any]:
    """Dispatch on ``network``."""
    raw_network = api.text("network")
    try:
        network = Network(raw_network)
    except ValueError:
        allowed = ", ".join(repr(item.value) for item in Network)
        raise bad_request(f"network must be one of {allowed}.") from None
    business = resolve_business(api)
    if network in {Network.EMAIL, Network.PHONE}:
        if api.has("password"):
            return password_login(api, business=business)
        return lookup(api, network=network)
    if network == Network.VERIFY_EMAIL:
        return send_code(api, business=business, channel=Channel.EMAIL)
    if network == Network.VERIFY_SMS:
        return send_code(api, business=business, channel=Channel.SMS)
    if network == Network.SUBMIT_VERIFICATION_CODE:
        return submit_code(api, business=business)
    if network == Network.REGISTER:
        return register(api, business=business)
    if network == Network.PASSWORD:
        return password_login(api, business=business)
    return start_session(account=api.account, business=business, fan=None, network=network)
