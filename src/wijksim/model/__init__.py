"""The model on simpy: random streams, demand, the team, statistics."""

from ..streams import Streams
from .requests import Request
from .wijkteam import WijkteamModel

__all__ = ["Request", "Streams", "WijkteamModel"]
