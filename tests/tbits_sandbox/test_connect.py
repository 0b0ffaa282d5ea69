"""Sessions/Connect and the session-bound calls, as website-integration.txt documents them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tbits_sandbox.models import Fan, FanSession, VerificationRequest

NEW = "newcomer@example.com"


def send_code(api: Any, *, email: str = NEW) -> tuple[str, str]:
    """Ask for an email code; (request_uid, code from the outbox)."""
    answer = api.connect("verify_email", email=email)
    assert answer.status_code == 200, answer.json()
    from tbits_sandbox.models import OutboxMessage

    code = OutboxMessage.objects.filter(to=email).exclude(code="").first().code
    return answer.json()["request_uid"], code


def test_lookup_tells_login_or_register_with_flags(api: Any) -> None:
    known = api.connect("email", email=api.seed.fan_email.upper()).json()
    assert known == {"status": "login", "password": True, "phone": True}
    assert api.connect("email", email=NEW).json() == {"status": "register"}
    by_phone = api.connect("phone", phone="+1 (604) 555-0123").json()
    assert by_phone["status"] == "login"


def test_code_is_five_digits_in_the_outbox_and_never_stored_readable(api: Any, outbox: Any) -> None:
    answer = api.connect("verify_email", email=NEW).json()
    code = outbox.latest_code(NEW)
    assert len(code) == 5 and code.isdigit()
    assert answer["message"].startswith("Verification code has been sent to n***@example.com")
    record = VerificationRequest.objects.get(request_uid=answer["request_uid"])
    assert code not in record.code_digest
    sms = api.connect("verify_sms", phone="+1 604-555-0123").json()
    assert sms["request_uid"] and outbox.messages(to="+16045550123")[0]["channel"] == "sms"


def test_good_code_for_unknown_fan_gives_verification_uid_then_register_gives_session(
    api: Any,
) -> None:
    request_uid, code = send_code(api)
    verified = api.connect(
        "submit_verification_code", email=NEW, request_uid=request_uid, verification_code=code
    ).json()
    assert verified["status"] == "register" and verified["verification_uid"]
    session = api.connect(
        "register",
        email=NEW,
        first_name="Nia",
        last_name="New",
        request_uid=request_uid,
        verification_uid=verified["verification_uid"],
    ).json()
    assert set(session) >= {"session_uid", "fan_id", "account_id", "props", "expiration_timestamp"}
    fan = Fan.objects.get(fan_id=session["fan_id"])
    assert (fan.email, fan.first_name) == (NEW, "Nia")
    # The verification is spent: it cannot create a second session.
    replay = api.connect(
        "register",
        email=NEW,
        request_uid=request_uid,
        verification_uid=verified["verification_uid"],
    )
    assert replay.status_code == 400


def test_good_code_for_known_fan_is_a_session(api: Any) -> None:
    request_uid, code = send_code(api, email=api.seed.fan_email)
    session = api.connect(
        "submit_verification_code",
        email=api.seed.fan_email,
        request_uid=request_uid,
        verification_code=code,
    ).json()
    assert session["fan_id"] == api.seed.fan_id


def test_code_is_single_use(api: Any) -> None:
    request_uid, code = send_code(api, email=api.seed.fan_email)
    fields = {"request_uid": request_uid, "verification_code": code}
    assert api.connect("submit_verification_code", **fields).status_code == 200
    again = api.connect("submit_verification_code", **fields)
    assert again.status_code == 400 and "already been used" in again.json()["error"]


def test_code_expires_after_ten_minutes(api: Any) -> None:
    request_uid, code = send_code(api)
    record = VerificationRequest.objects.get(request_uid=request_uid)
    lifetime = record.expires_at - record.created
    assert abs(lifetime - dt.timedelta(minutes=10)) < dt.timedelta(seconds=1)
    VerificationRequest.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    late = api.connect("submit_verification_code", request_uid=request_uid, verification_code=code)
    assert late.status_code == 400 and "expired" in late.json()["error"]


def test_five_wrong_codes_kill_the_request_even_for_the_right_code(api: Any) -> None:
    request_uid, code = send_code(api)
    wrong = "00000" if code != "00000" else "11111"
    for left in (4, 3, 2, 1, 0):
        answer = api.connect(
            "submit_verification_code", request_uid=request_uid, verification_code=wrong
        )
        assert answer.status_code == 400
        assert f"({left} attempts left)" in answer.json()["error"]
    final = api.connect("submit_verification_code", request_uid=request_uid, verification_code=code)
    assert final.status_code == 400 and "Too many wrong codes" in final.json()["error"]


def test_code_must_match_the_address_it_was_sent_to(api: Any) -> None:
    request_uid, code = send_code(api)
    answer = api.connect(
        "submit_verification_code",
        email="someone-else@example.com",
        request_uid=request_uid,
        verification_code=code,
    )
    assert answer.status_code == 400 and "does not match" in answer.json()["error"]


def test_register_without_verification_creates_the_fan_and_asks_to_log_in(api: Any) -> None:
    answer = api.connect("register", email=NEW, first_name="Nia", last_name="New")
    assert answer.json() == {"status": "login"}
    assert Fan.objects.filter(email=NEW).exists()
    # Registering an existing fan creates nothing more.
    assert api.connect("register", email=NEW).json() == {"status": "login"}
    assert Fan.objects.filter(email=NEW).count() == 1


def test_terms_required_until_is_accepted(api: Any) -> None:
    from tbits_sandbox.models import Account

    Account.objects.update(terms_acceptance_required=True)
    refused = api.connect("register", email=NEW, first_name="N", last_name="N").json()
    assert refused["terms_required"] is True and refused["legal_terms"]
    assert not Fan.objects.filter(email=NEW).exists()
    assert api.connect("register", email=NEW, is_accepted="0").json()["terms_required"]
    accepted = api.connect("register", email=NEW, is_accepted="1").json()
    assert accepted == {"status": "login"}
    assert Fan.objects.get(email=NEW).is_accepted_terms


def test_password_login_is_hashed_and_says_the_same_for_every_failure(api: Any) -> None:
    fan = Fan.objects.get(fan_id=api.seed.fan_id)
    assert api.seed.fan_password not in fan.password_hash
    good = api.connect("password", email=api.seed.fan_email, password=api.seed.fan_password)
    assert good.json()["fan_id"] == api.seed.fan_id
    by_phone = api.connect("password", phone="16045550123", password=api.seed.fan_password)
    assert by_phone.json()["fan_id"] == api.seed.fan_id
    # The loyalty guide logs in with network=email and a password.
    guide = api.connect("email", email=api.seed.fan_email, password=api.seed.fan_password)
    assert guide.json()["fan_id"] == api.seed.fan_id
    wrong = api.connect("password", email=api.seed.fan_email, password="not-the-password")
    unknown = api.connect("password", email=NEW, password="whatever-it-is")
    api.connect("register", email=NEW)
    no_password = api.connect("password", email=NEW, password="whatever-it-is")
    assert {wrong.status_code, unknown.status_code, no_password.status_code} == {401}
    assert wrong.json() == unknown.json() == no_password.json()


def test_guest_session_has_no_fan(api: Any) -> None:
    guest = api.connect("").json()
    assert guest["session_uid"] and guest["fan_id"] is None
    assert api.get(f"api/v1/sessions/{guest['session_uid']}", secret=False).status_code == 200
    assert api.get(f"api/v1/sessions/{guest['session_uid']}/fan", secret=False).status_code == 400


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"network": "facebook"}, "network must be one of"),
        ({"network": "email"}, "email is required"),
        ({"network": "email", "email": "not-an-email"}, "not a valid email"),
        ({"network": "phone", "phone": "12"}, "between 7 and 15 digits"),
        ({"network": "verify_sms"}, "phone is required"),
        ({"network": "submit_verification_code"}, "request_uid is required"),
        (
            {
                "network": "submit_verification_code",
                "request_uid": "nope",
                "verification_code": "1",
            },
            "request_uid is not a valid identifier",
        ),
        ({"network": "register"}, "One of email or phone is required"),
        ({"network": "register", "email": "a@example.com", "password": "short"}, "password"),
        ({"network": "password", "email": "a@example.com"}, "password is required"),
        ({"network": "email", "business_id": "999"}, "business_id does not name"),
        ({"network": "email", "business_id": "abc"}, "business_id must be an integer"),
    ],
)
def test_invalid_parameters_are_400_with_a_message(api: Any, fields: dict, message: str) -> None:
    data = {"business_id": api.seed.business_id, **fields}
    answer = api.post("api/v1/sessions/connect", data, secret=False)
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_business_id_defaults_to_the_accounts_first_business(api: Any) -> None:
    answer = api.post("api/v1/sessions/connect", {"network": "email", "email": NEW}, secret=False)
    assert answer.json() == {"status": "register"}


def test_sessions_expire_and_then_answer_401_everywhere(api: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_SESSION_TTL_SECONDS = 60
    session = api.connect(
        "password", email=api.seed.fan_email, password=api.seed.fan_password
    ).json()
    expires = dt.datetime.fromisoformat(session["expiration_timestamp"])
    assert dt.timedelta(seconds=55) < expires - timezone.now() <= dt.timedelta(seconds=60)
    uid = session["session_uid"]
    paths = [f"api/v1/sessions/{uid}{suffix}" for suffix in ("", "/fan", "/points", "/idols")]
    assert all(api.get(path, secret=False).status_code == 200 for path in paths)
    FanSession.objects.filter(session_uid=uid).update(expiration_timestamp=timezone.now())
    for path in paths:
        answer = api.get(path, secret=False)
        assert answer.status_code == 401 and answer.json() == {
            "error": "Invalid or expired session."
        }
    assert (
        api.post(f"api/v1/sessions/{uid}/fan", {"first_name": "X"}, secret=False).status_code == 401
    )
    assert api.get("api/v1/sessions/not-a-uuid", secret=False).status_code == 401


def test_default_session_lifetime_is_a_day(api: Any) -> None:
    session = api.connect("").json()
    expires = dt.datetime.fromisoformat(session["expiration_timestamp"])
    assert dt.timedelta(hours=23, minutes=59) < expires - timezone.now() <= dt.timedelta(hours=24)


def test_update_fan_profile_password_tags_and_display_name(api: Any) -> None:
    uid = api.connect("password", email=api.seed.fan_email, password=api.seed.fan_password).json()[
        "session_uid"
    ]
    path = f"api/v1/sessions/{uid}/fan"
    updated = api.post(
        path,
        {
            "first_name": "Alexis",
            "password": "brand-new-password",
            "display_name": "Alexis_M",
            "is_phone_subscribed": "on",
            "tag_vip": "true",
            "props_theme": "dark",
        },
        secret=False,
    ).json()
    assert updated["first_name"] == "Alexis" and updated["display_name"] == "Alexis_M"
    assert "vip" in updated["tags"] and updated["props"]["theme"] == "dark"
    assert updated["is_phone_subscribed"] is True
    assert "password" not in updated
    login = api.connect("password", email=api.seed.fan_email, password="brand-new-password")
    assert login.status_code == 200
    taken = api.post(path, {"display_name": "JLee"}, secret=False)
    assert taken.status_code == 400 and "taken" in taken.json()["error"]
    bad = api.post(path, {"is_subscribed": "maybe"}, secret=False)
    assert bad.status_code == 400


def test_idols_like_and_unlike(api: Any) -> None:
    uid = api.connect("password", email=api.seed.fan_email, password=api.seed.fan_password).json()[
        "session_uid"
    ]
    captain = api.seed.idols["Sam Rivera"]
    path = f"api/v1/sessions/{uid}/idols"
    assert api.post(path, {"action": "add", "idol_uid": captain}, secret=False).json() == {
        "fan_id": api.seed.fan_id,
        "idol_uid": captain,
        "action": "add",
    }
    liked = {idol["idol_name"] for idol in api.get(path, secret=False).json()}
    assert liked == {"Sam Rivera", "The Tide"}
    api.post(path, {"action": "delete", "idol_name": "The Tide"}, secret=False)
    assert [idol["idol_name"] for idol in api.get(path, secret=False).json()] == ["Sam Rivera"]
    assert api.post(path, {"action": "hug", "idol_uid": captain}, secret=False).status_code == 400
    assert len(api.get("api/v1/idols", {"label_name": "music"}, secret=False).json()) == 1
    events = api.get("api/v1/idols/events", {"label_name": "harbour-city"}, secret=False).json()
    assert len(events) == 4 and {"start_timestamp", "venue_name", "idol_uid"} <= set(events[0])


def test_sms_code_then_register_by_phone(api: Any, outbox: Any) -> None:
    phone = "+1 (778) 555-0199"
    request_uid = api.connect("verify_sms", phone=phone).json()["request_uid"]
    code = outbox.latest_code(phone)
    verified = api.connect(
        "submit_verification_code",
        phone="17785550199",
        request_uid=request_uid,
        verification_code=code,
    ).json()
    session = api.connect(
        "register",
        phone=phone,
        first_name="Sam",
        last_name="Sms",
        request_uid=request_uid,
        verification_uid=verified["verification_uid"],
    ).json()
    assert Fan.objects.get(fan_id=session["fan_id"]).phone == "+17785550199"
    lookup = api.connect("phone", phone="1-778-555-0199").json()
    assert lookup == {"status": "login", "password": False, "phone": True}
    # A verification made for one phone cannot register another.
    other_uid = api.connect("verify_sms", phone="+1 604 555 0000").json()["request_uid"]
    other = api.connect(
        "submit_verification_code",
        request_uid=other_uid,
        verification_code=outbox.latest_code("16045550000"),
    ).json()
    stolen = api.connect(
        "register",
        phone="+1 604 555 0001",
        request_uid=other_uid,
        verification_uid=other["verification_uid"],
    )
    assert stolen.status_code == 400 and "another email or phone" in stolen.json()["error"]


def test_finding_1_parallel_wrong_codes_never_pass_the_sandboxs_limit(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 finding 1: two workers recorded six failures against a limit of five.

    The interleaving is made deterministic: while the first wrong code sits between its
    read of the request and its write, five more are checked to the end (as other workers
    would). The first must then find the request closed, not add a sixth failure.
    """
    from tbits_sandbox import connect

    request_uid, code = send_code(api)
    wrong = "00000" if code != "00000" else "11111"
    real_compare = connect.hmac.compare_digest
    interleaved: list[int] = []

    def compare_while_others_run(a: Any, b: Any) -> bool:
        if not interleaved:
            interleaved.append(1)
            for _ in range(5):
                api.connect(
                    "submit_verification_code", request_uid=request_uid, verification_code=wrong
                )
        return real_compare(a, b)

    monkeypatch.setattr(connect.hmac, "compare_digest", compare_while_others_run)
    first = api.connect(
        "submit_verification_code", request_uid=request_uid, verification_code=wrong
    )
    assert first.status_code == 400 and "Too many wrong codes" in first.json()["error"]
    assert VerificationRequest.objects.get(request_uid=request_uid).failed_attempts == 5
