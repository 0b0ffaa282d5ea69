"""The setup file's limits and groupings of the API's words.

Quest kinds and restriction kinds are the rules' (:mod:`loyalty.rules.vocabulary`): the
portal reads and the setup file writes one vocabulary, and which kinds need a performance
or a campaign comes from the rules' table of kinds. Reward types and requirements are the
client's enums (``tbits_client.models``). Both are pure Python, so validation and planning
stay free of Django and of the network.
"""

from __future__ import annotations

from typing import Final, Literal

from tbits_client import RewardType

# The documented cap of every point count (fan_points_reward, "max 10,000,000"); the
# sandbox applies it to every count, and so do we.
MAX_POINTS = 10_000_000
TITLE_MAX = 128  # quest_title ("max 128 chars"); reward titles share the column size
BUTTON_MAX = 32  # button_text ("max 32 chars")
SITE_MAX = 128  # site_name ("max 128 chars")
NAME_MAX = 128  # point, tier and tag names
KEY_MAX = 128  # partner keys (AtVenu, BestRing) and each prize code

# The file's word for "no reward" (a quest's reward_type) and "assigned by hand" (a reward's
# requirement_type). The API has no such value, it takes the field's absence, so the
# client's enums rightly lack it; a validated spec holds None instead.
NONE: Final[Literal["none"]] = "none"

# Reward types pushed through a partner at an event: the API requires a performance.
EVENT_REWARD_TYPES = frozenset({RewardType.ATVENU, RewardType.BESTRING})
