"""Pages for people: the sandbox home, the outbox; and the media the API links to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tbits_sandbox import faults, media
from tbits_sandbox.models import Account, MediaAsset, OutboxMessage
from tbits_sandbox.wire import ApiError, error_response, parse_uid

OUTBOX_SIZE = 100


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """What this sandbox holds, and where to read the codes it "sent"."""
    accounts = Account.objects.prefetch_related("businesses").order_by("account_id")
    return render(request, "tbits_sandbox/home.html", {"accounts": accounts})


def _messages() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.all()[:OUTBOX_SIZE])


@never_cache
def outbox(request: HttpRequest) -> HttpResponse:
    """Every email and SMS the sandbox "sent", newest first."""
    return render(request, "tbits_sandbox/outbox.html", {"sent": _messages()})


@never_cache
def outbox_json(request: HttpRequest) -> JsonResponse:
    """The outbox as JSON, newest first, for tests and scripts."""
    return JsonResponse(
        [
            {
                "id": item.pk,
                "channel": item.channel,
                "to": item.to,
                "code": item.code or None,
                "message": item.message,
                "created": item.created.isoformat(),
            }
            for item in _messages()
        ],
        safe=False,
    )


def _side(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= media.MAX_SIDE:
        raise ApiError(400, f"{name} must be an integer between 1 and {media.MAX_SIDE}.")
    return int(raw)


def fb_media(request: HttpRequest, media_uid: str) -> HttpResponse:
    """An image, resized to ``width``/``height`` when asked; public, like the real one."""
    injected = faults.apply(request)
    if injected is not None:
        return injected
    try:
        key = parse_uid(media_uid, name="media_uid")
        width, height = _side(request, "width"), _side(request, "height")
    except ApiError as error:
        return error_response(error)
    asset = MediaAsset.objects.filter(media_uid=key).first()
    if asset is None:
        return error_response(ApiError(404, "No such media."))
    body, content_type = media.render(asset, width=width, height=height)
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
