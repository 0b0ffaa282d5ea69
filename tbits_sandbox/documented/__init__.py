"""What the reference documents of each answer: the table of the documented-only mode.

The sandbox answers more than the provider's reference promises (identifiers of related
records, counters, codes, timestamps), which hides a portal that depends on them. With
``TBITS_SANDBOX_DOCUMENTED_ONLY`` on, ``wire.api_endpoint`` cuts every JSON answer down to
the fields ``table.TABLE`` lists for its URL name (``tbits_sandbox/urls.py``) and HTTP
method. Nothing else decides what the mode answers: a call without an entry fails instead of
answering unchecked (:class:`UndocumentedAnswer`).

How the fields of an entry are chosen (the docs are docs/provider/*.txt, as published):

1. The "Resulting Structure" of the matching call in api-reference.txt.
2. Plus the fields the guides' examples read (``result["point_uid"]``, ``tier["tier_name"]``,
   ``result["activity_id"]``, Sessions/Connect's ``status``, ``password``, ``phone``,
   ``request_uid``, ``message``, ``terms_required``, the session object ...).
3. Lists of what the portal creates (quests, rewards) also carry every field of the guide's
   creation table ("what you create you can read back"), except a reward's prize-code pool
   ``prize_codes``: a list answer must not carry the codes fans win. Counters the docs never
   name (``delivered_count``, codes remaining) are not answered.
4. Calls whose answer the docs do not print (the fan's tier, the fan's rewards, reward
   updates, deletions) answer the smallest shape the docs suggest; each says so in its note.
5. Where the docs are ambiguous, the entry takes the reading that cannot lose data (a list
   rather than one record, a field kept rather than dropped) and its note says so.
6. Errors, redirects, images (``fb_media``) and HTML pages are not answers of this table:
   they are passed through untouched (``UNTOUCHED`` lists the routes that are not API calls).

Each entry cites its sources as (file, section heading, quote); a test checks that every
quote appears verbatim under its heading in the file, so a citation cannot drift from the docs.
Shapes are explicit: :class:`Obj` (named fields), :class:`ListOf`, :class:`MapOf` (keys that
are data, e.g. ``{page_tab_id: bool}``) and :data:`LEAF` (a value kept whole: a number, a
text, or a free-form map such as ``props``).
"""

from __future__ import annotations

from typing import Any

from tbits_sandbox.documented.shapes import ShapeMismatch, UndocumentedAnswer, trim
from tbits_sandbox.documented.table import TABLE, UNTOUCHED


def documented_answer(url_name: str | None, method: str, payload: Any) -> Any:
    """The answer of a call in the documented-only mode; no entry is an error, not a pass."""
    entry = TABLE.get((url_name or "", method.upper()))
    if entry is None:
        raise UndocumentedAnswer(url_name, method)
    return trim(payload, entry.shape)


__all__ = ["TABLE", "UNTOUCHED", "ShapeMismatch", "UndocumentedAnswer", "documented_answer", "trim"]
