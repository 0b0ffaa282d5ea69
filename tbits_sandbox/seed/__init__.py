"""The demo account: one business that shows every feature of the loyalty portal.

The account is created with the credentials the portal itself is configured with
(``settings.TBITS``: API_KEY, API_SECRET, ACCOUNT_ID, BUSINESS_ID), so the two always agree,
and the demo fan's login comes from ``TBITS_SANDBOX_FAN_EMAIL`` / ``TBITS_SANDBOX_FAN_PASSWORD``.
Seeding is idempotent: everything is looked up by a natural key (titles, names, slugs)
before it is created, and the demo history is written only once.

One module per thing seeded, called in this order by :func:`seed_demo` (``demo``):
``account`` (keys, media, point type, tiers, business), ``events`` (performances, idols and
their events), ``quests``, ``rewards``, ``fans`` (the demo fan, the others, their history).
"""

from tbits_sandbox.seed.demo import SeedInfo, seed_demo

__all__ = ["SeedInfo", "seed_demo"]
