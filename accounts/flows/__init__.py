"""The multi-step login use cases, one module each; views stay thin and call these.

Each flow keeps its state server-side in the Django session (never in a form field), so
the server, not the browser, decides which step may come next.
"""

from __future__ import annotations

from accounts.flows.errors import FlowError

__all__ = ["FlowError"]
