"""``python -m tbits_client > docs/endpoints.md``: regenerate the endpoint docs."""

from __future__ import annotations

import sys

from .endpoints import render_markdown

if __name__ == "__main__":
    sys.stdout.write(render_markdown())
