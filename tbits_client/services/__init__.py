"""The API's calls, one service per area, each a thin layer over the :class:`Requestor`.

A service method checks its arguments, names its endpoint row, and says how the answer is
parsed; the requestor does the rest. Each service can be built on its own from a
requestor (``QuestService(requestor)``); ``TbitsClient`` is all of them at once.
"""

from __future__ import annotations

from .account import AccountService
from .api_service import ApiService
from .connect import ConnectChannel, ConnectOrigin, ConnectService, DeviceNetwork
from .content import ContentService
from .fans import FanService
from .points import PointService
from .quests import QuestService
from .rewards import RewardService
from .sessions import SessionService

__all__ = [
    "AccountService",
    "ApiService",
    "ConnectChannel",
    "ConnectOrigin",
    "ConnectService",
    "ContentService",
    "DeviceNetwork",
    "FanService",
    "PointService",
    "QuestService",
    "RewardService",
    "SessionService",
]
