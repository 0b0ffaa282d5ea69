"""Account-level calls: branding for the login pages, and the OAuth login."""

from __future__ import annotations

from urllib.parse import urlencode

from ..endpoints import ENDPOINTS
from ..models import AccountStatus, Session
from .api_service import ApiService

__all__ = ["AccountService"]


class AccountService(ApiService):
    """Account branding and the OAuth login."""

    def status(self) -> AccountStatus:
        """Branding and legal texts for the login pages."""
        return self._call("status", parse=AccountStatus.from_api)

    def oauth_url(
        self,
        *,
        account_id: int | str,
        business_id: int | str,
        redirect_url: str,
        login_type: str = "email",
    ) -> str:
        """Where to send the fan's browser to log in with Tradable Bits (no HTTP here)."""
        query = urlencode(
            {
                "account_id": account_id,
                "business_id": business_id,
                "login_type": login_type,
                "redirect_url": redirect_url,
            }
        )
        return f"{self._requestor.url(ENDPOINTS['oauth_authorize'])}?{query}"

    def exchange_oauth_code(
        self, *, code: str, account_id: int | str, redirect_url: str
    ) -> Session:
        """Trade the one-time OAuth code for a session. Never retried: codes are single-use."""
        if not code:
            raise ValueError("code is required")
        return self._call(
            "oauth_access_token",
            query={"code": code, "account_id": account_id, "redirect_url": redirect_url},
            secrets=[code],
            parse=Session.from_api,
        )
