"""Keep secrets out of log lines and exception messages.

Two complementary guards. Key-based: values under sensitive keys (``password``,
``verification_code``, ``session_uid``...) are masked wherever a mapping is about to be
logged or attached to an error. Value-based: the exact strings known to be secret for one
call (the API secret, the password and code it sent, the session id in its path) are cut
out of any text, which catches an API that echoes a value back inside a message.

urllib3 logs every request line at DEBUG, and the path of a session call holds the fan's
session id; :func:`install_urllib3_filter` masks those lines too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "REDACTED",
    "SENSITIVE_KEYS",
    "Redactor",
    "install_urllib3_filter",
    "redact_mapping",
    "redact_url_text",
]

REDACTED = "[redacted]"

# Keys whose values are credentials or bearer tokens in this API. request_uid and
# verification_uid are included because, with a code, they complete a login.
SENSITIVE_KEYS: frozenset[str] = frozenset(
    {
        "api_secret",
        "password",
        "verification_code",
        "code",
        "session_uid",
        "request_uid",
        "verification_uid",
        "access_token",
        "authorization",
        "api-secret",
        "cookie",
    }
)

# Secrets shorter than this are not scrubbed by value: masking every "1" in a message would
# destroy it, and such short values are not guessable secrets anyway (codes are 5+ digits).
_MIN_SECRET_LENGTH = 4

_SESSION_PATH = re.compile(r"(/sessions/)(?!connect\b)[^/?#\s\"']+")
_SENSITIVE_QUERY = re.compile(
    r"(?i)([?&](?:" + "|".join(re.escape(key) for key in sorted(SENSITIVE_KEYS)) + r")=)[^&\s\"']*"
)


def redact_mapping(value: Any) -> Any:
    """A copy of ``value`` with every sensitive key's value masked, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: (
                REDACTED
                if isinstance(key, str) and key.lower() in SENSITIVE_KEYS
                else redact_mapping(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_mapping(item) for item in value]
    return value


def redact_url_text(text: str) -> str:
    """Mask session ids in ``/sessions/<uid>`` paths and sensitive query parameters."""
    text = _SESSION_PATH.sub(rf"\1{REDACTED}", text)
    return _SENSITIVE_QUERY.sub(rf"\1{REDACTED}", text)


class Redactor:
    """Scrubs a known set of secret strings (plus URL patterns) out of text and payloads."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a secret that contains another is removed whole.
        self._secrets = sorted(
            {s for s in secrets if isinstance(s, str) and len(s) >= _MIN_SECRET_LENGTH},
            key=len,
            reverse=True,
        )

    def with_secrets(self, secrets: Iterable[str | None]) -> Redactor:
        """A redactor that also scrubs ``secrets`` (the values one call sent)."""
        return Redactor([*self._secrets, *secrets])

    def text(self, text: str) -> str:
        """``text`` without any known secret, session path or sensitive query value."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return redact_url_text(text)

    def payload(self, value: Any) -> Any:
        """A copy of a parsed body safe to attach to an error or log."""
        value = redact_mapping(value)
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {key: self.payload(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.payload(item) for item in value]
        return value


class _Urllib3RedactingFilter(logging.Filter):
    """Rewrites urllib3's request lines so a session id in a path never reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to logging itself
            return True
        cleaned = redact_url_text(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_URLLIB3_FILTER = _Urllib3RedactingFilter()


def install_urllib3_filter() -> None:
    """Attach the filter to urllib3's connection-pool logger (idempotent)."""
    logger = logging.getLogger("urllib3.connectionpool")
    if _URLLIB3_FILTER not in logger.filters:
        logger.addFilter(_URLLIB3_FILTER)
