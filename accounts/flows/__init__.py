"""The use cases of the accounts app, one module each; views stay thin and call these.

The login flows (``code_login``, ``password_login``, ``oauth``) keep their state
server-side in the Django session (never in a form field), so the server, not the browser,
decides which step may come next; ``profile`` reads and changes the logged-in fan's record.
A flow raises :class:`FlowError` for what the fan can fix and lets the API's own errors
through; :mod:`accounts.failures` turns either into what the fan sees.
"""

from __future__ import annotations

from accounts.flows.errors import FlowError

__all__ = ["FlowError"]
