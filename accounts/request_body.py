"""Fan forms take a few short fields: an oversized body is refused unread, a file refused.

Django reads a multipart body the moment anything asks for ``request.POST`` (streaming
files past ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to disk), and the CSRF check asks first, before
any view could say it takes no files; ``DATA_UPLOAD_MAX_MEMORY_SIZE`` caps url-encoded
fields but not files. An attack run had a 20 MB upload to the login page accepted for
reading. No portal form sends a file or more than a few kilobytes, so
:class:`accounts.middleware.TbitsMiddleware` answers a body over the cap from its headers
alone, before the CSRF check, for the portal's own URLs only (a site's other pages may take
uploads), and refuses any file in a small one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver

from accounts.views.errors import error_response

#: The URL namespaces (``app_name``) of the portal's forms.
FAN_FORM_APPS = frozenset({"tbits_accounts", "tbits_loyalty"})
_BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def refused_body(request: HttpRequest) -> HttpResponse | None:
    """The 413 page for a body over the cap, the 400 page for a file, else None.

    The size is judged from ``Content-Length`` alone, before a byte of the body is read:
    that is what stops a 20 MB upload. A multipart body under the cap (a few kilobytes; some
    clients, Django's test client among them, post every form that way) is parsed in memory
    to see whether it carries a file, which no portal form takes.
    """
    if request.method in _BODILESS_METHODS or not _is_fan_form(request):
        return None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and _declared_length(request) > limit:
        return error_response(request, 413, with_shell=False)
    content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type == "multipart/form-data" and _carries_a_file(request):
        return error_response(request, 400, with_shell=False)
    return None


def _carries_a_file(request: HttpRequest) -> bool:
    try:
        return bool(request.FILES)
    except (SuspiciousOperation, MultiPartParserError):
        # An unreadable body: the view's request.POST raises again, and Django answers 400.
        return False


def _is_fan_form(request: HttpRequest) -> bool:
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return False
    return bool(FAN_FORM_APPS.intersection(match.app_names))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
